"""The local report draft (`indikator-xl rapport`), read back with python-docx.

One förbund with a previous period is written once per module; the tests check every
figure of every measure table against the long table, the indicator sections, the
summary table and its counting sentences against the computed verdicts, the drafted
comments' marking, the accessibility features, the command's refusals, and that
LibreOffice converts the document to PDF.
"""

from __future__ import annotations

import math
import random
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from indikator_xl.cli import run
from indikator_xl.domain import instrument as ins
from indikator_xl.figures import comparison as cmp
from indikator_xl.generate.example import EXAMPLE_SIZES, generate_registration
from indikator_xl.output import export
from indikator_xl.pipeline import calculate
from indikator_xl.report.docx_writer import DRAFT_STYLE, PLACEHOLDER_STYLE
from tests.libreoffice import convert, soffice

SIZES = {**EXAMPLE_SIZES, ins.STYRELSE: 8}


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{math.floor(x * 100 + 0.5 + 1e-9)} %"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("rapport")
    now, before = d / "Reg_2023.xlsx", d / "Reg_2022.xlsx"
    generate_registration(random.Random(11), "Testförbundet", 2023, SIZES,
                          blank_share=0.0).save(now)
    generate_registration(random.Random(12), "Testförbundet", 2022, SIZES, blank_share=0.0,
                          variation=0.5).save(before)
    out = d / "Rapport.docx"
    assert run(["rapport", str(now), "--foregaende", str(before), "-o", str(out)]) == 0
    result = calculate(now, previous=before)
    return out, result.analysis, docx.Document(str(out))


def _captions(doc, prefix: str) -> list[str]:
    return [p.text for p in doc.paragraphs
            if p.style.name == "Caption" and p.text.startswith(prefix)]


def test_every_indicator_has_its_section(made):
    _, a, doc = made
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    for i in ins.INDICATORS:
        assert sum(h.startswith(f"Indikator {i}: ") for h in heads) == 1
    assert heads[:2] == ["Om undersökningen", "Svarsfrekvens"] and heads[-1] == "Sammanfattning"
    placeholders = [p.text for p in doc.paragraphs if p.style.name == PLACEHOLDER_STYLE]
    assert len(placeholders) == 3 and all(t.startswith("[Skriv här: ") for t in placeholders)


# How the local report names each group in a measure table's title, and which breakdown
# its "Varav" rows show.
TITLE_GROUP = {ins.DELTAGARE_PAGAENDE: "Deltagare, pågående",
               ins.DELTAGARE_AVSLUT: "Deltagare, vid avslut", ins.PERSONAL: "Personal",
               ins.REMITTENTER: "Remittent", ins.CHEFSGRUPP: "Parternas chefsgrupp",
               ins.STYRELSE: "Styrelse"}
PART = {ins.DELTAGARE_PAGAENDE: "insats", ins.DELTAGARE_AVSLUT: "insats",
        ins.PERSONAL: "insats", ins.REMITTENTER: "anstallning",
        ins.CHEFSGRUPP: "samverkansgrupp", ins.STYRELSE: None}


