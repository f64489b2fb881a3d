"""The drafted sentences on hand-made figures: direction, significance, rikssnitt verdict,
gender, insats and small bases — and that they say nothing the figures do not hold."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indikator_xl.figures.suppression import Thresholds
from indikator_xl.report import comments as cm

BASE = cm.MeasureFacts(subject="bland deltagare pågående", key="klart positiva svar", n=78,
                       value=0.83)
VARIANTS = range(3)


@pytest.mark.parametrize("variant", VARIANTS)
def test_significant_rise(variant):
    m = replace(BASE, value=0.83, previous=0.59, year_significant=True)
    s = cm.year_sentence(m, 2021, variant)
    assert "ökat" in s and "minskat" not in s
    assert "59 %" in s and "83 %" in s and "2021" in s
    assert "signifikant" in s and "inte" not in s


@pytest.mark.parametrize("variant", VARIANTS)
def test_non_significant_fall(variant):
    m = replace(BASE, value=0.76, previous=0.81, year_significant=False)
    s = cm.year_sentence(m, 2021, variant)
    assert "minskat" in s and "ökat" not in s
    assert "81 %" in s and "76 %" in s
    assert "inte statistiskt signifikant" in s or "utan att skillnaden är statistiskt" in s


def test_unchanged_figure_has_no_direction():
    s = cm.year_sentence(replace(BASE, value=0.804, previous=0.796, year_significant=False),
                         2022)
    assert "ökat" not in s and "minskat" not in s and "80 %" in s


def test_no_previous_period_no_sentence():
    assert cm.year_sentence(BASE, 2022) is None
    # Without a previous period no change is claimed, even if a figure is at hand.
    assert cm.measure_comment(replace(BASE, previous=0.5), None) == []


@pytest.mark.parametrize(("value", "rikssnitt", "word"), [
    (0.83, 0.78, "över"),          # +5 points: Högre
    (0.70, 0.78, "under"),         # −8 points: Lägre
    (0.80, 0.78, "i nivå med"),    # +2 points: below the 4-point threshold
    (0.74, 0.78, "under"),         # exactly −4: the threshold counts as Lägre
])
def test_rikssnitt_by_the_verdict_rule(value, rikssnitt, word):
    m = replace(BASE, value=value, rikssnitt=rikssnitt)
    for variant in VARIANTS:
        s = cm.rikssnitt_sentence(m, variant=variant)
        expected = {"över": ("över", "högre än"), "under": ("under", "lägre än"),
                    "i nivå med": ("i nivå med", "varken högre eller lägre")}[word]
        assert any(w in s for w in expected), s
        assert cm.percent(value) in s and cm.percent(rikssnitt) in s


def test_rikssnitt_threshold_is_a_setting():
    m = replace(BASE, value=0.80, rikssnitt=0.78)
    assert "över" in cm.rikssnitt_sentence(m, Thresholds(verdict_points=2.0))


def test_hidden_gender_cells_are_said_and_no_difference_claimed():
    m = replace(BASE, gender_hidden=True, gender_significant=False)
    s = cm.gender_sentence(m)
    assert "per kön" in s or "Könsuppdelningen" in s
    assert "signifikant" not in s


def test_significant_gender_difference_names_the_higher_group():
    m = replace(BASE, women=0.86, men=0.63, gender_significant=True)
    s = cm.gender_sentence(m)
    assert "signifikant" in s and "86 %" in s and "63 %" in s
    assert s.index("kvinnorna") < s.index("männen")
    s = cm.gender_sentence(replace(m, women=0.55, men=0.80), variant=1)
    assert "männen svarar oftare" in s


def test_non_significant_gender_difference_is_not_mentioned():
    assert cm.gender_sentence(replace(BASE, women=0.90, men=0.70)) is None


def test_small_base():
    s = cm.small_base_sentence(replace(BASE, n=8))
    assert s == "Underlaget är litet (n = 8) och resultatet bör tolkas försiktigt."
    assert cm.small_base_sentence(replace(BASE, n=10)) is None


def test_insats_that_stands_out():
    m = replace(BASE, value=0.77, parts=(("S-team Avesta", 0.78, 30), ("S-team Säter", 0.50, 20),
                                          ("S-team Kraften", None, 4)))
    s = cm.part_sentence(m)
    assert "S-team Säter" in s and "50 %" in s and "lägre" in s
    close = replace(m, parts=(("S-team Avesta", 0.78, 30), ("S-team Säter", 0.70, 20)))
    assert cm.part_sentence(close) is None


def test_wording_varies_across_indicators():
    m = replace(BASE, previous=0.59, year_significant=True, rikssnitt=0.70)
    texts = {" ".join(cm.measure_comment(m, 2022, variant=v)) for v in range(6)}
    assert len(texts) >= 3


def test_indicator_sentence_follows_verdict_and_arrow():
    s = cm.indicator_sentence("Högre", "↓", "rikssnittet 2023", 2022)
    assert "högre än rikssnittet 2023" in s and "lägre än förbundets eget resultat 2022" in s
    assert cm.indicator_sentence(None, None, "rikssnittet", None) is None
    s = cm.indicator_sentence("Varken högre eller lägre", None, "rikssnittet 2023", None, 1)
    assert "varken högre eller lägre än rikssnittet 2023" in s and "eget" not in s


@pytest.mark.parametrize(("x", "text"), [(0.835, "84 %"), (0.825, "83 %"), (0.0, "0 %"),
                                         (1.0, "100 %"), (None, "–")])
def test_percent_rounds_half_up(x, text):
    assert cm.percent(x) == text
