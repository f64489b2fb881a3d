"""Nothing in a CSV we write becomes a formula, and numbers stay numbers (issue 12,
item 16): the OWASP rule, applied in one place to every text cell."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indikator_xl import cli
from indikator_xl.output.export import guard_formula

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@given(st.text(alphabet=st.sampled_from(list("=+-@\t\r ' aA1\"")) | st.characters(),
               max_size=12))
def test_guarded_text_never_starts_a_formula_and_keeps_the_text(text):
    shown = guard_formula(text)
    assert shown in (text, "'" + text)
    if shown.lstrip(" ").startswith(FORMULA_START):
        pytest.fail(f"{shown!r} would be read as a formula")
    if not text.lstrip(" ").startswith(FORMULA_START):
        assert shown == text  # ordinary text is left alone


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\";\"klicka\")", "  +1+1",
                                  "@SUM(A1:A9)", "-2", "\t=1", "\r=1"])
def test_a_hostile_forbund_name_is_text_in_the_csv_and_numbers_stay_numbers(tmp_path, name):
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["Förbund"]["B1"].value = name
    wb["Förbund"]["B1"].data_type = "s"
    src = tmp_path / "Reg.xlsx"
    wb.save(src)
    out = tmp_path / "ut.csv"
    assert cli.run(["berakna", str(src), "--export", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = {r["forbund"] for r in rows}  # the name as read (surrounding space dropped)
    assert len(names) == 1 and names.pop() in ("'" + name.strip(), "'" + name)
    for r in rows:
        int(r["n"])  # numbers are written as numbers, never guarded
        if r["nyckeltal"]:
            assert 0.0 <= float(r["nyckeltal"]) <= 1.0
