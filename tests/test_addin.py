"""The built add-in, read back by oletools' olevba: modules, ribbon, configuration."""

from __future__ import annotations

import hashlib
import re
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
import xlwings

from indikator_xl import excel
from indikator_xl.addin import build as addin_build
from indikator_xl.addin.build import (
    BUTTON_MODULE,
    PROJECT_NAME,
    SHIPPED,
    VBA_DIR,
    buttons_module,
    check_ribbon,
    ribbon_buttons,
    run_python_calls,
    template_path,
    vba_subs,
)
from indikator_xl.addin.config_sheet import read_conf_file
from indikator_xl.addin.udf_wrapper import WRAPPER_MODULE, wrapped_functions, wrapper_source
from indikator_xl.addin.vba_project import VbaProject
from indikator_xl.cli import run
from indikator_xl.diagnos import vba_xlwings_versions
from indikator_xl.reader import read_workbook

with warnings.catch_warnings():  # oletools uses deprecated pyparsing names
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

TEMPLATE_MODULES = ["ThisWorkbook", "Dictionary", "RibbonMyAddin", "Sheet2", "xlwings"]


@pytest.fixture(scope="session")
def addin(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("addin") / "IndikatorXL.xlam"
    assert run(["tillagg", "bygg", "-o", str(out)]) == 0
    return out


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def _olevba_modules(path: Path) -> tuple[dict[str, str], bool]:
    """Module name → source as olevba decodes it, and olevba's p-code/source verdict
    (which it can only give on the vbaProject.bin as a file of its own)."""
    parser = VBA_Parser(str(path))
    try:
        found = {name.rsplit(".", 1)[0]: code
                 for _f, _s, name, code in parser.extract_all_macros()}
    finally:
        parser.close()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "vbaProject.bin"
        project.write_bytes(_parts(path)["xl/vbaProject.bin"])
        parser = VBA_Parser(str(project))
        try:
            stomped = parser.detect_vba_stomping()
        finally:
            parser.close()
    return found, stomped


def _template_sources() -> dict[str, str]:
    return _olevba_modules(template_path())[0]


def test_shipped_addin_equals_a_fresh_build(addin):
    assert SHIPPED.read_bytes() == addin.read_bytes(), \
        "run: indikator-xl tillagg bygg -o indikator_xl/addin/IndikatorXL.xlam"


def test_the_build_is_reproducible_to_the_byte(addin, tmp_path):
    again = tmp_path / "igen.xlam"
    assert run(["tillagg", "bygg", "-o", str(again)]) == 0
    assert hashlib.sha256(again.read_bytes()).hexdigest() == \
        hashlib.sha256(addin.read_bytes()).hexdigest()
    with zipfile.ZipFile(again) as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_olevba_reads_every_module_with_the_source_that_went_in(addin):
    modules, stomped = _olevba_modules(addin)
    assert list(modules) == [*TEMPLATE_MODULES, BUTTON_MODULE, WRAPPER_MODULE]
    assert not stomped
    template = _template_sources()
    for name in TEMPLATE_MODULES:
        if name != "xlwings":
            assert modules[name] == template[name], name
    assert modules["xlwings"] == template["xlwings"].replace(
        'PROJECT_NAME As String = "myaddin"', f'PROJECT_NAME As String = "{PROJECT_NAME}"')
    assert modules[BUTTON_MODULE] == buttons_module()
    assert modules[WRAPPER_MODULE] == wrapper_source()


def test_template_module_streams_are_kept_byte_for_byte(addin):
    built = VbaProject(_parts(addin)["xl/vbaProject.bin"])
    template = VbaProject(_parts(template_path())["xl/vbaProject.bin"])
    for name in TEMPLATE_MODULES:
        if name != "xlwings":
            assert built.module_stream(name) == template.module_stream(name), name
    parts, before = _parts(addin), _parts(template_path())
    assert set(parts) == set(before)
    changed = {n for n in parts if parts[n] != before[n]}
    assert changed == {"customUI/customUI.xml", "xl/workbook.xml",
                       "xl/worksheets/sheet1.xml", "xl/vbaProject.bin"}


def test_project_name_matches_the_configuration_sheet(addin):
    modules, _ = _olevba_modules(addin)
    name, = re.findall(r'PROJECT_NAME As String = "([^"]*)"', modules["xlwings"])
    sheet, = read_workbook(addin).sheets.values()
    assert sheet.name == f"{name}.conf" == "indikatorxl.conf"


def test_vba_xlwings_version_is_the_pinned_one(addin):
    assert vba_xlwings_versions(addin) == {xlwings.__version__}


def test_diagnos_reports_the_built_addin_healthy(addin, capsys):
    assert run(["diagnos", str(addin)]) == 0
    out = capsys.readouterr().out
    assert f"OK      Arbetsbok: IndikatorXL.xlam: xlwings {xlwings.__version__}." in out


def test_every_ribbon_button_calls_an_existing_ribbon_sub(addin):
    cui = _parts(addin)["customUI/customUI.xml"].decode("utf-8")
    assert 'label="Indikatorer"' in cui
    buttons = ribbon_buttons(cui)
    labels = {b.label for b in buttons}
    assert {"Beräkna", "Validera", "Rapport", "Sammanställ", "Diagnos"} <= labels
    subs = vba_subs(_olevba_modules(addin)[0][BUTTON_MODULE])
    for b in buttons:
        assert b.module == BUTTON_MODULE, b
        assert subs[b.sub] == "control As IRibbonControl", b


def test_every_run_python_names_an_existing_python_function(addin):
    import importlib

    source = _olevba_modules(addin)[0][BUTTON_MODULE]
    calls = run_python_calls(source)
    assert ("indikator_xl.excel", "berakna") in calls
    assert len(calls) == source.count('RunPython "')  # every call has the checked form
    for module, func in calls:
        assert callable(getattr(importlib.import_module(module), func)), (module, func)
    assert callable(excel.diagnos)


def test_wrapper_has_every_worksheet_function():
    from indikator_xl import udfs

    names = wrapped_functions(wrapper_source())
    assert names == ["ANTALSVAR", "KLARTPOSITIV", "NEGATIV", "NYCKELTAL", "POSITIV",
                     "RIKSSNITT", "SIGNIFIKANS", "VARKEN_ELLER"]
    for name in names:
        assert callable(getattr(udfs, name))
    assert 'XLPy.CallUDF("indikator_xl.udfs", "KLARTPOSITIV", Array(omrade), ' \
           "ActiveWorkbook, Application.Caller)" in wrapper_source()
    assert "Function SIGNIFIKANS(omrade1, omrade2, Optional kategori)" in wrapper_source()


def test_configuration_sheet_holds_the_conf_file(addin):
    conf = read_conf_file((VBA_DIR / "xlwings.conf").read_text(encoding="ascii"))
    sheet, = read_workbook(addin).sheets.values()
    rows = sheet.rows
    # The add-in reads keys from A1 down to the first blank cell in column A.
    keys = [r[0] for r in rows[:next(i for i, r in enumerate(rows + [[]]) if not r)]]
    read = {k.upper(): (r[1] if len(r) > 1 else None)
            for k, r in zip(keys, rows, strict=False)}
    for k, v in conf.items():
        assert read[k.upper()] == {"true": True, "false": False}.get(v.lower(), v), k
    assert conf["UDF MODULES"] == "indikator_xl.udfs"


def test_conf_file_is_ascii_with_quoted_pairs():
    raw = (VBA_DIR / "xlwings.conf").read_bytes()
    assert raw.isascii()
    assert all(re.fullmatch(r'"[A-Z_ ]+","[^"]*"', line) for line in raw.decode().splitlines())


def test_notice_keeps_the_xlwings_licence():
    notice = (VBA_DIR / "NOTICE.md").read_text(encoding="utf-8")
    assert "Copyright (C) 2014 - present, Zoomer Analytics GmbH." in notice
    assert "Redistributions in binary form must reproduce the above copyright notice" in notice
    assert "MIT" in notice


def test_a_ribbon_button_without_its_sub_is_refused():
    cui = (VBA_DIR / "customUI.xml").read_text(encoding="utf-8")
    extra = cui.replace("</group>", '<button id="x" label="Utskrift" '
                                    'onAction="IndikatorXL.RibbonUtskrift" /></group>', 1)
    with pytest.raises(addin_build.AddinError, match="RibbonUtskrift"):
        check_ribbon(extra, buttons_module())
    bas = buttons_module() + "Public Sub RibbonUtskrift(control As IRibbonControl)\r\n" \
                             "End Sub\r\n"
    assert "RibbonUtskrift" in [b.sub for b in check_ribbon(extra, bas)]


def _bygg(tmp_path: Path, *extra: str) -> tuple[int, Path]:
    out = tmp_path / "IndikatorXL.xlam"
    return run(["tillagg", "bygg", "-o", str(out), *extra]), out


def _vba_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "vba"
    folder.mkdir()
    for p in VBA_DIR.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    return folder


@pytest.mark.parametrize("case", ["missing", "not a zip", "no vba project",
                                  "damaged vba project"])
def test_a_bad_template_gives_one_swedish_line(tmp_path, capsys, case):
    template = tmp_path / "mall.xlam"
    parts = _parts(template_path())
    if case == "not a zip":
        template.write_text("inte en zip")
    elif case == "no vba project":
        del parts["xl/vbaProject.bin"]
    elif case == "damaged vba project":
        parts["xl/vbaProject.bin"] = parts["xl/vbaProject.bin"][:2000]
    if case in ("no vba project", "damaged vba project"):
        with zipfile.ZipFile(template, "w") as zf:
            for name, data in parts.items():
                zf.writestr(name, data)
    out = tmp_path / "IndikatorXL.xlam"
    out.write_bytes(b"tidigare")
    code = run(["tillagg", "bygg", "-o", str(out), "--mall", str(template)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err and "mall.xlam" in err
    assert out.read_bytes() == b"tidigare"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("case", ["no bas", "bas without name", "bad xml", "missing sub",
                                  "no conf", "not ascii"])
def test_bad_vba_sources_give_one_swedish_line(tmp_path, capsys, case):
    folder = _vba_copy(tmp_path)
    bas, cui = folder / "IndikatorXL.bas", folder / "customUI.xml"
    if case == "no bas":
        bas.unlink()
    elif case == "bas without name":
        bas.write_text(bas.read_text().split("\n", 1)[1])
    elif case == "bad xml":
        cui.write_text(cui.read_text()[:-30])
    elif case == "missing sub":
        bas.write_text(bas.read_text().replace("RibbonDiagnos", "RibbonDiagnoz"))
    elif case == "no conf":
        (folder / "xlwings.conf").unlink()
    elif case == "not ascii":
        bas.write_text(bas.read_text() + "' Beräkna\n", encoding="utf-8")
    code, out = _bygg(tmp_path, "--vba", str(folder))
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()
