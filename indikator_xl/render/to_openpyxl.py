"""Draw sheet models (`sheetmodel`) into an openpyxl workbook and save it atomically.

Everything from the input is written as text cells (`data_type = "s"`), never as a
formula or an error: control characters XML cannot carry become "\ufffd" and text is cut
at Excel's 32 767 characters. No formula is written at all.
"""

from __future__ import annotations

import re
import weakref
from copy import copy
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook as XlWorkbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.comments import Comment
from openpyxl.drawing.colors import ColorChoice
from openpyxl.drawing.fill import PatternFillProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor, SpreadsheetDrawing
from openpyxl.drawing.text import CharacterProperties, ParagraphProperties
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.units import cm_to_EMU
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from indikator_xl.output.atomic import atomic_write
from indikator_xl.sheets import chart_look, look
from indikator_xl.sheets.excel_tables import excel_table_name
from indikator_xl.sheets.look import Style, cell_value, safe_text
from indikator_xl.sheets.pages import page_breaks
from indikator_xl.sheets.sheetmodel import (
    Chart,
    Sheet,
    SheetLayout,
    Table,
    Text,
    Value,
    Workbook,
    layout,
)

_THIN = Side(style="thin", color=look.BORDER_COLOUR)


@cache
def _font(style: Style) -> Font:
    return Font(name=look.FONT_NAME, size=style.size, bold=style.bold, italic=style.italic,
                color=style.colour, underline="single" if style.underline else None)


@cache
def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour, end_color=colour)


@cache
def _align(style: Style) -> Alignment:
    return Alignment(horizontal=style.horizontal, vertical=style.vertical,
                     wrap_text=style.wrap)


_STYLE_CACHE: weakref.WeakKeyDictionary[Any, dict[Style, Any]] = weakref.WeakKeyDictionary()
# openpyxl cells, typed Any: the finished look is copied through the private `_style`.
XlCell = Any


_LITERAL_XSTRING = re.compile(r"_x(?=[0-9A-Fa-f]{4}_)")


def _put(ws: Worksheet, row: int, col: int, v: Value) -> XlCell:
    """Write one value; text is always a text cell."""
    cell = ws.cell(row=row, column=col)
    value = cell_value(v.value)
    if value is None:
        return cell
    if isinstance(value, str):
        # openpyxl writes text as it is, but Excel reads `_xHHHH_` in it as an escape
        # (ECMA-376 ST_Xstring): a literal one gets its `_` escaped, as XlsxWriter does.
        cell.value = _LITERAL_XSTRING.sub("_x005F_x", value) if "_x" in value else value
        cell.data_type = "s"
    else:
        cell.value = value
    if v.link is not None:
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=safe_text(v.link.location))
    if v.comment:
        cell.comment = Comment(safe_text(v.comment), "indikator-xl")
    return cell


def _style(cell: XlCell, style: Style) -> None:
    """Give a cell the look `style` describes."""
    # Setting fonts, fills and alignments one by one costs openpyxl a hash of each
    # object per cell; copy the finished style of the first cell with the same look.
    styles = _STYLE_CACHE.setdefault(cell.parent.parent, {})
    done = styles.get(style)
    if done is not None:
        cell._style = copy(done)
        return
    if style.has_font or style.vertical:
        cell.font = _font(style)
    if style.fill:
        cell.fill = _fill(style.fill)
    if style.horizontal or style.vertical or style.wrap:
        cell.alignment = _align(style)
    if style.number_format:
        cell.number_format = style.number_format
    if style.top_line or style.bottom_line:
        cell.border = Border(top=_THIN if style.top_line else None,
                             bottom=_THIN if style.bottom_line else None)
    styles[style] = copy(cell._style)


def write_sheet(ws: Worksheet, sheet: Sheet) -> SheetLayout:
    """Draw one sheet model into an empty worksheet; returns its layout."""
    pos = layout(sheet)
    widths = look.column_widths(sheet)
    for block, top in zip(sheet.blocks, pos.block_rows, strict=True):
        if isinstance(block, Text):
            cell = _put(ws, top, 1, Value(block.text, link=block.link))
            cell.font = _font(look.text_style(block))  # a text line has only a font
            if block.style == "title":
                ws.row_dimensions[top].height = look.TITLE_ROW_HEIGHT
        elif isinstance(block, Table):
            _write_table(ws, block, top, widths)
            _add_excel_table(ws, sheet.name, block, pos)
    for place in pos.chart_places:
        if _add_chart(ws, place.chart, pos, *chart_look.chart_anchor(sheet, place)) \
                and place.new_page:
            ws.row_breaks.append(Break(id=place.break_after))
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w
    if pos.freeze:
        ws.freeze_panes = pos.freeze
    charted = {b.id for b in ws.row_breaks.brk}
    for row in page_breaks(sheet):
        if row not in charted:
            ws.row_breaks.append(Break(id=row))
    ws.row_breaks.brk = sorted(ws.row_breaks.brk, key=lambda b: b.id)
    if sheet.hidden:
        ws.sheet_state = "hidden"
    _page(ws, sheet, pos)
    return pos