def test_measure_tables_equal_the_long_table(made):
    _, a, doc = made
    reg = a.registration
    columns = export.long_columns(True)
    rows = [dict(zip(columns, r, strict=True))
            for r in export.long_table(a.table, reg.forbund, reg.period, True)]
    by = {(r["respondentgrupp"], r["fraga"], r["dimension"], r["undergrupp"]): r for r in rows}
    riks = {(g, int(q), u): (v, p) for g, q, u, v, p in zip(
        a.table["group"], a.table["question"], a.table["undergrupp"],
        a.table["rikssnitt_nyckeltal"], a.table["rikssnitt_nyckeltal_foregaende"],
        strict=True)}
    assert a.rikssnitt.previous_period == 2022
    captions = _captions(doc, "Tabell ")
    tables = doc.tables
    assert len(captions) == len(tables)
    measured = [q for i in sorted(ins.INDICATORS) for q in ins.measures_of(i)
                if (q.group, q.number, "samtliga", "samtliga") in by]
    assert len(measured) == len(tables) - 2  # Tabell 1 and the summary table
    checked = 0

    def national(key) -> str:
        v, p = riks.get(key, (None, None))
        return f"{_pct(None if v is None or v != v else v)} " \
               f"({_pct(None if p is None or p != p else p)})"

    for q, caption, table in zip(measured, captions[1:-1], tables[1:-1], strict=True):
        assert caption.endswith(f": {q.text} ({TITLE_GROUP[q.group]})")
        cells = [[c.text for c in row.cells] for row in table.rows]
        star = f"stjarna_{q.key_category}"

        def expect(r, gender=False, star=star):
            if r is None:
                return "– (–)"
            text = _pct(None if r["dold"] else r["nyckeltal"])
            if not r["dold"] and gender and r[star]:
                text += "*"
            if not r["dold"] and r["stjarna_ar"]:
                text += "†"
            return f"{text} ({_pct(r['nyckeltal_foregaende'])})"

        total = by[(q.group, q.number, "samtliga", "samtliga")]
        assert cells[1][0] == q.group
        assert cells[1][1] == expect(total)
        gendered = ins.GROUPS_BY_NAME[q.group].is_participant
        if gendered:
            assert cells[0][1:] == [cells[0][1], "Varav kvinnor", "Varav män", "Rikssnittet",
                                    "Varav kvinnor", "Varav män"]
            for col, sub in ((2, ins.KVINNOR), (3, ins.MAN)):
                assert cells[1][col] == expect(by.get((q.group, q.number, "kon", sub)), True)
            for col, sub in ((4, "samtliga"), (5, ins.KVINNOR), (6, ins.MAN)):
                assert cells[1][col] == national((q.group, q.number, sub))
        else:
            assert cells[1][-1] == national((q.group, q.number, "samtliga"))
        parts = [r for r in rows if r["respondentgrupp"] == q.group and r["fraga"] == q.number
                 and r["dimension"] == PART[q.group]]
        assert [c[0] for c in cells[2:]] == [f"Varav {r['undergrupp']}" for r in parts]
        for r, row in zip(parts, cells[2:], strict=True):
            assert row[1] == expect(r)
            if gendered:  # insats × kön: "Varav S-team Avesta 91 % (80 %) 95 % (92 %) …"
                for col, word in ((2, "kvinnor"), (3, "män")):
                    cell = by.get((q.group, q.number, "insats_kon",
                                   f"{r['undergrupp']} – {word}"))
                    assert row[col] == expect(cell)
                    checked += cell is not None and not cell["dold"]
            checked += 1
    assert checked > 80


def test_response_table_counts(made):
    _, a, doc = made
    rates = a.response_rates
    body = [[c.text for c in row.cells] for row in doc.tables[0].rows][1:]
    assert len(body) == len(rates)
    total = body[-1]
    assert total[0] == "Totalt"
    assert total[3].split(" ")[0] == str(int(rates["svar"].iloc[-1]))
    assert total[3].endswith(f"({a.previous.n_respondents})")


def test_response_rates_are_set_against_rikssnittet(made):
    from indikator_xl.figures.rate_comparison import compare_rates

    _, a, doc = made
    compared = compare_rates(a.response_rates, a.rikssnitt.period)
    assert len(compared) == 3
    text = next(p.text for p in doc.paragraphs if "mot rikssnittet" in p.text)
    assert p_style(doc, text) == DRAFT_STYLE
    for c in compared:  # "andel svar av undersökt population 76 % mot rikssnittet 73 %"
        assert f"{c.label.lower()} {_pct(c.own)} mot rikssnittet {_pct(c.national)}" in text


def p_style(doc, text: str) -> str:
    return next(p.style.name for p in doc.paragraphs if p.text == text)


