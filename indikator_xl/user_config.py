"""Where the Excel side finds a national comparison configured by the user or NNS.

A rikssnitt workbook from NNS is used, in this order, from the environment variable
`INDIKATOR_XL_RIKSSNITT`, or from `rikssnitt.xlsx` in the tool's folder
(`%LOCALAPPDATA%\\indikator-xl` on Windows, `~/.indikator-xl` elsewhere). Without one the
published national report is used (`rikssnitt.published`).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

from indikator_xl.figures.rikssnitt import Rikssnitt, read_workbook_file

RIKSSNITT_ENV = "INDIKATOR_XL_RIKSSNITT"
RIKSSNITT_FILENAME = "rikssnitt.xlsx"


def app_dir() -> Path:
    """The tool's own folder for the user (the Windows venv lives here too)."""
    if sys.platform.startswith("win") and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "indikator-xl"
    return Path.home() / ".indikator-xl"


def configured_rikssnitt_path() -> Path | None:
    """The configured rikssnitt workbook, or None when none is configured."""
    env = os.environ.get(RIKSSNITT_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    default = app_dir() / RIKSSNITT_FILENAME
    return default if default.is_file() else None


def load_rikssnitt(path: Path) -> Rikssnitt:
    """Read a rikssnitt workbook once per version of the file (raises WorkbookReadError)."""
    stat = path.stat()
    return _cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _cached(path: str, _mtime: int, _size: int) -> Rikssnitt:
    return read_workbook_file(path)
