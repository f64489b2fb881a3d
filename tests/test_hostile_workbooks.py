"""Hostile workbooks: crafted to make the reader backtrack, inflate without bound, build
millions of elements or read the wrong text (issue 12, items 5, 6, 7 and 11).

Time and memory are bounded by resource limits on a subprocess (RLIMIT_CPU, RLIMIT_AS),
never by the wall clock of this shared machine.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.reader import read_workbook
from tests.xlsx_parts import package, rezip, shared_strings_xml, sheet_xml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
MEMORY_LIMIT = 1024 * 1024 * 1024

# Reads each file named on the command line within one CPU second more than the imports
# took (SIGXCPU ends it otherwise), and prints per file "ok" or the Swedish refusal.
_READ_ALL = """
import json, math, resource, sys
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.reader import read_workbook
used = resource.getrusage(resource.RUSAGE_SELF)
cpu = math.ceil(used.ru_utime + used.ru_stime) + {seconds}
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
out = []
for path in sys.argv[1:]:
    try:
        read_workbook(path)
        out.append("ok")
    except WorkbookReadError as exc:
        out.append(str(exc))
print(json.dumps(out))
"""


def read_bounded(paths: list[Path], seconds: int = 1) -> list[str]:
    """Read `paths` in a subprocess allowed `seconds` of CPU time for all of them."""
    proc = subprocess.run([sys.executable, "-c", _READ_ALL.format(seconds=seconds),
                           *map(str, paths)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    return json.loads(proc.stdout)


# Pieces that made the old scan's regular expressions backtrack, run on for thousands of
# characters inside a row tag, a cell tag, a value or an inline string.
_PIECES = ["a", ":", " ", '"', "=", "-", "1", "a:", ":a", "x14ac:a", 'a=""', "r=", "<",
           ">", "&", "/", "<row ", "<c "]
_PLACES = ['<row r="1" ', '<row r="1"><c r="A1" ', '<row r="1"><c r="A1"><v>',
           '<row r="1"><c r="A1" t="inlineStr"><is><t>', "<row "]
_ENDS = ["", ">", "/>", '"', "></row>"]


@st.composite
def crafted_cell_data(draw: st.DrawFn) -> str:
    runs = draw(st.lists(st.tuples(st.sampled_from(_PIECES), st.integers(1, 12_000)),
                         min_size=1, max_size=3))
    body = "".join(piece * (50_000 // len(piece) * n // 12_000 + 1) for piece, n in runs)
    return draw(st.sampled_from(_PLACES)) + body + draw(st.sampled_from(_ENDS))


@settings(max_examples=4, deadline=None)
@given(st.lists(crafted_cell_data(), min_size=8, max_size=8))
def test_crafted_tags_are_read_in_linear_time(tmp_path_factory, cases):
    folder = tmp_path_factory.mktemp("crafted")
    paths = []
    for i, cells in enumerate(cases):
        xml = sheet_xml(cells + '<row r="2"><c r="A2"><v>1</v></c></row>').replace(
            "<worksheet ", '<worksheet xmlns:x14ac="urn:x14ac" ')
        paths.append(package(folder / f"b{i}.xlsx", {"Blad": xml}))
    # eight workbooks of 50 kB of crafted tags in one CPU second, imports not counted
    # (the old scan took minutes to hours on one of them)
    results = read_bounded(paths, seconds=1)
    assert all(r == "ok" or r.startswith("Arbetsboken är skadad") for r in results), results


def test_the_reported_row_tag_attack_is_linear(tmp_path):
    # 53 kB of one piece in a row tag, as in the report (about an hour each before)
    paths = [package(tmp_path / f"r{i}.xlsx", {"Blad": sheet_xml(
        f'<row r="1" {piece * (53_000 // len(piece))}{end}<c r="A1"><v>1</v></c></row>')})
        for i, (piece, end) in enumerate((p, e) for p in (":", "a:", ":a", "x14ac:a", "a")
                                         for e in ("", ">"))]
    results = read_bounded(paths, seconds=1)
    assert all(r.startswith("Arbetsboken är skadad") for r in results), results


def _all_parts_with(method: int) -> bytes:
    src = zipfile.ZipFile(EXAMPLE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return out.getvalue()


@pytest.mark.parametrize("method", [zipfile.ZIP_LZMA, zipfile.ZIP_BZIP2])
def test_zip_methods_excel_does_not_write_are_refused_unread(tmp_path, method):
    path = tmp_path / "lzma.xlsx"
    path.write_bytes(_all_parts_with(method))
    with pytest.raises(WorkbookReadError, match=r"zip-metod \d+ i .*Spara om den i Excel"):
        read_workbook(path)


def test_stored_parts_are_read_like_deflated_ones(tmp_path):
    path = tmp_path / "stored.xlsx"
    path.write_bytes(_all_parts_with(zipfile.ZIP_STORED))
    assert read_workbook(path).sheets.keys() == read_workbook(EXAMPLE).sheets.keys()
    assert read_workbook(path).sheets["Personal"].rows == \
        read_workbook(EXAMPLE).sheets["Personal"].rows


@pytest.mark.parametrize("index", ["-1", "-3", "3", "99999999999999999999", " 1", "1e0"])
@pytest.mark.parametrize("path_taken", ["scan", "tree"])
def test_a_shared_string_index_outside_the_table_is_damage(tmp_path, monkeypatch, index,
                                                         path_taken):
    from indikator_xl.reader import scan

    if path_taken == "tree":
        monkeypatch.setattr(scan, "tokens", lambda data: None)
    rows = f'<row r="1"><c r="A1" t="s"><v>{index}</v></c></row>'
    path = package(tmp_path / "sst.xlsx", {"Blad": sheet_xml(rows)},
                   shared_strings=shared_strings_xml(
                       ["<t>Rätt förbund</t>", "<t>Annat</t>", "<t>Tredje</t>"]))
    if index == " 1":  # int() reads " 1" as 1: a real index, read as such on both paths
        assert read_workbook(path).sheets["Blad"].rows == [["Annat"]]
        return
    with pytest.raises(WorkbookReadError, match="en text i bladet Blad saknas"):
        read_workbook(path)


def _stored_sheet(path: Path, sheet_data: bytes, sst: bytes | None = None) -> Path:
    """A workbook whose parts are stored, not deflated, so that tens of megabytes pass the
    compression-ratio guard and reach the XML parser."""
    base = package(path, {"Blad": sheet_xml("")}, shared_strings=shared_strings_xml(["a"]))
    head, tail = sheet_xml("").encode().split(b"</sheetData>")

    def change(name: str, data: bytes) -> bytes:
        if name.endswith("sheet1.xml"):
            return head + sheet_data + b"</sheetData>" + tail
        return sst if name.endswith("sharedStrings.xml") and sst is not None else data
    path.write_bytes(rezip(base.read_bytes(), change, method=zipfile.ZIP_STORED))
    return path


_MANY = 10_000_000  # elements: about 1 GB as one ElementTree, more than the cap allows
_SST_HEAD = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


@pytest.mark.parametrize("case,sheet,sst,expected", [
    ("one row of millions of cells", b'<row r="1">' + b"<c/>" * _MANY + b"</row>", None,
     "orimligt många element i bladet Blad"),
    ("millions of foreign elements in sheetData", b"<x/>" * _MANY, None, "ok"),
    ("millions of rows with one number", b'<row r="1"/>' * (_MANY // 3), None, "ok"),
    ("one shared string of millions of runs", b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
     _SST_HEAD + b"<si>" + b"<r/>" * _MANY + b"</si></sst>",
     "orimligt många element i sharedStrings.xml"),
    ("millions of foreign elements in the shared strings",
     b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
     _SST_HEAD + b"<si><t>a</t></si>" + b"<x/>" * _MANY + b"</sst>", "ok"),
])
def test_the_tree_path_stays_within_bounded_memory(tmp_path, case, sheet, sst, expected):
    path = _stored_sheet(tmp_path / "stor.xlsx", sheet, sst)
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from indikator_xl.reader import "
         "read_workbook\ntry:\n read_workbook(sys.argv[1]); print('ok')\n"
         "except Exception as exc: print(type(exc).__name__, exc)", str(path)],
        capture_output=True, text=True, timeout=600,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS,
                                              (MEMORY_LIMIT, MEMORY_LIMIT)))
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = proc.stdout.strip()
    if expected == "ok":
        assert line == "ok", case
    else:
        assert line.startswith("WorkbookReadError Arbetsboken är skadad") and expected in line
