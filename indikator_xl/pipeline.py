"""One path from a registration workbook to its result, for every front end.

`calculate` reads a workbook (a file, a workbook already read, or a parsed registration),
validates it and computes the result with the rikssnitt and the previous period;
`validate` only reads and validates. Both return a result object that owns what a front
end shows — its Swedish messages, its exit code and its sheet model — so the command
line, the Excel buttons and the report draft say the same thing. The national merge has
its own, `national.merge_folder` → `NationalResult`.

Example::

    from indikator_xl.pipeline import calculate

    result = calculate("Registreringsfil_2023.xlsx", previous="Registreringsfil_2022.xlsx")
    result.exit_code        # 0 calculated, 1 cannot be calculated
    result.messages         # the summary lines (or why it cannot be calculated)
    result.analysis.table   # the figures; result.workbook() the result sheets
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import RawWorkbook
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.domain.exit_codes import EXIT_FAIL, EXIT_OK
from indikator_xl.domain.problems import Problem, problem_line
from indikator_xl.figures.suppression import DEFAULT_THRESHOLDS, Thresholds
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.validation.registration import Registration, load_registration, parse_registration

if TYPE_CHECKING:  # validating needs neither pandas nor the statistics
    from indikator_xl.figures.analysis import Analysis
    from indikator_xl.figures.rikssnitt import Rikssnitt

Source = str | Path | RawWorkbook | Registration


def read(source: Source) -> Registration:
    """The validated registration of a workbook file, a read workbook or itself."""
    if isinstance(source, Registration):
        return source
    if isinstance(source, RawWorkbook):
        return parse_registration(source)
    return load_registration(source)


def _name(reg: Registration) -> str:
    return Path(reg.source).name if reg.source else "registreringsfilen"


def problems_line(reg: Registration) -> str:
    return f"{len(reg.errors)} fel och {len(reg.warnings)} varningar i registreringen"


@dataclass
class ValidationResult:
    """What `validera` found: every problem, with where it is."""

    registration: Registration

    @property
    def exit_code(self) -> int:
        return EXIT_FAIL if self.registration.errors else EXIT_OK

    @property
    def messages(self) -> list[str]:
        """The report `indikator-xl validera` prints: a heading, each problem, a total."""
        return list(self.lines())

    def lines(self) -> Iterator[str]:
        """`messages` one line at a time (a million problems need not be held as text)."""
        reg = self.registration
        yield (f"{_name(reg)}: {reg.forbund or '(förbund saknas)'}, mätperiod "
               f"{reg.period or '?'}, {reg.n_respondents} svarande i "
               f"{len(reg.groups_surveyed)} respondentgrupper.")
        if not reg.problems:
            yield "Inga problem hittades."
            return
        yield from map(problem_line, reg.problems)
        yield f"Totalt {len(reg.errors)} fel och {len(reg.warnings)} varningar."

    @property
    def summary(self) -> str:
        """One line for a button's message."""
        reg = self.registration
        return f"{problems_line(reg)}." if reg.problems else "Inga problem hittades."

    def as_json(self) -> list[dict[str, Any]]:
        return [p.as_json() for p in self.registration.problems]

    def workbook(self, *, same_workbook: bool = True) -> sm.Workbook:
        """The Valideringsfel sheet (links to the cells when in the same workbook)."""
        from indikator_xl.sheets.result_sheets import valideringsfel

        return sm.Workbook((valideringsfel(self.registration, same_workbook=same_workbook),))


