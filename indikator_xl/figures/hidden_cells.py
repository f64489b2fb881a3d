"""Which breakdown cells of a measure table are hidden, and why (SPEC §4, docs/beslut.md).

The rules run on `Cells`: the measure table's key columns as plain lists, one entry per
row, so each rule reads as a loop over cells and costs no per-cell pandas indexing.
`stats.measure_table` builds `Cells`, applies the rules in their order (gender pairs,
fewer than hide_below, secondary, insats × kön) and writes `dold` and `dold_orsak` back.
A cell keeps the first reason it is hidden for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.text import sort_key
from indikator_xl.figures.suppression import HiddenReason, Thresholds

SAMTLIGA = "samtliga"
KON = "kon"
INSATS = "insats"
INSATS_KON = "insats_kon"

# The gender words of an insats × kön undergrupp, as SPEC §7 spells them.
GENDER_WORDS = {ins.KVINNOR: "kvinnor", ins.MAN: "män"}
_INSATS_GENDER_SEPARATOR = " – "


def insats_gender_label(insats: str, gender: str) -> str:
    """The undergrupp of an insats × kön cell: ("S-team Avesta", "man") → "S-team Avesta – män"."""
    return f"{insats}{_INSATS_GENDER_SEPARATOR}{GENDER_WORDS[gender]}"


def insats_gender_parts(undergrupp: str) -> tuple[str, str]:
    """The insats and gender (`instrument.KVINNOR` / `MAN`) of an insats × kön undergrupp."""
    insats, _, word = undergrupp.rpartition(_INSATS_GENDER_SEPARATOR)
    gender = {w: g for g, w in GENDER_WORDS.items()}[word]
    return insats, gender


@dataclass
class Cells:
    """The rows of a measure table as lists (index i is row i)."""

    group: list[str]
    question: list[int]
    dimension: list[str]
    undergrupp: list[str]
    n: list[int]
    hidden: list[int] = field(default_factory=list)
    reason: list[str | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.hidden = self.hidden or [0] * len(self.n)
        self.reason = self.reason or [None] * len(self.n)
        self.index = {(g, q, d, u): i for i, (g, q, d, u) in enumerate(zip(
            self.group, self.question, self.dimension, self.undergrupp, strict=True))}

    def hide(self, i: int, reason: HiddenReason) -> None:
        """Hide one cell; the first reason found is kept."""
        self.hidden[i] = 1
        if self.reason[i] is None:
            self.reason[i] = reason.value

    def smallest(self, indices: Iterable[int]) -> int:
        """The cell with the fewest answers; ties by name, so row order cannot change it."""
        return min(indices, key=lambda i: (self.n[i], sort_key(self.undergrupp[i])))

    def by_measure(self, dimensions: Iterable[str]) -> dict[tuple[str, int, str], list[int]]:
        """Row indices per (group, question, dimension), in order of first appearance."""
        wanted = set(dimensions)
        out: dict[tuple[str, int, str], list[int]] = {}
        for i, d in enumerate(self.dimension):
            if d in wanted:
                out.setdefault((self.group[i], self.question[i], d), []).append(i)
        return out


def unstated_hides(n_unstated: int, thresholds: Thresholds) -> bool:
    """1–4 answers without a stated gender hide the gender cells (unless opted out)."""
    return thresholds.hide_for_unstated_gender and 0 < n_unstated < thresholds.hide_below


def small_residual(n_residual: int, thresholds: Thresholds) -> bool:
    """1–4 answers outside every cell of a breakdown: computable as samtliga − the cells."""
    return 0 < n_residual < thresholds.hide_below


def pair_reason(n: int, n_other: int, thresholds: Thresholds) -> HiddenReason:
    """Why a gender cell whose pair is hidden is hidden: its own size first."""
    if n < thresholds.hide_below:
        return HiddenReason.FEW_ANSWERS
    if n_other < thresholds.hide_below:
        return HiddenReason.OTHER_GENDER
    return HiddenReason.UNSTATED_GENDER


def hide_small(cells: Cells, thresholds: Thresholds) -> None:
    """Every breakdown cell with fewer than hide_below answers."""
    for i, (d, n) in enumerate(zip(cells.dimension, cells.n, strict=True)):
        if d != SAMTLIGA and n < thresholds.hide_below:
            cells.hidden[i] = 1
            cells.reason[i] = HiddenReason.FEW_ANSWERS.value


def hide_secondary(cells: Cells, dimensions: Iterable[str], thresholds: Thresholds) -> None:
    """Where samtliga minus the shown cells of an insats/anställning/samverkansgrupp
    breakdown would reveal one small group, hide the smallest shown cell too.

    The small group is one hidden cell when every answer belongs to some cell, or the 1–4
    answers that belong to no cell (no insats given) when every cell is shown.
    """
    for (group, question, _dim), members in cells.by_measure(dimensions).items():
        total = cells.n[cells.index[(group, question, SAMTLIGA, SAMTLIGA)]]
        residual = total - sum(cells.n[i] for i in members)
        shown = [i for i in members if cells.hidden[i] != 1]
        unshown = len(members) - len(shown) + (1 if small_residual(residual, thresholds) else 0)
        if unshown == 1 and shown and (residual == 0 or small_residual(residual, thresholds)):
            cells.hide(cells.smallest(shown), HiddenReason.COMPUTABLE)


def hide_insats_gender(cells: Cells, thresholds: Thresholds) -> None:
    """The small-group rule for insats × kön cells (docs/beslut.md).

    Within an insats the two genders are shown or hidden together: a cell under
    hide_below, the other gender under hide_below, or 1–4 answers without gender in the
    insats (unless the older practice is chosen) hide both. Then no hidden cell may be
    computable: an insats is the sum of its two gender cells when every answer there has
    a gender, and a gender of the whole group (the kön row) is the sum of its insats
    cells when every such answer has an insats. Where exactly one member of such a sum
    (the total or a part) is hidden, the smallest shown part is hidden too, with its
    pair, until nothing changes.
    """
    hide = thresholds.hide_below
    n = cells.n
    for (group, question, _), part in cells.by_measure((INSATS_KON,)).items():
        by_insats: dict[str, dict[str, int]] = {}
        for i in part:
            insats, gender = insats_gender_parts(cells.undergrupp[i])
            by_insats.setdefault(insats, {})[gender] = i
        sums: list[tuple[int | None, list[int], bool]] = []
        for insats, pair in by_insats.items():
            n_pair = {g: n[pair[g]] if g in pair else 0 for g in GENDER_WORDS}
            total = cells.index[(group, question, INSATS, insats)]
            unstated = n[total] - sum(n_pair.values())
            for gender, i in pair.items():
                other = n_pair[ins.MAN if gender == ins.KVINNOR else ins.KVINNOR]
                if min(n_pair.values()) < hide or unstated_hides(unstated, thresholds):
                    cells.hide(i, pair_reason(n_pair[gender], other, thresholds))
            sums.append((total, list(pair.values()), unstated == 0))
        for gender in GENDER_WORDS:
            parts = [pair[gender] for pair in by_insats.values() if gender in pair]
            total_i = cells.index.get((group, question, KON, gender))
            covered = total_i is not None and sum(n[i] for i in parts) == n[total_i]
            sums.append((total_i, parts, covered))
        pair_of = {i: list(pair.values()) for pair in by_insats.values() for i in pair.values()}
        changed = True
        while changed:
            changed = False
            for total_i, parts, covered in sums:
                shown = [i for i in parts if cells.hidden[i] != 1]
                members = [*parts] + ([total_i] if total_i is not None else [])
                n_hidden = sum(cells.hidden[i] == 1 for i in members)
                if covered and n_hidden == 1 and shown:
                    for i in pair_of[cells.smallest(shown)]:
                        cells.hide(i, HiddenReason.COMPUTABLE)
                    changed = True
