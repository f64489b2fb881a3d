"""Intake of submitted registration workbooks for the national merge (SPEC §5).

Every .xlsx/.xlsm in a folder is read and validated on its own; a file that cannot be
read, cannot be calculated, belongs to another mätperiod or was replaced by a later
submission from the same förbund is excluded with a Swedish reason, never stopping the
merge. `Submission` keeps only what the merge needs (answers, respondents, populations,
problem counts), so it is cheap to send between processes.
"""

from __future__ import annotations

import math
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.domain.text import key
from indikator_xl.reader import sheet_names
from indikator_xl.validation.registration import load_registration

EXTENSIONS = (".xlsx", ".xlsm")
# Parallel reading pays off from about this many files (fork start ~20 ms per worker).
PARALLEL_FROM = 24

Progress = Callable[[int, int, str], None]


@dataclass
class Submission:
    """One submitted file: what was read, and whether and why it is in the merge."""

    path: Path
    forbund: str | None = None
    period: int | None = None
    routine: str | None = None
    modified: datetime | None = None
    mtime: datetime | None = None
    # The answers, compactly (sent back from worker processes as arrays): per answer its
    # respondent, question and code; per respondent the group, kon and anställning.
    answer_index: dict[str, np.ndarray] | None = None
    respondent_values: dict[str, list] | None = None
    respondents: dict[str, int] = field(default_factory=dict)
    women_men: dict[str, tuple[int, int]] = field(default_factory=dict)
    populations: dict[str, tuple[float, float]] = field(default_factory=dict)
    n_errors: int = 0
    n_warnings: int = 0
    read_error: str | None = None
    other_kind: str | None = None  # a national result or rikssnitt file, not a submission
    included: bool = False
    reason: str = ""
    replaces: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def answers(self) -> pd.DataFrame:
        """This submission's answers as a table (the merge builds one for all files)."""
        return answers_frame([self])

    @property
    def readable(self) -> bool:
        return self.read_error is None

    @property
    def can_calculate(self) -> bool:
        return self.readable and self.forbund is not None and self.period is not None

    def answers_per_group(self) -> dict[str, int]:
        """Respondents (questionnaires with ≥ 1 valid answer) per group, zeros included."""
        return {g.name: self.respondents.get(g.name, 0) for g in ins.GROUPS}

    @property
    def total_answers(self) -> int:
        return sum(self.respondents.values())


def list_workbooks(folder: str | Path) -> list[Path]:
    """The .xlsx/.xlsm entries of `folder` (not its subfolders' content), by name.

    Excel's lock files (`~$Bok.xlsx`) and hidden files (`.Bok.xlsx`) are skipped: they are
    not submissions.
    """
    folder = Path(folder)
    # Not only regular files: a folder, FIFO or broken link named like a workbook is read
    # (and refused with its reason), so that no entry vanishes from the merge unnamed.
    files = [p for p in folder.iterdir()
             if p.suffix.lower() in EXTENSIONS and not p.name.startswith(("~$", "."))]
    return sorted(files, key=lambda p: p.name.casefold())


