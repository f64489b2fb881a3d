"""The empty registration workbook `Registreringsfil_mall.xlsx` (SPEC §3).

Everything the sheets say (sheet names, keys, headers, question texts, scale labels,
vocabularies) comes from `instrument`; this module only decides the presentation.

Decisions:

- **Förbund** has no header row: the keys stand in A1:A5 and the values go in B1:B5, with a
  short Swedish instruction beside them in column D (the reader looks at columns A and B only).
- **Data validation is advisory.** Every validation uses ``errorStyle="warning"``: Excel
  warns when a value outside the list is *typed*, but the user may keep it. Pasted values are
  never checked by Excel anyway, and the tool's own validation (`indikator-xl validera`) is
  the authority — it also accepts spellings a strict list would reject (``ofta``, ``K``,
  ``"5"``). A hard stop would only push users to paste around it.
- Answer lists offer the scale's codes *and* labels (``1,…,6,Aldrig,…``); a Ja/Nej
  question offers its labels only, since a number there is an error (SPEC §3). Lists longer
  than Excel's 255-character limit for inline lists go to a hidden sheet ``Listor``
  (none do today).
- One `DataValidation` per distinct list and sheet, covering all its column ranges, and no
  per-cell styling of data rows: the same builders serve the benchmark's generated files.
- Saved files are reproducible: fixed zip entry times and a fixed ``dcterms:modified`` taken
  from the workbook's properties (`reproducible.save_reproducible`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indikator_xl.domain import instrument as ins
from indikator_xl.generate.reproducible import save_reproducible

TEMPLATE_FILENAME = "Registreringsfil_mall.xlsx"
COMMENT_AUTHOR = "NNS"
LIST_SHEET = "Listor"
VALIDATION_ROWS = 1000  # answer rows 2..VALIDATION_ROWS carry the drop-down lists
INLINE_LIST_LIMIT = 255  # Excel's limit for an inline list validation
# The template's saved time (dcterms:modified), fixed so that rebuilding gives the same bytes.
TEMPLATE_SAVED = datetime(2024, 1, 15, 12, 0, 0)
CREATOR = "NNS indikator-xl"

# Presentation only.
_FONT = "Calibri"
_HEADER_FONT = Font(name=_FONT, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="5B9BD5"))
_KEY_FONT = Font(name=_FONT, bold=True)
_NOTE_FONT = Font(name=_FONT, italic=True, color="595959")
_TITLE_FONT = Font(name=_FONT, bold=True, size=13)
_ID_WIDTH = 11
_QUESTION_WIDTH = 8
_BACKGROUND_WIDTHS: dict[ins.Background, float] = {
    ins.Background.KON: 14,
    ins.Background.INSATS: 24,
    ins.Background.ANSTALLNING: 20,
    ins.Background.SAMVERKANSGRUPP: 26,
}
_DATE_FORMAT = "yyyy-mm-dd"

_WARNING_TITLE = "Kontrollera värdet"
_ANSWER_MESSAGE = (
    "Ange svarskoden eller svarsalternativet ur listan. Lämna tomt om frågan inte besvarats. "
    "Filen kontrolleras ändå med Validera."
)


# --- vocabularies shown in the sheets ---------------------------------------------------------

def gender_choices() -> tuple[str, ...]:
    """The Kön values offered in the drop-down: the instrument's spelled-out forms."""
    # GENDER_VALUES keys are lower case; the one-letter abbreviations stay out of the list.
    return tuple(key.capitalize() for key in ins.GENDER_VALUES if len(key) > 1)


def answer_choices(question: ins.Question) -> tuple[str, ...]:
    """The values offered for a question: codes and labels, or labels only for Ja/Nej."""
    scale = question.scale
    if scale.is_yes_no:
        return scale.labels
    return tuple(str(c) for c in scale.codes) + scale.labels


def group_header(group: ins.Group) -> list[str]:
    """Row 1 of a group sheet: Löpnummer, the background columns, F1…Fn."""
    return [ins.ID_COLUMN, *(str(b) for b in group.background),
            *(q.column for q in group.questions)]


