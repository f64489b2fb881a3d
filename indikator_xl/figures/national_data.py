"""The national report 2023's published figures, shipped as package data (SPEC §6).

The CSV files in `indikator_xl/data/` keep every figure exactly as printed (whole percent);
see `data/README.md`. The loaders below return pandas DataFrames:

- `read_table(name)` returns a file as stored: percent integers, empty cells as <NA>.
- `rikssnitt_2023`, `nyckeltal_history`, `response_rates_2023` and
  `response_rates_per_federation_2023` return shares as **fractions** (0-1).
- `counts_2023`, `surveys_per_year` and `answers_per_federation_2023` hold counts only
  (the few printed "andel" cells of `counts_2023` stay percent integers).
"""

from __future__ import annotations

import functools
from importlib import resources

import pandas as pd

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument

RIKSSNITT_2023 = "rikssnitt_2023.csv"
NYCKELTAL_2021_2023 = "nyckeltal_2021_2023.csv"
SVARSFREKVENS_2023 = "svarsfrekvens_2023.csv"
ENKATER_PER_AR = "enkater_per_ar.csv"
ANTAL_2023 = "antal_2023.csv"
BILAGA1_2023 = "bilaga1_2023.csv"
BILAGA2_2023 = "bilaga2_2023.csv"
FILES: tuple[str, ...] = (
    RIKSSNITT_2023, NYCKELTAL_2021_2023, SVARSFREKVENS_2023, ENKATER_PER_AR, ANTAL_2023,
    BILAGA1_2023, BILAGA2_2023,
)

_SHARE_COLUMNS = (
    *instrument.CATEGORIES, colname.KEY_FIGURE, "andel_undersokt_av_mal", "andel_svar_av_undersokt",
    "andel_svar_av_mal",
)


def read_table(name: str) -> pd.DataFrame:
    """One data file as stored: integer columns as Int64 (<NA> where empty), text as str.

    Each file is parsed once per process; callers get their own copy to change."""
    return _parsed(name).copy()


@functools.cache
def _parsed(name: str) -> pd.DataFrame:
    with resources.files("indikator_xl").joinpath("data", name).open(encoding="utf-8") as f:
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
    for col in df.columns:
        filled = df[col][df[col] != ""]
        if len(filled) and filled.str.fullmatch(r"-?\d+").all():
            df[col] = pd.to_numeric(df[col].replace("", None)).astype("Int64")
    return df


def _as_fractions(df: pd.DataFrame) -> pd.DataFrame:
    for col in _SHARE_COLUMNS:
        if col in df.columns:
            df[col] = df[col].astype("Float64") / 100
    return df


def rikssnitt_2023() -> pd.DataFrame:
    """Tabell N.1 2023: one row per group, question and subgroup; shares as fractions.

    Adds `nyckeltal`: the share in the question's key category (instrument.Question.key_category).
    """
    df = read_table(RIKSSNITT_2023)
    key = [
        instrument.question(g, int(q)).key_category
        for g, q in zip(df["respondentgrupp"], df["fraga"], strict=True)
    ]
    df[colname.KEY_FIGURE] = [df.at[i, cat] for i, cat in zip(df.index, key, strict=True)]
    return _as_fractions(df)


def nyckeltal_history() -> pd.DataFrame:
    """Tabell N.2: key figures 2021-2023 per group, question and subgroup; as fractions."""
    return _as_fractions(read_table(NYCKELTAL_2021_2023))


def nyckeltal_for(period: int) -> pd.DataFrame:
    """The published key figures of one period (2021, 2022 or 2023), as fractions."""
    df = nyckeltal_history()
    out = df[df["matperiod"] == period].reset_index(drop=True)
    if out.empty:
        raise KeyError(f"no published key figures for {period}")
    return out


def response_rates_2023() -> pd.DataFrame:
    """Tabell 3: populations, answers and response rates per group and Totalt; as fractions."""
    return _as_fractions(read_table(SVARSFREKVENS_2023))


def response_rates_per_federation_2023() -> pd.DataFrame:
    """Bilaga 2: response rates per förbund and group; shares as fractions."""
    return _as_fractions(read_table(BILAGA2_2023))


def answers_per_federation_2023() -> pd.DataFrame:
    """Bilaga 1: answers per förbund and group (long format, zeros included)."""
    return read_table(BILAGA1_2023)


def surveys_per_year() -> pd.DataFrame:
    """Tabell 22: surveys, participating förbund and förbund nationally, 2018-2023."""
    return read_table(ENKATER_PER_AR)


def counts_2023() -> pd.DataFrame:
    """Tabell 1, 4, 5 and 6 in long format (`tabell, respondentgrupp, rad, kolumn, matt,
    varde`); rows with matt "andel" hold printed percent integers."""
    return read_table(ANTAL_2023)
