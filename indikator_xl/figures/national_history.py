"""Earlier periods for the national merge: counts per measure, Tabell 22 and förbund lists.

Every national result carries its history in hidden sheets, so next year's merge can
run the year test on real counts (`--foregaende`). Without a previous result, the
shipped published figures (Tabell N.2 2021–2023, Tabell 22, Bilaga 1 2023) stand in:
the counts behind a published nyckeltal are reconstructed as round(n × nyckeltal).

Hidden sheets (format version 1, one header row each):

- `NNS_antal`: matperiod, respondentgrupp, fraga, dimension, undergrupp, n, n_negativt,
  n_varken_eller, n_positivt, n_klart_positivt, n_nyckeltal, nyckeltal, dold, kalla.
  Hidden cells keep n only (their category counts are left empty). Only periods merged by
  the tool are stored; the published ones ship with the package and are added on reading.
- `NNS_historik`: matperiod, enkater, forbund, forbund_nationellt.
- `NNS_forbund`: matperiod, forbund (the förbund that took part).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument as ins
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.domain.text import key, whole_number
from indikator_xl.figures import national_data
from indikator_xl.figures.reconstruct import point_estimate as _point_estimate
from indikator_xl.reader import read_workbook

SHEET_COUNTS = "NNS_antal"
SHEET_SURVEYS = "NNS_historik"
SHEET_FORBUND = "NNS_forbund"
HIDDEN_SHEETS = (SHEET_COUNTS, SHEET_SURVEYS, SHEET_FORBUND)

COMPUTED = "sammanställd"
PUBLISHED = "publicerad"

COUNT_KEYS = colname.MEASURE_KEYS
COUNT_COLUMNS = ["matperiod", *COUNT_KEYS, "n", "n_negativt", "n_varken_eller", "n_positivt",
                 "n_klart_positivt", "n_nyckeltal", colname.KEY_FIGURE, "dold", "kalla"]
_SHEET_COUNT_HEADER = ["matperiod", "respondentgrupp", "fraga", *COUNT_COLUMNS[3:]]
SURVEY_COLUMNS = ["matperiod", "enkater", "forbund", "forbund_nationellt"]
FORBUND_COLUMNS = ["matperiod", "forbund"]


def point_estimate(n: int, percent: int) -> int:
    """Answers behind a published whole percent: the count closest to n × percent / 100
    (reconstruct.point_estimate; where no count rounds to the printed percent, a misprint,
    that product with halves rounded up)."""
    try:
        return int(_point_estimate(int(n), int(percent)))
    except ValueError:
        return int(math.floor(n * percent / 100 + 0.5))


@dataclass
class History:
    """Counts per period, measure and subgroup; Tabell 22 rows; förbund per period."""

    counts: pd.DataFrame
    surveys: pd.DataFrame
    participants: pd.DataFrame
    source: str = ""

    @property
    def periods(self) -> list[int]:
        return sorted(int(p) for p in self.counts["matperiod"].unique())

    def table_for(self, period: int) -> pd.DataFrame | None:
        """One period's counts shaped like a measure table (for stats.add_previous)."""
        t = self.counts[self.counts["matperiod"] == period]
        return None if t.empty else t.reset_index(drop=True)

    def forbund_in(self, period: int) -> set[str] | None:
        names = self.participants.loc[self.participants["matperiod"] == period, "forbund"]
        return None if names.empty else {key(n) for n in names}


def empty_history() -> History:
    return History(pd.DataFrame(columns=COUNT_COLUMNS), pd.DataFrame(columns=SURVEY_COLUMNS),
                   pd.DataFrame(columns=FORBUND_COLUMNS))