@dataclass
class ForbundResult(ValidationResult):
    """A förbund's result: the analysis, or None when it cannot be calculated (the
    Förbund sheet lacks the förbund's name or the mätperiod)."""

    analysis: Analysis | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.analysis is not None else EXIT_FAIL

    @property
    def blocking(self) -> list[Problem]:
        """The problems that stop the calculation (on the Förbund sheet)."""
        return [p for p in self.registration.errors if p.sheet == ins.SHEET_FORBUND]

    @property
    def summary(self) -> str:
        reg = self.registration
        if self.analysis is None:
            return "Beräkningen kan inte göras. " + " ".join(p.message for p in self.blocking)
        return (f"{reg.forbund}, mätperiod {reg.period}: {reg.n_respondents} svarande, "
                f"{problems_line(reg)}.")

    @property
    def messages(self) -> list[str]:
        """What `indikator-xl berakna` says: the summary, the rikssnitt and its verdict
        count and every note; or why it cannot be calculated, with the problems."""
        a = self.analysis
        if a is None:
            return [f"{_name(self.registration)}: beräkningen kan inte göras.",
                    *(problem_line(p) for p in self.blocking)]
        return [self.summary, f"Rikssnitt: {a.rikssnitt.source}. {a.count_line}.",
                *(f"Obs: {n}" for n in a.notes)]

    def lines(self) -> Iterator[str]:
        yield from self.messages

    def workbook(self, *, same_workbook: bool = False) -> sm.Workbook:
        """The result sheets, or only Valideringsfel when nothing can be calculated."""
        if self.analysis is None:
            return super().workbook(same_workbook=same_workbook)
        from indikator_xl.sheets.result_sheets import result_workbook

        return result_workbook(self.analysis, same_workbook=same_workbook)

    def long_table(self) -> tuple[tuple[str, ...], list[list[Any]]]:
        """The long table of docs/kontrakt.md: its columns and rows."""
        from indikator_xl.output import export

        a = self._calculated()
        return (export.long_columns(a.has_previous),
                export.long_table(a.table, a.forbund, a.period, a.has_previous))

    def rate_table(self) -> tuple[tuple[str, ...], list[list[Any]]]:
        """The response-rate table of docs/kontrakt.md: its columns and rows."""
        from indikator_xl.output import export

        return export.RATE_COLUMNS, export.rate_rows(self._calculated().response_rates)

    def _calculated(self) -> Analysis:
        if self.analysis is None:
            raise ValueError("the registration cannot be calculated")
        return self.analysis


def validate(source: Source) -> ValidationResult:
    """Read and validate a registration workbook (WorkbookReadError if unreadable)."""
    reg = read(source)
    _not_an_output(reg, source, "")
    return ValidationResult(reg)


def _not_an_output(reg: Registration, source: Source, option: str) -> None:
    """WorkbookReadError when what was read is one of our own outputs, not a registration
    (a result, national result or rikssnitt workbook has no Förbund sheet or groups)."""
    if reg.can_calculate or reg.groups_surveyed or not isinstance(source, str | Path):
        return
    from indikator_xl.validation.intake import output_kind

    kind = output_kind(Path(source))
    if kind:
        name = f"{option} {Path(source).name}" if option else Path(source).name
        raise WorkbookReadError(f"{name} är {kind}, ingen registreringsfil.")


def _previous_period(reg: Registration, earlier: Registration, source: Source) -> None:
    """WorkbookReadError unless `earlier` is a registration of a period before `reg`'s."""
    _not_an_output(earlier, source, "Förra periodens fil")
    name = f"Förra periodens fil {Path(source).name}" if isinstance(source, str | Path) \
        else "Förra periodens registrering"
    if not earlier.can_calculate:
        raise WorkbookReadError(f"{name} saknar förbund eller mätperiod på bladet Förbund; "
                                "förra periodens registreringsfil behövs.")
    if reg.period is not None and earlier.period is not None and earlier.period >= reg.period:
        raise WorkbookReadError(f"{name} gäller mätperiod {earlier.period}, men jämförelsen "
                                f"behöver en registreringsfil från före {reg.period}.")


def calculate(source: Source, *, rikssnitt: Rikssnitt | str | Path | None = None,
              previous: Source | None = None,
              thresholds: Thresholds = DEFAULT_THRESHOLDS) -> ForbundResult:
    """Read, validate and calculate a förbund's result.

    rikssnitt: the national figures to compare with (a rikssnitt workbook's path, or
    read already); None: the published figures for the period. previous: last period's
    registration workbook. Raises WorkbookReadError (Swedish) when a file cannot be read.
    """
    from indikator_xl.figures.analysis import analyse
    from indikator_xl.figures.rikssnitt import read_workbook_file

    reg = read(source)
    _not_an_output(reg, source, "")
    if not reg.can_calculate:
        return ForbundResult(reg)
    if isinstance(rikssnitt, str | Path):
        rikssnitt = read_workbook_file(rikssnitt)
    earlier = None
    if previous is not None:
        earlier = read(previous)
        _previous_period(reg, earlier, previous)
    return ForbundResult(reg, analyse(reg, rikssnitt=rikssnitt, previous=earlier,
                                      thresholds=thresholds))
