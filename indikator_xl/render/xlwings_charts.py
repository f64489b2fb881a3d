"""Charts of a sheet model drawn through xlwings (used by `to_xlwings`).

Every engine that draws charts gets the chart, its value axis, legend and the series'
colours and markers (`chart_look`); Windows Excel also gets the dashes, the hatched bars
and the alternative text through COM. xlwings 0.37.8 has no action for those on the
remote clients, so they are reported as left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from indikator_xl.sheets import chart_look, look
from indikator_xl.sheets import sheetmodel as sm

ROW_HEIGHT_PT = look.LINE_HEIGHT


def _rng(sheet: Any, r0: int, c0: int, r1: int, c1: int) -> Any:
    return sheet.range((r0, c0), (r1, c1))


def draw_chart(sheet: Any, charts_ok: bool, com: bool, left: Callable[[str], None],
               chart: sm.Chart, anchor: str, layout: sm.SheetLayout,
               tables: dict[str, sm.Table]) -> None:
    """Draw one chart of the sheet model at `anchor`; `charts_ok`: the engine draws
    charts at all; `com`: Windows Excel (COM objects for dashes, hatching, alt text);
    `left(what)` records what could not be drawn."""
    place, table = layout.tables.get(chart.table), tables.get(chart.table)
    if place is None or table is None or not table.rows:
        return
    what = f"diagrammet ”{chart.title}” (siffrorna finns i tabellen)"
    if not charts_ok:
        left(what)
        return
    cols = sorted({chart.category_column, *chart.series_columns})
    if cols != list(range(cols[0], cols[-1] + 1)):
        left(what)
        return
    top, bottom, categories = place.heading_row, place.last_row, None
    if chart.by_rows and (chart.table_rows is not None or chart.category_row is not None):
        first, last = chart.table_rows or (0, len(table.rows) - 1)
        cat_row = (place.heading_row if chart.category_row is None
                   else place.first_row + chart.category_row)
        top, bottom = place.first_row + first, place.first_row + last
        if cat_row == top - 1:
            top = cat_row
        else:  # categories apart from the series: set them after the data
            categories = _rng(sheet, cat_row, cols[1] + 1, cat_row, cols[-1] + 1)
    try:
        source = _rng(sheet, top, cols[0] + 1, bottom, cols[-1] + 1)
        drawn = sheet.charts.add(
            chart_type="bar_clustered" if chart.kind == "bar" else "line_markers",
            source=source, plot_by="rows" if chart.by_rows else "columns",
            anchor=sheet.range(anchor),
            width=chart.width_cm * look.POINTS_PER_CM,
            height=max(chart.rows - 1, 1) * ROW_HEIGHT_PT)
        if categories is not None:
            drawn.set_x_axis_values(categories)
        drawn.title = chart.title
        if chart.percent:
            drawn.value_axis.number_format = "0%"
        bounds = chart_look.value_axis(chart)
        if bounds is not None:
            axis = drawn.value_axis
            axis.minimum_scale, axis.maximum_scale, axis.major_unit = bounds
        if chart.kind == "bar":
            drawn.category_axis.reverse_order = True
        if not chart.legend:
            drawn.legend.visible = False
        else:
            drawn.legend.position = chart_look.legend_position(chart)
        if chart.y_title:
            drawn.value_axis.title = chart.y_title
        if chart.x_title:
            drawn.category_axis.title = chart.x_title
    except (NotImplementedError, AttributeError, ValueError):
        left(what)
        return
    rows = chart.table_rows or (0, len(table.rows) - 1)
    n = rows[1] - rows[0] + 1 if chart.by_rows else len(chart.series_columns)
    _chart_extras(drawn, chart, n, com, sheet, left)

def _chart_extras(drawn: Any, chart: sm.Chart, n: int, com: bool, sheet: Any,
                  left: Callable[[str], None]) -> None:
    """Series colours and markers (where the engine lists series), and on Windows
    Excel the dashes, hatching and alternative text through COM."""
    try:
        for i, series in enumerate(_series(drawn, n)):
            style = chart_look.series_style(i)
            if chart.kind == "bar":
                series.set(fill_color=look.css(style.colour),
                           line_color=look.css(style.colour))
            else:
                series.set(marker_style=style.marker, line_color=look.css(style.colour),
                           marker_foreground_color=look.css(style.colour),
                           marker_background_color=look.css(style.colour))
    except Exception:  # noqa: BLE001 - the engine cannot list series yet
        left("diagrammens linjetyper och markörer")
        return
    if not com:  # only Windows Excel has the COM objects
        left("diagrammens alternativtext")
        if chart.kind == "bar":
            left("randiga staplar")
        return
    try:
        _com_chart_extras(sheet, drawn, chart)
    except Exception:  # noqa: BLE001 - cosmetic; the chart is drawn
        left("diagrammens alternativtext")


def _series(drawn: Any, n: int) -> list[Any]:
    """The chart's n series. The remote engine cannot count a new chart's series, so its
    collection is made with the count the sheet model gives."""
    try:
        return list(drawn.series)
    except NotImplementedError:
        impl = drawn.impl.series
        counted = type(drawn.series)(impl=type(impl)(drawn.impl, count=n))
        return [counted[i] for i in range(n)]


# Office constants: msoLineSolid … msoLineSquareDot, msoPatternWideUpwardDiagonal.
_COM_DASHES = {"solid": 1, "dash": 4, "sysDot": 3, "dashDot": 5, "lgDash": 7, "sysDash": 2}
_COM_WIDE_UPWARD_DIAGONAL = 28


def _com_chart_extras(sheet: Any, drawn: Any, chart: sm.Chart) -> None:
    sheet.api.Shapes(drawn.name).AlternativeText = chart.description
    com_chart = drawn.api[1]
    for i in range(1, com_chart.SeriesCollection().Count + 1):
        style = chart_look.series_style(i - 1)
        fmt = com_chart.SeriesCollection(i).Format
        if chart.kind == "bar":
            if style.hatched:
                fmt.Fill.Patterned(_COM_WIDE_UPWARD_DIAGONAL)
                fmt.Fill.BackColor.RGB = 0xFFFFFF
        else:
            fmt.Line.DashStyle = _COM_DASHES[style.dash]
