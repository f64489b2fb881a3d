"""The shipped national figures (indikator_xl/data) against the national report's own text.

The report text is parsed here, table by table, and every transcribed row is compared with
it. Plausibility checks on the printed figures must fail exactly where the data carry a note.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from importlib import resources

import pandas as pd
import pytest

from indikator_xl.domain import instrument as ins
from indikator_xl.figures import national_data as nd
from tests.report_texts import NATIONAL_2023, report_path

N1_TABLES = ("7.1", "8.1", "9.1", "10.1", "11.1", "12.1", "12.2", "13.1", "14.1", "15.1",
             "16.1", "17.1", "18.1", "19.1", "20.1", "21.1")
N2_TABLES = ("7.2", "8.2", "9.2", "10.2", "11.2", "12.3", "13.2", "14.2", "15.2", "16.2",
             "17.2", "18.2", "19.2", "20.2", "21.2")

# Group labels as printed in the tables → sheet names. Anything else fails the parse.
PRINTED_GROUPS = {
    "Deltagare - pågåendeenkät": ins.DELTAGARE_PAGAENDE,
    "Deltagare - pågåendekät": ins.DELTAGARE_PAGAENDE,  # Tabell 15.2
    "Deltagare - avslutsenkät": ins.DELTAGARE_AVSLUT,
    "Personal": ins.PERSONAL,
    "Remittenter": ins.REMITTENTER,
    "Remitter": ins.REMITTENTER,  # Tabell 9.2
    "Parternas chefsgrupp": ins.CHEFSGRUPP,
    "Styrelse": ins.STYRELSE,
    # Tabell 1, 3 and Bilaga 1
    "Deltagare Pågående": ins.DELTAGARE_PAGAENDE,
    "Deltagare Avslut": ins.DELTAGARE_AVSLUT,
    "Chefsgrupper": ins.CHEFSGRUPP,
    "Styrelser": ins.STYRELSE,
    "Remitterter": ins.REMITTENTER,
}
PRINTED_SUBGROUPS = {
    "samtliga": ("samtliga", "samtliga"),
    "kvinnor": ("kon", ins.KVINNOR),
    "män": ("kon", ins.MAN),
    **{e: ("anstallning", e) for e in ins.EMPLOYERS},
}
MEMBER_EMPLOYERS = tuple(e for e in ins.EMPLOYERS if e != ins.OTHER_EMPLOYER)
# Printed förbund names that the data spell otherwise (with a note).
NAME_FIXES = {"Västerberglagen": "Västerbergslagen"}

TAG = re.compile(r"</?(?:b|i|p|u)>")
TITLE = re.compile(r"^\**Tabell (\d+(?:\.\d+)?)\**\s+(.*)$")
VALUE = re.compile(r"(\(?)(\d+)%(\)?)(\*?)")
PERCENT = re.compile(r"(\d+)%(\*?)")


# --------------------------------------------------------------------------- report parsing

@pytest.fixture(scope="module")
def report() -> list[str]:
    return report_path(NATIONAL_2023).read_text(encoding="utf-8").splitlines()


def cells(line: str) -> list[str]:
    return [TAG.sub("", c).strip() for c in line.split("\t")]


def integer(text: str) -> str:
    """A printed count ("1 542", "<b>2 926</b>") as CSV text ("1542"); "-" → ""."""
    text = text.strip().rstrip("*")
    if text == "-":
        return ""
    assert re.fullmatch(r"\d{1,3}( \d{3})*|\d+", text), text
    return text.replace(" ", "")


def percent(text: str) -> str:
    text = text.strip()
    if text == "-":
        return ""
    m = re.fullmatch(r"(\d+)%\*?", text)
    assert m, text
    return m.group(1)


def title_line(lines: list[str], number: str) -> int:
    found = [i for i, line in enumerate(lines)
             if (m := TITLE.match(line)) and m.group(1) == number]
    assert len(found) == 1, f"Tabell {number}: {len(found)} title lines in the report"
    return found[0]


def indicator_tables(lines: list[str]) -> dict[str, int]:
    """Every "Tabell N.k" of the results chapter → the indicator its title names."""
    out = {}
    for line in lines:
        m = TITLE.match(line)
        if m and "." in m.group(1):
            ind = re.search(r"[Ii]ndikator (\d+)", m.group(2))
            assert ind, line
            out[m.group(1)] = int(ind.group(1))
    return out


def measure_rows(lines: list[str], number: str) -> list[tuple[int, str, int, list[str]]]:
    """(line number, group, question, cells) for each data row of an indicator table."""
    start = title_line(lines, number)
    rows: list[tuple[int, str, int, list[str]]] = []
    group = question = None
    for i in range(start + 1, len(lines)):
        line = lines[i]
        c = cells(line)
        head = re.fullmatch(r"Fråga (\d+)", c[0])
        if head:
            group, question = PRINTED_GROUPS[c[1]], int(head.group(1))
            continue
        if group is None:
            assert not TITLE.match(line), f"Tabell {number}: no rows before the next table"
            continue
        if not line.strip() or line.startswith("\\*"):
            break
        rows.append((i + 1, group, question, c))
    assert rows, f"Tabell {number}: no rows"
    return rows


def expected_rikssnitt(lines: list[str]) -> dict[tuple[str, str, str], dict[str, str]]:
    indicators = indicator_tables(lines)
    out: dict[tuple[str, str, str], dict[str, str]] = {}
    for number in N1_TABLES:
        for lineno, group, q, c in measure_rows(lines, number):
            where = f"Tabell {number}, report line {lineno}"
            m = re.fullmatch(r"(.+?)\s*\(n=(\d+)\)", c[0])
            assert m, where
            dimension, sub = PRINTED_SUBGROUPS[m.group(1)]
            values = VALUE.findall(" ".join(c[1:]))
            if number == "12.1":  # Nej, Ja
                assert len(values) == 2 and not any(v[0] or v[2] for v in values), where
                (_, nej, _, s_nej), (_, ja, _, s_ja) = values
                shares = [(nej, s_nej), ("0", ""), (ja, s_ja), (ja, s_ja)]
            else:
                assert len(values) == 4, f"{where}: {len(values)} values"
                assert [bool(v[0] and v[2]) for v in values] == [False] * 3 + [True], where
                shares = [(v[1], v[3]) for v in values]
            assert ins.question(group, q).indicator == indicators[number], where
            row = {
                "matperiod": "2023", "respondentgrupp": group, "fraga": str(q),
                "indikator": str(indicators[number]), "dimension": dimension,
                "undergrupp": sub, "n": m.group(2), "kalla": f"Tabell {number}",
            }
            for cat, (value, star) in zip(ins.CATEGORIES, shares, strict=True):
                row[cat] = value
                row[f"stjarna_{cat}"] = "1" if star else "0"
            key = (group, str(q), sub)
            assert key not in out, where
            out[key] = row
    return out


def expected_nyckeltal(lines: list[str]) -> dict[tuple[str, str, str, str], dict[str, str]]:
    indicators = indicator_tables(lines)
    out: dict[tuple[str, str, str, str], dict[str, str]] = {}
    for number in N2_TABLES:
        header = cells(lines[title_line(lines, number) + 2])
        assert header[1:] == ["2021", "", "2022", "", "2023", ""], f"Tabell {number}: {header}"
        for lineno, group, q, c in measure_rows(lines, number):
            where = f"Tabell {number}, report line {lineno}"
            assert len(c) == 7, where
            dimension, sub = PRINTED_SUBGROUPS[c[0]]
            assert ins.question(group, q).indicator == indicators[number], where
            for k, year in enumerate(("2021", "2022", "2023")):
                m = PERCENT.fullmatch(c[2 + 2 * k])
                assert m, where
                key = (year, group, str(q), sub)
                assert key not in out, where
                out[key] = {
                    "matperiod": year, "respondentgrupp": group, "fraga": str(q),
                    "indikator": str(indicators[number]), "dimension": dimension,
                    "undergrupp": sub, "n": integer(c[1 + 2 * k]), "nyckeltal": m.group(1),
                    "stjarna_ar": "1" if m.group(2) else "0", "kalla": f"Tabell {number}",
                }
    return out


def table_block(lines: list[str], title_prefix: str, skip: int = 1) -> list[list[str]]:
    """The non-empty lines after the one title line starting with `title_prefix`."""
    starts = [i for i, line in enumerate(lines) if line.startswith(title_prefix)]
    assert len(starts) == 1, title_prefix
    out = []
    for line in lines[starts[0] + skip:]:
        if not line.strip():
            if out:
                break
            continue
        out.append(cells(line))
    return out


def section_rows(lines: list[str], heading: str) -> tuple[list[list[str]], list[str]]:
    """Förbund rows and the Totalt row of a Bilaga section."""
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1:]:
        c = cells(line)
        if c[0].startswith("Totalt:"):
            return rows, c
        if len(c) > 2 and c[0] and c[0] != "Samordningsförbund" and c[1][:1].isdigit():
            rows.append(c)
    raise AssertionError(f"{heading}: no Totalt line")


BILAGA2_SECTIONS = {
    "### SVARFREKVENSENS DELTAGARE PÅGÅENDE": ins.DELTAGARE_PAGAENDE,
    "## SVARSFREKVENSENS DELTAGARE AVSLUT": ins.DELTAGARE_AVSLUT,
    "## SVARSFREKVENNS PERSONAL": ins.PERSONAL,
    "## SVARFREKVENNS PARTERNAS CHEFSGRUPP": ins.CHEFSGRUPP,
    "## SVARFREKVENSENS STYRELSE": ins.STYRELSE,
    "## SVARFREKVENSENS REMITTENTER": ins.REMITTENTER,
}


# --------------------------------------------------------------------------- the CSV files

def csv_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("indikator_xl").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def without(row: dict[str, str], *columns: str) -> dict[str, str]:
    return {k: v for k, v in row.items() if k not in columns}


def one(rows: list[dict[str, str]], **where: object) -> dict[str, str]:
    found = [r for r in rows if all(r[k] == str(v) for k, v in where.items())]
    assert len(found) == 1, f"{len(found)} rows match {where}"
    return found[0]


def test_headers() -> None:
    measure = ["matperiod", "respondentgrupp", "fraga", "indikator", "dimension", "undergrupp",
               "n"]
    stars = [f"stjarna_{c}" for c in ins.CATEGORIES]
    assert list(csv_rows(nd.RIKSSNITT_2023)[0]) == [
        *measure, *ins.CATEGORIES, *stars, "kalla", "anmarkning"]
    assert list(csv_rows(nd.NYCKELTAL_2021_2023)[0]) == [
        *measure, "nyckeltal", "stjarna_ar", "kalla", "anmarkning"]
    assert list(csv_rows(nd.SVARSFREKVENS_2023)[0]) == [
        "respondentgrupp", "malpopulation", "undersokt_population", "svar",
        "andel_undersokt_av_mal", "andel_svar_av_undersokt", "andel_svar_av_mal", "anmarkning"]
    assert list(csv_rows(nd.ENKATER_PER_AR)[0]) == [
        "matperiod", "enkater", "forbund", "forbund_nationellt"]


def test_all_indicator_tables_are_transcribed(report: list[str]) -> None:
    found = indicator_tables(report)
    assert sorted(found, key=lambda t: tuple(map(int, t.split(".")))) == sorted(
        N1_TABLES + N2_TABLES, key=lambda t: tuple(map(int, t.split(".")))
    )
    sources = {r["kalla"] for r in csv_rows(nd.RIKSSNITT_2023)}
    assert sources == {f"Tabell {t}" for t in N1_TABLES}
    sources = {r["kalla"] for r in csv_rows(nd.NYCKELTAL_2021_2023)}
    assert sources == {f"Tabell {t}" for t in N2_TABLES}


def test_rikssnitt_matches_report(report: list[str]) -> None:
    expected = expected_rikssnitt(report)
    rows = csv_rows(nd.RIKSSNITT_2023)
    got = {(r["respondentgrupp"], r["fraga"], r["undergrupp"]): r for r in rows}
    assert len(got) == len(rows), "duplicate rows in rikssnitt_2023.csv"
    assert set(got) == set(expected)
    for key, row in expected.items():
        assert without(got[key], "anmarkning") == row, f"{row['kalla']}: {key}"


def test_nyckeltal_matches_report(report: list[str]) -> None:
    expected = expected_nyckeltal(report)
    rows = csv_rows(nd.NYCKELTAL_2021_2023)
    got = {(r["matperiod"], r["respondentgrupp"], r["fraga"], r["undergrupp"]): r for r in rows}
    assert len(got) == len(rows), "duplicate rows in nyckeltal_2021_2023.csv"
    assert set(got) == set(expected)
    for key, row in expected.items():
        assert without(got[key], "anmarkning") == row, f"{row['kalla']}: {key}"


def test_svarsfrekvens_matches_tabell_3(report: list[str]) -> None:
    block = table_block(report, "Tabell 3 ")
    expected = {}
    for c in block:
        if c[0] in PRINTED_GROUPS or c[0] == "Totalt":
            expected[PRINTED_GROUPS.get(c[0], "Totalt")] = {
                "malpopulation": integer(c[1]), "undersokt_population": integer(c[2]),
                "andel_undersokt_av_mal": percent(c[3]), "svar": integer(c[4]),
                "andel_svar_av_undersokt": percent(c[5]), "andel_svar_av_mal": percent(c[6]),
            }
    assert len(expected) == 7, "Tabell 3: six groups and Totalt"
    rows = csv_rows(nd.SVARSFREKVENS_2023)
    assert [r["respondentgrupp"] for r in rows] == list(expected)
    for r in rows:
        assert without(r, "respondentgrupp", "anmarkning") == expected[r["respondentgrupp"]], (
            f"Tabell 3: {r['respondentgrupp']}")


def test_enkater_per_ar_matches_tabell_22(report: list[str]) -> None:
    block = {c[0]: c[1:] for c in table_block(report, "**Tabell 22**")}
    years = block[""][:6]
    rows = csv_rows(nd.ENKATER_PER_AR)
    assert [r["matperiod"] for r in rows] == years == [str(y) for y in range(2018, 2024)]
    for k, r in enumerate(rows):
        assert r["enkater"] == integer(block["Totalt insamlade enkäter"][k]), "Tabell 22"
        assert r["forbund"] == integer(block["Antal deltagande förbund"][k]), "Tabell 22"
        assert r["forbund_nationellt"] == integer(
            block["Antal samordningsförbund nationellt"][k]), "Tabell 22"
        # The printed derived rows follow from the transcribed ones.
        e, f, nat = int(r["enkater"]), int(r["forbund"]), int(r["forbund_nationellt"])
        average = f"{_round(10 * e / f) // 10},{_round(10 * e / f) % 10}"
        assert block["Genomsnitt antal enkäter per förbund"][k] == average, "Tabell 22"
        assert percent(block["Andel deltagande förbund"][k]) == str(_round(100 * f / nat))
    assert sum(int(r["enkater"]) for r in rows) == int(
        integer(block["Totalt insamlade enkäter"][6])), "Tabell 22: Totalt"


def expected_counts(report: list[str]) -> dict[tuple[str, str, str, str, str], str]:
    out: dict[tuple[str, str, str, str, str], str] = {}
    block = table_block(report, "**Tabell 1**")
    heads = [PRINTED_GROUPS.get(h, "Totalt") for h in block[0][1:]]
    for c, rad in zip(block[1:], ("besvarade_enkater", "deltagande_forbund"), strict=True):
        for g, v in zip(heads, c[1:], strict=True):
            out[("Tabell 1", g, rad, "", "antal")] = integer(v)
    rad_names = {"Uppgett sig vara kvinna": "kvinnor", "Uppgett sig vara man": "man",
                 "Ej uppgett variabeln kön": "ej_angett", "Totalt antal enkätsvar": "totalt"}
    for t, g in (("4", ins.DELTAGARE_PAGAENDE), ("5", ins.DELTAGARE_AVSLUT)):
        for c in table_block(report, f"**Tabell {t}**")[1:]:
            out[(f"Tabell {t}", g, rad_names[c[0]], "", "antal")] = integer(c[1])
            out[(f"Tabell {t}", g, rad_names[c[0]], "", "andel")] = percent(c[2])
    block = table_block(report, "**Tabell 6**")
    routines = dict(zip(
        ("Begränsad period under året", "Kontinuerligt under året", "Okänt", "Totalt"),
        (*ins.ROUTINES, "Totalt"), strict=True))
    kols = [routines[h] for h in block[0][2:]]
    rad = ""
    for c in block[1:]:
        rad = {"Kvinnor": "kvinnor", "Män": "man", "Totalt": "totalt", "": rad}[c[0]]
        matt = c[1].lower()
        for kol, v in zip(kols, c[2:], strict=True):
            out[("Tabell 6", ins.DELTAGARE_PAGAENDE, rad, kol, matt)] = (
                integer(v) if matt == "antal" else percent(v))
    return out


def test_antal_matches_tables_1_4_5_6(report: list[str]) -> None:
    expected = expected_counts(report)
    rows = csv_rows(nd.ANTAL_2023)
    got = {(r["tabell"], r["respondentgrupp"], r["rad"], r["kolumn"], r["matt"]): r["varde"]
           for r in rows}
    assert len(got) == len(rows)
    assert got == expected


def test_bilaga1_matches_report(report: list[str]) -> None:
    head = next(cells(line) for line in report
                if line.startswith("Samordningsförbund\tDeltagare Pågående"))
    groups = [PRINTED_GROUPS[h] for h in head[1:]]
    rows, total = section_rows(report, "## Bilaga 1: FÖRTECKNING DELTAGANDE SAMORDNINGSFÖRBUND")
    expected = {}
    for c in rows:
        for g, v in zip(groups, c[1:], strict=True):
            expected[(c[0].rstrip("*"), g)] = (integer(v), "1" if c[0].endswith("*") else "0")
    got = {(r["forbund"], r["respondentgrupp"]): (r["svar"], r["ny_2023"])
           for r in csv_rows(nd.BILAGA1_2023)}
    assert got == expected
    assert total[0] == f"Totalt: {len(rows)}"
    for g, v in zip(groups, total[1:], strict=True):
        assert sum(int(s) for (_, gg), (s, _) in got.items() if gg == g) == int(integer(v)), (
            f"Bilaga 1: Totalt {g}")


def test_bilaga2_matches_report(report: list[str]) -> None:
    expected = {}
    for heading, group in BILAGA2_SECTIONS.items():
        rows, total = section_rows(report, heading)
        assert total[0] == f"Totalt: {len(rows)}", heading
        for c in rows:
            name = NAME_FIXES.get(c[0], c[0])
            if group == ins.REMITTENTER:
                values = ["", integer(c[1]), integer(c[2]), "", percent(c[3]), ""]
            else:
                values = [integer(c[1]), integer(c[2]), integer(c[4]), percent(c[3]),
                          percent(c[5]), percent(c[6])]
            expected[(group, name)] = values
    cols = ["malpopulation", "undersokt_population", "svar", "andel_undersokt_av_mal",
            "andel_svar_av_undersokt", "andel_svar_av_mal"]
    rows = csv_rows(nd.BILAGA2_2023)
    got = {(r["respondentgrupp"], r["forbund"]): [r[c] for c in cols] for r in rows}
    assert len(got) == len(rows)
    assert got == expected


# --------------------------------------------------------------------------- spot values

SPOT_VALUES = [
    ("Tabell 7.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.DELTAGARE_PAGAENDE, "fraga": 1, "undergrupp": "samtliga"},
     {"n": "1114", "negativt": "2", "varken_eller": "9", "positivt": "89", "klart_positivt": "77"}),
    ("Tabell 7.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.DELTAGARE_PAGAENDE, "fraga": 1, "undergrupp": ins.KVINNOR},
     {"klart_positivt": "81", "stjarna_klart_positivt": "1", "stjarna_positivt": "0"}),
    ("Tabell 8.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.DELTAGARE_PAGAENDE, "fraga": 2, "undergrupp": ins.MAN},
     {"n": "474", "klart_positivt": "72", "stjarna_klart_positivt": "1"}),
    ("Tabell 8.2", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2022, "respondentgrupp": ins.DELTAGARE_PAGAENDE, "fraga": 2,
      "undergrupp": ins.MAN},
     {"n": "66", "nyckeltal": "76"}),
    ("Tabell 9.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.REMITTENTER, "fraga": 1, "undergrupp": "Försäkringskassan"},
     {"dimension": "anstallning", "n": "37", "positivt": "92", "klart_positivt": "81"}),
    ("Tabell 9.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.REMITTENTER, "fraga": 1, "undergrupp": "Hälso-Sjukvård"},
     {"negativt": "0", "varken_eller": "0", "positivt": "100", "klart_positivt": "81"}),
    ("Tabell 9.2", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2022, "respondentgrupp": ins.DELTAGARE_PAGAENDE, "fraga": 3,
      "undergrupp": ins.MAN},
     {"n": "658", "nyckeltal": "80", "stjarna_ar": "1"}),
    ("Tabell 9.2", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2021, "respondentgrupp": ins.REMITTENTER, "fraga": 1,
      "undergrupp": "Arbetsförmedlingen"},
     {"n": "49", "nyckeltal": "69"}),
    ("Tabell 11.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.DELTAGARE_PAGAENDE, "fraga": 5, "undergrupp": ins.KVINNOR},
     {"negativt": "6", "stjarna_negativt": "1", "stjarna_varken_eller": "0",
      "positivt": "77", "stjarna_positivt": "1", "klart_positivt": "54",
      "stjarna_klart_positivt": "1"}),
    ("Tabell 12.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.DELTAGARE_AVSLUT, "fraga": 8, "undergrupp": "samtliga"},
     {"n": "878", "negativt": "13", "varken_eller": "0", "positivt": "87",
      "klart_positivt": "87"}),
    ("Tabell 12.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.DELTAGARE_AVSLUT, "fraga": 8, "undergrupp": ins.MAN},
     {"n": "343", "negativt": "11", "positivt": "89", "klart_positivt": "89"}),
    ("Tabell 12.2", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.DELTAGARE_AVSLUT, "fraga": 10, "undergrupp": ins.KVINNOR},
     {"n": "376", "negativt": "6", "stjarna_negativt": "1", "klart_positivt": "73"}),
    ("Tabell 12.3", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2022, "respondentgrupp": ins.REMITTENTER, "fraga": 2,
      "undergrupp": "Hälso-Sjukvård"},
     {"n": "37", "nyckeltal": "38"}),
    ("Tabell 12.3", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2023, "respondentgrupp": ins.DELTAGARE_AVSLUT, "fraga": 8,
      "undergrupp": "samtliga"},
     {"n": "878", "nyckeltal": "87"}),
    ("Tabell 13.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.DELTAGARE_AVSLUT, "fraga": 6, "undergrupp": ins.MAN},
     {"negativt": "17", "positivt": "70", "stjarna_positivt": "1", "klart_positivt": "58",
      "stjarna_klart_positivt": "1"}),
    ("Tabell 13.2", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2023, "respondentgrupp": ins.DELTAGARE_AVSLUT, "fraga": 6,
      "undergrupp": "samtliga"},
     {"n": "878", "nyckeltal": "64"}),
    ("Tabell 14.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.REMITTENTER, "fraga": 3, "undergrupp": "Arbetsförmedlingen"},
     {"n": "11", "positivt": "100", "klart_positivt": "100"}),
    ("Tabell 15.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.CHEFSGRUPP, "fraga": 2, "undergrupp": "samtliga"},
     {"n": "192", "negativt": "27", "varken_eller": "34", "positivt": "40",
      "klart_positivt": "16"}),
    ("Tabell 15.2", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2023, "respondentgrupp": ins.DELTAGARE_PAGAENDE, "fraga": 7,
      "undergrupp": ins.MAN},
     {"n": "466", "nyckeltal": "68", "stjarna_ar": "1"}),
    ("Tabell 16.2", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2021, "respondentgrupp": ins.CHEFSGRUPP, "fraga": 3,
      "undergrupp": "samtliga"},
     {"n": "282", "nyckeltal": "16"}),
    ("Tabell 17.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.STYRELSE, "fraga": 1, "undergrupp": "samtliga"},
     {"n": "153", "positivt": "85", "klart_positivt": "60"}),
    ("Tabell 18.2", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2022, "respondentgrupp": ins.PERSONAL, "fraga": 8,
      "undergrupp": "samtliga"},
     {"n": "394", "nyckeltal": "56", "stjarna_ar": "1"}),
    ("Tabell 21.1", nd.RIKSSNITT_2023,
     {"respondentgrupp": ins.PERSONAL, "fraga": 11, "undergrupp": "samtliga"},
     {"n": "313", "negativt": "33", "varken_eller": "25", "klart_positivt": "24"}),
    ("Tabell 21.2", nd.NYCKELTAL_2021_2023,
     {"matperiod": 2021, "respondentgrupp": ins.STYRELSE, "fraga": 5,
      "undergrupp": "samtliga"},
     {"n": "172", "nyckeltal": "47"}),
    ("Tabell 3", nd.SVARSFREKVENS_2023, {"respondentgrupp": "Totalt"},
     {"malpopulation": "5168", "undersokt_population": "4319", "svar": "2926",
      "andel_undersokt_av_mal": "78", "andel_svar_av_undersokt": "68",
      "andel_svar_av_mal": "53"}),
    ("Tabell 3", nd.SVARSFREKVENS_2023, {"respondentgrupp": ins.REMITTENTER},
     {"malpopulation": "", "undersokt_population": "294", "svar": "169",
      "andel_undersokt_av_mal": "", "andel_svar_av_undersokt": "57", "andel_svar_av_mal": ""}),
    ("Tabell 22", nd.ENKATER_PER_AR, {"matperiod": 2018},
     {"enkater": "4414", "forbund": "41", "forbund_nationellt": "82"}),
    ("Tabell 22", nd.ENKATER_PER_AR, {"matperiod": 2023},
     {"enkater": "2926", "forbund": "32", "forbund_nationellt": "72"}),
    ("Tabell 1", nd.ANTAL_2023,
     {"tabell": "Tabell 1", "respondentgrupp": ins.REMITTENTER, "rad": "deltagande_forbund"},
     {"varde": "10"}),
    ("Tabell 5", nd.ANTAL_2023,
     {"tabell": "Tabell 5", "rad": "ej_angett", "matt": "antal"}, {"varde": "75"}),
    ("Tabell 6", nd.ANTAL_2023,
     {"tabell": "Tabell 6", "rad": ins.KVINNOR, "kolumn": "Begränsad period", "matt": "andel"},
     {"varde": "57"}),
    ("Bilaga 1", nd.BILAGA1_2023,
     {"forbund": "Väst", "respondentgrupp": ins.DELTAGARE_AVSLUT}, {"svar": "123"}),
    ("Bilaga 1", nd.BILAGA1_2023,
     {"forbund": "Västra Värmlands och Norra Dalslands", "respondentgrupp": ins.REMITTENTER},
     {"svar": "17", "ny_2023": "1"}),
    ("Bilaga 2", nd.BILAGA2_2023,
     {"forbund": "Halland", "respondentgrupp": ins.DELTAGARE_PAGAENDE},
     {"malpopulation": "305", "undersokt_population": "166", "svar": "21",
      "andel_undersokt_av_mal": "54", "andel_svar_av_undersokt": "13", "andel_svar_av_mal": "7"}),
    ("Bilaga 2", nd.BILAGA2_2023,
     {"forbund": "Väst", "respondentgrupp": ins.REMITTENTER},
     {"malpopulation": "", "undersokt_population": "94", "svar": "26",
      "andel_svar_av_undersokt": "28"}),
]


@pytest.mark.parametrize(("table", "name", "where", "expected"), SPOT_VALUES,
                         ids=[f"{s[0]}-{i}" for i, s in enumerate(SPOT_VALUES)])
def test_spot_values(table: str, name: str, where: dict, expected: dict) -> None:
    row = one(csv_rows(name), **where)
    got = {k: row[k] for k in expected}
    assert got == expected, f"{table}: {where}"


def test_spot_values_are_many() -> None:
    assert len(SPOT_VALUES) >= 20


def test_tabell_8_2_typo_kept_with_note() -> None:
    row = one(csv_rows(nd.NYCKELTAL_2021_2023), matperiod=2022,
              respondentgrupp=ins.DELTAGARE_PAGAENDE, fraga=2, undergrupp=ins.MAN)
    assert row["n"] == "66", "Tabell 8.2: the printed n is kept"
    assert "66" in row["anmarkning"] and "tryckfel" in row["anmarkning"], "Tabell 8.2: note"


def test_tabell_22_total() -> None:
    assert sum(int(r["enkater"]) for r in csv_rows(nd.ENKATER_PER_AR)) == 24524, "Tabell 22"


# --------------------------------------------------------------------------- shape

def test_n1_tables_cover_every_surveyed_measure(report: list[str]) -> None:
    indicators = indicator_tables(report)
    by_indicator: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for number in N1_TABLES:
        printed = {(g, q) for _, g, q, _ in measure_rows(report, number)}
        measures = {(m.group, m.number) for m in ins.measures_of(indicators[number])}
        assert printed <= measures, f"Tabell {number}: {printed - measures}"
        by_indicator[indicators[number]] |= printed
    for indicator in ins.INDICATORS:
        measures = {(m.group, m.number) for m in ins.measures_of(indicator)}
        if indicator in ins.NOT_SURVEYED_INDICATORS:
            assert not measures and indicator not in by_indicator
            continue
        assert by_indicator[indicator] == measures, f"indicator {indicator}"
        rows = {(r["respondentgrupp"], int(r["fraga"]))
                for r in csv_rows(nd.RIKSSNITT_2023) if r["indikator"] == str(indicator)}
        assert rows == measures, f"rikssnitt_2023.csv, indicator {indicator}"
        for year in ("2021", "2022", "2023"):
            rows = {(r["respondentgrupp"], int(r["fraga"]))
                    for r in csv_rows(nd.NYCKELTAL_2021_2023)
                    if r["indikator"] == str(indicator) and r["matperiod"] == year}
            assert rows == measures, f"nyckeltal_2021_2023.csv, indicator {indicator}, {year}"


def test_subgroups_where_printed() -> None:
    for name in (nd.RIKSSNITT_2023, nd.NYCKELTAL_2021_2023):
        rows = csv_rows(name)
        periods = {r["matperiod"] for r in rows}
        for q in ins.QUESTIONS:
            for period in periods:
                subs = {r["undergrupp"] for r in rows if r["matperiod"] == period
                        and r["respondentgrupp"] == q.group and r["fraga"] == str(q.number)}
                if q.indicator in ins.NOT_SURVEYED_INDICATORS:
                    continue
                expected = {"samtliga"}
                if ins.GROUPS_BY_NAME[q.group].is_participant:
                    expected |= {ins.KVINNOR, ins.MAN}
                if q.group == ins.REMITTENTER:
                    expected |= set(MEMBER_EMPLOYERS)
                assert subs == expected, f"{name}: {q.group} F{q.number} {period}"
        for r in rows:
            assert (r["dimension"], r["undergrupp"]) in PRINTED_SUBGROUPS.values()


def test_n2_2023_agrees_with_n1() -> None:
    """The report's own consistency: 2023 in Tabell N.2 equals Tabell N.1."""
    n1 = {(r["respondentgrupp"], r["fraga"], r["undergrupp"]): r
          for r in csv_rows(nd.RIKSSNITT_2023)}
    for r in csv_rows(nd.NYCKELTAL_2021_2023):
        if r["matperiod"] != "2023":
            continue
        base = n1[(r["respondentgrupp"], r["fraga"], r["undergrupp"])]
        key = ins.question(r["respondentgrupp"], int(r["fraga"])).key_category
        assert (r["n"], r["nyckeltal"]) == (base["n"], base[key]), r["kalla"]


