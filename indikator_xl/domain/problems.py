"""Validation problems: level, sheet, cell, value and a Swedish message."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from json.encoder import encode_basestring as _encode
from typing import Any, NamedTuple

from indikator_xl.domain.cells import NO_CACHE
from indikator_xl.domain.text import clipped

FEL = "fel"
VARNING = "varning"


class Problem(NamedTuple):
    """One problem found in a registration workbook (SPEC §3, §7).

    A named tuple, not a dataclass: a workbook of 100 000 bad rows has a million problems,
    and a tuple is made in a third of the time and memory."""

    level: str
    sheet: str
    cell: str
    value: Any
    message: str

    def as_json(self) -> dict[str, Any]:
        """The SPEC §7 JSON object: niva, blad, cell, varde, meddelande."""
        return {
            "niva": self.level,
            "blad": self.sheet,
            "cell": self.cell,
            "varde": json_value(self.value),
            "meddelande": self.message,
        }


def json_text(problems: Sequence[Problem]) -> Iterator[str]:
    """The problems as `validera --json` prints them, piece by piece: exactly the text of
    `json.dump([p.as_json() for p in problems], indent=1, ensure_ascii=False)`, which
    takes minutes for a million problems (its indenting encoder is pure Python); this
    one encodes each string in C."""
    if not problems:
        yield "[]"
        return
    known: dict[str, str] = {}  # sheet names and messages repeat: most encoded once
    sep = "[\n {\n"
    for level, sheet, cell, value, message in problems:
        yield (f'{sep}  "niva": {_encode(level)},\n  "blad": {_known(known, sheet)},\n'
               f'  "cell": {_encode(cell)},\n  "varde": {_json_scalar(json_value(value))},'
               f'\n  "meddelande": {_known(known, message)}')
        sep = "\n },\n {\n"
    yield "\n }\n]"


def _known(known: dict[str, str], text: str) -> str:
    """`text` JSON-encoded, remembered in `known` (up to 10 000 texts)."""
    encoded = known.get(text)
    if encoded is None:
        encoded = _encode(text)
        if len(known) < 10_000:
            known[text] = encoded
    return encoded


def _json_scalar(value: Any) -> str:
    """One JSON value as `json.dumps` writes it (None, bool, int, float or str)."""
    if isinstance(value, str):
        return _encode(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def json_value(value: Any) -> Any:
    """A cell value as JSON can carry it (dates as ISO text, errors as their text)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if value is NO_CACHE:
        return "(formel utan beräknat värde)"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def display_value(value: Any) -> str:
    """A cell value as shown in a Swedish message."""
    if value is None:
        return "(tom)"
    if value is NO_CACHE:
        return "(formel utan beräknat värde)"
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def problem_line(p: Problem) -> str:
    """One problem as a line of text: level, where, the value and the message."""
    where = f"{p.sheet}!{p.cell}" if p.cell else p.sheet
    value = "" if p.value is None else f" [{display_value(p.value)}]"
    level = "FEL    " if p.level == FEL else "VARNING"
    return f"{level} {where}{value}: {p.message}"


class ProblemCollector:
    """The problems found while reading a workbook, in the order found (a value longer
    than a name may be is kept `clipped`)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fel(self, sheet: str, cell: str, value: Any, message: str) -> None:
        self.problems.append(Problem(FEL, sheet, cell, clipped(value), message))

    def varning(self, sheet: str, cell: str, value: Any, message: str) -> None:
        self.problems.append(Problem(VARNING, sheet, cell, clipped(value), message))
