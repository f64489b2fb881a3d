"""Insats × kön cells (SPEC §7 `insats_kon`) and their small-group rule (docs/beslut.md).

Hand-made Deltagare pågående sheets: each row answers one question, so every cell's
counts are the rows written for it. Expected shares are counted in the test from the
same spec rows; which cells are hidden, and why, is worked out by hand in the comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indikator_xl.domain import instrument as ins
from indikator_xl.figures.stats import measure_table
from indikator_xl.figures.suppression import HiddenReason, Thresholds
from indikator_xl.validation.registration import load_registration
from tests.builders import registration

P = ins.DELTAGARE_PAGAENDE

# question → [(rows, kön, insats, code)]; kön None = not stated, insats None = none given.
SPEC: dict[int, list[tuple[int, str | None, str | None, int]]] = {
    # Both genders ≥ 5 in every insats, every answer has both: everything shown.
    1: [(3, "K", "Team A", 6), (2, "K", "Team A", 5), (1, "K", "Team A", 3),
        (2, "M", "Team A", 6), (3, "M", "Team A", 2),
        (5, "K", "Team B", 5), (6, "M", "Team B", 1)],
    # Team A has 3 men: A's pair is hidden. Every woman has an insats and the women's row
    # is shown, so women = A + B + C would reveal A – kvinnor: the smallest shown women's
    # cell (C, 5) is hidden too, with its pair.
    2: [(6, "K", "Team A", 6), (3, "M", "Team A", 1),
        (7, "K", "Team B", 5), (5, "M", "Team B", 2),
        (5, "K", "Team C", 4), (6, "M", "Team C", 6)],
    # Team A has 2 answers without gender: A's pair is hidden (the whole group's too,
    # 2 not stated). Team B stays: the women's row is hidden as well, two unknowns.
    3: [(5, "K", "Team A", 6), (5, "M", "Team A", 3), (2, None, "Team A", 6),
        (6, "K", "Team B", 5), (6, "M", "Team B", 2)],
    # Two answers without gender and without insats hide the group's gender pair; the
    # insats cells cover every woman and man, so their sums would give the hidden pair:
    # the smallest women's cell (A, 5) and its pair are hidden.
    4: [(5, "K", "Team A", 6), (6, "M", "Team A", 4),
        (6, "K", "Team B", 1), (5, "M", "Team B", 6), (2, None, None, 5)],
    # Team A has 3 answers (hidden); every answer has an insats, so the smallest other
    # insats (B, 10) is hidden too, and B = B – kvinnor + B – män would give it away:
    # B's pair is hidden (tie on 5 answers, kvinnor first by name, then its pair).
    5: [(2, "K", "Team A", 6), (1, "M", "Team A", 6),
        (5, "K", "Team B", 5), (5, "M", "Team B", 1),
        (6, "K", "Team C", 6), (6, "M", "Team C", 3)],
}

FEW, OTHER, UNSTATED, COMPUTABLE = (HiddenReason.FEW_ANSWERS.value,
                                    HiddenReason.OTHER_GENDER.value,
                                    HiddenReason.UNSTATED_GENDER.value,
                                    HiddenReason.COMPUTABLE.value)
GENDER = {"K": "kvinnor", "M": "män"}

# (question, undergrupp) → reason, for every hidden insats × kön cell; others are shown.
HIDDEN = {
    (2, "Team A – kvinnor"): OTHER, (2, "Team A – män"): FEW,
    (2, "Team C – kvinnor"): COMPUTABLE, (2, "Team C – män"): COMPUTABLE,
    (3, "Team A – kvinnor"): UNSTATED, (3, "Team A – män"): UNSTATED,
    (4, "Team A – kvinnor"): COMPUTABLE, (4, "Team A – män"): COMPUTABLE,
    (5, "Team A – kvinnor"): FEW, (5, "Team A – män"): FEW,
    (5, "Team B – kvinnor"): COMPUTABLE, (5, "Team B – män"): COMPUTABLE,
}


def sheet_rows() -> list[list]:
    rows = []
    for question, spec in SPEC.items():
        for count, kon, insats, code in spec:
            for _ in range(count):
                row = [len(rows) + 1, kon, insats, *[None] * 7]
                row[2 + question] = code
                rows.append(row)
    return rows


def hand_count(question: int) -> dict[str, tuple[int, int]]:
    """undergrupp → (n, klart positivt) counted from SPEC."""
    out: dict[str, tuple[int, int]] = {}
    for count, kon, insats, code in SPEC[question]:
        if kon is None or insats is None:
            continue
        label = f"{insats} – {GENDER[kon]}"
        n, hits = out.get(label, (0, 0))
        out[label] = (n + count, hits + count * (code >= 5))
    return out


@pytest.fixture(scope="module")
def reg(tmp_path_factory):
    return load_registration(registration(tmp_path_factory.mktemp("ik") / "f.xlsx",
                                          {P: sheet_rows()}))


@pytest.fixture(scope="module")
def table(reg) -> pd.DataFrame:
    return measure_table(reg.answers)


def cells(table: pd.DataFrame, question: int, dimension: str = "insats_kon") -> pd.DataFrame:
    return table[(table.question == question) & (table.dimension == dimension)]


@pytest.mark.parametrize("question", sorted(SPEC))
def test_counts_shares_and_hidden_cells(table, question):
    got = cells(table, question)
    expected = hand_count(question)
    assert sorted(got.undergrupp) == sorted(expected)
    for r in got.itertuples():
        n, hits = expected[r.undergrupp]
        assert (r.n, r.n_klart_positivt) == (n, hits), r.undergrupp
        reason = HIDDEN.get((question, r.undergrupp))
        assert (r.dold, r.dold_orsak) == (int(reason is not None), reason), r.undergrupp
        if reason is None:
            assert r.nyckeltal == pytest.approx(hits / n), r.undergrupp
        else:
            assert math.isnan(r.nyckeltal) and math.isnan(r.klart_positivt), r.undergrupp
        assert r.osaker == int(n < 10)
        assert r.test is None and r.stjarna_klart_positivt == 0  # no test per insats


def test_rows_in_report_order(table):
    # Per question: samtliga, kvinnor, män, the insatser, then each insats' women and men.
    got = cells(table, 2)
    assert list(got.undergrupp) == ["Team A – kvinnor", "Team A – män", "Team B – kvinnor",
                                    "Team B – män", "Team C – kvinnor", "Team C – män"]
    dims = list(table[table.question == 2].dimension)
    assert dims == ["samtliga", "kon", "kon", "insats", "insats", "insats", *["insats_kon"] * 6]


def test_the_whole_groups_rows_behind_the_cases(table):
    # Question 3 and 4: 2 answers without gender hide the group's pair; 5: Team B is
    # hidden by the insats rule (Team A has 3 answers and every answer has an insats).
    for q in (3, 4):
        assert list(cells(table, q, "kon").dold_orsak) == [UNSTATED, UNSTATED]
    insats = cells(table, 5, "insats")
    assert list(zip(insats.undergrupp, insats.dold_orsak, strict=True)) == [
        ("Team A", FEW), ("Team B", COMPUTABLE), ("Team C", None)]
    assert list(cells(table, 2, "kon").dold) == [0, 0]


def test_the_older_gender_practice_shows_the_cells(reg):
    # With the setting, 1–4 answers without gender do not hide any gender cell: question
    # 3 and 4 show the whole group's pair, and question 3 every insats × kön cell. The
    # setting is about gender only: in question 4 the 2 answers without insats would
    # still be samtliga − Team A − Team B, so Team A (tie on 11, first by name) is
    # hidden, and with it the pair that adds up to it; then the women's row (shown, every
    # woman has an insats) would give Team A – kvinnor, so Team B's pair is hidden too.
    older = measure_table(reg.answers, thresholds=Thresholds(hide_for_unstated_gender=False))
    for q in (3, 4):
        assert cells(older, q, "kon").dold.sum() == 0
    assert cells(older, 3).dold.sum() == 0
    for r in cells(older, 3).itertuples():
        n, hits = hand_count(3)[r.undergrupp]
        assert r.nyckeltal == pytest.approx(hits / n)
    insats = cells(older, 4, "insats")
    assert list(zip(insats.undergrupp, insats.n, insats.dold_orsak, strict=True)) == [
        ("Team A", 11, COMPUTABLE), ("Team B", 11, None)]
    hidden = {(r.question, r.undergrupp): r.dold_orsak
              for r in older[older.dimension == "insats_kon"].itertuples() if r.dold}
    assert hidden == {**{k: v for k, v in HIDDEN.items() if k[0] not in (3, 4)},
                      **{(4, f"Team {t} – {g}"): COMPUTABLE for t in "AB"
                         for g in ("kvinnor", "män")}}


def test_reason_texts_are_swedish_and_follow_the_threshold():
    assert HiddenReason.FEW_ANSWERS.text() == "färre än 5 svar"
    assert HiddenReason.UNSTATED_GENDER.text() == (
        "1–4 svarande har inte angett kön, och deras svar skulle annars kunna räknas fram")
    assert HiddenReason.OTHER_GENDER.text(Thresholds(hide_below=3)) == (
        "det andra könet har färre än 3 svar")


def _hidden_in_question_3(table: pd.DataFrame) -> int:
    q3 = table[(table.question == 3) & table.dimension.isin(("kon", "insats_kon"))]
    return int(q3.dold.sum())


@pytest.mark.parametrize(("value", "hidden", "warnings"), [
    ("Ja", 0, 0), (" ja ", 0, 0), ("Nej", 4, 0), (None, 4, 0), ("kanske", 4, 1)])
def test_the_forbund_sheet_chooses_the_older_practice(tmp_path, value, hidden, warnings):
    from indikator_xl.figures.analysis import analyse
    from tests.builders import forbund_rows

    forbund = forbund_rows(**{ins.KEY_GENDER_DESPITE_UNSTATED: value})
    reg = load_registration(registration(tmp_path / "f.xlsx", {P: sheet_rows()}, forbund))
    # Question 3: the group's pair and Team A's pair are hidden by the 2 without gender.
    assert _hidden_in_question_3(analyse(reg).table) == hidden
    assert [(p.sheet, p.cell) for p in reg.warnings] == [("Förbund", "B3")] * warnings


def test_the_cli_option_chooses_the_older_practice(tmp_path, capsys):
    import csv

    from indikator_xl.cli import run

    path = registration(tmp_path / "f.xlsx", {P: sheet_rows()})
    for option, hidden in (([], 4), (["--kon-trots-ej-angivet"], 0)):
        out = tmp_path / "ut.csv"
        assert run(["berakna", str(path), "--export", str(out), *option]) == 0
        with out.open(encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r["fraga"] == "3"
                    and r["dimension"] in ("kon", "insats_kon")]
        assert sum(int(r["dold"]) for r in rows) == hidden
    capsys.readouterr()


# --- the report's table per measure (report_tables) -------------------------------------------

def test_report_table_like_the_local_report(tmp_path):
    """Question 1 and 2 laid out as the local report's Tabell 2: "xx % (yy %)" per cell,
    last period from a previous file where every question-1 and -2 answer was 6."""
    from indikator_xl.figures.report_tables import report_tables
    from indikator_xl.pipeline import calculate
    from tests.builders import forbund_rows

    now = registration(tmp_path / "nu.xlsx", {P: sheet_rows()})
    before_rows = [[*r[:3], *(6 if v is not None and i < 2 else v
                                for i, v in enumerate(r[3:]))] for r in sheet_rows()]
    before = registration(tmp_path / "fore.xlsx", {P: before_rows},
                          forbund_rows(period=2022))
    tables = {t.question.number: t for t in report_tables(
        calculate(now, previous=before).analysis) if t.question.group == P}

    def pct(hits: int, n: int) -> str:  # whole percent, half up, as printed
        return f"{(200 * hits + n) // (2 * n)} %"

    def count(q: int, kon: str | None = None, insats: str | None = None) -> tuple[int, int]:
        rows = [(c, code) for c, k, i, code in SPEC[q]
                if (kon is None or k == kon) and (insats is None or i == insats)]
        return sum(c for c, code in rows if code >= 5), sum(c for c, _ in rows)

    t = tables[1]
    assert t.title == ("Får du stöd på ett sätt som är till stor nytta för dig? "
                       "(Deltagare, pågående)")
    assert t.headings == ("Klart positiva svar", "Varav kvinnor", "Varav män",
                          "Rikssnittet", "Varav kvinnor", "Varav män")
    assert [r.label for r in t.rows] == ["Deltagare pågående", "Varav Team A",
                                         "Varav Team B"]
    group = [c.text for c in t.rows[0].cells]
    assert group[:3] == [f"{pct(*count(1, k))} (100 %)" for k in (None, "K", "M")]
    for row, team in zip(t.rows[1:], ("Team A", "Team B"), strict=True):
        assert [c.text for c in row.cells] == [
            *(f"{pct(*count(1, k, team))} (100 %)" for k in (None, "K", "M")), "", "", ""]
    # The rikssnitt of the default (Tabell N.1 2023, Tabell N.2 2022) with last year.
    assert group[3] == "77 % (78 %)"
    assert t.hidden_notes == ()
    # Question 2: Team A's and Team C's pairs are hidden, each row says why; last year
    # had the same counts, so they were hidden then too.
    t = tables[2]
    texts = {r.label: [c.text for c in r.cells][:3] for r in t.rows}
    assert texts["Varav Team A"][1:] == ["– (–)", "– (–)"]
    assert texts["Varav Team C"][1:] == ["– (–)", "– (–)"]
    assert texts["Varav Team B"][1] == f"{pct(*count(2, 'K', 'Team B'))} (100 %)"
    assert t.hidden_notes == (
        "Varav Team A, kvinnor: det andra könet har färre än 5 svar.",
        "Varav Team A, män: färre än 5 svar.",
        "Varav Team C, kvinnor och män: dold för att en liten grupp annars skulle kunna "
        "räknas fram ur de visade cellerna.")


def test_report_table_for_remittenter_by_employer(tmp_path):
    # Kommun: 6 answers, 5 of them 6 (83 %); Annan: 2 answers (hidden); one without
    # employer; the group 7 of 9 (78 %). The rikssnitt
    # per employer is Tabell N.1's with 2022 from Tabell N.2 (data/rikssnitt_2023.csv and
    # nyckeltal_2021_2023.csv: samtliga 75 % (69 %), Kommun 68 % (70 %)); Annan has none,
    # so its rikssnitt cell is empty as in the report.
    from indikator_xl.figures.report_tables import report_tables
    from indikator_xl.pipeline import calculate

    rows = [[i, "Kommun", None, 6 if i <= 5 else 2] for i in range(1, 7)]
    rows += [[7, "Annan", None, 6], [8, "Annan", None, 1]]
    rows += [[9, None, None, 6]]  # no employer: Kommun cannot reveal Annan
    path = registration(tmp_path / "r.xlsx", {ins.REMITTENTER: rows})
    t = next(t for t in report_tables(calculate(path).analysis)
             if (t.question.group, t.question.number) == (ins.REMITTENTER, 1))
    assert t.headings == ("Klart positiva svar", "Rikssnittet")
    assert [(r.label, [c.text for c in r.cells]) for r in t.rows] == [
        ("Remittenter", ["78 %", "75 % (69 %)"]),
        ("Varav Kommun", ["83 %", "68 % (70 %)"]),
        ("Varav Annan", ["–", ""])]
    assert t.hidden_notes == ("Varav Annan, samtliga: färre än 5 svar.",)


def test_the_report_draft_follows_the_cli_option(tmp_path, capsys):
    """`rapport` takes the same gender option as `berakna`: with it, the group's gender
    cells of question 3 that the 2 answers without gender hide are shown in the draft."""
    import docx

    from indikator_xl.cli import run

    path = registration(tmp_path / "f.xlsx", {P: sheet_rows()})
    dashes = {}
    for option in ((), ("--kon-trots-ej-angivet",)):
        out = tmp_path / f"rapport{len(option)}.docx"
        assert run(["rapport", str(path), "-o", str(out), *option]) == 0
        cells = [c.text for t in docx.Document(str(out)).tables for row in t.rows
                 for c in row.cells]
        dashes[option] = sum(text.startswith("–") for text in cells)
    assert dashes[("--kon-trots-ej-angivet",)] < dashes[()]
    capsys.readouterr()
