"""The national merge (SPEC §5): all submitted workbooks in, the report's tables out.

`merge_folder` reads a folder of registration workbooks (intake.py), keeps one file per
förbund for the chosen mätperiod and computes everything the national report shows:
Tabell 1, 3, 4–5, 6 (with the routine comparison), N.1 (`table`), N.2 (`history`),
Tabell 22 (`surveys`), Bilaga 1 and 2, and the rikssnitt. It writes nothing; the result
sheets (national_sheets.py) and the CLI render a `NationalResult`.

Anonymity: only answer codes, kön and anställning leave a submission (no Löpnummer, no
insats or samverkansgrupp names, no problem texts), and per-förbund tables hold counts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.exit_codes import EXIT_EXCLUDED, EXIT_NOTHING, EXIT_OK
from indikator_xl.domain.text import sort_key
from indikator_xl.figures import national_counts as counts
from indikator_xl.figures.national_counts import REPORT_GROUPS
from indikator_xl.figures.national_history import (
    COMPUTED,
    History,
    combine,
    counts_from_table,
    published_history,
    read_previous,
)
from indikator_xl.figures.rikssnitt import KEYS, PREVIOUS_COLUMN, SHARE_COLUMNS, Rikssnitt
from indikator_xl.figures.stats import (
    NATIONAL_DIMENSIONS,
    add_previous,
    measure_table,
    pair_comparison,
)
from indikator_xl.figures.suppression import DEFAULT_THRESHOLDS, Thresholds
from indikator_xl.validation.intake import (
    Progress,
    Submission,
    answers_frame,
    choose_period,
    list_workbooks,
    read_all,
    select,
)

RIKET = "Riket"
ROUTINE_A, ROUTINE_B = ins.ROUTINES[0], ins.ROUTINES[1]


@dataclass
class NationalResult:
    """Everything the national result workbook and the rikssnitt show for one period."""

    period: int | None
    submissions: list[Submission]
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    previous_period: int | None = None
    history: History | None = None
    answers_by_group: pd.DataFrame = field(default_factory=pd.DataFrame)
    response_rates: pd.DataFrame = field(default_factory=pd.DataFrame)
    gender_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    routine_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    routine_comparison: pd.DataFrame = field(default_factory=pd.DataFrame)
    bilaga1: pd.DataFrame = field(default_factory=pd.DataFrame)
    bilaga2: pd.DataFrame = field(default_factory=pd.DataFrame)
    surveys: pd.DataFrame = field(default_factory=pd.DataFrame)
    rikssnitt: Rikssnitt | None = None
    notes: list[str] = field(default_factory=list)
    thresholds: Thresholds = DEFAULT_THRESHOLDS

    @property
    def included(self) -> list[Submission]:
        return [s for s in self.submissions if s.included]

    @property
    def excluded(self) -> list[Submission]:
        return [s for s in self.submissions if not s.included]

    @property
    def merged(self) -> bool:
        return bool(self.included)

    @property
    def has_previous(self) -> bool:
        return self.previous_period is not None

    @property
    def total_answers(self) -> int:
        return sum(s.total_answers for s in self.included)

    @property
    def surveys_total(self) -> int:
        """Tabell 22's Totalt: questionnaires collected over all its periods."""
        return int(self.surveys["enkater"].astype(float).sum())

    @property
    def bilaga1_totals(self) -> dict[str, int]:
        """Bilaga 1's Totalt row: questionnaires per group over the included förbund."""
        return {g: int(self.bilaga1[g].sum()) for g in REPORT_GROUPS}

    @property
    def merged_period(self) -> int:
        """The mätperiod of a merge that was made."""
        if self.period is None or not self.merged:
            raise ValueError("nothing was merged")
        return self.period

    @property
    def merged_history(self) -> History:
        """Earlier periods and this one, of a merge that was made."""
        if self.history is None:
            raise ValueError("nothing was merged")
        return self.history

    @property
    def exit_code(self) -> int:
        """0: every file included, 1: a file excluded, 2: nothing could be merged."""
        if not self.merged:
            return EXIT_NOTHING
        return EXIT_EXCLUDED if self.excluded else EXIT_OK

    def summary_line(self) -> str:
        """The closing line in Swedish."""
        n_files = len(self.submissions)
        if not self.merged:
            return (f"Ingenting kunde sammanställas: ingen av {n_files} filer kunde ingå"
                    + (f" för mätperiod {self.period}." if self.period else "."))
        line = (f"Sammanställning {self.period}: {len(self.included)} av {n_files} filer ingår "
                f"({len(self.included)} förbund, {thousands(self.total_answers)} enkätsvar).")
        if self.excluded:
            line += (f" {len(self.excluded)} {'fil' if len(self.excluded) == 1 else 'filer'} "
                     "ingår inte – se bladet Inlämningar.")
        return line


