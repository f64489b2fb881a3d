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
from indikator_xl.figures import hidden_cells
from indikator_xl.figures.gender_tests import Tests, gender_tests, test_pair
from indikator_xl.figures.hidden_cells import (
    GENDER_WORDS,
    INSATS,
    INSATS_KON,
    KON,
    SAMTLIGA,
    Cells,
    insats_gender_label,
    insats_gender_parts,
)
from indikator_xl.figures.significance import category_test
from indikator_xl.figures.suppression import DEFAULT_THRESHOLDS, Thresholds

ANSTALLNING = "anstallning"
SAMVERKANSGRUPP = "samverkansgrupp"
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

__all__ = ["insats_gender_label", "insats_gender_parts"]


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
    return _ordered(_tests_and_hidden(table.reset_index(drop=True), thresholds))


def _tests_and_hidden(table: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """Stars, p-values and the hidden cells with their reasons (hidden_cells.py)."""
    cells = Cells(table["group"].tolist(), table["question"].tolist(),
                  table["dimension"].tolist(), table["undergrupp"].tolist(),
                  [int(x) for x in table["n"]])
    counts = {c: [int(x) for x in table[f"n_{c}"]] for c in ins.CATEGORIES}
    tests = gender_tests(cells, counts, thresholds)
    hidden_cells.hide_small(cells, thresholds)
    hidden_cells.hide_secondary(cells, _SECONDARY_DIMENSIONS, thresholds)
    hidden_cells.hide_insats_gender(cells, thresholds)
    _write_tests(table, tests)
    table["test"] = pd.Series(tests.test, index=table.index, dtype=object)
    table["p_hela_fragan"] = tests.p_whole
    table["dold"] = cells.hidden
    table[colname.HIDDEN_REASON] = pd.Series(cells.reason, index=table.index, dtype=object)
    hidden = table["dold"] == 1
    for col in (*ins.CATEGORIES, colname.KEY_FIGURE):
        table.loc[hidden, col] = np.nan
    for col in STAR_COLUMNS:
        table.loc[hidden, col] = 0
    table["osaker"] = (table["n"] < thresholds.uncertain_below).astype(int)
    return table


def _write_tests(table: pd.DataFrame, tests: Tests) -> None:
    for cat, star in zip(ins.CATEGORIES, STAR_COLUMNS, strict=True):
        table[star] = tests.stars[cat]
    for cat, pcol in zip(ins.CATEGORIES, P_COLUMNS, strict=True):
        table[pcol] = np.asarray(tests.p[cat], dtype=float)


# The breakdowns whose cells add up to samtliga (secondary suppression).
_SECONDARY_DIMENSIONS = (INSATS, ANSTALLNING, SAMVERKANSGRUPP)


def _insats_gender_counts(flagged: pd.DataFrame) -> pd.DataFrame:
    """Counts per insats × kön of the groups that record both (the participants)."""
    groups = [g.name for g in ins.GROUPS
              if {ins.Background.KON, ins.Background.INSATS} <= set(g.background)]
    sub = flagged[flagged["group"].isin(groups) & flagged["insats"].notna()
                  & flagged["kon"].isin(tuple(GENDER_WORDS))]
    if sub.empty:
        return pd.DataFrame()
    agg = _aggregate(sub, ["group", "question", "insats", "kon"])
    agg["dimension"] = INSATS_KON
    agg["undergrupp"] = [insats_gender_label(i, k)
                         for i, k in zip(agg["insats"], agg["kon"], strict=True)]
    return agg.drop(columns=["insats", "kon"])


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
    n = [int(x) for x in agg["n"]]
    hidden = [int(x < thresholds.hide_below) for x in n]
    counts = {c: [int(x) for x in agg[f"n_{c}"]] for c in ins.CATEGORIES}
    tests = Tests.empty(len(n))
    sides: dict[tuple[str, int], dict[str, int]] = {}
    for i, (g, q, u) in enumerate(zip(agg["group"], agg["question"], agg["undergrupp"],
                                      strict=True)):
        sides.setdefault((g, q), {})[u] = i
    for pair in sides.values():
        if a in pair and b in pair and not (hidden[pair[a]] or hidden[pair[b]]):
            test_pair(tests, counts, n, pair[a], pair[b], thresholds.alpha)
    _write_tests(agg, tests)
    agg["test"] = pd.Series(tests.test, index=agg.index, dtype=object)
    agg["dold"] = hidden
    hidden = agg["dold"] == 1
    for col in (*ins.CATEGORIES, colname.KEY_FIGURE):
        agg.loc[hidden, col] = np.nan
    agg["osaker"] = (agg["n"] < thresholds.uncertain_below).astype(int)
    side = {a: 0, b: 1}
    keys = [(_GROUP_ORDER[g], q, side[u]) for g, q, u in
            zip(agg["group"], agg["question"], agg["undergrupp"], strict=True)]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return agg.iloc[order].reset_index(drop=True)
