"""Installing the shipped add-in into folder trees laid out like Windows and a Mac."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings

from indikator_xl.addin import install as inst
from indikator_xl.addin.build import SHIPPED, AddinError
from indikator_xl.cli import run
from indikator_xl.reader import read_workbook


def _conf(path: Path) -> dict[str, object]:
    sheet, = read_workbook(path).sheets.values()
    return {r[0].upper(): (r[1] if len(r) > 1 else None) for r in sheet.rows if r}


def _windows(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "Roaming" / "Microsoft" / "Excel").mkdir(parents=True)
    return {"APPDATA": str(tmp_path / "Roaming")}


def _mac(tmp_path: Path) -> dict[str, str]:
    tmp_path.joinpath(*inst.MAC_OFFICE).mkdir(parents=True)
    return {"HOME": str(tmp_path)}


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_windows_install_sets_the_interpreter_and_uninstall_removes_it(tmp_path):
    env = _windows(tmp_path)
    venv = tmp_path / "venv" / "Scripts"
    venv.mkdir(parents=True)
    (venv / "python.exe").write_bytes(b"")
    (venv / "pythonw.exe").write_bytes(b"")
    before = _files(tmp_path)
    written = inst.install("win32", env, str(venv / "python.exe"))
    addin = tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "IndikatorXL.xlam"
    assert written == [addin]
    assert _files(tmp_path) - before == {addin}
    conf = _conf(addin)
    assert conf["INTERPRETER_WIN"] == str(venv / "pythonw.exe")
    assert conf["UDF MODULES"] == "indikator_xl.udfs"
    assert inst.INSTALLED_KEY not in conf  # nothing installed besides the add-in itself
    assert inst.uninstall("win32", env) == [addin]
    assert _files(tmp_path) == before


def test_mac_install_adds_the_applescript_and_uninstall_removes_both(tmp_path):
    env = _mac(tmp_path)
    written = inst.install("darwin", env, "/Users/a/.venv/bin/python")
    startup = tmp_path.joinpath(*inst.MAC_OFFICE, *inst.MAC_STARTUP)
    script = tmp_path.joinpath(*inst.MAC_SCRIPTS) / f"xlwings-{xlwings.__version__}.applescript"
    assert written == [script, startup / "IndikatorXL.xlam"]
    assert script.read_bytes() == (Path(xlwings.__file__).parent / script.name).read_bytes()
    conf = _conf(startup / "IndikatorXL.xlam")
    assert conf["INTERPRETER_MAC"] == "/Users/a/.venv/bin/python"
    assert conf[inst.INSTALLED_KEY] == str(script)
    assert set(inst.uninstall("darwin", env)) == set(written)
    assert not script.exists() and not (startup / "IndikatorXL.xlam").exists()


def test_mac_keeps_an_applescript_that_was_there_before(tmp_path):
    env = _mac(tmp_path)
    scripts = tmp_path.joinpath(*inst.MAC_SCRIPTS)
    scripts.mkdir(parents=True)
    script = scripts / f"xlwings-{xlwings.__version__}.applescript"
    script.write_text("från xlwings runpython install")
    assert len(inst.install("darwin", env, "/usr/bin/python3")) == 1
    inst.uninstall("darwin", env)
    assert script.read_text() == "från xlwings runpython install"


def test_installed_addin_differs_from_the_shipped_one_only_in_its_configuration(tmp_path):
    import zipfile

    env = _windows(tmp_path)
    addin, = inst.install("win32", env, r"C:\venv\Scripts\pythonw.exe")
    with zipfile.ZipFile(addin) as a, zipfile.ZipFile(SHIPPED) as b:
        diff = {n for n in a.namelist() if a.read(n) != b.read(n)}
        assert a.namelist() == b.namelist()
    assert diff == {"xl/worksheets/sheet1.xml"}


@pytest.mark.parametrize("platform,env", [("win32", {}), ("win32", {"APPDATA": "/nej"}),
                                          ("darwin", {"HOME": "/nej"}), ("linux", {})])
def test_no_excel_folder_is_a_refusal(platform, env):
    with pytest.raises(AddinError, match="Excel"):
        inst.target(platform, env)


def test_a_startup_folder_that_cannot_be_written_is_refused_cleanly(tmp_path):
    env = _windows(tmp_path)
    xlstart = tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    xlstart.write_text("en fil, ingen mapp")  # the add-in's parent is a regular file
    with pytest.raises(AddinError, match="kan inte skrivas"):
        inst.install("win32", env, "python.exe")
    assert xlstart.read_text() == "en fil, ingen mapp"


def _unprivileged() -> list[str] | None:
    """A command prefix under which folder permissions hold (root drops the capability
    to override them), or None when that is not possible here."""
    if sys.platform == "win32":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if setpriv else None


@pytest.mark.skipif(_unprivileged() is None, reason="folder permissions cannot be enforced")
def test_a_read_only_startup_folder_is_refused_without_a_half_written_file(tmp_path):
    env = _windows(tmp_path)
    xlstart = tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir()
    xlstart.chmod(0o555)
    code = ("import sys\n"
            "from indikator_xl.addin.install import install\n"
            "from indikator_xl.addin.build import AddinError\n"
            f"try: install('win32', {env!r}, 'python.exe')\n"
            "except AddinError as e: print(e); sys.exit(1)\n")
    try:
        done = subprocess.run([*(_unprivileged() or []), sys.executable, "-c", code],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 1, done.stderr
        assert "kan inte skrivas" in done.stdout and "ingenting installerades" in done.stdout
        assert done.stdout.count("\n") == 1
        assert list(xlstart.iterdir()) == []
    finally:
        xlstart.chmod(0o755)


def test_uninstall_without_an_install_is_a_refusal(tmp_path):
    with pytest.raises(AddinError, match="inte installerat"):
        inst.uninstall("win32", _windows(tmp_path))


def test_cli_install_and_uninstall(tmp_path, monkeypatch, capsys):
    env = _windows(tmp_path)
    monkeypatch.setattr(inst.sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", env["APPDATA"])
    assert run(["tillagg", "installera"]) == 0
    out = capsys.readouterr().out
    assert "XLSTART" in out and "Starta om Excel" in out
    assert run(["tillagg", "avinstallera"]) == 0
    assert run(["tillagg", "avinstallera"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "inte installerat" in err


def test_diagnos_checks_the_python_the_installed_addin_starts(tmp_path):
    from indikator_xl import diagnos

    env = _windows(tmp_path)
    venv = tmp_path / "venv" / "Scripts"
    venv.mkdir(parents=True)
    (venv / "pythonw.exe").write_bytes(b"")
    inst.install("win32", env, str(venv / "pythonw.exe"))
    checks = diagnos.run_checks(platform="win32", env=env, executable=str(venv / "python.exe"))
    found, = [c for c in checks if c.subject == "Tilläggets Python"]
    assert found.status == diagnos.OK and str(venv / "pythonw.exe") in found.text
    (venv / "pythonw.exe").unlink()
    checks = diagnos.run_checks(platform="win32", env=env, executable=str(venv / "python.exe"))
    found, = [c for c in checks if c.subject == "Tilläggets Python"]
    assert found.status == diagnos.FEL and "tillagg installera" in found.text
