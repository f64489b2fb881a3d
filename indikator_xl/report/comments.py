"""Drafted comments: factual Swedish sentences from the figures and their significance.

Every sentence states only what a figure or a test shows: the direction against the
previous period (and whether the year test found it significant), the position against
rikssnittet by the verdict rule (|difference| below the threshold is "i nivå med"), a
significant difference between women and men, an insats that differs clearly from its
group, hidden gender cells and small bases. The wording varies with a `variant` number
so fifteen indicators do not read as one template line. Pure; no document library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from indikator_xl.figures import comparison as cmp
from indikator_xl.figures.report_tables import whole_percent
from indikator_xl.figures.suppression import DEFAULT_THRESHOLDS, Thresholds

# A breakdown cell "stands out" when it is this many percentage points from its group.
STAND_OUT_POINTS = 10.0


@dataclass(frozen=True)
class MeasureFacts:
    """What the draft may say about one measure (key figures as fractions 0–1).

    subject: who answered, as in "bland deltagare pågående"; key: the key figure's name
    in lower case ("klart positiva svar"); parts: (name, key figure, n) per insats or
    other breakdown cell (None where hidden)."""

    subject: str
    key: str
    n: int
    value: float | None
    previous: float | None = None
    year_significant: bool = False
    rikssnitt: float | None = None
    women: float | None = None
    men: float | None = None
    gender_significant: bool = False
    gender_hidden: bool = False
    parts: tuple[tuple[str, float | None, int], ...] = ()


def percent(x: float | None) -> str:
    """A share as the reports write it: 0.834 → "83 %", half rounds up; None → "–"."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{whole_percent(x)} %"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def pick(options: tuple[str, ...], variant: int) -> str:
    return options[variant % len(options)]


def year_sentence(m: MeasureFacts, previous_period: int | str, variant: int = 0) -> str | None:
    """The change against the previous period, with its significance; None without one."""
    if m.value is None or m.previous is None:
        return None
    now, before = whole_percent(m.value), whole_percent(m.previous)
    who = f"{m.key} {m.subject}"
    if now == before:
        return pick((f"Andelen {who} är densamma som {previous_period} ({now} %).",
                      f"Andelen {who} är oförändrad jämfört med {previous_period} "
                      f"({now} %)."), variant)
    verb, noun = ("ökat", "ökningen") if now > before else ("minskat", "minskningen")
    if m.year_significant:
        return pick((
            f"Andelen {who} har {verb} från {before} % {previous_period} till {now} %; "
            f"{noun} är statistiskt signifikant.",
            f"Jämfört med {previous_period} har andelen {who} {verb} från {before} % till "
            f"{now} %, en statistiskt signifikant förändring.",
            f"Andelen {who} har {verb} signifikant sedan {previous_period}, från {before} % "
            f"till {now} %."), variant)
    return pick((
        f"Andelen {who} har {verb} från {before} % {previous_period} till {now} %, men "
        "skillnaden är inte statistiskt signifikant.",
        f"Jämfört med {previous_period} har andelen {who} {verb} från {before} % till "
        f"{now} %; förändringen är inte statistiskt signifikant.",
        f"Andelen {who} har {verb} sedan {previous_period}, från {before} % till {now} %, "
        "utan att skillnaden är statistiskt signifikant."), variant)


def rikssnitt_sentence(m: MeasureFacts, thresholds: Thresholds = DEFAULT_THRESHOLDS,
                       variant: int = 0) -> str | None:
    """Above, below or level with rikssnittet by the verdict rule; None without one."""
    if m.value is None or m.rikssnitt is None:
        return None
    d = (m.value - m.rikssnitt) * 100
    v = cmp.verdict(d, thresholds.verdict_points)
    own, ref = percent(m.value), percent(m.rikssnitt)
    if v == cmp.HIGHER:
        return pick((f"Resultatet {m.subject} ({own}) ligger över rikssnittet ({ref}).",
                      f"{cap(m.subject)} ligger andelen ({own}) högre än "
                      f"rikssnittet ({ref}).",
                      f"Med {own} ligger resultatet {m.subject} över rikssnittets {ref}."),
                     variant)
    if v == cmp.LOWER:
        return pick((f"Resultatet {m.subject} ({own}) ligger under rikssnittet ({ref}).",
                      f"{cap(m.subject)} ligger andelen ({own}) lägre än "
                      f"rikssnittet ({ref}).",
                      f"Med {own} ligger resultatet {m.subject} under rikssnittets {ref}."),
                     variant)
    return pick((f"Resultatet {m.subject} ({own}) ligger i nivå med rikssnittet ({ref}).",
                  f"{cap(m.subject)} ligger andelen ({own}) i nivå med rikssnittet "
                  f"({ref}).",
                  f"Med {own} är resultatet {m.subject} varken högre eller lägre än "
                  f"rikssnittets {ref}."), variant)