def published_history() -> History:
    """The shipped published figures as a History (counts reconstructed from n × nyckeltal)."""
    df = national_data.nyckeltal_history()
    n = df["n"].astype(int)
    percent = (df[colname.KEY_FIGURE].astype(float) * 100).round().astype(int)
    counts = pd.DataFrame({
        "matperiod": df["matperiod"].astype(int),
        **colname.file_keys(df),
        "n": n,
        "n_nyckeltal": [point_estimate(a, b) for a, b in zip(n, percent, strict=True)],
        colname.KEY_FIGURE: df[colname.KEY_FIGURE].astype(float),
        "dold": 0,
        "kalla": PUBLISHED,
    })
    for c in ("n_negativt", "n_varken_eller", "n_positivt", "n_klart_positivt"):
        counts[c] = np.nan
    surveys = national_data.surveys_per_year()[SURVEY_COLUMNS].astype("Int64")
    bilaga1 = national_data.answers_per_federation_2023()
    names = list(dict.fromkeys(bilaga1["forbund"].astype(str)))
    participants = pd.DataFrame({"matperiod": 2023, "forbund": names})
    return History(counts[COUNT_COLUMNS], surveys, participants,
                   "NNS nationella indikatorrapport 2023 (publicerade siffror)")


def counts_from_table(table: pd.DataFrame, period: int) -> pd.DataFrame:
    """This period's counts from a national measure table (hidden cells: n only)."""
    out = table[[*COUNT_KEYS, "n", "n_negativt", "n_varken_eller", "n_positivt",
                 "n_klart_positivt", "n_nyckeltal", "dold"]].copy()
    hidden = out["dold"] == 1
    for c in ("n_negativt", "n_varken_eller", "n_positivt", "n_klart_positivt", "n_nyckeltal"):
        out[c] = out[c].astype(float)
        out.loc[hidden, c] = np.nan
    out[colname.KEY_FIGURE] = out["n_nyckeltal"] / out["n"]
    out.insert(0, "matperiod", period)
    out["kalla"] = COMPUTED
    return out[COUNT_COLUMNS].reset_index(drop=True)


def combine(*histories: History) -> History:
    """Later histories override earlier ones for the same period (and key)."""
    parts = [h for h in histories if h is not None]

    def merged(frames: list[pd.DataFrame], keys: list[str], by_period: bool) -> pd.DataFrame:
        frames = [f for f in frames if len(f)]
        if not frames:
            return frames_empty(keys)
        if by_period:  # a later source replaces a whole period, not single rows
            kept = []
            for i, f in enumerate(frames):
                later = set().union(*(set(g["matperiod"].astype(int)) for g in frames[i + 1:]))
                kept.append(f[~f["matperiod"].astype(int).isin(later)])
            frames = kept
        out = pd.concat(frames, ignore_index=True)
        return out.drop_duplicates(keys, keep="last").reset_index(drop=True)

    def frames_empty(keys: list[str]) -> pd.DataFrame:
        return pd.DataFrame(columns=keys)

    counts = merged([h.counts for h in parts], ["matperiod", *COUNT_KEYS], True)
    if counts.empty:
        counts = pd.DataFrame(columns=COUNT_COLUMNS)
    surveys = merged([h.surveys for h in parts], ["matperiod"], False)
    if surveys.empty:
        surveys = pd.DataFrame(columns=SURVEY_COLUMNS)
    people = merged([h.participants for h in parts], FORBUND_COLUMNS, True)
    if people.empty:
        people = pd.DataFrame(columns=FORBUND_COLUMNS)
    surveys = surveys.sort_values("matperiod").reset_index(drop=True)
    return History(counts[COUNT_COLUMNS], surveys[SURVEY_COLUMNS], people[FORBUND_COLUMNS],
                   " + ".join(h.source for h in parts if h.source))


