"""Validation problems: level, sheet, cell, value and a Swedish message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from indikator_xl.domain.cells import NO_CACHE

FEL = "fel"
VARNING = "varning"


@dataclass(frozen=True)
class Problem:
    """One problem found in a registration workbook (SPEC §3, §7)."""

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
    """The problems found while reading a workbook, in the order found."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fel(self, sheet: str, cell: str, value: Any, message: str) -> None:
        self.problems.append(Problem(FEL, sheet, cell, value, message))

    def varning(self, sheet: str, cell: str, value: Any, message: str) -> None:
        self.problems.append(Problem(VARNING, sheet, cell, value, message))