def question_comment_text(group: ins.Group, question: ins.Question) -> str:
    """The header comment of a question column: its text, its scale and any skip rule."""
    lines = [f"{question.column}: {question.text}", ""]
    if question.scale.is_yes_no:
        lines.append("Svarsalternativ: " + " / ".join(question.scale.labels))
    else:
        lines.append("Svarsalternativ (kod = svar):")
        lines += [f"{o.code} = {o.label}" for o in question.scale.options]
    if question.only_if_yes_to is not None:
        gate = group.question(question.only_if_yes_to)
        yes = next(o.label for o in gate.scale.options if ins.POSITIVT in o.categories)
        lines += ["", f"Besvaras endast om {gate.column} = {yes}."]
    return "\n".join(lines)


# --- small openpyxl helpers -------------------------------------------------------------------

def append_row(ws: Worksheet, values: Sequence[Any]) -> None:
    """`ws.append`, keeping text that looks like a formula or an error code as text."""
    ws.append([_text_cell(ws, v) if isinstance(v, str) and (v.startswith("=")
                                                           or v in ERROR_CODES) else v
               for v in values])


def _text_cell(ws: Worksheet, value: str) -> Cell:
    # ws.append places a Cell as given; asking ws.max_row per row instead is quadratic.
    cell = Cell(ws, value=value)  # type: ignore[call-arg]  # row/column: set by append
    cell.data_type = "s"
    return cell


def set_text(ws: Worksheet, ref: str, value: str | None) -> None:
    """Write user text into `ref` as a text cell, never as a formula."""
    cell = ws[ref]
    cell.value = value
    if value is not None:
        cell.data_type = "s"


def _style_header(ws: Worksheet, ncols: int) -> None:
    for col in range(1, ncols + 1):
        cell = ws.cell(1, col)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")


