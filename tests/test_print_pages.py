"""The local and national result workbooks printed by LibreOffice (PDF, read back with
pdftotext): no table title or heading line ends a page (its table follows it), no page
holds only notes, and every page that continues a sheet with repeated headings starts
with them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from indikator_xl import cli
from tests.libreoffice import convert, soffice
from tests.national_folder import write_folder
from tests.result_books import EXAMPLE

pytestmark = pytest.mark.skipif(soffice() is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice and pdftotext are needed")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[Path, list[list[str]]]]:
    tmp = tmp_path_factory.mktemp("utskrift")
    src = shutil.copy(EXAMPLE, tmp / "lokal.xlsx")
    local = tmp / "lokal_resultat.xlsx"
    assert cli.run(["berakna", str(src), "-o", str(local)]) == 0
    folder = tmp / "in"
    write_folder(folder)
    national = tmp / "nationellt.xlsx"
    assert cli.run(["sammanstall", str(folder), "-o", str(national)]) == 0
    out = {}
    for kind, book in (("local", local), ("national", national)):
        pdf = convert(book, "pdf", tmp / "pdf")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        pages = [[line.strip() for line in page.splitlines() if line.strip()]
                 for page in text.split("\f")]
        out[kind] = (book, [p for p in pages if p])
    return out


def _footer(page: list[str], names: list[str]) -> tuple[str, int]:
    """The sheet a page belongs to and the footer's line: the footer holds the sheet's
    name on the left and "Sida N av M" on the right (a chart's labels may run into it,
    or follow it in the text)."""
    sida = max(i for i, line in enumerate(page) if re.search(r"Sida \d+ av \d+$", line))
    for i in (sida, *range(len(page) - 1, -1, -1)):
        found = [n for n in names if re.match(re.escape(n) + r"(\s{2,}|\d|$)", page[i])]
        if found:
            return max(found, key=len), min(i, sida)
    raise AssertionError(page[-3:])


def _starts(wb: openpyxl.Workbook) -> dict[str, set[str]]:
    """Per sheet the lines that start a block: each table's title (the row above its
    headings) and a heading line above that title (one empty row between blocks)."""
    out: dict[str, set[str]] = {}
    for ws in wb.worksheets:
        inside: set[int] = set()
        for t in ws.tables.values():
            _c0, r0, _c1, r1 = range_boundaries(t.ref)
            inside |= set(range(r0, r1 + 1))
        lines = set()
        for t in ws.tables.values():
            r0 = range_boundaries(t.ref)[1]
            for r in (r0 - 1, r0 - 3):
                v = ws.cell(r, 1).value if r >= 2 else None
                if v and r not in inside and not str(v).startswith(("[not ", "Bladet har")):
                    lines.add(str(v)[:30])
        out[ws.title] = lines
    return out


@pytest.mark.parametrize("kind", ["local", "national"])
def test_no_title_ends_a_page_and_no_page_of_notes_only(printed, kind):
    book, pages = printed[kind]
    wb = openpyxl.load_workbook(book)
    starts = _starts(wb)
    assert sum(len(s) for s in starts.values()) > 20
    checked = 0
    for number, page in enumerate(pages, start=1):
        sheet, footer = _footer(page, wb.sheetnames)
        body = page[:footer]
        if not body:
            continue
        assert not all(line.startswith("[not ") for line in body), (number, sheet)
        last = body[-1]
        orphan = [s for s in starts[sheet] if last.startswith(s)]
        assert not orphan, f"sidan {number} ({sheet}) slutar med rubriken {orphan}"
        checked += 1
    assert checked == len(pages) > 10


@pytest.mark.parametrize("kind", ["local", "national"])
def test_continued_pages_start_with_the_headings(printed, kind):
    book, pages = printed[kind]
    wb = openpyxl.load_workbook(book)
    seen: set[str] = set()
    continued = 0
    for page in pages:
        sheet, _ = _footer(page, wb.sheetnames)
        ws = wb[sheet]
        first_page = sheet not in seen
        seen.add(sheet)
        if first_page or not ws.print_title_rows:
            continue
        row = int(ws.print_title_rows.split(":")[0].strip("$"))
        headings = [str(c.value).split()[0] for c in ws[row] if c.value]
        top = " ".join(page[:5])
        found = sum(1 for h in headings if h in top)
        assert found >= len(headings) / 2, (sheet, headings, page[:3])
        continued += 1
    assert continued > 0  # the long sheets (Data, NNS_antal, …) run over several pages
