"""The result workbook of "Beräkna" as sheet models (pure: Analysis → sheetmodel).

Sheets, in order: Sammanfattning (the local report's Tabell 45), Resultat (national
Tabell N.1 with the local report's columns), Rapporttabeller (the local report's table
per measure, `report_tables`), Svarsfrekvens (local Tabell 1 / national
Tabell 3), Diagram, Valideringsfel and the hidden Data sheet (SPEC §7 long table).
Every word a user sees is Swedish and taken from the reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument as ins
from indikator_xl.domain.problems import FEL, Problem, display_value
from indikator_xl.figures import comparison as cmp
from indikator_xl.figures.analysis import TOTALT, Analysis
from indikator_xl.figures.rate_comparison import compare_rates
from indikator_xl.figures.report_tables import report_tables
from indikator_xl.figures.stats import (
    ANSTALLNING,
    INSATS,
    INSATS_KON,
    KON,
    SAMTLIGA,
    SAMVERKANSGRUPP,
)
from indikator_xl.figures.suppression import HiddenReason, Thresholds
from indikator_xl.output import export
from indikator_xl.sheets import publication
from indikator_xl.sheets import vocabulary as voc
from indikator_xl.sheets.charts import DIAGRAM, diagram
from indikator_xl.sheets.sheetmodel import (
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
from indikator_xl.validation.registration import Registration

SAMMANFATTNING = "Sammanfattning"
RESULTAT = "Resultat"
RAPPORTTABELLER = "Rapporttabeller"
SVARSFREKVENS = "Svarsfrekvens"
VALIDERINGSFEL = "Valideringsfel"
# The Valideringsfel sheet lists at most this many problems (a million bad cells would pass
# Excel's 1 048 576 rows); the rest are counted, and `validera --json` lists them all.
MAX_SHOWN_PROBLEMS = 1_000
DATA = "Data"
SHEET_NAMES = (*publication.SHEET_NAMES, SAMMANFATTNING, RESULTAT, RAPPORTTABELLER,
               SVARSFREKVENS, DIAGRAM, VALIDERINGSFEL, DATA)
CONTENTS = {
    SAMMANFATTNING: "Indikatorerna jämförda med rikssnittet (och föregående period), "
                    "totalt och för kvinnor och män; underlaget.",
    RESULTAT: "Per indikator och fråga: antal svar, andelar per svarskategori, nyckeltal, "
              "rikssnitt, stjärnor och varför en cell är dold. En tabell per fråga.",
    RAPPORTTABELLER: "Lokala rapportens tabell per fråga, redo att klistra in i Word.",
    SVARSFREKVENS: "Målpopulation, undersökt population, antal svar och svarsfrekvens per "
                   "respondentgrupp och insats.",
    DIAGRAM: "Nyckeltal per indikator som tabell och diagram.",
    VALIDERINGSFEL: "Fel och varningar i registreringsfilen, med blad och cell.",
}
DATA_DESCRIPTION = (
    "Den långa resultattabellen (docs/kontrakt.md §2): en rad per mått och undergrupp, "
    "samma kolumner och värden som berakna --export. Andelar som bråk 0–1; dold = 1 där "
    "cellen är dold (andelarna tomma), osaker = 1 där n < 10, stjarna_* = 1 vid "
    "signifikant skillnad mellan kvinnor och män. Rubrikraden är rad 1, för program.")

_DIMENSION_LABEL = {INSATS: "Insats", INSATS_KON: "Insats", ANSTALLNING: "Anställning",
                    SAMVERKANSGRUPP: "Samverkansgrupp"}


# ------------------------------------------------------------------------------ helpers

def _pp(x: Any, decimals: int) -> float | None:
    """Percentage points rounded as shown (so no "-0" appears)."""
    v = voc.number(x)
    return None if v is None else round(float(v), decimals) + 0.0


def _ind_label(i: int) -> str:
    return f"{i} {ins.INDICATOR_SHORT[i]}"


def _subgroup_label(dimension: str, undergrupp: str) -> str:
    if dimension == SAMTLIGA:
        return "Samtliga"
    if dimension == KON:
        return ins.GENDER_LABELS.get(undergrupp, undergrupp)
    return f"{_DIMENSION_LABEL.get(dimension, dimension)}: {undergrupp}"


def _period_text(a: Analysis) -> str:
    return f"{a.registration.forbund} {a.registration.period}"


# ------------------------------------------------------------------------------ sheets

def result_workbook(analysis: Analysis, *, same_workbook: bool = False) -> Workbook:
    """All result sheets. `same_workbook`: the sheets are added to the registration
    workbook itself (xlwings), so links to the offending cells work."""
    reg = analysis.registration
    book = Workbook((
        sammanfattning(analysis),
        resultat(analysis),
        rapporttabeller(analysis),
        svarsfrekvens(analysis),
        diagram(analysis),
        valideringsfel(analysis.registration, same_workbook=same_workbook),
        data(analysis),
    ), title=f"Resultat {reg.forbund} {reg.period}")
    sources = [f"Registreringsfil: {Path(reg.source).name if reg.source else reg.forbund}",
               f"Rikssnitt: {analysis.rikssnitt.source}"]
    if analysis.previous is not None:
        prev = analysis.previous
        sources.append(f"Föregående period {prev.period}: "
                       f"{Path(prev.source).name if prev.source else prev.forbund}")
    return publication.publish(book, publication.About(
        title=f"Indikatorresultat {reg.forbund} {reg.period}", period=str(reg.period),
        producer=f"{reg.forbund} (samordningsförbund)", sources=tuple(sources),
        contents=CONTENTS, machine_readable={DATA: DATA_DESCRIPTION}))


def sammanfattning(a: Analysis) -> Sheet:
    """Tabell 45: verdict per indicator vs rikssnittet (and arrow vs last period)."""
    reg, riks = a.registration, a.rikssnitt
    prev = a.previous.period if a.previous is not None else None
    cols = [Column("Nr", "number", width=5), Column("Indikator", width=58, wrap=True)]
    for label in ("Totalt", "Kvinnor", "Män"):
        cols.append(Column(f"Jämfört med rikssnittet {riks.period}", "verdict", width=14,
                           band=label, wrap=True))
        cols.append(Column("Skillnad (procent-enheter)", "pp", width=11, band=label))
        if prev is not None:
            cols.append(Column(f"Jämfört med {prev} (pil)", "arrow", width=11, band=label))
    rows = []
    for rec in a.verdicts.to_dict("records"):
        i = int(rec["indikator"])
        cells = [Value(i, "number"), Value(f"{ins.INDICATORS[i]}")]
        for sub in ("samtliga", ins.KVINNOR, ins.MAN):
            v = rec[sub]
            text = v if isinstance(v, str) else ("" if sub != "samtliga" else "ej mätt")
            emph = {"hogre"} if v == cmp.HIGHER else {"lagre"} if v == cmp.LOWER else set()
            cells.append(Value(text, "verdict", emph))
            cells.append(Value(_pp(rec[f"d_{sub}"], 1), "pp", number_format=voc.PP_ONE))
            if prev is not None:
                cells.append(Value(rec[f"pil_{sub}"] or "", "arrow"))
        rows.append(Row(tuple(cells)))
    points = voc.points(a.thresholds.verdict_points)
    notes = [
        f"Högre/Lägre: förbundets nyckeltal ligger i genomsnitt (oviktat medelvärde över "
        f"indikatorns mått) minst {points} procentenheter över/under rikssnittet; annars "
        "Varken högre eller lägre.",
    ]
    if prev is not None:
        notes.append(f"Pilen jämför med förbundets eget resultat {prev} med samma regel: "
                     "↑ högre, → varken högre eller lägre, ↓ lägre.")
    notes += ["Kvinnor och män redovisas för indikatorerna med deltagarmått (1–7 och 9).",
              "Indikator 11 ingår ej: den mäts med registerdata, inte med enkäten."]
    title = (f"Indikatorredovisning {reg.forbund} jämfört med rikssnittet {riks.period}"
             + (f"/eget resultat {prev}" if prev is not None else "")
             + ", totalt och könsuppdelat")
    table = Table("sammanfattning", tuple(cols), tuple(rows), title=title, notes=tuple(notes))
    facts = Table("underlag", (Column("Underlag", width=30), Column("Värde", width=58)),
                  tuple(Row((Value(k), Value(v, "year" if isinstance(v, int) else "text")))
                        for k, v in _facts(a)))
    blocks: list = [Text(f"Sammanfattning – {_period_text(a)}", "title"),
                    Text(a.count_line + ".", "heading")]
    if a.previous_count_line is not None:
        blocks.append(Text(a.previous_count_line + ".", "heading"))
    blocks += [table, facts]
    problems = len(reg.errors), len(reg.warnings)
    blocks.append(Text(f"Registreringen har {problems[0]} fel och {problems[1]} varningar; "
                       "se bladet Valideringsfel.", link=Link(VALIDERINGSFEL, "A1")))
    blocks += [Text(f"Obs: {n}", "note") for n in a.notes]
    return Sheet(SAMMANFATTNING, tuple(blocks), frozen_columns=0)


def _facts(a: Analysis) -> list[tuple[str, Any]]:
    reg = a.registration
    span = ""
    if reg.period_from or reg.period_to:
        span = (f"{reg.period_from.isoformat() if reg.period_from else '?'} – "
                f"{reg.period_to.isoformat() if reg.period_to else '?'}")
    facts: list[tuple[str, Any]] = [
        ("Samordningsförbund", reg.forbund),
        ("Mätperiod", reg.period),
    ]
    if span:
        facts.append(("Period", span))
    if reg.routine:
        facts.append(("Rutin pågåendeenkät", reg.routine))
    facts += [
        ("Antal svar (svarat på minst en fråga)", reg.n_respondents),
        ("Registreringsfil", Path(reg.source).name if reg.source else ""),
        ("Rikssnitt", a.rikssnitt.source),
        ("Rikssnittets mätperiod", a.rikssnitt.period),
    ]
    if a.previous is not None:
        prev = a.previous
        facts.append(("Föregående period", f"{prev.period} ("
                      f"{Path(prev.source).name if prev.source else prev.forbund})"))
    return facts


def resultat(a: Analysis) -> Sheet:
    """Per indicator and measure: n and shares per subgroup, stars, rikssnitt, last period."""
    reg, riks = a.registration, a.rikssnitt
    prev = a.previous.period if a.previous is not None else None
    cols = [Column("Mått och undergrupp", width=30, wrap=True),
            Column("n", "count", width=7),
            *(Column(ins.CATEGORY_LABELS[c], "share", width=9) for c in ins.CATEGORIES),
            Column("Nyckeltal", "share", width=10)]
    if prev is not None:
        cols.append(Column(f"Nyckeltal {prev}", "share", width=10))
    cols += [Column(f"Rikssnitt {riks.period}", "share", width=10),
             Column("Skillnad mot rikssnittet (procent-enheter)", "pp", width=11, wrap=True),
             Column("Test kvinnor–män", width=9, wrap=True),
             Column("p-värde kvinnor–män, hela frågan", "p_value", width=11, wrap=True),
             Column("Stjärna kvinnor–män (signifikant skillnad)", width=16, wrap=True)]
    if prev is not None:
        cols.append(Column(f"Stjärna år {prev}–{reg.period}", width=10, wrap=True))
    cols += [Column(f"Osäker (n < {a.thresholds.uncertain_below})", width=8,
                    wrap=True),
             Column(f"Jämfört med rikssnittet (minst "
                    f"{voc.points(a.thresholds.verdict_points)} procentenheter)", width=12,
                    wrap=True),
             Column("Varför dold", width=40, wrap=True)]
    width = len(cols)
    # One table per measure (question), under a heading line per indicator; the table's
    # rows in table order (one pass, not a boolean mask per measure).
    by_measure: dict[tuple[Any, Any, Any], list[dict]] = {}
    for r in a.table.to_dict("records"):
        by_measure.setdefault((r["indikator"], r["group"], r["question"]), []).append(r)
    indicators = {k[0] for k in by_measure}
    tables: list[Text | Table] = []
    for i in sorted(ins.INDICATORS):
        measures = ins.measures_of(i)
        if not measures or i not in indicators:
            continue
        tables.append(Text(f"Indikator {i}: {ins.INDICATORS[i]}", "heading"))
        for q in measures:
            m = by_measure.get((i, q.group, q.number))
            if not m:
                continue
            short = ins.GROUPS_BY_NAME[q.group].short
            tables.append(Table(
                f"{short}_f{q.number}", tuple(cols),
                tuple(_measure_row(r, prev is not None, width, a.thresholds) for r in m),
                title=f"Fråga {q.number} – {short}: {q.text}"))
    notes = [voc.gender_star_note(a.thresholds)]
    if prev is not None:
        notes.append(voc.year_star_note(voc.YEAR_MARK, prev, a.period, a.thresholds,
                                        " (samtliga, kvinnor, män och hela "
                                        "respondentgrupper)"))
    notes += [
        voc.hidden_note(a.thresholds),
        voc.uncertain_note(a.thresholds),
        "Nyckeltal: andelen klart positiva svar (de två högsta svarsalternativen); för "
        "indikator 7 andelen positiva svar; för fråga 8 i Deltagare avslut andelen Ja "
        "(där är Positivt och Klart positivt = Ja, Negativt = Nej).",
        "Test: chi² = Pearsons chi²-test; Fisher = Fishers exakta test, som används när "
        "något förväntat antal är under 5. p-värde hela frågan: chi²-test av negativt/"
        "varken eller/positivt mellan kvinnor och män (styr inte stjärnorna).",
        f"Skillnad: förbundets nyckeltal minus rikssnittet i procentenheter; färgad där "
        f"skillnaden är minst {voc.points(a.thresholds.verdict_points)} procentenheter. "
        f"Rikssnitt: {riks.source}.",
    ]
    if prev is not None:
        notes.append(f"Nyckeltal {prev} inom parentes: förbundets resultat föregående "
                     "period.")
    blocks = (Text(f"Resultat per indikator och mått – {_period_text(a)}", "title"),
              Text("Andel svar per svarskategori, nyckeltal och rikssnitt; en tabell per "
                   "fråga."),
              *tables, *(Text(n, "note") for n in notes))
    return Sheet(RESULTAT, blocks, freeze_heading=False, frozen_columns=1,
                 page=PageSetup(repeat_heading=False))


def _measure_row(r: dict, with_prev: bool, width: int, thresholds: Thresholds) -> Row:
    hidden = bool(r["dold"])
    base: set[str] = {"osaker"} if r["osaker"] else set()
    cells = [Value(_subgroup_label(r["dimension"], r["undergrupp"]), "text", base),
             Value(int(r["n"]), "count", base)]
    year_star = with_prev and bool(voc.number(r.get("stjarna_ar")))
    for c in (*ins.CATEGORIES, colname.KEY_FIGURE):
        if hidden:
            cells.append(Value(voc.DOLD, "share", base | {"dold"}))
            continue
        star = c != colname.KEY_FIGURE and bool(r[f"stjarna_{c}"])
        fmt = voc.SHARE_STAR if star else (
            voc.SHARE_YEAR if c == colname.KEY_FIGURE and year_star else None)
        emph = base | ({"stjarna"} if star or (c == colname.KEY_FIGURE and year_star) else set())
        cells.append(Value(voc.number(r[c]), "share", emph, number_format=fmt))
    if with_prev:
        cells.append(Value(voc.number(r.get(colname.KEY_FIGURE_PREVIOUS)), "share", base,
                           number_format=voc.BRACKETED_YEAR if year_star else voc.BRACKETED))
    diff = None if hidden else _pp(r.get(colname.DIFFERENCE_PP), 0)
    marked = r.get(colname.DIFFERENCE_MARK)
    emph = {marked} if diff is not None and isinstance(marked, str) else set()
    cells += [Value(voc.number(r.get(colname.RIKSSNITT_KEY_FIGURE)), "share", base),
              Value(diff, "pp", base | emph)]
    test = r.get("test")
    cells.append(Value({"fisher": "Fisher", "chi2": "chi²"}.get(test, "") if test else "",
                       "text", base | ({"fisher"} if test == "fisher" else set())))
    cells.append(Value(voc.number(r.get("p_hela_fragan")), "p_value", base))
    starred = [ins.CATEGORY_LABELS[c] for c in ins.CATEGORIES
               if not hidden and bool(r[f"stjarna_{c}"])]
    cells.append(Value(f"{voc.STAR} " + ", ".join(starred) if starred else "", "text", base))
    if with_prev:
        cells.append(Value(f"{voc.YEAR_MARK} {voc.YES}" if year_star else "", "text", base))
    cells.append(Value(voc.YES if r["osaker"] else "", "text", base))
    flag = {"hogre": "Högre", "lagre": "Lägre"}.get(str(marked), "") if emph else ""
    cells.append(Value(flag, "text", base))
    reason = r.get(colname.HIDDEN_REASON)
    cells.append(Value(HiddenReason(reason).text(thresholds).capitalize()
                       if hidden and isinstance(reason, str) else "", "text", base))
    assert len(cells) == width
    return Row(tuple(cells))


def rapporttabeller(a: Analysis) -> Sheet:
    """The local report's table per measure ("83 % (59 %)"), ready to copy into Word."""
    blocks: list[Text | Table] = [Text(f"Rapporttabeller – {_period_text(a)}", "title")]
    prev = a.previous.period if a.previous is not None else None
    riks = a.rikssnitt
    explain = [f"Varje cell: {a.period}"
               + (f" och, inom parentes, {prev}" if prev is not None else "") + "."]
    if riks.previous_period is not None:
        explain.append(f"Rikssnittet {riks.period} och, inom parentes, "
                       f"{riks.previous_period} ({riks.source}).")
    else:
        explain.append(f"Rikssnittet {riks.period} ({riks.source}).")
    blocks.append(Text(" ".join(explain), "note"))
    for n, t in enumerate(report_tables(a), 1):
        cols = (Column("Grupp", width=30, wrap=True),
                *(Column(h, width=14, wrap=True) for h in t.headings))
        rows = tuple(Row((Value(r.label, emphasis={"bold"} if r.kind == "group" else set()),
                          *(_report_cell(c) for c in r.cells)))
                     for r in t.rows)
        blocks.append(Table(f"rapport_{n}", cols, rows, title=t.title,
                            notes=tuple(f"{voc.DOLD} {note}" for note in t.hidden_notes)))
    return Sheet(RAPPORTTABELLER, tuple(blocks), freeze_heading=False,
                 page=PageSetup(landscape=False, repeat_heading=False))


