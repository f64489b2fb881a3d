"""The national comparison (rikssnitt): shipped published figures or a rikssnitt workbook.

A `Rikssnitt` is one period's national figures per measure and subgroup. By default it
comes from the national report's published tables (package data, SPEC §6): Tabell N.1
for 2023 (all category shares) and Tabell N.2 for 2021–2022 (nyckeltal only). NNS can
publish a rikssnitt workbook made by `indikator-xl sammanstall --rikssnitt-ut`, which
`--rikssnitt FIL` and the RIKSSNITT worksheet function read instead; it is described
by `rikssnitt_workbook` and written by a renderer like every other workbook.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument as ins
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.domain.text import key, shown, whole_number
from indikator_xl.figures import national_data
from indikator_xl.reader import read_workbook

SHEET_DATA = "Rikssnitt"
SHEET_ABOUT = "Om"
FORMAT_VERSION = 1
COLUMNS = ("matperiod", "respondentgrupp", "fraga", "indikator", "dimension", "undergrupp",
           "n", "negativt", "varken_eller", "positivt", "klart_positivt", colname.KEY_FIGURE)
SHARE_COLUMNS = ("negativt", "varken_eller", "positivt", "klart_positivt", colname.KEY_FIGURE)
TEXT_COLUMNS = ("respondentgrupp", "dimension", "undergrupp")
KEYS = colname.MEASURE_KEYS
# Optional: last period's national nyckeltal beside each row (the reports' "78 % (75 %)").
PREVIOUS_COLUMN = colname.KEY_FIGURE_PREVIOUS
ABOUT_PREVIOUS = "Föregående mätperiod"


@dataclass
class Rikssnitt:
    """National figures of one period: `table` has KEYS, n and the share columns, and
    PREVIOUS_COLUMN (last period's nyckeltal, NaN where unknown) when `previous_period`
    is known."""

    period: int
    source: str
    table: pd.DataFrame
    note: str = ""
    previous_period: int | None = None

    def lookup(self, group: str, question: int, undergrupp: str = "samtliga") -> pd.Series | None:
        """The row for one measure and subgroup (samtliga, kvinnor, man or an employer)."""
        t = self.table
        hit = t[(t["group"] == group) & (t["question"] == question)
                & (t["undergrupp"] == undergrupp)]
        return None if hit.empty else hit.iloc[0]


def _from_published(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({**colname.file_keys(df), "n": df["n"].astype("Int64")})
    for col in SHARE_COLUMNS:
        out[col] = df[col].astype(float) if col in df.columns else math.nan
    return out


def published(period: int) -> Rikssnitt:
    """The shipped published figures closest to `period` (2023 has all shares)."""
    history = national_data.nyckeltal_history()
    years = sorted(int(y) for y in history["matperiod"].unique())
    if period >= 2023:
        chosen = 2023
    elif period in years:
        chosen = period
    else:
        chosen = min(years)
    note = "" if chosen == period else (
        f"Rikssnitt för {period} finns inte publicerat; jämförelsen görs med {chosen}.")
    if chosen == 2023:
        table = _from_published(national_data.rikssnitt_2023())
        source = "NNS nationella indikatorrapport 2023 (Tabell N.1)"
    else:
        table = _from_published(national_data.nyckeltal_for(chosen))
        source = f"NNS nationella indikatorrapport 2023 (Tabell N.2, {chosen})"
    previous = chosen - 1 if chosen - 1 in years else None
    if previous is not None:
        last = _from_published(national_data.nyckeltal_for(previous))
        table = table.merge(last[[*KEYS, "nyckeltal"]].rename(
            columns={colname.KEY_FIGURE: PREVIOUS_COLUMN}), on=KEYS, how="left")
    return Rikssnitt(chosen, source, table, note, previous)


# More answers than Sweden has people is no count.
MAX_N = 10_000_000


def _absurd(path: str | Path, column: str, value: Any) -> WorkbookReadError:
    return WorkbookReadError(f"Rikssnittsfilen {shown(Path(path).name)} har ett orimligt värde i "
                             f"kolumnen {column} ({value}); andelar ska vara 0–1 och n ett "
                             "antal svar.")


def read_workbook_file(path: str | Path) -> Rikssnitt:
    """Read a rikssnitt workbook; raises WorkbookReadError with a Swedish message."""
    raw = read_workbook(path)
    sheets = {key(n): s for n, s in raw.sheets.items()}
    data = sheets.get(key(SHEET_DATA))
    if data is None or not data.rows:
        from indikator_xl.validation.intake import output_kind

        kind = output_kind(Path(path))
        what = f"{kind}, " if kind else ""
        raise WorkbookReadError(f"--rikssnitt {shown(Path(path).name)} är {what}ingen "
                                f"rikssnittsfil (bladet {SHEET_DATA} saknas); en "
                                "rikssnittsfil från indikator-xl sammanstall --rikssnitt-ut "
                                "behövs.")
    header = [key(h) for h in data.rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise WorkbookReadError(f"Rikssnittsfilen saknar kolumnerna {', '.join(missing)}.")
    pos = {c: header.index(c) for c in COLUMNS}
    shares: tuple[str, ...] = SHARE_COLUMNS
    if PREVIOUS_COLUMN in header:
        pos[PREVIOUS_COLUMN] = header.index(PREVIOUS_COLUMN)
        shares += (PREVIOUS_COLUMN,)
    groups = {key(g.name): g.name for g in ins.GROUPS}
    records: list[dict[str, Any]] = []
    periods = set()
    for row in data.rows[1:]:
        def at(c: str, row=row) -> Any:
            i = pos[c]
            return row[i] if i < len(row) else None
        group = groups.get(key(at("respondentgrupp")))
        question = whole_number(at("fraga"))
        if group is None or question is None:
            continue
        period = whole_number(at("matperiod"))
        if period is not None:
            periods.add(period)
        n = whole_number(at("n"))
        if n is not None and not 0 <= n <= MAX_N:
            raise _absurd(path, "n", n)
        rec = {"group": group, "question": question, "dimension": str(at("dimension")),
               "undergrupp": str(at("undergrupp")), "n": n}
        for c in shares:
            v = at(c)
            share = float(v) if isinstance(v, int | float) and not isinstance(v, bool) \
                else math.nan
            if not (math.isnan(share) or 0.0 <= share <= 1.0):
                raise _absurd(path, c, v)
            rec[c] = share
        records.append(rec)
    if not records or len(periods) != 1:
        raise WorkbookReadError("Rikssnittsfilen ska innehålla siffror för exakt en "
                                "mätperiod.")
    about = sheets.get(key(SHEET_ABOUT))
    source = f"Rikssnittsfil {shown(Path(path).name)}"
    period = periods.pop()
    previous = period - 1 if PREVIOUS_COLUMN in shares else None
    if about is not None:
        for row in about.rows:
            if len(row) > 1 and key(row[0]) == key("Källa") and row[1]:
                source = f"{row[1]} ({shown(Path(path).name)})"
            if len(row) > 1 and key(row[0]) == key(ABOUT_PREVIOUS) and previous is not None:
                previous = whole_number(row[1]) or previous
    table = pd.DataFrame.from_records(records)
    table["n"] = table["n"].astype("Int64")
    return Rikssnitt(period, source, table, previous_period=previous)
