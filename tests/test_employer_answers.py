"""Remittenter by employer in Svarsfrekvens, as the local report's Tabell 1 shows them
("Varav Kommun 12 (13) 12 (13) 3 (11)"): the core counts them (`answers_by_employer`),
the sheet only shows them, and the response-rate CSV keeps its rows (docs/kontrakt.md §3)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl

from indikator_xl.domain import instrument as ins
from indikator_xl.figures.analysis import EMPLOYER_NOT_STATED, analyse, answers_by_employer
from indikator_xl.output import export
from indikator_xl.sheets.result_sheets import svarsfrekvens
from indikator_xl.validation.registration import load_registration
from tests.builders import forbund_rows, header, registration

EXAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
REMITTENTER = "Remittenter"


def _independent_count(path: Path) -> Counter:
    """Questionnaires with at least one answer per employer, read straight from the sheet."""
    rows = list(openpyxl.load_workbook(path, read_only=True)[REMITTENTER].iter_rows(
        values_only=True))
    head = [str(h) for h in rows[0]]
    employer = head.index("Anställning")
    answers = [j for j, h in enumerate(head) if h.startswith("F")]
    return Counter(r[employer] for r in rows[1:]
                   if any(r[j] not in (None, "") for j in answers))


def test_example_counts_match_an_independent_count():
    a = analyse(load_registration(EXAMPLE))
    counted = _independent_count(EXAMPLE)
    got = dict(zip(a.employer_answers["anstallning"], a.employer_answers["svar"], strict=True))
    assert got == dict(counted)
    assert list(a.employer_answers["anstallning"]) == [e for e in ins.EMPLOYERS if e in counted]
    total = a.response_rates.set_index(["respondentgrupp"]).loc[REMITTENTER]
    assert sum(got.values()) == int(total[total["insats"].isna()]["svar"].iloc[0])


def _remittent(i: int, employer: str | None, answered: bool = True) -> list:
    answers = [5, 4, 6, 6] if answered else [None] * 4
    return [i, employer, "S-team", *answers]


def test_hand_made_blank_employers_and_previous_period(tmp_path):
    assert header(REMITTENTER)[:3] == [ins.ID_COLUMN, "Anställning", "Insats"]
    now = registration(tmp_path / "now.xlsx", {REMITTENTER: [
        _remittent(1, "Kommun"), _remittent(2, "kommun "), _remittent(3, None),
        _remittent(4, "Försäkringskassan"), _remittent(5, "Kommun", answered=False)]})
    before = registration(tmp_path / "before.xlsx", {REMITTENTER: [
        _remittent(1, "Arbetsförmedlingen"), _remittent(2, "Kommun"),
        _remittent(3, "Kommun"), _remittent(4, "Kommun")]},
        forbund=forbund_rows(period=2022))
    table = answers_by_employer(load_registration(now), load_registration(before))
    assert table.to_dict("records") == [
        {"respondentgrupp": REMITTENTER, "anstallning": "Arbetsförmedlingen", "svar": 0,
         "svar_foregaende": 1},
        {"respondentgrupp": REMITTENTER, "anstallning": "Försäkringskassan", "svar": 1,
         "svar_foregaende": None},
        {"respondentgrupp": REMITTENTER, "anstallning": "Kommun", "svar": 2,
         "svar_foregaende": 3},
        {"respondentgrupp": REMITTENTER, "anstallning": EMPLOYER_NOT_STATED, "svar": 1,
         "svar_foregaende": None},
    ]


def test_no_remittenter_no_rows(tmp_path):
    path = registration(tmp_path / "r.xlsx", {ins.STYRELSE: [[1, 5, 5, 5, 5, 5, 5, 5, 5]]})
    assert answers_by_employer(load_registration(path)).empty


def test_sheet_shows_them_under_remittenter_and_the_csv_keeps_its_rows(tmp_path):
    a = analyse(load_registration(EXAMPLE))
    table = svarsfrekvens(a).blocks[1]
    labels = [r.cells[0].value for r in table.rows]
    first = labels.index("Varav Arbetsförmedlingen (arbetsgivare)")
    assert labels[first - 1].startswith("Varav ") and "(arbetsgivare)" not in labels[first - 1]
    group_rows = [i for i, r in enumerate(table.rows) if "bold" in r.cells[0].emphasis]
    assert labels[max(i for i in group_rows if i < first)] == REMITTENTER
    row = table.rows[first]
    assert [c.value for c in row.cells] == [labels[first], None, None, None, 2] + [None] * 5
    assert any("per arbetsgivare" in n for n in table.notes)
    rates = export.rate_rows(a.response_rates)
    assert len(rates) == len(a.response_rates) - 1  # a row per group and insats, no total
    assert not any("arbetsgivare" in str(v) for r in rates for v in r)
