"""The national indicator report draft, described from a `NationalResult` (pure).

Follows the national report's structure: summary and introduction (placeholders NNS
fills in), Tabell 1, the method, Svarande och bortfall (Tabell 3–6 and the routine
comparison), then per surveyed indicator its measures, Tabell N.1 with the gender stars,
the trend diagram(s) 2018→, a drafted comment and Tabell N.2 for three periods with the
year stars; the development since the first period (Tabell 22), Förbehåll, Bilaga 1 and
Bilaga 2. The tables come from the result workbook's sheet models (national_tables.py),
so both show the same figures.
"""

from __future__ import annotations

from typing import Any

from indikator_xl.domain import instrument as ins
from indikator_xl.figures.national import REPORT_GROUPS, NationalResult, thousands
from indikator_xl.figures.stats import KON, SAMTLIGA
from indikator_xl.report import national_comments as nc
from indikator_xl.report import national_tables as nt
from indikator_xl.report.comments import percent
from indikator_xl.report.local import key_definition
from indikator_xl.report.model import Block, Document, Heading, Paragraph
from indikator_xl.sheets import national_sheets as ns
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.sheets.national_indicator_sheets import (
    SURVEYED,
    by_measure,
    indicator_sheet_name,
)
from indikator_xl.sheets.vocabulary import percent_level

DRAFT_NOTE = ("Utkast skrivet av indikator-xl från den nationella sammanställningen. Text i "
              "grön kursiv stil är förslag som ska skrivas om eller tas bort; [Skriv här: …] "
              "fylls i av NNS.")
PLACEHOLDERS = {
    "Sammanfattning": "[Skriv här: resultatet i korthet – vad som består, vad som har "
                      "förändrats och vad som bör undersökas vidare.]",
    "Bakgrund och syfte": "[Skriv här: instrumentets bakgrund och rapportens syfte.]",
    "Insamling av data": "[Skriv här: insamlingsperioden, förbund som tillkommit eller "
                         "lämnat, kvalitetssäkringen och enkäternas utformning.]",
    "Förbehåll": "[Skriv här: förbehåll för läsaren – vilka förbund och insatser svaren "
                 "gäller och vad som påverkar jämförelser mellan åren.]",
}
GENDER_PARTS = {ins.KVINNOR: "kvinnorna", ins.MAN: "männen"}


def _sheet_parts(sheet: sm.Sheet) -> tuple[dict[str, sm.Table], list[sm.Chart]]:
    """The sheet's tables as the report prints them (one per question joined again,
    without the sheets' flag columns) and its charts."""
    tables = nt.report_tables([b for b in sheet.blocks if isinstance(b, sm.Table)])
    return tables, [b for b in sheet.blocks if isinstance(b, sm.Chart)]


def _flag(r: Any, column: str) -> bool:
    v = getattr(r, column, 0)
    return v is not None and v == v and int(v) == 1


def _share(r: Any, column: str) -> float | None:
    v = getattr(r, column, None)
    return None if v is None or v != v else float(v)


def _subgroup(r: Any) -> nc.Subgroup:
    hidden = _flag(r, "dold")
    return nc.Subgroup(None if hidden else _share(r, "nyckeltal"),
                       None if hidden else _share(r, "nyckeltal_foregaende"),
                       not hidden and _flag(r, "stjarna_ar"))


