"""The national result's sheet per indicator (Tabell N.1, N.2 and the trend chart), and
the routine comparison of the pågående questionnaire, as sheet models.

`indicator_sheets(result)` describes one sheet per surveyed indicator; `routine_table`
is shared with the Svarande sheet (national_sheets.py), which assembles the workbook.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

import pandas as pd

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument as ins
from indikator_xl.figures.national import NationalResult
from indikator_xl.figures.national_history import COMPUTED
from indikator_xl.figures.suppression import HiddenReason, Thresholds
from indikator_xl.sheets import vocabulary as voc
from indikator_xl.sheets.charts import national_trend, trend_series
from indikator_xl.sheets.excel_tables import split_at_headings
from indikator_xl.sheets.sheetmodel import (
    Column,
    PageSetup,
    Row,
    RowStyle,
    Sheet,
    Table,
    Text,
    Value,
)
from indikator_xl.sheets.vocabulary import count, share

SUBGROUP_LABELS = {"samtliga": "samtliga", ins.KVINNOR: "kvinnor", ins.MAN: "män"}
# Diagram numbers of the national report 2023 (indicators 4, 15, 16 had no line chart).
REPORT_DIAGRAMS = {1: "1", 2: "2", 3: "3", 5: "4", 6: "5.2", 7: "6", 8: "7", 9: "8",
                   10: "9", 12: "10", 13: "11", 14: "12"}
SURVEYED = [i for i in sorted(ins.INDICATORS) if i not in ins.NOT_SURVEYED_INDICATORS]
# Sheets with several tables: no heading row repeated on every printed page.
MANY_TABLES = PageSetup(repeat_heading=False)
ROUTINE_HEADINGS = {ins.ROUTINES[0]: "Begränsad period under året",
                    ins.ROUTINES[1]: "Kontinuerligt under året", ins.ROUTINES[2]: "Okänt"}


def indicator_sheet_name(indicator: int) -> str:
    return f"Indikator {indicator}"


def table_number(indicator: int) -> int:
    """The report's table number: indicator 1 → Tabell 7.x, …, indicator 16 → Tabell 21.x."""
    return 6 + SURVEYED.index(indicator) + 1


def text(v: Any, emphasis: Iterable[str] = ()) -> Value:
    return Value(None if v is None else str(v), "text", frozenset(emphasis))


def by_measure(table: pd.DataFrame) -> dict[tuple[str, int], list[SimpleNamespace]]:
    """The rows of a measure table per (group, question), in table order, as records."""
    out: dict[tuple[str, int], list[SimpleNamespace]] = {}
    for rec in table.to_dict("records"):
        out.setdefault((rec["group"], int(rec["question"])), []).append(SimpleNamespace(**rec))
    return out


def heading_row(label: str, width: int, style: RowStyle = "subheading") -> Row:
    return Row((text(label), *(Value() for _ in range(width - 1))), style)


def _star_emphasis(r: Any, category: str) -> set[str]:
    emph: set[str] = set()
    if int(getattr(r, f"stjarna_{category}", 0) or 0):
        emph.add("stjarna")
        if getattr(r, "test", None) == "fisher":
            emph.add("fisher")
    if int(getattr(r, "osaker", 0) or 0):
        emph.add("osaker")
    return emph


def _category_cells(r: Any, yes_no: bool) -> list[Value]:
    hidden = int(r.dold) == 1
    cats = (ins.NEGATIVT, ins.POSITIVT) if yes_no else ins.CATEGORIES
    cells = []
    for c in cats:
        emph = _star_emphasis(r, c) | ({"dold"} if hidden else set())
        fmt = voc.BRACKETED if c == ins.KLART_POSITIVT else None
        cells.append(share(None if hidden else getattr(r, c), emph, fmt))
    return cells


def _flag_columns(star: str, thresholds: Thresholds) -> tuple[Column, ...]:
    return (Column(f"Stjärna ({star})", width=16, wrap=True),
            Column(f"Osäker (n < {thresholds.uncertain_below})", width=8, wrap=True),
            Column("Varför dold", width=30, wrap=True))


def _flag_cells(r: Any, yes_no: bool, thresholds: Thresholds) -> list[Value]:
    """The star, osäker and hidden reason of a row in words (not only as format)."""
    hidden = int(r.dold) == 1
    cats = (ins.NEGATIVT, ins.POSITIVT) if yes_no else ins.CATEGORIES
    labels = {ins.NEGATIVT: "Nej", ins.POSITIVT: "Ja"} if yes_no else ins.CATEGORY_LABELS
    starred = [labels[c] for c in cats
               if not hidden and int(getattr(r, f"stjarna_{c}", 0) or 0)]
    reason = getattr(r, colname.HIDDEN_REASON, None)
    why = (HiddenReason(reason).text(thresholds).capitalize()
           if hidden and isinstance(reason, str) else "")
    return [text(f"{voc.STAR} " + ", ".join(starred) if starred else ""),
            text(voc.YES if int(getattr(r, "osaker", 0) or 0) else ""), text(why)]


