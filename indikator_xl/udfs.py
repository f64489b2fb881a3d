"""Worksheet functions (xlwings UDFs, Windows): shares, nyckeltal, significance, rikssnitt.

Names are ASCII and upper case (they become VBA function names). Every function takes
what xlwings' converters deliver (floats, None, bool, str, datetime; a range as a 2-D
list), reads answers as a group sheet does (`group_sheets.answer_code`: codes 1–6 or
labels, any case; Ja/Nej), ignores blanks, never counts TRUE/FALSE, and returns a number
(a fraction 0–1, a count or a p-value) or a short Swedish error text. Argument type hints
are `Any` on purpose: on Windows xlwings uses type hints as converters.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

import xlwings as xw

from indikator_xl.domain import columns as colname
from indikator_xl.domain import instrument as ins
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.domain.text import is_blank, key, question_number, whole_number
from indikator_xl.figures.rikssnitt import Rikssnitt, published
from indikator_xl.figures.significance import category_test
from indikator_xl.reader.live import cell_value
from indikator_xl.validation.group_sheets import answer_code

CATEGORY = "Indikatorer"
_RANGE_OPTIONS = {"ndim": 2, "err_to_str": True}

# One representative question per scale, so that labels are read with the right scale.
_BY_SCALE = {s.name: next(q for q in ins.QUESTIONS if q.scale is s)
             for s in (ins.SCALE_I, ins.SCALE_II, ins.SCALE_III)}


class UdfError(Exception):
    """Unusable input; the message is the Swedish text the cell shows."""


@dataclass(frozen=True)
class Answers:
    """Valid answers of one range, with the scale they were read on (`codes` in no
    particular order: a range's answers are a multiset)."""

    scale: ins.Scale
    codes: tuple[int, ...]

    def hits(self, category: str) -> int:
        return sum(n for c, n in Counter(self.codes).items()
                   if category in self.scale.option(c).categories)

    def share(self, category: str) -> float:
        if not self.codes:
            raise UdfError("Inga svar i området")
        return self.hits(category) / len(self.codes)


def _cells(value: Any) -> list[Any]:
    """The cells of a value, a row or a 2-D range, row by row (unconverted)."""
    if not isinstance(value, list | tuple):
        return [value]
    # The common shapes (a row, or a range of rows) flattened in one pass; anything nested
    # deeper takes the general path.
    rows = set(map(type, value))
    if rows <= {list, tuple}:
        flat = list(itertools.chain.from_iterable(value))
    else:
        flat = [x for row in value for x in (row if isinstance(row, list | tuple) else (row,))]
    kinds = set(map(type, flat))
    if not any(issubclass(k, list | tuple) for k in kinds):
        return flat
    out: list[Any] = []
    for v in value:
        if isinstance(v, list | tuple):
            out.extend(_cells(v) if any(isinstance(x, list | tuple) for x in v) else v)
        else:
            out.append(v)
    return out


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_answers(omrade: Any, question: ins.Question | None = None) -> Answers:
    """The valid answers of a range; raises UdfError naming the first unusable value.

    Without a question, codes 1–6 and the labels of scale I or II are read (their
    categories agree code by code), or Ja/Nej; one range may not mix the two. Each
    distinct value is read once, in the order it first appears (a range of 600 answers
    holds a handful of distinct values), so the verdict is the one cell by cell would give.
    """
    # Keyed by type too: True == 1 == 1.0 in a dict, but TRUE is no answer and 1 is.
    cells = _cells(omrade)
    distinct = Counter(zip(map(type, cells), cells, strict=True))
    candidates = [question] if question is not None else list(_BY_SCALE.values())
    counts: Counter[int] = Counter()
    yes_no: bool | None = None
    for (_, raw), n in distinct.items():
        v = cell_value(raw)
        if is_blank(v):
            continue
        for q in candidates:
            code = answer_code(q, v)
            if code is not None:
                break
        else:
            raise UdfError(f"Ogiltigt svar: {_shown(v)}")
        if yes_no is not None and yes_no != q.scale.is_yes_no:
            raise UdfError("Området blandar Ja/Nej med skalsvar")
        yes_no = q.scale.is_yes_no
        counts[code] += n
    if question is not None:
        scale = question.scale
    else:  # scales I and II put the same code in the same categories
        scale = _BY_SCALE["III"].scale if yes_no else _BY_SCALE["I"].scale
    return Answers(scale, tuple(counts.elements()))


def _guarded(compute) -> Any:  # noqa: ANN001
    try:
        return compute()
    except UdfError as exc:
        return str(exc)


def _share(omrade: Any, category: str) -> float | str:
    return _guarded(lambda: read_answers(omrade).share(category))


@xw.func(category=CATEGORY)
@xw.arg("omrade", doc="Svaren på en fråga: koder 1–6, svarsalternativ eller Ja/Nej.",
        **_RANGE_OPTIONS)
def KLARTPOSITIV(omrade: Any) -> Any:
    """Andel klart positiva svar (5–6; Ja) av giltiga svar i området, som bråk 0–1. Tomma
    celler räknas inte."""
    return _share(omrade, ins.KLART_POSITIVT)


@xw.func(category=CATEGORY)
@xw.arg("omrade", doc="Svaren på en fråga: koder 1–6, svarsalternativ eller Ja/Nej.",
        **_RANGE_OPTIONS)
def POSITIV(omrade: Any) -> Any:
    """Andel positiva svar (4–6; Ja) av giltiga svar i området, som bråk 0–1."""
    return _share(omrade, ins.POSITIVT)


@xw.func(category=CATEGORY)
@xw.arg("omrade", doc="Svaren på en fråga: koder 1–6, svarsalternativ eller Ja/Nej.",
        **_RANGE_OPTIONS)
def NEGATIV(omrade: Any) -> Any:
    """Andel negativa svar (1–2; Nej) av giltiga svar i området, som bråk 0–1."""
    return _share(omrade, ins.NEGATIVT)


@xw.func(category=CATEGORY)
@xw.arg("omrade", doc="Svaren på en fråga: koder 1–6 eller svarsalternativ.",
        **_RANGE_OPTIONS)
def VARKEN_ELLER(omrade: Any) -> Any:
    """Andel svar varken eller (3) av giltiga svar i området, som bråk 0–1."""
    return _share(omrade, ins.VARKEN_ELLER)


@xw.func(category=CATEGORY)
@xw.arg("omrade", doc="Svaren på en fråga: koder 1–6, svarsalternativ eller Ja/Nej.",
        **_RANGE_OPTIONS)
def ANTALSVAR(omrade: Any) -> Any:
    """Antal giltiga svar i området (n). Tomma celler räknas inte; ogiltiga värden ger ett
    felmeddelande."""
    return _guarded(lambda: len(read_answers(omrade).codes))


def find_group(grupp: Any) -> ins.Group:
    """A respondent group by its sheet name (any case and spacing) or short name."""
    k = key(grupp)
    for g in ins.GROUPS:
        if k in (key(g.name), key(g.short)):
            return g
    raise UdfError(f"Okänd respondentgrupp: {_shown(grupp)}")


def find_question(grupp: Any, fraga: Any) -> ins.Question:
    group = find_group(grupp)
    number = question_number(fraga)
    try:
        if number is not None:
            return group.question(number)
    except KeyError:
        pass
    raise UdfError(f"{group.name} har ingen fråga {_shown(fraga)}")


@xw.func(category=CATEGORY)
@xw.arg("omrade", doc="Svaren på frågan: koder, svarsalternativ eller Ja/Nej.",
        **_RANGE_OPTIONS)
@xw.arg("grupp", doc="Respondentgrupp, t.ex. Deltagare avslut.")
@xw.arg("fraga", doc="Frågans nummer, t.ex. 6 eller F6.")
def NYCKELTAL(omrade: Any, grupp: Any, fraga: Any) -> Any:
    """Nyckeltalet för frågan enligt instrumentet: andel klart positiva, för indikator 7
    andel positiva, för F8 i Deltagare avslut andel Ja. Bråk 0–1."""
    def compute() -> float:
        q = find_question(grupp, fraga)
        return read_answers(omrade, q).share(q.key_category)
    return _guarded(compute)


_CATEGORY_WORDS = {
    key("Klart positivt"): ins.KLART_POSITIVT, key("Klart positiv"): ins.KLART_POSITIVT,
    key("Positivt"): ins.POSITIVT, key("Positiv"): ins.POSITIVT,
    key("Negativt"): ins.NEGATIVT, key("Negativ"): ins.NEGATIVT,
    key("Varken eller"): ins.VARKEN_ELLER, key("Varken_eller"): ins.VARKEN_ELLER,
    key("Ja"): ins.KLART_POSITIVT, key("Nej"): ins.NEGATIVT,
}


def find_category(kategori: Any) -> str:
    if is_blank(kategori):
        return ins.KLART_POSITIVT
    found = _CATEGORY_WORDS.get(key(kategori))
    if found is None:
        raise UdfError(f"Okänd kategori: {_shown(kategori)}")
    return found


@xw.func(category=CATEGORY)
@xw.arg("omrade1", doc="Svaren från den ena gruppen (t.ex. kvinnor).", **_RANGE_OPTIONS)
@xw.arg("omrade2", doc="Svaren från den andra gruppen (t.ex. män).", **_RANGE_OPTIONS)
@xw.arg("kategori", doc="Klart positivt (standard), Positivt, Varken eller, Negativt, Ja "
                        "eller Nej.")
def SIGNIFIKANS(omrade1: Any, omrade2: Any, kategori: Any = None) -> Any:
    """p-värdet för skillnaden i andel svar i kategorin mellan två grupper: chi² utan
    kontinuitetskorrektion, Fishers exakta test vid förväntat antal under 5."""
    def compute() -> float:
        category = find_category(kategori)
        a, b = read_answers(omrade1), read_answers(omrade2)
        if a.codes and b.codes and a.scale.is_yes_no != b.scale.is_yes_no:
            raise UdfError("Områdena har olika svarsskalor")
        if category == ins.VARKEN_ELLER and (a.scale.is_yes_no or b.scale.is_yes_no):
            raise UdfError("Ja/Nej har ingen kategori varken eller")
        result = category_test(a.hits(category), len(a.codes), b.hits(category),
                               len(b.codes))
        if result.p is None:
            raise UdfError("Inget test: en grupp saknar svar eller alla svar är lika")
        return result.p
    return _guarded(compute)


_SUBGROUP_WORDS = {key("samtliga"): "samtliga", key("alla"): "samtliga",
                   key("kvinnor"): ins.KVINNOR, key("kvinna"): ins.KVINNOR, "k": ins.KVINNOR,
                   key("män"): ins.MAN, key("man"): ins.MAN, "m": ins.MAN}


def find_subgroup(undergrupp: Any) -> str:
    if is_blank(undergrupp):
        return "samtliga"
    k = key(undergrupp)
    if k in _SUBGROUP_WORDS:
        return _SUBGROUP_WORDS[k]
    for employer in ins.EMPLOYERS:
        if k == key(employer):
            return employer
    if k in ins.EMPLOYER_ALIASES:
        return ins.EMPLOYER_ALIASES[k]
    raise UdfError(f"Okänd undergrupp: {_shown(undergrupp)}")


def national_figures(ar: Any = None) -> Rikssnitt:
    """The configured rikssnitt workbook, else the published figures; `ar` must match."""
    from indikator_xl.user_config import configured_rikssnitt_path, load_rikssnitt

    year = None if is_blank(ar) else whole_number(ar)
    if not is_blank(ar) and year is None:
        raise UdfError(f"Ogiltigt år: {_shown(ar)}")
    path = configured_rikssnitt_path()
    if path is not None:
        try:
            configured = load_rikssnitt(path)
        except (OSError, WorkbookReadError):
            raise UdfError("Rikssnittsfilen kan inte läsas") from None
        if year is None or configured.period == year:
            return configured
    figures = published(year or 9999)
    if year is not None and figures.period != year:
        raise UdfError(f"Inget rikssnitt för {year}")
    return figures


@xw.func(category=CATEGORY)
@xw.arg("grupp", doc="Respondentgrupp, t.ex. Personal.")
@xw.arg("fraga", doc="Frågans nummer, t.ex. 3 eller F3.")
@xw.arg("undergrupp", doc="samtliga (standard), kvinnor, män eller en anställning.")
@xw.arg("ar", doc="Mätperiod; standard är det senaste rikssnittet.")
def RIKSSNITT(grupp: Any, fraga: Any, undergrupp: Any = None, ar: Any = None) -> Any:
    """Rikssnittets nyckeltal för frågan (bråk 0–1), från NNS rikssnittsfil om en är
    inställd, annars från den senast publicerade nationella rapporten."""
    def compute() -> float:
        q = find_question(grupp, fraga)
        sub = find_subgroup(undergrupp)
        figures = national_figures(ar)
        row = figures.lookup(q.group, q.number, sub)
        if row is None or row[colname.KEY_FIGURE] != row[colname.KEY_FIGURE]:  # missing or NaN
            raise UdfError(f"Inget rikssnitt för {q.group} {q.column} ({sub})")
        return float(row[colname.KEY_FIGURE])
    return _guarded(compute)
