"""The charts of the result workbooks, read back from the saved files: one small chart per
indicator on the local Diagram sheet, the national trend charts over the published
history plus the merged period, Tabell 22 on Historik, value axes by the rule of
docs/beslut.md, series told apart by marker, dash and hatching in colours of at least
4.5:1 against white, and alternative text that says what each chart shows."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from indikator_xl.cli import run
from indikator_xl.domain import instrument as ins
from indikator_xl.figures import national_data
from indikator_xl.figures.national import merge_folder
from indikator_xl.render import to_xlsxwriter
from indikator_xl.sheets import chart_look
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.sheets.charts import count_axis, percent_axis
from indikator_xl.sheets.national_sheets import national_workbook
from tests.builders import earlier_period
from tests.chart_parts import charts
from tests.libreoffice import convert, soffice
from tests.national_folder import FORBUND, write_submission

EXAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
MERGED = 2024


# --- the rules, on hand-made values -----------------------------------------------------

@pytest.mark.parametrize(("values", "axis"), [
    ([0.78, 0.80, 0.81], (0.70, 0.90, 0.05)),   # 75.5 → 75, 83.5 → 85, widened to 20
    ([0.98, 0.99], (0.80, 1.00, 0.05)),         # capped at 100, widened downwards
    ([0.02], (0.00, 0.20, 0.05)),               # capped at 0, widened upwards
    ([0.20, 0.90], (0.15, 0.95, 0.20)),         # span 80: gridlines every 20
    ([0.40, 0.62], (0.35, 0.65, 0.05)),         # span 30: every 5
    ([0.40, 0.70], (0.35, 0.75, 0.10)),         # span 40: every 10
    ([0.5, float("nan"), None], (0.40, 0.60, 0.05)),  # missing values are left out
    ([], (0.0, 1.0, 0.2)),
])
def test_percent_axis_rule(values, axis):
    assert percent_axis(values) == pytest.approx(axis)


def test_percent_axis_keeps_every_point_inside_with_room():
    for lo, hi in itertools.combinations_with_replacement(range(0, 101, 7), 2):
        low, high, unit = percent_axis([lo / 100, hi / 100])
        assert high - low >= 0.2 - 1e-9 and unit in (0.05, 0.1, 0.2)
        assert round(low * 100) % 5 == 0 and round(high * 100) % 5 == 0
        assert low * 100 <= max(lo - 2.5, 0) + 1e-9 and high * 100 >= min(hi + 2.5, 100) - 1e-9


def test_count_axis_starts_at_zero_above_the_highest():
    assert count_axis([4414, 5278, 2926]) == (0.0, 6000.0, 2000.0)
    assert count_axis([41, 32]) == (0.0, 50.0, 10.0)


def test_contrast_is_the_wcag_ratio_and_every_series_colour_reaches_4_5():
    assert chart_look.contrast("000000") == pytest.approx(21.0)
    assert chart_look.contrast("FFFFFF") == pytest.approx(1.0)
    assert chart_look.contrast("767676") == pytest.approx(4.54, abs=0.01)  # WCAG's grey
    assert chart_look.contrast("777777") < 4.5
    for style in chart_look.SERIES_STYLES:
        assert chart_look.contrast(style.colour) >= chart_look.MIN_CONTRAST, style


def test_series_differ_by_marker_and_dash_not_only_colour():
    styles = chart_look.SERIES_STYLES
    assert len({s.marker for s in styles}) == len({s.dash for s in styles}) == len(styles)
    assert styles[0].hatched is False and styles[1].hatched is True  # bars: solid, hatched


def test_grid_layout_places_charts_left_to_right_and_breaks_pages():
    chart = sm.Chart("line", "c", "t", rows=10, width_cm=8.0)
    grid = sm.ChartGrid((chart,) * 7, per_row=3, rows_per_page=2)
    sheet = sm.Sheet("s", (sm.Text("x"), grid, sm.Text("y")))
    pos = sm.layout(sheet)
    assert [(p.row, p.slot, p.new_page) for p in pos.chart_places] == [
        (3, 0, True), (3, 1, False), (3, 2, False), (14, 0, False), (14, 1, False),
        (14, 2, False), (25, 0, True)]
    assert pos.block_rows == (1, 3, 36)  # three rows of 11, less the last empty row, + 1
    anchors = [chart_look.chart_anchor(sheet, p) for p in pos.chart_places[:3]]
    width = chart_look.column_cm(8.43)
    assert anchors[0] == ("A3", 0.0)
    assert anchors[1][0] == sm.cell_ref(3, 1 + int(8.8 // width))
    assert anchors[1][1] == pytest.approx(8.8 % width, abs=1e-3)


# --- the local result ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def local_with_previous(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("lokal")
    src = shutil.copy(EXAMPLE, tmp / "a.xlsx")
    earlier = earlier_period(EXAMPLE, tmp / "a_2022.xlsx")
    out = tmp / "ut.xlsx"
    assert run(["berakna", str(src), "--foregaende", str(earlier), "-o", str(out)]) == 0
    return out


def test_diagram_sheet_has_one_small_chart_per_indicator(local_with_previous):
    drawn = charts(local_with_previous)["Diagram"]
    ws = openpyxl.load_workbook(local_with_previous, data_only=True)["Diagram"]
    bar, small = drawn[0], drawn[1:]
    surveyed = [i for i in sorted(ins.INDICATORS) if i not in ins.NOT_SURVEYED_INDICATORS]
    assert bar["kind"] == "barChart" and len(bar["series"]) == 2
    assert [c["kind"] for c in small] == ["lineChart"] * len(surveyed)
    assert [c["title"] for c in small] == [f"Indikator {i} {ins.INDICATOR_SHORT[i]}"
                                           for i in surveyed]
    # No chart cut: indicator 13's whole name is in its title and alternative text.
    assert "Gemensamma synsätt och arbetssätt i samverkansinsats" in small[11]["title"]
    for i, c in zip(surveyed, small, strict=True):
        name, riks = (_cells(ws, s["name"]) for s in c["series"])
        assert name == ["Exempelförbundet"] and riks == ["Rikssnittet"]
        values = [v for s in c["series"] for v in _cells(ws, s["values"])]
        assert _cells(ws, c["series"][0]["categories"]) == ["2022", "2023"]
        assert c["axis"] == pytest.approx(percent_axis(values))
        text = c["description"]
        assert f"indikator {i} {ins.INDICATOR_SHORT[i]}" in text
        assert all(f"{round(v * 100)} %" in text for v in values)
        assert [(s["marker"], s["dash"], s["colour"]) for s in c["series"]] == [
            ("circle", "solid", "1F4E79"), ("triangle", "dash", "A63D00")]
        assert c["legend"]
    # Three charts to a row, the rows' first charts in column A, two rows to a page.
    rows = sorted({c["anchor"][1] for c in small})
    assert len(rows) == 5 and [c["anchor"][0] for c in small[::3]] == [0] * 5
    breaks = sorted(b.id for b in openpyxl.load_workbook(local_with_previous)[
        "Diagram"].row_breaks.brk)
    # Each page starts with the empty row above its first chart (anchor rows are 0-based).
    assert breaks == [bar["anchor"][1] - 1, rows[0] - 1, rows[2] - 1, rows[4] - 1]


def test_bar_chart_hatches_the_rikssnitt_and_keys_the_bars_in_the_title(local_with_previous):
    bar = charts(local_with_previous)["Diagram"][0]
    assert [(s["colour"], s["hatch"]) for s in bar["series"]] == [
        ("1F4E79", None), ("A63D00", "wdUpDiag")]
    assert not bar["legend"]
    assert bar["title"] == ("Nyckeltal per indikator: Exempelförbundet 2023 (övre stapeln, "
                            "hel) och rikssnittet 2023 (nedre stapeln, randig)")
    assert "13 Gemensamma synsätt och arbetssätt i samverkansinsats: 61 %" in \
        bar["description"]
    assert bar["axis"] == (0.0, 1.0, 0.2)


def test_diagram_headings_do_not_break_a_word(local_with_previous):
    ws = openpyxl.load_workbook(local_with_previous)["Diagram"]
    width = ws.column_dimensions["B"].width
    assert ws["B6"].value == "Exempelförbundet 2023"  # title, count line, table title
    assert width >= len("Exempelförbundet") + 2
    assert ws.column_dimensions["A"].width >= len("13 Gemensamma synsätt och arbetssätt i "
                                                  "samverkansinsats")


def test_every_chart_of_the_local_result_has_a_description(local_with_previous):
    drawn = charts(local_with_previous)
    assert sum(len(c) for c in drawn.values()) == 16
    assert all(c["description"] for cs in drawn.values() for c in cs)


@pytest.mark.skipif(soffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice/pdftotext) is not installed")
def test_libreoffice_prints_the_diagram_pages_whole(local_with_previous, tmp_path):
    """Printed through LibreOffice: the bar chart alone on page 2, then two rows of three
    small charts a page, in indicator order, every title whole, no chart edge on the page
    before it, and no word broken in a heading."""
    wb = openpyxl.load_workbook(local_with_previous)
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == "Diagram" else "hidden"
    wb.active = wb.sheetnames.index("Diagram")
    wb.save(tmp_path / "diagram.xlsx")
    pdf = convert(tmp_path / "diagram.xlsx", "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    assert ["övre stapeln" in p for p in pages[:3]] == [False, True, False]
    titles = [re.findall(r"Indikator (\d+)", p) for p in pages]
    surveyed = [str(i) for i in sorted(ins.INDICATORS) if i not in ins.NOT_SURVEYED_INDICATORS]
    assert titles[2:5] == [surveyed[:6], surveyed[6:12], surveyed[12:]]
    words = set(" ".join(pages).split())
    assert {"Gemensamma", "synsätt", "samverkansinsats", "Exempelförbundet"} <= words
    assert not any(w.startswith("Exempelförbun") and not w.startswith("Exempelförbundet")
                   for w in words)


def _cells(ws, ref: str) -> list:
    """The values of a chart reference such as 'Diagram'!$B$5:$B$19."""
    area = ref.split("!")[1].replace("$", "")
    return [c.value for row in ws[area] for c in (row if isinstance(row, tuple) else (row,))] \
        if ":" in area else [ws[area].value]


# --- the national result --------------------------------------------------------------------

@pytest.fixture(scope="module")
def national(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("riket")
    folder = tmp / "in"
    folder.mkdir()
    for seed, (name, sizes, routine) in enumerate(FORBUND, 1):
        write_submission(folder, f"{name}_{MERGED}.xlsx", name, sizes, routine, seed,
                         period=MERGED)
    result = merge_folder(folder, workers=1)
    out = tmp / "riket.xlsx"
    to_xlsxwriter.render(national_workbook(result), out)
    return result, out


def test_tabell_22_is_drawn_from_2018_with_the_merged_period(national):
    result, path = national
    ws = openpyxl.load_workbook(path, data_only=True)["Historik"]
    surveys, federations = charts(path)["Historik"]
    shipped = national_data.surveys_per_year()
    years = [*shipped["matperiod"], MERGED]
    assert years[0] == 2018
    answers = sum(sum(sizes.values()) for _, sizes, _ in FORBUND)
    for chart, column, merged in ((surveys, "enkater", answers),
                                  (federations, "forbund", len(FORBUND))):
        (series,) = chart["series"]
        assert [int(v) for v in _cells(ws, series["categories"])] == years
        assert _cells(ws, series["values"]) == [*shipped[column], merged]
        assert chart["axis"][0] == 0 and chart["axis"][1] >= max(*shipped[column], merged)
        assert not chart["legend"]
        assert all(f"{y} {v}" in chart["description"]
                   for y, v in zip(years, [*shipped[column], merged], strict=True))
    assert surveys["title"] == f"Totalt insamlade enkäter 2018–{MERGED}"


def test_national_trend_uses_the_published_figures_and_the_merged_period(national):
    result, path = national
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["Indikator 1"]
    (chart,) = charts(path)["Indikator 1"]
    history = national_data.nyckeltal_history()
    merged = result.table
    shown = []
    for s in chart["series"]:
        label = _cells(ws, s["name"])[0]
        group = next(g for g in ins.GROUPS if label.startswith(g.short))
        sub = ins.KVINNOR if label.endswith("kvinnor") else ins.MAN
        (q,) = [m for m in ins.measures_of(1) if m.group == group.name]
        published = history[(history["respondentgrupp"] == group.name)
                            & (history["fraga"] == q.number)
                            & (history["undergrupp"] == ("man" if sub == ins.MAN else sub))]
        now = merged[(merged["group"] == group.name) & (merged["question"] == q.number)
                     & (merged["undergrupp"] == sub)]["nyckeltal"]
        values = _cells(ws, s["values"])
        assert values[:3] == pytest.approx(list(published.sort_values("matperiod")["nyckeltal"]))
        assert values[3] == pytest.approx(float(now.iloc[0]))
        shown += values
    assert [int(v) for v in _cells(ws, chart["series"][0]["categories"])] == [
        2021, 2022, 2023, MERGED]
    assert chart["axis"] == pytest.approx(percent_axis(shown))
    assert chart["axis"][1] - chart["axis"][0] < 1  # not 0–100 % for close points
    assert "Diagram 1 Indikator 1: Personcentrering, 2021–2024" in chart["title"]
    assert len({(s["marker"], s["dash"]) for s in chart["series"]}) == len(chart["series"])
    assert "Deltagare - pågåendeenkät, kvinnor: 2021" in chart["description"]


def test_every_national_chart_has_alternative_text_naming_its_indicator(national):
    _, path = national
    drawn = charts(path)
    for sheet, found in drawn.items():
        for c in found:
            assert c["description"], sheet
            if sheet.startswith("Indikator "):
                i = int(sheet.split()[1])
                assert ins.INDICATOR_SHORT[i] in c["title"] + c["description"] or \
                    "avslutade deltagare" in c["title"], (sheet, c["title"])
    assert sum(len(c) for c in drawn.values()) >= 12
