"""The Rapport button on the real xlwings object model (remote engine): the local report
from a registration workbook, the national one from NNS's workbook, written next to the
workbook, which itself is not changed."""

from __future__ import annotations

import docx
import pytest

from indikator_xl import excel
from indikator_xl.domain import instrument as ins
from indikator_xl.figures.national_history import SHEET_COUNTS
from tests.national_folder import write_folder
from tests.remote_book import enable_remote_engine, file_payload, open_book, payload
from tests.test_excel_remote import EXAMPLE, _run


@pytest.fixture(autouse=True)
def _remote(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    enable_remote_engine(monkeypatch)
    monkeypatch.delenv("INDIKATOR_XL_RIKSSNITT", raising=False)
    monkeypatch.setattr("indikator_xl.user_config.app_dir", lambda: tmp_path / "ingen")


def _named_folder(body: dict, folder) -> dict:
    body["sheets"][0]["values"] = [["Inlämningsmapp", str(folder)]]
    body["names"] = [{"name": excel.NAME_FOLDER, "sheet_index": 0, "address": "B1",
                      "book_scope": True, "scope_sheet_name": None,
                      "scope_sheet_index": None}]
    return body


def test_a_registration_workbook_gets_the_local_report_beside_it(tmp_path):
    body = file_payload(EXAMPLE)
    body["book"]["name"] = str(tmp_path / "Registreringsfil_2023.xlsx")
    outcome, done, _ = _run(body, excel.rapport_bok)
    target = tmp_path / "Registreringsfil_2023_rapport.docx"
    assert outcome.ok, outcome.message
    assert outcome.message.endswith(f"Rapportutkastet skrevs till {target}.")
    assert done.funcs == []  # the workbook is not changed
    doc = docx.Document(str(target))
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert sum(h.startswith("Indikator ") for h in heads) == len(ins.INDICATORS)
    assert doc.core_properties.title.startswith("Indikatorrapport 2023")


def test_nns_workbook_gets_the_national_report(tmp_path):
    folder = tmp_path / "inlamning"
    write_folder(folder)
    body = _named_folder(payload({"NNS": [["x"]]}, book_name=str(tmp_path / "NNS.xlsx")),
                         folder)
    outcome, done, _ = _run(body, excel.rapport_bok)
    target = tmp_path / "NNS_rapport.docx"
    assert outcome.ok, outcome.message
    assert "5 av 5 filer ingår" in outcome.message
    assert outcome.message.endswith(f"Rapportutkastet skrevs till {target}.")
    assert done.funcs == []
    doc = docx.Document(str(target))
    assert doc.core_properties.title == "Nationell indikatorrapport 2023"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{n}_2023.xlsx" for n in ("Alfa", "Beta", "Gamma", "Delta", "Epsilon"))


def test_a_national_result_without_the_folder_says_what_to_do(tmp_path):
    body = payload({"Översikt": [["NNS indikatorer"]], SHEET_COUNTS: [["matperiod"]]},
                   book_name=str(tmp_path / "Nationellt.xlsx"))
    outcome, done, _ = _run(body, excel.rapport_bok)
    assert not outcome.ok
    assert excel.NAME_FOLDER in outcome.message and "--rapport" in outcome.message
    assert done.funcs == [] and list(tmp_path.iterdir()) == []


def test_an_unsaved_workbook_is_refused_before_any_work(tmp_path):
    outcome, done, _ = _run(file_payload(EXAMPLE), excel.rapport_bok)  # name only, no folder
    assert not outcome.ok and outcome.message == excel.NOT_SAVED
    assert done.funcs == []


def test_a_workbook_that_cannot_be_calculated(tmp_path):
    body = payload({ins.STYRELSE: [["Löpnummer", "F1"], [1, 5]]},
                   book_name=str(tmp_path / "Reg.xlsx"))
    outcome, done, _ = _run(body, excel.rapport_bok)
    assert not outcome.ok
    assert outcome.message.startswith("Beräkningen kan inte göras.")
    assert "Validera" in outcome.message
    assert not (tmp_path / "Reg_rapport.docx").exists() and done.funcs == []


def test_a_report_open_elsewhere_is_not_replaced_by_a_folder(tmp_path):
    (tmp_path / "Reg_rapport.docx").mkdir()  # where the report goes is a folder
    body = file_payload(EXAMPLE)
    body["book"]["name"] = str(tmp_path / "Reg.xlsx")
    outcome, _, _ = _run(body, excel.rapport_bok)
    assert not outcome.ok and "är en mapp" in outcome.message
    assert (tmp_path / "Reg_rapport.docx").is_dir()


def test_entry_point_uses_the_calling_book(tmp_path):
    body = file_payload(EXAMPLE)
    body["book"]["name"] = str(tmp_path / "Reg.xlsx")
    book = open_book(body)
    book.set_mock_caller()
    excel.rapport()
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert str(tmp_path / "Reg_rapport.docx") in actions[0]["args"][0]
    assert (tmp_path / "Reg_rapport.docx").is_file()
