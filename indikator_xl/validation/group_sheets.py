"""The respondent-group sheets of a registration workbook, validated row by row.

`parse_group_sheet` reads one group sheet: it matches the header (Löpnummer, background
columns, F1…Fn in any order and spelling), turns each answer cell into a code or a
problem at its cell, applies the questionnaire's skip logic (F9/F10 only after Ja in F8)
and collects the respondents. `answer_code` is the same reading of one value, for the
worksheet functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import NO_CACHE, CellError, RawSheet, cell_ref, column_letter
from indikator_xl.domain.problems import FEL, Problem, ProblemCollector
from indikator_xl.domain.text import (
    clipped,
    display,
    is_blank,
    is_date_like,
    key,
    question_number,
    too_long,
    too_long_message,
    whole_number,
)

# What validation stores per valid answer; the rest of ANSWER_COLUMNS is the respondent's.
ANSWER_INDEX = ("respondent", "column", "question", "code")
RESPONDENT_COLUMNS = ("group", "sheet", "row", "kon", "insats", "anstallning",
                      "samverkansgrupp")

@dataclass
class _Columns:
    lopnummer: int | None = None
    background: dict[ins.Background, int] = field(default_factory=dict)
    questions: dict[int, int] = field(default_factory=dict)  # question number → column
    ignored: set[int] = field(default_factory=set)


def _read_header(group: ins.Group, sheet: RawSheet, out: ProblemCollector) -> _Columns:
    cols = _Columns()
    header = sheet.rows[0] if sheet.rows else []
    numbers = {q.number for q in group.questions}
    background_keys = {key(b.value): b for b in group.background}
    all_background = {key(b.value): b for b in ins.Background}
    width = max(len(row) for row in sheet.rows)
    for c in range(1, width + 1):
        value = header[c - 1] if c <= len(header) else None
        ref = cell_ref(1, c)
        if is_blank(value):
            if any(len(row) >= c and not is_blank(row[c - 1]) for row in sheet.rows[1:]):
                cols.ignored.add(c)
                out.varning(sheet.name, ref, None, f"Kolumn {column_letter(c)} har värden men "
                            "ingen rubrik och räknas inte. Skriv en rubrik (t.ex. F3) eller "
                            "flytta värdena.")
            continue
        k = key(value)
        if k == key(ins.ID_COLUMN):
            if cols.lopnummer is None:
                cols.lopnummer = c
            else:
                cols.ignored.add(c)
                out.varning(sheet.name, ref, value, "Kolumnen Löpnummer finns två gånger; den "
                            "andra räknas inte.")
            continue
        if k in background_keys:
            b = background_keys[k]
            if b in cols.background:
                cols.ignored.add(c)
                out.varning(sheet.name, ref, value, f"Kolumnen {b.value} finns två gånger; "
                            "den andra räknas inte.")
            else:
                cols.background[b] = c
            continue
        number = question_number(value)
        if number is not None and number in numbers:
            if number in cols.questions:
                cols.ignored.add(c)
                first = cell_ref(1, cols.questions[number])
                out.fel(sheet.name, ref, value, f"Fråga F{number} finns två gånger (även i "
                        f"{first}). Bara den första kolumnen räknas; ta bort eller rätta den "
                        "här.")
            else:
                cols.questions[number] = c
            continue
        cols.ignored.add(c)
        if k in all_background:
            why = f"{group.name} har ingen bakgrundsfråga {all_background[k].value}"
        elif number is not None:
            why = f"{group.name} har bara frågorna F1–F{len(group.questions)}"
        else:
            why = "rubriken är okänd"
        out.varning(sheet.name, ref, value, f"Kolumnen räknas inte: {why}.")
    for q in group.questions:
        if q.number not in cols.questions:
            out.varning(sheet.name, "", q.column, f"Kolumnen {q.column} saknas. Frågan får inga "
                        f"svar från {group.name}; lägg till kolumnen om frågan ställdes.")
    for b in group.background:
        if b not in cols.background:
            out.varning(sheet.name, "", b.value, f"Kolumnen {b.value} saknas; svaren räknas "
                        "bara i samtliga.")
    return cols


def _answer_code(q: ins.Question, value: Any) -> tuple[int | None, str | None]:
    """(code, None) for a valid answer, or (None, Swedish reason) for an invalid one."""
    scale = q.scale
    allowed = "Ja eller Nej" if scale.is_yes_no else (
        "1–6 eller " + ", ".join(scale.labels))
    if isinstance(value, CellError):
        return None, f"Cellen innehåller felvärdet {value}. Skriv {allowed}."
    if value is NO_CACHE:
        return None, (f"Cellen har en formel utan beräknat värde. Öppna och spara filen i Excel, "
                      f"eller skriv {allowed}.")
    if isinstance(value, bool):
        return None, f"SANT/FALSKT är inget svar. Skriv {allowed}."
    if is_date_like(value):
        return None, f"Ett datum är inget svar. Skriv {allowed}."
    if scale.is_yes_no:
        if isinstance(value, str):
            k = key(value)
            for o in scale.options:
                if k == key(o.label):
                    return o.code, None
        if whole_number(value) is not None or isinstance(value, int | float):
            return None, f"{q.column} ska besvaras med Ja eller Nej, inte med en siffra."
        return None, f"Okänt svar. {q.column} ska besvaras med Ja eller Nej."
    code = whole_number(value)
    if code is not None:
        if code in scale.codes:
            return code, None
        return None, f"Svaret ligger utanför skalan. Skriv {allowed}."
    if isinstance(value, int | float):
        return None, f"Svaret ligger utanför skalan. Skriv {allowed}."
    k = key(value)
    for o in scale.options:
        if k == key(o.label):
            return o.code, None
    return None, f"Okänt svar. Skriv {allowed}."


# `_answer_code` remembered per question and (type, value): a workbook repeats a handful of
# values (1–6, the labels) thousands of times. One dict per (group, question number).
_MEMO: dict[tuple[str, int], dict[tuple[type, Any], tuple[int | None, str | None]]] = {}
_MEMO_LIMIT = 5_000


def answer_code(q: ins.Question, value: Any) -> int | None:
    """The code of `value` as an answer to `q` (a code or a label, exactly as accepted in
    a group sheet), or None when it is not a valid answer. Blank is not an answer."""
    if is_blank(value):
        return None
    return _answer_code(q, value)[0]


def _gender(value: Any, sheet: str, r: int, c: int, out: ProblemCollector) -> str | None:
    if is_blank(value):
        return None
    k = key(value)
    if k in ins.GENDER_VALUES:
        return ins.GENDER_VALUES[k]
    out.varning(sheet, cell_ref(r, c), value, "Okänt värde för Kön (Kvinna, Man, Ej angett, "
                "Vill inte svara eller Annat). Svaren räknas som ej angett kön.")
    return None


# Employer keys: the names themselves, then the aliases.
_EMPLOYER_KEYS = {**ins.EMPLOYER_ALIASES, **{key(e): e for e in ins.EMPLOYERS}}


def _employer(value: Any, sheet: str, r: int, c: int, out: ProblemCollector) -> str | None:
    if is_blank(value):
        return None
    k = key(value)
    if k in _EMPLOYER_KEYS:
        return _EMPLOYER_KEYS[k]
    out.varning(sheet, cell_ref(r, c), value, "Okänd anställning (" + ", ".join(ins.EMPLOYERS)
                + "). Svaren räknas som Annan.")
    return ins.OTHER_EMPLOYER


class _Names:
    """Insats/samverkansgrupp names grouped case-insensitively, shown as first written;
    a name longer than MAX_NAME_LENGTH is an error at its cell and not used."""

    def __init__(self, what: str, sheet: str, out: ProblemCollector) -> None:
        self.first: dict[str, str] = {}
        self.what, self.sheet, self.out = what, sheet, out

    def __call__(self, value: Any, r: int, c: int) -> str | None:
        if is_blank(value) or isinstance(value, CellError) or value is NO_CACHE:
            return None
        if too_long(value):
            self.out.fel(self.sheet, cell_ref(r, c), clipped(value),
                         too_long_message(self.what, value))
            return None
        k = key(value)
        if k not in self.first:
            self.first[k] = display(value)
        return self.first[k]


def parse_group_sheet(group: ins.Group, sheet: RawSheet, out: ProblemCollector,
                       answers: dict[str, list], respondents: dict[str, list]) -> None:
    """Validate one group sheet row by row; each respondent with a valid answer joins
    `respondents`, and each valid answer joins `answers` (ANSWER_INDEX) by its index."""
    if not sheet.rows:
        return
    cols = _read_header(group, sheet, out)
    name = sheet.name
    questions = [(group.question(n), c) for n, c in sorted(cols.questions.items())]
    gate = {q.number: q.only_if_yes_to for q, _ in questions if q.only_if_yes_to}
    yes_code = {q.number: q.scale.options[0].code for q, _ in questions if q.scale.is_yes_no}
    # Per question: its column, whether it is gated, and its memo of answers seen.
    plan = [(q, c, column_letter(c), q.number in gate,
             _MEMO.setdefault((group.name, q.number), {})) for q, c in questions]
    kon_col = cols.background.get(ins.Background.KON)
    insats_col = cols.background.get(ins.Background.INSATS)
    anst_col = cols.background.get(ins.Background.ANSTALLNING)
    grp_col = cols.background.get(ins.Background.SAMVERKANSGRUPP)
    lop_col = cols.lopnummer
    insats_names = _Names("Insatsens namn", name, out)
    group_names = _Names("Samverkansgruppens namn", name, out)
    seen_ids: dict[str, int] = {}  # Löpnummer key → first row
    a_resp, a_col, a_q, a_code = (answers["respondent"], answers["column"],
                                  answers["question"], answers["code"])
    r_group, r_sheet, r_row, r_kon, r_ins, r_anst, r_grp = (
        respondents[c] for c in RESPONDENT_COLUMNS)
    add_problem = out.problems.append
    for r, row in enumerate(sheet.rows[1:], 2):
        for v in row:  # skip a row of only blanks (is_blank, inlined: most rows are full)
            if v is not None and not (isinstance(v, str) and not v.strip()):
                break
        else:
            continue
        width = len(row)
        if lop_col is not None and lop_col <= width and not is_blank(lop := row[lop_col - 1]):
            lop_key = key(lop)
            if lop_key in seen_ids:
                out.varning(name, cell_ref(r, lop_col), lop, "Löpnumret finns redan i "
                            f"{cell_ref(seen_ids[lop_key], lop_col)}. Båda raderna räknas; "
                            "kontrollera att enkäten inte registrerats två gånger.")
            else:
                seen_ids[lop_key] = r
        kon = anst = None
        if kon_col is not None and kon_col <= width:
            kon = _gender(row[kon_col - 1], name, r, kon_col, out)
        if anst_col is not None and anst_col <= width:
            anst = _employer(row[anst_col - 1], name, r, anst_col, out)
        insats = insats_names(row[insats_col - 1], r, insats_col) \
            if insats_col and insats_col <= width else None
        samv = group_names(row[grp_col - 1], r, grp_col) \
            if grp_col and grp_col <= width else None
        found: list[tuple[int, int, int]] = []  # (question number, column, code)
        pending: list[tuple[ins.Question, int, int]] = []
        for q, c, letter, gated, memo in plan:
            if c > width:
                continue
            value = row[c - 1]
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            try:
                hit = memo.get((value.__class__, value))
                if hit is None:
                    hit = _answer_code(q, value)
                    if len(memo) < _MEMO_LIMIT:
                        memo[(value.__class__, value)] = hit
            except TypeError:  # an unhashable value
                hit = _answer_code(q, value)
            code = hit[0]
            if code is None:  # a sheet of bad rows has a million of these: made inline
                add_problem(Problem(FEL, name, f"{letter}{r}", clipped(value), hit[1] or ""))
            elif gated:
                pending.append((q, c, code))
            else:
                found.append((q.number, c, code))
        if pending:
            codes = {number: code for number, _, code in found}
            for q, c, code in pending:
                gate_q = q.only_if_yes_to
                if gate_q is not None and codes.get(gate_q) == yes_code.get(gate_q):
                    found.append((q.number, c, code))
                else:
                    out.varning(name, cell_ref(r, c), row[c - 1], f"{q.column} ska bara "
                                f"besvaras när F{gate_q} är Ja. Svaret räknas inte.")
        if not found:
            first = next(c for c, v in enumerate(row, 1) if not is_blank(v))
            out.varning(name, cell_ref(r, first), None, f"Raden {r} har innehåll men inget "
                        "giltigt svar och räknas inte som svarande.")
            continue
        respondent = len(r_group)
        r_group.append(group.name)
        r_sheet.append(name)
        r_row.append(r)
        r_kon.append(kon)
        r_ins.append(insats)
        r_anst.append(anst)
        r_grp.append(samv)
        for number, c, code in found:
            a_resp.append(respondent)
            a_col.append(c)
            a_q.append(number)
            a_code.append(code)
