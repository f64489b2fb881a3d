"""The förbund's indicator report draft, described from its `Analysis` (pure).

Follows the local report's structure: title and period, the study (placeholders the
chief fills in), Svarsfrekvens (Tabell 1), then per indicator its measures, scale, key
figure, one table per measure ("83 % (59 %)": this period, last period in brackets;
rikssnittet beside), a chart and a drafted comment, and at the end the summary table
with the verdicts against rikssnittet and the arrows against last period (the
Svarsfrekvens and summary sections live in local_sections.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from indikator_xl.domain import instrument as ins
from indikator_xl.figures import comparison as cmp
from indikator_xl.figures.analysis import Analysis
from indikator_xl.figures.report_tables import ReportCell, ReportTable, percent_text, report_tables
from indikator_xl.figures.stats import INSATS_KON, KON, SAMTLIGA, insats_gender_label
from indikator_xl.report import comments as cm
from indikator_xl.report.local_sections import (
    count_sentences,
    response_sentences,
    response_table,
    summary_table,
)
from indikator_xl.report.local_sections import value as _value
from indikator_xl.report.model import Block, Document, Figure, Heading, Paragraph, Series, Table
from indikator_xl.sheets.vocabulary import DASH, STAR, YEAR_MARK, percent_level

# Who answered, as the drafted sentences say it ("Resultatet bland deltagare pågående").
SUBJECTS: dict[str, str] = {
    ins.DELTAGARE_PAGAENDE: "bland deltagare pågående",
    ins.DELTAGARE_AVSLUT: "bland deltagare vid avslut",
    ins.PERSONAL: "bland personalen",
    ins.REMITTENTER: "bland remittenterna",
    ins.CHEFSGRUPP: "i parternas chefsgrupp",
    ins.STYRELSE: "i styrelsen",
}
PLACEHOLDERS: tuple[tuple[str, str], ...] = (
    ("Studiedesign", "[Skriv här: studieupplägget – totalstudie eller urval, vilka "
                     "respondentgrupper som tillfrågades och när.]"),
    ("Insamling", "[Skriv här: hur enkäterna samlades in och registrerades, t.ex. i "
                  "förslutna kuvert per insats eller via e-post.]"),
    ("Bakgrund", "[Skriv här: förbundets tidigare indikatormätningar och vad som är nytt i "
                 "år.]"),
)
BREAKDOWN_ORDER = ("insats", "anstallning", "samverkansgrupp")


def key_label(q: ins.Question) -> str:
    """The key figure's name in the report's words: "Klart positiva svar" etc."""
    if q.scale.is_yes_no:
        return "Svar ja"
    return "Positiva svar" if q.key_category == ins.POSITIVT else "Klart positiva svar"


def key_definition(q: ins.Question) -> str:
    """"Nyckeltal: Klart positiva svar, d.v.s. andel som svarar på de två högsta …"."""
    if q.scale.is_yes_no:
        return "Nyckeltal: Svar ja, d.v.s. andel som svarar Ja"
    labels = [o.label for o in q.scale.options if q.key_category in o.categories]
    words = {2: "två", 3: "tre"}.get(len(labels), str(len(labels)))
    which = "positiva" if q.key_category == ins.POSITIVT else "högsta"
    return (f"Nyckeltal: {key_label(q)}, d.v.s. andel som svarar på de {words} {which} "
            f"svarsalternativen ({', '.join(labels)})")


def _scale_text(questions: tuple[ins.Question, ...]) -> str:
    kinds = []
    for q in questions:
        kind = "Ja/nej-fråga" if q.scale.is_yes_no else "Sexgradig skala"
        if kind not in kinds:
            kinds.append(kind)
    return ", ".join(kinds)


Row = dict[str, Any]


class _Rows:
    """The analysis table's rows (as dicts) of each measure, in table order."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.by_measure: dict[tuple[str, int], list[Row]] = {}
        for rec in table.to_dict("records"):
            self.by_measure.setdefault((rec["group"], int(rec["question"])), []).append(rec)

    def get(self, q: ins.Question) -> list[Row] | None:
        return self.by_measure.get((q.group, q.number))


