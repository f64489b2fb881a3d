"""The local report's Svarsfrekvens and Sammanfattning sections (pure): Tabell 1 with
last period in brackets and its sentences, and the summary table of verdicts against
rikssnittet with its counting sentences.
"""

from __future__ import annotations

import pandas as pd

from indikator_xl.domain import instrument as ins
from indikator_xl.figures import comparison as cmp
from indikator_xl.figures.analysis import Analysis
from indikator_xl.figures.rate_comparison import compare_rates
from indikator_xl.report import comments as cm
from indikator_xl.report.model import Table
from indikator_xl.sheets.vocabulary import DASH


def value(x: object) -> float | None:
    """A plain float, or None where the figure is missing."""
    if x is None or x is pd.NA:
        return None
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if v != v else v



def response_table(a: Analysis, number: int) -> Table:
    """Tabell 1: populations and answers per group and insats, last period in brackets."""
    rates = a.response_rates
    prev_rates = None
    if a.previous is not None:
        from indikator_xl.figures.analysis import response_rates

        prev_rates = response_rates(a.previous)
    cols = ("malpopulation", "undersokt_population", "svar", "kvinnor", "man",
            "ej_angett_kon")

    def count(x: object) -> str:
        v = value(x)
        return DASH if v is None else str(int(v))

    body: list[tuple[str, ...]] = []
    indented: set[int] = set()
    for _, r in rates.iterrows():
        insats = r["insats"]
        is_part = isinstance(insats, str)
        label = f"Varav {insats}" if is_part else str(r["respondentgrupp"])
        participant = (r["respondentgrupp"] == "Totalt"
                       or ins.GROUPS_BY_NAME[r["respondentgrupp"]].is_participant)
        cells = [label]
        before = None
        if prev_rates is not None:
            same = prev_rates[(prev_rates["respondentgrupp"] == r["respondentgrupp"])
                              & ((prev_rates["insats"] == insats) if is_part
                                 else prev_rates["insats"].isna())]
            before = None if same.empty else same.iloc[0]
        for c in cols:
            if c in ("kvinnor", "man", "ej_angett_kon") and not participant:
                cells.append("")
                continue
            text = count(r[c])
            if prev_rates is not None:
                text += f" ({DASH if before is None else count(before[c])})"
            cells.append(text)
        if is_part:
            indented.add(len(body))
        body.append(tuple(cells))
    when = f" ({a.previous.period} inom parentes)" if a.previous is not None else ""
    return Table(
        caption=f"Tabell {number}: Målpopulation, undersökt population och inkomna svar för "
                f"samtliga respondentgrupper lokalt{when}",
        header=("", "Målpopulation", "Undersökt population", "Inkomna svar",
                "Varav kvinnor", "Varav män", "Varav ej uppgivet kön"),
        body=tuple(body), indented=frozenset(indented),
        note=f"{DASH} uppgift saknas (remittenter har ingen målpopulation).")


def response_sentences(a: Analysis) -> list[str]:
    rates = a.response_rates
    total = rates[rates["respondentgrupp"] == "Totalt"].iloc[0]
    n = int(total["svar"])
    period = a.registration.period
    out = [f"Totalt sett har förbundet och dess finansierade insatser fått in {n} svar "
           f"under {period}"]
    if a.previous is not None:
        before = a.previous.n_respondents
        if before == n:
            out[0] += f", lika många som {a.previous.period}"
        else:
            word = "en ökning" if n > before else "en minskning"
            out[0] += f", {word} från {a.previous.period} med {abs(n - before)} svar"
    out[0] += "."
    shares = [("andel_svar_av_undersokt", "Andel svar av undersökt population"),
              ("andel_undersokt_av_mal", "Andel undersökt population av målpopulationen"),
              ("andel_svar_av_mal", "Andel svar av målpopulationen")]
    said = [f"{label.lower()} {cm.percent(value(total[c]))}" for c, label in shares
            if value(total[c]) is not None]
    compared = compare_rates(rates, a.rikssnitt.period)
    if compared:
        said = [f"{c.label.lower()} {cm.percent(c.own)} mot rikssnittet "
                f"{cm.percent(c.national)}" for c in compared]
        out.append(f"Jämfört med riket {compared[0].national_period} är "
                   + ", ".join(said[:-1]) + (" och " if len(said) > 1 else "") + said[-1]
                   + ".")
    elif said:
        out.append("Svarsfrekvensen är totalt " + ", ".join(said[:-1])
                   + (" och " if len(said) > 1 else "") + said[-1] + ".")
    return out


def summary_table(a: Analysis, number: int) -> Table:
    """The summary (local Tabell 45): verdict against rikssnittet per indicator for
    all, women and men, with the arrow against last period."""
    prev = a.previous.period if a.previous is not None else None
    ref = f"rikssnittet {a.rikssnitt.period}" + (f"/eget resultat {prev} (pil)" if prev
                                                else "")
    body = []
    for _, r in a.verdicts.iterrows():
        cells = [str(int(r["indikator"])), str(r["titel"]).rstrip(".")]
        for sub in ("samtliga", ins.KVINNOR, ins.MAN):
            v = r[sub] if isinstance(r[sub], str) else ""
            arrow = r[f"pil_{sub}"] if isinstance(r[f"pil_{sub}"], str) else ""
            cells.append(f"{v} {arrow}".strip())
        body.append(tuple(cells))
    forbund = a.registration.forbund
    return Table(
        caption=f"Tabell {number}: Indikatorredovisning {forbund} jämfört med {ref}, "
                "totalt och könsuppdelat",
        header=("Nr", "Indikator", "Resultat totalt", "Resultat kvinnor", "Resultat män"),
        body=tuple(body), widths_cm=(1.0, 7.0, 3.0, 3.0, 3.0),
        note=f"Högre/Lägre: i genomsnitt minst {a.thresholds.verdict_points:g} "
             "procentenheter över/under rikssnittet över indikatorns mått. "
             + ("Pilen: jämfört med förbundets eget resultat "
                f"{prev} (↑ högre, → varken högre eller lägre, ↓ lägre)." if prev else ""))


def count_sentences(a: Analysis) -> list[str]:
    """The counting sentences under the summary table, from the computed verdicts."""
    v = a.verdicts
    out = [f"Totalt: {a.count_line}."]
    for sub, who in ((ins.KVINNOR, "Kvinnor"), (ins.MAN, "Män")):
        given = [x for x in v[sub] if x in cmp.VERDICTS]
        if given:
            out.append(f"{who}: {cmp.count_line(given)}.")
    if a.previous is not None:
        arrows = {cmp.ARROW_UP: cmp.HIGHER, cmp.ARROW_FLAT: cmp.NEITHER,
                  cmp.ARROW_DOWN: cmp.LOWER}
        given = [arrows[x] for x in v["pil_samtliga"] if x in arrows]
        if given:
            out.append(f"Jämfört med {a.previous.period}: "
                       f"{cmp.count_line(given, str(a.previous.period))}.")
    return out
