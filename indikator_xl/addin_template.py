"""Prepare the IndikatorXL add-in from xlwings' BSD-licensed ribbon add-in template.

What can be done honestly without Excel is done here, at zip level: the ribbon
(`customUI/customUI.xml`) is replaced, the configuration sheet is renamed and filled in.
Every other part — above all `xl/vbaProject.bin` and the package relationships that tie
the ribbon to the workbook — is copied byte for byte. openpyxl cannot be used: it refuses
`.xlam` files, and would rewrite the workbook's content type if forced.

The VBA cannot be edited outside Excel, so the button macros (`vba_stubs/IndikatorXL.bas`)
are imported once in Excel afterwards; docs/excel.md lists the steps.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
CUSTOM_UI = "customUI/customUI.xml"
WORKBOOK = "xl/workbook.xml"
CONFIG_SHEET_PART = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
TEMPLATE_CONFIG_SHEET = "_myaddin.conf"
PROJECT_NAME = "indikatorxl"


def template_path() -> Path:
    """The ribbon add-in template inside the installed xlwings (outside xlwings/pro)."""
    import xlwings

    return Path(xlwings.__file__).parent / TEMPLATE_NAME


def read_conf_file(path: Path) -> dict[str, str]:
    """Key/value pairs of an xlwings .conf file (`"KEY","value"` per line)."""
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        m = re.fullmatch(r'\s*"([^"]*)"\s*,\s*"([^"]*)"\s*', line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def _config_rows(zf: zipfile.ZipFile) -> dict[str, int]:
    """Config key (upper case) → its row on the template's config sheet."""
    strings = re.findall(r"<t[^>]*>([^<]*)</t>", zf.read(SHARED_STRINGS).decode("utf-8"))
    sheet = zf.read(CONFIG_SHEET_PART).decode("utf-8")
    return {strings[int(idx)].upper(): int(row) for row, idx in
            re.findall(r'<c r="A(\d+)"[^>]*t="s"[^>]*><v>(\d+)</v></c>', sheet)}


_ROW = re.compile(r'<row r="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(r'<c r="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', re.S)


def _text_cell(ref: str, value: str) -> str:
    if value.lower() in ("true", "false"):
        return f'<c r="{ref}" s="1" t="b"><v>{int(value.lower() == "true")}</v></c>'
    return f'<c r="{ref}" s="1" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def _fill_config(sheet: str, rows: Mapping[str, int], values: Mapping[str, str]) -> str:
    """Set column B of each key's row; keys the template lacks get the next rows (the
    add-in reads keys from A1 down to the first blank)."""
    m = re.search(r"<sheetData>(.*)</sheetData>", sheet, re.S)
    if m is None:
        raise ValueError("the template's config sheet has no sheetData")
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
    last = max(cells)
    sheet = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:B{last}" />', sheet)
    return sheet[:m.start()] + f"<sheetData>{body}</sheetData>" + sheet[m.end():]


def prepare_addin(out: Path, custom_ui: str, config: Mapping[str, str],
                  template: Path | None = None, project_name: str = PROJECT_NAME) -> Path:
    """Write the prepared add-in to `out` (the ribbon and the config sheet filled in)."""
    template = template or template_path()
    with zipfile.ZipFile(template) as src:
        names = [i.filename for i in src.infolist()]
        for part in (CUSTOM_UI, WORKBOOK, CONFIG_SHEET_PART, SHARED_STRINGS):
            if part not in names:
                raise ValueError(f"{template.name} has no {part}; not the ribbon template")
        workbook = src.read(WORKBOOK).decode("utf-8")
        if f'name="{TEMPLATE_CONFIG_SHEET}"' not in workbook:
            raise ValueError(f"{template.name} has no sheet {TEMPLATE_CONFIG_SHEET}")
        replaced = {
            CUSTOM_UI: custom_ui.encode("utf-8"),
            WORKBOOK: workbook.replace(f'name="{TEMPLATE_CONFIG_SHEET}"',
                                       f'name="{project_name}.conf"').encode("utf-8"),
            CONFIG_SHEET_PART: _fill_config(src.read(CONFIG_SHEET_PART).decode("utf-8"),
                                            _config_rows(src), config).encode("utf-8"),
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                data = replaced.get(info.filename)
                if data is None:
                    dst.writestr(info, src.read(info.filename))
                else:
                    dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out