def _row(rows: list[Row], dimension: str, undergrupp: str) -> Row | None:
    return next((r for r in rows if r["dimension"] == dimension
                 and r["undergrupp"] == undergrupp), None)


def _part_rows(rows: list[Row], dimension: str) -> list[Row]:
    return [r for r in rows if r["dimension"] == dimension]


def _flag(row: Row | None, column: str) -> bool:
    return row is not None and _value(row.get(column)) == 1


def _marks(row: Row | None, q: ins.Question, gender: bool) -> str:
    """† where the year test is significant, * (first) where women and men differ
    significantly; nothing on a hidden or missing figure."""
    if row is None or _flag(row, "dold") or _value(row.get("nyckeltal")) is None:
        return ""
    star = STAR if gender and _flag(row, f"stjarna_{q.key_category}") else ""
    return star + (YEAR_MARK if _flag(row, "stjarna_ar") else "")


def cell_text(cell: ReportCell, marks: str = "") -> str:
    """One measure cell as the report writes it: "83 % (59 %)" (this period, last period
    in brackets), the marks after this period's figure; "–" where hidden or missing."""
    if cell.blank:
        return ""
    now = DASH if cell.hidden is not None else percent_text(cell.share)
    if now != DASH:
        now += marks
    return f"{now} ({percent_text(cell.previous)})" if cell.with_previous else now


def _own_rows(rows: list[Row], label: str, gendered: bool) -> list[Row | None]:
    """The measure-table rows behind a report row's own cells (total, kvinnor, män)."""
    if not label.startswith("Varav "):
        found = [_row(rows, SAMTLIGA, SAMTLIGA)]
        return found + ([_row(rows, KON, ins.KVINNOR), _row(rows, KON, ins.MAN)]
                        if gendered else [])
    name = label[len("Varav "):]
    part = next((r for r in rows if r["undergrupp"] == name
                 and r["dimension"] in BREAKDOWN_ORDER), None)
    return [part] + ([_row(rows, INSATS_KON, insats_gender_label(name, g))
                      for g in (ins.KVINNOR, ins.MAN)] if gendered else [])


def measure_table(a: Analysis, t: ReportTable, rows: list[Row], number: int) -> Table:
    """Tabell N for one measure as `report_tables` lays it out: the group, then each
    insats (employer, samverkansgrupp) with kvinnor and män, and rikssnittet with its
    previous period in brackets."""
    q = t.question
    own = 3 if t.gendered else 1
    body: list[tuple[str, ...]] = []
    for r in t.rows:
        behind = _own_rows(rows, r.label, t.gendered)
        group_row = r.kind == "group"
        cells = [cell_text(c, _marks(behind[k], q, group_row and k > 0) if k < own else "")
                 for k, c in enumerate(r.cells)]
        body.append((r.label, *cells))
    return Table(caption=f"Tabell {number}: {t.title}", header=("", *t.headings),
                 body=tuple(body), indented=frozenset(range(1, len(body))),
                 note=_table_note(a, t.gendered, t.hidden_notes))


def _table_note(a: Analysis, gendered: bool, hidden: tuple[str, ...] = ()) -> str:
    t = a.thresholds
    parts = []
    if a.has_previous and a.previous is not None:
        parts.append(f"Inom parentes: {a.previous.period}.")
        parts.append(f"{YEAR_MARK} signifikant skillnad mot {a.previous.period} "
                     f"({percent_level(t.alpha)}-nivån).")
    if gendered:
        parts.append(f"{STAR} signifikant skillnad mellan kvinnor och män "
                     f"({percent_level(t.alpha)}-nivån).")
    parts.append(f"{DASH} färre än {t.hide_below} svar eller dolt för att skydda de "
                 "svarandes anonymitet.")
    parts += list(hidden)
    parts.append(f"Rikssnittet: {a.rikssnitt.source}"
                 + (f", {a.rikssnitt.previous_period} inom parentes."
                    if a.rikssnitt.previous_period is not None else "."))
    return " ".join(parts)


