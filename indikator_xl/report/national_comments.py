"""Drafted comments on the national figures: changes against last period with their year
stars, and significant differences between women and men (pure).

Like `comments`, every sentence states only what a figure or a test shows, and the
wording varies with a `variant` number. The facts come from the national measure table
(`figures.national`): samtliga, kvinnor and män of one measure.
"""

from __future__ import annotations

from dataclasses import dataclass

from indikator_xl.domain import instrument as ins
from indikator_xl.report import comments as cm
from indikator_xl.report.comments import cap, percent, pick, whole_percent

# Who answered, as the national report says it.
SUBJECTS: dict[str, str] = {
    ins.DELTAGARE_PAGAENDE: "bland deltagare i pågåendeenkäten",
    ins.DELTAGARE_AVSLUT: "bland deltagare i avslutsenkäten",
    ins.PERSONAL: "bland personalen",
    ins.REMITTENTER: "bland remittenterna",
    ins.CHEFSGRUPP: "i parternas chefsgrupper",
    ins.STYRELSE: "i styrelserna",
}
CATEGORY_WORDS = {ins.NEGATIVT: "negativa svar", ins.VARKEN_ELLER: "svar varken eller",
                  ins.POSITIVT: "positiva svar", ins.KLART_POSITIVT: "klart positiva svar"}
GENDER_WORDS = {ins.KVINNOR: "kvinnorna", ins.MAN: "männen"}  # as parts say them


@dataclass(frozen=True)
class Subgroup:
    """One row of a measure: key figure now and last period (fractions), year star."""

    value: float | None
    previous: float | None = None
    year_significant: bool = False


@dataclass(frozen=True)
class NationalFacts:
    """What the draft may say about one measure nationally.

    subject: "bland deltagare i pågåendeenkäten"; key: the key figure's name in lower
    case; parts: the subgroups by name as the sentence says them ("männen",
    "remittenterna från Kommun"); gender_categories: (category, women's share, men's
    share) for each answer category where the gender test is significant."""

    subject: str
    key: str
    key_category: str
    total: Subgroup
    parts: tuple[tuple[str, Subgroup], ...] = ()
    gender_categories: tuple[tuple[str, float, float], ...] = ()


def _measure(f: NationalFacts, s: Subgroup) -> cm.MeasureFacts:
    return cm.MeasureFacts(subject=f.subject, key=f.key, n=0, value=s.value,
                           previous=s.previous, year_significant=s.year_significant)


def subgroup_year_sentence(f: NationalFacts, variant: int = 0) -> str | None:
    """Significant changes in subgroups (women, men, a remittent's employer)."""
    said = []
    for who, s in f.parts:
        if not s.year_significant or s.value is None or s.previous is None:
            continue
        now, before = whole_percent(s.value), whole_percent(s.previous)
        verb = "ökat" if now > before else "minskat" if now < before else "ändrats"
        said.append((who, verb, before, now))
    if not said:
        return None
    also = "också " if f.total.year_significant else ""
    parts = [f"bland {who} har andelen {also}{verb} signifikant, från {b} % till {n} %"
             for who, verb, b, n in said]
    return pick((cap(" och ".join(parts)) + ".",
                 f"En {also}statistiskt signifikant förändring syns bland "
                 + " och ".join(f"{who} ({b} % till {n} %)" for who, _v, b, n in said)
                 + "."), variant)


def other_categories_sentence(f: NationalFacts, variant: int = 0) -> str | None:
    """Gender differences in other answer categories than the key figure's."""
    others = [(c, w, m) for c, w, m in f.gender_categories if c != f.key_category]
    if not others:
        return None
    parts = [f"{CATEGORY_WORDS[c]} ({percent(w)} för kvinnor, {percent(m)} för män)"
             for c, w, m in others]
    lead = "också" if any(c == f.key_category for c, _w, _m in f.gender_categories) else ""
    return pick((f"Kvinnor och män skiljer sig {lead + ' ' if lead else ''}signifikant "
                 f"i andelen {' och '.join(parts)}.",
                 f"Könsskillnaden är {lead + ' ' if lead else ''}statistiskt signifikant "
                 f"för andelen {' och '.join(parts)}."), variant)


def national_comment(f: NationalFacts, previous_period: int | None,
                     variant: int = 0) -> list[str]:
    """The drafted sentences on one measure, in reading order."""
    sentences: list[str | None] = []
    if previous_period is not None:
        sentences.append(cm.year_sentence(_measure(f, f.total), previous_period, variant))
        sentences.append(subgroup_year_sentence(f, variant))
    key = [(w, m) for c, w, m in f.gender_categories if c == f.key_category]
    if key:
        w, m = key[0]
        sentences.append(cm.gender_sentence(cm.MeasureFacts(
            subject=f.subject, key=f.key, n=0, value=f.total.value, women=w, men=m,
            gender_significant=True), variant))
    sentences.append(other_categories_sentence(f, variant))
    return [s for s in sentences if s]


def no_difference_sentence(previous_period: int | None, gendered: bool,
                           variant: int = 0) -> str:
    """Said when no test of the indicator's measures is significant."""
    parts = []
    if previous_period is not None:
        parts.append(f"jämfört med {previous_period}")
    if gendered:
        parts.append("mellan kvinnor och män")
    if not parts:
        return "Jämförelser mellan år och kön görs inte för indikatorns mått."
    return pick((f"Inga statistiskt signifikanta skillnader syns {' eller '.join(parts)}.",
                 f"Testerna visar inga signifikanta skillnader {' eller '.join(parts)}."),
                variant)