def measure_facts(q: ins.Question, rows: list[Any], numbered: bool) -> nc.NationalFacts | None:
    """The facts of one measure from its rows of the national measure table."""
    total = next((r for r in rows if r.dimension == SAMTLIGA), None)
    if total is None:
        return None
    parts = []
    genders = {r.undergrupp: r for r in rows if r.dimension == KON}
    for r in rows:
        if r.dimension == SAMTLIGA:
            continue
        name = (GENDER_PARTS.get(r.undergrupp, r.undergrupp) if r.dimension == KON
                else f"remittenterna från {r.undergrupp}")
        parts.append((name, _subgroup(r)))
    gender_cats = []
    women, men = genders.get(ins.KVINNOR), genders.get(ins.MAN)
    if women is not None and men is not None and not (_flag(women, "dold")
                                                      or _flag(men, "dold")):
        cats = (ins.NEGATIVT, ins.POSITIVT) if q.scale.is_yes_no else ins.CATEGORIES
        ordered = [q.key_category, *(c for c in cats if c != q.key_category)]
        for c in ordered:
            w, m = _share(women, c), _share(men, c)
            if _flag(women, f"stjarna_{c}") and w is not None and m is not None:
                gender_cats.append((c, w, m))
    key = ("ja-svar" if q.scale.is_yes_no else
           "positiva svar" if q.key_category == ins.POSITIVT else "klart positiva svar")
    return nc.NationalFacts(
        subject=(f"på fråga {q.number} " if numbered else "") + nc.SUBJECTS[q.group],
        key=key, key_category=q.key_category, total=_subgroup(total), parts=tuple(parts),
        gender_categories=tuple(gender_cats))


def indicator_comment(result: NationalResult, indicator: int, measures: dict) -> list[str]:
    """The drafted paragraphs on one indicator: one per measure with something to say,
    or one sentence that no test is significant."""
    questions = ins.measures_of(indicator)
    groups = [q.group for q in questions]
    paragraphs = []
    for k, q in enumerate(questions):
        rows = measures.get((q.group, q.number))
        if not rows:
            continue
        facts = measure_facts(q, rows, groups.count(q.group) > 1)
        if facts is None:
            continue
        said = nc.national_comment(facts, result.previous_period, variant=indicator + k)
        significant = (facts.total.year_significant or facts.gender_categories
                       or any(s.year_significant for _n, s in facts.parts))
        if said and (significant or k == 0):
            paragraphs.append(" ".join(said))
    gendered = any(ins.GROUPS_BY_NAME[g].is_participant for g in groups)
    if not any(_significant(measures.get((q.group, q.number), [])) for q in questions):
        paragraphs.append(nc.no_difference_sentence(result.previous_period, gendered,
                                                    indicator))
    return paragraphs


def _significant(rows: list[Any]) -> bool:
    stars = [f"stjarna_{c}" for c in ins.CATEGORIES]
    return any(_flag(r, "stjarna_ar") or any(_flag(r, s) for s in stars) for r in rows)


def _indicator(result: NationalResult, i: int, sheet: sm.Sheet, measures: dict) -> list[Block]:
    tables, charts = _sheet_parts(sheet)
    blocks: list[Block] = [Heading(f"Indikator {i}", 2), Heading(ins.INDICATORS[i], 3),
                           Paragraph("Mått:")]
    blocks += [Paragraph(f"{q.text} ({q.group}, fråga {q.number})", bullet=True)
               for q in ins.measures_of(i)]
    for text in dict.fromkeys(key_definition(q) for q in ins.measures_of(i)):
        blocks.append(Paragraph(text))
    blocks += [nt.table(t) for name, t in tables.items() if name.startswith("n1_")]
    for chart in charts:
        blocks.append(nt.trend_figure(chart, tables[chart.table]))
    blocks.append(Heading("Kommentar till resultatet", 3))
    for k, text in enumerate(indicator_comment(result, i, measures)):
        blocks.append(Paragraph(f"Kommentar (utkast): {text}" if k == 0 else text, draft=True))
    blocks.append(Paragraph("[Skriv här: NNS tolkning av resultatet.]", placeholder=True))
    blocks += [nt.table(t) for name, t in tables.items() if name.startswith("n2_")]
    if f"rutin_{i}" in tables:
        blocks += [Heading("Skillnader beroende på insamlingssätt i pågåendeenkäten", 3),
                   nt.table(tables[f"rutin_{i}"])]
    return blocks


