"""Where a printed sheet breaks pages, from the sheet model alone (pure arithmetic).

A sheet prints one page wide (`PageSetup.fit_to_width`), so its scale is the printable
width over the sheet's width and a page holds the printable height over that scale.
`page_breaks(sheet)` walks the flow of `sheetmodel.layout` in units that must stay on one
page when they fit: a table with its title and notes, together with the heading and note
lines right before and after it (no orphan title, no page of footnotes only); a chart;
every other line. A unit that does not fit on the current page starts a new one; a
chart marked `new_page` always does. A unit taller than a page runs over pages (the
print-title rows then repeat its headings where the sheet has them).

The renderers add these as manual row breaks; the estimate errs on the small side, so a
printing program's own breaks do not fall inside a unit.
"""

from __future__ import annotations

import dataclasses

from indikator_xl.sheets import look
from indikator_xl.sheets import sheetmodel as sm

A4_CM = (21.0, 29.7)
MARGIN_SIDES_CM = 0.5 * 2.54 * 2          # renderers' margins: 0.5" left and right
MARGIN_TOP_BOTTOM_CM = 0.6 * 2.54 * 2     # 0.6" top and bottom, header and footer inside
SAFETY = 0.88                             # room for a printing program's rounding


def _points(cm: float) -> float:
    return cm * look.POINTS_PER_CM


def column_points(chars: float) -> float:
    """A column `chars` characters wide in points (Calibri 11: 7 px a character + 5)."""
    return (chars * 7 + 5) * 0.75


def page_height(sheet: sm.Sheet) -> float:
    """How many points of the sheet one printed page holds."""
    short, long = A4_CM
    width_cm, height_cm = (long, short) if sheet.page.landscape else (short, long)
    printable_w = _points(width_cm - MARGIN_SIDES_CM)
    printable_h = _points(height_cm - MARGIN_TOP_BOTTOM_CM)
    widths = look.column_widths(sheet)
    used = max(widths) if widths else 1
    sheet_w = sum(column_points(widths.get(j, look.DEFAULT_WIDTH)) for j in range(1, used + 1))
    scale = min(1.0, printable_w / sheet_w) if sheet.page.fit_to_width and sheet_w else 1.0
    return printable_h * SAFETY / scale


def row_heights(sheet: sm.Sheet) -> dict[int, float]:
    """Height in points of every row the flow uses (1-based), as the renderers set them."""
    pos = sm.layout(sheet)
    widths = look.column_widths(sheet)
    heights = {r: look.LINE_HEIGHT for r in range(1, pos.last_row + 2)}
    for block, top in zip(sheet.blocks, pos.block_rows, strict=True):
        if isinstance(block, sm.Text) and block.style == "title":
            heights[top] = look.TITLE_ROW_HEIGHT
        elif isinstance(block, sm.Table):
            for i, h in look.table_row_heights(block, widths).items():
                heights[top + i] = h
        elif isinstance(block, sm.Chart):
            for r in range(top, top + block.rows):
                heights[r] = look.ROW_CM * look.POINTS_PER_CM
    return heights


def _units(sheet: sm.Sheet, pos: sm.SheetLayout) -> list[tuple[int, int, bool]]:
    """(first row, last row, starts a page) of each keep-together unit, in order."""
    spans: list[tuple[int, int]] = []
    for k, top in enumerate(pos.block_rows):
        nxt = pos.block_rows[k + 1] if k + 1 < len(sheet.blocks) else pos.last_row + 2
        spans.append((top, nxt - 1))
    units: list[tuple[int, int, bool]] = []
    pending: int | None = None  # first row of heading lines waiting for their table
    for k, block in enumerate(sheet.blocks):
        first, last = spans[k]
        if isinstance(block, sm.Text) and block.style in ("title", "heading", "normal"):
            pending = first if pending is None else pending
            continue
        if isinstance(block, sm.Text) and units and block.style == "note" and pending is None:
            start, _end, new = units[-1]
            units[-1] = (start, last, new)  # a note stays with what it explains
            continue
        new_page = isinstance(block, sm.Chart) and block.new_page
        if pending is not None and not new_page:
            first, pending = pending, None
        elif pending is not None:
            units.append((pending, first - 1, False))
            pending = None
        units.append((first, last, new_page))
    if pending is not None:
        units.append((pending, pos.last_row + 1, False))
    return units


def page_breaks(sheet: sm.Sheet) -> list[int]:
    """Rows (1-based) after which a new page starts, above the sheet's first chart: from
    there on the chart layout (`chart_look`) sets the breaks, each chart on a new page."""
    capacity = page_height(sheet)
    first_chart = next((k for k, b in enumerate(sheet.blocks)
                        if not isinstance(b, sm.Text | sm.Table)), len(sheet.blocks))
    sheet = dataclasses.replace(sheet, blocks=sheet.blocks[:first_chart])
    if not sheet.blocks:
        return []
    pos = sm.layout(sheet)
    heights = row_heights(sheet)
    breaks: list[int] = []
    used = 0.0
    for first, last, new_page in _units(sheet, pos):
        h = sum(heights.get(r, look.LINE_HEIGHT) for r in range(first, last + 1))
        if first > 1 and (new_page or (used > 0 and used + h > capacity)):
            breaks.append(first - 1)
            used = 0.0
        used += h
        while used > capacity:  # a unit taller than a page runs over
            used -= capacity
    return breaks
