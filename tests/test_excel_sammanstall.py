"""Sammanställ (NNS) on the real xlwings object model (remote engine)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from indikator_xl import excel
from indikator_xl.render.to_xlwings import BASIC_REMOTE_ACTIONS
from tests.remote_book import enable_remote_engine, payload
from tests.test_excel_remote import EXAMPLE, _run, _with_earlier_results


@pytest.fixture(autouse=True)
def _remote(monkeypatch: pytest.MonkeyPatch) -> None:
    enable_remote_engine(monkeypatch)


def _submission(path: Path, name: str) -> Path:
    shutil.copy(EXAMPLE, path)
    wb = openpyxl.load_workbook(path)
    wb["Förbund"]["B1"] = name
    wb.save(path)
    return path


def test_sammanstall_merges_the_named_folder(tmp_path):
    folder = tmp_path / "inlamning"
    folder.mkdir()
    _submission(folder / "a.xlsx", "Förbund A")
    _submission(folder / "b.xlsx", "Förbund B")
    body = payload({"NNS": [["Inlämningsmapp", str(folder)],
                            ["Rikssnitt ut", str(tmp_path / "rikssnitt.xlsx")]]},
                   book_name="NNS_2023.xlsx")
    body["names"] = [
        {"name": "Inlamningsmapp", "sheet_index": 0, "address": "B1", "book_scope": True,
         "scope_sheet_name": None, "scope_sheet_index": None},
        {"name": "Rikssnitt_ut", "sheet_index": 0, "address": "B2", "book_scope": True,
         "scope_sheet_name": None, "scope_sheet_index": None},
    ]
    outcome, done, _ = _run(body, excel.sammanstall_bok)
    assert outcome.ok, outcome.message
    assert "2 av 2 filer ingår" in outcome.message
    assert not done.sheets[0].touched
    assert len(done.names) > 10
    assert (tmp_path / "rikssnitt.xlsx").is_file()
    assert set(done.funcs) <= BASIC_REMOTE_ACTIONS
    again = _with_earlier_results(body, owned=done.names[1:3], foreign=[])
    outcome, done2, _ = _run(again, excel.sammanstall_bok)
    assert outcome.ok
    assert done2.funcs.count("sheetDelete") == 2


def test_sammanstall_without_the_named_cell():
    outcome, done, _ = _run(payload({"NNS": [["x"]]}), excel.sammanstall_bok)
    assert not outcome.ok
    assert "Inlamningsmapp" in outcome.message
    assert done.funcs == []