# --------------------------------------------------------------------------- anomalies

def _round(x: float) -> int:
    return math.floor(x + 0.5)


def implausible_rows(report: list[str]) -> set[tuple[str, ...]]:
    """Rows whose printed figures fail a plausibility check (keys as in `noted_rows`)."""
    out: set[tuple[str, ...]] = set()
    for r in csv_rows(nd.RIKSSNITT_2023):
        total = sum(int(r[c]) for c in ins.CATEGORIES[:3])
        if not 99 <= total <= 101 or int(r["klart_positivt"]) > int(r["positivt"]):
            out.add((nd.RIKSSNITT_2023, r["respondentgrupp"], r["fraga"], r["undergrupp"]))
    # Women and men together cover at least 70 % of samtliga (7-20 % do not state gender).
    n = {(r["matperiod"], r["respondentgrupp"], r["fraga"], r["undergrupp"]): int(r["n"])
         for r in csv_rows(nd.NYCKELTAL_2021_2023)}
    for (period, group, q, sub), total in n.items():
        if sub != "samtliga" or (period, group, q, ins.KVINNOR) not in n:
            continue
        women, men = n[(period, group, q, ins.KVINNOR)], n[(period, group, q, ins.MAN)]
        if women + men < 0.7 * total:
            small = ins.KVINNOR if women < men else ins.MAN
            out.add((nd.NYCKELTAL_2021_2023, period, group, q, small))
    # Printed shares of Tabell 4-6 against their counts.
    counts = {(r["tabell"], r["rad"], r["kolumn"], r["matt"]): int(r["varde"])
              for r in csv_rows(nd.ANTAL_2023) if r["tabell"] != "Tabell 1"}
    for (table, rad, kol, matt), value in counts.items():
        if matt != "andel":
            continue
        total_key = ((table, rad, "Totalt", "antal") if table == "Tabell 6"
                     else (table, "totalt", "", "antal"))
        if value != _round(100 * counts[(table, rad, kol, "antal")] / counts[total_key]):
            out.add((nd.ANTAL_2023, table, rad, kol))
    # Bilaga 2 names, as printed, that Bilaga 1 does not know.
    known = {c[0].rstrip("*") for c in section_rows(
        report, "## Bilaga 1: FÖRTECKNING DELTAGANDE SAMORDNINGSFÖRBUND")[0]}
    for heading, group in BILAGA2_SECTIONS.items():
        for c in section_rows(report, heading)[0]:
            if c[0] not in known:
                out.add((nd.BILAGA2_2023, group, NAME_FIXES.get(c[0], c[0])))
    return out


