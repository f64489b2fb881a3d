"""The Excel buttons (RunPython entry points): Beräkna, Validera, Rapport, Sammanställ,
Diagnos.

Each button function takes the calling workbook with `xw.Book.caller()` *inside* the
function and hands it to a `*_bok(book)` function that works on any xlwings Book, so
the same code runs under RunPython and headless (remote engine, tests). The workbook is
read with one bulk read per registration sheet (`live_reader`) and goes through the same
`parse_registration` as a file; results are drawn by `render_xlwings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any

import xlwings as xw

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.errors import IndikatorError, WorkbookReadError
from indikator_xl.domain.text import is_blank
from indikator_xl.figures.rikssnitt import Rikssnitt
from indikator_xl.reader.live import read_book
from indikator_xl.render.sheet_ownership import ForeignSheetError
from indikator_xl.render.to_xlwings import RenderReport, render
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.validation.registration import Registration

NAME_FOLDER = "Inlamningsmapp"
NAME_PREVIOUS = "Foregaende_resultat"
NAME_RIKSSNITT_OUT = "Rikssnitt_ut"
TITLE = "indikator-xl"
DIAGNOS_SHEET = "Diagnos"


@dataclass
class Outcome:
    """What a button did: the Swedish message shown, and the sheets written."""

    ok: bool
    message: str
    report: RenderReport = field(default_factory=RenderReport)


def berakna() -> None:
    """Button Beräkna."""
    berakna_bok(xw.Book.caller())


def validera() -> None:
    """Button Validera."""
    validera_bok(xw.Book.caller())


def diagnos() -> None:
    """Button Diagnos."""
    diagnos_bok(xw.Book.caller())


def rapport() -> None:
    """Button Rapport: the report draft (.docx) next to the workbook."""
    rapport_bok(xw.Book.caller())


def sammanstall() -> None:
    """Button Sammanställ (NNS): the national merge into the open NNS workbook."""
    sammanstall_bok(xw.Book.caller())


def _tell(book: Any, outcome: Outcome, alert: bool) -> Outcome:
    if alert:
        book.app.alert(outcome.message, title=TITLE, mode="info" if outcome.ok else
                       "critical")
    return outcome


def _draw(book: Any, model: sm.Workbook, tool_names: tuple[str, ...]) -> RenderReport:
    return render(book, model, tool_names)


def _left_out_line(report: RenderReport) -> str:
    if not report.left_out:
        return ""
    return " Vissa delar kunde inte visas i den här Excel-miljön; se längst ned på bladen."


# --------------------------------------------------------------- settings in Förbund

def _book_folder(book: Any) -> Path | None:
    full = str(getattr(book, "fullname", "") or "")
    if "://" in full:
        return None
    for flavour in (Path, PureWindowsPath):
        p = flavour(full)
        if p.is_absolute():
            return Path(str(p.parent))
    return None


def resolve_path(book: Any, value: Any) -> Path:
    """A path from the workbook: absolute, or relative to the workbook's folder."""
    text = str(value).strip().strip('"')
    path = Path(text).expanduser()
    if path.is_absolute() or PureWindowsPath(text).is_absolute():
        return path
    folder = _book_folder(book)
    if folder is None:
        raise WorkbookReadError(f"Sökvägen {text} är relativ men arbetsbokens mapp är okänd; "
                                "skriv hela sökvägen.")
    return folder / path


def comparisons(book: Any, reg: Registration
                ) -> tuple[Rikssnitt | Path | None, Path | None]:
    """The rikssnitt and previous registration Beräkna compares with (None = default):
    the Förbund sheet's `Rikssnittsfil` / `Föregående fil` (as paths), else the configured
    rikssnitt. Raises WorkbookReadError (Swedish) when the configured one cannot be read."""
    from indikator_xl.user_config import configured_rikssnitt_path, load_rikssnitt

    rikssnitt: Rikssnitt | Path | None = None
    value = reg.settings.get(ins.KEY_RIKSSNITT_FILE)
    if value is not None:
        rikssnitt = resolve_path(book, value)
    elif (configured := configured_rikssnitt_path()) is not None:
        try:
            rikssnitt = load_rikssnitt(configured)
        except OSError as exc:
            raise WorkbookReadError(f"Rikssnittsfilen {configured} kan inte läsas: "
                                    f"{exc.strerror or exc}.") from None
    value = reg.settings.get(ins.KEY_PREVIOUS_FILE)
    return rikssnitt, None if value is None else resolve_path(book, value)


