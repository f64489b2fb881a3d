"""Excel tables of the sheet model: their names, and one table per question.

Every `sheetmodel.Table` is drawn as an Excel table named `excel_table_name(sheet,
table)`. `split_at_headings` turns a table with heading rows (a question line, an
indicator line) into one table per heading, as accessible spreadsheets want.
"""

from __future__ import annotations

import re

from indikator_xl.sheets.sheetmodel import Row, Table

_NAME_CHARS = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O",
                             "é": "e", "É": "E"})


def excel_table_name(sheet: str, table: str) -> str:
    """The Excel table's name: the sheet's and the table's, as letters, digits and "_"
    (unique in the workbook because sheet names are, never read as a cell reference)."""
    raw = f"{sheet}_{table}".translate(_NAME_CHARS)
    name = re.sub(r"[^A-Za-z0-9_]+", "_", raw).strip("_")
    return ("T_" + name)[:250]


def split_at_headings(table: Table) -> tuple[Table, ...]:
    """One table per heading/subheading row (e.g. one per question), each titled by the
    table's title and the heading's text and named `name_1`, `name_2`, …; the notes go
    with the last. A table without heading rows is returned as it is."""
    sections: list[tuple[str, list[Row]]] = []
    for row in table.rows:
        if row.style in ("heading", "subheading"):
            label = row.cells[0].value if row.cells else ""
            sections.append(("" if label is None else str(label), []))
        elif sections:
            sections[-1][1].append(row)
        else:
            sections.append(("", [row]))
    if len(sections) <= 1 and not any(r.style in ("heading", "subheading")
                                      for r in table.rows):
        return (table,)
    out = []
    for k, (label, rows) in enumerate(sections, start=1):
        title = " ".join(t for t in (table.title, label) if t) or None
        last = k == len(sections)
        out.append(Table(f"{table.name}_{k}", table.columns, tuple(rows), title=title,
                         notes=table.notes if last else ()))
    return tuple(out)
