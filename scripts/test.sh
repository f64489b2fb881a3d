#!/usr/bin/env bash
# Install everything the tests need (LibreOffice from Debian, the package with its test
# extra) and run the whole test suite. The README's test command and .ci/run call this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_libreoffice.sh
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
python -m ruff check indikator_xl tests bench scripts
python -m pytest -q "$@"