def _report_cell(c: Any) -> Value:
    """A report cell with the sheets' symbols: [dold] for the hidden figure, [x] where
    there is none ("83 % ([x])", or a rikssnitt the layout has no figure for)."""
    if c.blank:
        return Value(voc.SAKNAS)
    text = c.text
    if c.hidden is not None:
        text = text.replace(voc.DASH, voc.DOLD, 1)
    return Value(text.replace(voc.DASH, voc.SAKNAS), "text",
                 {"dold"} if c.hidden is not None else set())


def svarsfrekvens(a: Analysis) -> Sheet:
    """Local Tabell 1 / national Tabell 3: populations, answers, rates, gender counts."""
    reg = a.registration
    rates = a.response_rates
    prev = a.previous.period if a.previous is not None else None
    h = voc.RATE_HEADINGS
    cols = [Column("Respondentgrupp", width=30),
            Column(h["malpopulation"], "count", width=14, wrap=True),
            Column(h["undersokt_population"], "count", width=12, wrap=True),
            Column(h["andel_undersokt_av_mal"], "share", width=14, wrap=True),
            Column(h["svar"], "count", width=12, wrap=True)]
    if prev is not None:
        cols.append(Column(f"Antal svar {prev}", "count", width=10, wrap=True))
    cols += [Column(h["andel_svar_av_undersokt"], "share", width=12, wrap=True),
             Column(h["andel_svar_av_mal"], "share", width=14, wrap=True),
             Column("Varav kvinnor", "count", width=9, wrap=True),
             Column("Varav män", "count", width=9, wrap=True),
             Column("Varav ej uppgivet kön", "count", width=10, wrap=True)]
    footnote_total = a.totals_leave_out_groups
    rows = []
    records = rates.to_dict("records")
    for k, r in enumerate(records):
        total = r["respondentgrupp"] == TOTALT
        insats = voc.number(r["insats"]) if not total else None
        label = f"Varav {insats}" if insats else r["respondentgrupp"]
        style: RowStyle = "total" if total else "normal"
        starred = total and footnote_total
        cells = [Value(label, emphasis={"bold"} if not insats else set()),
                 voc.count(r["malpopulation"]), voc.count(r["undersokt_population"]),
                 _rate(r["andel_undersokt_av_mal"], starred), Value(int(r["svar"]), "count")]
        if prev is not None:
            cells.append(Value(voc.whole(r["svar_foregaende"]), "count",
                               number_format=voc.BRACKETED_COUNT))
        cells += [_rate(r["andel_svar_av_undersokt"], False),
                  _rate(r["andel_svar_av_mal"], starred),
                  *(Value(voc.whole(r[c]), "count")
                    for c in ("kvinnor", "man", "ej_angett_kon"))]
        rows.append(Row(tuple(cells), style))
        if not total and (k + 1 == len(records) or voc.number(records[k + 1]["insats"]) is None):
            rows += _employer_rows(a, r["respondentgrupp"], prev is not None)
    notes = [voc.NO_TARGET_NOTE]
    if not a.employer_answers.empty:
        notes.append(EMPLOYER_NOTE)
    if footnote_total:
        notes.append(voc.REMITTENTER_NOTE)
    notes.append("Antal svar: frågeformulär där minst en av frågorna är besvarad. Kön "
                 "redovisas för deltagarna.")
    if prev is not None:
        notes.append(f"Antal svar {prev}: föregående period (inom parentes).")
    # The three rates against the national ones ("76 % mot rikssnittet 73 %"), as notes
    # so they stay with the table on its page.
    notes += [c.text for c in compare_rates(rates, a.rikssnitt.period)]
    blocks = (Text(f"Svarsfrekvens – {_period_text(a)}", "title"),
              Table("svarsfrekvens", tuple(cols), tuple(rows),
                    title=("Målpopulation, undersökt population och inkomna svar för "
                           f"samtliga respondentgrupper {reg.period}"),
                    notes=tuple(notes)))
    return Sheet(SVARSFREKVENS, blocks, frozen_columns=1)


