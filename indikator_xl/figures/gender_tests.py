"""The women-vs-men tests of SPEC §4 on a measure table's rows, as plain lists.

`gender_tests` pairs each measure's kvinnor and män rows: where the pair may be shown it
runs the per-category test (stars and p on both rows, `test` fisher or chi2) and the
whole-question test; where it may not (small cells, 1–4 answers without gender), it hides
the pair with its reason. `test_pair` is the per-category part, also used for the
national routine comparison.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from indikator_xl.domain import instrument as ins
from indikator_xl.figures.hidden_cells import (
    KON,
    SAMTLIGA,
    Cells,
    pair_reason,
    unstated_hides,
)
from indikator_xl.figures.significance import category_test, whole_question_p
from indikator_xl.figures.suppression import Thresholds, gender_pair_hidden

_WHOLE_QUESTION = ("negativt", "varken_eller", "positivt")


@dataclass
class Tests:
    """Per row: a star and p per category, the test used and the whole-question p."""

    stars: dict[str, list[int]]
    p: dict[str, list[float]]
    test: list[str | None]
    p_whole: list[float]

    @classmethod
    def empty(cls, rows: int) -> Tests:
        return cls({c: [0] * rows for c in ins.CATEGORIES},
                   {c: [math.nan] * rows for c in ins.CATEGORIES},
                   [None] * rows, [math.nan] * rows)


def test_pair(tests: Tests, counts: dict[str, list[int]], n: list[int], a: int, b: int,
              alpha: float) -> None:
    """The per-category tests between rows `a` and `b`: p-values, stars on both rows,
    and `test` = fisher if any category used Fisher, else chi2."""
    used = set()
    for cat in ins.CATEGORIES:
        res = category_test(counts[cat][a], n[a], counts[cat][b], n[b], alpha)
        if res.test is None:
            continue
        used.add(res.test)
        p = math.nan if res.p is None else res.p
        tests.p[cat][a] = tests.p[cat][b] = p
        tests.stars[cat][a] = tests.stars[cat][b] = int(res.significant)
    if used:
        tests.test[a] = tests.test[b] = "fisher" if "fisher" in used else "chi2"


test_pair.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def gender_tests(cells: Cells, counts: dict[str, list[int]],
                 thresholds: Thresholds) -> Tests:
    """Test every shown gender pair; hide every pair that may not be shown."""
    tests = Tests.empty(len(cells.n))
    n = cells.n
    for (group, question, _), rows in cells.by_measure((KON,)).items():
        by_gender = {cells.undergrupp[i]: i for i in rows}
        n_k = n[by_gender[ins.KVINNOR]] if ins.KVINNOR in by_gender else 0
        n_m = n[by_gender[ins.MAN]] if ins.MAN in by_gender else 0
        n_unstated = n[cells.index[(group, question, SAMTLIGA, SAMTLIGA)]] - n_k - n_m
        # A missing gender counts as 0 answers; a small not-stated group would be revealed
        # as samtliga − kvinnor − män, so it hides the pair too (docs/beslut.md).
        if gender_pair_hidden(n_k, n_m, thresholds) or unstated_hides(n_unstated, thresholds):
            for gender, i in by_gender.items():
                other = n_m if gender == ins.KVINNOR else n_k
                cells.hide(i, pair_reason(n[i], other, thresholds))
            continue
        k, m = by_gender[ins.KVINNOR], by_gender[ins.MAN]
        test_pair(tests, counts, n, k, m, thresholds.alpha)
        p_whole = whole_question_p([counts[c][k] for c in _WHOLE_QUESTION],
                                   [counts[c][m] for c in _WHOLE_QUESTION])
        tests.p_whole[k] = tests.p_whole[m] = math.nan if p_whole is None else p_whole
    return tests
