"""Libraries are imported where they are needed: a command does not pay for another's.

Each case runs the command in a fresh interpreter and lists which heavy libraries ended
up in `sys.modules` (their import takes longer than the work for small files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.result_books import EXAMPLE

HEAVY = ("pandas", "numpy", "scipy", "openpyxl", "xlsxwriter", "xlwings", "matplotlib",
         "docx")
PROBE = r"""
import contextlib, io, json, sys
from indikator_xl.cli import run
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        run(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in HEAVY if m in sys.modules)))
""".replace("HEAVY", repr(HEAVY))


def _imported(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_help_imports_no_heavy_library() -> None:
    assert _imported("--help") == set()


def test_validera_needs_neither_pandas_nor_a_writer() -> None:
    assert _imported("validera", str(EXAMPLE)) == {"numpy"}


@pytest.mark.parametrize("export", [False, True])
def test_berakna_imports_only_what_it_uses(tmp_path: Path, export: bool) -> None:
    args = ["berakna", str(EXAMPLE), "-o", str(tmp_path / "ut.xlsx")]
    if export:
        args += ["--export", str(tmp_path / "ut.csv")]
    assert _imported(*args) == {"numpy", "pandas", "xlsxwriter"}
