"""Key figures per measure and subgroup, with stars and the small-group rule (SPEC §4).

`measure_table` turns a tidy answer table (registration.ANSWER_COLUMNS) into the long
result table: one row per measure and subgroup with counts, shares, the nyckeltal, the
women-vs-men stars and p-values, the hidden/uncertain flags and why a cell is hidden
(`dold_orsak`, a `suppression.HiddenReason` code). Participant groups are also split by
insats × kön (dimension `insats_kon`, undergrupp "<insats> – kvinnor" / "<insats> – män",
see `insats_gender_label`). `add_previous` adds the previous period and the year test.
No Excel library is used here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument as ins
from indikator_xl.domain.text import sort_key
from indikator_xl.figures.significance import category_test, whole_question_p
from indikator_xl.figures.suppression import (
    DEFAULT_THRESHOLDS,
    HiddenReason,
    Thresholds,
    gender_pair_hidden,
)

SAMTLIGA = "samtliga"
KON = "kon"
INSATS = "insats"
ANSTALLNING = "anstallning"
SAMVERKANSGRUPP = "samverkansgrupp"
INSATS_KON = "insats_kon"
LOCAL_DIMENSIONS: tuple[str, ...] = (SAMTLIGA, KON, INSATS, INSATS_KON, ANSTALLNING,
                                     SAMVERKANSGRUPP)
NATIONAL_DIMENSIONS: tuple[str, ...] = (SAMTLIGA, KON, ANSTALLNING)

# Which answer column and which groups each breakdown uses.
_BREAKDOWN_SOURCE: dict[str, tuple[str, ins.Background]] = {
    KON: ("kon", ins.Background.KON),
    INSATS: ("insats", ins.Background.INSATS),
    ANSTALLNING: ("anstallning", ins.Background.ANSTALLNING),
    SAMVERKANSGRUPP: ("samverkansgrupp", ins.Background.SAMVERKANSGRUPP),
}

COUNT_COLUMNS = tuple(f"n_{c}" for c in ins.CATEGORIES)
STAR_COLUMNS = tuple(f"stjarna_{c}" for c in ins.CATEGORIES)
P_COLUMNS = tuple(f"p_{c}" for c in ins.CATEGORIES)

# The gender words of an insats × kön undergrupp, as SPEC §7 spells them.
_GENDER_WORDS = {ins.KVINNOR: "kvinnor", ins.MAN: "män"}
_INSATS_GENDER_SEPARATOR = " – "


def insats_gender_label(insats: str, gender: str) -> str:
    """The undergrupp of an insats × kön cell: ("S-team Avesta", "man") → "S-team Avesta – män"."""
    return f"{insats}{_INSATS_GENDER_SEPARATOR}{_GENDER_WORDS[gender]}"


def insats_gender_parts(undergrupp: str) -> tuple[str, str]:
    """The insats and gender (`instrument.KVINNOR` / `MAN`) of an insats × kön undergrupp."""
    insats, _, word = undergrupp.rpartition(_INSATS_GENDER_SEPARATOR)
    gender = {w: g for g, w in _GENDER_WORDS.items()}[word]
    return insats, gender


def _category_lookup() -> pd.DataFrame:
    rows = []
    for q in ins.QUESTIONS:
        for o in q.scale.options:
            rows.append((q.group, q.number, o.code, q.indicator,
                         *(int(c in o.categories) for c in ins.CATEGORIES),
                         int(q.key_category in o.categories)))
    return pd.DataFrame(rows, columns=["group", "question", "code", "indikator",
                                       *COUNT_COLUMNS, "n_nyckeltal"])


_LOOKUP = _category_lookup()
_GROUP_ORDER = {g.name: i for i, g in enumerate(ins.GROUPS)}
_DIMENSION_ORDER = {d: i for i, d in enumerate(LOCAL_DIMENSIONS)}
_GENDER_ORDER = {ins.KVINNOR: 0, ins.MAN: 1}
_EMPLOYER_ORDER = {e: i for i, e in enumerate(ins.EMPLOYERS)}


def _flagged(answers: pd.DataFrame) -> pd.DataFrame:
    """Answers with one 0/1 column per category and for the nyckeltal category."""
    return answers.merge(_LOOKUP, on=["group", "question", "code"], how="left", validate="m:1")


def _aggregate(flagged: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    agg = flagged.groupby(by, sort=False, dropna=True, observed=True)[
        [*COUNT_COLUMNS, "n_nyckeltal"]].sum()
    agg.insert(0, "n", flagged.groupby(by, sort=False, dropna=True, observed=True).size())
    return agg.reset_index()


def measure_table(answers: pd.DataFrame, dimensions: Sequence[str] = LOCAL_DIMENSIONS,
                  thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The long result table for one answer table (one förbund, or the whole country)."""
    flagged = _flagged(answers)
    parts = []
    base = _aggregate(flagged, ["group", "question"])
    base["dimension"], base["undergrupp"] = SAMTLIGA, SAMTLIGA
    parts.append(base)
    for dim in dimensions:
        if dim in (SAMTLIGA, INSATS_KON):
            continue
        column, background = _BREAKDOWN_SOURCE[dim]
        groups = [g.name for g in ins.GROUPS if background in g.background]
        sub = flagged[flagged["group"].isin(groups) & flagged[column].notna()]
        if sub.empty:
            continue
        agg = _aggregate(sub, ["group", "question", column])
        agg["dimension"] = dim
        agg = agg.rename(columns={column: "undergrupp"})
        parts.append(agg)
    if INSATS_KON in dimensions:
        parts.append(_insats_gender_counts(flagged))
    table = pd.concat(parts, ignore_index=True)
    table = table[table["n"] > 0]
    table["indikator"] = [ins.question(g, q).indicator
                          for g, q in zip(table["group"], table["question"], strict=True)]
    for cat, count in zip(ins.CATEGORIES, COUNT_COLUMNS, strict=True):
        table[cat] = table[count] / table["n"]
    table[colname.KEY_FIGURE] = table["n_nyckeltal"] / table["n"]
    table = _gender_tests(table, thresholds)
    table = _suppress(table, thresholds)
    return _ordered(table)


