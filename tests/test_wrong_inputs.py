"""Files that are not what an option needs, and other mistakes a new user makes (issue 12,
items 14 and 17): each is exit 2 (1 for diagnos) with a line that says what the file is
and what was expected — never exit 0 with the comparison silently left out, never 3."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from indikator_xl import cli
from indikator_xl.figures.rikssnitt import published
from indikator_xl.render.to_openpyxl import render
from indikator_xl.sheets.rikssnitt_sheets import rikssnitt_workbook
from tests.builders import earlier_period

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("filer")
    reg = Path(shutil.copy(EXAMPLE, d / "Reg.xlsx"))
    assert cli.run(["berakna", str(reg)]) == 0
    folder = d / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "A.xlsx")
    assert cli.run(["sammanstall", str(folder), "-o", str(d / "Nationellt.xlsx")]) == 0
    riks = d / "Rikssnitt.xlsx"
    render(rikssnitt_workbook(published(2023)), riks)
    return {"reg": reg, "resultat": d / "Reg_resultat.xlsx", "nationellt": d / "Nationellt.xlsx",
            "rikssnitt": riks, "fjol": earlier_period(EXAMPLE, d / "Reg_2022.xlsx"),
            "nasta": earlier_period(EXAMPLE, d / "Reg_2024.xlsx", 2024)}


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = cli.run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validera_names_a_result_workbook_for_what_it_is(files, capsys):
    code, out, err = _run(capsys, "validera", str(files["resultat"]))
    assert code == 2 and out == ""
    assert err == ("indikator-xl: Reg_resultat.xlsx är ett förbundsresultat från indikator-xl "
                   "berakna, ingen registreringsfil.\n")


def test_sammanstall_names_a_result_workbook_in_the_folder(files, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "A.xlsx")
    shutil.copy(files["resultat"], folder / "A_resultat.xlsx")
    code, out, _ = _run(capsys, "sammanstall", str(folder), "-o", str(tmp_path / "N.xlsx"))
    assert code == 1
    assert ("A_resultat.xlsx: Ingår inte: filen är ett förbundsresultat från indikator-xl "
            "berakna, ingen registreringsfil.") in out.splitlines()


@pytest.mark.parametrize("which,expected", [
    ("resultat", "Förra periodens fil Reg_resultat.xlsx är ett förbundsresultat från "
                 "indikator-xl berakna, ingen registreringsfil."),
    ("nationellt", "Förra periodens fil Nationellt.xlsx är ett nationellt resultat, ingen "
                   "registreringsfil."),
    ("rikssnitt", "Förra periodens fil Rikssnitt.xlsx är en rikssnittsfil, ingen "
                  "registreringsfil."),
    ("reg", "Förra periodens fil Reg.xlsx gäller mätperiod 2023, men jämförelsen behöver "
            "en registreringsfil från före 2023."),
    ("nasta", "Förra periodens fil Reg_2024.xlsx gäller mätperiod 2024, men jämförelsen "
              "behöver en registreringsfil från före 2023."),
])
def test_foregaende_must_be_an_earlier_registration(files, tmp_path, capsys, which, expected):
    code, out, err = _run(capsys, "berakna", str(files["reg"]), "--foregaende",
                          str(files[which]), "-o", str(tmp_path / "ut.xlsx"))
    assert code == 2 and out == ""
    assert err == f"indikator-xl: {expected}\n"
    assert not (tmp_path / "ut.xlsx").exists()


def test_an_earlier_registration_is_compared(files, tmp_path, capsys):
    code, out, _ = _run(capsys, "berakna", str(files["reg"]), "--foregaende",
                        str(files["fjol"]), "-o", str(tmp_path / "ut.xlsx"))
    assert code == 0 and "None" not in out


@pytest.mark.parametrize("which,expected", [
    ("reg", "--rikssnitt Reg.xlsx är ingen rikssnittsfil (bladet Rikssnitt saknas)"),
    ("resultat", "--rikssnitt Reg_resultat.xlsx är ett förbundsresultat från indikator-xl "
                 "berakna, ingen rikssnittsfil"),
    ("nationellt", "--rikssnitt Nationellt.xlsx är ett nationellt resultat, ingen "
                   "rikssnittsfil"),
])
def test_rikssnitt_must_be_a_rikssnitt_file(files, tmp_path, capsys, which, expected):
    code, _, err = _run(capsys, "berakna", str(files["reg"]), "--rikssnitt", str(files[which]),
                        "-o", str(tmp_path / "ut.xlsx"))
    assert code == 2
    assert err.startswith(f"indikator-xl: {expected}")


@pytest.mark.parametrize("column,value", [("n", 10**30), ("n", -4), ("nyckeltal", 5.0),
                                          ("negativt", -0.5)])
def test_absurd_numbers_in_a_rikssnitt_file_are_exit_2(files, tmp_path, capsys, column, value):
    wb = openpyxl.load_workbook(files["rikssnitt"])
    ws = wb["Rikssnitt"]
    col = [c.value for c in ws[1]].index(column) + 1
    ws.cell(5, col).value = value
    riks = tmp_path / "Orimlig.xlsx"
    wb.save(riks)
    code, _, err = _run(capsys, "berakna", str(files["reg"]), "--rikssnitt", str(riks),
                        "-o", str(tmp_path / "ut.xlsx"))
    assert code == 2
    assert err.startswith(f"indikator-xl: Rikssnittsfilen Orimlig.xlsx har ett orimligt värde "
                          f"i kolumnen {column}")


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.run(["--version"])
    assert stop.value.code == 0
    from indikator_xl import __version__

    assert capsys.readouterr().out == f"indikator-xl {__version__}\n"


@pytest.mark.parametrize("value", ["0", "-3", "tre", "2.5"])
def test_antal_forbund_is_a_positive_whole_number(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as stop:
        cli.run(["sammanstall", str(tmp_path), "-o", str(tmp_path / "N.xlsx"),
                 "--antal-forbund", value])
    assert stop.value.code == 2
    assert "inget positivt heltal" in capsys.readouterr().err


def test_diagnos_on_a_missing_or_foreign_file_is_exit_1(tmp_path, capsys):
    text = tmp_path / "lista.xlsx"
    text.write_text("ingen arbetsbok\n", encoding="utf-8")
    for path, says in ((tmp_path / "saknas.xlsx", "finns inte"),
                       (text, "är ingen Excel-arbetsbok")):
        code, out, _ = _run(capsys, "diagnos", str(path))
        assert code == 1
        assert any(ln.startswith("FEL     Arbetsbok: ") and says in ln
                   for ln in out.splitlines()), out
