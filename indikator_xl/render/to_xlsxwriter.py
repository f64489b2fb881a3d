"""Draw sheet models (`sheetmodel`) as a new .xlsx with XlsxWriter, saved atomically.

The writer of every workbook the tool creates (result, national, rikssnitt): XlsxWriter
only writes, but it does so in a third of openpyxl's time (`bench/bench_write.py`), and
its files are tested against files saved by Excel. It draws exactly what `look` says,
like the openpyxl and xlwings renderers. Text is always a text cell: automatic
conversions of strings to formulas, numbers or links are off, and each value is written
by type (`write_string`, `write_number`, …), so "=…", "1e3" or "http://…" stay text.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

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

# Never turn a string into something else (XlsxWriter's `write` would, by default), and
# assemble the parts in memory (by default each is a temporary file, written, zipped and
# removed: 0.6 s of the national workbook's 1.9 s on a loaded machine).
OPTIONS: dict[str, Any] = {"strings_to_formulas": False, "strings_to_numbers": False,
                           "strings_to_urls": False, "nan_inf_to_errors": False,
                           "in_memory": True}
_PIXELS_PER_CM = 96 / 2.54
# XlsxWriter adds the cell padding (5 of 7 pixels) to a width; openpyxl stores it as given.
_WIDTH_PADDING = 5 / 7
_A4 = 9


class _Formats:
    """One XlsxWriter Format per look (formats belong to one workbook)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self._wb = wb
        self._made: dict[Style, Format] = {}

    def __call__(self, style: Style) -> Format:
        fmt = self._made.get(style)
        if fmt is None:
            fmt = self._made[style] = self._wb.add_format(_properties(style))
        return fmt


def _properties(style: Style) -> dict[str, Any]:
    """A Style as XlsxWriter format properties (Calibri 11 is the workbook default)."""
    p: dict[str, Any] = {"font_name": look.FONT_NAME, "font_size": style.size}
    if style.bold:
        p["bold"] = True
    if style.italic:
        p["italic"] = True
    if style.underline:
        p["underline"] = 1
    if style.colour:
        p["font_color"] = look.css(style.colour)
    if style.fill:
        p["pattern"] = 1
        p["fg_color"] = look.css(style.fill)
        p["bg_color"] = look.css(style.fill)
    if style.horizontal:
        p["align"] = style.horizontal
    if style.vertical:
        p["valign"] = style.vertical
    if style.wrap:
        p["text_wrap"] = True
    if style.number_format:
        p["num_format"] = style.number_format
    for side, on in (("top", style.top_line), ("bottom", style.bottom_line)):
        if on:
            p[side] = 1
            p[f"{side}_color"] = look.css(look.BORDER_COLOUR)
    return p


def _put(ws: Worksheet, row: int, col: int, v: Value, fmt: Format | None) -> None:
    """Write one value at 1-based (row, col); text always as a text cell."""
    r, c = row - 1, col - 1
    value = cell_value(v.value)
    if v.link is not None and isinstance(value, str):
        ws.write_url(r, c, "internal:" + safe_text(v.link.location), fmt, value)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, fmt)
    elif fmt is not None:
        ws.write_blank(r, c, None, fmt)
    if v.comment and value is not None:
        ws.write_comment(r, c, safe_text(v.comment), {"author": "indikator-xl"})


def write_sheet(wb: xlsxwriter.Workbook, ws: Worksheet, sheet: Sheet,
                formats: _Formats) -> SheetLayout:
    """Draw one sheet model into an empty worksheet; returns its layout."""
    pos = layout(sheet)
    widths = look.column_widths(sheet)
    breaks: list[int] = []
    for block, top in zip(sheet.blocks, pos.block_rows, strict=True):
        if isinstance(block, Text):
            _put(ws, top, 1, Value(block.text, link=block.link),
                 formats(look.text_style(block)))
            if block.style == "title":
                ws.set_row(top - 1, look.TITLE_ROW_HEIGHT)
        elif isinstance(block, Table):
            _add_excel_table(ws, sheet.name, block, pos)
            _write_table(ws, block, top, widths, formats)
    for place in pos.chart_places:
        if _add_chart(wb, ws, place.chart, pos, *chart_look.chart_anchor(sheet, place)) \
                and place.new_page:
            breaks.append(place.break_after)
    for j, w in widths.items():
        ws.set_column(j - 1, j - 1, max(w - _WIDTH_PADDING, 0))
    if pos.freeze:
        ws.freeze_panes(pos.freeze)
    breaks = sorted({*breaks, *page_breaks(sheet)})
    if breaks:
        ws.set_h_pagebreaks(breaks)
    _page(ws, sheet, pos)
    return pos


