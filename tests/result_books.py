"""Result workbooks shared by the result-workbook tests (built once per session)."""

from __future__ import annotations

from pathlib import Path

from indikator_xl.domain import instrument as ins
from tests import builders

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"

# Text a förbund might type that a spreadsheet would otherwise treat as a formula/error.
HOSTILE_FORBUND = "=cmd|' /C calc'!A0"
HOSTILE_INSATSER = ('=HYPERLINK("http://example.com","klick")', "+1", "-2", "@SUM(A1)",
                    "#N/A")


def hostile_registration(path: Path, period: int = 2023) -> Path:
    """A small registration whose förbund and insats names look like formulas and
    errors, with one invalid answer (7 in F1 of the third row, cell D4)."""
    rows = []
    n = 0
    for k, insats in enumerate(HOSTILE_INSATSER):
        for i in range(6):
            n += 1
            answers = [((i + k + q) % 6) + 1 for q in range(7)]
            rows.append([n, "K" if i % 2 else "M", insats, *answers])
    rows[2][3] = 7
    return builders.registration(
        path, groups={ins.DELTAGARE_PAGAENDE: rows},
        forbund=builders.forbund_rows(HOSTILE_FORBUND, period))