def thousands(n: int) -> str:
    """2926 → '2 926' (the report's digit grouping)."""
    return f"{n:,}".replace(",", " ")


def merge_folder(folder: str | Path, previous: str | Path | History | None = None, *,
                 period: int | None = None, forbund_nationellt: int | None = None,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS, progress: Progress | None = None,
                 workers: int | None = None,
                 exclude: Iterable[str | Path] = ()) -> NationalResult:
    """Read every workbook of `folder` and merge them (pure: writes nothing).

    `previous`: last period's national result workbook (or its History); without it the
    shipped published figures provide earlier periods. `period`: the mätperiod to merge
    (default: the most common among the readable files, a tie going to the later year).
    `forbund_nationellt`: the number of förbund in Sweden this period (Tabell 22).
    `exclude`: files not to read even if they lie in the folder (the command's outputs).
    Raises FileNotFoundError/NotADirectoryError for a missing folder and
    WorkbookReadError when `previous` is not a national result.
    """
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(2, "mappen finns inte", str(folder))
    if not folder.is_dir():
        raise NotADirectoryError(20, "är ingen mapp", str(folder))
    prev = read_previous(previous) if isinstance(previous, str | Path) else previous
    # realpath, unlike Path.resolve, does not raise on a link that loops
    skip = {os.path.realpath(p) for p in exclude}
    paths = [p for p in list_workbooks(folder) if os.path.realpath(p) not in skip]
    subs = read_all(paths, progress=progress, workers=workers)
    return merge_submissions(subs, prev, period=period, forbund_nationellt=forbund_nationellt,
                             thresholds=thresholds)


def merge_submissions(subs: Sequence[Submission], previous: History | None = None, *,
                      period: int | None = None, forbund_nationellt: int | None = None,
                      thresholds: Thresholds = DEFAULT_THRESHOLDS) -> NationalResult:
    """Merge already-read submissions (see merge_folder)."""
    subs = list(subs)
    chosen = choose_period(subs, period)
    select(subs, chosen)
    result = NationalResult(chosen, subs, thresholds=thresholds)
    if chosen is None or not result.merged:
        return result
    included = sorted(result.included, key=lambda s: sort_key(s.forbund or ""))
    answers = answers_frame(included)
    table = measure_table(answers, NATIONAL_DIMENSIONS, thresholds)

    history = combine(published_history(), previous) if previous is not None \
        else published_history()
    prev_period = _previous_period(history, chosen, previous is not None, result.notes)
    earlier = None if prev_period is None else history.table_for(prev_period)
    if earlier is not None:
        table = add_previous(table, _usable(earlier), thresholds)
    result.table, result.previous_period = table, prev_period

    result.answers_by_group = counts.answers_by_group(included)
    result.bilaga1 = counts.bilaga1(included, history.forbund_in(chosen - 1))
    result.bilaga2 = counts.bilaga2(included)
    result.response_rates = counts.national_rates(result.bilaga2, result.answers_by_group)
    result.gender_counts = counts.gender_counts(included)
    result.routine_counts = counts.routine_counts(included)
    result.routine_comparison = _routine_comparison(answers, thresholds)

    total = int(result.answers_by_group["svar"].iloc[-1])
    known = history.surveys.loc[history.surveys["matperiod"] == chosen, "forbund_nationellt"]
    if forbund_nationellt is None and len(known) and not pd.isna(known.iloc[0]):
        forbund_nationellt = int(known.iloc[0])
    if forbund_nationellt is None:
        result.notes.append(f"Antalet samordningsförbund i landet {chosen} är inte känt "
                            "(ange --antal-forbund); andelen deltagande förbund visas inte.")
    this = History(
        counts_from_table(table, chosen),
        pd.DataFrame([[chosen, total, len(included), forbund_nationellt]],
                     columns=history.surveys.columns).astype("Int64"),
        pd.DataFrame({"matperiod": chosen, "forbund": [s.forbund for s in included]}),
        f"Sammanställning {chosen}")
    result.history = combine(history, this)
    result.surveys = _surveys(result.history.surveys)
    with_previous = prev_period is not None
    result.rikssnitt = Rikssnitt(
        chosen, f"NNS nationell sammanställning {chosen} (indikator-xl, "
                f"{len(included)} förbund)",
        table[[*KEYS, "n", *SHARE_COLUMNS,
               *([PREVIOUS_COLUMN] if with_previous else [])]].copy(),
        previous_period=prev_period)
    return result


