"""The statistics core (SPEC §4) on small handmade registration workbooks.

Every expected figure is counted by hand from the rows written here (the counts are in
the comments and in EXPECTED) and every p-value is computed in the test with scipy
directly (`chi2_contingency(correction=False)`, `fisher_exact`) on the same counts, never
through the project's own helpers. The workbooks are real files read by the project's
reader; each row answers one question, so the counts per measure are exactly those
written.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, fisher_exact

from indikator_xl.domain import instrument as ins
from indikator_xl.figures.analysis import analyse, response_rates
from indikator_xl.figures.stats import add_previous, indicator_level, measure_table
from indikator_xl.validation.registration import load_registration
from tests.builders import registration

P, A, PE = ins.DELTAGARE_PAGAENDE, ins.DELTAGARE_AVSLUT, ins.PERSONAL
R, C, S = ins.REMITTENTER, ins.CHEFSGRUPP, ins.STYRELSE
KV, MAN, SAML = ins.KVINNOR, ins.MAN, "samtliga"


def rows_of(group: str, question: int, spec: list[tuple[int, tuple, object]]) -> list[list]:
    """`spec`: (how many rows, background values in the group's order, answer). Each row
    answers only `question`; Löpnummer is filled in by `numbered`."""
    g = ins.GROUPS_BY_NAME[group]
    out = []
    for count, background, code in spec:
        for _ in range(count):
            row = [None] * (1 + len(g.background) + len(g.questions))
            row[1:1 + len(background)] = list(background)
            row[len(g.background) + question] = code
            out.append(row)
    return out


def numbered(rows: list[list]) -> list[list]:
    for i, row in enumerate(rows, 1):
        row[0] = i
    return rows


def avslut_row(kon: str, f8: str, f9: object = None) -> list:
    row = [None] * 13  # Löpnummer, Kön, Insats, F1..F10
    row[1], row[10], row[11] = kon, f8, f9
    return row


GROUPS = {
    P: numbered([
        # F1: Fisher sizes (6 women, 6 men) with an insats breakdown.
        *rows_of(P, 1, [(2, ("K", "Team A"), 6), (1, ("K", "Team A"), 5),
                        (1, ("K", "Team A"), 4), (1, ("K", "Team B"), 3),
                        (1, ("K", "Team B"), 1), (1, ("M", "Team A"), 6),
                        (1, ("M", "Team A"), 2), (1, ("M", "Team A"), 4),
                        (1, ("M", "Team B"), 4), (1, ("M", "Team B"), 2),
                        (1, ("M", "Team B"), 1)]),
        # F2: women all 6, men all 1 — Fisher stars; varken eller has no answers at all.
        *rows_of(P, 2, [(6, ("K",), 6), (6, ("Man",), 1)]),
        # F3: 5 + 5 and two answers without gender: samtliga − kvinnor − män would reveal them.
        *rows_of(P, 3, [(5, ("Kvinna",), 5), (5, ("M",), 2), (1, ("Ej angett",), 4),
                        (1, (None,), 4)]),
        # F4: 5 + 5 + five without gender: shown, but every table has an empty margin.
        *rows_of(P, 4, [(5, ("K",), 6), (5, ("M",), 6), (5, ("Vill inte svara",), 1)]),
        # F5: one gender under 5 hides both.
        *rows_of(P, 5, [(4, ("K",), 4), (8, ("M",), 3)]),
        # F6 (indicator 7): the nyckeltal is the share Positivt.
        *rows_of(P, 6, [(3, ("K",), 4), (1, ("K",), 3), (1, ("K",), 2), (1, ("K",), 1),
                        (1, ("M",), 6), (1, ("M",), 5), (4, ("M",), 4)]),
        # F7: only women answered: no men counts as 0 men, which hides the women too.
        *rows_of(P, 7, [(6, ("K",), 5)]),
    ]),
    A: numbered([
        # F1: chi² sizes (20 + 20); negativt's smallest expected count is exactly 5.
        *rows_of(A, 1, [(12, ("K",), 6), (8, ("K",), 3), (4, ("M",), 6), (6, ("M",), 3),
                        (10, ("M",), 2)]),
        # F8 Ja/Nej with F9 only after Ja (one F9 after Nej is excluded with a warning).
        *[avslut_row("K", "Ja", 5) for _ in range(4)], avslut_row("K", "Nej", 6),
        *[avslut_row("M", "ja", 5) for _ in range(3)], *[avslut_row("M", "Nej") for _ in
                                                          range(2)],
    ]),
    PE: numbered([
        # F1: one small insats and every answer in some insats: the smallest shown is
        # hidden too (secondary suppression).
        *rows_of(PE, 1, [(7, ("Team A",), 6), (6, ("Team B",), 4), (3, ("Team C",), 1)]),
        # F2: the same, but two answers without insats: no secondary suppression.
        *rows_of(PE, 2, [(7, ("Team A",), 6), (6, ("Team B",), 4), (3, ("Team C",), 1),
                         (2, (None,), 3)]),
        # F3: two small cells: each hidden, nothing more.
        *rows_of(PE, 3, [(7, ("Team A",), 5), (3, ("Team B",), 2), (3, ("Team C",), 3)]),
        # F4: every insats shown, but two answers without insats would be samtliga − A − B:
        # the smallest shown insats is hidden.
        *rows_of(PE, 4, [(7, ("Team A",), 6), (6, ("Team B",), 4), (2, (None,), 3)]),
        # F5: five answers without insats are no small group: nothing hidden.
        *rows_of(PE, 5, [(7, ("Team A",), 6), (6, ("Team B",), 4), (5, (None,), 3)]),
    ]),
    R: numbered(rows_of(R, 1, [
        (6, ("Kommun", None), 6), (5, ("Försäkringskassan", None), 4),
        (3, ("Polisen", None), 2), (2, ("Annan", None), 2), (2, ("Hälso-Sjukvård", None), 5),
        (2, (None, None), 3)])),
    C: numbered(rows_of(C, 1, [(5, ("Grupp Norr",), 6), (1, ("grupp  norr ",), 6),
                               (4, ("Grupp Söder",), 3)])),
    S: numbered(rows_of(S, 1, [(3, (), 4)])),
}

# (group, question, dimension, undergrupp) → (n, negativt, varken eller, positivt,
# klart positivt, nyckeltal) as counts, dold. In report order.
EXPECTED: dict[tuple[str, int, str, str], tuple[tuple[int, ...], int]] = {
    (P, 1, SAML, SAML): ((12, 4, 1, 7, 4, 4), 0),
    (P, 1, "kon", KV): ((6, 1, 1, 4, 3, 3), 0),
    (P, 1, "kon", MAN): ((6, 3, 0, 3, 1, 1), 0),
    (P, 1, "insats", "Team A"): ((7, 1, 0, 6, 4, 4), 0),
    (P, 1, "insats", "Team B"): ((5, 3, 1, 1, 0, 0), 0),
    # Team A: women 6, 6, 5, 4; men 6, 2, 4. Team B: women 3, 1; men 4, 2, 1. All small.
    (P, 1, "insats_kon", "Team A – kvinnor"): ((4, 0, 0, 4, 3, 3), 1),
    (P, 1, "insats_kon", "Team A – män"): ((3, 1, 0, 2, 1, 1), 1),
    (P, 1, "insats_kon", "Team B – kvinnor"): ((2, 1, 1, 0, 0, 0), 1),
    (P, 1, "insats_kon", "Team B – män"): ((3, 2, 0, 1, 0, 0), 1),
    (P, 2, SAML, SAML): ((12, 6, 0, 6, 6, 6), 0),
    (P, 2, "kon", KV): ((6, 0, 0, 6, 6, 6), 0),
    (P, 2, "kon", MAN): ((6, 6, 0, 0, 0, 0), 0),
    (P, 3, SAML, SAML): ((12, 5, 0, 7, 5, 5), 0),
    (P, 3, "kon", KV): ((5, 0, 0, 5, 5, 5), 1),
    (P, 3, "kon", MAN): ((5, 5, 0, 0, 0, 0), 1),
    (P, 4, SAML, SAML): ((15, 5, 0, 10, 10, 10), 0),
    (P, 4, "kon", KV): ((5, 0, 0, 5, 5, 5), 0),
    (P, 4, "kon", MAN): ((5, 0, 0, 5, 5, 5), 0),
    (P, 5, SAML, SAML): ((12, 0, 8, 4, 0, 0), 0),
    (P, 5, "kon", KV): ((4, 0, 0, 4, 0, 0), 1),
    (P, 5, "kon", MAN): ((8, 0, 8, 0, 0, 0), 1),
    (P, 6, SAML, SAML): ((12, 2, 1, 9, 2, 9), 0),
    (P, 6, "kon", KV): ((6, 2, 1, 3, 0, 3), 0),
    (P, 6, "kon", MAN): ((6, 0, 0, 6, 2, 6), 0),
    (P, 7, SAML, SAML): ((6, 0, 0, 6, 6, 6), 0),
    (P, 7, "kon", KV): ((6, 0, 0, 6, 6, 6), 1),
    (A, 1, SAML, SAML): ((40, 10, 14, 16, 16, 16), 0),
    (A, 1, "kon", KV): ((20, 0, 8, 12, 12, 12), 0),
    (A, 1, "kon", MAN): ((20, 10, 6, 4, 4, 4), 0),
    (A, 8, SAML, SAML): ((10, 3, 0, 7, 7, 7), 0),
    (A, 8, "kon", KV): ((5, 1, 0, 4, 4, 4), 0),
    (A, 8, "kon", MAN): ((5, 2, 0, 3, 3, 3), 0),
    (A, 9, SAML, SAML): ((7, 0, 0, 7, 7, 7), 0),
    (A, 9, "kon", KV): ((4, 0, 0, 4, 4, 4), 1),
    (A, 9, "kon", MAN): ((3, 0, 0, 3, 3, 3), 1),
    (PE, 1, SAML, SAML): ((16, 3, 0, 13, 7, 7), 0),
    (PE, 1, "insats", "Team A"): ((7, 0, 0, 7, 7, 7), 0),
    (PE, 1, "insats", "Team B"): ((6, 0, 0, 6, 0, 0), 1),
    (PE, 1, "insats", "Team C"): ((3, 3, 0, 0, 0, 0), 1),
    (PE, 2, SAML, SAML): ((18, 3, 2, 13, 7, 7), 0),
    (PE, 2, "insats", "Team A"): ((7, 0, 0, 7, 7, 7), 0),
    (PE, 2, "insats", "Team B"): ((6, 0, 0, 6, 0, 0), 0),
    (PE, 2, "insats", "Team C"): ((3, 3, 0, 0, 0, 0), 1),
    (PE, 3, SAML, SAML): ((13, 3, 3, 7, 7, 7), 0),
    (PE, 3, "insats", "Team A"): ((7, 0, 0, 7, 7, 7), 0),
    (PE, 3, "insats", "Team B"): ((3, 3, 0, 0, 0, 0), 1),
    (PE, 3, "insats", "Team C"): ((3, 0, 3, 0, 0, 0), 1),
    (PE, 4, SAML, SAML): ((15, 0, 2, 13, 7, 7), 0),
    (PE, 4, "insats", "Team A"): ((7, 0, 0, 7, 7, 7), 0),
    (PE, 4, "insats", "Team B"): ((6, 0, 0, 6, 0, 0), 1),
    (PE, 5, SAML, SAML): ((18, 0, 5, 13, 7, 7), 0),
    (PE, 5, "insats", "Team A"): ((7, 0, 0, 7, 7, 7), 0),
    (PE, 5, "insats", "Team B"): ((6, 0, 0, 6, 0, 0), 0),
    (R, 1, SAML, SAML): ((20, 5, 2, 13, 8, 8), 0),
    (R, 1, "anstallning", "Försäkringskassan"): ((5, 0, 0, 5, 0, 0), 0),
    (R, 1, "anstallning", "Kommun"): ((6, 0, 0, 6, 6, 6), 0),
    (R, 1, "anstallning", "Hälso-Sjukvård"): ((2, 0, 0, 2, 2, 2), 1),
    (R, 1, "anstallning", "Annan"): ((5, 5, 0, 0, 0, 0), 0),
    (C, 1, SAML, SAML): ((10, 0, 4, 6, 6, 6), 0),
    (C, 1, "samverkansgrupp", "Grupp Norr"): ((6, 0, 0, 6, 6, 6), 1),
    (C, 1, "samverkansgrupp", "Grupp Söder"): ((4, 0, 4, 0, 0, 0), 1),
    (S, 1, SAML, SAML): ((3, 0, 0, 3, 0, 0), 0),
}
KEY = ["group", "question", "dimension", "undergrupp"]
SHARES = ("negativt", "varken_eller", "positivt", "klart_positivt", "nyckeltal")


@pytest.fixture(scope="module")
def reg(tmp_path_factory):
    return load_registration(registration(tmp_path_factory.mktemp("s") / "f.xlsx", GROUPS))


@pytest.fixture(scope="module")
def table(reg):
    return measure_table(reg.answers)


def row(table: pd.DataFrame, group: str, question: int, dim: str, sub: str) -> pd.Series:
    hit = table[(table.group == group) & (table.question == question)
                & (table.dimension == dim) & (table.undergrupp == sub)]
    assert len(hit) == 1, (group, question, dim, sub)
    return hit.iloc[0]


def test_the_workbook_reads_as_written(reg):
    # Three unknown employers (Polisen → Annan) and one F9 after Nej: warnings only.
    assert sorted((p.level, p.sheet, p.cell) for p in reg.problems) == [
        ("varning", A, "L46"), ("varning", R, "B13"), ("varning", R, "B14"),
        ("varning", R, "B15")]
    assert len(reg.answers) == 12 + 12 + 12 + 15 + 12 + 12 + 6 + 40 + 10 + 7 + 16 + 18 + 13 + 15 \
        + 18 + 20 + 10 + 3


def test_one_row_per_measure_and_subgroup_in_report_order(table):
    assert [tuple(r) for r in table[KEY].itertuples(index=False)] == list(EXPECTED)


def test_counts(table):
    counts = ["n", "n_negativt", "n_varken_eller", "n_positivt", "n_klart_positivt",
              "n_nyckeltal"]
    for k, (expected, _) in EXPECTED.items():
        r = row(table, *k)
        assert tuple(int(r[c]) for c in counts) == expected, k
        assert r.indikator == ins.question(k[0], k[1]).indicator


def test_shares_and_nyckeltal_unrounded_and_empty_when_hidden(table):
    for k, (counts, dold) in EXPECTED.items():
        r = row(table, *k)
        n = counts[0]
        for col, count in zip(SHARES, counts[1:], strict=True):
            if dold:
                assert math.isnan(r[col]), (k, col)
            else:
                assert r[col] == pytest.approx(float(Fraction(count, n)), abs=1e-15), (k, col)


def test_nyckeltal_rules_by_hand(table):
    # Klart positivt: Personal F1 samtliga, 7 of 16 answered 5 or 6.
    assert row(table, PE, 1, SAML, SAML).nyckeltal == pytest.approx(7 / 16)
    # Indicator 7 (F6): Positivt, 4–6. Women 4,4,4,3,2,1 → 3/6; men 6,5,4,4,4,4 → 6/6.
    assert ins.question(P, 6).indicator == 7
    assert row(table, P, 6, "kon", KV).nyckeltal == pytest.approx(0.5)
    assert row(table, P, 6, "kon", MAN).nyckeltal == pytest.approx(1.0)
    assert row(table, P, 6, SAML, SAML).nyckeltal == pytest.approx(9 / 12)
    assert row(table, P, 6, "kon", MAN).klart_positivt == pytest.approx(2 / 6)
    # F8: share Ja (7 of 10); positivt = klart positivt = Ja, negativt = Nej, varken 0.
    f8 = row(table, A, 8, SAML, SAML)
    assert (f8.nyckeltal, f8.positivt, f8.klart_positivt, f8.negativt, f8.varken_eller) == (
        pytest.approx(0.7), pytest.approx(0.7), pytest.approx(0.7), pytest.approx(0.3), 0.0)


def test_small_group_rule_and_uncertain_marks(table):
    for k, (counts, dold) in EXPECTED.items():
        r = row(table, *k)
        assert int(r.dold) == dold, k
        assert int(r.osaker) == int(counts[0] < 10), k
        assert int(r.n) == counts[0]  # a hidden cell keeps its n
        if dold:
            assert all(int(r[f"stjarna_{c}"]) == 0 for c in ins.CATEGORIES), k
    # The samtliga row is always shown, even with 3 answers.
    styrelse = row(table, S, 1, SAML, SAML)
    assert (styrelse.dold, styrelse.osaker, styrelse.nyckeltal) == (0, 1, 0.0)


# Why each hidden cell of EXPECTED is hidden (suppression.HiddenReason codes).
REASONS = {
    (P, 3, "kon", KV): "ej_angett_kon", (P, 3, "kon", MAN): "ej_angett_kon",
    (P, 5, "kon", KV): "fa_svar", (P, 5, "kon", MAN): "andra_konet",
    (P, 7, "kon", KV): "andra_konet",  # no men at all
    (A, 9, "kon", KV): "fa_svar", (A, 9, "kon", MAN): "fa_svar",
    (PE, 1, "insats", "Team B"): "rakna_fram", (PE, 1, "insats", "Team C"): "fa_svar",
    (PE, 2, "insats", "Team C"): "fa_svar",
    (PE, 3, "insats", "Team B"): "fa_svar", (PE, 3, "insats", "Team C"): "fa_svar",
    (PE, 4, "insats", "Team B"): "rakna_fram",
    (R, 1, "anstallning", "Hälso-Sjukvård"): "fa_svar",
    (C, 1, "samverkansgrupp", "Grupp Norr"): "rakna_fram",
    (C, 1, "samverkansgrupp", "Grupp Söder"): "fa_svar",
    **{(P, 1, "insats_kon", f"Team {t} – {g}"): "fa_svar" for t in "AB"
       for g in ("kvinnor", "män")},
}


def test_every_hidden_cell_has_its_reason(table):
    assert {k for k, (_, dold) in EXPECTED.items() if dold} == set(REASONS)
    for k in EXPECTED:
        assert row(table, *k).dold_orsak == REASONS.get(k), k


def _scipy_test(hits_a: int, n_a: int, hits_b: int, n_b: int) -> tuple[float | None, str | None]:
    """The SPEC §4 category test, computed with scipy directly."""
    t = np.array([[hits_a, n_a - hits_a], [hits_b, n_b - hits_b]])
    if (t.sum(axis=0) == 0).any() or (t.sum(axis=1) == 0).any():
        return None, None
    chi = chi2_contingency(t, correction=False)
    if chi.expected_freq.min() < 5:
        return float(fisher_exact(t, alternative="two-sided").pvalue), "fisher"
    return float(chi.pvalue), "chi2"


TESTED_PAIRS = [(P, 1, "fisher"), (P, 2, "fisher"), (P, 4, None), (P, 6, "fisher"),
                (A, 1, "chi2"), (A, 8, "fisher")]


@pytest.mark.parametrize(("group", "question", "test"), TESTED_PAIRS)
def test_gender_stars_against_scipy(table, group, question, test):
    women, men = row(table, group, question, "kon", KV), row(table, group, question, "kon", MAN)
    used = set()
    for cat in ins.CATEGORIES:
        p, kind = _scipy_test(int(women[f"n_{cat}"]), int(women.n), int(men[f"n_{cat}"]),
                              int(men.n))
        for r in (women, men):
            if p is None:
                assert math.isnan(r[f"p_{cat}"]) and r[f"stjarna_{cat}"] == 0, cat
            else:
                assert r[f"p_{cat}"] == pytest.approx(p, rel=1e-9, abs=1e-15), cat
                assert r[f"stjarna_{cat}"] == int(p < 0.05), cat
        if kind:
            used.add(kind)
    assert (("fisher" if "fisher" in used else "chi2") if used else None) == test
    assert women.test == men.test == test


def test_gender_stars_by_hand(table):
    # Avslut F1, chi²: negativt 0/20 vs 10/20, positivt and klart 12/20 vs 4/20: stars;
    # varken eller 8/20 vs 6/20: none.
    women = row(table, A, 1, "kon", KV)
    assert [int(women[f"stjarna_{c}"]) for c in ins.CATEGORIES] == [1, 0, 1, 1]
    # positivt: chi² = 40·(12·16 − 8·4)² / (20·20·16·24) = 20/3, p = erfc(√(10/3)).
    assert women.p_positivt == pytest.approx(math.erfc(math.sqrt(10 / 3)), rel=1e-12)
    # Pågående F2, Fisher: 6/6 vs 0/6, p = 2 / C(12, 6) = 2/924; varken eller: no answers.
    women = row(table, P, 2, "kon", KV)
    assert [int(women[f"stjarna_{c}"]) for c in ins.CATEGORIES] == [1, 0, 1, 1]
    assert women.p_klart_positivt == pytest.approx(2 / 924, rel=1e-12)
    assert math.isnan(women.p_varken_eller)


def test_no_test_where_cells_are_hidden_or_not_gender(table):
    for k in EXPECTED:
        r = row(table, *k)
        if k[2] != "kon" or r.dold == 1:
            assert r.test is None or (isinstance(r.test, float) and math.isnan(r.test)), k
            assert all(math.isnan(r[f"p_{c}"]) for c in ins.CATEGORIES), k
            assert math.isnan(r.p_hela_fragan), k


@pytest.mark.parametrize(("group", "question"), [(P, 1), (P, 2), (P, 6), (A, 1), (A, 8)])
def test_whole_question_p_against_scipy(table, group, question):
    women, men = row(table, group, question, "kon", KV), row(table, group, question, "kon", MAN)
    cats = ("n_negativt", "n_varken_eller", "n_positivt")
    t = np.array([[int(women[c]) for c in cats], [int(men[c]) for c in cats]])
    t = t[:, t.sum(axis=0) > 0]  # a category nobody chose is no column
    expected = chi2_contingency(t, correction=False).pvalue
    assert women.p_hela_fragan == pytest.approx(expected, rel=1e-9)
    assert men.p_hela_fragan == women.p_hela_fragan


def test_whole_question_p_by_hand_for_f8(table):
    # F8 is a 2×2 (Nej, Ja) × (women, men): [[1, 4], [2, 3]].
    women = row(table, A, 8, "kon", KV)
    stat = 10 * (1 * 3 - 4 * 2) ** 2 / (5 * 5 * 3 * 7)
    assert women.p_hela_fragan == pytest.approx(math.erfc(math.sqrt(stat / 2)), rel=1e-12)


def test_whole_question_p_is_empty_with_one_category(table):
    assert math.isnan(row(table, P, 4, "kon", KV).p_hela_fragan)


def test_employer_annan_has_its_own_row_and_counts_in_samtliga(table):
    annan = row(table, R, 1, "anstallning", "Annan")
    assert (int(annan.n), annan.negativt, annan.dold) == (5, 1.0, 0)  # 3 Polisen + 2 Annan
    employers = table[(table.group == R) & (table.dimension == "anstallning")]
    assert int(employers.n.sum()) == 18 and int(row(table, R, 1, SAML, SAML).n) == 20
    assert "Arbetsförmedlingen" not in set(employers.undergrupp)  # n = 0: no row


def test_samverkansgrupp_names_grouped_and_shown_as_first_written(table):
    groups = table[(table.group == C) & (table.dimension == "samverkansgrupp")]
    assert list(groups.undergrupp) == ["Grupp Norr", "Grupp Söder"]
    assert list(groups.n) == [6, 4]


def test_indicator_level_is_the_unweighted_mean_of_visible_measures(table):
    level = indicator_level(table).set_index(["indikator", "group", "dimension", "undergrupp"])
    # Indicator 6, avslut: F8 (7/10) and F9 (7/7), unweighted: (0.7 + 1) / 2.
    assert level.loc[(6, A, SAML, SAML), "nyckeltal"] == pytest.approx(0.85)
    # Women: F9 is hidden, so only F8 (4/5) enters.
    assert level.loc[(6, A, "kon", KV), "nyckeltal"] == pytest.approx(0.8)
    # Indicator 7 uses the share Positivt (pågående F6 samtliga 9/12).
    assert level.loc[(7, P, SAML, SAML), "nyckeltal"] == pytest.approx(0.75)
    # Hidden gender cells give no indicator level.
    assert (5, P, "kon", KV) not in level.index
    assert not any(d == "insats" for _, _, d, _ in level.index)


# --- the year test ----------------------------------------------------------------------------

CURRENT = {
    S: numbered([*rows_of(S, 1, [(15, (), 6), (5, (), 3)]),
                 *rows_of(S, 2, [(3, (), 5), (3, (), 2)]),
                 *rows_of(S, 3, [(5, (), 6)])]),
    P: numbered([*rows_of(P, 1, [(10, ("K", "Team A"), 6), (10, ("M", "Team A"), 1)]),
                 *rows_of(P, 2, [(3, ("K", "Team A"), 6), (10, ("M", "Team A"), 6)])]),
}
PREVIOUS = {
    S: numbered([*rows_of(S, 1, [(6, (), 6), (14, (), 4)]),
                 *rows_of(S, 2, [(4, (), 6)])]),
    P: numbered([*rows_of(P, 1, [(3, ("K", "Team A"), 6), (10, ("M", "Team A"), 6)]),
                 *rows_of(P, 2, [(10, ("K", "Team A"), 5), (10, ("M", "Team A"), 2)])]),
}


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ar")
    cur = load_registration(registration(tmp / "2023.xlsx", CURRENT))
    prev = load_registration(registration(
        tmp / "2022.xlsx", PREVIOUS, forbund=[[ins.KEY_NAME, "Testförbundet"],
                                              [ins.KEY_PERIOD, 2022]]))
    return cur, prev


def test_year_test_against_scipy(years):
    cur, prev = years
    table = add_previous(measure_table(cur.answers), measure_table(prev.answers))
    cases = [
        # (measure and subgroup, hits now, n now, hits before, n before)
        ((S, 1, SAML, SAML), 15, 20, 6, 20),   # chi²: 0.75 vs 0.30
        ((S, 2, SAML, SAML), 3, 6, 4, 4),      # samtliga is always tested: Fisher
        ((P, 1, SAML, SAML), 10, 20, 13, 13),  # Fisher: smallest expected 130/33 < 5
        ((P, 2, SAML, SAML), 13, 13, 10, 20),
    ]
    for k, hits, n, prev_hits, prev_n in cases:
        r = row(table, *k)
        p, kind = _scipy_test(hits, n, prev_hits, prev_n)
        assert (int(r.n_foregaende), r.nyckeltal_foregaende) == (
            prev_n, pytest.approx(prev_hits / prev_n)), k
        assert r.p_ar == pytest.approx(p, rel=1e-9), k
        assert r.test_ar == kind, k
        assert r.stjarna_ar == int(p < 0.05), k
    assert row(table, S, 1, SAML, SAML).stjarna_ar == 1
    assert row(table, S, 2, SAML, SAML).stjarna_ar == 0
    assert row(table, P, 1, SAML, SAML).stjarna_ar == 1


def test_year_test_with_hidden_or_missing_cells(years):
    cur, prev = years
    table = add_previous(measure_table(cur.answers), measure_table(prev.answers))
    # F1 last year: 3 women (hidden, and so the men too): n kept, nyckeltal empty, no star.
    for sub, n_prev in ((KV, 3), (MAN, 10)):
        r = row(table, P, 1, "kon", sub)
        assert r.dold == 0 and int(r.n_foregaende) == n_prev
        assert math.isnan(r.nyckeltal_foregaende) and r.stjarna_ar == 0
    # F2 this year: 3 women, so both hidden now: no star, last year's figure still shown.
    r = row(table, P, 2, "kon", MAN)
    assert r.dold == 1 and r.stjarna_ar == 0
    assert r.nyckeltal_foregaende == pytest.approx(0.0) and int(r.n_foregaende) == 10
    # Not asked last year: no previous figures.
    r = row(table, S, 3, SAML, SAML)
    assert pd.isna(r.n_foregaende) and math.isnan(r.nyckeltal_foregaende)
    assert r.stjarna_ar == 0
    # Insats rows get last year's figures but never a year star.
    r = row(table, P, 1, "insats", "Team A")
    assert int(r.n_foregaende) == 13 and r.nyckeltal_foregaende == pytest.approx(1.0)
    assert r.stjarna_ar == 0 and math.isnan(r.p_ar)


def test_analyse_uses_the_previous_registration(years):
    cur, prev = years
    result = analyse(cur, previous=prev)
    r = row(result.table, S, 1, SAML, SAML)
    assert (int(r.n_foregaende), r.stjarna_ar) == (20, 1)
    assert result.notes == [] or all("Föregående" not in n for n in result.notes)
    # The arrow for indicator 12 (Styrelse F1 only here): +45 points → ↑.
    verdicts = result.verdicts.set_index("indikator")
    assert verdicts.loc[12, "d_ar_samtliga"] == pytest.approx(45.0)
    assert verdicts.loc[12, "pil_samtliga"] == "↑"
    # Indicator 14 (Styrelse F2, F3): only F2 has a previous figure: 0.5 − 1.0 → ↓.
    assert verdicts.loc[14, "d_ar_samtliga"] == pytest.approx(-50.0)


# --- response rates ---------------------------------------------------------------------------

def test_response_rates_by_hand(tmp_path):
    groups = {
        P: numbered(rows_of(P, 1, [(3, ("K", "Team A"), 4), (2, ("M", "Team B"), 4),
                                   (1, (None, None), 4)])),
        PE: numbered(rows_of(PE, 1, [(4, ("Team A",), 4)])),
        R: numbered(rows_of(R, 1, [(5, ("Kommun", None), 4)])),
        S: numbered(rows_of(S, 1, [(2, (), 4)])),
    }
    pops = [[P, None, 20, 10], [P, "Team A", 12, 6], [P, "team b", 8, 4],
            [PE, "Team A", 10, 8], [PE, "Team B", 5, 2],  # only insats rows: summed
            [R, None, None, 25], [S, None, 8, None]]
    reg = load_registration(registration(tmp_path / "f.xlsx", groups, populations=pops))
    assert reg.errors == []
    rates = response_rates(reg)
    got = {(r.respondentgrupp, r.insats if isinstance(r.insats, str) else None): r
           for r in rates.itertuples(index=False)}
    assert list(got) == [(P, None), (P, "Team A"), (P, "Team B"), (PE, None), (PE, "Team A"),
                         (PE, "Team B"), (R, None), (S, None), ("Totalt", None)]

    def check(k, mal, und, svar, a, b, c):
        r = got[k]
        for value, exp in ((r.malpopulation, mal), (r.undersokt_population, und)):
            assert (pd.isna(value) and exp is None) or value == exp, k
        assert r.svar == svar, k
        for value, exp in ((r.andel_undersokt_av_mal, a), (r.andel_svar_av_undersokt, b),
                           (r.andel_svar_av_mal, c)):
            assert (math.isnan(value) and exp is None) or value == pytest.approx(exp), k

    check((P, None), 20, 10, 6, 10 / 20, 6 / 10, 6 / 20)
    check((P, "Team A"), 12, 6, 3, 6 / 12, 3 / 6, 3 / 12)
    check((P, "Team B"), 8, 4, 2, 4 / 8, 2 / 4, 2 / 8)
    check((PE, None), 15, 10, 4, 10 / 15, 4 / 10, 4 / 15)
    check((PE, "Team B"), 5, 2, 0, 2 / 5, 0.0, 0.0)
    check((R, None), None, 25, 5, None, 5 / 25, None)
    check((S, None), 8, None, 2, None, None, 2 / 8)
    # Totalt: målpopulation 20 + 15 + 8; undersökt 10 + 10 + 25; svar 6 + 4 + 5 + 2.
    # Against målpopulation only groups that have one (not remittenter): undersökt of
    # those with målpopulation (10 + 10) / 43, svar (6 + 4 + 2) / 43; svar/undersökt over
    # groups with an undersökt population: (6 + 4 + 5) / 45.
    check(("Totalt", None), 43, 45, 17, 20 / 43, 15 / 45, 12 / 43)
    assert (got[(P, None)].kvinnor, got[(P, None)].man, got[(P, None)].ej_angett_kon) == (3, 2, 1)


TABELL_3 = {  # group: (målpopulation, undersökt population, svar), national report 2023
    P: (2309, 1771, 1122), A: (1692, 1213, 900), PE: (492, 456, 372),
    C: (415, 368, 209), S: (260, 217, 154), R: (None, 294, 169),
}
TABELL_3_PERCENT = {  # printed: undersökt/mål, svar/undersökt, svar/mål
    P: (77, 63, 49), A: (72, 74, 53), PE: (93, 82, 76), C: (89, 57, 50), S: (83, 71, 59),
    R: (None, 57, None), "Totalt": (78, 68, 53),
}
GENDER = {P: (554, 479, 89), A: (469, 356, 75)}  # Tabell 4 and 5


def test_response_rates_reproduce_tabell_3_of_the_national_report(tmp_path):
    groups = {}
    for group, (_, _, svar) in TABELL_3.items():
        g = ins.GROUPS_BY_NAME[group]
        if group in GENDER:
            women, men, unstated = GENDER[group]
            spec = [(women, ("K", None), 4), (men, ("M", None), 4), (unstated, (None, None), 4)]
        else:
            spec = [(svar, (None,) * len(g.background), 4)]
        groups[group] = numbered(rows_of(group, 1, spec))
    pops = [[g, None, mal, und] for g, (mal, und, _) in TABELL_3.items()]
    reg = load_registration(registration(tmp_path / "riket.xlsx", groups, populations=pops))
    assert reg.errors == [] and len(reg.respondents) == 2926
    rates = response_rates(reg).set_index("respondentgrupp")
    for group, printed in TABELL_3_PERCENT.items():
        r = rates.loc[group]
        got = [None if math.isnan(x) else round(100 * x) for x in (
            r.andel_undersokt_av_mal, r.andel_svar_av_undersokt, r.andel_svar_av_mal)]
        assert tuple(got) == printed, group
    total = rates.loc["Totalt"]
    assert (total.malpopulation, total.undersokt_population, total.svar) == (5168, 4319, 2926)
    # The printed 78 %* and 53 %* leave remittenter out; with them it would read 57 %.
    assert round(100 * 2926 / 5168) == 57
    assert total.andel_svar_av_mal == pytest.approx(2757 / 5168)
    assert total.andel_undersokt_av_mal == pytest.approx(4025 / 5168)
    assert (rates.loc[P].kvinnor, rates.loc[P].man, rates.loc[P].ej_angett_kon) == GENDER[P]
    assert (rates.loc[A].kvinnor, rates.loc[A].man, rates.loc[A].ej_angett_kon) == GENDER[A]
