"""The small-group rule (SPEC §4) and the other thresholds, as settings.

Applies to breakdown cells (kön, insats, insats × kön, anställning, samverkansgrupp).
The samtliga row of a group is always shown: callers do not ask `is_hidden` for it (it
may still be uncertain). A hidden cell keeps its n; its shares are empty and it carries
no star. Every hidden cell has one `HiddenReason`, which the sheets show in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Thresholds:
    """Settings of SPEC §4; the defaults are the NNS rules.

    hide_below: a breakdown cell with fewer answers than this is not shown ("–").
    uncertain_below: a cell with fewer answers than this is marked uncertain.
    verdict_points: |mean difference| below this many percentage points is
        "Varken högre eller lägre" (and the arrow →).
    alpha: significance level of the star tests.
    hide_for_unstated_gender: where 1–4 answers have no stated gender, hide the
        gender cells (samtliga − kvinnor − män would reveal those answers; the NNS
        rule, docs/beslut.md). False follows the reports' older practice: the gender
        cells are shown when both genders have hide_below or more, and the not-stated
        answers can then be computed. A förbund opts in (Förbund sheet, CLI option).
    """

    hide_below: int = 5
    uncertain_below: int = 10
    verdict_points: float = 4.0
    alpha: float = 0.05
    hide_for_unstated_gender: bool = True

    def __post_init__(self) -> None:
        if self.hide_below < 0 or self.uncertain_below < 0:
            raise ValueError("hide_below and uncertain_below must be >= 0")
        if self.verdict_points < 0:
            raise ValueError("verdict_points must be >= 0")
        if not 0 < self.alpha < 1:
            raise ValueError("alpha must be between 0 and 1")


DEFAULT_THRESHOLDS = Thresholds()


def is_hidden(n: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """True when a breakdown cell with `n` answers must not be shown (n < hide_below)."""
    return n < thresholds.hide_below


def is_uncertain(n: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """True when a cell with `n` answers is marked uncertain (n < uncertain_below)."""
    return n < thresholds.uncertain_below


def gender_pair_hidden(
    n_women: int, n_men: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> bool:
    """True when both gender cells of a question are hidden (and no gender test is run).

    Either gender with fewer than hide_below answers hides both: otherwise the shown
    cell and samtliga would reveal the hidden one.
    """
    return is_hidden(n_women, thresholds) or is_hidden(n_men, thresholds)


class HiddenReason(StrEnum):
    """Why a cell is hidden; the value is the code kept beside the cell (`dold_orsak`)."""

    FEW_ANSWERS = "fa_svar"
    """The cell itself has fewer than hide_below answers."""
    OTHER_GENDER = "andra_konet"
    """The other gender of the same group or insats has fewer than hide_below answers."""
    UNSTATED_GENDER = "ej_angett_kon"
    """1 to hide_below − 1 answers have no stated gender; they could be computed."""
    COMPUTABLE = "rakna_fram"
    """Secondary suppression: the shown cells would let a hidden cell be computed."""

    def text(self, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
        """The reason in the words a förbund chief reads on the result sheets."""
        return _REASON_TEXTS[self].format(n=thresholds.hide_below,
                                          m=max(thresholds.hide_below - 1, 1))


_REASON_TEXTS = {
    HiddenReason.FEW_ANSWERS: "färre än {n} svar",
    HiddenReason.OTHER_GENDER: "det andra könet har färre än {n} svar",
    HiddenReason.UNSTATED_GENDER: ("1–{m} svarande har inte angett kön, och deras svar "
                                   "skulle annars kunna räknas fram"),
    HiddenReason.COMPUTABLE: ("dold för att en liten grupp annars skulle kunna räknas "
                              "fram ur de visade cellerna"),
}