def _summary(result: NationalResult) -> str:
    s = result.surveys.set_index("matperiod")
    period = result.merged_period
    total = result.total_answers
    known = s.at[period, "forbund_nationellt"] if period in s.index else None
    whole = f" av landets {int(known)}" if known is not None and known == known else ""
    groups = sum(1 for g in REPORT_GROUPS if result.bilaga1[g].sum() > 0)
    text = (f"I årets sammanställning har {len(result.included)}{whole} "
            f"samordningsförbund samlat in totalt {thousands(total)} enkäter, med svar på "
            f"{groups} av instrumentets {len(REPORT_GROUPS)} enkäter.")
    before = [p for p in s.index if p < period]
    if before:
        p = max(before)
        n = s.at[p, "enkater"]
        if n is not None and n == n:
            word = "fler" if total > int(n) else "färre"
            text += (f" {p} ingick {thousands(int(n))} enkäter, alltså "
                     f"{thousands(abs(total - int(n)))} {word} än i år." if total != int(n)
                     else f" {p} ingick lika många enkäter.")
    return text


def _all_groups_sentence(result: NationalResult) -> str:
    b = result.bilaga1
    every = int((b[list(REPORT_GROUPS)] > 0).all(axis=1).sum())
    return (f"Av de deltagande förbunden har {percent(every / len(b))} ({every} förbund) "
            "tillfrågat alla respondentgrupper.")


def _rate_sentence(result: NationalResult) -> str:
    t = result.response_rates.set_index("respondentgrupp").loc["Totalt"]
    return (f"Totalt har {percent(t['andel_svar_av_undersokt'])} av den undersökta "
            f"populationen svarat, och {percent(t['andel_undersokt_av_mal'])} av "
            "målpopulationen har tillfrågats (remittenter ej inräknade).")


def _gender_sentence(result: NationalResult) -> str:
    g = result.gender_counts.set_index(["respondentgrupp", "rad"])["andel"]
    parts = []
    for group, where in ((ins.DELTAGARE_PAGAENDE, "I pågåendeenkäten"),
                         (ins.DELTAGARE_AVSLUT, "I avslutsenkäten")):
        if (group, "kvinnor") in g.index and g[(group, "totalt")] == g[(group, "totalt")]:
            parts.append(f"{where} har {percent(g[(group, 'kvinnor')])} uppgett sig vara "
                         f"kvinnor och {percent(g[(group, 'man')])} män; "
                         f"{percent(g[(group, 'ej_angett')])} har inte angett kön.")
    return " ".join(parts)


def _routine_sentence(result: NationalResult) -> str:
    comp = result.routine_comparison
    if comp.empty:
        return "Ingen jämförelse mellan rutinerna kunde göras."
    stars = [f"stjarna_{c}" for c in ins.CATEGORIES]
    starred = sorted({int(r.question) for r in comp.itertuples()
                      if any(_flag(r, s) for s in stars)})
    if not starred:
        return ("Det finns inga statistiskt signifikanta skillnader mellan förbund som delar "
                "ut pågåendeenkäten under en begränsad period och förbund som gör det "
                "kontinuerligt under året.")
    which = ", ".join(map(str, starred[:-1])) + (" och " if len(starred) > 1 else "") + \
        str(starred[-1])
    return (f"Svaren skiljer sig statistiskt signifikant mellan de två rutinerna på "
            f"{'fråga' if len(starred) == 1 else 'frågorna'} {which}.")


def _method(result: NationalResult) -> list[Block]:
    defs = dict.fromkeys(key_definition(q) for i in SURVEYED for q in ins.measures_of(i))
    alpha = percent_level(result.thresholds.alpha)
    prev = result.previous_period
    return [
        Paragraph(f"I rapporten redovisas resultat kopplade till {len(SURVEYED)} av de "
                  f"{len(ins.INDICATORS)} indikatorerna; indikator "
                  f"{', '.join(map(str, sorted(ins.NOT_SURVEYED_INDICATORS)))} ingår inte i "
                  "enkätundersökningen."),
        *(Paragraph(d, bullet=True) for d in defs),
        Paragraph("Skillnader mellan kvinnor och män" + (f" och mellan {prev} och "
                                                         f"{result.period}" if prev else "")
                  + " har prövats med Pearsons chi²-test (Fishers exakta test där en "
                  f"förväntad frekvens är under 5) på {alpha}-nivån och markeras med en "
                  "asterisk (*) i tabellerna."),
    ]


