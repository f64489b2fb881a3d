"""One förbund is one förbund however its name is spelt in Unicode (issue 12, item 13):
names are compared in NFC without invisible characters, everywhere through `text.key`."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.text import key
from indikator_xl.figures.national import merge_folder
from indikator_xl.validation.registration import load_registration
from tests.builders import header, registration

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@st.composite
def respelt(draw: st.DrawFn, name: str) -> str:
    """`name` as another program might store it: decomposed, with invisible characters
    inside, in another case, with other spaces around."""
    text = unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), name)
    chars = list(text)
    for _ in range(draw(st.integers(0, 4))):
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(INVISIBLE)))
    text = "".join(chars)
    if draw(st.booleans()):
        text = text.upper()
    return draw(st.sampled_from(["", " ", "\u00a0"])) + text + draw(st.sampled_from(["", "  "]))


@given(st.sampled_from(["Östra Södertörn", "Samordningsförbundet Älv-Åsen", "Åre–Ö"]).flatmap(
    lambda name: st.tuples(st.just(name), respelt(name))))
def test_every_spelling_of_a_name_has_one_key(pair):
    name, other = pair
    assert key(other) == key(name)


def test_visible_differences_stay_different():
    assert key("Östra") != key("Ostra")
    assert key("Ale-Kungälv") != key("Ale Kungälv")


def test_the_same_forbund_spelt_twice_is_one_submission(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for file, name in (("a.xlsx", "Östra förbundet"),
                       ("b.xlsx", "\ufeffO\u0308stra f\u200bo\u0308rbundet\u00ad")):
        wb = openpyxl.load_workbook(EXAMPLE)
        wb["Förbund"]["B1"].value = name
        wb.save(folder / file)
    result = merge_folder(folder, workers=1)
    assert [s.name for s in result.included] == ["b.xlsx"]
    assert [s.name for s in result.excluded] == ["a.xlsx"]
    assert "b.xlsx är en senare inlämning från samma förbund" in result.excluded[0].reason


# (Excel and openpyxl refuse two sheet names that differ only in case; spacing they allow.)
@pytest.mark.parametrize("twin", ["Deltagare  pågående", " Deltagare pågående",
                                  "DELTAGARE  PÅGÅENDE", "Deltagare pågående\u00a0"])
@pytest.mark.parametrize("exact_first", [True, False])
def test_two_group_sheets_with_one_name_are_both_reported(tmp_path, twin, exact_first):
    group = ins.DELTAGARE_PAGAENDE
    rows = [[n, "K", "T", *([5] * 7)] for n in range(1, 7)]
    sheets = [(group, [header(group), *rows]), (twin, [header(group), *rows[:3]])]
    if not exact_first:
        sheets.reverse()
    path = registration(tmp_path / "tva.xlsx", groups=dict(sheets))
    reg = load_registration(path)
    errors = {p.sheet: p.message for p in reg.errors}
    assert set(errors) == {group, twin}
    assert "Bara det här bladet har lästs" in errors[group]
    assert errors[twin].startswith("Bladet har inte lästs")
    assert reg.n_respondents == 6  # the exact name is the one read, not the twin (3)
