#!/bin/sh
# Install headless LibreOffice Calc (the test oracle that opens our result workbooks),
# poppler (pdftoppm for PNG renders) and Calibri/Arial-compatible fonts. Idempotent.
set -eu
if command -v soffice >/dev/null 2>&1; then
    echo "soffice finns redan: $(command -v soffice)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
    libreoffice-calc-nogui poppler-utils fonts-crosextra-carlito fonts-liberation2
command -v soffice >/dev/null 2>&1
echo "LibreOffice installerat: $(command -v soffice)"