def noted_rows() -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for r in csv_rows(nd.RIKSSNITT_2023):
        if r["anmarkning"]:
            out.add((nd.RIKSSNITT_2023, r["respondentgrupp"], r["fraga"], r["undergrupp"]))
    for r in csv_rows(nd.NYCKELTAL_2021_2023):
        if r["anmarkning"]:
            out.add((nd.NYCKELTAL_2021_2023, r["matperiod"], r["respondentgrupp"], r["fraga"],
                     r["undergrupp"]))
    for r in csv_rows(nd.ANTAL_2023):
        if r["anmarkning"]:
            out.add((nd.ANTAL_2023, r["tabell"], r["rad"], r["kolumn"]))
    for r in csv_rows(nd.BILAGA2_2023):
        if r["anmarkning"]:
            out.add((nd.BILAGA2_2023, r["respondentgrupp"], r["forbund"]))
    return out


def test_notes_exactly_where_the_report_is_implausible(report: list[str]) -> None:
    noted = noted_rows()
    assert noted == implausible_rows(report)
    assert noted == {
        (nd.NYCKELTAL_2021_2023, "2022", ins.DELTAGARE_PAGAENDE, "2", ins.MAN),
        (nd.ANTAL_2023, "Tabell 6", ins.KVINNOR, "Begränsad period"),
        (nd.BILAGA2_2023, ins.STYRELSE, "Västerbergslagen"),
    }


