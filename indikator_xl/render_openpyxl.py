"""Draw sheet models (`sheetmodel`) into an openpyxl workbook and save it atomically.

Everything from the input is written as text cells (`data_type = "s"`), never as a
formula or an error: control characters XML cannot carry become "\ufffd" and text is cut
at Excel's 32 767 characters. No formula is written at all.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import weakref
from copy import copy
from functools import cache
from pathlib import Path

from openpyxl import Workbook as XlWorkbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.series import SeriesLabel, StrRef
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .sheetmodel import Chart, Sheet, SheetLayout, Table, Text, Value, Workbook, layout

FONT_NAME = "Calibri"
MAX_TEXT = 32767
REPLACEMENT = "\ufffd"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_HEIGHT = 15.0  # points per line of 11 pt Calibri
_ROW_CM = 0.53       # height of a default row, for chart sizes

_FILLS = {"hogre": "C6EFCE", "lagre": "FFC7CE", "heading": "D9E1F2", "subheading": "F2F2F2",
          "columns": "DDEBF7"}
_FONT_COLOURS = {"hogre": "006100", "lagre": "9C0006", "dold": "808080", "fel": "C00000",
                 "varning": "9C5700", "link": "0563C1", "note": "595959"}
_THIN = Side(style="thin", color="808080")


def safe_text(text: str) -> str:
    """Text as an XML cell can hold it: illegal control characters replaced visibly,
    cut at Excel's 32 767-character limit."""
    text = _ILLEGAL.sub(REPLACEMENT, text)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT - 1] + "…"
    return text


@cache
def _font(bold: bool = False, italic: bool = False, colour: str | None = None,
          size: float = 11, underline: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=colour,
                underline="single" if underline else None)


@cache
def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour, end_color=colour)


@cache
def _align(horizontal: str | None = None, wrap: bool = False,
           vertical: str | None = None) -> Alignment:
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)


def _put(ws: Worksheet, row: int, col: int, v: Value | str | None):
    """Write one value; text is always a text cell."""
    cell = ws.cell(row=row, column=col)
    value = v.value if isinstance(v, Value) else v
    if value is None:
        return cell
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"
    elif isinstance(value, float) and not math.isfinite(value):
        return cell
    else:
        cell.value = value
    if isinstance(v, Value):
        if v.link is not None:
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=safe_text(v.link.location))
        if v.comment:
            cell.comment = Comment(safe_text(v.comment), "indikator-xl")
    return cell


_STYLE_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _style_value(cell, v: Value, bold: bool = False, wrap: bool = False,
                 fill: str | None = None, center: bool = False, top_line: bool = False) -> None:
    e = v.emphasis
    colour = None
    for key in ("hogre", "lagre", "dold", "fel", "varning"):
        if key in e:
            colour = _FONT_COLOURS[key]
    underline = v.link is not None
    if underline:
        colour = _FONT_COLOURS["link"]
    for key in ("hogre", "lagre"):
        if key in e:
            fill = _FILLS[key]
    numeric = v.kind not in ("text", "verdict")
    horizontal = "center" if center or v.kind == "arrow" else ("right" if numeric else None)
    key = (bold or bool(e & {"bold", "stjarna", "fel"}), "osaker" in e or "italic" in e,
           colour, underline, fill, horizontal, wrap, v.format, top_line)
    # Setting fonts, fills and alignments one by one costs openpyxl a hash of each
    # object per cell; copy the finished style of the first cell with the same look.
    styles = _STYLE_CACHE.setdefault(cell.parent.parent, {})
    done = styles.get(key)
    if done is not None:
        cell._style = copy(done)
        return
    cell.font = _font(bold=key[0], italic=key[1], colour=colour, underline=underline)
    if fill:
        cell.fill = _fill(fill)
    cell.alignment = _align(horizontal, wrap, "top")
    if v.format != "General":
        cell.number_format = v.format
    if top_line:
        cell.border = Border(top=_THIN)
    styles[key] = copy(cell._style)


