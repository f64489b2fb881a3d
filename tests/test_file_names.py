"""File names that are not valid UTF-8 (issue 12, item 15).

Linux allows any bytes in a name; Python gives the ones that are not UTF-8 as lone
surrogates, which no workbook, CSV or terminal can carry. Every place we write a name
shows such a byte as U+FFFD (`text.shown`), the run ends with its documented exit code,
and the workbook stays valid (openpyxl reads it back, LibreOffice opens it). The files
here are created for real, with bytes names.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indikator_xl.domain.text import REPLACEMENT, shown
from tests import libreoffice
from tests.builders import registration

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
NAME = b"F\xf6rbund 2023.xlsx"  # a Latin-1 ö: not UTF-8
SHOWN = "F\ufffdrbund 2023.xlsx"


def cli(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess:
    """The command line in a UTF-8 locale; its output must be valid UTF-8 (decoded
    strictly here)."""
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""}
    proc = subprocess.run([sys.executable, "-m", "indikator_xl.cli", *args], cwd=cwd,
                          capture_output=True, timeout=300, env=env)
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


def cells(path: Path | bytes) -> dict[str, list[str]]:
    """Every text cell of a workbook, per sheet (openpyxl must be able to read it)."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [v for row in ws.iter_rows(values_only=True) for v in row
                       if isinstance(v, str)] for ws in wb}


@given(st.binary(min_size=1, max_size=40))
def test_shown_turns_each_byte_that_is_not_utf8_into_one_replacement(raw):
    name = os.fsdecode(raw)
    text = shown(name)
    text.encode("utf-8")  # always encodable (raises otherwise)
    assert text == "".join(REPLACEMENT if "\udc80" <= c <= "\udcff" else c for c in name)
    assert shown(Path(name)) == shown(str(Path(name)))
    try:
        assert text == raw.decode("utf-8")
    except UnicodeDecodeError:
        assert REPLACEMENT in text and len(text.encode("utf-8")) <= 3 * len(raw)


def test_berakna_writes_the_name_with_a_replacement_character(tmp_path):
    shutil.copy(EXAMPLE, os.fsencode(tmp_path) + b"/" + NAME)
    proc = cli("berakna", NAME, "--export", b"ut\xff.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Resultattabellen skrevs till ut\ufffd.csv." in proc.stdout
    proc = cli("berakna", NAME, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"Resultatet skrevs till {SHOWN[:-5]}_resultat.xlsx." in proc.stdout
    result = os.fsdecode(os.fsencode(tmp_path) + b"/F\xf6rbund 2023_resultat.xlsx")
    text = cells(result)
    assert f"Valideringsfel – {SHOWN}" in text["Valideringsfel"]
    assert not any("\udcf6" in v for values in text.values() for v in values)
    with open(os.fsencode(tmp_path) + b"/ut\xff.csv", encoding="utf-8") as fh:
        assert next(csv.reader(fh))[0] == "forbund"


@pytest.mark.skipif(libreoffice.soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_result_of_a_badly_named_file(tmp_path):
    shutil.copy(EXAMPLE, os.fsencode(tmp_path) + b"/" + NAME)
    out = tmp_path / "resultat.xlsx"
    assert cli("berakna", NAME, "-o", str(out), cwd=tmp_path).returncode == 0
    pdf = libreoffice.convert(out, "pdf", tmp_path / "pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"Valideringsfel – {SHOWN}" in text


def test_validera_and_its_json_with_a_badly_named_file(tmp_path):
    path = registration(tmp_path / "tmp.xlsx", {"Deltagare avslut": [[1, "Kvinna", "A", 9]]})
    os.rename(path, os.fsencode(tmp_path) + b"/" + NAME)
    proc = cli("validera", NAME, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(f"{SHOWN}: Testförbundet")
    proc = cli("validera", "--json", NAME, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert [p["cell"] for p in json.loads(proc.stdout) if p["niva"] == "fel"] == ["D2"]
    proc = cli("validera", b"saknas\xff.xlsx", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "indikator-xl: Filen saknas\ufffd.xlsx finns inte.\n"


def test_sammanstall_lists_badly_named_files(tmp_path):
    folder = tmp_path / "inlamnat"
    folder.mkdir()
    shutil.copy(EXAMPLE, os.fsencode(folder) + b"/" + NAME)
    (Path(os.fsdecode(os.fsencode(folder) + b"/trasig\xe9.xlsx"))).write_bytes(b"inte zip")
    out = tmp_path / "N.xlsx"
    proc = cli("sammanstall", str(folder), "-o", str(out), "--export",
               str(tmp_path / "N.csv"), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "trasig\ufffd.xlsx: " in proc.stdout
    assert "1 av 2 filer ingår" in proc.stdout
    inlamningar = cells(out)["Inlämningar"]
    assert SHOWN in inlamningar and "trasig\ufffd.xlsx" in inlamningar
    (tmp_path / "N.csv").read_text(encoding="utf-8")