def test_totals_agree_across_tables() -> None:
    counts = {(r["tabell"], r["respondentgrupp"], r["rad"]): int(r["varde"])
              for r in csv_rows(nd.ANTAL_2023) if r["tabell"] == "Tabell 1"}
    bilaga1 = csv_rows(nd.BILAGA1_2023)
    rates = {r["respondentgrupp"]: r for r in csv_rows(nd.SVARSFREKVENS_2023)}
    bilaga2 = csv_rows(nd.BILAGA2_2023)
    for g in ins.GROUPS_BY_NAME:
        answers = [int(r["svar"]) for r in bilaga1 if r["respondentgrupp"] == g]
        assert sum(answers) == counts[("Tabell 1", g, "besvarade_enkater")], f"Bilaga 1: {g}"
        assert sum(a > 0 for a in answers) == counts[("Tabell 1", g, "deltagande_forbund")]
        assert int(rates[g]["svar"]) == counts[("Tabell 1", g, "besvarade_enkater")], "Tabell 3"
        section = [r for r in bilaga2 if r["respondentgrupp"] == g]
        for col in ("malpopulation", "undersokt_population", "svar"):
            total = sum(int(r[col]) for r in section if r[col])
            assert str(total or "") == rates[g][col], f"Bilaga 2 vs Tabell 3: {g} {col}"
    assert counts[("Tabell 1", "Totalt", "besvarade_enkater")] == int(rates["Totalt"]["svar"])
    survey_2023 = one(csv_rows(nd.ENKATER_PER_AR), matperiod=2023)
    assert int(survey_2023["enkater"]) == int(rates["Totalt"]["svar"]), "Tabell 22 vs Tabell 3"
    assert counts[("Tabell 1", "Totalt", "deltagande_forbund")] == int(survey_2023["forbund"])


