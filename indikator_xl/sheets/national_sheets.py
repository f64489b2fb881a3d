"""The national result as sheet models (sheetmodel.py), laid out like the national report.

`national_workbook(result)` describes every sheet: Översikt, Inlämningar, Svarande
(Tabell 1, 3, 4, 5, 6 and the routine comparison), one sheet per indicator (Tabell N.1,
N.2 and the trend chart, national_indicator_sheets.py), Historik (Tabell 22), Bilaga 1,
Bilaga 2 and the hidden history sheets that next year's merge reads (national_history.py).
Both the CLI and the Excel add-in render it; nothing here touches an Excel library.

No Löpnummer, insats or samverkansgrupp name and no validation message text appears in
any sheet; per-förbund tables hold counts and response rates only.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pandas as pd

from indikator_xl.domain import instrument as ins
from indikator_xl.figures.national import REPORT_GROUPS, NationalResult
from indikator_xl.figures.national_history import sheet_rows
from indikator_xl.sheets import publication
from indikator_xl.sheets import vocabulary as voc
from indikator_xl.sheets.charts import history_charts
from indikator_xl.sheets.excel_tables import split_at_headings
from indikator_xl.sheets.national_indicator_sheets import (
    MANY_TABLES,
    ROUTINE_HEADINGS,
    SURVEYED,
    indicator_sheet_name,
    indicator_sheets,
    routine_table,
    table_number,
    text,
)
from indikator_xl.sheets.sheetmodel import (
    Column,
    Link,
    Row,
    RowStyle,
    Sheet,
    Table,
    Text,
    Value,
    Workbook,
)
from indikator_xl.sheets.vocabulary import count, is_missing, share
from indikator_xl.validation.intake import Submission

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


def sheet_names() -> tuple[str, ...]:
    """Every visible sheet name the national workbook can have (a re-run replaces them)."""
    return (*publication.SHEET_NAMES, SHEET_OVERVIEW, SHEET_INTAKE, SHEET_RESPONDENTS,
            *(indicator_sheet_name(i) for i in SURVEYED), SHEET_HISTORY, SHEET_BILAGA1,
            SHEET_BILAGA2)


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
    rows = [Row((Value(name, link=Link(name)), text(_describe(name))))
            for name in sheet_names]
    blocks.append(Table("innehall", (Column("Blad", width=16), Column("Innehåll", width=90)),
                        tuple(rows), title="Innehåll"))
    return Sheet(SHEET_OVERVIEW, tuple(blocks), freeze_heading=False, page=MANY_TABLES)


def _describe(name: str) -> str:
    if name.startswith("Indikator "):
        i = int(name.split()[1])
        return (f"Tabell {table_number(i)}: {ins.INDICATOR_SHORT[i]} – andelar per "
                "svarskategori, nyckeltal för tre perioder och diagram.")
    return CONTENTS.get(name, "")


MACHINE_READABLE = {
    "NNS_antal": "Antal svar per mätperiod, respondentgrupp, fråga och undergrupp (n, antal "
                 "per svarskategori, nyckeltal som bråk 0–1, dold, kalla) och för den "
                 "sammanställda perioden stjärnorna: stjarna_kon (kvinnor–män, någon "
                 "svarskategori) och stjarna_ar (nyckeltalet mellan åren), 1 eller 0. Nästa "
                 "års sammanställning läser bladet (--foregaende). Rubrikraden är rad 1.",
    "NNS_historik": "Insamlade enkäter och deltagande förbund per år (Tabell 22). "
                    "Rubrikraden är rad 1.",
    "NNS_forbund": "Deltagande förbund per mätperiod. Rubrikraden är rad 1.",
}


def _saved(s: Submission) -> str | None:
    """dcterms:modified in UTC (Excel stores it so; a time without zone is taken as UTC)."""
    if s.modified is None:
        return None
    t = s.modified if s.modified.tzinfo is None else s.modified.astimezone(UTC)
    return t.strftime("%Y-%m-%d %H:%M")


def _intake(result: NationalResult) -> Sheet:
    columns = (
        Column("Fil", width=26, wrap=True), Column("Samordningsförbund", width=22, wrap=True),
        Column("Mätperiod", "year"), Column("Rutin pågåendeenkät", width=14, wrap=True),
        Column("Sparad (UTC)", width=16),
        *(Column(TABLE1_HEADINGS[g], "count", band="Antal svar") for g in REPORT_GROUPS),
        Column("Svar totalt", "count"), Column("Fel", "count"), Column("Varningar", "count"),
        Column("Ingår", width=7), Column("Kommentar", width=40, wrap=True),
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
    cols = (Column("Uppgift", width=28),
            *(Column(TABLE1_HEADINGS[g], "count") for g in REPORT_GROUPS),
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
            cells.append(share(v, emph))
        else:
            cells.append(count(v, emph))
    return cells


def _tabell3(result: NationalResult) -> Table:
    cols = (Column("Respondentgrupp", width=28), *(Column(h, k, width=16, wrap=True)
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
    return Table(f"tabell{number}", (Column("Kön", width=28), Column(heading, "count"),
                                     Column("Andel", "share")), tuple(rows),
                 title=f"Tabell {number} Antal svarande deltagare {what} uppdelat på kön.")


def _tabell6(result: NationalResult) -> Table:
    t = result.routine_counts.set_index(["rad", "rutin"])
    cols = (Column("Kön", width=12), Column("Mått", width=8),
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


def _respondents(result: NationalResult) -> Sheet:
    return Sheet(SHEET_RESPONDENTS, (
        Text("Svarande och bortfall", "title"), _tabell1(result), _tabell3(result),
        _gender_table(result, ins.DELTAGARE_PAGAENDE, 4),
        _gender_table(result, ins.DELTAGARE_AVSLUT, 5), _tabell6(result),
        *split_at_headings(routine_table(result))), freeze_heading=False, page=MANY_TABLES)


# --- Historik, Bilaga 1 and 2 ----------------------------------------------------------------

def _history_sheet(result: NationalResult) -> Sheet:
    s = result.surveys
    years = [int(p) for p in s["matperiod"]]
    cols = (Column("Uppgift", width=36), *(Column(str(y), "count") for y in years),
            Column("Totalt", "count"))
    total = result.surveys_total

    def line(label: str, column: str, kind: str, with_total: bool = False) -> Row:
        cells = [text(label)]
        for v in s[column]:
            if is_missing(v):
                cells.append(Value(voc.SAKNAS, "count"))
            elif kind == "share":
                cells.append(Value(float(v), "share"))
            elif kind == "number":
                cells.append(Value(round(float(v), 1), "number", number_format="0.0"))
            else:
                cells.append(Value(int(v), "count"))
        cells.append(count(total, {"bold"}) if with_total else Value(voc.SAKNAS, "count"))
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
    return Sheet(SHEET_HISTORY, (Text("Historik", "title"), table,
                                 *history_charts(table, years)), freeze_heading=False)


def _bilaga1(result: NationalResult) -> Sheet:
    b = result.bilaga1
    known = b["ny"].notna().any()
    cols = (Column("Samordningsförbund", width=36),
            *(Column(TABLE1_HEADINGS[g], "count") for g in REPORT_GROUPS),
            *((Column("Ny (deltog inte föregående mätperiod)", width=14, wrap=True),)
              if known else ()))
    rows = []
    for r in b.itertuples(index=False):
        new = ((text(voc.YES if r.ny == 1 else ""),) if known else ())
        rows.append(Row((text(r.forbund), *(count(v) for v in r[2:]), *new)))
    rows.append(Row((text(f"Totalt: {len(b)}", {"bold"}),
                     *(count(n, {"bold"}) for n in result.bilaga1_totals.values()),
                     *((text(""),) if known else ())), "total"))
    table = Table("bilaga1", cols, tuple(rows),
                  title=f"Bilaga 1: Förteckning deltagande samordningsförbund {result.period} "
                        "(antal enkäter per respondentgrupp).")
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


def _with_stars(result: NationalResult, rows: list[list[Any]]) -> list[list[Any]]:
    """NNS_antal with the merged period's stars as two more columns (empty for earlier
    periods; the reader of next year's merge ignores them)."""
    stars: dict[tuple, tuple[int | None, int | None]] = {}
    for r in result.table.to_dict("records"):
        kon: int | None = max(int(r.get(f"stjarna_{c}") or 0) for c in ins.CATEGORIES)
        year = r.get("stjarna_ar")
        stars[(r["group"], int(r["question"]), r["dimension"], r["undergrupp"])] = (
            kon, None if is_missing(year) else int(year))
    out = [[*rows[0], "stjarna_kon", "stjarna_ar"]]
    for row in rows[1:]:
        kon, year = (stars.get((row[1], row[2], row[3], row[4]), (None, None))
                     if row[0] == result.period else (None, None))
        out.append([*row, kon, year])
    return out


