"""The VBA stubs, the ribbon and the add-in prepared from xlwings' template."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xlwings

from indikator_xl import excel
from indikator_xl.addin_template import prepare_addin, read_conf_file, template_path
from indikator_xl.diagnos import vba_xlwings_versions
from indikator_xl.xlsx_reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
STUBS = ROOT / "vba_stubs"
CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
REPLACED = {"customUI/customUI.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"}


@pytest.fixture(scope="module")
def addin(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("addin") / "IndikatorXL.xlam"
    return prepare_addin(out, (STUBS / "customUI.xml").read_text(encoding="utf-8"),
                         read_conf_file(STUBS / "xlwings.conf"))


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def _bas_subs() -> dict[str, str]:
    text = (STUBS / "IndikatorXL.bas").read_text(encoding="utf-8")
    return dict(re.findall(r"Public Sub (\w+)\(([^)]*)\)", text))


def test_vba_project_and_relationships_are_byte_identical(addin):
    before, after = _parts(template_path()), _parts(addin)
    assert list(after) == list(before)
    for name, data in before.items():
        if name not in REPLACED:
            assert after[name] == data, name
    assert hashlib.sha256(after["xl/vbaProject.bin"]).digest() == \
        hashlib.sha256(before["xl/vbaProject.bin"]).digest()
    rels = ElementTree.fromstring(after["_rels/.rels"])
    ribbon = [r for r in rels if r.get("Type", "").endswith("/ui/extensibility")]
    assert [r.get("Target") for r in ribbon] == ["customUI/customUI.xml"]
    assert b"application/vnd.ms-excel.addin.macroEnabled.main+xml" in \
        after["[Content_Types].xml"]
    assert vba_xlwings_versions(addin) == {xlwings.__version__}


def test_ribbon_buttons_call_the_stub_macros(addin):
    root = ElementTree.fromstring(_parts(addin)["customUI/customUI.xml"])
    tab, = root.iter(f"{CUI}tab")
    assert tab.get("label") == "Indikatorer"
    buttons = {b.get("label"): b.get("onAction") for b in root.iter(f"{CUI}button")}
    subs = _bas_subs()
    assert set(buttons) == {"Beräkna", "Validera", "Sammanställ", "Diagnos"}
    for action in buttons.values():
        module, sub = action.split(".")
        assert module == "IndikatorXL"
        assert subs[sub] == "control As IRibbonControl"


def test_stub_macros_run_existing_python_entry_points():
    text = (STUBS / "IndikatorXL.bas").read_text(encoding="utf-8")
    calls = re.findall(r'RunPython "import indikator_xl\.excel as x; x\.(\w+)\(\)"', text)
    assert sorted(calls) == ["berakna", "diagnos", "sammanstall", "validera"]
    for name in calls:
        assert callable(getattr(excel, name))
    for sub in ("Berakna", "Validera", "Sammanstall", "Diagnos"):
        assert _bas_subs()[sub] == ""
    assert text.isascii()  # VBA modules are stored in the ANSI code page


def test_config_sheet_holds_the_conf_file(addin):
    conf = read_conf_file(STUBS / "xlwings.conf")
    sheet, = read_workbook(addin).sheets.values()
    assert sheet.name == "indikatorxl.conf"
    rows = sheet.rows
    # The add-in reads keys from A1 down to the first blank cell in column A.
    keys = [r[0] for r in rows[:next(i for i, r in enumerate(rows + [[]]) if not r)]]
    read = {k.upper(): (r[1] if len(r) > 1 else None) for k, r in zip(keys, rows,
                                                                       strict=False)}
    for k, v in conf.items():
        expected = {"true": True, "false": False}.get(v.lower(), v)
        assert read[k.upper()] == expected, k
    assert conf["UDF MODULES"] == "indikator_xl.udfs"
    assert conf["INTERPRETER_WIN"] == r"%LOCALAPPDATA%\indikator-xl\venv\Scripts\pythonw.exe"


def test_conf_file_is_ascii_with_quoted_pairs():
    raw = (STUBS / "xlwings.conf").read_bytes()
    assert raw.isascii()
    lines = raw.decode().splitlines()
    assert all(re.fullmatch(r'"[A-Z_ ]+","[^"]*"', line) for line in lines)


def test_notice_keeps_the_xlwings_licence():
    notice = (STUBS / "NOTICE.md").read_text(encoding="utf-8")
    assert "Copyright (C) 2014 - present, Zoomer Analytics GmbH." in notice
    assert "Redistributions in binary form must reproduce the above copyright notice" in notice
    assert "MIT" in notice
