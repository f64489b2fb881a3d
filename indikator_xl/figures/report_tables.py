"""The local report's table per measure, as plain data (pure: Analysis → ReportTable).

The local report shows each measure as one small table ("Tabell 2: Får du stöd …?
(Deltagare, pågående)"): a row for the respondent group and a "Varav …" row per insats
(or employer, or samverkansgrupp), and the columns klart positiva svar, varav kvinnor,
varav män, rikssnittet, varav kvinnor, varav män — each cell "83 % (59 %)", this period
and last period in parentheses. Groups without gender get two columns (the measure and
the rikssnitt). `report_tables` builds every such table; the result workbook's sheet
Rapporttabeller and the Word draft lay them out, and neither computes anything.

Example::

    from indikator_xl.figures.report_tables import report_tables

    for t in report_tables(analysis):
        t.title                      # "Får du stöd på ett sätt …? (Deltagare, pågående)"
        t.headings                   # ("Klart positiva svar", "Varav kvinnor", …)
        for row in t.rows:
            row.label, [c.text for c in row.cells]   # "Varav S-team Avesta", ["91 % (80 %)", …]
        t.hidden_notes               # why each "–" is hidden, in Swedish
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument as ins
from indikator_xl.figures.analysis import Analysis
from indikator_xl.figures.stats import (
    ANSTALLNING,
    INSATS,
    INSATS_KON,
    KON,
    SAMTLIGA,
    SAMVERKANSGRUPP,
    insats_gender_label,
)
from indikator_xl.figures.suppression import DEFAULT_THRESHOLDS, HiddenReason, Thresholds

DASH = "–"

RowKind = Literal["group", "part"]

# The breakdown whose "Varav" rows a group's table shows.
_PARTS = {ins.Background.INSATS: INSATS, ins.Background.ANSTALLNING: ANSTALLNING,
          ins.Background.SAMVERKANSGRUPP: SAMVERKANSGRUPP}
# How the report names the groups in its table titles.
_TITLE_GROUP = {
    ins.DELTAGARE_PAGAENDE: "Deltagare, pågående", ins.DELTAGARE_AVSLUT: "Deltagare, vid avslut",
    ins.PERSONAL: "Personal", ins.REMITTENTER: "Remittent",
    ins.CHEFSGRUPP: "Parternas chefsgrupp", ins.STYRELSE: "Styrelse",
}


def whole_percent(share: float) -> int:
    """A share in whole percent, halves rounded up as the reports and Excel's "0%" print
    it (23/40 is 57.49999… in floats, hence the small tolerance)."""
    return math.floor(share * 100 + 0.5 + 1e-9)


def percent_text(share: float | None) -> str:
    """0.83 → "83 %"; None → the dash."""
    if share is None:
        return DASH
    return f"{whole_percent(share)} %"


@dataclass(frozen=True)
class ReportCell:
    """One "83 % (59 %)" cell: the share now and last period (None: none or hidden)."""

    share: float | None
    previous: float | None = None
    with_previous: bool = False
    hidden: HiddenReason | None = None
    n: int | None = None
    uncertain: bool = False
    blank: bool = False
    """No such figure in the report's layout (the rikssnitt of an insats row)."""

    @property
    def text(self) -> str:
        """The cell as the report prints it: "83 % (59 %)", "– (56 %)", "83 %", "–" or ""."""
        if self.blank:
            return ""
        now = DASH if self.hidden is not None else percent_text(self.share)
        if not self.with_previous:
            return now
        return f"{now} ({percent_text(self.previous)})"


BLANK = ReportCell(None, blank=True)


@dataclass(frozen=True)
class ReportRow:
    label: str
    """"Deltagare pågående" for the group row, "Varav S-team Avesta" for a part."""
    kind: RowKind
    cells: tuple[ReportCell, ...]


@dataclass(frozen=True)
class ReportTable:
    """One measure's table, as the local report prints it."""

    question: ins.Question
    title: str
    headings: tuple[str, ...]
    rows: tuple[ReportRow, ...]
    gendered: bool
    hidden_notes: tuple[str, ...]
    """One Swedish line per hidden cell (or gender pair): where, and why."""


def key_label(q: ins.Question) -> str:
    """The report's name of the nyckeltal column."""
    if q.scale.is_yes_no:
        return "Svar ja"
    return "Positiva svar" if q.key_category == "positivt" else "Klart positiva svar"


def report_tables(a: Analysis) -> list[ReportTable]:
    """Every measure with answers, in indicator order (the report's order)."""
    by_measure: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for r in a.table.to_dict("records"):
        by_measure.setdefault((r[colname.GROUP], int(r[colname.QUESTION])), []).append(r)
    out = []
    for i in sorted(ins.INDICATORS):
        for q in ins.measures_of(i):
            t = _table(a, q, by_measure.get((q.group, q.number), []))
            if t is not None:
                out.append(t)
    return out


