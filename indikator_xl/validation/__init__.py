"""A registration workbook validated: group sheets, the Förbund sheet, the intake of a folder."""
