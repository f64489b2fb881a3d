"""The add-in's configuration sheet (`indikatorxl.conf`): keys in column A from A1 down to
the first blank cell, values in column B, as xlwings' `GetConfigFromSheet` reads them.

Works on the sheet's XML text: keys may be shared strings (xlwings' template) or inline
strings (keys we added); values are written as inline strings or booleans.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.sax.saxutils import escape, unescape

_ROW = re.compile(r'<row r="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(r'<c r="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', re.S)
_SHARED_KEY = re.compile(r'<c r="A(\d+)"[^>]*t="s"[^>]*><v>(\d+)</v></c>')
_INLINE_KEY = re.compile(r'<c r="A(\d+)"[^>]*t="inlineStr"[^>]*><is><t>([^<]*)</t></is></c>')


def read_conf_file(text: str) -> dict[str, str]:
    """Key/value pairs of an xlwings .conf file (`"KEY","value"` per line)."""
    out = {}
    for line in text.splitlines():
        m = re.fullmatch(r'\s*"([^"]*)"\s*,\s*"([^"]*)"\s*', line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def key_rows(sheet: str, shared_strings: str) -> dict[str, int]:
    """Config key (upper case) → its row."""
    strings = re.findall(r"<t[^>]*>([^<]*)</t>", shared_strings)
    rows = {strings[int(i)].upper(): int(r) for r, i in _SHARED_KEY.findall(sheet)
            if int(i) < len(strings)}
    rows.update({key.upper(): int(r) for r, key in _INLINE_KEY.findall(sheet)})
    return rows


def _text_cell(ref: str, value: str) -> str:
    if value.lower() in ("true", "false"):
        return f'<c r="{ref}" s="1" t="b"><v>{int(value.lower() == "true")}</v></c>'
    return f'<c r="{ref}" s="1" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def fill(sheet: str, shared_strings: str, values: Mapping[str, str]) -> str:
    """The sheet with column B of each key's row set; keys it lacks get the next rows."""
    m = re.search(r"<sheetData>(.*)</sheetData>", sheet, re.S)
    if m is None:
        raise ValueError("the configuration sheet has no sheetData")
    rows = key_rows(sheet, shared_strings)
    cells: dict[int, dict[str, str]] = {}
    for r, body in _ROW.findall(m.group(1)):
        cells[int(r)] = {c.group(1): c.group(0) for c in _CELL.finditer(body or "")}
    next_row = max(rows.values(), default=0) + 1
    for k, value in values.items():
        row = rows.get(k.upper())
        if row is None:
            row, next_row = next_row, next_row + 1
            cells.setdefault(row, {})["A"] = _text_cell(f"A{row}", k)
        cells.setdefault(row, {})["B"] = _text_cell(f"B{row}", value)
    body = "".join(
        f'<row r="{r}">' + "".join(cells[r][c] for c in sorted(cells[r])) + "</row>"
        for r in sorted(cells))
    sheet = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:B{max(cells)}" />',
                   sheet)
    return sheet[:m.start()] + f"<sheetData>{body}</sheetData>" + sheet[m.end():]


def read_values(sheet: str, shared_strings: str) -> dict[str, str]:
    """Config key (upper case) → its value where the value is text (inline or shared)."""
    strings = re.findall(r"<t[^>]*>([^<]*)</t>", shared_strings)
    values: dict[int, str] = {}
    for m in re.finditer(r'<c r="B(\d+)"[^>]*t="inlineStr"[^>]*><is><t>([^<]*)</t>', sheet):
        values[int(m.group(1))] = unescape(m.group(2))
    for m in re.finditer(r'<c r="B(\d+)"[^>]*t="s"[^>]*><v>(\d+)</v>', sheet):
        if int(m.group(2)) < len(strings):
            values[int(m.group(1))] = unescape(strings[int(m.group(2))])
    return {k: values[r] for k, r in key_rows(sheet, shared_strings).items() if r in values}
