"""Damaged files: every command answers a broken workbook with one clear Swedish line and
exit 2 — no traceback — within bounded memory and time.

The mutations start from the real shipped example workbook: truncation, flipped bytes
inside the zip, corrupt XML in a valid zip, a zip bomb, password encryption (a real
encrypted file made with msoffcrypto-tool, which oletools already brings), a legacy .xls
signature, an empty file and a folder.
"""

from __future__ import annotations

import io
import random
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.xlsx_parts import rezip

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
MEMORY_LIMIT = 1536 * 1024 * 1024
TIME_LIMIT = 60


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indikator_xl.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=TIME_LIMIT,
                          preexec_fn=_limits)



def _bomb(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.startswith("xl/worksheets/sheet") and "sheet3" in info.filename:
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    head = src.read(info)[:-len(b"</worksheet>")]
                    fh.write(head)
                    chunk = b" " * (1 << 20)
                    for _ in range(300):  # 300 MB of white space, a few hundred KB packed
                        fh.write(chunk)
                    fh.write(b"</worksheet>")
            else:
                dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def _flip(data: bytes, seed: int) -> bytes:
    rng = random.Random(seed)
    buf = bytearray(data)
    for _ in range(8):
        pos = rng.randrange(100, len(buf) - 100)
        buf[pos] ^= 0xFF
    return bytes(buf)


def _encrypted(data: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("hemligt", out)
    return out.getvalue()


def _mutations() -> dict[str, bytes]:
    data = EXAMPLE.read_bytes()
    return {
        "trunkerad-10": data[: len(data) // 10],
        "trunkerad-50": data[: len(data) // 2],
        "trunkerad-99": data[:-40],
        "vänd-byte-1": _flip(data, 1),
        "vänd-byte-2": _flip(data, 2),
        "vänd-byte-3": _flip(data, 3),
        "trasig-xml-blad": rezip(data, lambda n, c: c[: len(c) // 2]
                                  if n == "xl/worksheets/sheet3.xml" else c),
        "trasig-xml-arbetsbok": rezip(data, lambda n, c: b"<workbook><sheets>"
                                       if n == "xl/workbook.xml" else c),
        "saknad-arbetsbok": rezip(data, lambda n, c: None if n == "xl/workbook.xml" else c),
        "zipbomb": _bomb(data),
        "krypterad": _encrypted(data),
        "xls-signatur": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096,
        "tom": b"",
        "text": "Det här är ingen arbetsbok.\n".encode(),
    }


MUTATIONS = _mutations()


def _assert_clear_refusal(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("indikator-xl: ")
    assert any(w in lines[0] for w in ("arbetsbok", "Arbetsbok", "filen", "Filen")), lines[0]


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize("command", ["validera", "berakna"])
def test_damaged_file_gets_one_swedish_line_and_exit_2(tmp_path, name, command):
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(MUTATIONS[name])
    proc = run_cli(command, str(path), cwd=tmp_path)
    _assert_clear_refusal(proc)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing written


def test_a_flipped_byte_that_still_reads_is_validated_not_refused(tmp_path):
    """Most flips break the zip; the ones that don't must still give a clean answer."""
    data = EXAMPLE.read_bytes()
    outcomes = set()
    for seed in range(20):
        path = tmp_path / f"f{seed}.xlsx"
        path.write_bytes(_flip(data, 100 + seed))
        proc = run_cli("validera", str(path), cwd=tmp_path)
        assert "Traceback" not in proc.stderr + proc.stdout
        assert proc.returncode in (0, 1, 2)
        outcomes.add(proc.returncode)
    assert 2 in outcomes


def test_a_folder_and_a_missing_file(tmp_path):
    _assert_clear_refusal(run_cli("validera", str(tmp_path), cwd=tmp_path))
    _assert_clear_refusal(run_cli("berakna", str(tmp_path / "saknas.xlsx"), cwd=tmp_path))


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_sammanstall_of_only_damaged_files_says_why_and_exits_2(tmp_path, name):
    folder = tmp_path / "inkommande"
    folder.mkdir()
    (folder / f"{name}.xlsx").write_bytes(MUTATIONS[name])
    proc = run_cli("sammanstall", str(folder), "-o", str(tmp_path / "ut.xlsx"), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert f"{name}.xlsx: Ingår inte" in proc.stdout + proc.stderr
    assert "Ingenting kunde sammanställas" in proc.stdout + proc.stderr
    assert not (tmp_path / "ut.xlsx").exists()
