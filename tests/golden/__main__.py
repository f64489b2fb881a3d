"""`python -m tests.golden`: write every golden case's expected outputs anew."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tests.golden.cases import CASES, HERE, outputs


def main() -> None:
    for name in CASES:
        folder = HERE / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        with tempfile.TemporaryDirectory() as work:
            for file, data in outputs(name, Path(work)).items():
                (folder / file).write_bytes(data)
        print(f"{name}: {', '.join(sorted(p.name for p in folder.iterdir()))}")


if __name__ == "__main__":
    main()
