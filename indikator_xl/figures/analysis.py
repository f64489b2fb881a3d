"""One förbund's complete analysis: measures, response rates, rikssnitt and verdicts.

`analyse` is what "Beräkna" computes; the result sheets and the CSV exports are views of
an `Analysis` and compute nothing themselves. Pure pandas; no Excel library.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument as ins
from indikator_xl.domain.text import sort_key
from indikator_xl.figures import comparison as cmp
from indikator_xl.figures.rikssnitt import KEYS, PREVIOUS_COLUMN, Rikssnitt, published
from indikator_xl.figures.stats import KON, LOCAL_DIMENSIONS, SAMTLIGA, add_previous, measure_table
from indikator_xl.figures.suppression import DEFAULT_THRESHOLDS, Thresholds
from indikator_xl.validation.registration import Registration

VERDICT_SUBGROUPS = ("samtliga", ins.KVINNOR, ins.MAN)
TOTALT = "Totalt"  # the response-rate table's total row


@dataclass
class Analysis:
    """Everything Beräkna shows for one registration workbook."""

    registration: Registration
    table: pd.DataFrame
    """Per measure and subgroup (`stats.measure_table`) with rikssnitt_n,
    rikssnitt_nyckeltal, rikssnitt_nyckeltal_foregaende (the rikssnitt's previous
    period, NaN where unknown), skillnad_pp and skillnad_markering (hogre/lagre where the
    difference reaches the verdict threshold), and the previous period's columns."""
    response_rates: pd.DataFrame
    """`response_rates` of the registration; with a previous period also svar_foregaende."""
    verdicts: pd.DataFrame
    count_line: str
    rikssnitt: Rikssnitt
    previous: Registration | None = None
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    notes: list[str] = field(default_factory=list)
    indicator_means: pd.DataFrame = field(default_factory=pd.DataFrame)
    """`indicator_means(table)`: the diagrams' figures per indicator."""
    previous_count_line: str | None = None
    """The verdict count against the förbund's own previous period."""
    employer_answers: pd.DataFrame = field(default_factory=pd.DataFrame)
    """`answers_by_employer`: answers per employer (remittenter), with a previous period
    also svar_foregaende. Not part of `response_rates`, whose CSV has one row per group
    and insats (docs/kontrakt.md §3)."""

    @property
    def has_previous(self) -> bool:
        return self.previous is not None

    @property
    def forbund(self) -> str:
        """The förbund's name (a calculated registration has one)."""
        if self.registration.forbund is None:
            raise ValueError("the registration has no förbund")
        return self.registration.forbund

    @property
    def period(self) -> int:
        """The mätperiod (a calculated registration has one)."""
        if self.registration.period is None:
            raise ValueError("the registration has no mätperiod")
        return self.registration.period

    @property
    def totals_leave_out_groups(self) -> bool:
        """True when a surveyed group has no målpopulation, so the Totalt row's ratios
        against målpopulation leave it out."""
        r = self.response_rates
        return bool((r["insats"].isna() & (r["respondentgrupp"] != TOTALT)
                     & r["malpopulation"].isna()).any())


