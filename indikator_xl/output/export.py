"""The machine-readable tables of SPEC §7 (a contract: names, columns and order are fixed)."""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from indikator_xl.domain.text import shown
from indikator_xl.figures.stats import YEAR_DIMENSIONS
from indikator_xl.output.atomic import atomic_write

LONG_COLUMNS: tuple[str, ...] = (
    "forbund", "matperiod", "respondentgrupp", "fraga", "indikator", "dimension", "undergrupp",
    "n", "negativt", "varken_eller", "positivt", "klart_positivt", "nyckeltal",
    "stjarna_negativt", "stjarna_varken_eller", "stjarna_positivt", "stjarna_klart_positivt",
    "dold", "osaker", "test",
)
PREVIOUS_COLUMNS: tuple[str, ...] = ("n_foregaende", "nyckeltal_foregaende", "stjarna_ar")
RATE_COLUMNS: tuple[str, ...] = (
    "respondentgrupp", "insats", "malpopulation", "undersokt_population", "svar",
    "andel_undersokt_av_mal", "andel_svar_av_undersokt", "andel_svar_av_mal",
)
SHARE_DECIMALS = 6


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def long_table(table: pd.DataFrame, forbund: str, period: int,
               with_previous: bool) -> list[list[Any]]:
    """Rows of the SPEC §7 long table (typed values; None for empty)."""
    rows = []
    for r in table.itertuples(index=False):
        row = [forbund, period, r.group, int(r.question), int(r.indikator), r.dimension,
               r.undergrupp, int(r.n)]
        row += [_clean(getattr(r, c)) for c in ("negativt", "varken_eller", "positivt",
                                                "klart_positivt", "nyckeltal")]
        row += [int(getattr(r, c)) for c in ("stjarna_negativt", "stjarna_varken_eller",
                                              "stjarna_positivt", "stjarna_klart_positivt")]
        row += [int(r.dold), int(r.osaker), _clean(r.test)]
        if with_previous:
            year_row = r.dimension in YEAR_DIMENSIONS
            row += [_clean(r.n_foregaende), _clean(r.nyckeltal_foregaende),
                    int(r.stjarna_ar) if year_row else None]
        rows.append(row)
    return rows


def long_columns(with_previous: bool) -> tuple[str, ...]:
    return LONG_COLUMNS + (PREVIOUS_COLUMNS if with_previous else ())


def rate_rows(rates: pd.DataFrame) -> list[list[Any]]:
    """Rows of the response-rate export: one per group and insats (no Totalt row)."""
    rows = []
    for r in rates[rates["respondentgrupp"] != "Totalt"].itertuples(index=False):
        rows.append([r.respondentgrupp, _clean(r.insats),
                     *(_int_or_none(getattr(r, c)) for c in ("malpopulation",
                                                              "undersokt_population", "svar")),
                     *(_clean(getattr(r, c)) for c in RATE_COLUMNS[5:])])
    return rows


def _int_or_none(value: Any) -> int | None:
    v = _clean(value)
    return None if v is None else int(v)


# A spreadsheet program reads a cell starting with one of these as a formula (OWASP, "CSV
# injection"), also after it strips leading spaces.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _format(value: Any) -> str:
    """A value as CSV text: numbers as numbers, text never as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{SHARE_DECIMALS}f}"
    if isinstance(value, int):
        return str(value)
    return guard_formula(shown(value))


def guard_formula(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would take it for a formula
    (the OWASP rule, applied to every text cell of every CSV we write)."""
    if text.lstrip(" ").startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(path: str | Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """UTF-8, comma-separated, written atomically (temporary file, then rename)."""
    with atomic_write(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_format(v) for v in row])