def test_response_rate_percentages_follow_from_counts() -> None:
    rows = csv_rows(nd.BILAGA2_2023) + [
        r for r in csv_rows(nd.SVARSFREKVENS_2023) if r["respondentgrupp"] != "Totalt"]
    for r in rows:
        mal, und, svar = (int(r[c]) if r[c] else None
                          for c in ("malpopulation", "undersokt_population", "svar"))
        assert r["andel_svar_av_undersokt"] == str(_round(100 * svar / und)), r
        if mal is not None:
            assert r["andel_undersokt_av_mal"] == str(_round(100 * und / mal)), r
            assert r["andel_svar_av_mal"] == str(_round(100 * svar / mal)), r


# --------------------------------------------------------------------------- loaders

def test_loaders_return_fractions_where_documented() -> None:
    df = nd.rikssnitt_2023()
    assert len(df) == len(csv_rows(nd.RIKSSNITT_2023))
    row = df[(df["respondentgrupp"] == ins.DELTAGARE_PAGAENDE) & (df["fraga"] == 1)
             & (df["undergrupp"] == "samtliga")].iloc[0]
    assert row["positivt"] == pytest.approx(0.89) and row["n"] == 1114
    assert row["nyckeltal"] == pytest.approx(0.77)
    f6 = df[(df["respondentgrupp"] == ins.DELTAGARE_AVSLUT) & (df["fraga"] == 6)
            & (df["undergrupp"] == "samtliga")].iloc[0]
    assert f6["nyckeltal"] == pytest.approx(0.64)  # indicator 7: share Positivt
    f8 = df[(df["respondentgrupp"] == ins.DELTAGARE_AVSLUT) & (df["fraga"] == 8)
            & (df["undergrupp"] == "samtliga")].iloc[0]
    assert f8["nyckeltal"] == pytest.approx(0.87)  # share Ja

    hist = nd.nyckeltal_history()
    assert len(hist) == 285 and hist["nyckeltal"].between(0, 1).all()
    assert len(nd.nyckeltal_for(2022)) == 95
    with pytest.raises(KeyError):
        nd.nyckeltal_for(2020)

    rates = nd.response_rates_2023().set_index("respondentgrupp")
    assert rates.loc["Totalt", "andel_svar_av_undersokt"] == pytest.approx(0.68)
    assert pd.isna(rates.loc[ins.REMITTENTER, "malpopulation"])
    assert nd.response_rates_per_federation_2023()["andel_svar_av_undersokt"].max() == 1

    assert nd.surveys_per_year()["enkater"].sum() == 24524
    assert nd.answers_per_federation_2023()["svar"].sum() == 2926
    counts = nd.counts_2023()
    assert counts[counts["matt"] == "andel"]["varde"].max() == 100  # percent as printed


def test_read_table_keeps_printed_percent() -> None:
    df = nd.read_table(nd.RIKSSNITT_2023)
    assert str(df["positivt"].dtype) == "Int64" and df["positivt"].max() == 100


def test_every_file_is_documented() -> None:
    readme = resources.files("indikator_xl").joinpath("data", "README.md").read_text("utf-8")
    for name in nd.FILES:
        assert name in readme
        assert not nd.read_table(name).empty