def _sheets_line(report: RenderReport, hidden: set[str]) -> str:
    shown = [s for s in report.sheets if s not in hidden]
    return ("Bladen " if len(shown) > 1 else "Bladet ") + ", ".join(shown) + " har skrivits."


def berakna_bok(book: Any, alert: bool = True) -> Outcome:
    """Beräkna in `book`: validate, calculate and replace the result sheets."""
    from indikator_xl.pipeline import calculate, read
    from indikator_xl.sheets.result_sheets import SHEET_NAMES, VALIDERINGSFEL

    try:
        reg = read(read_book(book))
        rikssnitt, previous = comparisons(book, reg) if reg.can_calculate else (None, None)
        result = calculate(reg, rikssnitt=rikssnitt, previous=previous)
        model = result.workbook(same_workbook=True)
        report = _draw(book, model, SHEET_NAMES)
    except (ForeignSheetError, WorkbookReadError) as exc:
        return _tell(book, Outcome(False, str(exc)), alert)
    if result.analysis is None:
        return _tell(book, Outcome(False, f"{result.summary} Alla problem finns på bladet "
                                   f"{VALIDERINGSFEL}.", report), alert)
    hidden = {s.name for s in model.sheets if s.hidden}
    message = (f"{result.summary} {result.analysis.count_line}. "
               f"{_sheets_line(report, hidden)}{_left_out_line(report)}")
    return _tell(book, Outcome(True, message, report), alert)


def validera_bok(book: Any, alert: bool = True) -> Outcome:
    """Validera in `book`: list every problem on the Valideringsfel sheet (with links)."""
    from indikator_xl.pipeline import validate
    from indikator_xl.sheets.result_sheets import VALIDERINGSFEL

    try:
        result = validate(read_book(book))
        report = _draw(book, result.workbook(same_workbook=True), (VALIDERINGSFEL,))
    except ForeignSheetError as exc:
        return _tell(book, Outcome(False, str(exc)), alert)
    message = f"{result.summary} Se bladet {VALIDERINGSFEL}."
    return _tell(book, Outcome(result.exit_code == 0, message, report), alert)


# --------------------------------------------------------------- Diagnos

def _local_path(book: Any) -> Path | None:
    full = str(getattr(book, "fullname", "") or "")
    if "://" in full or not full:
        return None
    path = Path(full)
    return path if path.exists() else None


def _excel_check(book: Any):
    from indikator_xl.diagnos import INFO, Check

    engine = book.app.engine.name
    if engine == "remote":
        where = f"fjärrklient ({book.api.get('client')})"
    else:
        try:
            where = f"Excel {book.app.version}"
        except Exception:  # noqa: BLE001 - only informative
            where = "Excel"
    return Check(INFO, "Excel", f"{where}, arbetsbok {book.name}.")


_STATUS = {"ok": ("OK", frozenset()), "info": ("Info", frozenset()),
           "varning": ("Varning", frozenset({"varning"})), "fel": ("Fel", frozenset({"fel"}))}


