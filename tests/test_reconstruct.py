"""indikator_xl.figures.reconstruct against a brute force over exact fractions."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest

from indikator_xl.figures.reconstruct import consistent_counts, consistent_splits, point_estimate


def _half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def _brute(n: int, percent: int) -> list[int]:
    """k accepted when 100k/n rounds to percent half up or half to even (Python round)."""
    return [k for k in range(n + 1)
            if percent in (_half_up(Fraction(100 * k, n)), round(Fraction(100 * k, n)))]


@pytest.mark.parametrize("n", [*range(1, 41), 200, 395, 1114])
def test_consistent_counts_equal_brute_force(n: int) -> None:
    for percent in range(101):
        assert list(consistent_counts(n, percent)) == _brute(n, percent), (n, percent)


def test_both_rounding_conventions_are_accepted() -> None:
    # 1/8 = 12.5 %: half up gives 13, half even 12; 3/8 = 37.5 %: 38 either way.
    assert 1 in consistent_counts(8, 12) and 1 in consistent_counts(8, 13)
    assert 3 in consistent_counts(8, 38) and 3 not in consistent_counts(8, 37)


def test_impossible_percent_is_empty_and_point_estimate_refuses() -> None:
    assert not consistent_counts(3, 50)
    with pytest.raises(ValueError):
        point_estimate(3, 50)


@pytest.mark.parametrize(("n", "percent"), [(0, 10), (10, -1), (10, 101)])
def test_invalid_input(n: int, percent: int) -> None:
    with pytest.raises(ValueError):
        consistent_counts(n, percent)


def test_point_estimate_is_nearest_and_lower_on_tie() -> None:
    assert point_estimate(552, 81) == 447  # 447.12
    assert point_estimate(200, 50) == 100
    assert point_estimate(8, 13) == 1  # 1.04
    assert point_estimate(150, 1) == 1  # 1.5: 1 (0.67 %) and 2 (1.33 %) both fit; tie → 1
    for n, percent in product((7, 66, 474), range(101)):
        counts = consistent_counts(n, percent)
        if counts:
            k = point_estimate(n, percent)
            assert k in counts
            assert all(abs(100 * k - n * percent) <= abs(100 * j - n * percent) for j in counts)


def test_consistent_splits_add_up_and_match_each_share() -> None:
    splits = consistent_splits(395, [6, 13, 80])
    assert splits == [(25, 53, 317)]  # each share alone would allow 4 × 4 × 3 counts
    for n, shares in ((40, [20, 30, 50]), (7, [14, 29, 57]), (343, [11, 89])):
        got = consistent_splits(n, shares)
        brute = [s for s in product(*(range(n + 1) for _ in shares))
                 if sum(s) == n and all(k in consistent_counts(n, p)
                                        for k, p in zip(s, shares, strict=True))]
        assert got == brute
    assert consistent_splits(10, [50, 40]) == []  # cannot add up to 10