def _file_time(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except OSError:
        return None


def read_submission(path: str | Path) -> Submission:
    """Read and validate one file; never raises for a bad file (the reason is kept)."""
    path = Path(path)
    sub = Submission(path=path, mtime=_file_time(path))
    try:
        reg = load_registration(path)
    except WorkbookReadError as exc:
        sub.read_error = str(exc)
        return sub
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the merge
        sub.read_error = (f"Filen kunde inte läsas (internt fel: {type(exc).__name__}). "
                          "Rapportera gärna filen till NNS.")
        return sub
    sub.forbund, sub.period, sub.routine = reg.forbund, reg.period, reg.routine
    sub.modified = reg.modified
    if not reg.can_calculate and not reg.groups_surveyed:
        sub.other_kind = output_kind(path)
    sub.answer_index = {c: reg.answer_index[c] for c in ("respondent", "question", "code")}
    sub.respondent_values = {c: reg.respondent_columns[c] for c in _RESPONDENT_VALUES}
    pairs = Counter(zip(reg.respondent_columns["group"], reg.respondent_columns["kon"],
                        strict=True))
    for (g, _kon), n in pairs.items():
        sub.respondents[g] = sub.respondents.get(g, 0) + n
    for g in ins.GROUPS:
        if g.is_participant:
            sub.women_men[g.name] = (pairs[(g.name, ins.KVINNOR)], pairs[(g.name, ins.MAN)])
    sub.populations = group_populations(reg.population_rows)
    sub.n_errors, sub.n_warnings = len(reg.errors), len(reg.warnings)
    return sub


NATIONAL_COLUMNS = ("group", "question", "code", "kon", "anstallning")
_RESPONDENT_VALUES = ("group", "kon", "anstallning")


def answers_frame(subs: list[Submission]) -> pd.DataFrame:
    """One answer table (NATIONAL_COLUMNS) for many submissions, with each submission's
    routine for the pågående survey in `rutin` (None if not given). Built once: the
    submissions' arrays joined, and each respondent's values spread onto its answers."""
    index: list[np.ndarray] = []
    questions: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    per_respondent: dict[str, list] = {c: [] for c in (*_RESPONDENT_VALUES, "rutin")}
    for s in subs:
        if s.answer_index is None or s.respondent_values is None:
            continue
        index.append(s.answer_index["respondent"] + len(per_respondent["group"]))
        questions.append(s.answer_index["question"])
        codes.append(s.answer_index["code"])
        for c in _RESPONDENT_VALUES:
            per_respondent[c].extend(s.respondent_values[c])
        per_respondent["rutin"].extend([s.routine] * len(s.respondent_values["group"]))
    respondent = np.concatenate(index) if index else np.zeros(0, dtype=np.int64)
    columns: dict[str, Any] = {
        c: np.array(per_respondent[c], dtype=object)[respondent].tolist()
        for c in (*_RESPONDENT_VALUES, "rutin")}
    columns["question"] = np.concatenate(questions) if questions else np.zeros(0, np.int64)
    columns["code"] = np.concatenate(codes) if codes else np.zeros(0, np.int64)
    return pd.DataFrame({c: columns[c] for c in (*NATIONAL_COLUMNS, "rutin")})


def group_populations(pops: list[tuple]) -> dict[str, tuple[float, float]]:
    """(målpopulation, undersökt population) per group from Registration.population_rows:
    the group's own row, else the sum of its insats rows (NaN where not given) — the rule
    of analysis.response_rates."""
    rows: dict[str, list[tuple[bool, float, float]]] = {}
    for g, insats, mal, und, _row in pops:
        rows.setdefault(g, []).append((_missing(insats), _number(mal), _number(und)))
    out = {}
    for g, items in rows.items():
        head = [(m, u) for is_group, m, u in items if is_group]
        if head:
            out[g] = head[0]
        else:
            out[g] = (_total([m for _, m, _ in items]), _total([u for _, _, u in items]))
    return out


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def _number(v: object) -> float:
    return math.nan if _missing(v) else float(v)  # type: ignore[arg-type]


def _total(values: list[float]) -> float:
    given = [v for v in values if not math.isnan(v)]
    return float(sum(given)) if given else math.nan


# Sheets that mark the tool's own outputs, which are no registration workbooks.
_OUTPUT_SHEETS = {"nns_antal": "ett nationellt resultat", "rikssnitt": "en rikssnittsfil",
                  "resultat": "ett förbundsresultat från indikator-xl berakna"}


def output_kind(path: Path) -> str | None:
    """What the file is when it is one of our outputs ('ett nationellt resultat', 'en
    rikssnittsfil', a förbund's result workbook); None for anything else."""
    try:
        names = {key(n) for n in sheet_names(path)}
    except WorkbookReadError:
        return None
    return next((what for sheet, what in _OUTPUT_SHEETS.items() if sheet in names), None)


def _worker_count(n_files: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    # fork only on Linux: Windows has none, and on macOS it is unsafe inside apps (Excel).
    if (n_files < PARALLEL_FROM or not sys.platform.startswith("linux")
            or "fork" not in get_all_start_methods()):
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def read_all(paths: Sequence[Path], progress: Progress | None = None,
             workers: int | None = None) -> list[Submission]:
    """Read every file, in parallel processes where fork is available and it pays off.

    `progress(done, total, file name)` is called after each file. Off Linux (Windows,
    macOS, inside Excel) or for few files the files are read one by one in this process.
    """
    total = len(paths)
    n_workers = _worker_count(total, workers)
    out: list[Submission] = []
    if n_workers == 1:
        for i, p in enumerate(paths, 1):
            out.append(read_submission(p))
            if progress:
                progress(i, total, p.name)
        return out
    chunk = max(1, total // (n_workers * 4))
    with ProcessPoolExecutor(n_workers, mp_context=get_context("fork")) as pool:
        for i, sub in enumerate(pool.map(read_submission, paths, chunksize=chunk), 1):
            out.append(sub)
            if progress:
                progress(i, total, sub.name)
    return out


def choose_period(subs: Sequence[Submission], period: int | None = None) -> int | None:
    """The merge's mätperiod: `period` if given, else the most common period among the
    files that can be calculated (a tie goes to the later year); None if there is none."""
    if period is not None:
        return period
    counts = Counter(s.period for s in subs if s.can_calculate)
    if not counts:
        return None
    return max(counts, key=lambda p: (counts[p], p))


def _saved_time(sub: Submission) -> tuple:
    """Sort key for "later": dcterms:modified, then file time, then file name.

    A file without dcterms:modified counts as older than one with it; naive times are
    read as UTC.
    """
    def aware(t: datetime | None) -> datetime:
        if t is None:
            return datetime.min.replace(tzinfo=UTC)
        return t if t.tzinfo else t.replace(tzinfo=UTC)
    return (aware(sub.modified), aware(sub.mtime), sub.name.casefold())


def select(subs: Sequence[Submission], period: int | None) -> None:
    """Decide `included` and `reason` for every submission (in place)."""
    candidates: dict[str, list[Submission]] = {}
    for s in subs:
        s.included, s.replaces = False, []
        if not s.readable:
            s.reason = f"Ingår inte: filen kan inte läsas. {s.read_error}"
        elif s.other_kind:
            s.reason = f"Ingår inte: filen är {s.other_kind}, ingen registreringsfil."
        elif not s.can_calculate:
            s.reason = ("Ingår inte: förbundets namn eller mätperiod saknas på bladet Förbund, "
                        "så filen kan inte beräknas.")
        elif s.period != period:
            s.reason = f"Ingår inte: mätperiod {s.period}, sammanställningen gäller {period}."
        elif s.total_answers == 0:
            s.reason = "Ingår inte: filen har inga giltiga svar."
        else:
            candidates.setdefault(key(s.forbund), []).append(s)
    for group in candidates.values():
        group.sort(key=_saved_time)
        winner = group[-1]
        winner.included = True
        winner.replaces = [s.name for s in group[:-1]]
        winner.reason = "Ingår." if not winner.replaces else (
            "Ingår. Ersätter en tidigare inlämning från samma förbund: "
            + ", ".join(winner.replaces) + ".")
        for s in group[:-1]:
            s.reason = (f"Ingår inte: {winner.name} är en senare inlämning från samma förbund "
                        "för samma mätperiod och räknas i stället.")
