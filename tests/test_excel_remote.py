"""The Excel buttons on the real xlwings object model: the remote engine, fed what Excel's
client sends, returns the actions Excel would apply (`book.json()`)."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest

from indikator_xl import excel
from indikator_xl.domain import instrument as ins
from indikator_xl.figures.analysis import analyse
from indikator_xl.reader import read_workbook
from indikator_xl.reader.live import read_book
from indikator_xl.render.to_openpyxl import render as render_file
from indikator_xl.render.to_xlwings import BASIC_REMOTE_ACTIONS, MARKER
from indikator_xl.sheets.result_sheets import SHEET_NAMES, result_workbook
from indikator_xl.validation.registration import parse_registration
from tests.actions import replay
from tests.builders import earlier_period
from tests.remote_book import enable_remote_engine, file_payload, open_book, payload

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
USER_SHEET = "Mina anteckningar"
CALCULATED = ["Framsida", "Innehåll", "Noter", "Sammanfattning", "Resultat",
              "Rapporttabeller", "Svarsfrekvens", "Diagram", "Valideringsfel", "Data"]


@pytest.fixture(autouse=True)
def _remote(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    enable_remote_engine(monkeypatch)
    monkeypatch.delenv("INDIKATOR_XL_RIKSSNITT", raising=False)
    monkeypatch.setattr("indikator_xl.user_config.app_dir", lambda: tmp_path / "ingen")


def _example_body(client: str = "Microsoft Office Scripts") -> dict:
    body = file_payload(EXAMPLE, extra={USER_SHEET: [["Egen text", 1.0], ["=inte formel"]]})
    body["client"] = client
    return body


def _run(body: dict, button=excel.berakna_bok):
    book = open_book(copy.deepcopy(body))
    outcome = button(book, alert=False)
    initial = [s["name"] for s in body["sheets"]]
    return outcome, replay(initial, book.json()["actions"]), book


def test_berakna_adds_the_result_sheets_and_leaves_user_sheets_alone():
    body = _example_body()
    outcome, done, _ = _run(body)
    assert outcome.ok, outcome.message
    initial = [s["name"] for s in body["sheets"]]
    assert done.names == initial + CALCULATED
    for state in done.sheets[:len(initial)]:
        assert not state.touched, f"{state.name} got actions"
    for name in CALCULATED:
        assert done.sheet(name).names == [MARKER]
    assert set(done.funcs) <= BASIC_REMOTE_ACTIONS
    assert "Exempelförbundet, mätperiod 2023: 295 svarande" in outcome.message


def test_values_equal_what_the_openpyxl_renderer_writes(tmp_path):
    body = _example_body()
    _, done, book = _run(body)
    # The same sheet model, drawn to a file by the openpyxl renderer.
    reg = parse_registration(read_book(open_book(copy.deepcopy(body))))
    model = result_workbook(analyse(reg), same_workbook=True)
    path = tmp_path / "resultat.xlsx"
    render_file(model, path)
    from_file = read_workbook(path)
    compared = 0
    for name in CALCULATED:
        live = done.sheet(name).grid()
        # An empty text is an empty cell once Excel applies it.
        expected = {(r, c): v for r, row in enumerate(from_file.sheets[name].rows, 1)
                    for c, v in enumerate(row, 1) if v not in (None, "")}
        # The remote client leaves some formatting out and says so below the sheet.
        note_rows = {r for (r, c), v in live.items()
                     if isinstance(v, str) and v.startswith("Kunde inte visas")}
        live = {k: v for k, v in live.items() if k[0] not in note_rows}
        assert live.keys() == expected.keys(), name
        for cell, value in expected.items():
            got = live[cell]
            numeric = (int, float)
            if isinstance(value, numeric) and not isinstance(value, bool):
                # Excel holds every number as a double; openpyxl stores 16 digits.
                assert isinstance(got, numeric) and not isinstance(got, bool)
                assert math.isclose(got, value, rel_tol=1e-15), (name, cell)
            else:
                assert got == value and type(got) is type(value), (name, cell)
        compared += len(expected)
    assert compared > 3000


def test_text_is_stored_as_text_and_never_as_a_formula():
    rows = [["Löpnummer", "F1", "F2", "F3", "F4", "F5"],
            [1, "=1+1", "+46 70", 4, 5, 6],
            [2, "-3", "@x", 3, 3, 3]]
    body = payload({"Förbund": [["Samordningsförbund", "=HYPERLINK(\"x\")"],
                                ["Mätperiod", 2023]],
                    ins.STYRELSE: rows})
    outcome, done, _ = _run(body)
    assert outcome.ok, outcome.message
    strings = 0
    for state in done.sheets:
        for cell, value in state.values.items():
            if isinstance(value, str) and value:
                assert state.format_when_written[cell] == "@", (state.name, cell, value)
                strings += 1
    assert strings > 100
    problems = done.sheet("Valideringsfel").grid()
    assert {"=1+1", "+46 70", "@x"} <= set(problems.values())
    assert "=HYPERLINK(\"x\")" in done.sheet("Sammanfattning").grid().values()


def test_validation_rows_link_to_the_offending_cells():
    rows = [["Löpnummer", "F1", "F2", "F3", "F4", "F5"], [1, 7, 5, 5, 5, 5],
            [2, 5, "x", 5, 5, 5]]
    body = payload({"Förbund": [["Samordningsförbund", "Test"], ["Mätperiod", 2023]],
                    ins.STYRELSE: rows})
    _, done, _ = _run(body)
    links = done.sheet("Valideringsfel").links
    targets = {t for t, _text in links.values()}
    assert {"#'Styrelse'!B2", "#'Styrelse'!C3"} <= targets
    for (r, c), (_target, text) in links.items():
        assert done.sheet("Valideringsfel").values[(r, c)] == text


def _with_earlier_results(body: dict, owned: list[str], foreign: list[str]) -> dict:
    body = copy.deepcopy(body)
    for name in owned + foreign:
        body["sheets"].append({"name": name, "values": [["gammalt"]], "pictures": [],
                               "tables": []})
    for name in owned:
        index = [s["name"] for s in body["sheets"]].index(name)
        body["names"].append({"name": MARKER, "sheet_index": index, "address": "A1",
                              "book_scope": False, "scope_sheet_name": name,
                              "scope_sheet_index": index})
    return body


def test_clicking_again_replaces_only_the_tools_sheets():
    body = _with_earlier_results(_example_body(), owned=["Resultat", "Valideringsfel",
                                                         "Diagram"],
                                 foreign=["Resultat (2)", "resultat gammal"])
    initial = [s["name"] for s in body["sheets"]]
    outcome, done, _ = _run(body)
    assert outcome.ok, outcome.message
    assert sorted(outcome.report.removed) == ["Diagram", "Resultat", "Valideringsfel"]
    kept = [n for n in initial if n not in ("Resultat", "Valideringsfel", "Diagram")]
    assert done.names == kept + CALCULATED
    for state in done.sheets[:len(kept)]:
        assert not state.touched, state.name
    assert done.funcs.count("sheetDelete") == 3


def test_a_user_sheet_with_a_result_name_stops_before_any_change():
    body = _with_earlier_results(_example_body(), owned=["Diagram"], foreign=["resultat"])
    outcome, done, _ = _run(body)
    assert not outcome.ok
    assert "”resultat” finns redan och är inte skapat av indikator-xl" in outcome.message
    assert done.funcs == []


def test_stale_owned_sheets_are_removed_even_if_not_produced_again():
    body = _with_earlier_results(_example_body(), owned=["Valideringsfel"], foreign=[])
    outcome, done, _ = _run(body, excel.validera_bok)
    assert outcome.ok
    assert done.funcs.count("sheetDelete") == 1
    assert done.names[-1] == "Valideringsfel"
    assert outcome.message == "Inga problem hittades. Se bladet Valideringsfel."


def test_validera_keeps_earlier_result_sheets():
    body = _with_earlier_results(_example_body(), owned=["Resultat", "Valideringsfel"],
                                 foreign=[])
    _, done, _ = _run(body, excel.validera_bok)
    assert "Resultat" in done.names
    assert done.funcs.count("sheetDelete") == 1


def test_missing_forbund_writes_only_the_validation_sheet():
    body = payload({ins.STYRELSE: [["Löpnummer", "F1"], [1, 5]]})
    outcome, done, _ = _run(body)
    assert not outcome.ok
    assert outcome.message.startswith("Beräkningen kan inte göras. Bladet Förbund saknas.")
    assert done.names == [ins.STYRELSE, "Valideringsfel"]


def test_office_js_client_gets_charts_fonts_tables_and_visible_data():
    outcome, done, book = _run(_example_body("Office.js"))
    assert outcome.ok
    # xlwings has no action for a chart's alternative text or a hatched bar: the Diagram
    # sheet says so; everything else is drawn.
    assert outcome.report.left_out == {"Diagram": ["diagrammens alternativtext",
                                                   "randiga staplar"]}
    actions = book.json()["actions"]
    charts = [a for a in actions if a["func"] == "addChart"]
    assert len(charts) == 1
    name, kind, sheet, address = charts[0]["args"][:4]
    assert (kind, sheet) == ("BarClustered", "Diagram")
    layout_rows = address.replace("$", "").split(":")
    assert layout_rows[0].startswith("A") and layout_rows[1].startswith("C")
    assert {"setFontProperty", "freezePaneAtRange", "addTable"} <= set(done.funcs)
    # The long table is a visible Excel table from A1 (nothing is hidden any more).
    assert "setSheetVisibility" not in done.funcs
    name, ref, style = done.sheet("Data").tables[0]
    assert (name, ref.split(":")[0], style) == ("T_Data_data", "A1", "TableStyleLight1")


def test_basic_clients_say_what_was_left_out():
    outcome, done, _ = _run(_example_body())
    left = outcome.report.left_out
    assert any(s.startswith("diagrammet") for s in left["Diagram"])
    note = [v for v in done.sheet("Diagram").grid().values()
            if isinstance(v, str) and v.startswith("Kunde inte visas")]
    assert len(note) == 1 and "diagrammet" in note[0]
    assert "att dölja bladet" not in left.get("Data", [])
    # Every client has addTable: the tables are there on the basic clients too.
    assert len(done.sheet("Resultat").tables) == 45


def test_entry_point_uses_the_calling_book():
    book = open_book(_example_body())
    book.set_mock_caller()
    excel.berakna()
    actions = book.json()["actions"]
    assert actions[-1]["func"] == "alert"
    assert actions[-1]["args"][1] == "indikator-xl"
    assert [a["args"][1] for a in actions if a["func"] == "addSheet"] == CALCULATED


def test_rikssnitt_and_previous_from_the_forbund_sheet(tmp_path):
    from indikator_xl.figures.rikssnitt import published
    from indikator_xl.sheets.rikssnitt_sheets import rikssnitt_workbook

    figures = published(2023)
    figures.source = "Testets rikssnitt"
    render_file(rikssnitt_workbook(figures), tmp_path / "riks.xlsx")
    body = _example_body()
    forbund = next(s for s in body["sheets"] if s["name"] == "Förbund")
    forbund["values"].append(["Rikssnittsfil", str(tmp_path / "riks.xlsx")] +
                             [""] * (len(forbund["values"][0]) - 2))
    earlier = earlier_period(EXAMPLE, tmp_path / "fjol.xlsx")
    forbund["values"].append(["Föregående fil", str(earlier)] +
                             [""] * (len(forbund["values"][0]) - 2))
    outcome, done, _ = _run(body)
    assert outcome.ok, outcome.message
    facts = set(done.sheet("Sammanfattning").grid().values())
    assert any(isinstance(v, str) and "Testets rikssnitt" in v for v in facts)
    assert "Föregående period" in facts
    relative = copy.deepcopy(body)
    forbund = next(s for s in relative["sheets"] if s["name"] == "Förbund")
    forbund["values"][-2][1] = "riks.xlsx"
    outcome, done, _ = _run(relative)
    assert not outcome.ok
    assert "relativ" in outcome.message and done.funcs == []


def test_diagnos_button_writes_its_sheet():
    outcome, done, _ = _run(_example_body(), excel.diagnos_bok)
    assert done.names[-1] == "Diagnos"
    values = set(done.sheet("Diagnos").grid().values())
    assert "Kända problem och lösningar" in values
    assert any(isinstance(v, str) and v.startswith("fjärrklient") for v in values)
    assert outcome.message.startswith("Diagnos:")


def test_tool_sheet_names_match_the_result_builder():
    assert tuple(CALCULATED) == SHEET_NAMES
