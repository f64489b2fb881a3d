"""Unit tests for indikator_xl.figures.suppression (the small-group rule, SPEC §4)."""

from __future__ import annotations

import dataclasses

import pytest

from indikator_xl.figures.suppression import (
    DEFAULT_THRESHOLDS,
    Thresholds,
    gender_pair_hidden,
    is_hidden,
    is_uncertain,
)


def test_defaults_are_the_nns_rules():
    nns = Thresholds(hide_below=5, uncertain_below=10, verdict_points=4.0, alpha=0.05)
    assert nns == DEFAULT_THRESHOLDS
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_THRESHOLDS.hide_below = 3  # type: ignore[misc]


@pytest.mark.parametrize("n,hidden", [(0, True), (1, True), (4, True), (5, False), (6, False)])
def test_hidden_below_five(n, hidden):
    assert is_hidden(n) is hidden
    assert is_hidden(n, DEFAULT_THRESHOLDS) is hidden


@pytest.mark.parametrize("n,uncertain", [(0, True), (5, True), (9, True), (10, False), (11, False)])
def test_uncertain_below_ten(n, uncertain):
    assert is_uncertain(n) is uncertain


@pytest.mark.parametrize(
    "women,men,hidden",
    [
        (5, 5, False),
        (4, 5, True),
        (5, 4, True),
        (4, 4, True),
        (0, 30, True),  # no women: men's cell would equal samtliga minus not stated
        (30, 0, True),
        (50, 24, False),
    ],
)
def test_gender_pair(women, men, hidden):
    assert gender_pair_hidden(women, men) is hidden
    assert gender_pair_hidden(men, women) is hidden


def test_thresholds_are_settings():
    strict = Thresholds(hide_below=10, uncertain_below=20)
    assert is_hidden(9, strict) and not is_hidden(10, strict)
    assert is_uncertain(19, strict) and not is_uncertain(20, strict)
    assert gender_pair_hidden(9, 50, strict) and not gender_pair_hidden(10, 10, strict)
    off = Thresholds(hide_below=0, uncertain_below=0)
    assert not is_hidden(0, off) and not is_uncertain(0, off)


@pytest.mark.parametrize(
    "kwargs",
    [{"hide_below": -1}, {"uncertain_below": -1}, {"verdict_points": -0.5}, {"alpha": 0},
     {"alpha": 1}],
)
def test_invalid_thresholds(kwargs):
    with pytest.raises(ValueError):
        Thresholds(**kwargs)
