"""Indicator verdicts against a reference (SPEC §4, the local report's Tabell 45).

d = the unweighted mean over an indicator's measures of (local − reference) key figure,
in percentage points; |d| < threshold → "Varken högre eller lägre", else "Högre" /
"Lägre" by the sign of d. Against rikssnittet this gives the verdict; against the
förbund's previous period the arrow ↑ / → / ↓. Inputs are fractions (0–1).

Which measures enter: the total uses all the indicator's measures with data on both
sides; women/men only the gendered participant measures (`gendered_measures`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from indikator_xl.domain.instrument import (
    GROUPS_BY_NAME,
    NOT_SURVEYED_INDICATORS,
    Question,
    measures_of,
)
from indikator_xl.figures.suppression import DEFAULT_THRESHOLDS

HIGHER = "Högre"
LOWER = "Lägre"
NEITHER = "Varken högre eller lägre"
VERDICTS: tuple[str, ...] = (HIGHER, NEITHER, LOWER)

ARROW_UP = "↑"
ARROW_FLAT = "→"
ARROW_DOWN = "↓"

NOT_INCLUDED = "ingår ej"  # shown for indicators without survey measures (indicator 11)

DEFAULT_POINTS = DEFAULT_THRESHOLDS.verdict_points

# The mean difference is rounded to this many decimals of a percentage point, so that
# float noise from fractions (0.63 − 0.81 = −0.18000000000000005) cannot move a
# difference that is exactly on the threshold to the other side of it.
_PP_DECIMALS = 9


def _missing(x: float | None) -> bool:
    return x is None or math.isnan(x)


def mean_difference(pairs: Iterable[tuple[float | None, float | None]]) -> float | None:
    """Unweighted mean of (local − reference) in percentage points, over measures.

    `pairs` holds (local, reference) key figures as fractions 0–1, one pair per measure.
    Pairs where either side is missing (None or NaN) are skipped; None if none is left.
    """
    diffs = [local - ref for local, ref in pairs
             if local is not None and ref is not None and not (_missing(local) or _missing(ref))]
    if not diffs:
        return None
    return round(100.0 * sum(diffs) / len(diffs), _PP_DECIMALS)


def verdict(d: float | None, threshold: float = DEFAULT_POINTS) -> str | None:
    """"Högre", "Lägre" or "Varken högre eller lägre" for a difference `d` in points.

    |d| < threshold is "Varken högre eller lägre" (so d = ±threshold is Högre/Lägre).
    None (no data) gives None.
    """
    if d is None:
        return None
    if abs(d) < threshold:
        return NEITHER
    return HIGHER if d > 0 else LOWER


_ARROWS = {HIGHER: ARROW_UP, NEITHER: ARROW_FLAT, LOWER: ARROW_DOWN}


def arrow(d: float | None, threshold: float = DEFAULT_POINTS) -> str | None:
    """"↑", "→" or "↓" for a difference `d` in points against the previous period.

    Same rule as `verdict`; None (no data) gives None.
    """
    v = verdict(d, threshold)
    return None if v is None else _ARROWS[v]


def count_line(verdicts: Iterable[str | None], reference: str = "rikssnittet") -> str:
    """The summary sentence of the verdicts, in the local report's wording.

    E.g. "10 av 15 indikatorer högre än rikssnittet, 1 varken högre eller lägre, 4 lägre"
    — 15 being the indicators that got a verdict (None entries are not counted).
    `reference` names what was compared with, e.g. "rikssnittet" or "2021".
    """
    given = [v for v in verdicts if v is not None]
    unknown = set(given) - set(VERDICTS)
    if unknown:
        raise ValueError(f"unknown verdicts: {sorted(unknown)}")
    if not given:
        return f"Inga indikatorer att jämföra med {reference}"
    noun = "indikator" if len(given) == 1 else "indikatorer"
    return (
        f"{given.count(HIGHER)} av {len(given)} {noun} högre än {reference}, "
        f"{given.count(NEITHER)} varken högre eller lägre, {given.count(LOWER)} lägre"
    )


def gendered_measures(indicator: int) -> tuple[Question, ...]:
    """The indicator's measures that enter the women/men verdicts (participant groups).

    Empty for indicators with no gender verdict (8, 10, 12–16; 11 has no measures).
    """
    return tuple(q for q in measures_of(indicator) if GROUPS_BY_NAME[q.group].is_participant)


def is_surveyed(indicator: int) -> bool:
    """False for indicators shown as "ingår ej" (no survey measure, e.g. indicator 11)."""
    return indicator not in NOT_SURVEYED_INDICATORS and bool(measures_of(indicator))
