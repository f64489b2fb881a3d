"""Fixtures shared by several test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import national_folder as nf


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of generated submissions for the national merge (tests/national_folder.py)."""
    path = tmp_path_factory.mktemp("inkommande")
    nf.write_folder(path)
    return path
