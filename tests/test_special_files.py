"""Special files given as workbooks: a FIFO, a device, a folder named like a workbook, a
broken or looping link (issue 12, item 8). Only regular files are read; everything else is
refused at once with one Swedish line, and `sammanstall` names every entry it left out.

A FIFO that is opened the ordinary way blocks for ever, so the commands run in a
subprocess whose timeout is the hang guard.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
MEMORY_LIMIT = 1024 * 1024 * 1024


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    return subprocess.run([sys.executable, "-m", "indikator_xl.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, preexec_fn=limits)


def make(kind: str, path: Path) -> Path:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "mapp":
        path.mkdir()
    elif kind == "bruten-länk":
        path.symlink_to(path.with_name("finns-inte.xlsx"))
    elif kind == "länkslinga":
        path.symlink_to(path)
    elif kind == "enhet":
        path.symlink_to("/dev/zero")
    return path


KINDS = {"fifo": "ingen vanlig fil", "mapp": "är en mapp", "enhet": "ingen vanlig fil",
         "bruten-länk": "länk till en fil som inte finns", "länkslinga": "slinga"}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("command", ["validera", "berakna"])
def test_a_special_file_is_refused_at_once(tmp_path, kind, command):
    path = make(kind, tmp_path / f"{kind}.xlsx")
    proc = run_cli(command, str(path), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"indikator-xl: {path} är "), lines
    assert KINDS[kind] in lines[0]
    assert "Traceback" not in proc.stderr


def test_dev_zero_itself_is_refused(tmp_path):
    proc = run_cli("validera", "/dev/zero", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("indikator-xl: /dev/zero är ingen vanlig fil")


def test_sammanstall_names_every_entry_it_left_out(tmp_path):
    folder = tmp_path / "inlamnat"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "Forbund.xlsx")
    for kind in KINDS:
        make(kind, folder / f"{kind}.xlsx")
    proc = run_cli("sammanstall", str(folder), "-o", str(tmp_path / "N.xlsx"), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    for kind, why in KINDS.items():
        line = next(ln for ln in lines if ln.startswith(f"{kind}.xlsx: "))
        assert "Ingår inte: filen kan inte läsas." in line and why in line, line
    assert f"1 av {1 + len(KINDS)} filer ingår" in proc.stdout
    assert f"{len(KINDS)} filer ingår inte" in proc.stdout

    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "N.xlsx")["Inlämningar"]
    shown = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    for kind in KINDS:
        assert any(f"{kind}.xlsx" in v for v in shown), kind
