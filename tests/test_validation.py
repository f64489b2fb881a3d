"""Validation of registration workbooks (SPEC §3): each malformed input gives exactly the
expected problems (level and cell), and the valid cells still count."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import CellError
from indikator_xl.validation.registration import load_registration
from tests.builders import (
    DIRTY_AVSLUT_ROWS,
    DIRTY_AVSLUT_VALID,
    Formula,
    forbund_rows,
    header,
    registration,
)

P, A, PE = ins.DELTAGARE_PAGAENDE, ins.DELTAGARE_AVSLUT, ins.PERSONAL
R, C, S = ins.REMITTENTER, ins.CHEFSGRUPP, ins.STYRELSE


def values(series):
    return [None if pd.isna(v) else v for v in series]


def problems_of(reg):
    return sorted((p.level, p.sheet, p.cell) for p in reg.problems)


def answers_of(reg, group):
    a = reg.answers[reg.answers.group == group]
    return sorted(zip(a.cell, a.code, strict=True))


# Personal: A Löpnummer, B Insats, C..M = F1..F11.
# Deltagare avslut: A Löpnummer, B Kön, C Insats, D..M = F1..F10 (K = F8, L = F9, M = F10).
INVALID_ANSWERS = [
    ("seven", PE, [1, "T", 7, 5], ("fel", PE, "C2"), [("D2", 5)]),
    ("zero", PE, [1, "T", 0, 5], ("fel", PE, "C2"), [("D2", 5)]),
    ("two and a half", PE, [1, "T", 2.5, 5], ("fel", PE, "C2"), [("D2", 5)]),
    ("letter", PE, [1, "T", "x", 5], ("fel", PE, "C2"), [("D2", 5)]),
    ("date", PE, [1, "T", datetime(2023, 5, 4), 5], ("fel", PE, "C2"), [("D2", 5)]),
    ("error N/A", PE, [1, "T", CellError("#N/A"), 5], ("fel", PE, "C2"), [("D2", 5)]),
    ("error DIV/0", PE, [1, "T", 4, CellError("#DIV/0!")], ("fel", PE, "D2"), [("C2", 4)]),
    ("formula without cache", PE, [1, "T", Formula("=1+1"), 2], ("fel", PE, "C2"),
     [("D2", 2)]),
    ("boolean", PE, [1, "T", True, 3], ("fel", PE, "C2"), [("D2", 3)]),
    ("text seven", PE, [1, "T", "7", 3], ("fel", PE, "C2"), [("D2", 3)]),
    ("unknown label", PE, [1, "T", "Jättebra", 3], ("fel", PE, "C2"), [("D2", 3)]),
    ("scale I label on scale II question", PE, [1, "T", 6, 6, 6, 6, "Alltid"],
     ("fel", PE, "G2"), [("C2", 6), ("D2", 6), ("E2", 6), ("F2", 6)]),
    ("number in F8", A, [1, "K", "T", 5, None, None, None, None, None, None, 1],
     ("fel", A, "K2"), [("D2", 5)]),
    ("number as text in F8", A, [1, "K", "T", 5, None, None, None, None, None, None, "1"],
     ("fel", A, "K2"), [("D2", 5)]),
    ("unknown word in F8", A, [1, "K", "T", 5, None, None, None, None, None, None, "Kanske"],
     ("fel", A, "K2"), [("D2", 5)]),
]


@pytest.mark.parametrize("case", INVALID_ANSWERS, ids=[c[0] for c in INVALID_ANSWERS])
def test_invalid_answer_is_an_error_and_the_rest_of_the_row_counts(tmp_path, case):
    _, group, row, problem, counted = case
    reg = load_registration(registration(tmp_path / "f.xlsx", {group: [row]}))
    assert problems_of(reg) == [problem]
    assert answers_of(reg, group) == sorted(counted)
    assert len(reg.respondents) == 1


SKIP_CASES = [
    ("F9 after Nej", [1, "K", "T", 5, None, None, None, None, None, None, "Nej", 5, 6],
     [("varning", A, "L2"), ("varning", A, "M2")], [("D2", 5), ("K2", 2)]),
    ("F9 after empty F8", [1, "K", "T", 5, None, None, None, None, None, None, None, 5],
     [("varning", A, "L2")], [("D2", 5)]),
    ("F10 after invalid F8", [1, "K", "T", 5, None, None, None, None, None, None, "x", None, 4],
     [("fel", A, "K2"), ("varning", A, "M2")], [("D2", 5)]),
    ("F9 after Ja counts", [1, "K", "T", None, None, None, None, None, None, None, " ja ", 5, 6],
     [], [("K2", 1), ("L2", 5), ("M2", 6)]),
    ("invalid F9 after Nej is an error, not a skip", [1, "K", "T", 4, None, None, None, None,
                                                      None, None, "Nej", 9],
     [("fel", A, "L2")], [("D2", 4), ("K2", 2)]),
]


@pytest.mark.parametrize("case", SKIP_CASES, ids=[c[0] for c in SKIP_CASES])
def test_skip_rule_f8_gates_f9_f10(tmp_path, case):
    _, row, problems, counted = case
    reg = load_registration(registration(tmp_path / "f.xlsx", {A: [row]}))
    assert problems_of(reg) == sorted(problems)
    assert answers_of(reg, A) == sorted(counted)


def test_valid_value_forms_are_all_accepted(tmp_path):
    rows = [
        [1, "T", 5, "5", 5.0, " Alltid ", "till MYCKET stor del", "INTE ALLS", "5.0",
         "Helt  och hållet", "delvis", 1, 6],
    ]
    reg = load_registration(registration(tmp_path / "f.xlsx", {PE: rows}))
    assert reg.problems == []
    codes = [code for _, code in answers_of(reg, PE)]
    assert codes == [5, 5, 5, 6, 5, 1, 5, 6, 3, 1, 6]


@pytest.mark.parametrize("variant", ["F1", "f1", "F 1", "Fråga 1", " fråga  1 ", "1", 1, 1.0])
def test_question_header_variants(tmp_path, variant):
    table = [[ins.ID_COLUMN, "Insats", variant], [1, "T", 4]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {PE: table}))
    assert answers_of(reg, PE) == [("C2", 4)]
    missing = [p for p in reg.problems if p.cell == ""]
    assert len(missing) == 10  # F2..F11 missing: warnings only
    assert all(p.level == "varning" for p in reg.problems)


def test_column_order_does_not_matter(tmp_path):
    table = [["F2", "insats", "F1", "LÖPNUMMER", "kön", *[f"F{i}" for i in range(3, 8)]],
             [3, "Team A", 6, 1, "k", 1, 2, 3, 4, 5]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {P: table}))
    assert reg.problems == []
    a = reg.answers.set_index("question")
    assert a.loc[1, "code"] == 6 and a.loc[1, "cell"] == "C2"
    assert a.loc[2, "code"] == 3 and a.loc[2, "cell"] == "A2"
    assert set(a["kon"]) == {"kvinnor"} and set(a["insats"]) == {"Team A"}


def test_duplicate_lopnummer_is_a_warning_and_both_rows_count(tmp_path):
    reg = load_registration(registration(tmp_path / "f.xlsx", {PE: [[7, "T", 4], [7, "T", 5]]}))
    assert problems_of(reg) == [("varning", PE, "A3")]
    assert len(reg.respondents) == 2


def test_unknown_gender_warns_and_counts_as_not_stated(tmp_path):
    reg = load_registration(registration(tmp_path / "f.xlsx", {P: [[1, "Okänd", "T", 4],
                                                                   [2, "Vill inte svara", "T",
                                                                    5]]}))
    assert problems_of(reg) == [("varning", P, "B2")]
    assert values(reg.respondents.kon) == [None, None]


def test_gender_codes(tmp_path):
    rows = [[i, g, "T", 4] for i, g in enumerate(["K", "kvinna", "M", " MAN ", "Annat",
                                                  "Ej angett", None], 1)]
    reg = load_registration(registration(tmp_path / "f.xlsx", {P: rows}))
    assert reg.problems == []
    assert values(reg.respondents.kon) == ["kvinnor", "kvinnor", "man", "man", None, None, None]


def test_unknown_employer_warns_and_counts_as_annan(tmp_path):
    rows = [[1, "Polisen", "T", 4], [2, "kommun", "T", 4], [3, None, "T", 4],
            [4, "Hälsa-Sjukvård", "T", 3]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {R: rows}))
    assert problems_of(reg) == [("varning", R, "B2")]
    assert values(reg.respondents.anstallning) == ["Annan", "Kommun", None, "Hälso-Sjukvård"]


def test_row_with_content_but_no_valid_answer_is_not_a_respondent(tmp_path):
    reg = load_registration(registration(tmp_path / "f.xlsx", {PE: [[1, "T"], [2, "T", 9],
                                                                    [3, "T", 4]]}))
    assert problems_of(reg) == [("fel", PE, "C3"), ("varning", PE, "A2"),
                                ("varning", PE, "A3")]
    assert list(reg.respondents.row) == [4]


def test_wholly_empty_and_whitespace_rows_are_skipped_silently(tmp_path):
    reg = load_registration(registration(tmp_path / "f.xlsx", {PE: [[None], ["  ", None, " "],
                                                                    [3, "T", 4]]}))
    assert reg.problems == []
    assert list(reg.respondents.row) == [4]


def test_unknown_header_is_a_warning_and_its_column_ignored(tmp_path):
    table = [[*header(PE), "Kommentar", "Kön", "F12"], [1, "T", 4, *[None] * 10, "bra", "K", 5]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {PE: table}))
    assert problems_of(reg) == [("varning", PE, "N1"), ("varning", PE, "O1"),
                                ("varning", PE, "P1")]
    assert answers_of(reg, PE) == [("C2", 4)]


def test_same_question_twice_is_an_error_at_the_second_header(tmp_path):
    table = [[*header(PE), "Fråga 3"], [1, "T", 4, None, 2, *[None] * 8, 6]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {PE: table}))
    assert problems_of(reg) == [("fel", PE, "N1")]
    assert answers_of(reg, PE) == [("C2", 4), ("E2", 2)]


def test_values_without_a_header_are_reported(tmp_path):
    table = [[*header(S), None], [1, 4, None, None, None, None, 5]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {S: table}))
    assert problems_of(reg) == [("varning", S, "G1")]


def test_missing_question_column_is_a_warning(tmp_path):
    table = [[ins.ID_COLUMN, "F1", "F2", "F3", "F5"], [1, 4, 4, 4, 4]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {S: table}))
    assert problems_of(reg) == [("varning", S, "")]
    assert reg.problems[0].value == "F4"
    assert len(reg.answers) == 4


def test_missing_background_column_warns_and_answers_count_in_samtliga(tmp_path):
    table = [[ins.ID_COLUMN, "Insats", *[f"F{i}" for i in range(1, 8)]], [1, "T", 4]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {P: table}))
    assert problems_of(reg) == [("varning", P, "")]
    assert reg.respondents.kon.isna().all()


def test_sheet_name_found_case_insensitively_is_read_with_a_warning(tmp_path):
    reg = load_registration(registration(tmp_path / "f.xlsx", {"personal ": [[1, "T", 4]]}))
    assert problems_of(reg) == [("varning", "personal ", "")]
    assert reg.groups_surveyed == (PE,)
    assert answers_of(reg, PE) == [("C2", 4)]


def test_missing_group_sheet_is_not_an_error(tmp_path):
    reg = load_registration(registration(tmp_path / "f.xlsx", {S: [[1, 4]]}))
    assert reg.problems == []
    assert reg.groups_surveyed == (S,)


def test_other_sheets_are_ignored(tmp_path):
    reg = load_registration(registration(tmp_path / "f.xlsx", {S: [[1, 4]]},
                                         extra={"Mina anteckningar": [["x", 7, "=A1"]]}))
    assert reg.problems == []


@pytest.mark.parametrize(("forbund", "problem"), [
    ([[ins.KEY_PERIOD, 2023]], ("fel", "Förbund", "A")),
    ([[ins.KEY_NAME, None], [ins.KEY_PERIOD, 2023]], ("fel", "Förbund", "B1")),
    ([[ins.KEY_NAME, "F"]], ("fel", "Förbund", "A")),
    ([[ins.KEY_NAME, "F"], [ins.KEY_PERIOD, "23"]], ("fel", "Förbund", "B2")),
    ([[ins.KEY_NAME, "F"], [ins.KEY_PERIOD, 1999]], ("fel", "Förbund", "B2")),
    ([[ins.KEY_NAME, "F"], [ins.KEY_PERIOD, 2023.5]], ("fel", "Förbund", "B2")),
    ([[ins.KEY_NAME, "F"], [ins.KEY_PERIOD, "tjugotre"]], ("fel", "Förbund", "B2")),
])
def test_missing_or_unusable_forbund_settings_stop_the_calculation(tmp_path, forbund, problem):
    reg = load_registration(registration(tmp_path / "f.xlsx", {S: [[1, 4]]}, forbund=forbund))
    assert problems_of(reg) == [problem]
    assert not reg.can_calculate
    assert len(reg.answers) == 1  # the answers are still validated and read


def test_missing_forbund_sheet(tmp_path):
    path = registration(tmp_path / "f.xlsx", {S: [[1, 4]]})
    import openpyxl
    wb = openpyxl.load_workbook(path)
    del wb[ins.SHEET_FORBUND]
    wb.save(path)
    reg = load_registration(path)
    assert problems_of(reg) == [("fel", "Förbund", "")]
    assert not reg.can_calculate


@pytest.mark.parametrize("period", [2023, "2023", 2023.0, " 2023 "])
def test_period_forms(tmp_path, period):
    reg = load_registration(registration(tmp_path / "f.xlsx", {S: [[1, 4]]},
                                         forbund=forbund_rows(period=period)))
    assert reg.period == 2023 and reg.problems == []


def test_forbund_keys_case_insensitive_and_optional_fields(tmp_path):
    forbund = [[" samordningsförbund", " Södra Dalarna "], ["MÄTPERIOD", 2022],
               ["Period från", datetime(2022, 9, 1)], ["Period till", "2022-10-31"],
               ["Rutin pågåendeenkät", "kontinuerligt"]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {S: [[1, 4]]}, forbund=forbund))
    assert reg.problems == []
    assert (reg.forbund, reg.period, reg.routine) == ("Södra Dalarna", 2022, "Kontinuerligt")
    assert reg.period_from.isoformat() == "2022-09-01"
    assert reg.period_to.isoformat() == "2022-10-31"


def test_bad_optional_forbund_fields_are_warnings(tmp_path):
    forbund = forbund_rows(**{"Period från": "i höstas", "Rutin pågåendeenkät": "Ibland"})
    reg = load_registration(registration(tmp_path / "f.xlsx", {S: [[1, 4]]}, forbund=forbund))
    assert problems_of(reg) == [("varning", "Förbund", "B3"), ("varning", "Förbund", "B4")]
    assert reg.routine == "Okänt" and reg.can_calculate


def test_populations_errors(tmp_path):
    pops = [
        [PE, None, 10, 12],            # undersökt > mål: error at D2
        [S, None, 5, 1],               # 2 answered, 1 offered: error at D3
        [P, "Team A", 20, 1],          # insats row: 2 answered in Team A, 1 offered: D4
        [P, "Team B", "många", 3],     # not a number: C5
        ["Okänd grupp", None, 3, 3],   # unknown group: warning A6
        [R, None, None, 30],           # remittenter: no målpopulation is fine
        [C, None, None, None],         # an empty template row is fine
    ]
    groups = {PE: [[1, "T", 4]], S: [[1, 4], [2, 5]],
              P: [[1, "K", "team a", 4], [2, "M", "Team A", 5], [3, "K", "Team B", 5]],
              R: [[1, "Kommun", "T", 4]]}
    reg = load_registration(registration(tmp_path / "f.xlsx", groups, populations=pops))
    assert problems_of(reg) == [("fel", "Populationer", "C5"), ("fel", "Populationer", "D2"),
                                ("fel", "Populationer", "D3"), ("fel", "Populationer", "D4"),
                                ("varning", "Populationer", "A6")]
    rem = reg.populations[reg.populations.group == R].iloc[0]
    assert pd.isna(rem.malpopulation) and rem.undersokt == 30


def test_populations_only_insats_rows_are_checked_by_their_sum(tmp_path):
    pops = [[P, "Team A", 5, 1], [P, "Team B", 5, 1]]
    groups = {P: [[1, "K", "Team A", 4], [2, "K", None, 4], [3, "K", None, 4]]}
    reg = load_registration(registration(tmp_path / "f.xlsx", groups, populations=pops))
    # Team A alone is fine (1 of 1); the group's 3 answers exceed the sum 2.
    assert problems_of(reg) == [("fel", "Populationer", "D2")]


def test_missing_populations_sheet_is_a_warning(tmp_path):
    reg = load_registration(registration(tmp_path / "f.xlsx", {S: [[1, 4]]}, populations=None))
    assert problems_of(reg) == [("varning", "Populationer", "")]


def test_insats_names_grouped_case_insensitively_shown_as_first_written(tmp_path):
    rows = [[1, "K", "S-team  Avesta", 4], [2, "M", "s-team avesta", 5], [3, "K", "Kraften", 6]]
    reg = load_registration(registration(tmp_path / "f.xlsx", {P: rows}))
    assert list(reg.respondents.insats) == ["S-team Avesta", "S-team Avesta", "Kraften"]


def test_every_non_empty_answer_cell_is_counted_or_listed(tmp_path):
    """The conservation invariant on a deliberately dirty workbook."""
    import openpyxl

    path = registration(tmp_path / "f.xlsx", {A: DIRTY_AVSLUT_ROWS})
    reg = load_registration(path)
    listed = {(p.sheet, p.cell) for p in reg.problems}
    counted = set(zip(reg.answers.sheet, reg.answers.cell, strict=True))
    assert not listed & counted
    ws = openpyxl.load_workbook(path)[A]
    for row in ws.iter_rows(min_row=2, min_col=4):
        for cell in row:
            if cell.value is not None and str(cell.value).strip():
                assert (A, cell.coordinate) in listed | counted, cell.coordinate
    assert len(counted) == DIRTY_AVSLUT_VALID