def _hidden_sheets(result: NationalResult) -> list[Sheet]:
    """The machine-readable sheets next year's merge reads (visible, heading row 1)."""
    sheets = []
    for name, rows in sheet_rows(result.merged_history).items():
        if name == "NNS_antal":
            rows = _with_stars(result, rows)
        header, data = rows[0], rows[1:]
        cols = tuple(Column(h, "number") for h in header)
        body = tuple(Row(tuple(Value(v, "text" if isinstance(v, str) else "number")
                               for v in r)) for r in data)
        sheets.append(Sheet(name, (Table(name.lower(), cols, body),)))
    return sheets


def national_workbook(result: NationalResult) -> Workbook:
    """Every sheet of the national result workbook (needs result.merged)."""
    if not result.merged:
        raise ValueError("nothing was merged")
    body = [_intake(result), _respondents(result), *indicator_sheets(result),
            _history_sheet(result),
            _bilaga1(result), _bilaga2(result)]
    overview = _overview(result, [s.name for s in body])
    title = f"NNS indikatorer – nationellt resultat {result.period}"
    book = Workbook((overview, *body, *_hidden_sheets(result)), title=title)
    included = sum(1 for s in result.submissions if s.included)
    sources = [f"{included} registreringsfiler från samordningsförbunden, mätperiod "
               f"{result.period}",
               "Publicerade siffror ur NNS nationella indikatorrapporter (tidigare år)"]
    if result.history is not None and result.history.source:
        sources.append(result.history.source)
    contents = {n: _describe(n) for n in (SHEET_OVERVIEW, *(s.name for s in body))}
    contents[SHEET_OVERVIEW] = "Sammanfattning av sammanställningen och innehållet."
    return publication.publish(book, publication.About(
        title=title, period=str(result.period),
        producer="NNS – Nationella nätverket för samordningsförbund",
        sources=tuple(sources), contents=contents, machine_readable=MACHINE_READABLE))
