"""Which sheets of an open workbook belong to the tool (xlwings objects, duck-typed).

Each result sheet carries a sheet-scoped defined name (`MARKER`). Re-rendering deletes
only sheets that have the marker *and* one of the tool's exact sheet names; a user sheet
with such a name stops the run before anything changes (`ForeignSheetError`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MARKER = "indikator_xl_resultat"


class ForeignSheetError(Exception):
    """A user sheet has a result sheet's name; the message is Swedish and user-facing."""


def is_owned(sheet: Any) -> bool:
    """True when the sheet carries the tool's marker name."""
    try:
        names = list(sheet.names)
    except (AttributeError, KeyError, NotImplementedError):  # a client without names
        return False
    return any(n.name.rsplit("!", 1)[-1].casefold() == MARKER for n in names)


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def mark(sheet: Any) -> None:
    sheet.names.add(MARKER, f"={_quoted(sheet.name)}!$A$1")


def plan_replacement(book: Any, new_names: Iterable[str], tool_names: Iterable[str]
                     ) -> list[Any]:
    """The owned sheets to delete; raises ForeignSheetError when a user sheet is in the way.

    Excel compares sheet names case-insensitively, and so does this.
    """
    new = {n.casefold() for n in new_names}
    ours = new | {n.casefold() for n in tool_names}
    delete, blocked = [], []
    for sheet in book.sheets:
        k = sheet.name.casefold()
        if k not in ours:
            continue
        if is_owned(sheet):
            delete.append(sheet)
        elif k in new:
            blocked.append(sheet.name)
    if blocked:
        raise ForeignSheetError(
            "Bladet " + ", ".join(f"”{b}”" for b in blocked) + " finns redan och är inte "
            "skapat av indikator-xl. Byt namn på det och klicka igen; inget har ändrats.")
    return delete