def _lines(text: str, width: float) -> int:
    per_line = max(int(width * 1.15) - 1, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _widths(sheet: Sheet) -> dict[int, float]:
    """Column widths: the sheet's, else the widest table column's, else from content."""
    widths: dict[int, float] = {}
    for block in sheet.blocks:
        if not isinstance(block, Table):
            continue
        for j, col in enumerate(block.columns, start=1):
            if col.width is not None:
                widths[j] = max(widths.get(j, 0), col.width)
            else:
                longest = max([len(col.heading)] + [len(_shown(r.cells[j - 1]))
                              for r in block.rows if len(r.cells) >= j and r.style == "normal"])
                widths[j] = max(widths.get(j, 0), min(max(longest + 2, 6), 50))
    for j, w in enumerate(sheet.column_widths, start=1):
        if w is not None:
            widths[j] = w
    return widths


def _shown(v: Value) -> str:
    if v.value is None:
        return ""
    if isinstance(v.value, float) and v.kind in ("share", "pp"):
        return "100%"
    return str(v.value)


def write_sheet(ws: Worksheet, sheet: Sheet) -> SheetLayout:
    """Draw one sheet model into an empty worksheet; returns its layout."""
    pos = layout(sheet)
    widths = _widths(sheet)
    charts = iter(pos.charts)
    for block, top in zip(sheet.blocks, pos.block_rows, strict=True):
        if isinstance(block, Text):
            _write_text(ws, top, block)
        elif isinstance(block, Table):
            _write_table(ws, block, pos, widths)
        elif isinstance(block, Chart):
            _add_chart(ws, block, pos, next(charts), sum(widths.values()))
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w
    if pos.freeze:
        ws.freeze_panes = pos.freeze
    if sheet.hidden:
        ws.sheet_state = "hidden"
    _page(ws, sheet, pos)
    return pos


def _write_text(ws: Worksheet, row: int, block: Text) -> None:
    v = Value(block.text, link=block.link)
    cell = _put(ws, row, 1, v)
    size = {"title": 14, "heading": 12}.get(block.style, 11 if block.style == "normal" else 9)
    colour = _FONT_COLOURS["link"] if block.link else (
        _FONT_COLOURS["note"] if block.style == "note" else None)
    cell.font = _font(bold=block.style in ("title", "heading"), italic=block.style == "note",
                      colour=colour, size=size, underline=block.link is not None)
    if block.style == "title":
        ws.row_dimensions[row].height = 21


def _write_table(ws: Worksheet, table: Table, pos: SheetLayout,
                 widths: dict[int, float]) -> None:
    place = pos.tables[table.name]
    ncols = len(table.columns)
    total_width = sum(widths.get(j, 8.43) for j in range(1, ncols + 1))
    if place.title_row:
        c = _put(ws, place.title_row, 1, table.title)
        c.font = _font(bold=True)
    if place.band_row:
        j = 0
        while j < ncols:
            band = table.columns[j].band
            k = j
            while k + 1 < ncols and band and table.columns[k + 1].band == band:
                k += 1
            for jj in range(j, k + 1):
                cell = ws.cell(place.band_row, jj + 1)
                cell.fill = _fill(_FILLS["columns"])
                cell.border = Border(top=_THIN)
            if band:
                c = _put(ws, place.band_row, j + 1, band)
                c.font = _font(bold=True)
                c.alignment = _align("center")
                if k > j:
                    ws.merge_cells(start_row=place.band_row, start_column=j + 1,
                                   end_row=place.band_row, end_column=k + 1)
            j = k + 1
    lines = 1
    for j, col in enumerate(table.columns, start=1):
        c = _put(ws, place.heading_row, j, col.heading)
        c.font = _font(bold=True)
        c.fill = _fill(_FILLS["columns"])
        c.border = Border(bottom=_THIN, top=None if place.band_row else _THIN)
        c.alignment = _align("left" if col.kind in ("text", "verdict") else "right", True,
                             "bottom")
        lines = max(lines, _lines(col.heading, widths.get(j, 8.43)))
    if lines > 1:
        ws.row_dimensions[place.heading_row].height = _LINE_HEIGHT * lines
    for i, row in enumerate(table.rows):
        r = place.first_row + i
        if row.style in ("heading", "subheading"):
            v = row.cells[0] if row.cells else Value("")
            c = _put(ws, r, 1, v)
            fill = _FILLS[row.style]
            for j in range(1, ncols + 1):
                ws.cell(r, j).fill = _fill(fill)
            _style_value(c, v, bold=True, wrap=True, fill=fill)
            if ncols > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
            n = _lines(str(v.value or ""), total_width)
            if n > 1:
                ws.row_dimensions[r].height = _LINE_HEIGHT * n
            continue
        lines = 1
        for j, (v, col) in enumerate(zip(row.cells, table.columns, strict=False), start=1):
            c = _put(ws, r, j, v)
            _style_value(c, v, bold=row.style == "total", wrap=col.wrap,
                         center=col.kind == "text" and col.width is not None and col.width < 10,
                         top_line=row.style == "total")
            if col.wrap and isinstance(v.value, str):
                lines = max(lines, _lines(v.value, widths.get(j, 8.43)))
        if row.style == "total":
            for j in range(len(row.cells) + 1, ncols + 1):
                ws.cell(r, j).border = Border(top=_THIN)
        if lines > 1:
            ws.row_dimensions[r].height = _LINE_HEIGHT * lines
    if place.notes_row:
        for k, note in enumerate(table.notes):
            c = _put(ws, place.notes_row + k, 1, note)
            c.font = _font(italic=True, colour=_FONT_COLOURS["note"], size=9)


def _add_chart(ws: Worksheet, chart: Chart, pos: SheetLayout, anchor: str,
               sheet_width: float) -> None:
    place = pos.tables[chart.table]
    if place.last_row < place.first_row:
        return
    ch = BarChart() if chart.kind == "bar" else LineChart()
    if chart.kind == "bar":
        ch.type = "bar"
        ch.gapWidth = 60
        ch.x_axis.scaling.orientation = "maxMin"  # categories top-down, as in the table
        ch.y_axis.crosses = "max"                  # keep the value axis at the bottom
        ch.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                      showLegendKey=False, showPercent=False)
        ch.dataLabels.numFmt = "0%"
    ch.title = chart.title
    ch.style = 10
    if chart.by_rows:
        lo, hi = min(chart.series_columns) + 1, max(chart.series_columns) + 1
        name_col = get_column_letter(chart.category_column + 1)
        for r in range(place.first_row, place.last_row + 1):
            series = Series(Reference(ws, min_col=lo, max_col=hi, min_row=r, max_row=r))
            series.tx = SeriesLabel(strRef=StrRef(f"{quote_sheetname(ws.title)}!"
                                                  f"${name_col}${r}"))
            ch.series.append(series)
        ch.set_categories(Reference(ws, min_col=lo, max_col=hi, min_row=place.heading_row,
                                    max_row=place.heading_row))
    else:
        for j in chart.series_columns:
            ref = Reference(ws, min_col=j + 1, min_row=place.heading_row,
                            max_row=place.last_row)
            ch.add_data(ref, titles_from_data=True)
        ch.set_categories(Reference(ws, min_col=chart.category_column + 1,
                                    min_row=place.first_row, max_row=place.last_row))
    if chart.kind == "line":
        for s in ch.series:
            s.marker.symbol = "circle"
            s.smooth = False
    if chart.percent:
        ch.y_axis.number_format = "0%"
        ch.y_axis.scaling.min = 0
        ch.y_axis.scaling.max = 1
        ch.y_axis.majorUnit = 0.2
    ch.x_axis.delete = False
    ch.y_axis.delete = False
    if chart.y_title:
        ch.y_axis.title = chart.y_title
    if chart.x_title:
        ch.x_axis.title = chart.x_title
    ch.width = chart.width_cm
    ch.height = chart.rows * _ROW_CM
    if chart.kind == "bar":
        ch.legend.position = "b"
        ch.plot_area.layout = Layout(manualLayout=ManualLayout(x=0.02, y=0.08, w=0.96,
                                                               h=0.78))
    else:
        ch.legend.position = "r"
    ws.add_chart(ch, anchor)
    if chart.new_page:
        ws.row_breaks.append(Break(id=int(anchor[1:]) - 1))


