"""The national report draft (`indikator-xl sammanstall … --rapport`), read back with
python-docx.

A folder of five förbund (tests/national_folder.py) is merged once per module; the tests
check every figure of Tabell 1, 3, Bilaga 1 and each indicator's Tabell N.1 and N.2
against the merge result, formatted here independently as the national report prints
them, that every indicator section is present, the drafted comments on hand-made
cases, the refusals and that LibreOffice converts the document to PDF.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn

from indikator_xl.cli import run
from indikator_xl.domain import instrument as ins
from indikator_xl.figures.national import REPORT_GROUPS, merge_folder
from indikator_xl.report import national_comments as nc
from indikator_xl.report.docx_writer import DRAFT_STYLE
from indikator_xl.report.national import indicator_comment, measure_facts
from tests.libreoffice import convert, soffice
from tests.national_folder import write_folder

SURVEYED = [i for i in sorted(ins.INDICATORS) if i not in ins.NOT_SURVEYED_INDICATORS]
LABELS = {"samtliga": "samtliga", ins.KVINNOR: "kvinnor", ins.MAN: "män"}


def pct(x: float | None) -> str:
    """The national report's share: whole percent, no space, halves up; None → "–"."""
    if x is None or x != x:
        return "–"
    return f"{math.floor(x * 100 + 0.5 + 1e-9)}%"


def grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("nationell")
    folder = d / "inlamnat"
    write_folder(folder)
    out = d / "Nationell.docx"
    code = run(["sammanstall", str(folder), "-o", str(d / "Nationellt.xlsx"),
                "--rapport", str(out)])
    assert code == 0
    return out, merge_folder(folder), docx.Document(str(out))


def _tables(doc) -> dict[str, list[list[str]]]:
    """Every table by its caption (the Caption paragraph before it)."""
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"
                and not p.text.startswith("Diagram")]
    assert len(captions) == len(doc.tables)
    return {c: [[cell.text for cell in row.cells] for row in t.rows]
            for c, t in zip(captions, doc.tables, strict=True)}


def _table(doc, prefix: str) -> list[list[str]]:
    found = [rows for caption, rows in _tables(doc).items() if caption.startswith(prefix)]
    assert len(found) == 1, prefix
    return found[0]


def _number(i: int) -> int:
    return 7 + SURVEYED.index(i)


def test_every_indicator_has_its_section(made):
    _, result, doc = made
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [h for h in heads if h.startswith("Indikator ")] == \
        [f"Indikator {i}" for i in sorted(ins.INDICATORS)]
    captions = list(_tables(doc))
    for i in SURVEYED:
        n = _number(i)
        assert any(c.startswith(f"Tabell {n}.1 Indikator {i}.") for c in captions)
        assert any(c.startswith(f"Tabell {n}.") and "Nyckeltal" in c for c in captions)
    heads1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads1[0] == "Sammanfattning" and heads1[-2:] == [
        "Bilaga 1: Förteckning deltagande samordningsförbund",
        "Bilaga 2: Svarsfrekvens per respondentgrupp"]
    assert doc.core_properties.title == f"Nationell indikatorrapport {result.period}"


def test_tabell_1_3_and_bilaga_1_equal_the_merge(made):
    _, result, doc = made
    t1 = _table(doc, "Tabell 1 ")
    by = result.answers_by_group.set_index("respondentgrupp")
    assert t1[1][1:] == [grouped(int(by.at[g, "svar"])) for g in (*REPORT_GROUPS, "Totalt")]
    assert t1[2][1:] == [str(int(by.at[g, "forbund"])) for g in (*REPORT_GROUPS, "Totalt")]
    t3 = _table(doc, "Tabell 3 ")
    rates = result.response_rates
    assert [r[0] for r in t3[1:]] == list(rates["respondentgrupp"])
    for row, r in zip(t3[1:], rates.to_dict("records"), strict=True):
        total = r["respondentgrupp"] == "Totalt"
        assert row[4] == grouped(r["svar"])
        assert row[5] == pct(r["andel_svar_av_undersokt"])
        assert row[6] == pct(r["andel_svar_av_mal"]) + ("*" if total else "")
        mal = r["malpopulation"]
        assert row[1] == ("–" if mal != mal else grouped(int(mal)))
    b1 = _table(doc, "Bilaga 1: ")
    assert len(b1) == 1 + len(result.bilaga1) + 1
    for row, r in zip(b1[1:], result.bilaga1.to_dict("records"), strict=False):
        assert row == [r["forbund"], *(grouped(int(r[g])) for g in REPORT_GROUPS)]
    assert b1[-1][1:] == [grouped(n) for n in result.bilaga1_totals.values()]


