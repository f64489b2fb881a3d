"""A registration workbook parsed and validated (SPEC §3).

`parse_registration` turns a `RawWorkbook` (from a file or from live Excel) into a
`Registration`: the förbund's settings, one tidy table of valid answers with their cells,
the respondents, the populations and every problem found. Nothing is dropped silently:
each non-empty answer cell is either an answer in `answers` or has a problem at its cell
(or at its column's header, for ignored columns). The group sheets are read by
`group_sheets`; this module reads the Förbund and Populationer sheets and puts it together.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import (
    NO_CACHE,
    CellError,
    RawSheet,
    RawWorkbook,
    cell_ref,
    column_letter,
)
from indikator_xl.domain.problems import FEL, VARNING, Problem
from indikator_xl.domain.problems import ProblemCollector as _Collector
from indikator_xl.domain.text import (
    clipped,
    display,
    is_blank,
    key,
    too_long,
    too_long_message,
    whole_number,
)
from indikator_xl.reader import DEFAULT_LIMITS, Limits, read_workbook
from indikator_xl.validation.group_sheets import ANSWER_INDEX, RESPONDENT_COLUMNS, parse_group_sheet

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


def _find_sheet(raw: RawWorkbook, wanted: str, out: _Collector) -> RawSheet | None:
    """The sheet named `wanted`: exactly, or else case/space-insensitively with a warning.

    Two sheets whose names differ only in case or spacing (`Personal` and `personal `)
    cannot both be read: the exact one (or the first) is, and each of them gets an error,
    so that no answer on the other one disappears without a problem naming it.
    """
    same = [name for name in raw.sheets if key(name) == key(wanted)]
    if not same:
        return None
    chosen = wanted if wanted in raw.sheets else same[0]
    if len(same) > 1:
        others = [n for n in same if n != chosen]
        listed = ", ".join(f'"{n}"' for n in others)
        out.fel(chosen, "", chosen,
                f"Arbetsboken har flera blad som heter {wanted} (bortsett från stora och små "
                f"bokstäver och mellanslag): också {listed}. Bara det här bladet har lästs; "
                "flytta svaren till ett blad och ta bort det andra.")
        for name in others:
            out.fel(name, "", name,
                    f"Bladet har inte lästs: bladet \"{chosen}\" har samma namn (bortsett från "
                    "stora och små bokstäver och mellanslag), så svaren här räknas inte. Flytta "
                    "dem till ett blad och ta bort det andra.")
    elif chosen != wanted:
        out.varning(chosen, "", chosen,
                    f"Bladet heter \"{chosen}\" men ska heta \"{wanted}\". Det har lästs som "
                    f"{wanted}; byt gärna namn på bladet.")
    return raw.sheets[chosen]


def parse_registration(raw: RawWorkbook) -> Registration:
    """Validate every sheet of a registration workbook and collect its valid answers."""
    out = _Collector()
    settings: dict[str, Any] = {}
    forbund, period, p_from, p_to, routine = _parse_forbund(raw, out, settings)
    gender_despite_unstated = _parse_gender_practice(raw, out)
    answers: dict[str, list] = {c: [] for c in ANSWER_INDEX}
    respondents: dict[str, list] = {c: [] for c in RESPONDENT_COLUMNS}
    surveyed, sheet_names = [], {}
    for group in ins.GROUPS:
        sheet = _find_sheet(raw, group.name, out)
        if sheet is None:
            continue
        surveyed.append(group.name)
        sheet_names[group.name] = sheet.name
        parse_group_sheet(group, sheet, out, answers, respondents)
    index = {c: np.array(v, dtype=np.int64) for c, v in answers.items()}
    populations = _parse_populations(raw, out, respondents, surveyed)
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


# --- Förbund ---------------------------------------------------------------------------

def _parse_forbund(raw: RawWorkbook, out: _Collector, settings: dict[str, Any]):
    """The Förbund sheet's keys; the optional SETTING_KEYS that have a value go into
    `settings`."""
    sheet = _find_sheet(raw, ins.SHEET_FORBUND, out)
    if sheet is None:
        out.fel(ins.SHEET_FORBUND, "", None,
                "Bladet Förbund saknas. Lägg till bladet med Samordningsförbund och Mätperiod "
                "(se mallen); utan dem kan inget beräknas.")
        return None, None, None, None, None
    name = sheet.name
    found: dict[str, tuple[int | None, Any]] = {}
    for number, row in enumerate(sheet.rows, 1):
        if not row:
            continue
        k = key(row[0])
        for wanted in (*ins.FORBUND_KEYS, *ins.SETTING_KEYS):
            if k == key(wanted) and wanted not in found:
                found[wanted] = (number, row[1] if len(row) > 1 else None)
    for wanted in ins.SETTING_KEYS:
        value = found.get(wanted, (None, None))[1]
        if not is_blank(value):
            settings[wanted] = value
    forbund = None
    r, value = found.get(ins.KEY_NAME, (None, None))
    if r is None:
        out.fel(name, "A", None, "Nyckeln Samordningsförbund saknas i kolumn A. Lägg till den "
                "med förbundets namn i kolumn B.")
    elif is_blank(value) or isinstance(value, CellError) or value is NO_CACHE:
        out.fel(name, f"B{r}", value, "Förbundets namn saknas. Skriv samordningsförbundets "
                "namn i cellen.")
    elif too_long(value):
        out.fel(name, f"B{r}", clipped(value), too_long_message("Förbundets namn", value))
    else:
        forbund = display(value)
    period = None
    r, value = found.get(ins.KEY_PERIOD, (None, None))
    if r is None:
        out.fel(name, "A", None, "Nyckeln Mätperiod saknas i kolumn A. Lägg till den med "
                "mätårets årtal (t.ex. 2023) i kolumn B.")
    else:
        year = whole_number(value)
        if year is None or not ins.PERIOD_MIN <= year <= ins.PERIOD_MAX:
            out.fel(name, f"B{r}", value, "Mätperioden ska vara ett årtal med fyra siffror "
                    f"({ins.PERIOD_MIN}–{ins.PERIOD_MAX}), t.ex. 2023.")
        else:
            period = year
    dates = []
    for wanted in (ins.KEY_PERIOD_FROM, ins.KEY_PERIOD_TO):
        r, value = found.get(wanted, (None, None))
        dates.append(_optional_date(value, name, r, wanted, out))
    routine = None
    r, value = found.get(ins.KEY_ROUTINE, (None, None))
    if r is not None and not is_blank(value):
        for option in ins.ROUTINES:
            if key(value) == key(option):
                routine = option
        if routine is None:
            out.varning(name, f"B{r}", value, "Okänd rutin för pågåendeenkäten. Välj "
                        + ", ".join(ins.ROUTINES) + "; värdet räknas som Okänt.")
            routine = "Okänt"
    return forbund, period, dates[0], dates[1], routine


def _parse_gender_practice(raw: RawWorkbook, out: _Collector) -> bool:
    """The optional Förbund key for the older gender practice: Ja, or Nej/blank."""
    sheet = next((s for n, s in raw.sheets.items() if key(n) == key(ins.SHEET_FORBUND)), None)
    if sheet is None:
        return False
    for r, row in enumerate(sheet.rows, 1):
        if not row or key(row[0]) != key(ins.KEY_GENDER_DESPITE_UNSTATED):
            continue
        value = row[1] if len(row) > 1 else None
        if is_blank(value) or key(value) == key(ins.NO):
            return False
        if key(value) == key(ins.YES):
            return True
        out.varning(sheet.name, f"B{r}", value, f"Skriv {ins.YES} eller {ins.NO}; värdet "
                    f"räknas som {ins.NO} (kön döljs när 1–4 svarande saknar kön).")
        return False
    return False


def _optional_date(value: Any, sheet: str, r: int | None, label: str,
                   out: _Collector) -> date | None:
    if r is None or is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    out.varning(sheet, f"B{r}", value, f"{label} ska vara ett datum (ÅÅÅÅ-MM-DD); värdet "
                "används inte.")
    return None


# --- Populationer ----------------------------------------------------------------------

def _parse_populations(raw: RawWorkbook, out: _Collector, respondents: dict[str, list],
                       surveyed: list[str]) -> list[tuple]:
    """The Populationer rows as (group, insats or None, mål, undersökt, sheet row)."""
    empty: list[tuple] = []
    sheet = _find_sheet(raw, ins.SHEET_POPULATIONER, out)
    if sheet is None:
        if surveyed:
            out.varning(ins.SHEET_POPULATIONER, "", None, "Bladet Populationer saknas; "
                        "svarsfrekvensen kan inte beräknas. Lägg till bladet från mallen.")
        return empty
    name = sheet.name
    header = sheet.rows[0] if sheet.rows else []
    where: dict[str, int] = {}
    for c, value in enumerate(header, 1):
        for wanted in ins.POPULATION_HEADERS:
            if key(value) == key(wanted) and wanted not in where:
                where[wanted] = c
    missing = [h for h in ins.POPULATION_HEADERS if h not in where and h != "Insats"]
    if missing:
        out.fel(name, "A1", None, "Rubriken " + ", ".join(missing) + " saknas i rad 1. "
                "Populationerna kan inte läsas; använd rubrikerna i mallen.")
        return empty
    group_keys = {key(g.name): g.name for g in ins.GROUPS}
    counted = _respondent_counts(respondents)
    rows = []
    insats_display: dict[tuple[str, str], str] = {}
    for g, ins_name in counted:
        if ins_name is not None:
            insats_display[(g, key(ins_name))] = ins_name
    for r, row in enumerate(sheet.rows[1:], 2):
        if not row or all(is_blank(v) for v in row):
            continue
        width = len(row)

        def at(h: str, row=row, width=width) -> Any:
            c = where.get(h)
            return row[c - 1] if c is not None and c <= width else None

        g_value = at("Respondentgrupp")
        group = group_keys.get(key(g_value))
        if group is None:
            out.varning(name, cell_ref(r, where["Respondentgrupp"]), g_value,
                        "Okänd respondentgrupp; raden räknas inte. Använd gruppnamnen i mallen.")
            continue
        ins_value = at("Insats")
        if too_long(ins_value):
            out.fel(name, cell_ref(r, where["Insats"]), clipped(ins_value),
                    too_long_message("Insatsens namn", ins_value))
            continue
        insats = None if is_blank(ins_value) else insats_display.get(
            (group, key(ins_value)), display(ins_value))
        values: dict[str, int | None] = {}
        ok = True
        for h in ("Målpopulation", "Undersökt population"):
            v = at(h)
            c = where[h]
            if is_blank(v):
                values[h] = None
                continue
            n = whole_number(v)
            if n is None or n < 0:
                out.fel(name, cell_ref(r, c), v, f"{h} ska vara ett heltal 0 eller större.")
                ok = False
                values[h] = None
            else:
                values[h] = n
        mal, und = values["Målpopulation"], values["Undersökt population"]
        if ok and all(v is None for v in values.values()):
            continue  # a template row left empty
        if mal is not None and und is not None and und > mal:
            out.fel(name, cell_ref(r, where["Undersökt population"]), und,
                    f"Undersökt population ({und}) är större än målpopulationen ({mal}).")
        rows.append((group, insats, mal, und, r))
    _check_offered(rows, counted, name, where, out)
    return rows


def _respondent_counts(respondents: dict[str, list]) -> dict[tuple[str, str | None], int]:
    counts: dict[tuple[str, str | None], int] = {}
    for g, insats in zip(respondents["group"], respondents["insats"], strict=True):
        counts[(g, None)] = counts.get((g, None), 0) + 1
        if insats is not None:
            counts[(g, insats)] = counts.get((g, insats), 0) + 1
    return counts


def _check_offered(rows: list[tuple], counted: dict, sheet: str, where: dict[str, int],
                   out: _Collector) -> None:
    """Fewer offered (undersökt) than answered is an error, per row (SPEC §3).

    `rows` are the Populationer rows (group, insats or None, mål, undersökt, sheet row);
    plain Python, not pandas: ~0.4 ms less per workbook.
    """
    col = where["Undersökt population"]
    group_rows = {g for g, insats, _m, _u, _r in rows if insats is None}
    for g, insats, _m, und, r in rows:
        if und is None:
            continue
        answered = counted.get((g, insats), 0)
        if answered > und:
            what = g if insats is None else f"{g}, {insats}"
            out.fel(sheet, cell_ref(r, col), und,
                    f"Undersökt population ({und}) är mindre än antalet svar "
                    f"({answered}) för {what}.")
    for g in dict.fromkeys(g for g, _i, _m, _u, _r in rows if g not in group_rows):
        given = [(und, r) for gg, _i, _m, und, r in rows if gg == g and und is not None]
        if not given:
            continue
        total = sum(und for und, _ in given)
        answered = counted.get((g, None), 0)
        if answered > total:
            out.fel(sheet, cell_ref(given[0][1], col), total,
                    f"Summan av undersökt population för {g} ({total}) är mindre än antalet "
                    f"svar ({answered}).")