# --- hidden sheets ------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def sheet_rows(history: History) -> dict[str, list[list[Any]]]:
    """The hidden sheets' rows (header first) for a national result workbook."""
    counts = [_SHEET_COUNT_HEADER]
    own = history.counts[history.counts["kalla"] == COMPUTED]  # published ones ship with us
    for r in own.itertuples(index=False):
        row = [_cell(getattr(r, c)) for c in COUNT_COLUMNS]
        if row[11] is not None:  # nyckeltal stays a fraction
            row[11] = float(r.nyckeltal)
        counts.append(row)
    surveys = [list(SURVEY_COLUMNS)]
    surveys += [[_cell(getattr(r, c)) for c in SURVEY_COLUMNS]
                for r in history.surveys.itertuples(index=False)]
    people = [list(FORBUND_COLUMNS)]
    people += [[_cell(r.matperiod), str(r.forbund)]
               for r in history.participants.itertuples(index=False)]
    return {SHEET_COUNTS: counts, SHEET_SURVEYS: surveys, SHEET_FORBUND: people}


def _table(rows: list[list[Any]], columns: list[str], where: str) -> list[dict[str, Any]]:
    if not rows:
        raise WorkbookReadError(f"Bladet {where} är tomt.")
    header = [key(h) for h in rows[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise WorkbookReadError(f"Bladet {where} saknar kolumnerna {', '.join(missing)}.")
    pos = {c: header.index(c) for c in columns}
    out = []
    for row in rows[1:]:
        if not row:
            continue
        out.append({c: row[i] if i < len(row) else None for c, i in pos.items()})
    return out


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return np.nan
    return float(value)


def read_previous(path: str | Path) -> History:
    """The history stored in a national result workbook (its hidden sheets).

    Raises WorkbookReadError (Swedish) when the file is not such a result.
    """
    name = Path(path).name
    raw = read_workbook(path, want=lambda s: s in HIDDEN_SHEETS)
    if SHEET_COUNTS not in raw.sheets:
        raise WorkbookReadError(f"{name} är inget nationellt resultat från indikator-xl "
                                f"(det dolda bladet {SHEET_COUNTS} saknas).")
    groups = {key(g.name): g.name for g in ins.GROUPS}
    records = []
    for r in _table(raw.sheets[SHEET_COUNTS].rows, [h.casefold() for h in
                                                     _SHEET_COUNT_HEADER], SHEET_COUNTS):
        group = groups.get(key(r["respondentgrupp"]))
        period, question = whole_number(r["matperiod"]), whole_number(r["fraga"])
        if group is None or period is None or question is None:
            continue
        rec = {"matperiod": period, "group": group, "question": question,
               "dimension": str(r["dimension"]), "undergrupp": str(r["undergrupp"])}
        for c in ("n", "n_negativt", "n_varken_eller", "n_positivt", "n_klart_positivt",
                  "n_nyckeltal", colname.KEY_FIGURE):
            rec[c] = _number(r[c])
        rec["dold"] = int(whole_number(r["dold"]) or 0)
        rec["kalla"] = str(r["kalla"] or COMPUTED)
        records.append(rec)
    counts = pd.DataFrame.from_records(records, columns=COUNT_COLUMNS)
    counts = counts[counts["n"].notna()]
    counts["n"] = counts["n"].astype(int)
    surveys = pd.DataFrame(columns=SURVEY_COLUMNS)
    if SHEET_SURVEYS in raw.sheets and raw.sheets[SHEET_SURVEYS].rows:
        rows = _table(raw.sheets[SHEET_SURVEYS].rows, SURVEY_COLUMNS, SHEET_SURVEYS)
        surveys = pd.DataFrame([[whole_number(r[c]) for c in SURVEY_COLUMNS] for r in rows],
                               columns=SURVEY_COLUMNS).astype("Int64")
        surveys = surveys[surveys["matperiod"].notna()]
    people = pd.DataFrame(columns=FORBUND_COLUMNS)
    if SHEET_FORBUND in raw.sheets and raw.sheets[SHEET_FORBUND].rows:
        rows = _table(raw.sheets[SHEET_FORBUND].rows, FORBUND_COLUMNS, SHEET_FORBUND)
        people = pd.DataFrame([[whole_number(r["matperiod"]), str(r["forbund"])]
                               for r in rows if r["forbund"]], columns=FORBUND_COLUMNS)
    return History(counts.reset_index(drop=True), surveys.reset_index(drop=True), people,
                   f"Nationellt resultat {name}")
