"""Build IndikatorXL.xlam from xlwings' ribbon add-in template and our VBA sources.

From the template (`quickstart_addin_ribbon.xlam`, BSD-licensed, outside `xlwings/pro`)
every part is kept except four: the ribbon (`customUI/customUI.xml`, ours), the workbook
part (the configuration sheet renamed `indikatorxl.conf`), the configuration sheet (filled
from `vba/xlwings.conf`) and `xl/vbaProject.bin`. In the VBA project every module of the
template keeps its stream byte for byte except `xlwings`, whose `PROJECT_NAME` becomes
`indikatorxl` (so the configuration sheet is found); two standard modules are added:
`IndikatorXL` (the buttons, `vba/IndikatorXL.bas`) and `xlwings_udfs` (the worksheet
functions, written by xlwings' own generator from `indikator_xl.udfs`).

The result is reproducible to the byte: zip entries sorted, stored uncompressed (so no
zlib version can change them), with a fixed date; the compound file has no timestamps.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from indikator_xl.addin import config_sheet
from indikator_xl.addin.compound_file import CompoundFileError
from indikator_xl.addin.ovba_compression import CompressionError
from indikator_xl.addin.udf_wrapper import WRAPPER_MODULE, wrapper_source
from indikator_xl.addin.vba_project import VbaProject, VbaProjectError

TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
ADDIN_NAME = "IndikatorXL.xlam"
PROJECT_NAME = "indikatorxl"
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
BUTTON_MODULE = "IndikatorXL"
VBA_DIR = Path(__file__).resolve().parent / "vba"
SHIPPED = Path(__file__).resolve().parent / ADDIN_NAME

CUSTOM_UI = "customUI/customUI.xml"
WORKBOOK = "xl/workbook.xml"
CONFIG_SHEET_PART = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
VBA_PART = "xl/vbaProject.bin"
TEMPLATE_CONFIG_SHEET = "_myaddin.conf"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
_PROJECT_NAME_LINE = re.compile(r'^(Public Const PROJECT_NAME As String = )"[^"]*"', re.M)
_SUB = re.compile(r"^(?:Public )?Sub (\w+)\(([^)]*)\)", re.M | re.I)
_RUN_PYTHON = re.compile(r'RunPython "import ([\w.]+) as (\w+); \2\.(\w+)\(\)"')


class AddinError(Exception):
    """The add-in cannot be built or installed; the message is one Swedish line."""


def template_path() -> Path:
    """The ribbon add-in template inside the installed xlwings."""
    import xlwings

    return Path(xlwings.__file__).parent / TEMPLATE_NAME


@dataclass(frozen=True)
class Button:
    """One ribbon button: its label and the `Module.Sub` its onAction calls."""

    label: str
    module: str
    sub: str


def ribbon_buttons(custom_ui: str) -> list[Button]:
    """The ribbon's buttons (raises ValueError when the XML is malformed)."""
    root = ElementTree.fromstring(custom_ui)
    out = []
    for b in root.iter(f"{_CUI}button"):
        module, _, sub = (b.get("onAction") or "").rpartition(".")
        out.append(Button(b.get("label") or "", module, sub))
    return out


def vba_subs(source: str) -> dict[str, str]:
    """Sub name → its parameter list, as written in a module's source."""
    return {name: params.strip() for name, params in _SUB.findall(source)}


def run_python_calls(source: str) -> list[tuple[str, str]]:
    """(Python module, function) of every `RunPython "import m as x; x.f()"` call."""
    return [(module, func) for module, _alias, func in _RUN_PYTHON.findall(source)]


def check_ribbon(custom_ui: str, buttons_source: str) -> list[Button]:
    """Every button calls `IndikatorXL.<Sub>` with a `(control As IRibbonControl)` Sub."""
    try:
        buttons = ribbon_buttons(custom_ui)
    except ElementTree.ParseError as exc:
        raise AddinError(f"customUI.xml är inte giltig XML ({exc}).") from None
    subs = vba_subs(buttons_source)
    for b in buttons:
        params = re.sub(r"\s+", " ", subs.get(b.sub, "")).lower()
        if b.module != BUTTON_MODULE or params not in ("control as iribboncontrol",
                                                       "byval control as iribboncontrol"):
            raise AddinError(f"knappen {b.label} anropar {b.module}.{b.sub}, men "
                             f"{BUTTON_MODULE}.bas har ingen Sub {b.sub}(control As "
                             "IRibbonControl).")
    return buttons