def measure_facts(a: Analysis, q: ins.Question, rows: list[Row],
                  numbered: bool = False) -> cm.MeasureFacts:
    """What the drafted comment may say about one measure (`numbered`: name the question,
    where the group answers several of the indicator's questions)."""
    total = _row(rows, SAMTLIGA, SAMTLIGA)
    women, men = _row(rows, KON, ins.KVINNOR), _row(rows, KON, ins.MAN)
    gendered = ins.GROUPS_BY_NAME[q.group].is_participant
    star = f"stjarna_{q.key_category}"
    parts = tuple(
        (str(r["undergrupp"]), None if _value(r["dold"]) == 1 else _value(r["nyckeltal"]),
         int(r["n"]))
        for r in _part_rows(rows, "insats"))
    hidden = gendered and (women is not None or men is not None) and (
        _flag(women, "dold") or _flag(men, "dold"))
    return cm.MeasureFacts(
        subject=(f"på fråga {q.number} " if numbered else "") + SUBJECTS[q.group],
        key="ja-svar" if q.scale.is_yes_no else key_label(q).lower(),
        n=int(total["n"]) if total is not None else 0,
        value=_value(total["nyckeltal"]) if total is not None else None,
        previous=_value(total.get("nyckeltal_foregaende")) if total is not None else None,
        year_significant=_flag(total, "stjarna_ar"),
        rikssnitt=_value(total.get("rikssnitt_nyckeltal")) if total is not None else None,
        women=None if hidden or women is None else _value(women["nyckeltal"]),
        men=None if hidden or men is None else _value(men["nyckeltal"]),
        gender_significant=_flag(women, star) and _flag(men, star),
        gender_hidden=bool(hidden), parts=parts)


def indicator_figure(a: Analysis, i: int, measured: list[tuple[ins.Question, list[Row]]],
                     number: int) -> Figure:
    """Diagram N: the key figure per measure, this period against last period and
    rikssnittet, and women and men where the measure is asked of participants."""
    period = a.registration.period
    cats: list[str] = []
    now: list[float | None] = []
    before: list[float | None] = []
    riks: list[float | None] = []
    women: list[float | None] = []
    men: list[float | None] = []
    for q, rows in measured:
        total = _row(rows, SAMTLIGA, SAMTLIGA)
        cats.append(f"{q.group}, fråga {q.number}")
        now.append(_value(total["nyckeltal"]) if total is not None else None)
        before.append(_value(total.get("nyckeltal_foregaende")) if total is not None
                      else None)
        riks.append(_value(total.get("rikssnitt_nyckeltal")) if total is not None else None)
        for target, sub in ((women, ins.KVINNOR), (men, ins.MAN)):
            r = _row(rows, KON, sub)
            target.append(None if r is None or _value(r["dold"]) == 1
                          else _value(r["nyckeltal"]))
    series = [Series(str(period), tuple(now))]
    if a.has_previous and a.previous is not None:
        series.append(Series(str(a.previous.period), tuple(before)))
    series.append(Series(f"Rikssnitt {a.rikssnitt.period}", tuple(riks)))
    if any(v is not None for v in women + men):
        series += [Series("Kvinnor", tuple(women)), Series("Män", tuple(men))]
    described = "; ".join(
        f"{c}: " + ", ".join(f"{s.label} {cm.percent(s.values[k])}" for s in series)
        for k, c in enumerate(cats))
    return Figure(
        caption=f"Diagram {number}: Indikator {i}, {ins.INDICATOR_SHORT[i].lower()} – "
                "nyckeltal per mått",
        alt_text=f"Stapeldiagram över nyckeltalet för indikator {i} "
                 f"({ins.INDICATOR_SHORT[i]}) per mått. {described}.",
        categories=tuple(cats), series=tuple(series))