EMPLOYER_NOTE = ("Arbetsgivare: remittenternas svar per arbetsgivare, som i den lokala "
                 "rapportens Tabell 1. Populationerna registreras per insats, så "
                 "populationer och svarsfrekvenser per arbetsgivare redovisas inte.")


def _employer_rows(a: Analysis, group: str, with_previous: bool) -> list[Row]:
    """"Varav Kommun (arbetsgivare)" rows under a group: answers only (and last period's)."""
    rows = []
    part = a.employer_answers
    for r in part[part["respondentgrupp"] == group].to_dict("records"):
        # Populations and rates are not registered per employer: empty, not "–" (which
        # says the group has no målpopulation).
        cells = [Value(f"Varav {r['anstallning']} (arbetsgivare)"), Value(), Value(), Value(),
                 Value(int(r["svar"]), "count")]
        if with_previous:
            cells.append(Value(voc.whole(r["svar_foregaende"]), "count",
                               number_format=voc.BRACKETED_COUNT))
        cells += [Value() for _ in range(5)]
        rows.append(Row(tuple(cells)))
    return rows


def _rate(x: Any, starred: bool) -> Value:
    return voc.share(x, fmt=voc.SHARE_STAR if starred else None)


def valideringsfel(reg: Registration, *, same_workbook: bool = False) -> Sheet:
    """Every validation problem with its sheet and cell (a link when in the same book)."""
    name = Path(reg.source).name if reg.source else "registreringsfilen"
    known = {*reg.sheet_names.values(), ins.SHEET_FORBUND, ins.SHEET_POPULATIONER}
    cols = (Column("Nivå", width=9), Column("Blad", width=22), Column("Cell", width=8),
            Column("Värde", width=18), Column("Meddelande", width=90, wrap=True))
    shown = reg.problems[:MAX_SHOWN_PROBLEMS]
    rows = tuple(_problem_row(p, same_workbook, known) for p in shown)
    if not rows:
        rows = (Row((Value("Inga problem hittades."),)),)
    if same_workbook:
        how = "Klicka på cellen i kolumnen Cell för att gå till den."
    else:
        how = (f"Felen finns i registreringsfilen {name}. Öppna den och gå till blad och "
               "cell nedan (länkar till cellerna fungerar bara när resultatet ligger i "
               "samma arbetsbok som registreringen).")
    blocks: tuple[Text | Table, ...] = (
        Text(f"Valideringsfel – {name}", "title"),
        Text(f"{len(reg.errors)} fel och {len(reg.warnings)} varningar.", "heading"),
        Text(how),
        Table("valideringsfel", cols, rows, title="Problem i registreringen",
              notes=("Fel: cellen räknas inte, resten av raden räknas. Varning: kontrollera "
                     "uppgiften; beräkningen har gjorts enligt meddelandet.",)),
    )
    if len(reg.problems) > len(shown):
        blocks += (Text(f"Bladet visar de första {_count(len(shown))} av "
                        f"{_count(len(reg.problems))} problemen. Hela listan får du med "
                        f"kommandot indikator-xl validera --json {name}."),)
    return Sheet(VALIDERINGSFEL, blocks, frozen_columns=0)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _problem_row(p: Problem, same_workbook: bool, known: set[str]) -> Row:
    level = "Fel" if p.level == FEL else "Varning"
    link = None
    if same_workbook and p.sheet and (p.cell or p.sheet in known):
        link = Link(p.sheet, p.cell or "A1")
    value = "" if p.value is None else display_value(p.value)
    return Row((Value(level, emphasis={"fel" if p.level == FEL else "varning"}),
                Value(p.sheet or ""), Value(p.cell or "", link=link), Value(value),
                Value(p.message)))


def data(a: Analysis) -> Sheet:
    """The long table of docs/kontrakt.md, exactly as `export.long_table`: a visible
    Excel table whose heading row is row 1 (programs read it)."""
    with_prev = a.previous is not None
    names = export.long_columns(with_prev)
    rows = tuple(Row(tuple(_data_value(v) for v in row))
                 for row in export.long_table(a.table, a.forbund, a.period, with_prev))
    table = Table("data", tuple(Column(c, "number" if c not in _TEXT_COLUMNS else "text")
                                for c in names), rows)
    return Sheet(DATA, (table,), freeze_heading=True)


_TEXT_COLUMNS = {"forbund", "respondentgrupp", "dimension", "undergrupp", "test"}


def _data_value(v: Any) -> Value:
    if v is None:
        return Value(None, "number")
    if isinstance(v, str):
        return Value(v, "text")
    return Value(v, "number")