def national_report(result: NationalResult) -> Document:
    """The whole national report draft of a merge that was made."""
    period = result.merged_period
    book = ns.national_workbook(result)
    respondents, _ = _sheet_parts(book.sheet(ns.SHEET_RESPONDENTS))
    history, _ = _sheet_parts(book.sheet(ns.SHEET_HISTORY))
    bilaga1, _ = _sheet_parts(book.sheet(ns.SHEET_BILAGA1))
    bilaga2, _ = _sheet_parts(book.sheet(ns.SHEET_BILAGA2))
    measures = by_measure(result.table)
    years = [int(p) for p in result.surveys["matperiod"]]
    span = f"{years[0]}–{years[-1]}"
    blocks: list[Block] = [
        Paragraph(f"Aggregerat resultat från indikatorenkäter insamlade av "
                  f"samordningsförbund, mätperiod {period}."),
        Paragraph(DRAFT_NOTE, draft=True),
        Heading("Sammanfattning", 1),
        Paragraph(_summary(result), draft=True),
        Paragraph(PLACEHOLDERS["Sammanfattning"], placeholder=True),
        Heading("Inledning", 1),
        Heading("Bakgrund och syfte", 2),
        Paragraph(PLACEHOLDERS["Bakgrund och syfte"], placeholder=True),
        Heading("Insamling av data", 2),
        Paragraph(PLACEHOLDERS["Insamling av data"], placeholder=True),
        Paragraph(_all_groups_sentence(result), draft=True),
        nt.table(respondents["tabell1"]),
        Heading("Metod för sammanställning av indikatorerna", 2),
        *_method(result),
        Heading("Resultat", 1),
        Heading("Svarande och bortfall", 2),
        nt.table(nt.starred_totals(respondents["tabell3"])),
        Paragraph(_rate_sentence(result), draft=True),
        nt.table(respondents["tabell4"]), nt.table(respondents["tabell5"]),
        Paragraph(_gender_sentence(result), draft=True),
        Heading("Olika insamlingssätt för pågåendeenkäten", 3),
        nt.table(respondents["tabell6"]), nt.table(respondents["rutin"]),
        Paragraph(_routine_sentence(result), draft=True),
    ]
    for i in sorted(ins.INDICATORS):
        if i not in SURVEYED:
            blocks += [Heading(f"Indikator {i}", 2), Heading(ins.INDICATORS[i], 3),
                       Paragraph(f"Indikator {i} ingår inte i enkätundersökningen.")]
            continue
        blocks += _indicator(result, i, book.sheet(indicator_sheet_name(i)), measures)
    blocks += [
        Heading(f"Kommentar kring utvecklingen på nationell nivå {span}", 1),
        Paragraph(f"Totalt har {thousands(result.surveys_total)} enkäter samlats in under "
                  f"perioden {span}.", draft=True),
        nt.table(history["tabell22"]),
        Heading("Förbehåll", 1),
        Paragraph(PLACEHOLDERS["Förbehåll"], placeholder=True),
        Heading("Bilaga 1: Förteckning deltagande samordningsförbund", 1),
        Paragraph(f"Totalt {len(result.included)} samordningsförbund har deltagit i "
                  f"insamlingen av indikatorenkäter {period}. I tabellen redovisas antal "
                  "insamlade enkäter per respondentgrupp."),
        nt.table(bilaga1["bilaga1"]),
        Heading("Bilaga 2: Svarsfrekvens per respondentgrupp", 1),
        *(nt.table(t) for t in bilaga2.values()),
    ]
    blocks += [Paragraph(f"Obs: {n}") for n in result.notes]
    return Document(title=f"Nationell indikatorrapport {period}",
                    subject=f"NNS indikatorer – nationellt resultat {period}",
                    author="Nationella nätverket för samordningsförbund (NNS)",
                    blocks=tuple(blocks))