def diagnos_workbook(checks: list) -> sm.Workbook:
    """The Diagnos sheet: one row per check, then the known fixes."""
    from indikator_xl.diagnos import KNOWN_FIXES

    rows = tuple(sm.Row((sm.Value(_STATUS[c.status][0], emphasis=_STATUS[c.status][1]),
                         sm.Value(c.subject), sm.Value(c.text))) for c in checks)
    fixes = tuple(sm.Row((sm.Value(s), sm.Value(f))) for s, f in KNOWN_FIXES)
    n_fel = sum(c.status == "fel" for c in checks)
    n_var = sum(c.status == "varning" for c in checks)
    sheet = sm.Sheet(DIAGNOS_SHEET, (
        sm.Text("Diagnos – kopplingen mellan Excel och Python", "title"),
        sm.Text(f"{n_fel} fel och {n_var} varningar.", "heading"),
        sm.Table("kontroller", (sm.Column("Status", width=9), sm.Column("Kontroll", width=14),
                                sm.Column("Resultat", width=100, wrap=True)), rows,
                 title="Kontroller"),
        sm.Table("losningar", (sm.Column("Problem", width=45, wrap=True),
                               sm.Column("Lösning", width=100, wrap=True)), fixes,
                 title="Kända problem och lösningar",
                 notes=("Samma rapport i Kommandotolken: indikator-xl diagnos",)),
    ), freeze_heading=False)
    return sm.Workbook((sheet,))


def diagnos_bok(book: Any, alert: bool = True) -> Outcome:
    """Diagnos in `book`: versions, add-in, the workbook's VBA, known fixes."""
    from indikator_xl.diagnos import FEL, run_checks

    checks = [_excel_check(book), *run_checks(_local_path(book))]
    try:
        report = _draw(book, diagnos_workbook(checks), (DIAGNOS_SHEET,))
    except ForeignSheetError as exc:
        return _tell(book, Outcome(False, str(exc)), alert)
    errors = sum(c.status == FEL for c in checks)
    message = (f"Diagnos: {errors} fel. " if errors else "Diagnos: inga fel. ") + \
        f"Se bladet {DIAGNOS_SHEET}."
    return _tell(book, Outcome(not errors, message, report), alert)


# --------------------------------------------------------------- Sammanställ (NNS)

def named_value(book: Any, name: str) -> Any:
    """The value of the cell a workbook-level defined name points at, or None."""
    try:
        value = book.names[name].refers_to_range.value
    except Exception:  # noqa: BLE001 - a missing or non-range name reads as not set
        return None
    return None if is_blank(value) else value


def _national_tool_names(model: sm.Workbook) -> tuple[str, ...]:
    from indikator_xl.sheets.national_sheets import sheet_names

    return tuple(dict.fromkeys([*(s.name for s in model.sheets), *sheet_names()]))


def sammanstall_bok(book: Any, alert: bool = True) -> Outcome:
    """Merge the folder named by the cell `Inlamningsmapp` into `book` (NNS).

    Optional cells: `Foregaende_resultat` (last period's national result workbook) and
    `Rikssnitt_ut` (where to write the rikssnitt workbook for the förbund).
    """
    from indikator_xl.figures.national import merge_folder
    from indikator_xl.render.to_xlsxwriter import render as render_file
    from indikator_xl.sheets.national_sheets import national_workbook
    from indikator_xl.sheets.rikssnitt_sheets import rikssnitt_workbook

    folder = named_value(book, NAME_FOLDER)
    if folder is None:
        return _tell(book, Outcome(False, "Skriv sökvägen till mappen med "
                                   "registreringsfilerna i en cell och ge cellen namnet "
                                   f"{NAME_FOLDER} (Formler → Definiera namn)."), alert)
    try:
        previous = named_value(book, NAME_PREVIOUS)
        result = merge_folder(resolve_path(book, folder),
                              None if previous is None else resolve_path(book, previous))
        if not result.merged:
            return _tell(book, Outcome(False, result.summary_line()), alert)
        model = national_workbook(result)
        report = _draw(book, model, _national_tool_names(model))
        out = named_value(book, NAME_RIKSSNITT_OUT)
        written = ""
        if out is not None and result.rikssnitt is not None:
            target = resolve_path(book, out)
            render_file(rikssnitt_workbook(result.rikssnitt), target)
            written = f" Rikssnittet skrevs till {target}."
    except (ForeignSheetError, WorkbookReadError) as exc:
        return _tell(book, Outcome(False, str(exc)), alert)
    except OSError as exc:
        where = exc.filename or folder
        return _tell(book, Outcome(False, f"{where}: {exc.strerror or exc}."), alert)
    hidden = {s.name for s in model.sheets if s.hidden}
    message = (f"{result.summary_line()} {_sheets_line(report, hidden)}{written}"
               f"{_left_out_line(report)}")
    return _tell(book, Outcome(result.exit_code == 0, message, report), alert)


