"""A registration workbook parsed and validated (SPEC §3).

`parse_registration` turns a `RawWorkbook` (from a file or from live Excel) into a
`Registration`: the förbund's settings, one tidy table of valid answers with their cells,
the respondents, the populations and every problem found. Nothing is dropped silently:
each non-empty answer cell is either an answer in `answers` or has a problem at its cell
(or at its column's header, for ignored columns). The sheets are read by `forbund_sheet`,
`group_sheets` and `populations`; this module puts them together.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import RawWorkbook, column_letter
from indikator_xl.domain.problems import FEL, VARNING, Problem, ProblemCollector
from indikator_xl.domain.text import key
from indikator_xl.reader import DEFAULT_LIMITS, Limits, read_workbook
from indikator_xl.validation.forbund_sheet import parse_forbund, parse_gender_practice
from indikator_xl.validation.group_sheets import ANSWER_INDEX, RESPONDENT_COLUMNS, parse_group_sheet
from indikator_xl.validation.populations import parse_populations
from indikator_xl.validation.sheet_lookup import find_sheet

if TYPE_CHECKING:  # validating needs no pandas; the tables import it on first use
    import pandas as pd

ANSWER_COLUMNS = ("group", "sheet", "row", "cell", "question", "code",
                  "kon", "insats", "anstallning", "samverkansgrupp")
POPULATION_COLUMNS = ("group", "insats", "malpopulation", "undersokt", "sheet_row")


@dataclass
class Registration:
    """One förbund's registration workbook, validated.

    `answers`: one row per valid answer (ANSWER_COLUMNS; `kon` is "kvinnor", "man" or
    None; `insats`/`samverkansgrupp` the display name as first written; `anstallning` one
    of instrument.EMPLOYERS or None). `respondents`: one row per questionnaire with at
    least one valid answer. `populations`: the Populationer rows (insats None = group).
    """

    forbund: str | None
    period: int | None
    period_from: date | None
    period_to: date | None
    routine: str | None
    answer_index: dict[str, np.ndarray] = field(repr=False)  # ANSWER_INDEX per answer
    respondent_columns: dict[str, list] = field(repr=False)
    population_rows: list[tuple] = field(repr=False)
    groups_surveyed: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    source: str = ""
    modified: datetime | None = None
    sheet_names: dict[str, str] = field(default_factory=dict)  # group → actual sheet name
    settings: dict[str, Any] = field(default_factory=dict)  # SETTING_KEYS given in Förbund
    gender_despite_unstated: bool = False
    """The Förbund sheet says Ja to instrument.KEY_GENDER_DESPITE_UNSTATED."""

    # The tables are built on first use: validating or merging many workbooks needs only
    # the column lists, and three small DataFrames per file cost more than parsing it.
    @functools.cached_property
    def answers(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.answer_columns, columns=list(ANSWER_COLUMNS))

    @property
    def answer_columns(self) -> dict[str, Any]:
        """The answers as ANSWER_COLUMNS (built anew; `answers` keeps the table)."""
        return {c: self.answer_column(c) for c in ANSWER_COLUMNS}

    def answer_column(self, name: str) -> Any:
        """One of ANSWER_COLUMNS: each answer's own value, or its respondent's (int64
        arrays for row, question and code, lists for the rest).

        Validation keeps per answer only its respondent, column, question and code; the
        respondent's values are spread onto the answers here, in C, when a table needs them.
        """
        index = self.answer_index
        if name in ("question", "code"):
            return index[name]
        if name == "cell":
            columns = index["column"].tolist()
            letters = {c: column_letter(c) for c in set(columns)}
            rows = self.answer_column("row").tolist()
            return [f"{letters[c]}{r}" for c, r in zip(columns, rows, strict=True)]
        if name == "row":
            return np.array(self.respondent_columns[name], dtype=np.int64)[index["respondent"]]
        values = np.array(self.respondent_columns[name], dtype=object)
        return values[index["respondent"]].tolist()

    @functools.cached_property
    def respondents(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.respondent_columns, columns=list(RESPONDENT_COLUMNS))

    @functools.cached_property
    def populations(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.population_rows, columns=list(POPULATION_COLUMNS))

    @property
    def n_respondents(self) -> int:
        return len(self.respondent_columns["group"])

    @property
    def can_calculate(self) -> bool:
        """False when the Förbund name or Mätperiod is missing or unusable (SPEC §3)."""
        return self.forbund is not None and self.period is not None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == FEL]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == VARNING]


def load_registration(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Registration:
    """Read and validate a registration workbook file (raises WorkbookReadError)."""
    wanted = {key(n) for n in (*ins.GROUPS_BY_NAME, ins.SHEET_FORBUND, ins.SHEET_POPULATIONER)}
    raw = read_workbook(path, limits, want=lambda name: key(name) in wanted)
    return parse_registration(raw)


def parse_registration(raw: RawWorkbook) -> Registration:
    """Validate every sheet of a registration workbook and collect its valid answers."""
    out = ProblemCollector()
    settings: dict[str, Any] = {}
    forbund, period, p_from, p_to, routine = parse_forbund(raw, out, settings)
    gender_despite_unstated = parse_gender_practice(raw, out)
    answers: dict[str, list] = {c: [] for c in ANSWER_INDEX}
    respondents: dict[str, list] = {c: [] for c in RESPONDENT_COLUMNS}
    surveyed, sheet_names = [], {}
    for group in ins.GROUPS:
        sheet = find_sheet(raw, group.name, out)
        if sheet is None:
            continue
        surveyed.append(group.name)
        sheet_names[group.name] = sheet.name
        parse_group_sheet(group, sheet, out, answers, respondents)
    index = {c: np.array(v, dtype=np.int64) for c, v in answers.items()}
    populations = parse_populations(raw, out, respondents, surveyed)
    return Registration(
        forbund=forbund,
        period=period,
        period_from=p_from,
        period_to=p_to,
        routine=routine,
        answer_index=index,
        respondent_columns=respondents,
        population_rows=populations,
        groups_surveyed=tuple(surveyed),
        problems=out.problems,
        source=raw.source,
        modified=raw.modified,
        sheet_names=sheet_names,
        settings=settings,
        gender_despite_unstated=gender_despite_unstated,
    )
