"""Names longer than MAX_NAME_LENGTH are an error at their cell (issue 12, item 10).

The förbund's name, an insats and a samverkansgrupp are carried into every row of the
CSVs and the result workbook; one cell of 2 MB must not become hundreds of megabytes.
The output size is bounded by RLIMIT_FSIZE on a subprocess (the kernel refuses a larger
file), memory by RLIMIT_AS.
"""

from __future__ import annotations

import json
import random
import resource
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.problems import FEL
from indikator_xl.domain.text import MAX_NAME_LENGTH
from indikator_xl.validation.registration import load_registration
from tests.builders import forbund_rows, registration
from tests.xlsx_parts import rezip

HUGE = 2_000_000
HUGE_TEXT = "".join(random.Random(12).choices(string.ascii_letters, k=HUGE))
FILE_LIMIT = 5 * 1024 * 1024
MEMORY_LIMIT = 1024 * 1024 * 1024
_LETTERS = st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=1)


def rows(n: int, insats: str = "Steg 1", first: int = 1) -> list[list]:
    return [[i, "Kvinna" if i % 2 else "Man", insats, *[4] * 7, "Nej", None, None]
            for i in range(first, first + n)]


def problems_at(reg, cell: str) -> list[str]:
    return [p.message for p in reg.problems if p.cell == cell and p.level == FEL]


@settings(max_examples=15, deadline=None)
@given(length=st.integers(MAX_NAME_LENGTH - 3, MAX_NAME_LENGTH + 3), letter=_LETTERS,
       padding=st.sampled_from(["", "  ", "\u00a0"]))
def test_a_forbund_name_is_an_error_only_beyond_the_limit(tmp_path_factory, length, letter,
                                                          padding):
    name = padding + letter * length + padding
    path = registration(tmp_path_factory.mktemp("f") / "f.xlsx",
                        {ins.DELTAGARE_AVSLUT: rows(1)}, forbund=forbund_rows(name))
    reg = load_registration(path)
    if length <= MAX_NAME_LENGTH:
        assert reg.forbund == letter * length and not reg.errors
    else:
        assert reg.forbund is None
        assert problems_at(reg, "B1") == [
            f"Förbundets namn är för långt ({length} tecken; högst {MAX_NAME_LENGTH}). Korta "
            "texten i cellen; till dess räknas den inte."]
        assert reg.errors[0].value == name[:MAX_NAME_LENGTH] + "…"


@settings(max_examples=10, deadline=None)
@given(length=st.integers(MAX_NAME_LENGTH - 2, MAX_NAME_LENGTH + 2), letter=_LETTERS)
def test_insats_and_samverkansgrupp_names_beyond_the_limit(tmp_path_factory, length, letter):
    name = letter * length
    chef = [[1, name, *[4] * len(ins.GROUPS_BY_NAME[ins.CHEFSGRUPP].questions)]]
    path = registration(tmp_path_factory.mktemp("f") / "f.xlsx",
                        {ins.DELTAGARE_AVSLUT: rows(2, name), ins.CHEFSGRUPP: chef},
                        populations=[[ins.DELTAGARE_AVSLUT, name, 10, 5]])
    reg = load_registration(path)
    long = length > MAX_NAME_LENGTH
    assert len(reg.errors) == (4 if long else 0)
    assert set(reg.respondent_columns["insats"]) == ({None} if long else {None, name})
    assert set(reg.respondent_columns["samverkansgrupp"]) == ({None} if long else {None, name})
    assert [r[1] for r in reg.population_rows] == ([] if long else [name])
    if long:
        assert {p.cell for p in reg.errors} == {"C2", "C3", "B2"}
        assert all("namn är för långt" in p.message for p in reg.errors)


def huge(path: Path, marker: str) -> Path:
    """`path` with the text `marker` (written by openpyxl, which cuts text at Excel's
    32 767 characters) made HUGE random letters long (so it does not look like a zip
    bomb), as a hand-made file can hold it."""
    path.write_bytes(rezip(path.read_bytes(), lambda name, data: data.replace(
        marker.encode(), HUGE_TEXT.encode())))
    return path


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    return subprocess.run([sys.executable, "-m", "indikator_xl.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, preexec_fn=limits)


@pytest.fixture(scope="module")
def huge_insats(tmp_path_factory) -> Path:
    return huge(registration(tmp_path_factory.mktemp("huge") / "stor.xlsx",
                             {ins.DELTAGARE_AVSLUT: [*rows(300), *rows(30, "x" * 300, 301)]}),
                "x" * 300)


def test_a_huge_insats_name_keeps_every_output_small(huge_insats, tmp_path):
    proc = _run("berakna", str(huge_insats), "-o", str(tmp_path / "r.xlsx"), "--export",
                str(tmp_path / "r.csv"), "--export-svarsfrekvens", str(tmp_path / "s.csv"),
                cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in ("r.xlsx", "r.csv", "s.csv"):
        assert (tmp_path / name).stat().st_size < 1_000_000, name
    proc = _run("validera", "--json", str(huge_insats), cwd=tmp_path)
    assert proc.returncode == 1
    problems = json.loads(proc.stdout)
    assert len(problems) == 30 and len(proc.stdout) < 100_000
    assert {p["varde"] for p in problems} == {HUGE_TEXT[:MAX_NAME_LENGTH] + "…"}


def test_a_huge_forbund_name_stops_the_calculation_with_one_line(tmp_path):
    path = huge(registration(tmp_path / "stor.xlsx", {ins.DELTAGARE_AVSLUT: rows(10)},
                             forbund=forbund_rows("N" * 300)), "N" * 300)
    proc = _run("berakna", str(path), "--export", str(tmp_path / "r.csv"), cwd=tmp_path)
    assert proc.returncode == 1
    assert "Förbundets namn är för långt (2000000 tecken" in proc.stderr
    assert len(proc.stderr) < 2_000 and not (tmp_path / "r.csv").exists()
