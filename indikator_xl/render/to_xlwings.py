"""Draw a `sheetmodel.Workbook` into an open workbook through xlwings.

The same code runs under RunPython (Excel on Windows/macOS, engine "excel") and on the
remote engine. Each table block is written with one bulk write; number formats are set
first, so text from the input is stored as text (format "@") and never becomes a formula
or a number, on every engine (Excel parses "=x" written to a General cell as a formula).

What an engine cannot draw is left out and said on the sheet. The remote clients of
xlwings 0.37.8 for Office Scripts and VBA (`xlwings/js/xlwings.ts`, `addin/Remote.bas`)
only apply values, number formats, fills, hyperlinks, names, sheets, tables and autofit: fonts,
column widths, frozen panes, hidden sheets, notes and charts need Excel itself (RunPython)
or the Office.js client.

Result sheets are owned by the tool (`sheet_ownership`): re-rendering deletes only the
tool's own sheets, and a user sheet with a result sheet's name stops the run before
anything changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from indikator_xl.render.sheet_ownership import MARKER, ForeignSheetError, mark, plan_replacement
from indikator_xl.render.xlwings_charts import draw_chart
from indikator_xl.sheets import chart_look, look
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.sheets.excel_tables import excel_table_name
from indikator_xl.sheets.look import Style
from indikator_xl.sheets.pages import page_breaks

__all__ = ["BASIC_REMOTE_ACTIONS", "MARKER", "Capabilities", "ForeignSheetError",
           "RenderReport", "render"]

# Actions every xlwings 0.37.8 remote client implements (Office Scripts and VBA alike).
BASIC_REMOTE_ACTIONS = frozenset({
    "setValues", "setNumberFormat", "setRangeColor", "addHyperlink", "addSheet",
    "sheetDelete", "setSheetName", "activateSheet", "namesAdd", "nameDelete", "setAutofit",
    "alert", "rangeClear", "rangeClearContents", "rangeClearFormats", "sheetClear",
    "sheetClearContents", "sheetClearFormats", "setRangeName", "rangeSelect", "addTable",
})

ROW_HEIGHT_PT = look.LINE_HEIGHT


@dataclass(frozen=True)
class Capabilities:
    """What the engine behind a Book can draw besides values, formats, fills and links."""

    fonts: bool
    widths: bool
    freeze: bool
    hide: bool
    charts: bool
    notes: bool
    page_setup: bool

    @classmethod
    def of(cls, book: Any) -> Capabilities:
        engine = book.app.engine.name
        if engine == "remote":
            full = book.api.get("client") == "Office.js"
            return cls(fonts=full, widths=full, freeze=full, hide=full, charts=full,
                       notes=full, page_setup=False)
        windows = engine == "excel" and hasattr(book.api, "Worksheets")
        return cls(fonts=True, widths=True, freeze=windows, hide=True, charts=True,
                   notes=True, page_setup=windows)


@dataclass
class RenderReport:
    """Sheets written, earlier result sheets removed, and per sheet what was left out."""

    sheets: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    left_out: dict[str, list[str]] = field(default_factory=dict)


# --------------------------------------------------------------------- cell grids

def values_of(grid: Sequence[Sequence[sm.Value]]) -> list[list[sm.CellValue]]:
    return [[look.cell_value(v.value) for v in row] for row in grid]


def _formats(column: Sequence[sm.Value]) -> list[str]:
    """Number formats down a column; an empty cell takes its neighbour's format, so a
    column is set in as few ranges as possible (its format never shows)."""
    out: list[str | None] = [None if v.value is None else v.format for v in column]
    known = next((f for f in out if f is not None), "General")
    filled: list[str] = []
    for f in out:
        known = known if f is None else f
        filled.append(known)
    return filled


# --------------------------------------------------------------------- drawing

class _Painter:
    def __init__(self, sheet: Any, caps: Capabilities, left_out: list[str]) -> None:
        self.sheet = sheet
        self.caps = caps
        self.left_out = left_out

    def rng(self, r0: int, c0: int, r1: int, c1: int) -> Any:
        return self.sheet.range((r0, c0), (r1, c1))

    def write(self, top: int, grid: list[list[sm.Value]]) -> None:
        """Formats column by column (text as "@" first), then one bulk write of values."""
        height, width = len(grid), len(grid[0])
        for c in range(width):
            for r0, r1, fmt in look.runs(_formats([grid[r][c] for r in range(height)])):
                self.rng(top + r0, c + 1, top + r1, c + 1).number_format = fmt
        self.rng(top, 1, top + height - 1, width).value = values_of(grid)

    def style(self, top: int, styles: Sequence[Sequence[Style | None]]) -> None:
        fonts = self.caps.fonts
        for r, row in enumerate(styles):
            cells = [s or look.PLAIN for s in row]
            fills = [s.fill or (None if fonts else look.FALLBACK_FILLS.get(s.problem or ""))
                     for s in cells]
            for c0, c1, fill in look.runs(fills):
                if fill:
                    self.rng(top + r, c0 + 1, top + r, c1 + 1).color = look.css(fill)
            if not fonts:
                continue
            # Links are underlined by Excel's own Hyperlink style.
            fonts_of = [(s.bold, s.italic, s.colour, s.size) for s in cells]
            for c0, c1, (bold, italic, colour, size) in look.runs(fonts_of):
                if not (bold or italic or colour or size != look.FONT_SIZE):
                    continue
                font = self.rng(top + r, c0 + 1, top + r, c1 + 1).font
                if bold:
                    font.bold = True
                if italic:
                    font.italic = True
                if colour:
                    font.color = look.css(colour)
                if size != look.FONT_SIZE:
                    font.size = size

    def excel_table(self, sheet_name: str, table: sm.Table, place: sm.TablePlace) -> None:
        """The Excel table over the heading row and rows (every client has addTable)."""
        if not table.rows:
            return
        self.sheet.tables.add(source=self.sheet.range(place.ref), has_headers=True,
                              table_style_name=look.TABLE_STYLE,
                              name=excel_table_name(sheet_name, table.name))

    def wraps(self, top: int, table: sm.Table) -> None:
        """Wrap the heading row and the columns marked `wrap` (cosmetic)."""
        if not self.caps.fonts:
            return
        place = sm.layout(sm.Sheet("x", (table,))).tables[table.name]
        offset = top - 1
        width = len(table.columns)
        self.rng(place.heading_row + offset, 1, place.heading_row + offset, width
                 ).wrap_text = True
        for j, col in enumerate(table.columns, 1):
            if col.wrap and table.rows:
                self.rng(place.first_row + offset, j, place.last_row + offset, j
                         ).wrap_text = True

    def links_and_notes(self, top: int, grid: list[list[sm.Value]]) -> None:
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                cell = self.sheet.range((top + r, c + 1))
                text = "" if v.value is None else str(look.cell_value(v.value))
                if v.link is not None and text:  # Excel shows a link by its text
                    cell.add_hyperlink(v.link.target, text,
                                       f"Gå till {v.link.sheet}!{v.link.cell}")
                if v.comment:
                    if self.caps.notes:
                        try:
                            cell.add_note(v.comment)
                            continue
                        except (NotImplementedError, AttributeError):
                            pass
                    self.left("kommentarer i celler")

    def left(self, what: str) -> None:
        if what not in self.left_out:
            self.left_out.append(what)

def _chars_to_points(chars: float) -> float:
    return round((chars * 7 + 5) * 0.75, 2)  # Calibri 11 at 96 dpi


def _set_widths(target: Any, model: sm.Sheet, caps: Capabilities, engine: str,
                last_row: int, width: int) -> None:
    widths = look.column_widths(model)
    if caps.widths:
        for col, w in widths.items():
            value = _chars_to_points(w) if engine == "remote" else w
            target.range((1, col)).column_width = value
    elif width:
        target.range((1, 1), (max(last_row, 1), width)).columns.autofit()


def _freeze_and_print(target: Any, book: Any, layout: sm.SheetLayout, model: sm.Sheet,
                      caps: Capabilities, engine: str, left_out: list[str]) -> None:
    if layout.freeze and caps.freeze:
        try:
            if engine == "remote":
                target.freeze_panes.freeze_at(_frozen_part(layout.freeze))
            else:
                _com_freeze(target, book, layout.freeze)
        except Exception:  # noqa: BLE001 - cosmetic; the data is already written
            left_out.append("låsta rubrikrader")
    elif layout.freeze:
        left_out.append("låsta rubrikrader")
    if caps.page_setup:
        try:
            _com_page_setup(target, model.page, layout.repeat_rows)
            for row in page_breaks(model):  # before the row below it
                target.api.HPageBreaks.Add(Before=target.range((row + 1, 1)).api)
        except Exception:  # noqa: BLE001 - printing options are cosmetic
            left_out.append("utskriftsinställningar")


def _frozen_part(freeze: str) -> str:
    """"A5" → "1:4" (rows above), "C5" → "A1:B4" style range of what stays frozen."""
    col = 0
    letters = "".join(ch for ch in freeze if ch.isalpha())
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    row = int(freeze[len(letters):])
    if col <= 1:
        return f"1:{row - 1}"
    if row <= 1:
        return f"A:{sm.column_letter(col - 1)}"
    return f"A1:{sm.cell_ref(row - 1, col - 1)}"


def _com_freeze(target: Any, book: Any, freeze: str) -> None:
    """Windows Excel: freeze panes at the cell (rows above and columns left stay)."""
    target.activate()
    window = book.app.api.ActiveWindow
    window.FreezePanes = False
    window.ScrollRow = 1
    window.ScrollColumn = 1
    target.range(freeze).api.Select()
    window.FreezePanes = True


def _com_page_setup(target: Any, page: sm.PageSetup, repeat_rows: str | None) -> None:
    setup = target.api.PageSetup
    setup.PaperSize = 9  # xlPaperA4
    setup.Orientation = 2 if page.landscape else 1
    if page.fit_to_width:
        setup.Zoom = False
        setup.FitToPagesWide = 1
        setup.FitToPagesTall = False
    if page.repeat_heading and repeat_rows:
        top, bottom = repeat_rows.split(":")
        setup.PrintTitleRows = f"${top}:${bottom}"


def _draw_sheet(target: Any, book: Any, model: sm.Sheet, caps: Capabilities, engine: str
                ) -> list[str]:
    left_out: list[str] = []
    painter = _Painter(target, caps, left_out)
    layout = sm.layout(model)
    tables = {b.name: b for b in model.blocks if isinstance(b, sm.Table)}
    width = 1
    for block, top in zip(model.blocks, layout.block_rows, strict=True):
        if isinstance(block, sm.Text):
            grid = [[sm.Value(block.text, link=block.link)]]
            painter.write(top, grid)
            painter.style(top, [[look.text_style(block)]])
            painter.links_and_notes(top, grid)
        elif isinstance(block, sm.Table):
            grid = look.table_grid(block)
            width = max(width, len(grid[0]))
            painter.write(top, grid)
            painter.style(top, look.table_styles(block))
            painter.wraps(top, block)
            painter.links_and_notes(top, grid)
            painter.excel_table(model.name, block, layout.tables[block.name])
    _set_widths(target, model, caps, engine, layout.last_row, width)
    for place in layout.chart_places:  # after the widths: an anchor is a cell's position
        # xlwings anchors at a cell: a grid chart starts at its column's left edge.
        draw_chart(target, caps.charts, caps.page_setup, painter.left, place.chart,
                   chart_look.chart_anchor(model, place)[0], layout, tables)
    _freeze_and_print(target, book, layout, model, caps, engine, left_out)
    if model.hidden:
        if caps.hide:
            target.visible = False
        else:
            left_out.append("att dölja bladet")
    if left_out:
        note_row = layout.last_row + 2
        text = ("Kunde inte visas i den här Excel-miljön: " + "; ".join(left_out)
                + ". Använd Beräkna i Excel på Windows eller kommandoraden för allt.")
        painter.write(note_row, [[sm.Value(text)]])
        painter.style(note_row, [[look.text_style(sm.Text(text, "note"))]])
    return left_out


def _visible(sheet: Any) -> bool:
    try:
        return bool(sheet.visible)
    except (KeyError, NotImplementedError):  # clients that do not send visibility
        return True


def render(book: Any, model: sm.Workbook, tool_names: Iterable[str] = ()) -> RenderReport:
    """Replace the tool's earlier result sheets in `book` by the sheets of `model`.

    `tool_names` are all sheet names the tool may have written before (so that an owned
    sheet this run does not produce, e.g. an old Valideringsfel, is removed too).
    Raises ForeignSheetError, before any change, when a user sheet has a result name.
    """
    caps = Capabilities.of(book)
    engine = book.app.engine.name
    names = [s.name for s in model.sheets]
    doomed = plan_replacement(book, names, tool_names)
    if engine != "excel":
        return _replace(book, model, doomed, caps, engine)
    app = book.app
    updating = app.screen_updating
    app.screen_updating = False  # thousands of COM calls; draw once at the end
    try:
        return _replace(book, model, doomed, caps, engine)
    finally:
        app.screen_updating = updating


def _replace(book: Any, model: sm.Workbook, doomed: list[Any], caps: Capabilities,
             engine: str) -> RenderReport:
    report = RenderReport()
    keep_visible = [s for s in book.sheets if s not in doomed and _visible(s)]
    placeholder = None
    if not keep_visible and doomed:  # Excel keeps at least one visible sheet
        placeholder = book.sheets.add("indikator_xl_tmp", after=book.sheets[-1])
    for sheet in doomed:
        report.removed.append(sheet.name)
        sheet.delete()
    first = None
    for sheet_model in model.sheets:
        target = book.sheets.add(sheet_model.name, after=book.sheets[-1])
        mark(target)
        left = _draw_sheet(target, book, sheet_model, caps, engine)
        report.sheets.append(sheet_model.name)
        if left:
            report.left_out[sheet_model.name] = left
        if first is None and not sheet_model.hidden:
            first = target
    if placeholder is not None:
        placeholder.delete()
    if first is not None:
        first.activate()
    return report