def _expected_n1(result, questions: list[ins.Question]) -> list[list[str]]:
    rows = []
    yes_no = all(q.scale.is_yes_no for q in questions)
    cats = (ins.NEGATIVT, ins.POSITIVT) if yes_no else ins.CATEGORIES
    t = result.table
    for q in questions:
        part = t[(t["group"] == q.group) & (t["question"] == q.number)]
        if part.empty:
            continue
        short = ins.GROUPS_BY_NAME[q.group].short
        rows.append([f"Fråga {q.number}  {short}"] + [""] * len(cats))
        for r in part.to_dict("records"):
            cells = [f"{LABELS.get(r['undergrupp'], r['undergrupp'])} (n={r['n']})"]
            for c in cats:
                text = "–" if r["dold"] else pct(r[c])
                if c == ins.KLART_POSITIVT and not r["dold"]:
                    text = f"({text})"
                if not r["dold"] and r[f"stjarna_{c}"] == 1:
                    text += "*"
                cells.append(text)
            rows.append(cells)
    return rows


def test_every_n1_figure_equals_the_merge(made):
    _, result, doc = made
    tables = _tables(doc)
    checked = 0
    for i in SURVEYED:
        n = _number(i)
        qs = ins.measures_of(i)
        parts = [[q for q in qs if q.scale.is_yes_no], [q for q in qs if not q.scale.is_yes_no]]
        parts = [p for p in parts if p]
        for k, questions in enumerate(parts, 1):
            body = tables[f"Tabell {n}.{k} Indikator {i}."][1:]
            assert body == _expected_n1(result, questions), (i, k)
            checked += len(body)
    assert checked > 120
    stars = sum(cell.endswith("*") for rows in tables.values() for row in rows for cell in row)
    assert stars > 0  # the folder has significant gender differences


def test_every_n2_figure_of_this_and_last_period_equals_the_merge(made):
    _, result, doc = made
    tables = _tables(doc)
    prev, now = result.previous_period, result.period
    assert prev == now - 1
    checked = 0
    for i in SURVEYED:
        n = _number(i)
        caption = next(c for c in tables if c.startswith(f"Tabell {n}.") and "Nyckeltal" in c)
        rows = tables[caption]
        assert rows[0][-4:] == [f"{prev}\nantal svar", f"{prev}\nnyckeltal",
                                f"{now}\nantal svar", f"{now}\nnyckeltal"]
        question = None
        for row in rows[1:]:
            if row[0].startswith("Fråga "):
                number, short = row[0][len("Fråga "):].split("  ")
                group = next(g.name for g in ins.GROUPS if g.short == short)
                question = (group, int(number))
                continue
            t = result.table
            sub = {v: k for k, v in LABELS.items()}.get(row[0], row[0])
            match = t[(t["group"] == question[0]) & (t["question"] == question[1])
                      & (t["undergrupp"] == sub)]
            if match.empty:
                continue
            r = match.iloc[0]
            star = "*" if r["stjarna_ar"] == 1 else ""
            assert row[-2] == grouped(int(r["n"]))
            assert row[-1] == ("–" if r["dold"] else pct(r["nyckeltal"]) + star)
            if not pd.isna(r["n_foregaende"]):
                assert row[-4] == grouped(int(r["n_foregaende"]))
                assert row[-3] == pct(r["nyckeltal_foregaende"]) + star
            checked += 1
    assert checked > 80


def test_trend_diagrams_and_drafted_comments(made):
    _, result, doc = made
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Diagram ")]
    pictures = list(doc.element.body.iter(qn("wp:docPr")))
    assert len(pictures) == len(captions) >= 12
    assert all(p.get("descr", "").startswith("Linjediagram") for p in pictures)
    drafts = [p for p in doc.paragraphs if p.style.name == DRAFT_STYLE]
    comments = [p.text for p in drafts if p.text.startswith("Kommentar (utkast): ")]
    assert len(comments) == len(SURVEYED)
    assert len({c.split(" ")[2] for c in comments}) >= 2  # the openings vary
    assert not [p.text for p in doc.paragraphs if p.text.startswith("Kommentar (utkast)")
                and p.style.name != DRAFT_STYLE]
    total = result.response_rates.set_index("respondentgrupp").loc["Totalt"]
    assert any(f"Totalt har {pct(total['andel_svar_av_undersokt'])[:-1]} % av den "
               "undersökta" in p.text for p in drafts)


# --- drafted sentences on hand-made cases ---------------------------------------------------

def _facts(total: nc.Subgroup, parts=(), gender=()) -> nc.NationalFacts:
    return nc.NationalFacts("bland deltagare i pågåendeenkäten", "klart positiva svar",
                            ins.KLART_POSITIVT, total, tuple(parts), tuple(gender))