def _comment(text: str) -> Comment:
    lines = text.split("\n")
    longest = max(len(line) for line in lines)
    width = min(420, max(200, 6 * longest))
    wrapped = sum(max(1, -(-len(line) * 6 // width)) for line in lines)
    return Comment(text, COMMENT_AUTHOR, height=16 * wrapped + 24, width=width)


def list_formula(wb: Workbook, values: Sequence[str]) -> str:
    """A list validation's formula1: inline if it fits 255 characters, else on `Listor`."""
    for value in values:
        if "," in value or '"' in value:
            raise ValueError(f"list value cannot hold ',' or '\"': {value!r}")
    inline = ",".join(values)
    if len(inline) <= INLINE_LIST_LIMIT:
        return f'"{inline}"'
    if LIST_SHEET in wb.sheetnames:
        sheet = wb[LIST_SHEET]
        col = sheet.max_column + 1 if sheet.max_row > 1 or sheet["A1"].value else 1
    else:
        sheet = wb.create_sheet(LIST_SHEET)
        sheet.sheet_state = "hidden"
        col = 1
    for row, value in enumerate(values, 1):
        cell = sheet.cell(row, col, value)
        cell.data_type = "s"
    letter = get_column_letter(col)
    return f"{LIST_SHEET}!${letter}$1:${letter}${len(values)}"


ValidationType = Literal["whole", "decimal", "list", "date", "time", "textLength", "custom"]


def _validation(type_: ValidationType, **kwargs: Any) -> DataValidation:
    return DataValidation(
        type=type_,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=_WARNING_TITLE,
        **kwargs,
    )


def _column_range(col: int, last_row: int) -> str:
    letter = get_column_letter(col)
    return f"{letter}2:{letter}{last_row}"


# --- sheets -----------------------------------------------------------------------------------

_FORBUND_INSTRUCTIONS: tuple[str, ...] = (
    "Registreringsfil för NNS indikatorenkäter",
    "",
    "Fyll i värdena i kolumn B. Ändra inte nycklarna i kolumn A eller bladens namn.",
    f"{ins.KEY_NAME}: förbundets namn (krävs).",
    f"{ins.KEY_PERIOD}: mätperiodens år, t.ex. 2023 (krävs).",
    f"{ins.KEY_PERIOD_FROM} / {ins.KEY_PERIOD_TO}: datum då enkäterna delades ut (frivilligt).",
    f"{ins.KEY_ROUTINE}: " + " | ".join(ins.ROUTINES) + ".",
    "",
    f"{ins.SHEET_POPULATIONER}: målpopulation och undersökt population per respondentgrupp, "
    "och gärna per insats.",
    "Lämna Insats tom på raden för hela gruppen. Remittenter har ingen målpopulation.",
    "",
    "Respondentgruppernas blad: en rad per besvarad enkät. Skriv svarskoden (1–6) "
    "eller svarsalternativet;",
    "tom cell = frågan inte besvarad. Frågetext och svarsalternativ visas som kommentar på "
    "rubrikerna F1, F2 …",
    "Ett blad för en grupp som inte undersökts kan lämnas tomt eller tas bort.",
    "Kontrollera filen med Validera innan den skickas till NNS.",
)


def add_forbund_sheet(
    wb: Workbook, values: Mapping[str, Any] | None = None, *, instructions: bool = True
) -> Worksheet:
    """Add `Förbund` as the first sheet: keys in column A, values (if given) in column B."""
    values = values or {}
    ws = wb.create_sheet(ins.SHEET_FORBUND, 0)
    rows: dict[str, int] = {}
    for row, key in enumerate(ins.FORBUND_KEYS, 1):
        rows[key] = row
        set_text(ws, f"A{row}", key)
        ws.cell(row, 1).font = _KEY_FONT
        value = values.get(key)
        if isinstance(value, str):
            set_text(ws, f"B{row}", value)
        else:
            ws.cell(row, 2).value = value
    ws[f"B{rows[ins.KEY_NAME]}"].number_format = "@"
    ws[f"B{rows[ins.KEY_ROUTINE]}"].number_format = "@"
    ws[f"B{rows[ins.KEY_PERIOD]}"].number_format = "0"
    for key in (ins.KEY_PERIOD_FROM, ins.KEY_PERIOD_TO):
        ws[f"B{rows[key]}"].number_format = _DATE_FORMAT
        ws[f"B{rows[key]}"].alignment = Alignment(horizontal="left")

    period = _validation(
        "whole", operator="between", formula1=str(ins.PERIOD_MIN), formula2=str(ins.PERIOD_MAX),
        error=f"Mätperioden anges som ett årtal, {ins.PERIOD_MIN}–{ins.PERIOD_MAX}.",
    )
    period.add(f"B{rows[ins.KEY_PERIOD]}")
    dates = _validation(
        "date", operator="between",
        formula1=f"DATE({ins.PERIOD_MIN},1,1)", formula2=f"DATE({ins.PERIOD_MAX},12,31)",
        error="Ange ett datum, t.ex. 2023-09-01.",
    )
    dates.add(f"B{rows[ins.KEY_PERIOD_FROM]}:B{rows[ins.KEY_PERIOD_TO]}")
    routine = _validation(
        "list", formula1=list_formula(wb, ins.ROUTINES),
        error="Välj " + ", ".join(ins.ROUTINES) + ".",
    )
    routine.add(f"B{rows[ins.KEY_ROUTINE]}")
    for dv in (period, dates, routine):
        ws.add_data_validation(dv)

    if instructions:
        for row, text in enumerate(_FORBUND_INSTRUCTIONS, 1):
            if text:
                set_text(ws, f"D{row}", text)
                ws.cell(row, 4).font = _TITLE_FONT if row == 1 else _NOTE_FONT
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 4
    ws.column_dimensions["D"].width = 100
    return ws


_POPULATION_COMMENTS: tuple[str, ...] = (
    "Respondentgruppen, skriven som bladets namn.",
    "Tom = hela respondentgruppen. Fyll gärna även i en rad per insats.",
    "De personer som deltar i eller är knutna till förbundets insatser under mätperioden "
    "och har tillräcklig erfarenhet. Lämnas tom för remittenter.",
    "De som faktiskt erbjudits att besvara enkäten.",
)


def add_populations_sheet(
    wb: Workbook, rows: Iterable[Sequence[Any]], *, validation_rows: int = 200
) -> Worksheet:
    """Add `Populationer`: the header and `rows` (group, insats, målpopulation, undersökt)."""
    ws = wb.create_sheet(ins.SHEET_POPULATIONER)
    headers = list(ins.POPULATION_HEADERS)
    ws.append(headers)
    _style_header(ws, len(headers))
    count = 0
    for row in rows:
        append_row(ws, list(row))
        count += 1
    last = max(validation_rows, count + 1)
    groups = _validation(
        "list", formula1=list_formula(wb, [g.name for g in ins.GROUPS]),
        error="Välj en respondentgrupp ur listan (bladets namn).",
    )
    groups.add(_column_range(1, last))
    numbers = _validation(
        "whole", operator="greaterThanOrEqual", formula1="0",
        error="Ange ett antal personer (heltal, 0 eller mer).",
    )
    numbers.add(f"C2:D{last}")
    ws.add_data_validation(groups)
    ws.add_data_validation(numbers)
    for col, comment in enumerate(_POPULATION_COMMENTS, 1):
        ws.cell(1, col).comment = _comment(comment)
    for col, width in enumerate((24, 26, 16, 22), 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    return ws



def add_group_sheet(
    wb: Workbook,
    group: ins.Group,
    rows: Iterable[Sequence[Any]] = (),
    *,
    comments: bool = True,
    validation_rows: int = VALIDATION_ROWS,
) -> Worksheet:
    """Add a respondent group's sheet: header, `rows` (one per questionnaire), validations."""
    ws = wb.create_sheet(group.name)
    header = group_header(group)
    ws.append(header)
    _style_header(ws, len(header))
    count = 0
    for row in rows:
        append_row(ws, row)
        count += 1
    last = max(validation_rows, count + 1)

    # One DataValidation per distinct list, covering every column that uses it.
    validations: dict[str, DataValidation] = {}

    def add_list(values: Sequence[str], col: int, error: str) -> None:
        formula = list_formula(wb, values)
        dv = validations.get(formula)
        if dv is None:
            dv = _validation("list", formula1=formula, error=error)
            validations[formula] = dv
        dv.add(_column_range(col, last))

    ws.column_dimensions["A"].width = _ID_WIDTH
    for col, background in enumerate(group.background, 2):
        ws.column_dimensions[get_column_letter(col)].width = _BACKGROUND_WIDTHS[background]
        if background is ins.Background.KON:
            add_list(gender_choices(), col, "Välj " + ", ".join(gender_choices()) + ".")
        elif background is ins.Background.ANSTALLNING:
            add_list(ins.EMPLOYERS, col, "Välj " + ", ".join(ins.EMPLOYERS) + ".")
    first_question = 2 + len(group.background)
    for col, question in enumerate(group.questions, first_question):
        ws.column_dimensions[get_column_letter(col)].width = _QUESTION_WIDTH
        add_list(answer_choices(question), col, _ANSWER_MESSAGE)
        if comments:
            ws.cell(1, col).comment = _comment(question_comment_text(group, question))
    for dv in validations.values():
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    return ws


def new_workbook(saved: datetime) -> Workbook:
    """A workbook with no sheets whose properties carry `saved` as created/modified time."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.created = saved
    wb.properties.modified = saved
    return wb


def build_template() -> Workbook:
    """The empty registration workbook: Förbund, Populationer and the six group sheets."""
    wb = new_workbook(TEMPLATE_SAVED)
    wb.properties.title = "Registreringsfil NNS indikatorer"
    add_forbund_sheet(wb)
    add_populations_sheet(wb, ([g.name, None, None, None] for g in ins.GROUPS))
    for group in ins.GROUPS:
        add_group_sheet(wb, group)
    wb.active = 0
    return wb


def write_template(path: str | Path) -> Path:
    """Write the empty registration workbook to `path` (reproducible bytes)."""
    return save_reproducible(build_template(), path)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m indikator_xl.generate.template [-o FIL]`."""
    import argparse

    parser = argparse.ArgumentParser(description="Skriv den tomma registreringsfilen.")
    parser.add_argument("-o", "--output", default=TEMPLATE_FILENAME)
    args = parser.parse_args(argv)
    print(write_template(args.output))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
