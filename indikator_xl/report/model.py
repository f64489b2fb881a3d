"""A report draft as plain data: headings, paragraphs, tables and figures, in order.

The builders (`local`) describe what the document says; the Word renderer
(`docx_writer`) only draws it. Nothing here knows Word or matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is a chapter (Word's Heading 1), 2 a section."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text. `draft`: a drafted sentence the author rewrites or deletes (drawn in
    the draft style); `placeholder`: a "[Skriv här: …]" the author fills in; `bullet`:
    an item of a bulleted list."""

    text: str
    draft: bool = False
    placeholder: bool = False
    bullet: bool = False


@dataclass(frozen=True)
class Table:
    """A numbered table: its caption, one header row (repeated on every page) and the
    body rows as text, first column the row labels. `indented` marks body rows that are
    parts of the row above (insatser under their group)."""

    caption: str
    header: tuple[str, ...]
    body: tuple[tuple[str, ...], ...]
    indented: frozenset[int] = frozenset()
    note: str = ""
    widths_cm: tuple[float, ...] = ()  # column widths; empty: the first column wider


@dataclass(frozen=True)
class Series:
    """One series of a chart: its label and one value (fraction 0–1, None = no figure)
    per category."""

    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Figure:
    """A chart of key figures with its caption and the alternative text for a screen
    reader. kind "bar": categories (one per measure) by series (this year, last year,
    rikssnitt …); "line": one line per series over the categories (periods)."""

    caption: str
    alt_text: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    kind: Literal["bar", "line"] = "bar"
    y_title: str = ""
    axis: tuple[float, float, float] | None = None  # line: (min, max, unit) as fractions


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True)
class Document:
    """A whole report draft: core properties and the blocks in reading order."""

    title: str
    subject: str
    author: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Figure))
