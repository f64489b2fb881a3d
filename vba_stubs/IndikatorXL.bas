Attribute VB_Name = "IndikatorXL"
' indikator-xl: the buttons of the ribbon tab "Indikatorer" (and for Form buttons).
'
' Import this module once into the add-in built from xlwings' quickstart template
' (xlwings quickstart indikatorxl --addin --ribbon, xlwings 0.37.8): it needs the
' RunPython function of that template's "xlwings" module. See docs/excel.md.
' The Python side is indikator_xl.excel; Book.caller() there is the active workbook.
Option Explicit

Public Sub Berakna()
    RunPython "import indikator_xl.excel as x; x.berakna()"
End Sub

Public Sub Validera()
    RunPython "import indikator_xl.excel as x; x.validera()"
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

Public Sub RibbonSammanstall(control As IRibbonControl)
    Sammanstall
End Sub

Public Sub RibbonDiagnos(control As IRibbonControl)
    Diagnos
End Sub