@pytest.mark.parametrize("variant", range(3))
def test_a_significant_national_change_is_said_with_its_direction(variant):
    said = " ".join(nc.national_comment(_facts(nc.Subgroup(0.80, 0.72, True)), 2022, variant))
    assert "ökat" in said and "72 %" in said and "80 %" in said
    assert "signifikant" in said and "inte statistiskt signifikant" not in said
    said = " ".join(nc.national_comment(_facts(nc.Subgroup(0.61, 0.70, True)), 2022, variant))
    assert "minskat" in said and "från 70 %" in said


@pytest.mark.parametrize("variant", range(3))
def test_a_non_significant_change_says_so(variant):
    said = " ".join(nc.national_comment(_facts(nc.Subgroup(0.76, 0.78, False)), 2022, variant))
    assert "minskat" in said and "inte statistiskt signifikant" in said or \
        "utan att skillnaden är statistiskt signifikant" in said
    assert "signifikant" in said


def test_a_significant_change_among_men_only_is_named():
    facts = _facts(nc.Subgroup(0.78, 0.80, False),
                   parts=[("kvinnorna", nc.Subgroup(0.81, 0.80, False)),
                          ("männen", nc.Subgroup(0.75, 0.80, True))])
    said = nc.national_comment(facts, 2022)
    assert any("männen" in s and "minskat signifikant" in s and "80 % till 75 %" in s
               for s in said)
    assert not any("kvinnorna" in s for s in said)


@pytest.mark.parametrize("variant", range(2))
def test_a_significant_gender_difference(variant):
    facts = _facts(nc.Subgroup(0.60, None), gender=[(ins.KLART_POSITIVT, 0.56, 0.64),
                                                   (ins.NEGATIVT, 0.21, 0.16)])
    said = " ".join(nc.national_comment(facts, None, variant))
    assert "56 %" in said and "64 %" in said and "männen" in said
    assert "signifikant" in said and "negativa svar (21 % för kvinnor, 16 % för män)" in said
    assert "2022" not in said  # no previous period, no year sentence


def test_facts_come_from_the_measure_rows_and_only_significant_tests_are_said():
    q = ins.question(ins.DELTAGARE_PAGAENDE, 6)  # indicator 7: positivt is the key

    def row(dim, sub, value, prev, year=0, stars=()):
        r = {"dimension": dim, "undergrupp": sub, "nyckeltal": value, "dold": 0,
             "nyckeltal_foregaende": prev, "stjarna_ar": year, "n": 100}
        for c in ins.CATEGORIES:
            r[c] = value
            r[f"stjarna_{c}"] = int(c in stars)
        return SimpleNamespace(**r)

    rows = [row("samtliga", "samtliga", 0.60, 0.58),
            row("kon", ins.KVINNOR, 0.56, 0.55, stars=(ins.POSITIVT,)),
            row("kon", ins.MAN, 0.64, 0.66, stars=(ins.POSITIVT,))]
    f = measure_facts(q, rows, numbered=False)
    assert f.key == "positiva svar" and f.total == nc.Subgroup(0.60, 0.58, False)
    assert f.gender_categories == ((ins.POSITIVT, 0.56, 0.64),)
    result = SimpleNamespace(previous_period=2022)
    said = indicator_comment(result, 7, {(q.group, q.number): rows})
    assert len(said) == 1 and "inte statistiskt signifikant" in said[0]
    assert "högre bland männen" in said[0] or "männen svarar oftare positivt" in said[0]
    calm = [row("samtliga", "samtliga", 0.60, 0.58)]
    said = indicator_comment(result, 7, {(q.group, q.number): calm})
    assert said[-1].startswith(("Inga statistiskt signifikanta", "Testerna visar inga"))


# --- the command ---------------------------------------------------------------------------

def test_the_report_option_is_checked_before_any_work(made, tmp_path, capsys):
    out, _, _ = made
    folder = out.parent / "inlamnat"
    before = sorted(p.name for p in folder.iterdir())
    for target, words in ((tmp_path / "N.xlsx", "ska sluta på .docx"),
                          (tmp_path / "saknas" / "N.docx", "finns inte")):
        code = run(["sammanstall", str(folder), "-o", str(tmp_path / "R.xlsx"),
                    "--rapport", str(target)])
        assert code == 2 and words in capsys.readouterr().err
    assert not (tmp_path / "R.xlsx").exists()
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.skipif(soffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (Writer) and pdftotext are needed")
def test_libreoffice_converts_to_pdf(made, tmp_path):
    out, _, _ = made
    pdf = convert(out, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Tabell 21.1 Indikator 16." in text and "Bilaga 2" in text
    assert text.count("Diagram ") >= 12


def test_a_report_that_cannot_be_replaced_names_word():
    import errno

    from indikator_xl.domain.errors import write_error

    text = str(write_error(Path("Nationell.docx"), OSError(errno.EACCES, "denied")))
    assert "Filen Nationell.docx kunde inte skrivas" in text and "öppen i Word" in text