def gender_sentence(m: MeasureFacts, variant: int = 0) -> str | None:
    """Hidden gender cells, or a significant difference between women and men."""
    if m.gender_hidden:
        return pick((f"Resultatet {m.subject} redovisas inte per kön, eftersom en av "
                      "grupperna har för få svar.",
                      f"Könsuppdelningen {m.subject} visas inte: en av grupperna har för få "
                      "svar."), variant)
    if not m.gender_significant or m.women is None or m.men is None:
        return None
    higher, lower = (("kvinnorna", "männen") if m.women > m.men else ("männen", "kvinnorna"))
    return pick((
        f"{cap(m.subject)} är andelen {m.key} statistiskt signifikant högre bland "
        f"{higher} än bland {lower} ({percent(m.women)} för kvinnor, {percent(m.men)} för "
        "män).",
        f"Skillnaden mellan kvinnor ({percent(m.women)}) och män ({percent(m.men)}) "
        f"{m.subject} är statistiskt signifikant; {higher} svarar oftare positivt."),
        variant)


def part_sentence(m: MeasureFacts, variant: int = 0,
                  points: float = STAND_OUT_POINTS) -> str | None:
    """The breakdown cell furthest from its group, if it differs by `points` or more."""
    total = m.value
    if total is None:
        return None
    shown = [(name, v) for name, v, _n in m.parts if v is not None]
    if len(shown) < 2:
        return None
    name, v = max(shown, key=lambda p: abs(p[1] - total))
    if abs(whole_percent(v) - whole_percent(total)) < points:
        return None
    side = "högre" if v > total else "lägre"
    return pick((f"{name} sticker ut med {percent(v)}, {side} än {percent(total)} för "
                  "gruppen som helhet.",
                  f"Bland insatserna skiljer sig {name} mest: {percent(v)} mot "
                  f"{percent(total)} totalt."), variant)


def small_base_sentence(m: MeasureFacts,
                        thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str | None:
    """The report's caution where a group has fewer answers than the uncertain limit."""
    if m.n >= thresholds.uncertain_below:
        return None
    return f"Underlaget är litet (n = {m.n}) och resultatet bör tolkas försiktigt."


def measure_comment(m: MeasureFacts, previous_period: int | str | None,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS,
                    variant: int = 0) -> list[str]:
    """The drafted sentences on one measure, in reading order."""
    sentences = [
        rikssnitt_sentence(m, thresholds, variant),
        year_sentence(m, previous_period, variant) if previous_period is not None else None,
        gender_sentence(m, variant),
        part_sentence(m, variant),
        small_base_sentence(m, thresholds),
    ]
    return [s for s in sentences if s]


def indicator_sentence(verdict: str | None, arrow: str | None, rikssnitt_label: str,
                       previous_period: int | str | None, variant: int = 0) -> str | None:
    """The indicator's verdict against rikssnittet and its arrow against last year."""
    where = {cmp.HIGHER: "högre än", cmp.LOWER: "lägre än",
             cmp.NEITHER: "varken högre eller lägre än"}.get(verdict or "")
    if where is None:
        return None
    text = pick((f"Sammantaget ligger indikatorn {where} {rikssnitt_label}",
                  f"Som helhet är förbundets resultat på indikatorn {where} {rikssnitt_label}"),
                 variant)
    trend = {cmp.ARROW_UP: "högre än", cmp.ARROW_DOWN: "lägre än",
             cmp.ARROW_FLAT: "i nivå med"}.get(arrow or "")
    if trend and previous_period is not None:
        text += f" och {trend} förbundets eget resultat {previous_period}"
    return text + "."