def _write_table(ws: Worksheet, table: Table, top: int, widths: dict[int, float]) -> None:
    grid, styles = look.table_grid(table), look.table_styles(table)
    for i, (values, looks) in enumerate(zip(grid, styles, strict=True)):
        for j, (v, style) in enumerate(zip(values, looks, strict=True), start=1):
            cell = _put(ws, top + i, j, v)
            if style is not None:
                _style(cell, style)
    for i, height in look.table_row_heights(table, widths).items():
        ws.row_dimensions[top + i].height = height


def _add_excel_table(ws: Worksheet, sheet: str, table: Table, pos: SheetLayout) -> None:
    """The Excel table over the heading row and rows (as XlsxWriter writes it)."""
    if not table.rows:
        return
    ref = pos.tables[table.name].ref
    xl = XlTable(displayName=excel_table_name(sheet, table.name), ref=ref,
                 autoFilter=AutoFilter(ref=ref),
                 tableStyleInfo=TableStyleInfo(name=look.TABLE_STYLE, showRowStripes=True))
    xl.tableColumns = [TableColumn(id=j, name=safe_text(h))
                       for j, h in enumerate(table.headings, start=1)]
    ws.add_table(xl)


def _add_chart(ws: Worksheet, chart: Chart, pos: SheetLayout, anchor: str,
               offset_cm: float) -> bool:
    place = pos.tables[chart.table]
    if place.last_row < place.first_row:
        return False
    ch: BarChart | LineChart
    if chart.kind == "bar":
        ch = bar = BarChart()
        bar.type = "bar"
        bar.gapWidth = 60
        bar.x_axis.scaling.orientation = "maxMin"  # categories top-down, as in the table
        bar.y_axis.crosses = "max"                  # keep the value axis at the bottom
        bar.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                       showLegendKey=False, showPercent=False)
        bar.dataLabels.numFmt = "0%"
    else:
        ch = LineChart()
    ch.title = chart.title
    size = chart_look.title_size(chart)
    title: Any = ch.title
    if size is not None and title is not None and title.tx.rich is not None:
        for para in title.tx.rich.p:
            para.pPr = ParagraphProperties(defRPr=CharacterProperties(sz=round(size * 100),
                                                                      b=True))
    ch.style = 10
    if chart.by_rows:
        lo, hi = min(chart.series_columns) + 1, max(chart.series_columns) + 1
        name_col = get_column_letter(chart.category_column + 1)
        cats = (place.heading_row if chart.category_row is None
                else place.first_row + chart.category_row)
        rows = (range(place.first_row, place.last_row + 1) if chart.table_rows is None
                else range(place.first_row + chart.table_rows[0],
                           place.first_row + chart.table_rows[1] + 1))
        for r in rows:
            series = Series(Reference(ws, min_col=lo, max_col=hi, min_row=r, max_row=r))
            series.tx = SeriesLabel(strRef=StrRef(f"{quote_sheetname(ws.title)}!"
                                                  f"${name_col}${r}"))
            ch.series.append(series)
        ch.set_categories(Reference(ws, min_col=lo, max_col=hi, min_row=cats, max_row=cats))
    else:
        for j in chart.series_columns:
            ref = Reference(ws, min_col=j + 1, min_row=place.heading_row,
                            max_row=place.last_row)
            ch.add_data(ref, titles_from_data=True)
        ch.set_categories(Reference(ws, min_col=chart.category_column + 1,
                                    min_row=place.first_row, max_row=place.last_row))
    for i, s in enumerate(ch.series):
        _series_look(s, chart_look.series_style(i), chart.kind == "bar")
    if chart.percent:
        ch.y_axis.number_format = "0%"
    bounds = chart_look.value_axis(chart)
    if bounds is not None:
        ch.y_axis.scaling.min, ch.y_axis.scaling.max, ch.y_axis.majorUnit = bounds
    ch.x_axis.delete = False
    ch.y_axis.delete = False
    if chart.y_title:
        ch.y_axis.title = chart.y_title
    if chart.x_title:
        ch.x_axis.title = chart.x_title
    # Sizes are in cm; openpyxl takes floats although its stubs say int.
    ch.width = chart.width_cm  # type: ignore[assignment]
    ch.height = chart.rows * look.ROW_CM
    if not chart.legend:
        ch.legend = None
    elif ch.legend is not None:
        ch.legend.position = "b" if chart_look.legend_position(chart) == "bottom" else "r"
    if chart.kind == "bar":
        ch.plot_area.layout = Layout(manualLayout=ManualLayout(x=0.02, y=0.08, w=0.96,
                                                               h=0.78))
    ch.alt_text = safe_text(chart.description)  # type: ignore[union-attr]
    col, row = coordinate_from_string(anchor)
    ch.anchor = OneCellAnchor(  # type: ignore[assignment]
        _from=AnchorMarker(col=column_index_from_string(col) - 1, colOff=cm_to_EMU(offset_cm),
                           row=row - 1, rowOff=0),
        ext=XDRPositiveSize2D(cm_to_EMU(ch.width), cm_to_EMU(ch.height)))
    ws.add_chart(ch)
    return True