def test_summary_table_and_counting_sentences_equal_the_verdicts(made):
    _, a, doc = made
    table = doc.tables[-1]
    body = [[c.text for c in row.cells] for row in table.rows][1:]
    v = a.verdicts
    assert [int(r[0]) for r in body] == list(v["indikator"])
    for row, (_, rec) in zip(body, v.iterrows(), strict=True):
        for col, sub in ((2, "samtliga"), (3, "kvinnor"), (4, "man")):
            verdict = rec[sub] if isinstance(rec[sub], str) else ""
            arrow = rec[f"pil_{sub}"] if isinstance(rec[f"pil_{sub}"], str) else ""
            assert row[col] == f"{verdict} {arrow}".strip()
    texts = [p.text for p in doc.paragraphs]
    given = [x for x in v["samtliga"] if x in cmp.VERDICTS]
    line = (f"Totalt: {given.count('Högre')} av {len(given)} indikatorer högre än "
            f"rikssnittet, {given.count('Varken högre eller lägre')} varken högre eller "
            f"lägre, {given.count('Lägre')} lägre.")
    assert line in texts
    assert f"Totalt: {a.count_line}." == line


def test_drafted_comments_are_marked_and_varied(made):
    _, a, doc = made
    drafts = [p for p in doc.paragraphs if p.style.name == DRAFT_STYLE]
    comments = [p.text for p in drafts if p.text.startswith("Kommentar (utkast): ")]
    assert len(comments) == 15  # every surveyed indicator
    assert not [p.text for p in doc.paragraphs if p.text.startswith("Kommentar")
                and p.style.name != DRAFT_STYLE]
    openings = {c.split(". ")[0].split(" ligger")[0] for c in comments}
    assert len(openings) >= 2
    styles = doc.styles[DRAFT_STYLE]
    assert styles.font.italic and str(styles.font.color.rgb) == "2E6B30"
    # The board has 8 questionnaires: the caution is drafted for its measures.
    board = [p.text for p in drafts if "i styrelsen" in p.text]
    assert board and all("Underlaget är litet (n = 8)" in c for c in board)


def test_accessibility(made):
    out, a, doc = made
    assert doc.core_properties.title == f"Indikatorrapport 2023: {a.registration.forbund}"
    assert doc.core_properties.language == "sv-SE"
    lang = doc.styles["Normal"].element.find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "sv-SE"
    for table in doc.tables:
        trpr = table.rows[0]._tr.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
                   for row in table.rows[1:])
    pictures = list(doc.element.body.iter(qn("wp:docPr")))
    assert len(pictures) == len(_captions(doc, "Diagram ")) == 15
    for pr in pictures:
        assert pr.get("descr", "").startswith("Stapeldiagram över nyckeltalet för indikator")
    headings = {p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")}
    assert headings == {"Heading 1", "Heading 2"}


def test_rapport_refuses_its_inputs_as_output(made, tmp_path):
    out, a, _ = made
    src = Path(a.registration.source)
    before = src.read_bytes()
    assert run(["rapport", str(src), "-o", str(src)]) == 2
    same = src.with_suffix(".docx")
    shutil.copy(src, same)
    assert run(["rapport", str(src), "--foregaende", str(same), "-o", str(same)]) == 2
    assert run(["rapport", str(src), "-o", str(tmp_path / "saknas" / "R.docx")]) == 2
    assert src.read_bytes() == before
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(b"not a workbook")
    assert run(["rapport", str(bad), "-o", str(tmp_path / "R.docx")]) == 2
    assert not (tmp_path / "R.docx").exists()


@pytest.mark.skipif(soffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (Writer) and pdftotext are needed")
def test_libreoffice_converts_to_pdf(made, tmp_path):
    out, a, _ = made
    pdf = convert(out, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Indikator 16:" in text and "Sammanfattning" in text
    assert text.count("Diagram ") >= 15
