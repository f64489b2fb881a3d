"""Unit tests for indikator_xl.figures.significance (SPEC §4 star tests)."""

from __future__ import annotations

import math
import random
import time
from fractions import Fraction
from statistics import NormalDist

import pytest
from scipy.stats import chi2_contingency, fisher_exact

from indikator_xl.figures.significance import (
    CHI2,
    FISHER,
    TestResult,
    _chi2_2x2_p,
    category_test,
    whole_question_p,
)


def _textbook_chi2(table: list[list[int]]) -> float:
    """Σ (O − E)² / E with E = row total × column total / N."""
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    n = sum(rows)
    return sum(
        (table[i][j] - rows[i] * cols[j] / n) ** 2 / (rows[i] * cols[j] / n)
        for i in range(len(rows)) for j in range(len(cols))
    )


def _exact_fisher(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher p in exact rational arithmetic: Σ P(x) over P(x) ≤ P(observed)."""
    row1, col1, n = a + b, a + c, a + b + c + d

    def prob(x: int) -> Fraction:
        return Fraction(math.comb(col1, x) * math.comb(n - col1, row1 - x), math.comb(n, row1))

    observed = prob(a)
    support = range(max(0, row1 + col1 - n), min(row1, col1) + 1)
    return float(sum(p for p in map(prob, support) if p <= observed))


# --- hand-checkable tables ----------------------------------------------------------

def test_chi2_hand_checked():
    # [[30, 70], [50, 50]]: E = [[40, 60], [40, 60]], χ² = 2·(10²/40 + 10²/60) = 25/3.
    stat = _textbook_chi2([[30, 70], [50, 50]])
    assert stat == pytest.approx(25 / 3, rel=1e-14)
    p_expected = 2 * (1 - NormalDist().cdf(math.sqrt(stat)))  # χ²(1) = Z²
    result = category_test(30, 100, 50, 100)
    assert result.test == CHI2
    assert result.p == pytest.approx(p_expected, rel=1e-9)
    assert result.p == pytest.approx(0.003892, abs=1e-6)
    assert result.significant


def test_fisher_hand_checked():
    # [[3, 0], [0, 3]]: the two extreme tables each have P = 1/C(6,3) = 1/20.
    result = category_test(3, 3, 0, 3)
    assert result.test == FISHER
    assert result.p == pytest.approx(0.1, rel=1e-12)
    assert not result.significant


@pytest.mark.parametrize(
    "a,b,c,d",
    [(1, 9, 6, 4), (0, 5, 4, 1), (2, 7, 8, 3), (12, 3, 2, 1), (5, 0, 1, 6), (4, 4, 4, 4)],
)
def test_fisher_matches_exact_rational_computation(a, b, c, d):
    result = category_test(a, a + b, c, c + d)
    assert result.test == FISHER
    assert result.p == pytest.approx(_exact_fisher(a, b, c, d), abs=1e-12)


def test_not_significant_at_exactly_alpha():
    r = category_test(30, 100, 50, 100)
    assert category_test(30, 100, 50, 100, alpha=r.p).significant is False
    assert category_test(30, 100, 50, 100, alpha=math.nextafter(r.p, 1)).significant is True


# --- the switch to Fisher ------------------------------------------------------------

def test_switch_at_expected_count_five_equal_groups():
    # n_a = n_b = 10: smallest expected = 10 · (hits) / 20.
    assert category_test(5, 10, 5, 10).test == CHI2  # expected exactly 5.0 → chi²
    assert category_test(5, 10, 4, 10).test == FISHER  # 9 hits: expected 4.5 → Fisher


def test_switch_at_expected_count_five_unequal_groups():
    # n_a = 12, n_b = 18, N = 30: smallest expected = 12 · min(column) / 30.
    assert category_test(6, 12, 7, 18).test == CHI2  # columns 13 / 17: 5.2
    assert category_test(6, 12, 6, 18).test == FISHER  # columns 12 / 18: 4.8
    assert category_test(6, 12, 11, 18).test == CHI2  # columns 17 / 13: 5.2
    assert category_test(6, 12, 12, 18).test == FISHER  # columns 18 / 12: 4.8


# --- no test possible ---------------------------------------------------------------

@pytest.mark.parametrize(
    "args",
    [
        (0, 0, 3, 10),  # group A has no answers
        (3, 10, 0, 0),  # group B has no answers
        (0, 10, 0, 20),  # nobody in the category
        (10, 10, 20, 20),  # everybody in the category
        (0, 0, 0, 0),
    ],
)
def test_empty_margin_gives_no_test(args):
    assert category_test(*args) == TestResult(p=None, test=None, significant=False)


@pytest.mark.parametrize("args", [(-1, 5, 2, 5), (6, 5, 2, 5), (2, 5, 3, 2), (1.0, 5, 2, 5)])
def test_invalid_counts_rejected(args):
    with pytest.raises((ValueError, TypeError)):
        category_test(*args)


# --- against scipy, symmetry ---------------------------------------------------------

def _random_tables(count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        scale = rng.choice((8, 30, 200, 5000))
        yield tuple(rng.randint(0, scale) for _ in range(4))


def test_closed_form_chi2_equals_scipy():
    checked = 0
    worst = 0.0
    for a, b, c, d in _random_tables(3000, seed=1):
        if 0 in (a + b, c + d, a + c, b + d):
            continue
        expected = chi2_contingency([[a, b], [c, d]], correction=False)[1]
        got = _chi2_2x2_p(a, b, c, d)
        worst = max(worst, abs(got - expected))
        assert got == pytest.approx(expected, abs=1e-12, rel=1e-9), (a, b, c, d)
        checked += 1
    assert checked > 2500
    assert worst < 1e-12


def test_category_test_matches_scipy_on_either_path():
    for a, b, c, d in _random_tables(600, seed=2):
        result = category_test(a, a + b, c, c + d)
        if result.test is None:
            continue
        if result.test == CHI2:
            expected = chi2_contingency([[a, b], [c, d]], correction=False)[1]
        else:
            expected = fisher_exact([[a, b], [c, d]]).pvalue
        assert result.p == pytest.approx(expected, abs=1e-12), (a, b, c, d, result)


def test_symmetric_in_a_and_b():
    for a, b, c, d in _random_tables(1000, seed=3):
        assert category_test(a, a + b, c, c + d) == category_test(c, c + d, a, a + b)
    # Also the category and its complement give the same p.
    assert category_test(2, 9, 7, 10).p == category_test(7, 9, 3, 10).p


def test_cached_fisher_is_fast():
    category_test(2, 9, 7, 10)
    start = time.perf_counter()
    for _ in range(1000):
        category_test(2, 9, 7, 10)
    assert time.perf_counter() - start < 0.05  # ~2 µs per call; uncached ~300 µs


def test_chi2_path_is_fast():
    start = time.perf_counter()
    for a, b, c, d in [(30, 70, 50, 50)] * 5000:
        category_test(a, a + b, c, c + d)
    assert time.perf_counter() - start < 0.25  # ~2 µs per call


# --- whole-question chi² --------------------------------------------------------------

def test_whole_question_hand_checked():
    a, b = (10, 20, 30), (30, 20, 10)
    stat = _textbook_chi2([list(a), list(b)])
    assert stat == pytest.approx(20.0)  # E = 20 everywhere: (100 + 0 + 100) · 2 / 20
    assert whole_question_p(a, b) == pytest.approx(math.exp(-stat / 2), rel=1e-12)  # df = 2


def test_whole_question_matches_scipy():
    rng = random.Random(4)
    for _ in range(500):
        a = [rng.randint(0, 40) for _ in range(3)]
        b = [rng.randint(0, 40) for _ in range(3)]
        keep = [j for j in range(3) if a[j] or b[j]]
        got = whole_question_p(a, b)
        if len(keep) < 2 or sum(a) == 0 or sum(b) == 0:
            assert got is None
            continue
        table = [[a[j] for j in keep], [b[j] for j in keep]]
        expected = chi2_contingency(table, correction=False)[1]
        assert got == pytest.approx(expected, abs=1e-12, rel=1e-9), table


def test_whole_question_yes_no_is_the_2x2():
    # F8 (Ja / Nej): pass (nej, 0, ja); the empty middle column is dropped.
    p = whole_question_p((3, 0, 17), (9, 0, 11))
    assert p == pytest.approx(chi2_contingency([[3, 17], [9, 11]], correction=False)[1])
    assert p == pytest.approx(_chi2_2x2_p(3, 17, 9, 11), rel=1e-12)


@pytest.mark.parametrize(
    "a,b",
    [
        ((0, 0, 5), (0, 0, 9)),  # one usable column
        ((0, 0, 0), (1, 2, 3)),  # empty row
        ((0, 0, 0), (0, 0, 0)),
    ],
)
def test_whole_question_none(a, b):
    assert whole_question_p(a, b) is None


def test_whole_question_rejects_bad_input():
    with pytest.raises(ValueError):
        whole_question_p((1, 2, 3), (1, 2))
    with pytest.raises(ValueError):
        whole_question_p((1, -2, 3), (1, 2, 3))
