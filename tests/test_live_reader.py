"""Reading a live workbook through the real xlwings object model (remote engine)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import CellError
from indikator_xl.reader import read_workbook
from indikator_xl.reader.live import cell_value, read_book
from indikator_xl.validation.registration import load_registration, parse_registration
from tests.remote_book import enable_remote_engine, file_payload, open_book, payload

EXAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / \
    "Exempel_Registreringsfil_2023.xlsx"


@pytest.fixture(autouse=True)
def _remote(monkeypatch: pytest.MonkeyPatch) -> None:
    enable_remote_engine(monkeypatch)



def test_example_reads_like_the_file_reader():
    raw_file = read_workbook(EXAMPLE)
    book = open_book(file_payload(EXAMPLE, extra={"Mina anteckningar": [["fritt", 1]]}))
    raw_live = read_book(book)
    assert list(raw_live.sheets) == list(raw_file.sheets)  # own sheet not read
    for name, sheet in raw_file.sheets.items():
        assert raw_live.sheets[name].rows == sheet.rows, name
    assert raw_live.source == EXAMPLE.name


def test_example_registration_is_the_same_as_from_the_file():
    from_file = load_registration(EXAMPLE)
    live = parse_registration(read_book(open_book(file_payload(EXAMPLE))))
    assert live.forbund == from_file.forbund == "Exempelförbundet"
    assert live.period == 2023
    assert live.period_from == from_file.period_from
    assert live.problems == from_file.problems
    assert live.answers.equals(from_file.answers)
    assert live.populations.equals(from_file.populations)


def test_error_cells_become_cell_errors_and_are_listed():
    header = ["Löpnummer", "Insats", *(f"F{i}" for i in range(1, 6))]
    body = payload({
        "Förbund": [["Samordningsförbund", "Test"], ["Mätperiod", 2023.0]],
        "Styrelse": [header[:1] + header[2:],
                     [1.0, 5.0, "#N/A", "Delvis", "#SPILL!", True],
                     [2.0, "", "", "", "", datetime(2023, 5, 1)]],
    })
    raw = read_book(open_book(body))
    rows = raw.sheets["Styrelse"].rows
    assert rows[1] == [1.0, 5.0, CellError("#N/A"), "Delvis", CellError("#SPILL!"), True]
    assert isinstance(rows[1][2], CellError)
    assert rows[2] == [2.0, None, None, None, None, datetime(2023, 5, 1)]
    reg = parse_registration(raw)
    errors = {(p.sheet, p.cell): p for p in reg.errors}
    assert set(errors) == {("Styrelse", "C2"), ("Styrelse", "E2"), ("Styrelse", "F2"),
                           ("Styrelse", "F3")}
    assert "#N/A" in errors[("Styrelse", "C2")].message
    assert list(reg.answers["code"]) == [5, 3]
    assert reg.period == 2023


def test_empty_sheet_and_trailing_blanks():
    body = payload({"Förbund": [["Samordningsförbund", "X", ""], ["", "", ""]],
                    "Personal": []})
    raw = read_book(open_book(body))
    assert raw.sheets["Förbund"].rows == [["Samordningsförbund", "X"]]
    assert raw.sheets["Personal"].rows == []


def test_sheet_found_by_relaxed_name_is_read():
    body = payload({" personal ": [["Löpnummer", "F1"], [1, 4]]})
    assert list(read_book(open_book(body)).sheets) == [" personal "]
    assert ins.PERSONAL in parse_registration(read_book(open_book(body))).groups_surveyed


@pytest.mark.parametrize(("value", "expected"), [
    (-2146826246, CellError("#N/A")),      # Windows COM error code without err_to_str
    (-2146826243, CellError("#SPILL!")),  # a newer error xlwings does not map
    (-2146826288, CellError("#NULL!")),
    ("#DIV/0!", CellError("#DIV/0!")),
    ("#n/a", "#n/a"),
    (5, 5),
    (5.0, 5.0),
    (True, True),
    (None, None),
])
def test_cell_value(value, expected):
    got = cell_value(value)
    assert got == expected
    assert type(got) is type(expected)