def _vba_text(text: str) -> str:
    """A module's source with CRLF line ends, ending in one line end."""
    return text.replace("\r\n", "\n").rstrip("\n").replace("\n", "\r\n") + "\r\n"


def _read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AddinError(f"{path} saknas.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AddinError(f"{path} kan inte läsas ({exc}).") from None


def buttons_module(vba_dir: Path = VBA_DIR) -> str:
    """The IndikatorXL module's source as it goes into the add-in."""
    path = vba_dir / f"{BUTTON_MODULE}.bas"
    text = _vba_text(_read_source(path))
    if not text.startswith(f'Attribute VB_Name = "{BUTTON_MODULE}"\r\n'):
        raise AddinError(f'{path} ska börja med Attribute VB_Name = "{BUTTON_MODULE}".')
    if not text.isascii():
        raise AddinError(f"{path} får bara innehålla ASCII-tecken (VBA lagrar koden i "
                         "Windows teckentabell).")
    return text


def _vba_project(template_bin: bytes, buttons: str, udfs: str) -> bytes:
    project = VbaProject(template_bin)
    if "xlwings" not in project.module_names():
        raise VbaProjectError("the template has no xlwings module")
    source, n = _PROJECT_NAME_LINE.subn(rf'\1"{PROJECT_NAME}"', project.source("xlwings"))
    if n != 1:
        raise VbaProjectError("the xlwings module has no single PROJECT_NAME line")
    project.set_source("xlwings", source)
    project.add_module(BUTTON_MODULE, buttons)
    project.add_module(WRAPPER_MODULE, udfs)
    return project.to_bytes()


def read_parts(path: Path, what: str) -> dict[str, bytes]:
    """Every part of a zip package (raises AddinError naming the file)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return {i.filename: zf.read(i) for i in zf.infolist()}
    except FileNotFoundError:
        raise AddinError(f"{what} {path} saknas.") from None
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise AddinError(f"{what} {path} är ingen giltig Excel-fil ({exc}).") from None


def package(parts: dict[str, bytes]) -> bytes:
    """A zip package with sorted, stored entries and fixed dates (reproducible)."""
    with tempfile.SpooledTemporaryFile() as buf:
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
            for name in sorted(parts):
                info = zipfile.ZipInfo(name, ZIP_DATE)
                info.create_system = 0
                info.external_attr = 0
                zf.writestr(info, parts[name])
        buf.seek(0)
        return buf.read()


def build(template: Path | None = None, vba_dir: Path = VBA_DIR) -> bytes:
    """The add-in's bytes (raises AddinError with a Swedish line)."""
    template = template or template_path()
    parts = read_parts(template, "Mallen")
    for part in (CUSTOM_UI, WORKBOOK, CONFIG_SHEET_PART, SHARED_STRINGS, VBA_PART):
        if part not in parts:
            raise AddinError(f"Mallen {template} saknar {part}; det är inte xlwings "
                             "menyfliksmall.")
    workbook = parts[WORKBOOK].decode("utf-8")
    if f'name="{TEMPLATE_CONFIG_SHEET}"' not in workbook:
        raise AddinError(f"Mallen {template} saknar bladet {TEMPLATE_CONFIG_SHEET}.")
    buttons = buttons_module(vba_dir)
    custom_ui = _read_source(vba_dir / "customUI.xml")
    check_ribbon(custom_ui, buttons)
    conf = config_sheet.read_conf_file(_read_source(vba_dir / "xlwings.conf"))
    if not conf:
        raise AddinError(f"{vba_dir / 'xlwings.conf'} har inga rader \"NYCKEL\",\"värde\".")
    try:
        vba = _vba_project(parts[VBA_PART], buttons, wrapper_source())
        sheet = config_sheet.fill(parts[CONFIG_SHEET_PART].decode("utf-8"),
                                  parts[SHARED_STRINGS].decode("utf-8"), conf)
    except (VbaProjectError, CompoundFileError, CompressionError, ValueError) as exc:
        raise AddinError(f"Mallen {template} kan inte användas: {exc}.") from None
    parts.update({
        CUSTOM_UI: custom_ui.encode("utf-8"),
        WORKBOOK: workbook.replace(f'name="{TEMPLATE_CONFIG_SHEET}"',
                                   f'name="{CONFIG_SHEET}"').encode("utf-8"),
        CONFIG_SHEET_PART: sheet.encode("utf-8"),
        VBA_PART: vba,
    })
    return package(parts)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
