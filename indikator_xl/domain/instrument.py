"""The NNS indicator instrument as data: scales, respondent groups, questions, indicators.

This is the only module that spells out question numbers, scales and indicator links
(SPEC §2). Everything else asks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Answer categories, in report order.
NEGATIVT = "negativt"
VARKEN_ELLER = "varken_eller"
POSITIVT = "positivt"
KLART_POSITIVT = "klart_positivt"
CATEGORIES: tuple[str, ...] = (NEGATIVT, VARKEN_ELLER, POSITIVT, KLART_POSITIVT)

CATEGORY_LABELS: dict[str, str] = {
    NEGATIVT: "Negativt",
    VARKEN_ELLER: "Varken eller",
    POSITIVT: "Positivt",
    KLART_POSITIVT: "Klart positivt",
}


@dataclass(frozen=True)
class Option:
    """One answer option: its code, its label and the categories it counts in."""

    code: int
    label: str
    categories: frozenset[str]


@dataclass(frozen=True)
class Scale:
    """An answer scale (I, II or III)."""

    name: str
    options: tuple[Option, ...]

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(o.code for o in self.options)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.options)

    @property
    def is_yes_no(self) -> bool:
        return len(self.options) == 2

    def option(self, code: int) -> Option:
        for o in self.options:
            if o.code == code:
                return o
        raise KeyError(code)


_SIX_POINT_CATEGORIES = (
    frozenset({NEGATIVT}),
    frozenset({NEGATIVT}),
    frozenset({VARKEN_ELLER}),
    frozenset({POSITIVT}),
    frozenset({POSITIVT, KLART_POSITIVT}),
    frozenset({POSITIVT, KLART_POSITIVT}),
)


def _six_point(name: str, labels: tuple[str, ...]) -> Scale:
    return Scale(
        name,
        tuple(
            Option(code, label, cats)
            for code, (label, cats) in enumerate(zip(labels, _SIX_POINT_CATEGORIES, strict=True), 1)
        ),
    )


SCALE_I = _six_point("I", ("Aldrig", "Sällan", "Ibland", "Ofta", "För det mesta", "Alltid"))
SCALE_II = _six_point(
    "II",
    ("Inte alls", "Till liten del", "Delvis", "Till stor del", "Till mycket stor del",
     "Helt och hållet"),
)
# Scale III: Ja counts as positive and as the key figure, Nej as negative (SPEC §2).
# Codes follow the printed questionnaire order (Ja first).
SCALE_III = Scale(
    "III",
    (
        Option(1, "Ja", frozenset({POSITIVT, KLART_POSITIVT})),
        Option(2, "Nej", frozenset({NEGATIVT})),
    ),
)
SCALES: dict[str, Scale] = {s.name: s for s in (SCALE_I, SCALE_II, SCALE_III)}


class Background(StrEnum):
    """Background columns of a group sheet."""

    KON = "Kön"
    INSATS = "Insats"
    ANSTALLNING = "Anställning"
    SAMVERKANSGRUPP = "Samverkansgrupp"


@dataclass(frozen=True)
class Question:
    """One measure: question `number` of respondent group `group`."""

    group: str
    number: int
    text: str
    scale: Scale
    indicator: int
    key_category: str
    only_if_yes_to: int | None = None

    @property
    def column(self) -> str:
        return f"F{self.number}"


@dataclass(frozen=True)
class Group:
    """A respondent group: its exact sheet name, background columns and questions."""

    name: str
    short: str
    background: tuple[Background, ...]
    questions: tuple[Question, ...]

    @property
    def is_participant(self) -> bool:
        return Background.KON in self.background

    def question(self, number: int) -> Question:
        for q in self.questions:
            if q.number == number:
                return q
        raise KeyError(number)


# Group names (exact sheet names, SPEC §2).
DELTAGARE_PAGAENDE = "Deltagare pågående"
DELTAGARE_AVSLUT = "Deltagare avslut"
PERSONAL = "Personal"
REMITTENTER = "Remittenter"
CHEFSGRUPP = "Parternas chefsgrupp"
STYRELSE = "Styrelse"

# (number, scale, indicator, text[, only_if_yes_to]) per group, as in SPEC §2.
_QUESTION_TABLE: dict[str, tuple[tuple, ...]] = {
    DELTAGARE_PAGAENDE: (
        (1, "I", 1, "Får du stöd på ett sätt som är till stor nytta för dig?"),
        (2, "I", 2, "Är du med och bestämmer vilket stöd du skall få?"),
        (3, "I", 3, "Får stödet ta den tid du behöver?"),
        (4, "I", 4, "Stödjer insatsen dig i kontakterna med myndigheterna och vården?"),
        (5, "II", 5, "Har det stöd du fått hjälpt dig att utveckla sätt att hantera din "
                     "situation?"),
        (6, "II", 7, "Känner du dig mer redo att kunna arbeta eller studera jämfört med innan "
                     "du fick kontakt med oss?"),
        (7, "II", 9, "Upplever du att personalen tar tillvara dina erfarenheter, såsom "
                     "kunskaper och synpunkter?"),
    ),
    DELTAGARE_AVSLUT: (
        (1, "I", 1, "Har du fått stöd på ett sätt som är till stor nytta för dig?"),
        (2, "I", 2, "Har du fått vara med och bestämma vilket stöd som du får/har fått?"),
        (3, "I", 3, "Har stödet fått ta den tid du behövt?"),
        (4, "I", 4, "Har insatsen stöttat dig i kontakterna med myndigheterna och vården?"),
        (5, "II", 5, "Har det stöd du fått hjälpt dig att utveckla sätt att hantera din "
                     "situation?"),
        (6, "II", 7, "Känner du dig mer redo att kunna arbeta eller studera jämfört med innan "
                     "du fick kontakt med oss?"),
        (7, "II", 9, "Upplever du att personalen har tagit tillvara dina erfarenheter, såsom "
                     "kunskaper och synpunkter?"),
        (8, "III", 6, "Har ni påbörjat en planering för vad som ska hända efter att nuvarande "
                      "stöd har upphört?"),
        (9, "II", 6, "Finns det en tillräcklig planering för vad som ska hända efter att detta "
                     "stöd upphört?", 8),
        (10, "II", 6, "Kommer det som är planerat att påbörjas inom rimlig tid?", 8),
    ),
    PERSONAL: (
        (1, "I", 3, "Får stödet som ni ger till deltagarna ta den tid som behövs?"),
        (2, "I", 6, "Finns det en tillräcklig planering för deltagarna för vad som ska hända "
                    "när de avslutat insatsen?"),
        (3, "I", 8, "Upplever du att de du samverkar med hos andra myndigheter lyssnar på dig?"),
        (4, "I", 8, "Upplever du att de du samverkar med hos andra myndigheter vet vad du kan "
                    "tillföra?"),
        (5, "II", 9, "Tas erfarenheter, kunskaper och synpunkter från deltagare systematiskt "
                     "tillvara?"),
        (6, "II", 10, "Har ni rutiner för att samarbeta med andra aktörer i arbetet när det "
                      "gäller insatser för deltagarna?"),
        (7, "II", 12, "Har ni strukturer för att initiera, upprätthålla och underhålla "
                      "relationer mellan inblandade aktörer?"),
        (8, "II", 13, "Omfattas det synsätt ni har angående människors resurser och "
                      "möjligheter av alla i den samordnade insatsen?"),
        (9, "II", 13, "Fungerar de olika arbetssätt ni har i den samordnade insatsen bra "
                      "tillsammans?"),
        (10, "II", 16, "Har ni rutiner för att arbeta med jämställdhet, jämlikhet och mångfald "
                       "i insatsen?"),
        (11, "II", 16, "Avsätts tid till lärande och reflektion kopplat till jämställdhet, "
                       "jämlikhet och mångfald?"),
    ),
    REMITTENTER: (
        (1, "I", 3, "Får stödet till deltagarna i insatsen/insatserna ta den tid som behövs?"),
        (2, "I", 6, "Finns det en tillräcklig planering för vad som ska hända deltagarna efter "
                    "avslutad insats/insatser?"),
        (3, "I", 8, "Upplever du att de du samverkar med i insatsen/insatserna lyssnar på dig?"),
        (4, "I", 8, "Upplever du att de du samverkar med i insatsen/insatserna vet vad du kan "
                    "tillföra?"),
    ),
    CHEFSGRUPP: (
        (1, "II", 9, "Tas erfarenheter såsom kunskaper och synpunkter från deltagare "
                     "systematiskt tillvara?"),
        (2, "II", 9, "Medverkar individer med samordnade rehabiliteringsbehov i utvecklingen "
                     "av insatser?"),
        (3, "II", 10, "Har er samverkansgrupp ett strukturerat samarbete med aktörer utöver de "
                      "som är medlemmar i samordningsförbundet?"),
        (4, "II", 12, "Har ni strukturer för att initiera, upprätthålla och underhålla "
                      "relationer mellan de samverkande myndigheterna?"),
        (5, "II", 15, "Används erfarenheter från förbundsfinansierade insatser som underlag för "
                      "fortsatt utveckling av samordnad arbetslivsinriktad rehabilitering?"),
        (6, "II", 15, "Har erfarenheter från er samverkan lett till att förebyggande insatser "
                      "utvecklats med avsikten att samordnad rehabilitering inte ska bli "
                      "aktuell?"),
        (7, "II", 16, "Används könsuppdelad statistik i planering, beslut och prioriteringar?"),
        (8, "II", 16, "Har ni integrerat jämställdhet, jämlikhet och mångfald i den samverkan "
                      "som stöds av samordningsförbundet?"),
    ),
    STYRELSE: (
        (1, "II", 12, "Har ni strukturer för att initiera, upprätthålla och underhålla "
                      "relationer mellan inblandade aktörer?"),
        (2, "II", 14, "Har ni en strategi för hur ni arbetar med uppföljning och utvärdering av "
                      "de samordnade rehabiliteringsinsatserna?"),
        (3, "II", 14, "Använder ni uppföljning och utvärdering som underlag för att utveckla de "
                      "samordnade rehabiliteringsinsatserna?"),
        (4, "II", 16, "Används könsuppdelad statistik i planering, beslut och prioriteringar?"),
        (5, "II", 16, "Har styrelsen integrerat jämställdhet, jämlikhet och mångfald i förbundets "
                      "verksamhetsplanering?"),
    ),
}

_GROUP_META: dict[str, tuple[str, tuple[Background, ...]]] = {
    DELTAGARE_PAGAENDE: ("Deltagare - pågåendeenkät", (Background.KON, Background.INSATS)),
    DELTAGARE_AVSLUT: ("Deltagare - avslutsenkät", (Background.KON, Background.INSATS)),
    PERSONAL: ("Personal", (Background.INSATS,)),
    REMITTENTER: ("Remittenter", (Background.ANSTALLNING, Background.INSATS)),
    CHEFSGRUPP: ("Parternas chefsgrupp", (Background.SAMVERKANSGRUPP,)),
    STYRELSE: ("Styrelse", ()),
}

# Indicator 7 (F6 of both participant groups) uses all positive answers as its key figure.
_POSITIVE_KEY_INDICATORS = frozenset({7})


def _key_category(scale: Scale, indicator: int) -> str:
    if scale.is_yes_no:
        return KLART_POSITIVT  # share Ja; Ja counts in both positive categories
    if indicator in _POSITIVE_KEY_INDICATORS:
        return POSITIVT
    return KLART_POSITIVT


def _build_groups() -> tuple[Group, ...]:
    groups = []
    for name, rows in _QUESTION_TABLE.items():
        short, background = _GROUP_META[name]
        questions = tuple(
            Question(
                group=name,
                number=row[0],
                text=row[3],
                scale=SCALES[row[1]],
                indicator=row[2],
                key_category=_key_category(SCALES[row[1]], row[2]),
                only_if_yes_to=row[4] if len(row) > 4 else None,
            )
            for row in rows
        )
        groups.append(Group(name, short, background, questions))
    return tuple(groups)


GROUPS: tuple[Group, ...] = _build_groups()
GROUPS_BY_NAME: dict[str, Group] = {g.name: g for g in GROUPS}
QUESTIONS: tuple[Question, ...] = tuple(q for g in GROUPS for q in g.questions)

INDICATORS: dict[int, str] = {
    1: "Deltagarna känner att de insatser som erbjuds är organiserade runt deras behov "
       "(personcentrerade).",
    2: "Deltagarna upplever inflytande över rehabiliteringsprocessen.",
    3: "En möjlighet att låta rehabiliteringsprocessen få ta den tid som behövs utifrån "
       "deltagarnas förutsättningar.",
    4: "Deltagarna upplever att det finns någon som håller samman och stödjer den enskildes "
       "samordnade rehabiliteringsprocess.",
    5: "Deltagarna upplever att de kan hantera egna symtom och funktionsnedsättning samt att de "
       "har fått stöd från myndigheterna i att leva med detta.",
    6: "När insatser avslutas i en samordnad rehabiliteringstjänst upplever deltagarna att det "
       "finns en planering/tjänster som tar vid, och att de levereras utan onödigt dröjsmål.",
    7: "Deltagarna upplever att det har skett en stegförflyttning närmare "
       "arbetsmarknaden/egen försörjning.",
    8: "Personalen upplever att andra medarbetare/professionella i andra myndigheter "
       "respekterar deras kunskap, roller och arbetssätt.",
    9: "Att det systematiskt tillvaratas erfarenheter, kunskaper och synpunkter såväl från "
       "enskilda deltagare/brukare som från brukarorganisationer eller grupper av deltagare.",
    10: "Samordnade insatser inkluderar även andra aktörer i samhället, företag, ideella "
        "krafter och föreningsliv i det löpande arbetet på ett strukturerat sätt.",
    11: "Utfall för deltagarna som kommer ur de samordnade insatserna är hållbara och säkra "
        "över tid.",
    12: "En struktur har skapats vars huvuduppgifter är att strategiskt initiera, upprätthålla "
        "och underhålla relationer.",
    13: "Samordnade insatser har ett sektorsövergripande arbetssätt och synsätt.",
    14: "Det finns en klar och tydlig strategi för uppföljning och utvärdering av "
        "myndighetsgemensamma insatser.",
    15: "Insikter från samverkan leder till att nya typer av förebyggande insatser utvecklas så "
        "att behov av samordnad rehabilitering inte behöver bli aktuellt om individer fångas "
        "upp mycket tidigare och på ett annorlunda sätt.",
    16: "En värdegrund utifrån mänskliga rättigheter såsom jämställdhet, mångfald och jämlikhet "
        "genomsyrar den lokala samverkanskulturen.",
}

# Short titles used in chart and table headings (the national report's Diagram titles).
INDICATOR_SHORT: dict[int, str] = {
    1: "Personcentrering",
    2: "Inflytande",
    3: "Tillräcklig tid",
    4: "Sammanhållet stöd",
    5: "Stöd att hantera sin situation",
    6: "Fortsatt planering",
    7: "Närmare arbete/studier",
    8: "Respekt mellan medarbetare i samverkan",
    9: "Tillvaratagande av erfarenheter",
    10: "Samarbete med andra aktörer",
    11: "Hållbara utfall",
    12: "Samverkansstrukturer",
    13: "Gemensamma synsätt och arbetssätt i samverkansinsats",
    14: "Uppföljning och utvärdering",
    15: "Förebyggande insatser",
    16: "Jämställdhet, jämlikhet och mångfald",
}

# Indicator 11 is a register study: no survey measure ("ingår ej").
NOT_SURVEYED_INDICATORS = frozenset({11})


def measures_of(indicator: int) -> tuple[Question, ...]:
    """All questions that measure `indicator`, in group order."""
    return tuple(q for q in QUESTIONS if q.indicator == indicator)


def question(group: str, number: int) -> Question:
    """The question `number` of respondent group `group` (exact sheet name)."""
    return GROUPS_BY_NAME[group].question(number)


# Background value vocabularies (matched case- and whitespace-insensitively).
KVINNOR = "kvinnor"
MAN = "man"
GENDER_VALUES: dict[str, str | None] = {
    "kvinna": KVINNOR,
    "k": KVINNOR,
    "man": MAN,
    "m": MAN,
    "ej angett": None,
    "vill inte svara": None,
    "annat": None,
}
GENDER_LABELS: dict[str, str] = {KVINNOR: "Kvinnor", MAN: "Män"}

EMPLOYERS: tuple[str, ...] = (
    "Arbetsförmedlingen", "Försäkringskassan", "Kommun", "Hälso-Sjukvård", "Annan",
)
OTHER_EMPLOYER = "Annan"
# Other spellings of the members seen in the reports (Bilaga 3 writes "Hälsa-Sjukvård").
EMPLOYER_ALIASES: dict[str, str] = {
    "arbetsförmedling": "Arbetsförmedlingen",
    "af": "Arbetsförmedlingen",
    "försäkringskassa": "Försäkringskassan",
    "fk": "Försäkringskassan",
    "hälsa-sjukvård": "Hälso-Sjukvård",
    "hälso- och sjukvård": "Hälso-Sjukvård",
    "hälso- sjukvård": "Hälso-Sjukvård",
    "hälso-och sjukvård": "Hälso-Sjukvård",
    "region": "Hälso-Sjukvård",
}

ROUTINES: tuple[str, ...] = ("Begränsad period", "Kontinuerligt", "Okänt")

# Registration workbook layout (SPEC §3).
SHEET_FORBUND = "Förbund"
SHEET_POPULATIONER = "Populationer"
KEY_NAME = "Samordningsförbund"
KEY_PERIOD = "Mätperiod"
KEY_PERIOD_FROM = "Period från"
KEY_PERIOD_TO = "Period till"
KEY_ROUTINE = "Rutin pågåendeenkät"
FORBUND_KEYS: tuple[str, ...] = (KEY_NAME, KEY_PERIOD, KEY_PERIOD_FROM, KEY_PERIOD_TO,
                                 KEY_ROUTINE)
# Optional file settings in the Förbund sheet that Beräkna in Excel compares with.
KEY_RIKSSNITT_FILE = "Rikssnittsfil"
KEY_PREVIOUS_FILE = "Föregående fil"
SETTING_KEYS: tuple[str, ...] = (KEY_RIKSSNITT_FILE, KEY_PREVIOUS_FILE)
# Optional: "Ja" follows the reports' older gender practice (docs/beslut.md): gender cells
# are shown although 1–4 answers have no stated gender. Not in the template's key list.
KEY_GENDER_DESPITE_UNSTATED = "Könsuppdelning trots ej angivet kön"
YES, NO = "Ja", "Nej"
POPULATION_HEADERS: tuple[str, ...] = (
    "Respondentgrupp", "Insats", "Målpopulation", "Undersökt population",
)
ID_COLUMN = "Löpnummer"
PERIOD_MIN, PERIOD_MAX = 2017, 2100