def analyse(reg: Registration, rikssnitt: Rikssnitt | None = None,
            previous: Registration | None = None,
            thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Analysis:
    """Compute the whole result for a validated registration (reg.can_calculate).

    A registration whose Förbund sheet chooses the older gender practice gets it, as
    does a caller passing thresholds with hide_for_unstated_gender=False."""
    notes: list[str] = []
    if reg.gender_despite_unstated:
        thresholds = replace(thresholds, hide_for_unstated_gender=False)
    if rikssnitt is None:
        rikssnitt = published(reg.period or 2023)
    if rikssnitt.note:
        notes.append(rikssnitt.note)
    elif rikssnitt.period != reg.period:
        notes.append(f"Rikssnittet gäller {rikssnitt.period}, förbundets mätperiod är "
                     f"{reg.period}.")
    table = measure_table(reg.answers, LOCAL_DIMENSIONS, thresholds)
    if previous is not None:
        if previous.forbund and reg.forbund and sort_key(previous.forbund) != sort_key(
                reg.forbund):
            notes.append(f"Föregående period kommer från {previous.forbund}, inte "
                         f"{reg.forbund}.")
        if previous.period and reg.period and previous.period >= reg.period:
            notes.append(f"Föregående period ({previous.period}) är inte före "
                         f"{reg.period}.")
        prev_table = measure_table(previous.answers, LOCAL_DIMENSIONS, thresholds)
        table = add_previous(table, prev_table, thresholds)
    table = _add_rikssnitt(table, rikssnitt, thresholds)
    verdicts = indicator_verdicts(table, thresholds, with_previous=previous is not None)
    line = cmp.count_line(verdicts.loc[verdicts["samtliga"].isin(cmp.VERDICTS), "samtliga"])
    rates = response_rates(reg)
    previous_line = None
    if previous is not None:
        rates = _add_previous_answers(rates, response_rates(previous))
        back = {cmp.ARROW_UP: cmp.HIGHER, cmp.ARROW_FLAT: cmp.NEITHER,
                cmp.ARROW_DOWN: cmp.LOWER}
        arrows = [back[p] for p in verdicts["pil_samtliga"] if p in back]
        previous_line = cmp.count_line(arrows, reference=f"{reg.forbund} {previous.period}")
    employers = answers_by_employer(reg, previous)
    return Analysis(reg, table, rates, verdicts, line, rikssnitt, previous, thresholds,
                    notes, indicator_means(table), previous_line, employers)


def _add_rikssnitt(table: pd.DataFrame, rikssnitt: Rikssnitt,
                   thresholds: Thresholds) -> pd.DataFrame:
    has_previous = PREVIOUS_COLUMN in rikssnitt.table.columns
    ref = rikssnitt.table[[*KEYS, "n", colname.KEY_FIGURE,
                           *([PREVIOUS_COLUMN] if has_previous else [])]]
    ref = ref.rename(columns={"n": colname.RIKSSNITT_N,
                              colname.KEY_FIGURE: colname.RIKSSNITT_KEY_FIGURE,
                              PREVIOUS_COLUMN: colname.RIKSSNITT_KEY_FIGURE_PREVIOUS})
    if not has_previous:
        ref = ref.assign(**{colname.RIKSSNITT_KEY_FIGURE_PREVIOUS: np.nan})
    # Local and national employer rows share names; insats rows have no national match.
    out = table.merge(ref, on=KEYS, how="left")
    out[colname.DIFFERENCE_PP] = (out[colname.KEY_FIGURE] - out[colname.RIKSSNITT_KEY_FIGURE]) * 100
    points = thresholds.verdict_points
    out[colname.DIFFERENCE_MARK] = [
        None if not abs(d) >= points else "hogre" if d > 0 else "lagre"
        for d in out[colname.DIFFERENCE_PP]]
    return out


def indicator_means(table: pd.DataFrame) -> pd.DataFrame:
    """Per surveyed indicator: the förbund's, rikssnitt's and last period's unweighted
    mean nyckeltal over the indicator's measures (samtliga), and the rikssnitt's previous
    period over the measures that have it. The förbund's and last period's means use the
    measures that also have a rikssnitt, when any do."""
    t = table[table["dimension"] == SAMTLIGA]
    records = []
    for i in sorted(ins.INDICATORS):
        rows = t[(t["indikator"] == i) & t[colname.KEY_FIGURE].notna()]
        if rows.empty:
            continue
        both = rows[rows[colname.RIKSSNITT_KEY_FIGURE].notna()]
        use = both if len(both) else rows
        riks = float(both[colname.RIKSSNITT_KEY_FIGURE].mean()) if len(both) else None
        prev = None
        if colname.KEY_FIGURE_PREVIOUS in use.columns:
            p = use[use[colname.KEY_FIGURE_PREVIOUS].notna()]
            prev = float(p[colname.KEY_FIGURE_PREVIOUS].mean()) if len(p) else None
        riks_prev = None
        if colname.RIKSSNITT_KEY_FIGURE_PREVIOUS in both.columns:
            rp = both[colname.RIKSSNITT_KEY_FIGURE_PREVIOUS].dropna()
            riks_prev = float(rp.mean()) if len(rp) else None
        records.append((i, float(use[colname.KEY_FIGURE].mean()), riks, prev, riks_prev))
    return pd.DataFrame.from_records(records, columns=[
        "indikator", colname.KEY_FIGURE, colname.RIKSSNITT_KEY_FIGURE,
        colname.KEY_FIGURE_PREVIOUS, colname.RIKSSNITT_KEY_FIGURE_PREVIOUS])


def _add_previous_answers(rates: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """The previous period's number of answers beside each group and insats row."""
    def key(group: str, insats: object) -> tuple[str, str]:
        return group, sort_key(insats if isinstance(insats, str) else "")

    answers = {key(g, i): int(n) for g, i, n in zip(
        previous["respondentgrupp"], previous["insats"], previous["svar"], strict=True)}
    out = rates.copy()
    out["svar_foregaende"] = [answers.get(key(g, i)) for g, i in zip(
        out["respondentgrupp"], out["insats"], strict=True)]
    out["svar_foregaende"] = out["svar_foregaende"].astype("Int64")
    return out


def _pairs(by_subgroup: dict[str, dict[tuple[str, int], tuple[Any, Any, Any]]],
           questions: tuple[ins.Question, ...], undergrupp: str,
           other: int) -> list[tuple[float | None, float | None]]:
    by_measure = by_subgroup.get(undergrupp, {})
    out = []
    for q in questions:
        figures = by_measure.get((q.group, q.number))
        out.append((None, None) if figures is None else (figures[0], figures[other]))
    return out


def _by_subgroup(table: pd.DataFrame) -> dict[str, dict[tuple[str, int], tuple[Any, Any, Any]]]:
    """(nyckeltal, rikssnitt, last period) per measure, for samtliga, kvinnor and män."""
    rows = table[table["dimension"].isin((SAMTLIGA, KON))]
    previous = (rows[colname.KEY_FIGURE_PREVIOUS] if colname.KEY_FIGURE_PREVIOUS in rows
                else [None] * len(rows))
    out: dict[str, dict[tuple[str, int], tuple[Any, Any, Any]]] = {}
    for sub, g, q, own, riks, prev in zip(
            rows["undergrupp"], rows["group"], rows["question"], rows[colname.KEY_FIGURE],
            rows[colname.RIKSSNITT_KEY_FIGURE], previous, strict=True):
        out.setdefault(sub, {})[(g, int(q))] = (own, riks, prev)
    return out


_RIKSSNITT, _PREVIOUS = 1, 2


def indicator_verdicts(table: pd.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS,
                       with_previous: bool = False) -> pd.DataFrame:
    """Per indicator: verdict against rikssnitt and arrow against the previous period for
    samtliga, kvinnor and män, with the mean differences d in percentage points."""
    records = []
    points = thresholds.verdict_points
    by_subgroup = _by_subgroup(table)
    for i in sorted(ins.INDICATORS):
        rec: dict = {"indikator": i, "titel": ins.INDICATORS[i]}
        for sub in VERDICT_SUBGROUPS:
            if not cmp.is_surveyed(i):
                rec[sub], rec[f"d_{sub}"] = cmp.NOT_INCLUDED, np.nan
                rec[f"pil_{sub}"], rec[f"d_ar_{sub}"] = None, np.nan
                continue
            measures = ins.measures_of(i) if sub == SAMTLIGA else cmp.gendered_measures(i)
            if not measures:
                rec[sub], rec[f"d_{sub}"], rec[f"pil_{sub}"], rec[f"d_ar_{sub}"] = (
                    None, np.nan, None, np.nan)
                continue
            d = cmp.mean_difference(_pairs(by_subgroup, measures, sub, _RIKSSNITT))
            rec[sub], rec[f"d_{sub}"] = cmp.verdict(d, points), np.nan if d is None else d
            d_year = None
            if with_previous:
                d_year = cmp.mean_difference(_pairs(by_subgroup, measures, sub, _PREVIOUS))
            rec[f"pil_{sub}"] = cmp.arrow(d_year, points)
            rec[f"d_ar_{sub}"] = np.nan if d_year is None else d_year
        records.append(rec)
    return pd.DataFrame.from_records(records)


def response_rates(reg: Registration) -> pd.DataFrame:
    """Tabell 3 / local Tabell 1: populations, answers and rates per group and insats,
    with a Totalt row (ratios against målpopulation leave out groups without one)."""
    pops = reg.populations
    resp = reg.respondents
    rows = []
    groups = [g.name for g in ins.GROUPS
              if g.name in reg.groups_surveyed or g.name in set(pops["group"])]
    for group in groups:
        g_pops = pops[pops["group"] == group]
        g_resp = resp[resp["group"] == group]
        head = g_pops[g_pops["insats"].isna()]
        parts = g_pops[g_pops["insats"].notna()]
        if len(head):
            mal, und = head["malpopulation"].iloc[0], head["undersokt"].iloc[0]
        else:
            mal = _sum_or_nan(parts["malpopulation"])
            und = _sum_or_nan(parts["undersokt"])
        rows.append(_rate_row(group, None, mal, und, g_resp))
        names = list(dict.fromkeys([*parts["insats"], *g_resp["insats"].dropna()]))
        for name in sorted(names, key=sort_key):
            p = parts[parts["insats"] == name]
            mal_i = p["malpopulation"].iloc[0] if len(p) else np.nan
            und_i = p["undersokt"].iloc[0] if len(p) else np.nan
            rows.append(_rate_row(group, name, mal_i, und_i, g_resp[g_resp["insats"] == name]))
    table = pd.DataFrame.from_records(rows, columns=[
        "respondentgrupp", "insats", "malpopulation", "undersokt_population", "svar",
        "kvinnor", "man", "ej_angett_kon"])
    for col in ("malpopulation", "undersokt_population"):
        table[col] = pd.to_numeric(table[col], errors="coerce").astype("Float64")
    table = _ratios(table)
    return table


EMPLOYER_NOT_STATED = "Ej angiven arbetsgivare"


def answers_by_employer(reg: Registration, previous: Registration | None = None
                        ) -> pd.DataFrame:
    """Answers per employer for the groups with an Anställning column (remittenter), as
    the local report's Tabell 1 shows them ("Varav Kommun 12 (13) 12 (13) 3 (11)"): one
    row per group and employer with answers in this or the previous period, in the
    instrument's order, then those without a stated employer. Columns respondentgrupp,
    anstallning, svar and, with a previous period, svar_foregaende (NA where the previous
    period had no answers from that employer)."""
    def counts(r: Registration) -> dict[tuple[str, str], int]:
        resp = r.respondents
        out: dict[tuple[str, str], int] = {}
        for group in (g for g in ins.GROUPS if ins.Background.ANSTALLNING in g.background):
            part = resp[resp["group"] == group.name]
            for employer in part["anstallning"]:
                key = (group.name, employer if isinstance(employer, str)
                       else EMPLOYER_NOT_STATED)
                out[key] = out.get(key, 0) + 1
        return out

    now = counts(reg)
    before = counts(previous) if previous is not None else {}
    order = [*ins.EMPLOYERS, EMPLOYER_NOT_STATED]
    keys = sorted({*now, *before}, key=lambda k: (
        [g.name for g in ins.GROUPS].index(k[0]), order.index(k[1])))
    table = pd.DataFrame({"respondentgrupp": [g for g, _ in keys],
                          "anstallning": [e for _, e in keys],
                          "svar": [now.get(k, 0) for k in keys]})
    if previous is not None:
        table["svar_foregaende"] = pd.array([before.get(k) for k in keys], dtype="Int64")
    return table


def _sum_or_nan(values: pd.Series) -> float:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return float(v.sum()) if len(v) else np.nan


def _rate_row(group: str, insats: str | None, mal, und, resp: pd.DataFrame) -> tuple:
    participant = ins.GROUPS_BY_NAME[group].is_participant
    women = int((resp["kon"] == ins.KVINNOR).sum()) if participant else None
    men = int((resp["kon"] == ins.MAN).sum()) if participant else None
    unstated = int(resp["kon"].isna().sum()) if participant else None
    return (group, insats, mal, und, len(resp), women, men, unstated)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num = pd.to_numeric(num, errors="coerce").astype(float)
    den = pd.to_numeric(den, errors="coerce").astype(float)
    return (num / den.where(den > 0)).astype(float)


def _ratios(table: pd.DataFrame) -> pd.DataFrame:
    groups = table[table["insats"].isna()]
    with_mal = groups[groups["malpopulation"].notna()]
    with_und = groups[groups["undersokt_population"].notna()]
    total = {
        "respondentgrupp": TOTALT, "insats": None,
        "malpopulation": groups["malpopulation"].sum(min_count=1),
        "undersokt_population": groups["undersokt_population"].sum(min_count=1),
        "svar": int(groups["svar"].sum()),
        "kvinnor": groups["kvinnor"].sum(min_count=1),
        "man": groups["man"].sum(min_count=1),
        "ej_angett_kon": groups["ej_angett_kon"].sum(min_count=1),
    }
    table["andel_undersokt_av_mal"] = _ratio(table["undersokt_population"],
                                             table["malpopulation"])
    table["andel_svar_av_undersokt"] = _ratio(table["svar"], table["undersokt_population"])
    table["andel_svar_av_mal"] = _ratio(table["svar"], table["malpopulation"])
    mal = with_mal["malpopulation"].sum()
    total["andel_undersokt_av_mal"] = (with_mal["undersokt_population"].sum() / mal
                                       if mal else np.nan)
    total["andel_svar_av_mal"] = with_mal["svar"].sum() / mal if mal else np.nan
    und = with_und["undersokt_population"].sum()
    total["andel_svar_av_undersokt"] = with_und["svar"].sum() / und if und else np.nan
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)
