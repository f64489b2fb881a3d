"""The förbund's three response rates against the national ones (local report, Tabell 1 text).

The local report writes "andel svar av undersökt population 76 % … rikssnittet (73 %)".
The national rates are the published Tabell 3 totals (shipped for 2023); for other
periods none are known and nothing is compared. Pure; the Svarsfrekvens sheet shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indikator_xl.figures import national_data
from indikator_xl.figures.analysis import TOTALT
from indikator_xl.figures.report_tables import whole_percent

RATE_LABELS = {
    "andel_svar_av_undersokt": "Andel svar av undersökt population",
    "andel_undersokt_av_mal": "Undersökt population i förhållande till målpopulation",
    "andel_svar_av_mal": "Andel svar i förhållande till målpopulation",
}
PUBLISHED_PERIOD = 2023


@dataclass(frozen=True)
class RateComparison:
    column: str
    label: str
    own: float
    national: float
    national_period: int

    @property
    def text(self) -> str:
        """ "Andel svar av undersökt population: 76 % mot rikssnittet 73 % (2023)." """
        return (f"{self.label}: {_percent(self.own)} mot rikssnittet "
                f"{_percent(self.national)} ({self.national_period}).")


def _percent(share: float) -> str:
    return f"{whole_percent(share)} %"


def national_rates(period: int) -> dict[str, float] | None:
    """The national Totalt rates of `period` as fractions, or None if not published."""
    if period != PUBLISHED_PERIOD:
        return None
    table = national_data.response_rates_2023()
    total = table[table["respondentgrupp"] == TOTALT].iloc[0]
    return {c: float(total[c]) for c in RATE_LABELS}


def compare_rates(rates: pd.DataFrame, rikssnitt_period: int) -> list[RateComparison]:
    """The förbund's Totalt rates beside the national ones of the rikssnitt's period."""
    national = national_rates(rikssnitt_period)
    if national is None:
        return []
    own = rates[rates["respondentgrupp"] == TOTALT]
    if own.empty:
        return []
    out = []
    for column, label in RATE_LABELS.items():
        value = own[column].iloc[0]
        if value is None or pd.isna(value):
            continue
        out.append(RateComparison(column, label, float(value), national[column],
                                  rikssnitt_period))
    return out
