"""The charts of the result workbooks as sheet models: the local Diagram sheet, the
national trend chart per indicator and the Historik charts (Tabell 22).

Every chart says what it shows in its `description` (alternative text, with the
figures), and a percent chart's value axis follows `percent_axis`, so that a few close
points show their movement instead of a flat line across 0–100 %. The figures come
from the core (`Analysis.indicator_means`, the national history); nothing is computed
here but the axis bounds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from indikator_xl.domain import instrument as ins
from indikator_xl.figures.analysis import Analysis
from indikator_xl.sheets import vocabulary as voc
from indikator_xl.sheets.sheetmodel import (
    Block,
    Chart,
    ChartGrid,
    Column,
    PageSetup,
    Row,
    Sheet,
    Table,
    Text,
    Value,
)

DIAGRAM = "Diagram"
AXIS_STEP = 5         # percentage points: axis bounds fall on multiples of this
AXIS_PADDING = 2.5    # at least this much room above the highest and below the lowest point
AXIS_MIN_SPAN = 20    # never narrower than this, so noise does not look like a trend
SMALL_WIDTH_CM = 8.5  # one chart of a grid
SMALL_ROWS = 15


def percent_axis(values: Iterable[Any]) -> tuple[float, float, float]:
    """Value axis (minimum, maximum, major unit) as fractions for shares 0–1.

    The rule (docs/beslut.md): from the 5-point step at or below the lowest value minus
    2.5 points to the 5-point step at or above the highest value plus 2.5 points, within
    0–100 %, widened evenly to at least 20 points; gridlines every 5 points up to a span
    of 30, every 10 up to 60, else every 20. Without values: 0–100 %."""
    points = [round(float(v) * 100, 6) for v in values if not voc.is_missing(v)]
    if not points:
        return 0.0, 1.0, 0.2
    lo = max(0, math.floor((min(points) - AXIS_PADDING) / AXIS_STEP) * AXIS_STEP)
    hi = min(100, math.ceil((max(points) + AXIS_PADDING) / AXIS_STEP) * AXIS_STEP)
    low_next = False  # widen alternately above and below, the top first
    while hi - lo < AXIS_MIN_SPAN:
        if (low_next and lo > 0) or hi >= 100:
            lo -= AXIS_STEP
        else:
            hi += AXIS_STEP
        low_next = not low_next
    span = hi - lo
    unit = 5 if span <= 30 else 10 if span <= 60 else 20
    return lo / 100, hi / 100, unit / 100


def count_axis(values: Iterable[Any]) -> tuple[float, float, float]:
    """Value axis for counts: from 0 (a count's size is its message) to the first round
    step (1, 2 or 5 × 10^k, about five gridlines) at or above the highest value + 5 %."""
    top = max([float(v) for v in values if not voc.is_missing(v)], default=1.0) * 1.05
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    unit = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return 0.0, float(math.ceil(top / unit) * unit), float(unit)


def _pct(v: Any) -> str:
    return "saknas" if voc.is_missing(v) else f"{round(float(v) * 100)} %"


def _axis_text(axis: tuple[float, float, float]) -> str:
    return f"Värdeaxeln går från {round(axis[0] * 100)} % till {round(axis[1] * 100)} %."


# --- the local Diagram sheet -------------------------------------------------------------

def _heading_width(heading: str, least: float = 14) -> float:
    """A wrapped heading's width: its longest word never breaks in the middle."""
    return max(least, max(len(w) for w in heading.split()) + 3)


def diagram(a: Analysis) -> Sheet:
    """Bar chart of nyckeltal per indicator against the rikssnitt; with a previous
    period, one small line chart per indicator (förbund and rikssnitt over the periods)."""
    reg, riks = a.registration, a.rikssnitt
    means = list(a.indicator_means.itertuples(index=False))
    own = f"{reg.forbund} {reg.period}"
    riks_head = f"Rikssnitt {riks.period}"
    cols = (Column("Indikator", width=58, wrap=True),
            Column(own, "share", width=_heading_width(own), wrap=True),
            Column(riks_head, "share", width=_heading_width(riks_head), wrap=True))
    rows = tuple(Row((Value(f"{int(m[0])} {ins.INDICATOR_SHORT[int(m[0])]}"),
                      Value(voc.number(m[1]), "share"), Value(voc.number(m[2]), "share")))
                 for m in means)
    listing = "; ".join(f"{int(m[0])} {ins.INDICATOR_SHORT[int(m[0])]}: {_pct(m[1])} "
                        f"(rikssnittet {_pct(m[2])})" for m in means)
    blocks: list[Block] = [
        Text(f"Diagram – {own}", "title"),
        Table("indikatorer", cols, rows, title="Nyckeltal per indikator",
              notes=("Indikatornivå: oviktat medelvärde av nyckeltalen för indikatorns mått "
                     "(samtliga svarande), över de mått där både förbundet och rikssnittet "
                     "har värden.",)),
        # The key is in the title, in the bars' top-down order: a legend would list the
        # series bottom-up in some programs (LibreOffice reverses a bar chart's legend).
        Chart("bar", f"Nyckeltal per indikator: {own} (övre stapeln, hel) och "
                     f"rikssnittet {riks.period} (nedre stapeln, randig)",
              table="indikatorer", series_columns=(1, 2), rows=max(16, 2 * len(rows)),
              new_page=True, legend=False,
              description=(f"Liggande stapeldiagram med andelen klart positiva svar per "
                           f"indikator, {own} (hela staplar) och rikssnittet {riks.period} "
                           f"(randiga staplar), i tabellens ordning. {listing}.")),
    ]
    if a.previous is not None:
        blocks += _trend_blocks(a, means)
    return Sheet(DIAGRAM, tuple(blocks), freeze_heading=False,
                 page=PageSetup(repeat_heading=False))


def _trend_blocks(a: Analysis, means: Sequence[Any]) -> list[Block]:
    reg, riks = a.registration, a.rikssnitt
    assert a.previous is not None
    prev, cur = a.previous.period, reg.period
    cols = (Column("Indikator", width=58, wrap=True), Column(str(prev), "share", width=14),
            Column(str(cur), "share", width=14))
    rows: list[Row] = []
    charts: list[Chart] = []
    for m in (m for m in means if not voc.is_missing(m[3])):
        i = int(m[0])
        axis = percent_axis((m[1], m[2], m[3], m[4]))
        name = f"{i} {ins.INDICATOR_SHORT[i]}"
        first = len(rows) + 1
        rows += [Row((Value(name), Value(), Value()), "heading"),
                 Row((Value(str(reg.forbund)), Value(voc.number(m[3]), "share"),
                      Value(voc.number(m[1]), "share"))),
                 Row((Value("Rikssnittet"), Value(voc.number(m[4]), "share"),
                      Value(voc.number(m[2]), "share")))]
        charts.append(Chart(
            "line", f"Indikator {name}", "trend", series_columns=(1, 2), by_rows=True,
            table_rows=(first, first + 1), category_row=None, rows=SMALL_ROWS,
            width_cm=SMALL_WIDTH_CM, axis=axis,
            description=(f"Linjediagram för indikator {name}: andelen klart positiva svar "
                         f"{prev} och {cur}. {reg.forbund}: {_pct(m[3])} och {_pct(m[1])} "
                         f"(heldragen linje, cirklar). Rikssnittet: {_pct(m[4])} och "
                         f"{_pct(m[2])} (streckad linje, trianglar). {_axis_text(axis)}")))
    if not charts:
        return []
    notes = [f"{reg.forbund} {prev} och {cur}: medelvärde över de mått som har värden "
             "båda perioderna. Rikssnittet: medelvärde över samma mått, där det "
             "publicerade rikssnittet finns.",
             "Varje diagram har en egen värdeaxel som visar förändringen; jämför därför "
             "nivåerna mellan indikatorer i tabellen, inte i diagrammen."]
    if riks.period != cur:
        notes.append(f"Rikssnittet gäller {riks.period} och perioden före.")
    table = Table("trend", cols, tuple(rows), title="Nyckeltal per indikator över tid",
                  notes=tuple(notes))
    return [ChartGrid(tuple(charts), per_row=3, rows_per_page=2), table]


# --- the national result -----------------------------------------------------------------

_SUBGROUP_WORDS = {"samtliga": "samtliga", ins.KVINNOR: "kvinnor", ins.MAN: "män"}


def trend_series(questions: Sequence[ins.Question]) -> list[tuple[str, tuple[str, int, str]]]:
    """Chart series of a national trend chart: kvinnor and män for participants (as the
    report draws them), samtliga for the other groups."""
    out = []
    for q in questions:
        group = ins.GROUPS_BY_NAME[q.group]
        several = sum(1 for x in questions if x.group == q.group) > 1
        base = group.short + (f" fråga {q.number}" if several else "")
        subs = (ins.KVINNOR, ins.MAN) if group.is_participant else ("samtliga",)
        for u in subs:
            label = f"{base}, {_SUBGROUP_WORDS[u]}" if group.is_participant else base
            out.append((label, (q.group, q.number, u)))
    return out


def national_trend(periods: Sequence[int], series: Sequence[tuple[str, tuple]],
                   values: dict[tuple, Any], name: str, title: str,
                   key_label: str) -> list[Block]:
    """A trend chart over every period with figures (published 2021–2023 and the merged
    ones), followed by its figures as a table; `values[(period, group, question,
    undergrupp)]` is a nyckeltal 0–1 (missing: no point)."""
    cols = (Column("Mätperiod", "year"), *(Column(label, "share", width=14, wrap=True)
                                           for label, _ in series))
    rows = []
    shown: list[float] = []
    for p in periods:
        cells = [Value(str(p), "text")]
        for _, key in series:
            k = values.get((p, *key))
            if k is None or voc.is_missing(k):
                cells.append(Value())
            else:
                cells.append(Value(float(k), "share"))
                shown.append(float(k))
        rows.append(Row(tuple(cells)))
    span = f"{periods[0]}–{periods[-1]}"
    axis = percent_axis(shown)
    lines = "; ".join(
        f"{label}: " + ", ".join(f"{p} {_pct(values.get((p, *key)))}" for p in periods)
        for label, key in series)
    chart = Chart("line", title, name, 0, tuple(range(1, len(cols))),
                  y_title=key_label[0].upper() + key_label[1:], rows=18, new_page=True,
                  axis=axis,
                  description=(f"Linjediagram, {key_label} per mätperiod {span}, en linje "
                               f"per respondentgrupp med egen markör och linjetyp. {lines}. "
                               f"{_axis_text(axis)}"))
    table = Table(name, cols, tuple(rows), title=f"Siffrorna i diagrammet ({span}).")
    return [chart, table]


def history_charts(table: Table, years: Sequence[int]) -> list[Block]:
    """Tabell 22 as two line charts side by side: surveys collected and förbund taking
    part per year (rows 0 and 1 of the Historik table), each on its own count axis."""
    if len(years) < 2:
        return []
    span = f"{years[0]}–{years[-1]}"
    charts = []
    for row, what in ((0, "Totalt insamlade enkäter"), (1, "Antal deltagande förbund")):
        values = [c.value for c in table.rows[row].cells[1:1 + len(years)]]
        figures = ", ".join(f"{y} {v}" for y, v in zip(years, values, strict=True))
        charts.append(Chart(
            "line", f"{what} {span}", table.name, series_columns=tuple(range(1, len(years) + 1)),
            by_rows=True, table_rows=(row, row), percent=False, legend=False,
            axis=count_axis(v for v in values if isinstance(v, int | float)),
            rows=SMALL_ROWS, width_cm=12.0,
            description=f"Linjediagram: {what.lower()} per mätperiod {span}: {figures}."))
    return [ChartGrid(tuple(charts), per_row=2, rows_per_page=1, new_page=False)]