def routine_table(result: NationalResult, questions: tuple[int, ...] | None = None,
                   name: str = "rutin") -> Table:
    """Deltagare pågående by routine with the routine-vs-routine stars (all questions, or
    `questions` only: Indikator 7 shows fråga 6 as the report does)."""
    comp = by_measure(result.routine_comparison)
    cols = (Column("Rutin (antal svar)", width=34), *(Column(ins.CATEGORY_LABELS[c], "share")
                                                      for c in ins.CATEGORIES[:3]),
            Column("(Klart positivt)", "share"),
            *_flag_columns("rutinerna", result.thresholds))
    rows: list[Row] = []
    group = ins.GROUPS_BY_NAME[ins.DELTAGARE_PAGAENDE]
    for q in group.questions:
        part = comp.get((q.group, q.number), [])
        if not part or (questions is not None and q.number not in questions):
            continue
        rows.append(heading_row(f"Fråga {q.number}  {group.short}", len(cols)))
        for r in part:
            rows.append(Row((text(f"{ROUTINE_HEADINGS[r.undergrupp]} (n={r.n})"),
                             *_category_cells(r, False),
                             *_flag_cells(r, False, result.thresholds))))
    return Table(name, cols, tuple(rows),
                 title="Deltagare pågående per rutin: begränsad period jämfört med "
                       "kontinuerligt under året.",
                 notes=(voc.routine_star_note(result.thresholds),))


# --- one sheet per indicator: Tabell N.1, N.2 and the trend chart --------------------------

def _subgroup_label(r: Any) -> str:
    label = SUBGROUP_LABELS.get(r.undergrupp, r.undergrupp)
    return f"{label} (n={r.n})"


def _n1_table(measures: dict, questions: list[ins.Question], name: str,
              title: str, yes_no: bool, thresholds: Thresholds) -> Table:
    cols: tuple[Column, ...]
    if yes_no:
        cols = (Column("Undergrupp (antal svar)", width=34), Column("Nej", "share"),
                Column("Ja", "share"))
    else:
        cols = (Column("Undergrupp (antal svar)", width=34),
                *(Column(ins.CATEGORY_LABELS[c], "share") for c in ins.CATEGORIES[:3]),
                Column("(Klart positivt)", "share"))
    cols += _flag_columns("kvinnor–män", thresholds)
    rows: list[Row] = []
    for q in questions:
        part = measures.get((q.group, q.number), [])
        if not part:
            continue
        group = ins.GROUPS_BY_NAME[q.group]
        rows.append(heading_row(f"Fråga {q.number}  {group.short}", len(cols)))
        for r in part:
            rows.append(Row((text(_subgroup_label(r)), *_category_cells(r, yes_no),
                             *_flag_cells(r, yes_no, thresholds))))
    gender = any(ins.GROUPS_BY_NAME[q.group].is_participant for q in questions)
    notes = [voc.gender_star_note(thresholds)] if gender else []
    notes += [voc.hidden_note(thresholds, gender), "Andelar av giltiga svar på frågan."]
    return Table(name, cols, tuple(rows), title=title, notes=tuple(notes))


def _key_label(indicator: int, questions: list[ins.Question]) -> str:
    if indicator == 7:
        return "andelen positiva svar"
    return "andelen klart positiva svar"


def _history_lookup(result: NationalResult) -> dict[tuple, tuple[int, float]]:
    counts = result.merged_history.counts
    out: dict[tuple, Any] = {}
    for p, g, q, u, n, k in zip(counts["matperiod"], counts["group"], counts["question"],
                                counts["undergrupp"], counts["n"], counts[colname.KEY_FIGURE],
                                strict=True):
        out[(int(p), g, int(q), u)] = (n, k)
        out.setdefault(("subgroups", int(p), g, int(q)), []).append(u)
    return out


def _n2_periods(result: NationalResult) -> list[int]:
    periods = [p for p in result.merged_history.periods if p <= result.merged_period]
    return periods[-3:]


def _n2_table(result: NationalResult, measures: dict, questions: list[ins.Question],
              name: str, title: str, lookup: dict) -> Table:
    periods = _n2_periods(result)
    cols = [Column("Undergrupp", width=34)]
    for p in periods:
        cols += [Column("antal svar", "count", band=str(p)),
                 Column("nyckeltal", "share", band=str(p))]
    cols.append(Column("Stjärna år", width=10, wrap=True))
    rows: list[Row] = []
    year_star_periods = {result.period, result.previous_period}
    for q in questions:
        part = measures.get((q.group, q.number), [])
        keys = [r.undergrupp for r in part]
        for p in periods[:-1]:  # subgroups shown only in earlier periods stay
            keys += [u for u in lookup.get(("subgroups", p, q.group, q.number), ())
                     if u not in keys]
        if not keys:
            continue
        short = ins.GROUPS_BY_NAME[q.group].short
        rows.append(heading_row(f"Fråga {q.number}  {short}", len(cols)))
        current = {r.undergrupp: r for r in part}
        for u in keys:
            cells = [text(SUBGROUP_LABELS.get(u, u))]
            r = current.get(u)
            star = r is not None and int(getattr(r, "stjarna_ar", 0) or 0) == 1
            for p in periods:
                if p == result.period:
                    if r is None:
                        cells += [count(None), share(None)]
                        continue
                    hidden = int(r.dold) == 1
                    emph = {"stjarna"} if star else set()
                    cells += [count(r.n), share(None if hidden else r.nyckeltal,
                                                emph | ({"dold"} if hidden else set()))]
                    continue
                n, k = lookup.get((p, q.group, q.number, u), (None, None))
                emph = {"stjarna"} if star and p in year_star_periods else set()
                cells += [count(n), share(None if n is None else k, emph)]
            cells.append(text(f"{voc.STAR} {voc.YES}" if star else ""))
            rows.append(Row(tuple(cells)))
    notes = []
    if result.previous_period is not None:
        notes.append(voc.year_star_note(voc.STAR, result.previous_period, result.merged_period,
                                        result.thresholds))
    published = [p for p in periods if p != result.period and _is_published(result, p)]
    if published:
        notes.append("Siffrorna för " + ", ".join(map(str, published)) + " är de publicerade "
                     "(NNS nationella indikatorrapport); årsjämförelsen använder antal svar × "
                     "nyckeltal.")
    return Table(name, tuple(cols), tuple(rows), title=title, notes=tuple(notes))


