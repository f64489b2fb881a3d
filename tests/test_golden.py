"""Golden cases (tests/golden): a fresh run gives the checked-in outputs byte for byte.

After an intended change of a figure: `python -m tests.golden`, then review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.cases import CASES, expected, outputs


@pytest.mark.parametrize("name", sorted(CASES))
def test_outputs_equal_the_golden_files(name: str, tmp_path: Path) -> None:
    want = expected(name)
    assert want, f"no golden files for {name}; run python -m tests.golden"
    got = outputs(name, tmp_path)
    assert sorted(got) == sorted(want)
    for file in sorted(want):
        assert got[file].decode("utf-8") == want[file].decode("utf-8"), f"{name}/{file}"
