"""Many problems: a registration of 100 000 rows of invalid answers (issue 12, item 9).

Every problem is collected and `validera --json` lists them all, within bounded CPU time
and memory (resource limits on a subprocess, not the wall clock); the Valideringsfel sheet
shows the first `MAX_SHOWN_PROBLEMS` and says how many there are and where to see them.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator_xl.domain.cells import NO_CACHE, CellError
from indikator_xl.domain.problems import FEL, VARNING, Problem, json_text
from indikator_xl.sheets.result_sheets import MAX_SHOWN_PROBLEMS, valideringsfel
from indikator_xl.sheets.sheetmodel import Table, Text
from indikator_xl.validation.registration import load_registration
from tests.builders import many_problems

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 1024 * 1024 * 1024
# CPU seconds for 100 000 bad rows (1.1 million problems): about 10 on this shared machine
# under load; before, `validera --json` needed minutes and 4.6 GB.
CPU_LIMIT = 40
ROWS = 100_000


def run_limited(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))
    return subprocess.run([sys.executable, "-m", "indikator_xl.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=900, preexec_fn=limits)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    return many_problems(folder / "manga_fel.xlsx", ROWS, valid_every=10)


def test_validera_json_lists_every_problem_within_bounded_time_and_memory(big):
    proc = run_limited("validera", "--json", big.name, cwd=big.parent)
    assert proc.returncode == 1, proc.stderr[-2000:]
    problems = json.loads(proc.stdout)
    bad_rows = ROWS - ROWS // 10
    assert len(problems) == bad_rows * 11
    assert sum(p["niva"] == FEL for p in problems) == bad_rows * 10
    assert problems[0] == {"niva": FEL, "blad": "Deltagare avslut", "cell": "D2", "varde": "x",
                           "meddelande": "Okänt svar. Skriv 1–6 eller Aldrig, Sällan, Ibland, "
                           "Ofta, För det mesta, Alltid."}
    # the last row, ROWS + 1, is a valid one
    assert problems[-1]["niva"] == VARNING and problems[-1]["cell"] == f"A{ROWS}"


def test_validera_text_ends_with_the_total(big):
    proc = run_limited("validera", big.name, cwd=big.parent)
    assert proc.returncode == 1, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    bad_rows = ROWS - ROWS // 10
    assert len(lines) == 1 + bad_rows * 11 + 1
    assert lines[-1] == f"Totalt {bad_rows * 10} fel och {bad_rows} varningar."


def test_berakna_shows_a_bounded_problem_list_with_the_count(big, tmp_path):
    out = tmp_path / "resultat.xlsx"
    proc = run_limited("berakna", str(big), "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    ws = openpyxl.load_workbook(out, read_only=True)["Valideringsfel"]
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    listed = [r for r in rows if r[0] in ("Fel", "Varning")]
    assert len(listed) == MAX_SHOWN_PROBLEMS
    assert listed[0][:3] == ("Fel", "Deltagare avslut", "D2")
    total = (ROWS - ROWS // 10) * 11
    assert rows[-1][0] == (f"Bladet visar de första 1 000 av {total:,} problemen. Hela listan "
                           "får du med kommandot indikator-xl validera --json "
                           f"{big.name}.").replace(",", " ")


@pytest.mark.parametrize("rows,more", [(90, False), (91, True)])
def test_the_sheet_counts_only_when_it_cannot_show_all(tmp_path, rows, more):
    """90 bad rows are 990 problems, all shown; 91 are 1 001, one more than the sheet shows."""
    assert MAX_SHOWN_PROBLEMS == 1_000
    reg = load_registration(many_problems(tmp_path / "f.xlsx", rows))
    assert len(reg.problems) == rows * 11
    sheet = valideringsfel(reg)
    table = next(b for b in sheet.blocks if isinstance(b, Table))
    assert len(table.rows) == min(rows * 11, MAX_SHOWN_PROBLEMS)
    counted = [b.text for b in sheet.blocks if isinstance(b, Text) and "problemen" in b.text]
    assert counted == (["Bladet visar de första 1 000 av 1 001 problemen. Hela listan får du "
                        "med kommandot indikator-xl validera --json f.xlsx."] if more else [])


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                    st.builds(CellError, st.sampled_from(["#N/A", "#DIV/0!"])),
                    st.just(NO_CACHE), st.dates(), st.datetimes(),
                    st.just(datetime(2023, 1, 1)), st.just(date(2023, 5, 17)))
_PROBLEMS = st.builds(Problem, st.sampled_from([FEL, VARNING]), st.text(), st.text(),
                      _VALUES, st.text())


@settings(max_examples=200, deadline=None)
@given(st.lists(_PROBLEMS, max_size=5))
def test_json_text_is_exactly_what_json_dump_writes(problems):
    expected = json.dumps([p.as_json() for p in problems], ensure_ascii=False, indent=1)
    assert "".join(json_text(problems)) == expected
