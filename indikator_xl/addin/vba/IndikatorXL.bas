Attribute VB_Name = "IndikatorXL"
' indikator-xl: the buttons of the ribbon tab "Indikatorer" (and for Form buttons).
'
' `indikator-xl tillagg bygg` puts this module into IndikatorXL.xlam beside xlwings'
' module "xlwings", whose RunPython the macros call. A new button is one <button> in
' customUI.xml with onAction="IndikatorXL.Ribbon<Name>" plus the two Subs below for it.
' The Python side is indikator_xl.excel; Book.caller() there is the active workbook.
Option Explicit

Public Sub Berakna()
    RunPython "import indikator_xl.excel as x; x.berakna()"
End Sub

Public Sub Validera()
    RunPython "import indikator_xl.excel as x; x.validera()"
End Sub

Public Sub Rapport()
    RunPython "import indikator_xl.excel as x; x.rapport()"
End Sub

Public Sub Sammanstall()
    RunPython "import indikator_xl.excel as x; x.sammanstall()"
End Sub

Public Sub Diagnos()
    RunPython "import indikator_xl.excel as x; x.diagnos()"
End Sub

' Ribbon callbacks (customUI.xml onAction); the ribbon passes the clicked control.
Public Sub RibbonBerakna(control As IRibbonControl)
    Berakna
End Sub

Public Sub RibbonValidera(control As IRibbonControl)
    Validera
End Sub

Public Sub RibbonRapport(control As IRibbonControl)
    Rapport
End Sub

Public Sub RibbonSammanstall(control As IRibbonControl)
    Sammanstall
End Sub

Public Sub RibbonDiagnos(control As IRibbonControl)
    Diagnos
End Sub
