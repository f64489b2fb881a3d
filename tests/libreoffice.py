"""Headless LibreOffice as an independent client of our workbooks (tests, PNG renders).

`convert` runs `soffice --headless --convert-to` with a private profile, so it works in
CI and next to a running LibreOffice, and raises `ConversionError` with LibreOffice's own
output when the conversion fails or reports a damaged file.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CSV_UTF8 = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false"
_TROUBLE = ("repair", "corrupt", "error", "general input/output", "could not")


class ConversionError(RuntimeError):
    """LibreOffice did not convert the file cleanly."""


def soffice() -> str | None:
    """Path of the soffice binary, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def csv_filter(sheet: int) -> str:
    """The UTF-8 CSV export filter for sheet number `sheet` (1-based, hidden ones count)."""
    return f"{CSV_UTF8},{sheet}"


def convert(path: str | Path, target: str, outdir: str | Path,
            profile: str | Path | None = None, timeout: float = 180) -> Path:
    """Convert `path` to `target` ("pdf", or a filter string such as `csv_filter(2)`)
    into `outdir`; returns the written file (for one sheet of a CSV export LibreOffice
    names it "<stem>-<sheet>.csv"). Raises ConversionError on any trouble."""
    exe = soffice()
    if exe is None:
        raise ConversionError("LibreOffice (soffice) är inte installerat.")
    path, outdir = Path(path), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    ext = target.split(":", 1)[0]
    before = set(outdir.glob(f"{path.stem}*.{ext}"))
    own_profile = profile is None
    profile = Path(profile or tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        proc = subprocess.run(
            [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
             "--norestore", "--nologo", "--convert-to", target, "--outdir", str(outdir),
             str(path)],
            capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        if own_profile:
            shutil.rmtree(profile, ignore_errors=True)
    # One sheet of a CSV export is named "<stem>-<sheet name>.csv".
    new = sorted(set(outdir.glob(f"{path.stem}*.{ext}")) - before)
    out = new[0] if len(new) == 1 else outdir / f"{path.stem}.{ext}"
    trouble = [line for line in proc.stderr.splitlines()
               if any(word in line.lower() for word in _TROUBLE)]
    if proc.returncode != 0 or trouble or not out.exists() or out.stat().st_size == 0:
        raise ConversionError(f"LibreOffice kunde inte konvertera {path.name} "
                              f"(slutkod {proc.returncode}): {proc.stderr.strip()} "
                              f"{proc.stdout.strip()}")
    return out