def _page(ws: Worksheet, sheet: Sheet, pos: SheetLayout) -> None:
    p = sheet.page
    ws.page_setup.orientation = "landscape" if p.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if p.fit_to_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    if p.repeat_heading and pos.repeat_rows:
        ws.print_title_rows = pos.repeat_rows
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Sida &P av &N"


def to_openpyxl(book: Workbook, wb: XlWorkbook | None = None) -> XlWorkbook:
    """Add the book's sheets to `wb` (a new workbook if None), in order."""
    new = wb is None
    if wb is None:
        wb = XlWorkbook()
        wb.remove(wb.active)
        if book.title:
            wb.properties.title = safe_text(book.title)
        wb.properties.creator = "indikator-xl"
    for sheet in book.sheets:
        write_sheet(wb.create_sheet(sheet.name), sheet)
    if new:
        first = next(i for i, s in enumerate(book.sheets) if not s.hidden)
        wb.active = first
    return wb


def save_atomic(wb: XlWorkbook, path: str | Path) -> None:
    """Save to a temporary file in the same folder, then rename over `path`."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx",
                               dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    try:
        wb.save(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def render(book: Workbook, path: str | Path) -> None:
    """Write `book` as a new .xlsx at `path` (atomically)."""
    save_atomic(to_openpyxl(book), path)
