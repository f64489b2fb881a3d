"""The national report's tables and trend charts, taken from the national result's sheet
models (sheets/national_sheets.py), so the Word draft and the result workbook show the
same figures. Values are written as the national report prints them: "89%", "(77%)*",
"1 122", "107,7"; a hidden or missing figure is "–". Pure; no document library.
"""

from __future__ import annotations

import math
import re

from indikator_xl.figures.national import thousands
from indikator_xl.figures.report_tables import whole_percent
from indikator_xl.report.model import Figure, Series, Table
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.sheets import vocabulary as voc
from indikator_xl.sheets.vocabulary import DASH, DOLD, SAKNAS

TEXT_WIDTH_CM = 17.0
DEFAULT_WIDTH = 10.0  # Excel characters, where a column sets none
_QUOTED = re.compile(r'"([^"]*)"')


def value_text(v: sm.Value) -> str:
    """One cell as the report prints it, following the cell's number format: a quoted
    suffix ('0%"*"') is appended, a bracketed format (\\(0%\\)) adds the brackets. The
    sheets' [dold] and [x] are the report's dash."""
    x = v.value
    if x is None:
        return ""
    if isinstance(x, str):
        return DASH if x in (DOLD, SAKNAS) else x
    if isinstance(x, bool):
        return "Ja" if x else "Nej"
    fmt = v.format
    suffix = "".join(_QUOTED.findall(fmt))
    base = _QUOTED.sub("", fmt)
    if isinstance(x, float) and math.isnan(x):
        return DASH
    if "%" in base:
        text = f"{whole_percent(float(x))}%"
    elif v.kind == "year":
        text = str(int(x))
    elif "0.0" in base:
        text = f"{float(x):.1f}".replace(".", ",")
    elif v.kind in ("count", "number") and float(x).is_integer():
        text = thousands(int(x))
    else:
        text = f"{x:g}".replace(".", ",")
    if base.startswith("\\("):
        text = f"({text})"
    return text + suffix


# The sheets' flag columns, which the printed report says with stars and notes instead.
_FLAG_HEADINGS = ("Stjärna", "Osäker", "Varför dold", "Ny (deltog")
_QUESTION = re.compile(r"^(.*) (Fråga \d+  .+)$")
_PART = re.compile(r"^(.*)_\d+$")
_NOTE_NUMBER = re.compile(r"^\[not \d+\] ")


def _without_flags(t: sm.Table) -> sm.Table:
    """The table without the flag columns and without the sheets' note numbers."""
    notes = tuple(_NOTE_NUMBER.sub("", n) for n in t.notes)
    keep = [j for j, c in enumerate(t.columns) if not c.heading.startswith(_FLAG_HEADINGS)]
    if len(keep) == len(t.columns):
        return sm.Table(t.name, t.columns, t.rows, t.title, notes)
    rows = tuple(sm.Row(tuple(r.cells[j] for j in keep if j < len(r.cells)), r.style)
                 for r in t.rows)
    return sm.Table(t.name, tuple(t.columns[j] for j in keep), rows, t.title, notes)


def report_tables(tables: list[sm.Table]) -> dict[str, sm.Table]:
    """The sheet's tables by name as the report prints them: the tables the sheet splits
    one per question (named `name_1`, `name_2`, … and titled "<title> Fråga N  <group>")
    joined again under their question lines, and without the flag columns."""
    out: dict[str, sm.Table] = {}
    for t in map(_without_flags, tables):
        part, question = _PART.match(t.name), _QUESTION.match(t.title or "")
        if part is None or question is None:
            out[t.name] = t
            continue
        base, title = part.group(1), question.group(1)
        heading = sm.Row((sm.Value(question.group(2)),), "subheading")
        earlier = out.get(base)
        rows = (*(earlier.rows if earlier else ()), heading, *t.rows)
        out[base] = sm.Table(base, t.columns, rows, title, t.notes)
    return out


def starred_totals(t: sm.Table) -> sm.Table:
    """Tabell 3 as the report prints it: the Totalt ratios against målpopulation with
    the report's "*" and its footnote (remittenter left out), where the sheet says so in
    a note without a star."""
    starred = {voc.RATE_HEADINGS[c] for c in voc.STARRED_TOTAL_RATES}
    cols = [j for j, c in enumerate(t.columns) if c.heading in starred]
    rows = []
    for r in t.rows:
        if r.style == "total":
            cells = list(r.cells)
            for j in cols:
                v = cells[j]
                if not isinstance(v.value, str):
                    cells[j] = sm.Value(v.value, v.kind, v.emphasis, voc.SHARE_STAR)
            r = sm.Row(tuple(cells), r.style)
        rows.append(r)
    notes = tuple(f"{voc.STAR} Remittenter ej inkluderade i beräkning (de saknar "
                  "målpopulation)." if n == voc.REMITTENTER_NOTE else n for n in t.notes)
    return sm.Table(t.name, t.columns, tuple(rows), t.title, notes)


def _widths(columns: tuple[sm.Column, ...]) -> tuple[float, ...]:
    raw = [c.width or DEFAULT_WIDTH for c in columns]
    raw[0] = max(raw[0], 24.0)
    total = sum(raw)
    return tuple(round(TEXT_WIDTH_CM * w / total, 2) for w in raw)


def table(t: sm.Table, caption: str | None = None) -> Table:
    """A sheet table as a report table: band headings above their column's heading,
    question lines (subheadings) and totals as bold rows, the data rows under them
    indented, and the table's notes below it."""
    header = tuple(f"{c.band}\n{c.heading}" if c.band else c.heading for c in t.columns)
    body: list[tuple[str, ...]] = []
    indented: set[int] = set()
    grouped = any(r.style in ("subheading", "heading") for r in t.rows)
    for r in t.rows:
        cells = [value_text(v) for v in r.cells]
        cells += [""] * (len(header) - len(cells))
        if grouped and r.style == "normal":
            indented.add(len(body))
        body.append(tuple(cells))
    return Table(caption=caption or t.title or "", header=header, body=tuple(body),
                 indented=frozenset(indented), note=" ".join(t.notes),
                 widths_cm=_widths(t.columns))


def trend_figure(chart: sm.Chart, data: sm.Table) -> Figure:
    """A line chart of the sheet's trend chart: one line per series column over the
    periods of the category column, on the sheet chart's value axis, with its alternative
    text (or one that reads the figures out)."""
    periods = tuple(value_text(r.cells[chart.category_column]) for r in data.rows)
    series = []
    for c in chart.series_columns:
        values = tuple(r.cells[c].value if isinstance(r.cells[c].value, int | float)
                       else None for r in data.rows)
        series.append(Series(data.columns[c].heading, tuple(
            None if v is None else float(v) for v in values)))
    said = "; ".join(
        f"{s.label}: " + ", ".join(f"{p} {whole_percent(v)} %" for p, v in
                                   zip(periods, s.values, strict=True) if v is not None)
        for s in series)
    return Figure(caption=chart.title,
                  alt_text=chart.description or f"Linjediagram. {chart.title} {said}.",
                  categories=periods, series=tuple(series), kind="line",
                  y_title=chart.y_title or "", axis=chart.axis)