def _counter(start: int = 1) -> Iterator[int]:
    n = start
    while True:
        yield n
        n += 1


def local_report(a: Analysis) -> Document:
    """The whole local report draft of one förbund's analysis."""
    reg = a.registration
    tables, diagrams = _counter(), _counter()
    prev_period = a.previous.period if a.previous is not None else None
    title = f"Indikatorrapport {reg.period}: {reg.forbund}"
    blocks: list[Block] = [
        Paragraph(f"Redovisning av enkätsvar, mätperiod {reg.period}"
                  + (f" ({reg.period_from:%Y-%m-%d} – {reg.period_to:%Y-%m-%d})"
                     if reg.period_from and reg.period_to else "") + "."),
        Paragraph("Utkast skrivet av indikator-xl från förbundets resultat. Text i grön "
                  "kursiv stil är förslag som ska skrivas om eller tas bort; "
                  "[Skriv här: …] fylls i av förbundet.", draft=True),
        Heading("Om undersökningen", 1),
    ]
    for heading, text in PLACEHOLDERS:
        blocks += [Heading(heading, 2), Paragraph(text, placeholder=True)]
    blocks += [Heading("Svarsfrekvens", 1), response_table(a, next(tables))]
    blocks += [Paragraph(" ".join(response_sentences(a)), draft=True)]
    rows = _Rows(a.table)
    layouts = {(t.question.group, t.question.number): t for t in report_tables(a)}
    verdicts = a.verdicts.set_index("indikator")
    for i in sorted(ins.INDICATORS):
        blocks.append(Heading(f"Indikator {i}: {ins.INDICATORS[i].rstrip('.')}", 1))
        questions = ins.measures_of(i)
        if not cmp.is_surveyed(i):
            blocks.append(Paragraph(f"Indikator {i} ingår inte i enkäten: måttet är en "
                                    "registerstudie på nationell nivå."))
            continue
        blocks.append(Paragraph("Mått:"))
        blocks += [Paragraph(f"{q.text} ({q.group})") for q in questions]
        blocks.append(Paragraph(_scale_text(questions)))
        for text in dict.fromkeys(key_definition(q) for q in questions):
            blocks.append(Paragraph(text))
        measured = []
        for q in questions:
            r = rows.get(q)
            if r is None or _row(r, SAMTLIGA, SAMTLIGA) is None:
                blocks.append(Paragraph(f"Inga svar på frågan ({q.group})."))
                continue
            measured.append((q, r))
            blocks.append(measure_table(a, layouts[(q.group, q.number)], r, next(tables)))
        if measured:
            blocks.append(indicator_figure(a, i, measured, next(diagrams)))
        verdict_row = verdicts.loc[i]
        opening = cm.indicator_sentence(verdict_row["samtliga"], verdict_row["pil_samtliga"],
                                        f"rikssnittet {a.rikssnitt.period}", prev_period, i)
        paragraphs = [opening] if opening else []
        groups = [q.group for q, _ in measured]
        for k, (q, r) in enumerate(measured):
            facts = measure_facts(a, q, r, numbered=groups.count(q.group) > 1)
            sentences = cm.measure_comment(facts, prev_period, a.thresholds, variant=i + k)
            if sentences:
                paragraphs.append(" ".join(sentences))
        for k, text in enumerate(paragraphs):
            blocks.append(Paragraph(f"Kommentar (utkast): {text}" if k == 0 else text,
                                    draft=True))
    blocks += [Heading("Sammanfattning", 1), summary_table(a, next(tables))]
    blocks += [Paragraph(s) for s in count_sentences(a)]
    for note in a.notes:
        blocks.append(Paragraph(f"Obs: {note}"))
    return Document(title=title, subject=f"Indikatorrapport {reg.period}",
                    author=reg.forbund or "", blocks=tuple(blocks))
