"""Tokens to typed rows: the one conversion loop both tokenisers feed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from indikator_xl.domain.cells import NO_CACHE, CellError, RawSheet, column_letter
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.reader.dates import serial_to_datetime
from indikator_xl.reader.package import Limits, damaged

CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
MAX_COLUMN = 16384  # XFD
_COLUMNS: dict[str, int] = {column_letter(c): c for c in range(1, MAX_COLUMN + 1)}
_DIGITS = "0123456789"
_TYPED_KINDS = frozenset({"s", "str", "b", "e", "d"})  # and "inlineStr"; the rest are numbers


# One token of a sheet's cell data, as `_SCAN` finds it and `_tree_tokens` makes it:
# (row number of a <row> start, "/" if that row is empty, "</row>" at a row's end,
#  cell reference, style, type, "<v>" if the cell has a value ("<f>": only a formula),
#  value text, inline text, any other character). Unused places are "".
Token = tuple[Any, ...]


# ECMA-376 ST_Xstring: a character XML cannot carry is written `_xHHHH_` (UTF-16 code
# unit in hex), and a literal `_x` that looks like one has its `_` written `_x005F_`.
_XSTRING = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")


def unescape_xstring(text: str) -> str:
    """Text of a shared or inline string (or a formula's text result) as Excel shows it:
    each `_xHHHH_` decoded, left to right, so `_x005F_x0041_` is the literal `_x0041_`.
    Escaped UTF-16 surrogate pairs become their character; a lone one U+FFFD."""
    if "_x" not in text:
        return text
    text = _XSTRING.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


class NotPlainError(Exception):
    """The cell data holds something the scan does not read (the tree parser does)."""


def sheet_from_tokens(tokens: Iterable[Token], name: str, sst: list[str],
                       date_styles: frozenset[int], date1904: bool,
                       limits: Limits) -> RawSheet:
    """Rows of typed values from a sheet's tokens (see `Token`).

    Raises `NotPlainError` where the scan met something it does not read, or rows and cells
    that do not nest (the tree parser then reads the part, or reports it damaged).
    """
    rows: list[list[Any]] = []
    date_keys = frozenset(str(i) for i in date_styles)
    columns = _COLUMNS
    r = 0
    row: list[Any] | None = None
    for row_r, empty_row, row_end, ref, style, kind, vtag, text, inline, other in tokens:
        if ref == "":  # not a cell
            if row_end:
                if row is None:
                    raise NotPlainError
                _place_row(rows, r, row)
                row = None
            elif row_r != "":
                if row is not None:
                    raise NotPlainError
                if row_r is None:
                    r += 1
                else:
                    try:
                        r = int(row_r)
                    except ValueError:
                        raise damaged(f"ogiltigt radnummer {row_r} i bladet {name}") from None
                    if r < 1:
                        raise damaged(f"ogiltigt radnummer {row_r} i bladet {name}")
                if r > limits.max_rows:
                    raise WorkbookReadError(f"Bladet {name} har fler än {limits.max_rows:,} "
                                            "rader och läses inte.".replace(",", " "))
                row, col = [], 0
                if empty_row:
                    _place_row(rows, r, row)
                    row = None
            elif other:
                raise NotPlainError
            continue
        if row is None:
            raise NotPlainError
        if ref is None:
            col += 1
            if col > MAX_COLUMN:
                raise damaged(f"en cell i bladet {name} ligger bortom kolumn XFD")
        else:
            letters = ref.rstrip(_DIGITS)
            found = columns.get(letters) if len(letters) < len(ref) else None
            col = found if found is not None else _column_of(ref, name)
        value: Any
        if kind == "inlineStr":
            value = unescape_xstring(inline) if "_x" in inline else inline
        elif vtag == "<v>" and (text or kind == "str" or kind == "s"):
            if not kind or kind == "n" or kind not in _TYPED_KINDS:
                try:
                    value = int(text)
                except ValueError:
                    try:
                        value = float(text)
                    except ValueError:
                        value = text
                if date_keys and style and value.__class__ is not str and (
                        style in date_keys or (style[:1] == "0" and style.isdigit()
                                               and int(style) in date_styles)):
                    value = serial_to_datetime(float(value), date1904)
            elif kind == "s":
                try:
                    index = int(text)
                except ValueError:
                    index = -1
                if not 0 <= index < len(sst):  # sst[-1] would be another cell's text
                    raise WorkbookReadError(
                        f"Arbetsboken är skadad (en text i bladet {name} saknas).")
                value = sst[index]
            elif kind == "str":
                value = unescape_xstring(text) if "_x" in text else text
            elif kind == "b":
                value = text.strip() in ("1", "true")
            elif kind == "e":
                value = CellError(text)
            else:  # "d": an ISO 8601 date (strict files)
                try:
                    value = datetime.fromisoformat(text)
                except ValueError:
                    value = text
        elif vtag == "<f>":
            value = NO_CACHE  # a formula never calculated (openpyxl writes <v/>)
        else:
            continue  # a styled empty cell
        n = len(row)
        if col > n:
            if col - 1 > n:
                row.extend([None] * (col - 1 - n))
            row.append(value)
        else:
            row[col - 1] = value
    if row is not None:
        raise NotPlainError
    while rows and not rows[-1]:
        rows.pop()
    return RawSheet(name, rows)


def _place_row(rows: list[list[Any]], r: int, cells: list[Any]) -> None:
    """Put the cells of row number `r` (1-based) into `rows`."""
    n = len(rows)
    if r == n + 1:
        rows.append(cells)
    elif r > n:
        rows.extend([] for _ in range(r - 1 - n))
        rows.append(cells)
    else:  # a row number seen before: its cells join that row
        target = rows[r - 1]
        for c, value in enumerate(cells):
            if value is not None:
                if c >= len(target):
                    target.extend([None] * (c + 1 - len(target)))
                target[c] = value


def _column_of(ref: str, name: str) -> int:
    """The column of a cell reference written unusually (lower case); damaged if none."""
    m = CELL_REF.fullmatch(ref.upper())
    found = _COLUMNS.get(m.group(1)) if m else None
    if found is None:
        raise damaged(f"ogiltig celladress {ref} i bladet {name}")
    return found
