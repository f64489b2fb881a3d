"""Build real registration workbooks in tests, with openpyxl, from plain Python rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import CellError


class Formula(str):
    """A formula to write as such (openpyxl stores it without a cached value)."""


def header(group: str) -> list[str]:
    g = ins.GROUPS_BY_NAME[group]
    return [ins.ID_COLUMN, *(b.value for b in g.background), *(q.column for q in g.questions)]


def forbund_rows(name: Any = "Testförbundet", period: Any = 2023, **extra: Any) -> list[list]:
    rows = [[ins.KEY_NAME, name], [ins.KEY_PERIOD, period]]
    rows += [[k, v] for k, v in extra.items()]
    return rows


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write `sheets` (name → rows) to `path`; CellError values become error cells,
    Formula values formulas, all other str values literal text."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is None:
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, CellError):
                    cell.data_type = "e"
                elif isinstance(value, Formula):
                    cell.data_type = "f"
                elif isinstance(value, str):
                    cell.data_type = "s"
    wb.save(path)
    return path


def earlier_period(src: Path, dst: Path, period: int = 2022) -> Path:
    """A copy of the registration `src` whose Förbund sheet says mätperiod `period`."""
    wb = openpyxl.load_workbook(src)
    ws = wb[ins.SHEET_FORBUND]
    for row in ws.iter_rows():
        if isinstance(row[0].value, str) and row[0].value.strip() == ins.KEY_PERIOD:
            row[1].value = period
    wb.save(dst)
    return dst


def registration(path: Path, groups: dict[str, list[list[Any]]] | None = None,
                 forbund: list[list[Any]] | None = None,
                 populations: list[list[Any]] | tuple | None = (),
                 extra: dict[str, list[list[Any]]] | None = None) -> Path:
    """A registration workbook: Förbund + Populationer + group sheets given as data rows
    (a group's rows get the standard header unless the first row starts with Löpnummer).
    `populations=None` leaves out the Populationer sheet; the default is its header only."""
    sheets: dict[str, list[list[Any]]] = {}
    sheets[ins.SHEET_FORBUND] = forbund if forbund is not None else forbund_rows()
    if populations is not None:
        sheets[ins.SHEET_POPULATIONER] = [list(ins.POPULATION_HEADERS), *list(populations)]
    for name, rows in (groups or {}).items():
        if rows and any(isinstance(v, str) and v.strip().casefold() == "löpnummer"
                        for v in rows[0]):
            sheets[name] = rows
        else:
            base = name.strip()
            real = next(g.name for g in ins.GROUPS if g.name.casefold() == base.casefold())
            sheets[name] = [header(real), *rows]
    sheets.update(extra or {})
    return write_workbook(path, sheets)


# A deliberately dirty Deltagare avslut sheet (columns as `header`): 16 valid answer cells,
# counted by hand per row as 6 + 1 + 7 + 2; every other filled answer cell is a problem.
DIRTY_AVSLUT_ROWS: list[list[Any]] = [
    [1, "K", "T", 4, "x", 7, CellError("#N/A"), "Delvis", 2, 3, "Ja", 5, 9],
    [2, "Q", "T", None, None, None, None, None, None, None, "Nej", 4, "Alltid"],
    [1, "M", "T", 6, 6, 6, 6, 6, 6, 6, 6, 6, 6],
    [4, None, None, True, datetime(2020, 1, 1), Formula("=2"), "5", 5.0, 2.5, 0, None,
     None, None],
]
DIRTY_AVSLUT_VALID = 6 + 1 + 7 + 2


def many_problems(path: Path, rows: int, *, valid_every: int = 0) -> Path:
    """A registration whose Deltagare avslut sheet has `rows` questionnaires with every
    answer invalid (out of scale or unknown text): about 11 problems per row. With
    `valid_every` = k, every k-th row instead has valid answers (so the workbook can be
    calculated). Written as raw sheet XML, so 100 000 rows take seconds, not minutes."""
    from xml.sax.saxutils import escape

    from tests.xlsx_parts import sheet_xml

    def cell(ref: str, value: Any) -> str:
        if isinstance(value, str):
            return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'

    def row_xml(r: int, values: list[Any]) -> str:
        cells = "".join(cell(f"{_letters(c)}{r}", v) for c, v in enumerate(values, 1)
                        if v is not None)
        return f'<row r="{r}">{cells}</row>'

    from tests.xlsx_parts import package

    group = ins.GROUPS_BY_NAME[ins.DELTAGARE_AVSLUT]
    head = header(group.name)
    invalid = [7 if q % 2 else "x" for q in range(len(group.questions))]
    valid = ["Ja" if q.scale.is_yes_no else 4 for q in group.questions]
    body = [row_xml(1, head)]
    for n in range(1, rows + 1):
        ok = valid_every and n % valid_every == 0
        body.append(row_xml(n + 1, [n, "Kvinna", "Steg 1", *(valid if ok else invalid)]))
    forbund = "".join(row_xml(r, v) for r, v in enumerate(forbund_rows(), 1))
    pops = "".join(row_xml(r, v) for r, v in enumerate(
        [list(ins.POPULATION_HEADERS), [group.name, None, rows * 2, rows]], 1))
    return package(path, {ins.SHEET_FORBUND: sheet_xml(forbund),
                          ins.SHEET_POPULATIONER: sheet_xml(pops),
                          group.name: sheet_xml("".join(body))})


def _letters(c: int) -> str:
    s = ""
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s
