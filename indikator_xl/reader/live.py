"""Read an open workbook through xlwings into a `RawWorkbook`.

One bulk read per sheet: the block from A1 to the last cell of the used range, with
`ndim=2` and `err_to_str=True`. Without `err_to_str` xlwings turns error cells (`#N/A`)
into None on every engine (`_xlwindows`, `_xlmac`, `pro/_xlremote`:
`_clean_value_data_element`), and an invalid answer would vanish. Windows only maps the
seven classic errors to text; newer ones (`#SPILL!`, `#CALC!` …) arrive as the raw COM
error code, an int, which is mapped here. Numbers arrive as floats (or ints from a JSON
client), dates as datetime, blanks as None — all of which `parse_registration` accepts.

A text cell that literally holds `#N/A` cannot be told from the error on these engines;
it is read as the error (both are invalid answers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import CellError, RawSheet, RawWorkbook
from indikator_xl.domain.text import key

# Excel's error values and their numbers (xlErr* constants; COM adds 0x800A0000).
EXCEL_ERRORS: dict[int, str] = {
    2000: "#NULL!",
    2007: "#DIV/0!",
    2015: "#VALUE!",
    2023: "#REF!",
    2029: "#NAME?",
    2036: "#NUM!",
    2042: "#N/A",
    2043: "#GETTING_DATA",
    2045: "#SPILL!",
    2046: "#CONNECT!",
    2047: "#BLOCKED!",
    2048: "#UNKNOWN!",
    2049: "#FIELD!",
    2050: "#CALC!",
    2051: "#BUSY!",
}
ERROR_TEXTS = frozenset({*EXCEL_ERRORS.values(), "#DATA!", "#PYTHON!", "#TIMEOUT!"})
_COM_ERROR_BASE = -2146828288  # 0x800A0000 as a signed 32-bit int


def cell_value(value: Any) -> Any:
    """One value as xlwings returns it (with err_to_str=True) → a RawSheet value."""
    if isinstance(value, str):
        return CellError(value) if value in ERROR_TEXTS else value
    if isinstance(value, int) and not isinstance(value, bool):
        code = value - _COM_ERROR_BASE
        if code in EXCEL_ERRORS:
            return CellError(EXCEL_ERRORS[code])
    return value


def _trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows without trailing blanks, as the file reader gives them (ragged)."""
    out = []
    for row in rows:
        row = [cell_value(v) for v in row]
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def read_sheet(sheet: Any) -> RawSheet:
    """All values of one xlwings sheet from A1 to the end of its used range."""
    last = sheet.used_range.last_cell
    block = sheet.range((1, 1), (last.row, last.column))
    rows = block.options(ndim=2, err_to_str=True).value
    return RawSheet(sheet.name, _trimmed(rows or []))


def registration_sheet(name: str) -> bool:
    """True for sheet names parse_registration may read (matched as it matches them)."""
    wanted = {key(n) for n in (*ins.GROUPS_BY_NAME, ins.SHEET_FORBUND,
                                 ins.SHEET_POPULATIONER)}
    return key(name) in wanted


def read_book(book: Any, want: Callable[[str], bool] | None = registration_sheet
              ) -> RawWorkbook:
    """Read the sheets of an xlwings Book whose names pass `want` (all if None).

    Only the registration sheets are read by default: the user's other sheets and
    earlier result sheets are neither needed nor touched.
    """
    sheets: Iterable[Any] = book.sheets
    out = {s.name: read_sheet(s) for s in sheets if want is None or want(s.name)}
    return RawWorkbook(out, source=book.name)