def _insats_gender_counts(flagged: pd.DataFrame) -> pd.DataFrame:
    """Counts per insats × kön of the groups that record both (the participants)."""
    groups = [g.name for g in ins.GROUPS
              if {ins.Background.KON, ins.Background.INSATS} <= set(g.background)]
    sub = flagged[flagged["group"].isin(groups) & flagged["insats"].notna()
                  & flagged["kon"].isin(tuple(_GENDER_WORDS))]
    if sub.empty:
        return pd.DataFrame()
    agg = _aggregate(sub, ["group", "question", "insats", "kon"])
    agg["dimension"] = INSATS_KON
    agg["undergrupp"] = [insats_gender_label(i, k)
                         for i, k in zip(agg["insats"], agg["kon"], strict=True)]
    return agg.drop(columns=["insats", "kon"])


def _gender_tests(table: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    for col in STAR_COLUMNS:
        table[col] = 0
    for col in P_COLUMNS:
        table[col] = np.nan
    table["test"] = None
    table["p_hela_fragan"] = np.nan
    table["dold"] = 0
    table[colname.HIDDEN_REASON] = None
    gender = table[table["dimension"] == KON]
    totals = table[table["dimension"] == SAMTLIGA].set_index(["group", "question"])["n"]
    for (group, question), pair in gender.groupby(["group", "question"], sort=False):
        rows = {u: i for i, u in zip(pair.index, pair["undergrupp"], strict=True)}
        n_k = int(table.loc[rows[ins.KVINNOR], "n"]) if ins.KVINNOR in rows else 0
        n_m = int(table.loc[rows[ins.MAN], "n"]) if ins.MAN in rows else 0
        n_unstated = int(totals[(group, question)]) - n_k - n_m
        # A missing gender counts as 0 answers; a small not-stated group would be revealed
        # as samtliga − kvinnor − män, so it hides the pair too (docs/beslut.md).
        if (gender_pair_hidden(n_k, n_m, thresholds)
                or _unstated_hides(n_unstated, thresholds)):
            for gender, i in rows.items():
                other = n_m if gender == ins.KVINNOR else n_k
                _hide(table, i, _pair_reason(int(table.at[i, "n"]), other, thresholds))
            continue
        k, m = rows[ins.KVINNOR], rows[ins.MAN]
        _test_pair(table, k, m, thresholds)
        three = ("n_negativt", "n_varken_eller", "n_positivt")
        p_whole = whole_question_p([int(table.loc[k, c]) for c in three],
                                   [int(table.loc[m, c]) for c in three])
        table.loc[[k, m], "p_hela_fragan"] = p_whole
    return table


def _unstated_hides(n_unstated: int, thresholds: Thresholds) -> bool:
    return thresholds.hide_for_unstated_gender and 0 < n_unstated < thresholds.hide_below


def _pair_reason(n: int, n_other: int, thresholds: Thresholds) -> HiddenReason:
    """Why a gender cell whose pair is hidden is hidden: its own size first."""
    if n < thresholds.hide_below:
        return HiddenReason.FEW_ANSWERS
    if n_other < thresholds.hide_below:
        return HiddenReason.OTHER_GENDER
    return HiddenReason.UNSTATED_GENDER


def _hide(table: pd.DataFrame, index: int, reason: HiddenReason) -> None:
    """Hide one cell; the first reason found is kept."""
    table.at[index, "dold"] = 1
    if table.at[index, colname.HIDDEN_REASON] is None:
        table.at[index, colname.HIDDEN_REASON] = reason.value


def _test_pair(table: pd.DataFrame, a: int, b: int, thresholds: Thresholds) -> None:
    """The per-category tests of SPEC §4 between rows `a` and `b`: p-values, stars on
    both rows, and `test` = fisher if any category used Fisher, else chi2."""
    n_a, n_b = int(table.loc[a, "n"]), int(table.loc[b, "n"])
    used = set()
    for count, star, pcol in zip(COUNT_COLUMNS, STAR_COLUMNS, P_COLUMNS, strict=True):
        res = category_test(int(table.loc[a, count]), n_a, int(table.loc[b, count]), n_b,
                            thresholds.alpha)
        if res.test is None:
            continue
        used.add(res.test)
        table.loc[[a, b], pcol] = res.p
        table.loc[[a, b], star] = int(res.significant)
    if used:
        table.loc[[a, b], "test"] = "fisher" if "fisher" in used else "chi2"


def _suppress(table: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    breakdown = table["dimension"] != SAMTLIGA
    small = breakdown & (table["n"] < thresholds.hide_below)
    table.loc[small, "dold"] = 1
    table.loc[small, colname.HIDDEN_REASON] = HiddenReason.FEW_ANSWERS.value
    _secondary_suppression(table)
    _insats_gender_suppression(table, thresholds)
    hidden = table["dold"] == 1
    for col in (*ins.CATEGORIES, colname.KEY_FIGURE):
        table.loc[hidden, col] = np.nan
    for col in STAR_COLUMNS:
        table.loc[hidden, col] = 0
    table["osaker"] = (table["n"] < thresholds.uncertain_below).astype(int)
    return table


def _secondary_suppression(table: pd.DataFrame) -> None:
    """Where one cell of an insats/anställning/samverkansgrupp breakdown is hidden and
    every answer belongs to some cell, samtliga minus the shown cells would reveal it:
    hide the smallest shown cell too."""
    totals = table[table["dimension"] == SAMTLIGA].set_index(["group", "question"])["n"]
    others = table[~table["dimension"].isin((SAMTLIGA, KON, INSATS_KON))]
    for (group, question, _dim), cells in others.groupby(["group", "question", "dimension"],
                                                          sort=False):
        hidden = cells[cells["dold"] == 1]
        shown = cells[cells["dold"] != 1]
        covered = int(cells["n"].sum()) == int(totals[(group, question)])
        if len(hidden) == 1 and covered and len(shown):
            # The smallest shown cell; ties by name, so row order cannot change the choice.
            _hide(table, _smallest(table, list(shown.index)), HiddenReason.COMPUTABLE)


def _smallest(table: pd.DataFrame, indices: list[int]) -> int:
    """The cell with the fewest answers; ties by name, so row order cannot change it."""
    return min(indices, key=lambda i: (int(table.at[i, "n"]),
                                       sort_key(table.at[i, "undergrupp"])))


def _insats_gender_suppression(table: pd.DataFrame, thresholds: Thresholds) -> None:
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
    cells = table[table["dimension"] == INSATS_KON]
    if cells.empty:
        return
    hide = thresholds.hide_below
    index = {(g, q, d, u): i for i, g, q, d, u in zip(
        table.index, table["group"], table["question"], table["dimension"],
        table["undergrupp"], strict=True)}
    for (group, question), part in cells.groupby(["group", "question"], sort=False):
        by_insats: dict[str, dict[str, int]] = {}
        for i, u in zip(part.index, part["undergrupp"], strict=True):
            insats, gender = insats_gender_parts(u)
            by_insats.setdefault(insats, {})[gender] = i
        n = table["n"]
        sums: list[tuple[int | None, list[int], bool]] = []
        for insats, pair in by_insats.items():
            n_pair = {g: int(n[pair[g]]) if g in pair else 0 for g in _GENDER_WORDS}
            total = index[(group, question, INSATS, insats)]
            unstated = int(n[total]) - sum(n_pair.values())
            for gender, i in pair.items():
                other = n_pair[ins.MAN if gender == ins.KVINNOR else ins.KVINNOR]
                if min(n_pair.values()) < hide or _unstated_hides(unstated, thresholds):
                    _hide(table, i, _pair_reason(n_pair[gender], other, thresholds))
            sums.append((total, list(pair.values()), unstated == 0))
        for gender in _GENDER_WORDS:
            parts = [pair[gender] for pair in by_insats.values() if gender in pair]
            total_i = index.get((group, question, KON, gender))
            covered = (total_i is not None
                       and sum(int(n[i]) for i in parts) == int(n[total_i]))
            sums.append((total_i, parts, covered))
        pair_of = {i: list(pair.values()) for pair in by_insats.values() for i in pair.values()}
        changed = True
        while changed:
            changed = False
            for total_i, parts, covered in sums:
                shown = [i for i in parts if table.at[i, "dold"] != 1]
                members = [*parts] + ([total_i] if total_i is not None else [])
                n_hidden = sum(table.at[i, "dold"] == 1 for i in members)
                if covered and n_hidden == 1 and shown:
                    for i in pair_of[_smallest(table, shown)]:
                        _hide(table, i, HiddenReason.COMPUTABLE)
                    changed = True


def _undergroup_key(dimension: str, name: str) -> tuple:
    if dimension == KON:
        return (_GENDER_ORDER.get(name, 9), "")
    if dimension == ANSTALLNING:
        return (_EMPLOYER_ORDER.get(name, 99), "")
    if dimension == INSATS_KON:
        insats, gender = insats_gender_parts(name)
        return (0, sort_key(insats), _GENDER_ORDER[gender])
    return (0, sort_key(name))


def _ordered(table: pd.DataFrame) -> pd.DataFrame:
    keys = [(_GROUP_ORDER[g], q, _DIMENSION_ORDER[d], _undergroup_key(d, u))
            for g, q, d, u in zip(table["group"], table["question"], table["dimension"],
                                  table["undergrupp"], strict=True)]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return table.iloc[order].reset_index(drop=True)


YEAR_DIMENSIONS = (SAMTLIGA, KON)


def add_previous(table: pd.DataFrame, previous: pd.DataFrame,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """Add last period's n and nyckeltal and the year test on the nyckeltal (SPEC §4, §7).

    `previous` is a measure table of the same shape (needs n, n_nyckeltal, nyckeltal and
    dold). The year star is set on samtliga and kön rows (for non-participant groups that
    is the whole group) where neither period's cell is hidden.
    """
    keys = colname.MEASURE_KEYS
    prev = previous[[*keys, "n", "n_nyckeltal", colname.KEY_FIGURE, "dold"]].rename(columns={
        "n": colname.N_PREVIOUS, "n_nyckeltal": "prev_hits",
        colname.KEY_FIGURE: colname.KEY_FIGURE_PREVIOUS, "dold": "prev_dold"})
    out = table.merge(prev, on=keys, how="left")
    out[colname.N_PREVIOUS] = out[colname.N_PREVIOUS].astype("Int64")
    stars: list[int] = []
    pvals: list[float] = []
    tests: list[str | None] = []
    for row in out.itertuples(index=False):
        prev_ok = (not pd.isna(row.n_foregaende) and row.n_foregaende > 0
                   and row.prev_dold != 1)
        if not prev_ok or row.dold == 1 or row.dimension not in YEAR_DIMENSIONS:
            stars.append(0)
            pvals.append(np.nan)
            tests.append(None)
            continue
        res = category_test(int(row.n_nyckeltal), int(row.n), int(row.prev_hits),
                            int(row.n_foregaende), thresholds.alpha)
        stars.append(int(res.significant))
        pvals.append(np.nan if res.p is None else res.p)
        tests.append(res.test)
    hidden_prev = (out["prev_dold"] == 1) | (out[colname.N_PREVIOUS].fillna(0) == 0)
    out.loc[hidden_prev.fillna(True), colname.KEY_FIGURE_PREVIOUS] = np.nan
    out["stjarna_ar"], out["p_ar"], out["test_ar"] = stars, pvals, tests
    return out.drop(columns=["prev_hits", "prev_dold"])


def indicator_level(table: pd.DataFrame) -> pd.DataFrame:
    """Unweighted mean nyckeltal of an indicator's measures per group and subgroup
    (the national report's Diagram 14), over visible samtliga and kön rows."""
    rows = table[table["dimension"].isin(YEAR_DIMENSIONS) & table[colname.KEY_FIGURE].notna()]
    return (rows.groupby(["indikator", "group", "dimension", "undergrupp"], sort=True)
            [colname.KEY_FIGURE].mean().reset_index())


def pair_comparison(answers: pd.DataFrame, column: str, a: str, b: str,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """Per measure: answers where `column` is `a` against those where it is `b`.

    One row per measure and side (`undergrupp` = a or b) with counts, shares, the
    nyckeltal and the per-category test of SPEC §4 (stars on both sides). A side with
    fewer than `hide_below` answers is hidden and no test is run for that measure. Used
    for the national routine comparison (Begränsad period vs Kontinuerligt, Tabell 6).
    """
    sub = answers[answers[column].isin((a, b))]
    if sub.empty:
        return pd.DataFrame(columns=["group", "question", "indikator", "undergrupp", "n",
                                     *COUNT_COLUMNS, *ins.CATEGORIES, colname.KEY_FIGURE,
                                     *STAR_COLUMNS, *P_COLUMNS, "test", "dold", "osaker"])
    agg = _aggregate(_flagged(sub), ["group", "question", column])
    agg = agg.rename(columns={column: "undergrupp"})
    agg["indikator"] = [ins.question(g, q).indicator
                        for g, q in zip(agg["group"], agg["question"], strict=True)]
    for cat, count in zip(ins.CATEGORIES, COUNT_COLUMNS, strict=True):
        agg[cat] = agg[count] / agg["n"]
    agg[colname.KEY_FIGURE] = agg["n_nyckeltal"] / agg["n"]
    for col in STAR_COLUMNS:
        agg[col] = 0
    for col in P_COLUMNS:
        agg[col] = np.nan
    agg["test"] = None
    agg["dold"] = (agg["n"] < thresholds.hide_below).astype(int)
    for _, pair in agg.groupby(["group", "question"], sort=False):
        sides = {u: i for i, u in zip(pair.index, pair["undergrupp"], strict=True)}
        if a not in sides or b not in sides or agg.loc[list(sides.values()), "dold"].any():
            continue
        _test_pair(agg, sides[a], sides[b], thresholds)
    hidden = agg["dold"] == 1
    for col in (*ins.CATEGORIES, colname.KEY_FIGURE):
        agg.loc[hidden, col] = np.nan
    agg["osaker"] = (agg["n"] < thresholds.uncertain_below).astype(int)
    side = {a: 0, b: 1}
    keys = [(_GROUP_ORDER[g], q, side[u]) for g, q, u in
            zip(agg["group"], agg["question"], agg["undergrupp"], strict=True)]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return agg.iloc[order].reset_index(drop=True)
