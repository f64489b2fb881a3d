"""The sheets that make a result workbook publishable: Framsida, Innehåll and Noter.

`publish(book, about)` puts a cover (title, period, producer, contact placeholder, date
made, the tool's version, sources), a contents sheet with a link to every sheet and a
notes sheet before the book's own sheets, says on each sheet how many tables it holds
(the line below its title), and numbers every note under a table as "[not N]", which
the notes sheet explains together with every symbol the tables use
(`vocabulary.SYMBOLS`) and the machine-readable sheets. Pure: sheet model in and out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from indikator_xl import __version__
from indikator_xl.sheets import vocabulary as voc
from indikator_xl.sheets.sheetmodel import (
    Block,
    Column,
    Link,
    PageSetup,
    Row,
    Sheet,
    Table,
    Text,
    Value,
    Workbook,
)

COVER = "Framsida"
CONTENTS = "Innehåll"
NOTES = "Noter"
SHEET_NAMES = (COVER, CONTENTS, NOTES)
CONTACT = "Fyll i kontaktperson: namn, e-post och telefon."
_PORTRAIT = PageSetup(landscape=False, repeat_heading=False)


@dataclass(frozen=True)
class About:
    """What the cover says and what each sheet holds (for the contents sheet)."""

    title: str
    period: str
    producer: str
    sources: tuple[str, ...]
    contents: Mapping[str, str]
    machine_readable: Mapping[str, str] = dataclasses.field(default_factory=dict)
    made: date | None = None


def count_line(n: int) -> str:
    """The line below a sheet's title saying how many tables it holds."""
    if n == 0:
        return "Bladet har inga tabeller."
    return f"Bladet har {n} tabell{'er' if n > 1 else ''}."


def _symbols_in(book: Workbook) -> set[str]:
    used: set[str] = set()
    marks = [s for s, _ in voc.SYMBOLS]
    for sheet in book.sheets:
        for block in sheet.blocks:
            texts: list[str] = []
            if isinstance(block, Table):
                texts += [v.value for r in block.rows for v in r.cells
                          if isinstance(v.value, str)]
                texts += [f for r in block.rows for v in r.cells
                          if (f := v.number_format)]
                texts += list(block.notes)
            elif isinstance(block, Text):
                texts.append(block.text)
            used.update(m for m in marks for t in texts if m in t)
    return used


def _numbered(book: Workbook, machine: Mapping[str, str]
              ) -> tuple[list[Sheet], list[tuple[str, str, str]]]:
    """The sheets with every note numbered and a count line below each title (not on a
    machine-readable sheet: its heading row stays row 1), and (number, text, sheet) per
    note."""
    numbers: dict[str, str] = {}
    listed: list[tuple[str, str, str]] = []

    def mark(note: str, sheet: str) -> str:
        if note not in numbers:
            numbers[note] = f"[not {len(numbers) + 1}]"
            listed.append((numbers[note], note, sheet))
        return f"{numbers[note]} {note}"

    sheets = []
    for sheet in book.sheets:
        if sheet.hidden or sheet.name in machine:
            sheets.append(sheet)
            continue
        blocks: list[Block] = []
        for block in sheet.blocks:
            if isinstance(block, Table) and block.notes:
                block = dataclasses.replace(
                    block, notes=tuple(mark(n, sheet.name) for n in block.notes))
            elif isinstance(block, Text) and block.style == "note":
                block = dataclasses.replace(block, text=mark(block.text, sheet.name))
            blocks.append(block)
        n = sum(isinstance(b, Table) for b in blocks)
        at = 1 if blocks and isinstance(blocks[0], Text) else 0
        blocks.insert(at, Text(count_line(n)))
        sheets.append(dataclasses.replace(sheet, blocks=tuple(blocks)))
    return sheets, listed


def _sheet_with_count(name: str, title: str, tables: list[Table], lead: list[Block]
                      ) -> Sheet:
    return Sheet(name, (Text(title, "title"), Text(count_line(len(tables))), *lead,
                        *tables), freeze_heading=False, page=_PORTRAIT)


def _cover(book: Workbook, about: About) -> Sheet:
    made = about.made or date.today()
    rows = [("Titel", about.title), ("Period", about.period), ("Producent", about.producer),
            ("Kontakt", CONTACT), ("Framställd", made.isoformat()),
            ("Verktyg", f"indikator-xl {__version__}"),
            *(("Källa", s) for s in about.sources),
            ("Innehåll", "Se bladet Innehåll; symboler och noter förklaras på bladet Noter.")]
    table = Table("framsida", (Column("Uppgift", width=14), Column("Värde", width=90,
                                                                     wrap=True)),
                  tuple(Row((Value(k), Value(v))) for k, v in rows))
    return _sheet_with_count(COVER, about.title, [table], [])


def _contents(names: list[str], about: About) -> Sheet:
    own = {COVER: "Titel, period, producent, kontakt, datum, verktyg och källor.",
           CONTENTS: "Den här förteckningen.",
           NOTES: "Symboler, noter och de maskinläsbara bladen förklarade."}
    rows = tuple(Row((Value(n, link=Link(n)),
                      Value(own.get(n) or about.contents.get(n)
                            or about.machine_readable.get(n, "")))) for n in names)
    table = Table("innehall", (Column("Blad", width=24), Column("Innehåll", width=90,
                                                                 wrap=True)), rows)
    return _sheet_with_count(CONTENTS, "Innehåll", [table],
                             [Text("Klicka på ett bladnamn för att gå till bladet.")])


def _notes(book: Workbook, listed: list[tuple[str, str, str]], about: About) -> Sheet:
    used = _symbols_in(book)
    symbols = Table("symboler", (Column("Symbol", width=10), Column("Betydelse", width=90,
                                                                      wrap=True)),
                    tuple(Row((Value(s), Value(m))) for s, m in voc.SYMBOLS if s in used)
                    or (Row((Value("Inga"), Value("Tabellerna använder inga symboler."))),),
                    title="Symboler")
    tables = [symbols]
    if listed:
        tables.append(Table("noter", (Column("Not", width=10), Column("Text", width=90,
                                                                      wrap=True),
                                      Column("Blad", width=18)),
                            tuple(Row((Value(k), Value(t), Value(s, link=Link(s))))
                                  for k, t, s in listed), title="Noter"))
    if about.machine_readable:
        tables.append(Table("maskinlasbart", (Column("Blad", width=18),
                                              Column("Beskrivning", width=90, wrap=True)),
                            tuple(Row((Value(n, link=Link(n)), Value(d)))
                                  for n, d in about.machine_readable.items()),
                            title="Maskinläsbara blad"))
    return _sheet_with_count(NOTES, "Noter", tables, [])


def publish(book: Workbook, about: About) -> Workbook:
    """The book opening on Framsida, Innehåll and Noter (see the module docstring)."""
    sheets, listed = _numbered(book, about.machine_readable)
    body = Workbook(tuple(sheets), book.title)
    names = [*SHEET_NAMES, *(s.name for s in sheets if not s.hidden)]
    names += [s.name for s in sheets if s.hidden and s.name in about.machine_readable]
    return Workbook((_cover(body, about), _contents(names, about),
                     _notes(body, listed, about), *sheets), book.title)