# --------------------------------------------------------------- Rapport

NOT_SAVED = ("Arbetsboken är inte sparad i en mapp på den här datorn. Spara den först; "
             "rapporten skrivs bredvid arbetsboken.")
NATIONAL_WITHOUT_FOLDER = (
    "Det här är ett nationellt resultat. Rapporten skrivs från registreringsfilerna: skriv "
    f"sökvägen till mappen i en cell med namnet {NAME_FOLDER} (som för Sammanställ), eller "
    "kör indikator-xl sammanstall MAPP -o Nationellt.xlsx --rapport Nationell.docx.")


def report_path(book: Any) -> Path | None:
    """<workbook name>_rapport.docx in the workbook's folder (None: the folder is unknown)."""
    folder = _book_folder(book)
    if folder is None:
        return None
    stem = PureWindowsPath(str(book.fullname)).stem
    return folder / f"{stem}_rapport.docx"


def _is_national_result(book: Any) -> bool:
    from indikator_xl.figures.national_history import SHEET_COUNTS

    return SHEET_COUNTS in {s.name for s in book.sheets}


def rapport_bok(book: Any, alert: bool = True) -> Outcome:
    """Rapport in `book`: write the report draft next to it and say where.

    NNS's workbook (the cell `Inlamningsmapp` is named): the folder is merged again, as
    Sammanställ does, and the national report is written. A registration workbook: it is
    calculated as Beräkna does (same comparisons) and the local report is written. The
    workbook itself is not changed."""
    from indikator_xl.output.output_paths import DOCX, Output, check_outputs
    from indikator_xl.report.docx_writer import write

    target = report_path(book)
    if target is None:
        return _tell(book, Outcome(False, NOT_SAVED), alert)
    output = Output.of(target, "Rapporten", DOCX)
    folder = named_value(book, NAME_FOLDER)
    try:
        if folder is not None:
            from indikator_xl.figures.national import merge_folder
            from indikator_xl.report.national import national_report

            previous = named_value(book, NAME_PREVIOUS)
            prev = None if previous is None else resolve_path(book, previous)
            check_outputs([prev] if prev else [], [output])
            result = merge_folder(resolve_path(book, folder), prev)
            if not result.merged:
                return _tell(book, Outcome(False, result.summary_line()), alert)
            write(national_report(result), target)
            summary, ok = result.summary_line(), result.exit_code == 0
        elif _is_national_result(book):
            return _tell(book, Outcome(False, NATIONAL_WITHOUT_FOLDER), alert)
        else:
            from indikator_xl.pipeline import calculate, read
            from indikator_xl.report.local import local_report
            from indikator_xl.sheets.result_sheets import VALIDERINGSFEL

            reg = read(read_book(book))
            rikssnitt, previous = comparisons(book, reg) if reg.can_calculate else (None, None)
            check_outputs([p for p in (rikssnitt, previous) if isinstance(p, Path)], [output])
            calculated = calculate(reg, rikssnitt=rikssnitt, previous=previous)
            if calculated.analysis is None:
                return _tell(book, Outcome(False, f"{calculated.summary} Klicka på Validera "
                                           f"för att se problemen på bladet {VALIDERINGSFEL}."),
                             alert)
            write(local_report(calculated.analysis), target)
            summary, ok = calculated.summary, True
    except IndikatorError as exc:
        return _tell(book, Outcome(False, str(exc)), alert)
    except OSError as exc:
        where = exc.filename or folder or target
        return _tell(book, Outcome(False, f"{where}: {exc.strerror or exc}."), alert)
    return _tell(book, Outcome(ok, f"{summary} Rapportutkastet skrevs till {target}."), alert)
