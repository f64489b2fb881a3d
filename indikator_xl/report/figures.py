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


def png(figure: Figure) -> bytes:
    """The figure as a PNG: horizontal bars, one group per measure, one bar per series."""
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
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None},
                pil_kwargs={"compress_level": 3})
    return out.getvalue()
