"""`indikator-xl sammanstall`: the written workbooks, the CSV, exit codes, anonymity,
the rikssnitt round trip and next year's merge reading this year's hidden counts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from scipy.stats import chi2_contingency

from indikator_xl import cli
from indikator_xl.domain import instrument as ins
from indikator_xl.figures.analysis import analyse
from indikator_xl.figures.national import merge_folder
from indikator_xl.figures.national_history import HIDDEN_SHEETS, read_previous
from indikator_xl.figures.rikssnitt import published, read_workbook_file
from indikator_xl.output.export import LONG_COLUMNS, PREVIOUS_COLUMNS
from indikator_xl.progress import ProgressBar
from indikator_xl.validation.registration import load_registration

from . import national_folder as nf


@pytest.fixture(scope="module")
def outputs(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("ut")
    paths = {"xlsx": out / "Nationellt_resultat_2023.xlsx", "riks": out / "Rikssnitt_2023.xlsx",
             "csv": out / "riket.csv"}
    code = cli.run(["sammanstall", str(folder), "-o", str(paths["xlsx"]), "--rikssnitt-ut",
                    str(paths["riks"]), "--export", str(paths["csv"])])
    assert code == 0
    return paths


def _all_cells(path: Path) -> list[tuple[str, object]]:
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None]


def _sheet_rows(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    return [r for r in wb[sheet].iter_rows(values_only=True)]


def test_cli_writes_everything_and_summarises(folder: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "N.xlsx"
    assert cli.run(["sammanstall", str(folder), "-o", str(out)]) == 0
    printed = capsys.readouterr()
    assert printed.out.strip().splitlines()[-1] == (
        "Sammanställning 2023: 5 av 5 filer ingår (5 förbund, "
        f"{sum(sum(c.values()) for c in nf.count(sorted(folder.iterdir())).respondents.values())}"
        " enkätsvar).")
    assert printed.err == ""  # no progress bar when stderr is not a terminal
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:7] == ["Framsida", "Innehåll", "Noter", "Översikt", "Inlämningar",
                                 "Svarande", "Indikator 1"]
    assert "Indikator 11" not in wb.sheetnames
    assert {"Historik", "Bilaga 1", "Bilaga 2", *HIDDEN_SHEETS} <= set(wb.sheetnames)
    # The sheets next year's merge reads are visible Excel tables from A1.
    assert all(wb[s].sheet_state == "visible" for s in HIDDEN_SHEETS)
    assert all([t.ref.split(":")[0] for t in wb[s].tables.values()] == ["A1"]
               for s in HIDDEN_SHEETS)
    assert wb["Översikt"].sheet_state == "visible"


def test_exit_codes(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for p in folder.iterdir():
        (d / p.name).write_bytes(p.read_bytes())
    (d / "trasig.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "N.xlsx"
    assert cli.run(["sammanstall", str(d), "-o", str(out)]) == 1
    text = capsys.readouterr().out
    assert "trasig.xlsx: Ingår inte: filen kan inte läsas." in text
    assert "1 fil ingår inte – se bladet Inlämningar." in text
    intake = _sheet_rows(out, "Inlämningar")
    broken = next(r for r in intake if r[0] == "trasig.xlsx")
    assert broken[-2] == "Nej" and "kan inte läsas" in broken[-1]
    assert sum(1 for r in intake if r[-2] == "Ja") == 5

    only_bad = tmp_path / "dålig"
    only_bad.mkdir()
    (only_bad / "trasig.xlsx").write_bytes(b"not a workbook")
    out2 = tmp_path / "N2.xlsx"
    assert cli.run(["sammanstall", str(only_bad), "-o", str(out2)]) == 2
    assert not out2.exists()  # nothing merged, nothing written
    assert cli.run(["sammanstall", str(tmp_path / "saknas"), "-o", str(out2)]) == 2


def test_no_lopnummer_or_free_text_anywhere(outputs: dict[str, Path], folder: Path) -> None:
    cells = _all_cells(outputs["xlsx"]) + _all_cells(outputs["riks"])
    cells += [("csv", v) for row in csv.reader(outputs["csv"].open(encoding="utf-8"))
              for v in row]
    texts = [(s, str(v)) for s, v in cells]
    assert not [t for t in texts if "löpnummer" in t[1].casefold()]
    assert not [t for t in texts if nf.SECRET.casefold() in t[1].casefold()]
    # every insats and samverkansgrupp written in the submissions, checked by name
    names = set()
    for p in sorted(folder.iterdir()):
        wb = openpyxl.load_workbook(p, read_only=True)
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            for col in ("Insats", "Samverkansgrupp"):
                if rows and col in rows[0]:
                    names |= {r[rows[0].index(col)] for r in rows[1:] if r[rows[0].index(col)]}
    assert len(names) > 10
    assert not [t for t in texts if any(n in t[1] for n in names)]


def test_report_tables_in_the_workbook(outputs: dict[str, Path], folder: Path) -> None:
    res = merge_folder(folder, workers=1)
    rows = _sheet_rows(outputs["xlsx"], "Svarande")
    t1 = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Tabell 1 "))
    assert rows[t1 + 1][1:] == ("Deltagare Pågående", "Deltagare Avslut", "Personal",
                                "Chefsgrupper", "Styrelser", "Remittenter", "Totalt")
    assert rows[t1 + 3][0] == "Antal deltagande förbund" and rows[t1 + 3][-1] == 5
    assert rows[t1 + 2][-1] == res.total_answers
    titles = [r[0] for r in rows if r[0] and str(r[0]).startswith("Tabell ")]
    assert [t.split()[1] for t in titles] == ["1", "3", "4", "5", "6"]
    ind1 = _sheet_rows(outputs["xlsx"], "Indikator 1")
    titles = [r[0] for r in ind1 if r[0] and str(r[0]).startswith(("Tabell", "Siffrorna i"))]
    # One table per question: Tabell 7.1 and 7.2 once for each of indicator 1's measures.
    n_measures = len(ins.measures_of(1))
    t71 = [t for t in titles if t.startswith("Tabell 7.1 ")]
    t72 = [t for t in titles if t.startswith("Tabell 7.2 ")]
    assert len(t71) == len(t72) == n_measures > 1
    assert t71[0] == "Tabell 7.1 Indikator 1. Fråga 1  Deltagare - pågåendeenkät"
    assert t72[0].startswith('Tabell 7.2 Nyckeltal "andelen klart positiva svar" för '
                             "indikator 1, jämförelse 2021–2023. Fråga 1")
    assert titles[-1] == "Siffrorna i diagrammet (2021–2023)."
    wb = openpyxl.load_workbook(outputs["xlsx"])
    assert [_chart_title(c) for c in wb["Indikator 1"]._charts] == [
        "Diagram 1 Indikator 1: Personcentrering, 2021–2023. Andelen klart positiva svar."]
    assert [_chart_title(c)[:13] for c in wb["Indikator 6"]._charts] == [
        "Diagram 5.1 F", "Diagram 5.2 I"]  # fråga 8 (andelen ja) and the other measures
    b1 = _sheet_rows(outputs["xlsx"], "Bilaga 1")
    assert b1[-1][0] == "Totalt: 5"


def _chart_title(chart) -> str:  # noqa: ANN001 - an openpyxl chart
    return "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))


def test_stars_show_as_asterisks(outputs: dict[str, Path], folder: Path) -> None:
    """A starred share keeps its number and shows '*' through its format."""
    res = merge_folder(folder, workers=1)
    starred = res.table[(res.table["dimension"] == "kon")
                        & (res.table[[f"stjarna_{c}" for c in ins.CATEGORIES]].sum(axis=1) > 0)]
    wb = openpyxl.load_workbook(outputs["xlsx"])
    formats = [c.number_format for ws in wb.worksheets if ws.title.startswith("Indikator")
               for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    assert sum(f.endswith('"*"') for f in formats) >= len(starred)
    assert len(starred) > 0


def test_export_is_the_spec_long_table_for_riket(outputs: dict[str, Path],
                                                 folder: Path) -> None:
    rows = list(csv.DictReader(outputs["csv"].open(encoding="utf-8")))
    with outputs["csv"].open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert tuple(header) == LONG_COLUMNS + PREVIOUS_COLUMNS  # published 2022 is "previous"
    assert {r["forbund"] for r in rows} == {"Riket"}
    assert {r["dimension"] for r in rows} == {"samtliga", "kon", "anstallning"}
    res = merge_folder(folder, workers=1)
    assert len(rows) == len(res.table)
    first = rows[0]
    t = res.table.iloc[0]
    assert (first["respondentgrupp"], int(first["fraga"]), int(first["n"])) == (
        t["group"], t["question"], t["n"])
    assert float(first["nyckeltal"]) == pytest.approx(t["nyckeltal"], abs=1e-6)
    assert first["n_foregaende"] == "1629"  # published 2022, pågående fråga 1
    assert all(r["stjarna_ar"] == "" for r in rows if r["dimension"] == "anstallning")


def test_rikssnitt_round_trip_changes_a_forbund_comparison(outputs: dict[str, Path],
                                                          folder: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    riks = read_workbook_file(outputs["riks"])
    res = merge_folder(folder, workers=1)
    assert riks.period == 2023
    assert "nationell sammanställning 2023" in riks.source
    for r in res.table.itertuples(index=False):
        got = riks.lookup(r.group, int(r.question), r.undergrupp)
        assert got is not None and int(got["n"]) == r.n
        if not r.dold:
            assert got["nyckeltal"] == pytest.approx(r.nyckeltal, abs=1e-9)
    reg = load_registration(folder / "Alfa_2023.xlsx")
    own = analyse(reg, rikssnitt=riks).table
    default = analyse(reg).table
    assert default.equals(analyse(reg, rikssnitt=published(2023)).table)
    sam = own[own["dimension"] == "samtliga"]
    national = res.table[res.table["dimension"] == "samtliga"].set_index(["group", "question"])
    for r in sam.itertuples(index=False):
        expected = national.at[(r.group, r.question), "nyckeltal"]
        assert r.rikssnitt_nyckeltal == pytest.approx(expected)
        assert r.skillnad_pp == pytest.approx((r.nyckeltal - expected) * 100)
    changed = (own["rikssnitt_nyckeltal"] - default["rikssnitt_nyckeltal"]).abs() > 1e-9
    assert changed.sum() > 20  # the comparison now uses the merged figures, not the report's
    # The rikssnitt file carries the national previous period (the published 2022 key
    # figures here), and a förbund's result shows it beside the rikssnitt.
    assert riks.previous_period == 2022
    for r in res.table.itertuples(index=False):
        got = riks.lookup(r.group, int(r.question), r.undergrupp)
        before = r.nyckeltal_foregaende
        assert got["nyckeltal_foregaende"] == pytest.approx(before, abs=1e-9, nan_ok=True)
    for r in sam.itertuples(index=False):
        before = national.at[(r.group, r.question), "nyckeltal_foregaende"]
        assert r.rikssnitt_nyckeltal_foregaende == pytest.approx(before, nan_ok=True)
    capsys.readouterr()
    assert cli.run(["berakna", str(folder / "Alfa_2023.xlsx"), "--rikssnitt",
                    str(outputs["riks"]), "--export", str(outputs["csv"].with_name("a.csv"))]) == 0
    assert "Rikssnitt: NNS nationell sammanställning 2023" in capsys.readouterr().out


def test_next_year_uses_the_hidden_counts(outputs: dict[str, Path], folder: Path,
                                          tmp_path: Path) -> None:
    history = read_previous(outputs["xlsx"])
    assert history.periods == [2023]  # the published 2021–2022 ship with the package
    this = merge_folder(folder, workers=1)
    d = tmp_path / "inkommande_2024"
    d.mkdir()
    for seed, (name, sizes, routine) in enumerate(nf.FORBUND[:3], 11):
        nf.write_submission(d, f"{name}_2024.xlsx", name, sizes, routine, seed, period=2024)
    nf.write_submission(d, "Ny_2024.xlsx", "Nykomling", {ins.PERSONAL: 8}, ins.ROUTINES[0], 20,
                        period=2024)
    nxt = merge_folder(d, outputs["xlsx"], workers=1)
    assert nxt.period == 2024 and nxt.previous_period == 2023
    prev = this.table.set_index(["group", "question", "dimension", "undergrupp"])
    checked = 0
    for r in nxt.table.itertuples(index=False):
        key = (r.group, r.question, r.dimension, r.undergrupp)
        if key not in prev.index or r.dimension == "anstallning":
            continue
        p = prev.loc[key]
        assert r.n_foregaende == p["n"]
        if r.dold or p["dold"]:
            assert r.stjarna_ar == 0
            continue
        table = [[r.n_nyckeltal, r.n - r.n_nyckeltal],
                 [p["n_nyckeltal"], p["n"] - p["n_nyckeltal"]]]
        if min(min(row) for row in table) >= 5:  # chi² territory (Fisher below)
            pv = chi2_contingency(table, correction=False)[1]
            assert r.stjarna_ar == int(pv < 0.05)
            checked += 1
    assert checked > 20
    assert sorted(nxt.history.periods) == [2021, 2022, 2023, 2024]
    ny = nxt.bilaga1.set_index("forbund")["ny"]
    assert ny["Nykomling"] == 1 and ny["Alfa"] == 0
    out = tmp_path / "N2024.xlsx"
    assert cli.run(["sammanstall", str(d), "-o", str(out), "--foregaende",
                    str(outputs["xlsx"]), "--antal-forbund", "70"]) == 0
    ind1 = _sheet_rows(out, "Indikator 1")
    heads = next(r for r in ind1 if r[1] == "2022: antal svar")
    assert heads[1:7:2] == ("2022: antal svar", "2023: antal svar", "2024: antal svar")
    assert read_previous(out).periods == [2023, 2024]
    t22 = _sheet_rows(out, "Historik")
    years = next(r for r in t22 if r[1] == "2018")
    assert years[-2] == "2024"


def test_a_gap_year_gets_no_year_test(folder: Path, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    nf.write_submission(d, "a.xlsx", "A", {ins.PERSONAL: 8}, ins.ROUTINES[0], 1, period=2026)
    res = merge_folder(d, workers=1)
    assert res.previous_period is None
    assert any("2025 saknas" in n for n in res.notes)
    assert "stjarna_ar" not in res.table.columns


def test_progress_bar_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = ProgressBar("Läser filer", stream=stream, interval=0)
        for i in range(1, 4):
            bar(i, 3, f"f{i}.xlsx")
        bar.close()
    assert pipe.getvalue() == ""
    assert "Läser filer [" in tty.getvalue() and "3/3 f3.xlsx" in tty.getvalue()
    assert tty.getvalue().endswith("\r")


def test_own_outputs_in_the_folder_are_not_submissions(folder: Path, outputs: dict[str, Path],
                                                       tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for p in folder.iterdir():
        (d / p.name).write_bytes(p.read_bytes())
    # the command's own outputs written into the folder are skipped on a re-run
    args = ["sammanstall", str(d), "-o", str(d / "Nationellt.xlsx"), "--rikssnitt-ut",
            str(d / "Rikssnitt.xlsx")]
    assert cli.run(args) == 0
    assert cli.run(args) == 0
    # someone else's copy of a national result or rikssnitt is named for what it is
    (d / "kopia.xlsx").write_bytes(outputs["xlsx"].read_bytes())
    (d / "riks_kopia.xlsx").write_bytes(outputs["riks"].read_bytes())
    res = merge_folder(d, workers=1, exclude=[d / "Nationellt.xlsx", d / "Rikssnitt.xlsx"])
    reasons = {s.name: s.reason for s in res.excluded}
    assert reasons == {
        "kopia.xlsx": "Ingår inte: filen är ett nationellt resultat, ingen registreringsfil.",
        "riks_kopia.xlsx": "Ingår inte: filen är en rikssnittsfil, ingen registreringsfil."}


def test_previous_result_of_the_same_period_is_noted(folder: Path,
                                                     outputs: dict[str, Path]) -> None:
    res = merge_folder(folder, outputs["xlsx"], workers=1)
    assert res.previous_period == 2022  # the published figures, not this year's own result
    assert any("inga sammanställda siffror från före 2023" in n for n in res.notes)


def test_previous_must_be_a_national_result(folder: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    code = cli.run(["sammanstall", str(folder), "-o", str(tmp_path / "N.xlsx"), "--foregaende",
                    str(folder / "Alfa_2023.xlsx")])
    assert code == 2
    assert "är inget nationellt resultat" in capsys.readouterr().err
    assert not (tmp_path / "N.xlsx").exists()
