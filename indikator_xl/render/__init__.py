"""Renderers: draw a sheet model into a file (XlsxWriter, openpyxl) or open workbook."""
