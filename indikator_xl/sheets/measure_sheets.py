"""The Resultat and Rapporttabeller sheets of the result workbook (pure: Analysis →
sheetmodel): one Excel table per measure with the shares, key figure, rikssnitt, the
star, osäker and rikssnitt flags in words and why a cell is hidden; and the local
report's table per measure ("83 % (59 %)") with the sheets' symbols.
"""

from __future__ import annotations

from typing import Any

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument as ins
from indikator_xl.figures.analysis import Analysis
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
from indikator_xl.sheets import vocabulary as voc
from indikator_xl.sheets.sheetmodel import (
    Column,
    PageSetup,
    Row,
    Sheet,
    Table,
    Text,
    Value,
)

RESULTAT = "Resultat"
RAPPORTTABELLER = "Rapporttabeller"


def period_text(a: Analysis) -> str:
    return f"{a.registration.forbund} {a.registration.period}"


def pp(x: Any, decimals: int) -> float | None:
    """Percentage points rounded as shown (so no "-0" appears)."""
    v = voc.number(x)
    return None if v is None else round(float(v), decimals) + 0.0


_DIMENSION_LABEL = {INSATS: "Insats", INSATS_KON: "Insats", ANSTALLNING: "Anställning",
                    SAMVERKANSGRUPP: "Samverkansgrupp"}


def _subgroup_label(dimension: str, undergrupp: str) -> str:
    if dimension == SAMTLIGA:
        return "Samtliga"
    if dimension == KON:
        return ins.GENDER_LABELS.get(undergrupp, undergrupp)
    return f"{_DIMENSION_LABEL.get(dimension, dimension)}: {undergrupp}"


def _period_text(a: Analysis) -> str:
    return f"{a.registration.forbund} {a.registration.period}"


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
    blocks = (Text(f"Resultat per indikator och mått – {period_text(a)}", "title"),
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
    diff = None if hidden else pp(r.get(colname.DIFFERENCE_PP), 0)
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
    blocks: list[Text | Table] = [Text(f"Rapporttabeller – {period_text(a)}", "title")]
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
                *(Column(h, width=14, wrap=True) for h in _sheet_headings(t.headings)))
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


def _sheet_headings(headings: tuple[str, ...]) -> list[str]:
    """The report's headings with the rikssnitt's own "Varav kvinnor"/"Varav män" named as
    such, so each heading of the Excel table says what its column holds on its own."""
    out: list[str] = []
    for h in headings:
        national = "Rikssnittet" in out
        out.append(f"Rikssnittet, {h[0].lower()}{h[1:]}" if national else h)
    return out
