"""Charts of a report draft as PNG bytes (matplotlib's Agg canvas, no pyplot, deterministic).

Series differ by hatching as well as colour and every bar carries its value, so the
chart reads in black-and-white print. matplotlib is imported when a chart is drawn.
"""

from __future__ import annotations

import io

from indikator_xl.report.comments import percent
from indikator_xl.report.model import Figure

# Dark, print-safe colours (each with at least 4.5:1 contrast against white) and hatches.
COLOURS = ("#1f4e79", "#7f7f7f", "#b35900", "#5b2c6f", "#2e6b30")
HATCHES = ("", "//", "..", "xx", "\\\\")
DPI = 150


MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")


def png(figure: Figure) -> bytes:
    """The figure as a PNG (a bar or a line chart, by its kind)."""
    return _line_png(figure) if figure.kind == "line" else _bar_png(figure)


def _save(fig) -> bytes:  # noqa: ANN001 - a matplotlib Figure
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None},
                pil_kwargs={"compress_level": 3})
    return out.getvalue()


def _line_png(figure: Figure) -> bytes:
    """One line per series over the periods; series differ by colour, marker and dash;
    the value axis is the figure's (else the figures' span in steps of ten percent)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(6.3, 3.4 + 0.2 * -(-len(figure.series) // 2)), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = range(len(figure.categories))
    shown = [v * 100 for s in figure.series for v in s.values if v is not None]
    for k, s in enumerate(figure.series):
        points = [(x, v * 100) for x, v in zip(xs, s.values, strict=True) if v is not None]
        if not points:
            continue
        ax.plot([p[0] for p in points], [p[1] for p in points],
                color=COLOURS[k % len(COLOURS)], marker=MARKERS[k % len(MARKERS)],
                linestyle=LINESTYLES[k // len(COLOURS) % len(LINESTYLES)], linewidth=1.6,
                markersize=4, label=s.label)
    if figure.axis is not None:  # the workbook chart's value axis
        low, high, unit = (round(x * 100) for x in figure.axis)
    else:
        low = max(0, (int(min(shown, default=0)) // 10 - 1) * 10)
        high, unit = min(100, (int(max(shown, default=100)) // 10 + 1) * 10), 10
    ax.set_ylim(low, high)
    ticks = range(low, high + 1, max(unit, 1))
    ax.set_yticks(list(ticks), [f"{t} %" for t in ticks], fontsize=8)
    ax.set_xticks(list(xs), list(figure.categories), fontsize=8)
    if figure.y_title:
        ax.set_ylabel(figure.y_title, fontsize=8)
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.5)
    ax.spines[["top", "right"]].set_visible(False)
    rows = -(-len(figure.series) // 2)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2,
              frameon=False)
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.12 + 0.045 * rows, top=0.96)
    return _save(fig)


def _bar_png(figure: Figure) -> bytes:
    """Horizontal bars, one group per measure, one bar per series."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    n_cat, n_ser = len(figure.categories), len(figure.series)
    height = 0.8 + n_cat * (0.2 * n_ser + 0.25)
    fig = MplFigure(figsize=(6.3, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    bar = 0.8 / n_ser
    for s, series in enumerate(figure.series):
        ys = [c + (s - (n_ser - 1) / 2) * bar for c in range(n_cat)]
        values = [0.0 if v is None else v * 100 for v in series.values]
        ax.barh(ys, values, height=bar * 0.92, color=COLOURS[s % len(COLOURS)],
                hatch=HATCHES[s % len(HATCHES)], edgecolor="white", linewidth=0.4,
                label=series.label)
        for y, v in zip(ys, series.values, strict=True):
            ax.text(1 if v is None else v * 100 + 1, y, percent(v), va="center",
                    fontsize=7)
    ax.set_yticks(range(n_cat), [c.replace(", ", "\n") for c in figure.categories],
                  fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20), [f"{x} %" for x in range(0, 101, 20)], fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncol=min(n_ser, 5), frameon=False)
    fig.subplots_adjust(left=0.24, right=0.97, bottom=0.5 / height,
                        top=1 - 0.45 / height)
    return _save(fig)