def _series_look(s: Any, style: chart_look.SeriesStyle, bar: bool) -> None:
    """Colour, marker and dash (lines) or fill and hatching (bars) of one series."""
    props = s.graphicalProperties
    if props is None:
        props = s.graphicalProperties = GraphicalProperties()
    props.line = LineProperties(solidFill=style.colour)
    if bar:
        if style.hatched:
            colour: Any = style.colour  # openpyxl's stubs want an RGB object; hex works
            white: Any = chart_look.WHITE
            props.pattFill = PatternFillProperties(
                prst=chart_look.HATCH, fgClr=ColorChoice(srgbClr=colour),
                bgClr=ColorChoice(srgbClr=white))
        else:
            props.solidFill = style.colour
        return
    props.line.width = round(chart_look.LINE_WIDTH_PT * 12700)
    props.line.prstDash = style.dash
    s.marker = Marker(symbol=style.marker, size=chart_look.MARKER_SIZE)
    s.marker.graphicalProperties = GraphicalProperties(solidFill=style.colour)
    s.marker.graphicalProperties.line = LineProperties(solidFill=style.colour)
    s.smooth = False


def _described_chart_frame(self: SpreadsheetDrawing, idx: int) -> Any:
    """openpyxl's chart frame with the chart's alternative text (`descr`), which
    openpyxl itself never writes."""
    frame = _CHART_FRAME(self, idx)
    charts = self.charts
    text = getattr(charts[idx - 1], "alt_text", "") if idx <= len(charts) else ""
    if text:
        frame.nvGraphicFramePr.cNvPr.descr = text
    return frame


_CHART_FRAME = getattr(SpreadsheetDrawing, "_chart_frame")  # noqa: B009 - private, unstubbed
setattr(SpreadsheetDrawing, "_chart_frame", _described_chart_frame)  # noqa: B010


def _page(ws: Worksheet, sheet: Sheet, pos: SheetLayout) -> None:
    p = sheet.page
    ws.page_setup.orientation = "landscape" if p.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if p.fit_to_width:
        if ws.sheet_properties.pageSetUpPr is not None:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    if p.repeat_heading and pos.repeat_rows:
        ws.print_title_rows = pos.repeat_rows
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    footer = ws.oddFooter
    if footer is not None:
        footer.left.text = "&A"
        footer.right.text = "Sida &P av &N"


def to_openpyxl(book: Workbook, wb: XlWorkbook | None = None) -> XlWorkbook:
    """Add the book's sheets to `wb` (a new workbook if None), in order."""
    new = wb is None
    if wb is None:
        wb = XlWorkbook()
        wb.remove(wb.worksheets[0])
        if book.title:
            wb.properties.title = safe_text(book.title)
        wb.properties.creator = "indikator-xl"
        wb.properties.language = look.LANGUAGE
    for sheet in book.sheets:
        write_sheet(wb.create_sheet(sheet.name), sheet)
    if new:
        first = next(i for i, s in enumerate(book.sheets) if not s.hidden)
        wb.active = first
    return wb


def save_atomic(wb: XlWorkbook, path: str | Path) -> None:
    """Save to a temporary file in the same folder, then rename over `path`."""
    with atomic_write(path) as tmp:
        wb.save(tmp)


def render(book: Workbook, path: str | Path) -> None:
    """Write `book` as a new .xlsx at `path` (atomically)."""
    save_atomic(to_openpyxl(book), path)
