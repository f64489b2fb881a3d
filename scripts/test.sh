#!/usr/bin/env bash
# Install everything the tests need (LibreOffice from Debian, the package with its test
# extra) and run ruff, mypy and the whole test suite. The README's test command and
# .ci/run call this. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_libreoffice.sh
# Debian and Ubuntu refuse pip outside a virtual environment: use the active one, else
# .venv in the repository (made here; python3-venv is installed if it is missing).
if [ -n "${VIRTUAL_ENV:-}" ]; then
    PY=python
else
    if [ ! -x .venv/bin/python ]; then
        if ! python3 -m venv .venv; then
            rm -rf .venv
            SUDO=""
            [ "$(id -u)" -ne 0 ] && SUDO="sudo"
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
                python3-venv
            python3 -m venv .venv
        fi
    fi
    PY=.venv/bin/python
fi
"$PY" -m pip install --quiet --disable-pip-version-check -e ".[test]"
"$PY" -m ruff check indikator_xl tests bench scripts
"$PY" -m mypy
"$PY" -m pytest -q "$@"