def _add_excel_table(ws: Worksheet, sheet: str, table: Table, pos: SheetLayout) -> None:
    """The Excel table over the heading row and rows (before the cells are written: the
    headings XlsxWriter writes itself are then overwritten with their look)."""
    place = pos.tables[table.name]
    if not table.rows:
        return
    ws.add_table(place.heading_row - 1, 0, place.last_row - 1, place.n_columns - 1,
                 {"name": excel_table_name(sheet, table.name), "style": look.TABLE_STYLE,
                  "columns": [{"header": safe_text(h)} for h in table.headings]})


def _write_table(ws: Worksheet, table: Table, top: int, widths: dict[int, float],
                 formats: _Formats) -> None:
    grid, styles = look.table_grid(table), look.table_styles(table)
    for i, (values, looks) in enumerate(zip(grid, styles, strict=True)):
        for j, (v, style) in enumerate(zip(values, looks, strict=True), start=1):
            _put(ws, top + i, j, v, None if style is None else formats(style))
    for i, height in look.table_row_heights(table, widths).items():
        ws.set_row(top + i - 1, height)


def _add_chart(wb: xlsxwriter.Workbook, ws: Worksheet, chart: Chart, pos: SheetLayout,
               anchor: str, offset_cm: float = 0.0) -> bool:
    place = pos.tables[chart.table]
    if place.last_row < place.first_row:
        return False
    name = ws.get_name()
    first, last, heading = place.first_row - 1, place.last_row - 1, place.heading_row - 1
    ch = wb.add_chart({"type": "bar" if chart.kind == "bar" else "line"})
    # XlsxWriter reads a title like "a!B2" as a cell reference; ours are always text.
    ch._process_names = _literal_names
    _labels_show_only_values(ch)
    # A straight line says so: LibreOffice draws a series without <c:smooth> as a curve.
    ch._write_c_smooth = lambda smooth: ch._xml_empty_tag(
        "c:smooth", [("val", "1" if smooth else "0")])
    series: list[dict[str, Any]] = []
    if chart.by_rows:
        lo, hi = min(chart.series_columns), max(chart.series_columns)
        cats = heading if chart.category_row is None else first + chart.category_row
        rows = (range(first, last + 1) if chart.table_rows is None
                else range(first + chart.table_rows[0], first + chart.table_rows[1] + 1))
        for r in rows:
            series.append({"name": [name, r, chart.category_column],
                           "categories": _ref(name, cats, lo, cats, hi),
                           "values": _ref(name, r, lo, r, hi)})
    else:
        for j in chart.series_columns:
            series.append({"name": [name, heading, j],
                           "categories": _ref(name, first, chart.category_column, last,
                                              chart.category_column),
                           "values": _ref(name, first, j, last, j)})
    for i, s in enumerate(series):
        style = chart_look.series_style(i)
        colour = look.css(style.colour)
        if chart.kind == "bar":
            s["data_labels"] = {"value": True, "category": True, "series_name": True,
                                "legend_key": True, "num_format": "0%"}
            s["border"] = {"color": colour}
            if style.hatched:
                s["pattern"] = {"pattern": "wide_upward_diagonal", "fg_color": colour,
                                "bg_color": look.css(chart_look.WHITE)}
            else:
                s["fill"] = {"color": colour}
            if i == 0:
                s["gap"] = 60
        else:
            s["line"] = {"color": colour, "width": chart_look.LINE_WIDTH_PT,
                         "dash_type": _DASHES[style.dash]}
            s["marker"] = {"type": style.marker, "size": chart_look.MARKER_SIZE,
                           "border": {"color": colour}, "fill": {"color": colour}}
            s["smooth"] = False
        ch.add_series(s)
    title: dict[str, Any] = {"name": safe_text(chart.title)}
    size = chart_look.title_size(chart)
    if size is not None:
        title["name_font"] = {"size": size, "bold": True}
    ch.set_title(title)
    ch.set_style(10)
    value_axis: dict[str, Any] = {"major_tick_mark": "none"}
    category_axis: dict[str, Any] = {"major_tick_mark": "none"}
    if chart.percent:
        value_axis["num_format"] = "0%"
    bounds = chart_look.value_axis(chart)
    if bounds is not None:
        value_axis.update(min=bounds[0], max=bounds[1], major_unit=bounds[2])
    if chart.y_title:
        value_axis["name"] = safe_text(chart.y_title)
    if chart.x_title:
        category_axis["name"] = safe_text(chart.x_title)
    if chart.kind == "bar":
        # XlsxWriter's y axis of a bar chart is the category axis: categories top-down,
        # as in the table, with the value axis kept at the bottom.
        category_axis.update(reverse=True, crossing="max")
        ch.set_x_axis(value_axis)
        ch.set_y_axis(category_axis)
    else:
        ch.set_x_axis(category_axis)
        ch.set_y_axis(value_axis)
    ch.set_legend({"position": chart_look.legend_position(chart)} if chart.legend
                  else {"none": True})
    ch.set_size({"width": round(chart.width_cm * _PIXELS_PER_CM),
                 "height": round(chart.rows * look.ROW_CM * _PIXELS_PER_CM)})
    options: dict[str, Any] = {"x_offset": round(offset_cm * _PIXELS_PER_CM)}
    if chart.description:
        options["description"] = safe_text(chart.description)
    ws.insert_chart(anchor, ch, options)
    return True


