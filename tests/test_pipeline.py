"""One path from workbook to result (pipeline.py): the CLI says what the result says."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from indikator_xl.cli import run
from indikator_xl.domain import instrument as ins
from indikator_xl.pipeline import calculate, validate
from indikator_xl.validation.registration import load_registration
from tests import builders
from tests.result_books import EXAMPLE, hostile_registration


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_calculate_owns_the_summary_and_exit_code(tmp_path: Path) -> None:
    earlier = hostile_registration(tmp_path / "fjol.xlsx", period=2022)
    result = calculate(EXAMPLE, previous=earlier)
    assert result.exit_code == 0
    assert result.messages[0] == ("Exempelförbundet, mätperiod 2023: 295 svarande, 0 fel och "
                                  "0 varningar i registreringen.")
    assert result.messages[1].startswith("Rikssnitt: NNS nationella indikatorrapport 2023")
    code, out, _ = _cli("berakna", str(EXAMPLE), "--foregaende", str(earlier),
                        "--export", str(tmp_path / "ut.csv"))
    assert code == result.exit_code
    assert out.splitlines()[:len(result.messages)] == result.messages
    columns, rows = result.long_table()
    assert columns[-3:] == ("n_foregaende", "nyckeltal_foregaende", "stjarna_ar")
    written = (tmp_path / "ut.csv").read_text(encoding="utf-8").splitlines()
    assert len(written) == len(rows) + 1 and written[0] == ",".join(columns)


def test_a_registration_without_forbund_cannot_be_calculated(tmp_path: Path) -> None:
    path = builders.registration(tmp_path / "utan.xlsx", forbund=[],
                                 groups={ins.PERSONAL: [[1, 4, 4, 4, 4, 4, 4, 4]]})
    result = calculate(path)
    assert result.analysis is None and result.exit_code == 1
    assert result.messages[0] == "utan.xlsx: beräkningen kan inte göras."
    assert len(result.blocking) == 2
    assert [s.name for s in result.workbook().sheets] == ["Valideringsfel"]
    with pytest.raises(ValueError):
        result.long_table()
    code, out, err = _cli("berakna", str(path))
    assert (code, out, err.splitlines()) == (1, "", result.messages)


def test_validate_matches_validera(tmp_path: Path) -> None:
    path = builders.registration(tmp_path / "smutsig.xlsx",
                                 groups={ins.DELTAGARE_AVSLUT: builders.DIRTY_AVSLUT_ROWS})
    result = validate(path)
    code, out, _ = _cli("validera", str(path))
    assert code == result.exit_code == 1
    assert out.splitlines() == result.messages
    assert result.messages[-1] == (f"Totalt {len(result.registration.errors)} fel och "
                                   f"{len(result.registration.warnings)} varningar.")


def test_forbund_settings_are_read_with_the_registration(tmp_path: Path) -> None:
    rows = builders.forbund_rows(**{ins.KEY_RIKSSNITT_FILE: "riks.xlsx",
                                    ins.KEY_PREVIOUS_FILE: "  "})
    path = builders.registration(tmp_path / "inst.xlsx", forbund=rows)
    assert load_registration(path).settings == {ins.KEY_RIKSSNITT_FILE: "riks.xlsx"}