def _is_published(result: NationalResult, period: int) -> bool:
    counts = result.merged_history.counts
    kalla = counts.loc[counts["matperiod"] == period, "kalla"]
    return len(kalla) > 0 and (kalla != COMPUTED).all()


def _trend(result: NationalResult, indicator: int, questions: list[ins.Question],
           name: str, diagram: str | None, lookup: dict) -> list[Any]:
    """The report's Diagram for these questions over every period with figures."""
    series = trend_series(questions)
    periods = [p for p in result.merged_history.periods if p <= result.merged_period]
    if not series or len(periods) < 2:
        return []
    values = {(p, *key): lookup.get((p, *key), (None, None))[1]
              for p in periods for _, key in series}
    span = f"{periods[0]}–{periods[-1]}"
    prefix = f"Diagram {diagram} " if diagram else "Diagram "
    if all(q.scale.is_yes_no for q in questions):  # the report's Diagram 5.1 (fråga 8)
        label = "andelen som svarat ja"
        q = questions[0]
        title = (f"{prefix}Fråga {q.number}, avslutade deltagare: \"{q.text}\", {span}. "
                 f"Andelen som svarat ja.")
    else:
        label = _key_label(indicator, questions)
        title = (f"{prefix}Indikator {indicator}: {ins.INDICATOR_SHORT[indicator]}, {span}. "
                 f"{label[0].upper()}{label[1:]}.")
    return national_trend(periods, series, values, name, title, label)


def _indicator_sheet(result: NationalResult, indicator: int, measures: dict,
                     lookup: dict) -> Sheet:
    questions = list(ins.measures_of(indicator))
    tnum = table_number(indicator)
    blocks: list[Any] = [Text(f"Indikator {indicator}", "title"),
                         Text(ins.INDICATORS[indicator], "heading")]
    blocks += [Text(f"– {q.text} ({q.group}, fråga {q.number})") for q in questions]
    yes_no = [q for q in questions if q.scale.is_yes_no]
    scaled = [q for q in questions if not q.scale.is_yes_no]
    part = 1
    if yes_no:
        blocks += split_at_headings(_n1_table(measures, yes_no, f"n1_{indicator}_ja_nej",
                                f"Tabell {tnum}.{part} Indikator {indicator}.", True,
                                result.thresholds))
        part += 1
    blocks += split_at_headings(_n1_table(measures, scaled, f"n1_{indicator}",
                            f"Tabell {tnum}.{part} Indikator {indicator}.", False,
                            result.thresholds))
    part += 1
    periods = _n2_periods(result)
    span = f"{periods[0]}–{periods[-1]}" if periods else str(result.period)
    label = _key_label(indicator, questions)
    blocks += split_at_headings(_n2_table(result, measures, questions, f"n2_{indicator}",
                            f"Tabell {tnum}.{part} Nyckeltal \"{label}\" för indikator "
                            f"{indicator}, jämförelse {span}.", lookup))
    if yes_no:
        f8 = ins.question(ins.DELTAGARE_AVSLUT, 8)
        blocks += _trend(result, indicator, [f8], f"diagram_{indicator}_ja", "5.1", lookup)
    blocks += _trend(result, indicator, scaled, f"diagram_{indicator}",
                     REPORT_DIAGRAMS.get(indicator), lookup)
    if indicator == 7 and not result.routine_comparison.empty:
        blocks += [Text("Skillnader beroende på insamlingssätt i pågåendeenkäten", "heading"),
                   *split_at_headings(routine_table(result, (6,), "rutin_7"))]
    return Sheet(indicator_sheet_name(indicator), tuple(blocks), freeze_heading=False,
                 page=MANY_TABLES)


def indicator_sheets(result: NationalResult) -> list[Sheet]:
    """One sheet per surveyed indicator, in the report's order."""
    lookup = _history_lookup(result)
    measures = by_measure(result.table)
    return [_indicator_sheet(result, i, measures, lookup) for i in SURVEYED]
