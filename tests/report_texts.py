"""The published reports' text, which some tests check the shipped figures against.

The texts are not part of the repository (they are the reports themselves). They are
looked for in the folder named by INDIKATOR_XL_RAPPORTER, else in `shared/seeds/` beside
the repository. Without them those tests are skipped with the reason; with
INDIKATOR_XL_KRAV_RAPPORTER=1 (set by .ci/run) a missing text fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NATIONAL_2023 = "nationell_indikatorrapport_2023.txt"
SODRA_DALARNA_2022 = "sodra_dalarna_indikatorrapport_2022.txt"
FOLDER_ENV = "INDIKATOR_XL_RAPPORTER"
REQUIRE_ENV = "INDIKATOR_XL_KRAV_RAPPORTER"


def folder() -> Path:
    given = os.environ.get(FOLDER_ENV)
    return Path(given) if given else Path(__file__).resolve().parents[2] / "shared" / "seeds"


def report_path(name: str) -> Path:
    """The report text's path; skips (or fails, when required) the test if it is absent."""
    path = folder() / name
    if not path.is_file():
        reason = (f"the report text {name} is not here ({path}); set {FOLDER_ENV} to the "
                  "folder that holds it to run the tests that compare with the report")
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path
