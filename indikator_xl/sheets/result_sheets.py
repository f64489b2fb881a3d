"""The result workbook of "Beräkna" as sheet models (pure: Analysis → sheetmodel).

Sheets, in order: Framsida, Innehåll and Noter (`publication`), Sammanfattning (the
local report's Tabell 45), Resultat and Rapporttabeller (`measure_sheets`), Svarsfrekvens
(local Tabell 1 / national Tabell 3), Diagram, Valideringsfel and Data (SPEC §7 long
table, a visible Excel table from A1). Every word a user sees is Swedish and taken from
the reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.problems import FEL, Problem, display_value
from indikator_xl.figures import comparison as cmp
from indikator_xl.figures.analysis import TOTALT, Analysis
from indikator_xl.figures.rate_comparison import compare_rates
from indikator_xl.output import export
from indikator_xl.sheets import publication
from indikator_xl.sheets import vocabulary as voc
from indikator_xl.sheets.charts import DIAGRAM, diagram
from indikator_xl.sheets.measure_sheets import (
    RAPPORTTABELLER,
    RESULTAT,
    period_text,
    pp,
    rapporttabeller,
    resultat,
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
from indikator_xl.validation.registration import Registration

SAMMANFATTNING = "Sammanfattning"
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
            cells.append(Value(pp(rec[f"d_{sub}"], 1), "pp", number_format=voc.PP_ONE))
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
    blocks: list = [Text(f"Sammanfattning – {period_text(a)}", "title"),
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
    blocks = (Text(f"Svarsfrekvens – {period_text(a)}", "title"),
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
    # The Totalt row's ratios leave out remittenter: said in a note, not with a star
    # (the star means a significant difference).
    return voc.share(x)


def valideringsfel(reg: Registration, *, same_workbook: bool = False) -> Sheet:
    """Every validation problem with its sheet and cell (a link when in the same book)."""
    name = Path(reg.source).name if reg.source else "registreringsfilen"
    known = {*reg.sheet_names.values(), ins.SHEET_FORBUND, ins.SHEET_POPULATIONER}
    cols = (Column("Nivå", width=9), Column("Blad", width=22), Column("Cell", width=8),
            Column("Värde", width=18), Column("Meddelande", width=90, wrap=True))
    shown = reg.problems[:MAX_SHOWN_PROBLEMS]
    rows = tuple(_problem_row(p, same_workbook, known) for p in shown)
    if not rows:
        rows = (Row((Value("Inga"), Value(""), Value(""), Value(""),
                     Value("Inga problem hittades."))),)
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