def _previous_period(history: History, period: int, explicit: bool,
                     notes: list[str]) -> int | None:
    if explicit and history.source and not [
            p for p in _own_periods(history) if p < period]:
        notes.append(f"Det föregående nationella resultatet har inga sammanställda siffror "
                     f"från före {period}; de publicerade siffrorna används.")
    earlier = [p for p in history.periods if p < period]
    if not earlier:
        notes.append(f"Det finns inga siffror för perioden före {period}; årsjämförelsen "
                     "görs inte. Ange förra årets nationella resultat med --foregaende.")
        return None
    latest = max(earlier)
    if latest != period - 1:
        if not explicit:
            notes.append(f"Siffror för {period - 1} saknas; årsjämförelsen görs inte. Ange "
                         f"förra årets nationella resultat med --foregaende.")
            return None
        notes.append(f"Föregående nationella resultat gäller {latest}, inte {period - 1}; "
                     f"årsjämförelsen görs mot {latest}.")
    return latest


def _own_periods(history: History) -> list[int]:
    own = history.counts[history.counts["kalla"] == COMPUTED]
    return sorted(int(p) for p in own["matperiod"].unique())


def _usable(prev: pd.DataFrame) -> pd.DataFrame:
    """A previous period's counts as add_previous needs them (no count → hidden)."""
    prev = prev.copy()
    missing = prev["n_nyckeltal"].isna()
    prev.loc[missing, "dold"] = 1
    prev["n_nyckeltal"] = prev["n_nyckeltal"].fillna(0).astype(int)
    prev["n"] = prev["n"].astype(int)
    return prev


def _routine_comparison(answers: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """Deltagare pågående per measure: Begränsad period vs Kontinuerligt, with stars."""
    pagaende = answers[answers["group"] == ins.DELTAGARE_PAGAENDE]
    return pair_comparison(pagaende, "rutin", ROUTINE_A, ROUTINE_B, thresholds)


def _surveys(surveys: pd.DataFrame) -> pd.DataFrame:
    """Tabell 22: surveys and förbund per period, with average and share taking part."""
    s = surveys.copy()
    s["matperiod"] = s["matperiod"].astype(int)
    s = s.sort_values("matperiod").reset_index(drop=True)
    enk = s["enkater"].astype(float)
    frb = s["forbund"].astype(float)
    nat = s["forbund_nationellt"].astype(float)
    s["per_forbund"] = enk / frb.where(frb > 0)
    s["andel_deltagande"] = frb / nat.where(nat > 0)
    return s
