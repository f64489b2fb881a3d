"""How every chart looks, as plain data (no Excel library): series styles, the value
axis and where a chart of a grid is anchored.

Series differ by more than colour: each line has its own marker and dash, and the
second series of a bar chart is hatched. Every colour has a contrast of at least
4.5:1 against white (WCAG 2.1, `contrast`), so lines, markers and labels read on
screen, in print and for readers with impaired colour vision. All renderers take the
style of series i from `series_style(i)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from indikator_xl.sheets import look
from indikator_xl.sheets import sheetmodel as sm

Marker = Literal["circle", "triangle", "square", "diamond", "x", "star"]
Dash = Literal["solid", "dash", "sysDot", "dashDot", "lgDash", "sysDash"]


@dataclass(frozen=True)
class SeriesStyle:
    """Colour (six hex digits), marker and dash of a line; `hatched`: a bar drawn with a
    diagonal pattern in its colour on white instead of a solid fill."""

    colour: str
    marker: Marker
    dash: Dash
    hatched: bool = False


SERIES_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("1F4E79", "circle", "solid"),
    SeriesStyle("A63D00", "triangle", "dash", hatched=True),
    SeriesStyle("375623", "square", "sysDot"),
    SeriesStyle("7030A0", "diamond", "dashDot"),
    SeriesStyle("404040", "x", "lgDash"),
    SeriesStyle("8B1A4A", "star", "sysDash"),
)
WHITE = "FFFFFF"
MIN_CONTRAST = 4.5
LINE_WIDTH_PT = 2.25
MARKER_SIZE = 7
GRID_GAP_CM = 0.8   # space between the charts of a grid row
HATCH: Literal["wdUpDiag"] = "wdUpDiag"  # DrawingML preset: wide upward diagonal


def series_style(i: int) -> SeriesStyle:
    """The style of the i-th series (0-based) of any chart."""
    return SERIES_STYLES[i % len(SERIES_STYLES)]


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[k:k + 2], 16) for k in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str = WHITE) -> float:
    """WCAG 2.1 contrast ratio of two colours ("1F4E79", "FFFFFF"): 1 to 21."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def column_cm(chars: float) -> float:
    """A column's width in cm (Calibri 11: 7 pixels a character plus 5 of padding)."""
    return (chars * 7 + 5) / 96 * 2.54


def chart_anchor(sheet: sm.Sheet, place: sm.ChartPlace) -> tuple[str, float]:
    """The cell a chart is anchored at and its distance in cm from that cell's left
    edge: column A for the first chart of a row; slot k of a grid row starts
    k × (chart width + gap) from the sheet's left edge."""
    want = place.slot * (place.chart.width_cm + GRID_GAP_CM)
    widths = look.column_widths(sheet)
    left, col = 0.0, 1
    while True:
        width = column_cm(widths.get(col, look.DEFAULT_WIDTH))
        if left + width > want:
            return sm.cell_ref(place.row, col), round(want - left, 3)
        left += width
        col += 1


def value_axis(chart: sm.Chart) -> tuple[float, float, float] | None:
    """(minimum, maximum, major unit) of the value axis, None for the library's own."""
    if chart.axis is not None:
        return chart.axis
    return (0.0, 1.0, 0.2) if chart.percent else None


def title_size(chart: sm.Chart) -> float | None:
    """A small chart's title in 11 pt, so a long indicator name fits on two lines; None
    keeps the library's size."""
    return 11.0 if chart.width_cm < 14 else None


def legend_position(chart: sm.Chart) -> Literal["bottom", "right"]:
    """Below a bar chart (read left to right in the bars' top-down order) and a small
    chart; right of a full-width line chart."""
    return "bottom" if chart.kind == "bar" or chart.width_cm < 14 else "right"
