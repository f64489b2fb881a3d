"""Unit tests for indikator_xl.figures.comparison (the verdict rule, SPEC §4)."""

from __future__ import annotations

import math

import pytest

from indikator_xl.domain.instrument import DELTAGARE_AVSLUT, DELTAGARE_PAGAENDE, measures_of
from indikator_xl.figures.comparison import (
    ARROW_DOWN,
    ARROW_FLAT,
    ARROW_UP,
    HIGHER,
    LOWER,
    NEITHER,
    arrow,
    count_line,
    gendered_measures,
    is_surveyed,
    mean_difference,
    verdict,
)


def test_mean_difference_in_points_unweighted():
    assert mean_difference([(0.80, 0.70), (0.50, 0.60), (0.90, 0.60)]) == pytest.approx(
        (10 - 10 + 30) / 3
    )


def test_mean_difference_skips_missing():
    pairs = [(0.80, 0.70), (None, 0.60), (0.90, None), (math.nan, 0.5), (0.5, math.nan)]
    assert mean_difference(pairs) == pytest.approx(10.0)
    assert mean_difference([(None, 0.5), (0.5, None)]) is None
    assert mean_difference([]) is None
    assert mean_difference(iter([(0.3, 0.3)])) == 0.0


def test_mean_difference_float_noise_cannot_cross_threshold():
    # (0.63 − 0.81 + 0.81 − 0.55) / 2 in floats is 0.039999999999999982.
    d = mean_difference([(0.63, 0.81), (0.81, 0.55)])
    assert d == 4.0
    assert verdict(d) == HIGHER
    assert mean_difference([(0.55, 0.59)]) == -4.0
    assert verdict(mean_difference([(0.55, 0.59)])) == LOWER


@pytest.mark.parametrize(
    "d,expected,arr",
    [
        (4.0, HIGHER, ARROW_UP),
        (3.999, NEITHER, ARROW_FLAT),
        (0.0, NEITHER, ARROW_FLAT),
        (-3.999, NEITHER, ARROW_FLAT),
        (-4.0, LOWER, ARROW_DOWN),
        (25.0, HIGHER, ARROW_UP),
        (-25.0, LOWER, ARROW_DOWN),
        (None, None, None),
    ],
)
def test_verdict_and_arrow(d, expected, arr):
    assert verdict(d) == expected
    assert arrow(d) == arr


def test_threshold_is_a_setting():
    assert verdict(4.5, threshold=5) == NEITHER
    assert verdict(5.0, threshold=5) == HIGHER
    assert arrow(-1.0, threshold=1.0) == ARROW_DOWN
    assert verdict(0.1, threshold=0) == HIGHER


def test_count_line():
    verdicts = [HIGHER] * 7 + [LOWER] * 5 + [NEITHER] * 3 + [None]
    assert count_line(verdicts) == (
        "7 av 15 indikatorer högre än rikssnittet, 3 varken högre eller lägre, 5 lägre"
    )
    assert count_line([HIGHER], reference="2021") == (
        "1 av 1 indikator högre än 2021, 0 varken högre eller lägre, 0 lägre"
    )
    assert count_line([None, None]) == "Inga indikatorer att jämföra med rikssnittet"
    with pytest.raises(ValueError):
        count_line(["Högre ", HIGHER])


def test_gendered_measures_come_from_the_instrument():
    for q in gendered_measures(6):
        assert q.group in (DELTAGARE_PAGAENDE, DELTAGARE_AVSLUT)
    assert len(gendered_measures(6)) == 3  # F8–F10 of Deltagare avslut
    assert len(measures_of(6)) == 5  # plus Personal and Remittenter
    gendered = [i for i in range(1, 17) if gendered_measures(i)]
    assert gendered == [1, 2, 3, 4, 5, 6, 7, 9]
    assert [i for i in range(1, 17) if not is_surveyed(i)] == [11]