def _cell(r: dict[str, Any] | None, column: str, previous: str | None,
          with_previous: bool) -> ReportCell:
    if r is None:
        return ReportCell(None, None, with_previous)
    hidden = None
    if r.get(colname.HIDDEN) == 1:
        reason = r.get(colname.HIDDEN_REASON)
        hidden = HiddenReason(reason) if isinstance(reason, str) else HiddenReason.FEW_ANSWERS
    return ReportCell(_number(r.get(column)), _number(r.get(previous)) if previous else None,
                      with_previous, hidden, _whole(r.get(colname.N)),
                      bool(r.get(colname.UNCERTAIN)))


def _number(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _whole(x: Any) -> int | None:
    v = _number(x)
    return None if v is None else int(v)


def _table(a: Analysis, q: ins.Question, records: list[dict[str, Any]]) -> ReportTable | None:
    if not records:
        return None
    rows_by = {(r[colname.DIMENSION], r[colname.SUBGROUP]): r for r in records}
    group = ins.GROUPS_BY_NAME[q.group]
    gendered = group.is_participant
    own_prev = colname.KEY_FIGURE_PREVIOUS if a.has_previous else None
    riks_prev = a.rikssnitt.previous_period is not None
    riks_prev_col = colname.RIKSSNITT_KEY_FIGURE_PREVIOUS if riks_prev else None
    subgroups = (SAMTLIGA, ins.KVINNOR, ins.MAN) if gendered else (SAMTLIGA,)

    def own(dim: str, sub: str) -> ReportCell:
        return _cell(rows_by.get((dim, sub)), colname.KEY_FIGURE, own_prev, a.has_previous)

    def national(dim: str, sub: str) -> ReportCell:
        r = rows_by.get((dim, sub))
        cell = _cell(r, colname.RIKSSNITT_KEY_FIGURE, riks_prev_col, riks_prev)
        return ReportCell(cell.share, cell.previous, riks_prev)  # never hidden

    def gender_dim(sub: str) -> str:
        return SAMTLIGA if sub == SAMTLIGA else KON

    rows = [ReportRow(group.name, "group", (
        *(own(gender_dim(s), s) for s in subgroups),
        *(national(gender_dim(s), s) for s in subgroups)))]
    part_dim = next((_PARTS[b] for b in group.background if b in _PARTS), None)
    notes: list[str] = []
    _hidden_notes(notes, group.name, [(rows_by.get((gender_dim(s), s)), s) for s in subgroups],
                  a.thresholds)
    if part_dim is not None:
        names = [u for d, u in rows_by if d == part_dim]
        for name in names:
            cells = [own(part_dim, name)]
            if gendered:
                cells += [own(INSATS_KON, insats_gender_label(name, g))
                          for g in (ins.KVINNOR, ins.MAN)]
            # Employers have national figures; insatser and samverkansgrupper do not.
            employer = national(part_dim, name) if part_dim == ANSTALLNING else BLANK
            # No national figure for this employer (Annan): nothing, as in the report.
            riks = [BLANK if employer.share is None else employer]
            riks += [BLANK] * (len(subgroups) - 1)
            rows.append(ReportRow(f"Varav {name}", "part", (*cells, *riks)))
            parts = [(rows_by.get((part_dim, name)), SAMTLIGA)]
            if gendered:
                parts += [(rows_by.get((INSATS_KON, insats_gender_label(name, g))), g)
                          for g in (ins.KVINNOR, ins.MAN)]
            _hidden_notes(notes, f"Varav {name}", parts, a.thresholds)
    label = key_label(q)
    headings = ((label, "Varav kvinnor", "Varav män", "Rikssnittet", "Varav kvinnor",
                 "Varav män") if gendered else (label, "Rikssnittet"))
    title = f"{q.text} ({_TITLE_GROUP[q.group]})"
    return ReportTable(q, title, headings, tuple(rows), gendered, tuple(notes))


def _hidden_notes(notes: list[str], label: str, cells: list[tuple[dict | None, str]],
                  thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
    """One line per reason in a row: "Varav S-team Avesta, kvinnor och män: <reason>."."""
    by_reason: dict[HiddenReason, list[str]] = {}
    for r, sub in cells:
        if r is None or r.get(colname.HIDDEN) != 1:
            continue
        reason = r.get(colname.HIDDEN_REASON)
        key = HiddenReason(reason) if isinstance(reason, str) else HiddenReason.FEW_ANSWERS
        by_reason.setdefault(key, []).append(_SUB_WORD[sub])
    for reason, subs in by_reason.items():
        who = " och ".join(subs)
        notes.append(f"{label}, {who}: {reason.text(thresholds)}.")


_SUB_WORD = {SAMTLIGA: "samtliga", ins.KVINNOR: "kvinnor", ins.MAN: "män"}