# DrawingML dash presets as XlsxWriter names them.
_DASHES = {"solid": "solid", "dash": "dash", "sysDot": "round_dot", "dashDot": "dash_dot",
           "lgDash": "long_dash", "sysDash": "square_dot"}


def _labels_show_only_values(ch: Any) -> None:
    """Data labels that say off what they leave out: LibreOffice reads a missing
    showCatName, showSerName or showLegendKey as on, and XlsxWriter writes only the
    parts that are on. With those three asked for, they are written as val="0"."""
    for part, tag in (("cat_name", "c:showCatName"), ("ser_name", "c:showSerName"),
                      ("legend_key", "c:showLegendKey")):
        setattr(ch, f"_write_show_{part}",
                lambda tag=tag: ch._xml_empty_tag(tag, [("val", 0)]))


def _sheet(name: str) -> str:
    """A sheet name as a reference spells it, always quoted (as openpyxl writes it)."""
    return "'" + name.replace("'", "''") + "'"


def _ref(name: str, r1: int, c1: int, r2: int, c2: int) -> str:
    """An absolute range reference, 0-based rows and columns: 'Blad'!$B$5:$B$19."""
    return f"={_sheet(name)}!{xl_range_abs(r1, c1, r2, c2)}"


def _literal_names(name: Any, name_formula: str | None) -> tuple[Any, str | None]:
    """XlsxWriter's name handling without its guess: a list is a cell, text is text."""
    if isinstance(name, list):
        return "", f"{_sheet(name[0])}!{xl_rowcol_to_cell(name[1], name[2], True, True)}"
    return name, name_formula


def _page(ws: Worksheet, sheet: Sheet, pos: SheetLayout) -> None:
    p = sheet.page
    if p.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(_A4)
    if p.fit_to_width:
        ws.fit_to_pages(1, 0)
        # XlsxWriter leaves out fitToWidth="1" (the default); spelled out, as openpyxl
        # writes it, every reader sees one page wide.
        ws.fit_width = "1"
    if p.repeat_heading and pos.repeat_rows:
        top, bottom = (int(r) - 1 for r in pos.repeat_rows.split(":"))
        ws.repeat_rows(top, bottom)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_header("", {"margin": 0.5})
    ws.set_footer("&L&A&RSida &P av &N", {"margin": 0.5})


def to_xlsxwriter(book: Workbook, target: str | Path | io.BytesIO,
                  created: datetime | None = None) -> xlsxwriter.Workbook:
    """The book drawn into a new XlsxWriter workbook that `close()` writes to `target`.

    `created`: the document's creation time (default now); fixed, the file is the same
    byte for byte on every run."""
    wb = xlsxwriter.Workbook(target if isinstance(target, io.BytesIO) else str(target),
                             OPTIONS)
    properties: dict[str, Any] = {"author": "indikator-xl"}
    if book.title:
        properties["title"] = safe_text(book.title)
    if created is not None:
        properties["created"] = created
    wb.set_properties(properties)
    formats = _Formats(wb)
    sheets = [(wb.add_worksheet(sheet.name), sheet) for sheet in book.sheets]
    for ws, sheet in sheets:
        write_sheet(wb, ws, sheet, formats)
    first = next(i for i, s in enumerate(book.sheets) if not s.hidden)
    sheets[first][0].activate()
    for ws, sheet in sheets:
        if sheet.hidden:
            ws.hide()
    return wb


def render(book: Workbook, path: str | Path, created: datetime | None = None) -> None:
    """Write `book` as a new .xlsx at `path` (atomically).

    The zip is built in memory and then written in one go, so a full disk or a denied
    folder is an ordinary OSError (the atomic writer names the user's file) and no
    half-closed zip is left for the garbage collector to finish."""
    with atomic_write(path) as tmp:
        buffer = io.BytesIO()
        to_xlsxwriter(book, buffer, created).close()
        with open(tmp, "wb") as out:
            out.write(with_language(buffer).getbuffer())


_CORE = "docProps/core.xml"


def with_language(buffer: io.BytesIO, language: str = look.LANGUAGE) -> io.BytesIO:
    """The package with dc:language in its document properties (XlsxWriter has no
    setting for it): the same zip entries, core.xml with one element more."""
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == _CORE and b"<dc:language>" not in data:
                data = data.replace(b"</cp:coreProperties>",
                                    f"<dc:language>{language}</dc:language>"
                                    "</cp:coreProperties>".encode())
            dst.writestr(info, data)
    return out
