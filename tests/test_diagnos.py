"""The diagnos report and the xlwings version pin of everything VBA we ship."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import xlwings

from indikator_xl import diagnos
from indikator_xl.cli import run

ROOT = Path(__file__).resolve().parent.parent
XLWINGS_DIR = Path(xlwings.__file__).parent
RIBBON_ADDIN = XLWINGS_DIR / "quickstart_addin_ribbon.xlam"
VBA_SUFFIXES = (".xlsm", ".xlam", ".xlsb", ".xls")


def _pyproject_pin() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [re.fullmatch(r"xlwings==([\w.]+)", d) for d in data["project"]["dependencies"]]
    found = [m.group(1) for m in pins if m]
    assert len(found) == 1, "pyproject.toml must pin exactly one xlwings version"
    return found[0]


def test_installed_xlwings_is_the_pinned_one():
    assert xlwings.__version__ == _pyproject_pin() == diagnos.pinned_xlwings()


def test_vba_shipped_in_workbooks_declares_the_pinned_xlwings():
    pin = _pyproject_pin()
    checked = []
    for path in sorted((ROOT / "workbooks").iterdir()):
        if path.suffix.lower() in VBA_SUFFIXES:
            versions = diagnos.vba_xlwings_versions(path)
            assert versions <= {pin}, f"{path.name} declares xlwings {versions}, pin is {pin}"
            checked.append(path.name)
    for path in sorted((ROOT / "indikator_xl" / "addin" / "vba").glob("*.bas")):
        text = path.read_text(encoding="utf-8")
        declared = set(re.findall(r'XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"', text))
        assert declared <= {pin}, path.name


def test_olevba_reads_the_version_of_the_xlwings_template():
    assert diagnos.vba_xlwings_versions(RIBBON_ADDIN) == {xlwings.__version__}


def test_a_file_without_vba_has_no_version():
    assert diagnos.vba_xlwings_versions(ROOT / "workbooks" / "Registreringsfil_mall.xlsx") \
        == set()


def _by_subject(checks, subject):
    return [c for c in checks if c.subject == subject]


def test_linux_says_not_applicable():
    checks = diagnos.run_checks(platform="linux", env={})
    dll, = _by_subject(checks, "xlwings-DLL")
    addin, = _by_subject(checks, "Tillägg")
    assert dll.status == addin.status == diagnos.INFO
    assert "Ej tillämpligt" in dll.text and "Ej tillämpligt" in addin.text


def test_windows_finds_the_addin_and_its_version(tmp_path):
    xlstart = tmp_path / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True)
    shutil.copy(RIBBON_ADDIN, xlstart / "IndikatorXL.xlam")
    venv = tmp_path / "venv" / "Scripts"
    venv.mkdir(parents=True)
    (tmp_path / "venv" / f"xlwings64-{xlwings.__version__}.dll").write_bytes(b"")
    checks = diagnos.run_checks(platform="win32", env={"APPDATA": str(tmp_path)},
                                executable=str(venv / "pythonw.exe"))
    addin, = _by_subject(checks, "Tillägg")
    assert addin.status == diagnos.OK
    assert f"xlwings {xlwings.__version__}" in addin.text
    dll, = _by_subject(checks, "xlwings-DLL")
    assert dll.status == diagnos.OK


def test_windows_reports_a_version_mismatch_and_missing_pieces(tmp_path, monkeypatch):
    xlstart = tmp_path / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True)
    shutil.copy(RIBBON_ADDIN, xlstart / "annat.xlam")
    monkeypatch.setattr(diagnos, "installed_xlwings", lambda: "0.99.0")
    checks = diagnos.run_checks(platform="win32", env={"APPDATA": str(tmp_path)},
                                executable=str(tmp_path / "python.exe"))
    assert _by_subject(checks, "xlwings")[0].status == diagnos.FEL
    assert "xlwings==" in _by_subject(checks, "xlwings")[0].text
    assert _by_subject(checks, "xlwings-DLL")[0].status == diagnos.FEL
    missing, mismatch = _by_subject(checks, "Tillägg")
    assert missing.status == diagnos.VARNING and "IndikatorXL.xlam" in missing.text
    assert mismatch.status == diagnos.FEL
    assert xlwings.__version__ in mismatch.text and "0.99.0" in mismatch.text


def test_store_python_onedrive_and_mark_of_the_web(tmp_path):
    book = tmp_path / "OneDrive - Förbundet" / "Registreringsfil.xlsx"
    book.parent.mkdir()
    shutil.copy(ROOT / "workbooks" / "Registreringsfil_mall.xlsx", book)
    # NTFS keeps the Zone.Identifier stream at "<file>:Zone.Identifier"; elsewhere a file
    # of that name stands in for it.
    Path(f"{book}:Zone.Identifier").write_text("[ZoneTransfer]\nZoneId=3\n")
    store = r"C:\Users\a\AppData\Local\Microsoft\WindowsApps\python.exe"
    checks = diagnos.run_checks(book, platform="win32", env={}, executable=store)
    texts = " ".join(c.text for c in checks if c.status in (diagnos.FEL, diagnos.VARNING))
    assert "Microsoft Store" in texts
    assert "OneDrive" in texts
    assert "Mark of the Web" in texts


def test_report_lists_the_known_fixes_in_swedish():
    lines = diagnos.report_lines(diagnos.run_checks(platform="linux", env={}))
    text = "\n".join(lines)
    for needle in ("Could not activate Python COM server", "xlwings64-", diagnos.ASR_RULE,
                   "OneDrive", "Mark of the Web", "Avblockera"):
        assert needle in text


def test_cli_diagnos(capsys):
    code = run(["diagnos", str(ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx")])
    out = capsys.readouterr().out
    assert code == 0
    assert f"xlwings: {xlwings.__version__}" in out
    assert "Kända problem och lösningar" in out


def test_cli_diagnos_fails_on_a_mismatch(capsys, monkeypatch):
    monkeypatch.setattr(diagnos, "installed_xlwings", lambda: "0.1.0")
    assert run(["diagnos"]) == 1
    assert "FEL" in capsys.readouterr().out


def test_template_is_bsd_licensed_part_of_xlwings():
    # Only files outside xlwings/pro are BSD-3; the add-in template must be one of them.
    assert "pro" not in RIBBON_ADDIN.relative_to(XLWINGS_DIR).parts
