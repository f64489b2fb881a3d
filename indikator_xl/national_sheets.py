"""The national result as sheet models (sheetmodel.py), laid out like the national report.

`national_workbook(result)` describes every sheet: Översikt, Inlämningar, Svarande
(Tabell 1, 3, 4, 5, 6 and the routine comparison), one sheet per indicator (Tabell N.1,
N.2 and the trend chart), Historik (Tabell 22), Bilaga 1, Bilaga 2 and the hidden
history sheets that next year's merge reads (national_history.py). Both the CLI and the
Excel add-in render it; nothing here touches an Excel library.

No Löpnummer, insats or samverkansgrupp name and no validation message text appears in
any sheet; per-förbund tables hold counts and response rates only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from types import SimpleNamespace
from typing import Any

import pandas as pd

from . import columns as colname
from . import instrument as ins
from . import vocabulary as voc
from .intake import Submission
from .national import REPORT_GROUPS, NationalResult
from .national_history import COMPUTED, sheet_rows
from .sheetmodel import (
    Chart,
    Column,
    Link,
    PageSetup,
    Row,
    RowStyle,
    Sheet,
    Table,
    Text,
    Value,
    Workbook,
)
from .suppression import Thresholds
from .vocabulary import count, is_missing, share

SHEET_OVERVIEW = "Översikt"
SHEET_INTAKE = "Inlämningar"
SHEET_RESPONDENTS = "Svarande"
SHEET_HISTORY = "Historik"
SHEET_BILAGA1 = "Bilaga 1"
SHEET_BILAGA2 = "Bilaga 2"

# The report's headings for the groups (Tabell 1 and Bilaga 1 use the short plural forms).
TABLE1_HEADINGS = {
    ins.DELTAGARE_PAGAENDE: "Deltagare Pågående", ins.DELTAGARE_AVSLUT: "Deltagare Avslut",
    ins.PERSONAL: "Personal", ins.CHEFSGRUPP: "Chefsgrupper", ins.STYRELSE: "Styrelser",
    ins.REMITTENTER: "Remittenter",
}
SUBGROUP_LABELS = {"samtliga": "samtliga", ins.KVINNOR: "kvinnor", ins.MAN: "män"}
# Diagram numbers of the national report 2023 (indicators 4, 15, 16 had no line chart).
REPORT_DIAGRAMS = {1: "1", 2: "2", 3: "3", 5: "4", 6: "5.2", 7: "6", 8: "7", 9: "8",
                   10: "9", 12: "10", 13: "11", 14: "12"}
SURVEYED = [i for i in sorted(ins.INDICATORS) if i not in ins.NOT_SURVEYED_INDICATORS]
# Sheets with several tables: no heading row repeated on every printed page.
MANY_TABLES = PageSetup(repeat_heading=False)


def indicator_sheet_name(indicator: int) -> str:
    return f"Indikator {indicator}"


def sheet_names() -> tuple[str, ...]:
    """Every visible sheet name the national workbook can have (a re-run replaces them)."""
    return (SHEET_OVERVIEW, SHEET_INTAKE, SHEET_RESPONDENTS,
            *(indicator_sheet_name(i) for i in SURVEYED), SHEET_HISTORY, SHEET_BILAGA1,
            SHEET_BILAGA2)


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


def _heading(label: str, width: int, style: RowStyle = "subheading") -> Row:
    return Row((text(label), *(Value() for _ in range(width - 1))), style)


# --- Översikt and Inlämningar ----------------------------------------------------------------

CONTENTS = {
    SHEET_INTAKE: "Varje inlämnad fil: förbund, mätperiod, svar, fel och varningar, om den "
                  "ingår och varför.",
    SHEET_RESPONDENTS: "Tabell 1, 3, 4, 5 och 6: svar och förbund per respondentgrupp, "
                       "svarsfrekvens, kön och rutin för pågåendeenkäten.",
    SHEET_HISTORY: "Tabell 22: insamlade enkäter och deltagande förbund per år.",
    SHEET_BILAGA1: "Antal enkäter per förbund och respondentgrupp.",
    SHEET_BILAGA2: "Svarsfrekvens per förbund och respondentgrupp.",
}


def _overview(result: NationalResult, sheet_names: list[str]) -> Sheet:
    blocks: list[Any] = [
        Text(f"NNS indikatorer – nationellt resultat {result.period}", "title"),
        Text(result.summary_line()),
    ]
    if result.history is not None and result.history.source:
        blocks.append(Text(f"Tidigare perioder: {result.history.source}.", "note"))
    blocks += [Text(f"Obs: {n}", "note") for n in result.notes]
    rows = []
    for name in sheet_names:
        if name.startswith("Indikator "):
            i = int(name.split()[1])
            what = (f"Tabell {table_number(i)}: {ins.INDICATOR_SHORT[i]} – andelar per "
                    "svarskategori, nyckeltal för tre perioder och diagram.")
        else:
            what = CONTENTS.get(name, "")
        rows.append(Row((Value(name, link=Link(name)), text(what))))
    blocks.append(Table("innehall", (Column("Blad", width=16), Column("Innehåll", width=90)),
                        tuple(rows), title="Innehåll"))
    return Sheet(SHEET_OVERVIEW, tuple(blocks), freeze_heading=False, page=MANY_TABLES)


def _saved(s: Submission) -> str | None:
    """dcterms:modified in UTC (Excel stores it so; a time without zone is taken as UTC)."""
    if s.modified is None:
        return None
    t = s.modified if s.modified.tzinfo is None else s.modified.astimezone(UTC)
    return t.strftime("%Y-%m-%d %H:%M")


def _intake(result: NationalResult) -> Sheet:
    columns = (
        Column("Fil", width=30), Column("Samordningsförbund", width=28),
        Column("Mätperiod", "year"), Column("Rutin pågåendeenkät", width=18),
        Column("Sparad (UTC)", width=17),
        *(Column(TABLE1_HEADINGS[g], "count", band="Antal svar") for g in REPORT_GROUPS),
        Column("Svar totalt", "count"), Column("Fel", "count"), Column("Varningar", "count"),
        Column("Ingår", width=7), Column("Kommentar", width=60, wrap=True),
    )
    rows = []
    for s in sorted(result.submissions, key=lambda s: (not s.included, s.name.casefold())):
        per = s.answers_per_group()
        readable = s.readable
        rows.append(Row((
            text(s.name), text(s.forbund), Value(s.period, "year"), text(s.routine),
            text(_saved(s)),
            *((count(per[g]) if readable else Value()) for g in REPORT_GROUPS),
            count(s.total_answers) if readable else Value(),
            Value(s.n_errors, "count", {"fel"} if s.n_errors else frozenset()),
            Value(s.n_warnings, "count", {"varning"} if s.n_warnings else frozenset()),
            text("Ja" if s.included else "Nej", () if s.included else {"fel"}),
            text(s.reason),
        )))
    notes = ("Fel och varningar räknas här; förbundet ser dem med indikator-xl validera. "
             "En fil med fel ingår: felaktiga celler räknas inte, resten räknas.",
             "Samma förbund två gånger för samma mätperiod: den senast sparade filen "
             "(dokumentets sparade tid, därefter filens tid) ingår.")
    table = Table("inlamningar", columns, tuple(rows),
                  title=f"Inlämnade filer, mätperiod {result.period}", notes=notes)
    return Sheet(SHEET_INTAKE, (Text("Inlämningar", "title"), Text(result.summary_line()), table),
                 frozen_columns=1)


# --- Svarande: Tabell 1, 3, 4, 5, 6 ---------------------------------------------------------

def _tabell1(result: NationalResult) -> Table:
    t = result.answers_by_group.set_index("respondentgrupp")
    cols = (Column("", width=28), *(Column(TABLE1_HEADINGS[g], "count") for g in REPORT_GROUPS),
            Column("Totalt", "count"))
    rows = tuple(Row((text(label), *(count(t.at[g, c]) for g in REPORT_GROUPS),
                      count(t.at["Totalt", c], {"bold"})))
                 for label, c in (("Antal besvarade enkäter", "svar"),
                                  ("Antal deltagande förbund", "forbund")))
    return Table("tabell1", cols, rows,
                 title="Tabell 1 Antal enkäter och förbund per respondentgrupp.")


RATE_COLUMNS = tuple((c, h, voc.RATE_KINDS[c]) for c, h in voc.RATE_HEADINGS.items())


def _rate_cells(r: pd.Series, total: bool = False, columns=RATE_COLUMNS) -> list[Value]:
    cells = []
    for c, _, kind in columns:
        v = r[c]
        emph = {"bold"} if total else frozenset()
        if kind == "share":
            star = total and c in voc.STARRED_TOTAL_RATES
            cells.append(share(v, emph, voc.SHARE_STAR if star else None))
        else:
            cells.append(count(v, emph))
    return cells


def _tabell3(result: NationalResult) -> Table:
    cols = (Column("", width=28), *(Column(h, k, width=16, wrap=True)
                                    for _, h, k in RATE_COLUMNS))
    rows = []
    for r in result.response_rates.itertuples(index=False):
        s = pd.Series(r._asdict())
        total = r.respondentgrupp == "Totalt"
        rows.append(Row((text(r.respondentgrupp, {"bold"} if total else ()),
                         *_rate_cells(s, total)), "total" if total else "normal"))
    return Table("tabell3", cols, tuple(rows),
                 title=f"Tabell 3 Svarsfrekvenser per respondentgrupp {result.period}.",
                 notes=(voc.REMITTENTER_NOTE,
                        "Kvoterna räknas över de förbund som angett respektive population."))


def _gender_table(result: NationalResult, group: str, number: int) -> Table:
    g = result.gender_counts[result.gender_counts["respondentgrupp"] == group].set_index("rad")
    labels = (("kvinnor", "Uppgett sig vara kvinna"), ("man", "Uppgett sig vara man"),
              ("ej_angett", "Ej uppgett variabeln kön"), ("totalt", "Totalt antal enkätsvar"))
    rows = []
    for rad, label in labels:
        total = rad == "totalt"
        emph = {"bold"} if total else ()
        rows.append(Row((text(label, emph), count(g.at[rad, "antal"], emph),
                         share(g.at[rad, "andel"], emph)), "total" if total else "normal"))
    heading = TABLE1_HEADINGS[group]
    what = "pågående" if group == ins.DELTAGARE_PAGAENDE else "avslut"
    return Table(f"tabell{number}", (Column("", width=28), Column(heading, "count"),
                                     Column("Andel", "share")), tuple(rows),
                 title=f"Tabell {number} Antal svarande deltagare {what} uppdelat på kön.")


ROUTINE_HEADINGS = {ins.ROUTINES[0]: "Begränsad period under året",
                    ins.ROUTINES[1]: "Kontinuerligt under året", ins.ROUTINES[2]: "Okänt"}


def _tabell6(result: NationalResult) -> Table:
    t = result.routine_counts.set_index(["rad", "rutin"])
    cols = (Column("", width=12), Column("", width=8),
            *(Column(ROUTINE_HEADINGS[r], "count", width=16, wrap=True) for r in ins.ROUTINES),
            Column("Totalt", "count"))
    rows = []
    for rad, label in (("kvinnor", "Kvinnor"), ("man", "Män"), ("totalt", "Totalt")):
        total = rad == "totalt"
        emph = {"bold"} if total else frozenset()
        style: RowStyle = "total" if total else "normal"
        rows.append(Row((text(label, emph), text("Antal", emph),
                         *(count(t.at[(rad, r), "antal"], emph) for r in ins.ROUTINES),
                         count(t.at[(rad, "Totalt"), "antal"], emph | {"bold"})), style))
        rows.append(Row((Value(), text("Andel", emph),
                         *(share(t.at[(rad, r), "andel"], emph) for r in ins.ROUTINES),
                         share(t.at[(rad, "Totalt"), "andel"], emph | {"bold"})), style))
    forbund = result.routine_counts.attrs.get("forbund", {})
    note = "Förbund med svar från deltagare pågående: " + ", ".join(
        f"{ROUTINE_HEADINGS[r].lower()} {forbund.get(r, 0)}" for r in ins.ROUTINES) + "."
    return Table("tabell6", cols, tuple(rows),
                 title="Tabell 6 Rutin för utdelning av pågåendeenkäten till deltagare. Antal "
                       "och andel som tillfrågats utifrån de två tillvägagångssätten, "
                       "könsuppdelat.", notes=(note,))


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


def _routine_table(result: NationalResult, questions: tuple[int, ...] | None = None,
                   name: str = "rutin") -> Table:
    """Deltagare pågående by routine with the routine-vs-routine stars (all questions, or
    `questions` only: Indikator 7 shows fråga 6 as the report does)."""
    comp = by_measure(result.routine_comparison)
    cols = (Column("", width=34), *(Column(ins.CATEGORY_LABELS[c], "share")
                                    for c in ins.CATEGORIES[:3]),
            Column("(Klart positivt)", "share"))
    rows: list[Row] = []
    group = ins.GROUPS_BY_NAME[ins.DELTAGARE_PAGAENDE]
    for q in group.questions:
        part = comp.get((q.group, q.number), [])
        if not part or (questions is not None and q.number not in questions):
            continue
        rows.append(_heading(f"Fråga {q.number}  {group.short}", len(cols)))
        for r in part:
            rows.append(Row((text(f"{ROUTINE_HEADINGS[r.undergrupp]} (n={r.n})"),
                             *_category_cells(r, False))))
    return Table(name, cols, tuple(rows),
                 title="Deltagare pågående per rutin: begränsad period jämfört med "
                       "kontinuerligt under året.",
                 notes=(voc.routine_star_note(result.thresholds),))


def _respondents(result: NationalResult) -> Sheet:
    return Sheet(SHEET_RESPONDENTS, (
        Text("Svarande och bortfall", "title"), _tabell1(result), _tabell3(result),
        _gender_table(result, ins.DELTAGARE_PAGAENDE, 4),
        _gender_table(result, ins.DELTAGARE_AVSLUT, 5), _tabell6(result),
        _routine_table(result)), freeze_heading=False, page=MANY_TABLES)


# --- one sheet per indicator: Tabell N.1, N.2 and the trend chart --------------------------

def _subgroup_label(r: Any) -> str:
    label = SUBGROUP_LABELS.get(r.undergrupp, r.undergrupp)
    return f"{label} (n={r.n})"


def _n1_table(measures: dict, questions: list[ins.Question], name: str,
              title: str, yes_no: bool, thresholds: Thresholds) -> Table:
    cols: tuple[Column, ...]
    if yes_no:
        cols = (Column("", width=34), Column("Nej", "share"), Column("Ja", "share"))
    else:
        cols = (Column("", width=34), *(Column(ins.CATEGORY_LABELS[c], "share")
                                        for c in ins.CATEGORIES[:3]),
                Column("(Klart positivt)", "share"))
    rows: list[Row] = []
    for q in questions:
        part = measures.get((q.group, q.number), [])
        if not part:
            continue
        group = ins.GROUPS_BY_NAME[q.group]
        rows.append(_heading(f"Fråga {q.number}  {group.short}", len(cols)))
        for r in part:
            rows.append(Row((text(_subgroup_label(r)), *_category_cells(r, yes_no))))
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
    cols = [Column("", width=34)]
    for p in periods:
        cols += [Column("antal svar", "count", band=str(p)),
                 Column("nyckeltal", "share", band=str(p))]
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
        rows.append(_heading(f"Fråga {q.number}  {ins.GROUPS_BY_NAME[q.group].short}", len(cols)))
        current = {r.undergrupp: r for r in part}
        for u in keys:
            cells = [text(SUBGROUP_LABELS.get(u, u))]
            r = current.get(u)
            star = r is not None and int(getattr(r, "stjarna_ar", 0) or 0) == 1
            for p in periods:
                if p == result.period:
                    if r is None:
                        cells += [Value(), Value()]
                        continue
                    hidden = int(r.dold) == 1
                    emph = {"stjarna"} if star else set()
                    cells += [count(r.n), share(None if hidden else r.nyckeltal,
                                                emph | ({"dold"} if hidden else set()))]
                    continue
                n, k = lookup.get((p, q.group, q.number, u), (None, None))
                emph = {"stjarna"} if star and p in year_star_periods else set()
                cells += [Value() if n is None else count(n),
                          Value() if n is None else share(k, emph)]
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


def _series(questions: list[ins.Question], result: NationalResult) -> list[tuple[str, Any]]:
    """Chart series: kvinnor and män for participants, samtliga for the other groups."""
    out = []
    for q in questions:
        group = ins.GROUPS_BY_NAME[q.group]
        several = sum(1 for x in questions if x.group == q.group) > 1
        base = group.short + (f" fråga {q.number}" if several else "")
        subs = (ins.KVINNOR, ins.MAN) if group.is_participant else ("samtliga",)
        for u in subs:
            label = f"{base}, {SUBGROUP_LABELS[u]}" if group.is_participant else base
            out.append((label, (q.group, q.number, u)))
    return out


def _trend(result: NationalResult, indicator: int, questions: list[ins.Question],
           name: str, diagram: str | None, lookup: dict) -> list[Any]:
    series = _series(questions, result)
    periods = [p for p in result.merged_history.periods if p <= result.merged_period]
    if not series or len(periods) < 2:
        return []
    cols = (Column("Mätperiod", "year"), *(Column(label, "share", width=14, wrap=True)
                                           for label, _ in series))
    rows = []
    for p in periods:
        cells = [Value(str(p), "text")]
        for _, (g, q, u) in series:
            n, k = lookup.get((p, g, q, u), (None, None))
            cells.append(Value() if n is None or is_missing(k) else Value(float(k), "share"))
        rows.append(Row(tuple(cells)))
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
    # The chart starts a printed page; its figures follow it as a table.
    chart = Chart("line", title, name, 0, tuple(range(1, len(cols))),
                  y_title=label[0].upper() + label[1:], rows=18, new_page=True)
    table = Table(name, cols, tuple(rows), title=f"Siffrorna i diagrammet ({span}).")
    return [chart, table]


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
        blocks.append(_n1_table(measures, yes_no, f"n1_{indicator}_ja_nej",
                                f"Tabell {tnum}.{part} Indikator {indicator}.", True,
                                result.thresholds))
        part += 1
    blocks.append(_n1_table(measures, scaled, f"n1_{indicator}",
                            f"Tabell {tnum}.{part} Indikator {indicator}.", False,
                            result.thresholds))
    part += 1
    periods = _n2_periods(result)
    span = f"{periods[0]}–{periods[-1]}" if periods else str(result.period)
    label = _key_label(indicator, questions)
    blocks.append(_n2_table(result, measures, questions, f"n2_{indicator}",
                            f"Tabell {tnum}.{part} Nyckeltal \"{label}\" för indikator "
                            f"{indicator}, jämförelse {span}.", lookup))
    if yes_no:
        f8 = ins.question(ins.DELTAGARE_AVSLUT, 8)
        blocks += _trend(result, indicator, [f8], f"diagram_{indicator}_ja", "5.1", lookup)
    blocks += _trend(result, indicator, scaled, f"diagram_{indicator}",
                     REPORT_DIAGRAMS.get(indicator), lookup)
    if indicator == 7 and not result.routine_comparison.empty:
        blocks += [Text("Skillnader beroende på insamlingssätt i pågåendeenkäten", "heading"),
                   _routine_table(result, (6,), "rutin_7")]
    return Sheet(indicator_sheet_name(indicator), tuple(blocks), freeze_heading=False,
                 page=MANY_TABLES)


# --- Historik, Bilaga 1 and 2 ----------------------------------------------------------------

def _history_sheet(result: NationalResult) -> Sheet:
    s = result.surveys
    years = [int(p) for p in s["matperiod"]]
    cols = (Column("", width=36), *(Column(str(y), "count") for y in years),
            Column("Totalt", "count"))
    total = int(s["enkater"].astype(float).sum())

    def line(label: str, column: str, kind: str, with_total: bool = False) -> Row:
        cells = [text(label)]
        for v in s[column]:
            if is_missing(v):
                cells.append(Value(voc.DASH, "count"))
            elif kind == "share":
                cells.append(Value(float(v), "share"))
            elif kind == "number":
                cells.append(Value(round(float(v), 1), "number", number_format="0.0"))
            else:
                cells.append(Value(int(v), "count"))
        cells.append(count(total, {"bold"}) if with_total else Value(voc.DASH, "count"))
        return Row(tuple(cells))

    rows = (line("Totalt insamlade enkäter", "enkater", "count", True),
            line("Antal deltagande förbund", "forbund", "count"),
            line("Genomsnitt antal enkäter per förbund", "per_forbund", "number"),
            line("Antal samordningsförbund nationellt", "forbund_nationellt", "count"),
            line("Andel deltagande förbund", "andel_deltagande", "share"))
    table = Table("tabell22", cols, rows,
                  title=f"Tabell 22 Antal insamlade enkäter och deltagande förbund "
                        f"{years[0]}–{years[-1]}.",
                  notes=("Åren före denna sammanställning är publicerade siffror eller "
                         "tidigare sammanställningar (förra årets resultatfil).",))
    return Sheet(SHEET_HISTORY, (Text("Historik", "title"), table), freeze_heading=False)


def _bilaga1(result: NationalResult) -> Sheet:
    b = result.bilaga1
    cols = (Column("Samordningsförbund", width=36),
            *(Column(TABLE1_HEADINGS[g], "count") for g in REPORT_GROUPS))
    rows = []
    for r in b.itertuples(index=False):
        star = "*" if r.ny == 1 else ""
        rows.append(Row((text(f"{r.forbund}{star}"),
                         *(count(v) for v in r[2:]))))
    rows.append(Row((text(f"Totalt: {len(b)}", {"bold"}),
                     *(count(int(b[g].sum()), {"bold"}) for g in REPORT_GROUPS)), "total"))
    notes = ("Förbund med * deltog inte i föregående mätperiod.",) \
        if b["ny"].notna().any() else ()
    table = Table("bilaga1", cols, tuple(rows),
                  title=f"Bilaga 1: Förteckning deltagande samordningsförbund {result.period} "
                        "(antal enkäter per respondentgrupp).", notes=notes)
    return Sheet(SHEET_BILAGA1, (Text("Bilaga 1", "title"), table), frozen_columns=1)


def _bilaga2(result: NationalResult) -> Sheet:
    blocks: list[Any] = [Text("Bilaga 2: Svarsfrekvens per respondentgrupp", "title")]
    rates = result.response_rates.set_index("respondentgrupp")
    for i, g in enumerate((*REPORT_GROUPS[:5], ins.REMITTENTER)):
        part = result.bilaga2[result.bilaga2["respondentgrupp"] == g]
        if part.empty:
            continue
        columns = RATE_COLUMNS if g != ins.REMITTENTER else (
            RATE_COLUMNS[1], RATE_COLUMNS[3], RATE_COLUMNS[4])
        cols = (Column("Samordningsförbund", width=36),
                *(Column(h, k, width=16, wrap=True) for _, h, k in columns))
        rows = [Row((text(r["forbund"]), *_rate_cells(r, columns=columns)))
                for r in part.to_dict("records")]
        total = rates.loc[g].copy()
        rows.append(Row((text(f"Totalt: {len(part)}", {"bold"}),
                         *(Value(v.value, v.kind, {"bold"}, None) for v in
                           _rate_cells(total, columns=columns))), "total"))
        blocks.append(Table(f"bilaga2_{i}", cols, tuple(rows),
                            title=f"Svarsfrekvens {g.lower()}"))
    return Sheet(SHEET_BILAGA2, tuple(blocks), freeze_heading=False, page=MANY_TABLES)


def _hidden_sheets(result: NationalResult) -> list[Sheet]:
    sheets = []
    for name, rows in sheet_rows(result.merged_history).items():
        header, data = rows[0], rows[1:]
        cols = tuple(Column(h, "number") for h in header)
        body = tuple(Row(tuple(Value(v, "text" if isinstance(v, str) else "number")
                               for v in r)) for r in data)
        sheets.append(Sheet(name, (Table(name.lower(), cols, body),), hidden=True,
                            freeze_heading=False))
    return sheets


def national_workbook(result: NationalResult) -> Workbook:
    """Every sheet of the national result workbook (needs result.merged)."""
    if not result.merged:
        raise ValueError("nothing was merged")
    lookup = _history_lookup(result)
    measures = by_measure(result.table)
    indicator_sheets = [_indicator_sheet(result, i, measures, lookup) for i in SURVEYED]
    body = [_intake(result), _respondents(result), *indicator_sheets, _history_sheet(result),
            _bilaga1(result), _bilaga2(result)]
    overview = _overview(result, [s.name for s in body])
    return Workbook((overview, *body, *_hidden_sheets(result)),
                    title=f"NNS indikatorer – nationellt resultat {result.period}")
