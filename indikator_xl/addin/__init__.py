"""The Excel add-in IndikatorXL.xlam: built from source, shipped, installed.

- `ovba_compression`: the compression of VBA streams ([MS-OVBA] §2.4.1).
- `compound_file`: the compound-file container of vbaProject.bin ([MS-CFB]).
- `vba_project`: the dir, PROJECT and PROJECTwm streams and the module streams.
- `udf_wrapper`: the worksheet-function module, by xlwings' own generator.
- `config_sheet`: the add-in's `indikatorxl.conf` sheet.
- `build`: the add-in from xlwings' ribbon template and `vba/` (`tillagg bygg`).
- `install`: Excel's start-up folder (`tillagg installera`, `tillagg avinstallera`).
- `commands`: the `tillagg` subcommands.

`IndikatorXL.xlam` beside this file is the shipped build; a test keeps it equal to a
fresh build.
"""
