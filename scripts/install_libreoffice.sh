#!/bin/sh
# Install headless LibreOffice Calc (the test oracle that opens our result workbooks) and
# Writer (converts the Word report drafts to PDF), poppler (pdftoppm, pdftotext) and
# Calibri/Arial-compatible fonts. Idempotent: installs only the packages that are missing.
set -eu
PACKAGES="libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils \
fonts-crosextra-carlito fonts-liberation2"
MISSING=""
for pkg in $PACKAGES; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
        MISSING="$MISSING $pkg"
    fi
done
if [ -z "$MISSING" ] && command -v soffice >/dev/null 2>&1; then
    echo "LibreOffice Calc och Writer finns redan: $(command -v soffice)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# shellcheck disable=SC2086  # the list is meant to split into package names
$SUDO apt-get install -y --no-install-recommends $MISSING
command -v soffice >/dev/null 2>&1
echo "LibreOffice installerat: $(command -v soffice)"
