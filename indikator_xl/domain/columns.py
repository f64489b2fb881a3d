"""Column names of the core tables, said once.

The measure table (`stats.measure_table`, extended by `analysis` and `national`) has one
row per measure (respondent group and question) and subgroup. In memory the group and
question columns are `group` and `question`; in files — the published data in
`indikator_xl/data/`, the long table (docs/kontrakt.md), the rikssnitt workbook and the
hidden history sheets — they are `respondentgrupp` and `fraga` (`file_keys` reads them).
"""

from __future__ import annotations

import pandas as pd

from indikator_xl.domain import instrument as ins

GROUP = "group"
QUESTION = "question"
FILE_GROUP = "respondentgrupp"
FILE_QUESTION = "fraga"
FILE_NAMES = {GROUP: FILE_GROUP, QUESTION: FILE_QUESTION}

PERIOD = "matperiod"
FORBUND = "forbund"
INDICATOR = "indikator"
DIMENSION = "dimension"
SUBGROUP = "undergrupp"
N = "n"
KEY_FIGURE = "nyckeltal"
HIDDEN = "dold"
HIDDEN_REASON = "dold_orsak"  # suppression.HiddenReason code of a hidden cell, else None
UNCERTAIN = "osaker"
TEST = "test"
P_WHOLE_QUESTION = "p_hela_fragan"
N_PREVIOUS = "n_foregaende"
KEY_FIGURE_PREVIOUS = "nyckeltal_foregaende"
YEAR_STAR = "stjarna_ar"
RIKSSNITT_N = "rikssnitt_n"
RIKSSNITT_KEY_FIGURE = "rikssnitt_nyckeltal"
RIKSSNITT_KEY_FIGURE_PREVIOUS = "rikssnitt_nyckeltal_foregaende"  # the rikssnitt's last period
DIFFERENCE_PP = "skillnad_pp"
DIFFERENCE_MARK = "skillnad_markering"  # "hogre"/"lagre" where it reaches the threshold

MEASURE_KEYS = [GROUP, QUESTION, DIMENSION, SUBGROUP]
SHARE_COLUMNS = (*ins.CATEGORIES, KEY_FIGURE)
STAR_COLUMNS = tuple(f"stjarna_{c}" for c in ins.CATEGORIES)


def star_column(category: str) -> str:
    """The star flag of an answer category: "positivt" → "stjarna_positivt"."""
    return f"stjarna_{category}"


def file_keys(df: pd.DataFrame) -> dict[str, pd.Series]:
    """The measure keys of a table read from a file, with in-memory names and types."""
    return {GROUP: df[FILE_GROUP].astype(str), QUESTION: df[FILE_QUESTION].astype(int),
            DIMENSION: df[DIMENSION].astype(str), SUBGROUP: df[SUBGROUP].astype(str)}
