"""The user's workbook is never touched by the command line, and result files are never
left half-written (issue 7 §4, CLI side; the Excel side is tested on the remote engine)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

from tests.builders import earlier_period

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "indikator_xl.cli", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _xlsm_with_vba(tmp_path: Path) -> Path:
    """The example as a macro workbook: the VBA project of xlwings' BSD quickstart."""
    import xlwings

    vba = zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart_standalone.xlsm").read(
        "xl/vbaProject.bin")
    wb = openpyxl.load_workbook(EXAMPLE)
    path = tmp_path / "Registrering.xlsm"
    wb.save(path)
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    parts["xl/vbaProject.bin"] = vba
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/'
        b'vnd.ms-office.vbaProject"/></Types>')
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", (
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
        b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>'))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


def test_berakna_and_validera_never_change_the_input(tmp_path):
    path = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, path)
    earlier = earlier_period(EXAMPLE, tmp_path / "Fjol.xlsx")
    before, mtime = sha(path), path.stat().st_mtime_ns
    for args in (["validera", str(path)], ["berakna", str(path)],
                 ["berakna", str(path), "--export", "ut.csv", "--foregaende", str(earlier)]):
        proc = cli(*args, cwd=tmp_path)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert sha(path) == before and path.stat().st_mtime_ns == mtime
    assert (tmp_path / f"{path.stem}_resultat.xlsx").exists()


def test_xlsm_input_keeps_its_vba_byte_for_byte(tmp_path):
    path = _xlsm_with_vba(tmp_path)
    vba_before = zipfile.ZipFile(path).read("xl/vbaProject.bin")
    before = sha(path)
    proc = cli("berakna", str(path), cwd=tmp_path)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert sha(path) == before
    assert zipfile.ZipFile(path).read("xl/vbaProject.bin") == vba_before
    result = tmp_path / "Registrering_resultat.xlsx"
    assert "xl/vbaProject.bin" not in zipfile.ZipFile(result).namelist()


def test_concurrent_runs_never_leave_a_half_written_result(tmp_path):
    path = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, path)
    procs = [cli("berakna", str(path), cwd=tmp_path) for _ in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    result = tmp_path / f"{path.stem}_resultat.xlsx"
    assert zipfile.ZipFile(result).testzip() is None
    wb = openpyxl.load_workbook(result)
    assert "Resultat" in wb.sheetnames and wb["Data"].max_row > 100
    leftovers = [p.name for p in tmp_path.iterdir()
                 if p.name not in (path.name, result.name)]
    assert leftovers == []
