"""Install the shipped add-in into Excel's start-up folder, and remove it again.

Excel opens every add-in in its start-up folder when it starts; nothing here starts
Excel. The shipped IndikatorXL.xlam is the same file for everyone, so the interpreter is
written at install time into the installed copy's configuration sheet
(`INTERPRETER_WIN` or `INTERPRETER_MAC`: the Python this package is installed in). On a
Mac, RunPython goes through xlwings' AppleScript file, which is copied as
`xlwings runpython install` does, unless it is already there. The configuration sheet
also records that file (`INSTALLERADE FILER`), so uninstalling removes exactly what
installing added.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from indikator_xl.addin import config_sheet
from indikator_xl.addin.build import (
    ADDIN_NAME,
    CONFIG_SHEET_PART,
    SHARED_STRINGS,
    SHIPPED,
    AddinError,
    package,
    read_parts,
    write_atomic,
)

INSTALLED_KEY = "INSTALLERADE FILER"
MAC_OFFICE = ("Library", "Group Containers", "UBF8T346G9.Office")
MAC_STARTUP = ("User Content", "Startup", "Excel")
MAC_SCRIPTS = ("Library", "Application Scripts", "com.microsoft.Excel")


@dataclass(frozen=True)
class Target:
    """Where the add-in goes on one platform."""

    startup: Path
    interpreter_key: str
    applescript_dir: Path | None = None


def target(platform: str, env: Mapping[str, str]) -> Target:
    """Excel's start-up folder for the user (raises AddinError when Excel's folder is
    not there)."""
    if platform.startswith("win"):
        appdata = env.get("APPDATA")
        excel = Path(appdata) / "Microsoft" / "Excel" if appdata else None
        if excel is None or not excel.is_dir():
            raise AddinError(f"Excels mapp för användaren hittades inte "
                             f"({excel or 'APPDATA saknas'}). Starta Excel en gång och "
                             "försök igen.")
        return Target(excel / "XLSTART", "INTERPRETER_WIN")
    if platform == "darwin":
        home = env.get("HOME")
        office = Path(home).joinpath(*MAC_OFFICE) if home else None
        if home is None or office is None or not office.is_dir():
            raise AddinError(f"Excels mapp för användaren hittades inte "
                             f"({office or 'HOME saknas'}). Starta Excel en gång och "
                             "försök igen.")
        return Target(office.joinpath(*MAC_STARTUP), "INTERPRETER_MAC",
                      Path(home).joinpath(*MAC_SCRIPTS))
    raise AddinError("Tillägget kan bara installeras i Excel på Windows eller Mac; här "
                     "fungerar kommandoraden indikator-xl.")


def interpreter(platform: str, executable: str) -> str:
    """The Python Excel should start: pythonw.exe beside python.exe on Windows."""
    exe = Path(executable)
    if platform.startswith("win") and exe.name.lower() == "python.exe":
        windowless = exe.with_name("pythonw.exe")
        if windowless.is_file():
            return str(windowless)
    return str(exe)


def _applescript() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent / f"xlwings-{xlwings.__version__}.applescript"


def _configured(parts: dict[str, bytes], values: Mapping[str, str]) -> bytes:
    if CONFIG_SHEET_PART not in parts or SHARED_STRINGS not in parts:
        raise AddinError("Tillägget saknar sitt konfigurationsblad; bygg om det.")
    parts = dict(parts)
    sheet = config_sheet.fill(parts[CONFIG_SHEET_PART].decode("utf-8"),
                              parts[SHARED_STRINGS].decode("utf-8"), values)
    parts[CONFIG_SHEET_PART] = sheet.encode("utf-8")
    return package(parts)


def install(platform: str | None = None, env: Mapping[str, str] | None = None,
            executable: str | None = None, addin: Path = SHIPPED) -> list[Path]:
    """Install the add-in; returns the files written (raises AddinError)."""
    platform = platform or sys.platform
    where = target(platform, os.environ if env is None else env)
    parts = read_parts(addin, "Tillägget")
    written: list[Path] = []
    values = {where.interpreter_key: interpreter(platform, executable or sys.executable)}
    try:
        if where.applescript_dir is not None:
            script = where.applescript_dir / _applescript().name
            if not script.exists():
                where.applescript_dir.mkdir(parents=True, exist_ok=True)
                write_atomic(script, _applescript().read_bytes())
                written.append(script)
        if written:
            values[INSTALLED_KEY] = ";".join(str(p) for p in written)
        where.startup.mkdir(parents=True, exist_ok=True)
        out = where.startup / ADDIN_NAME
        write_atomic(out, _configured(parts, values))
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise AddinError(f"{where.startup} kan inte skrivas ({exc.strerror or exc}); "
                         "ingenting installerades. Är Excel igång, stäng det och försök "
                         "igen.") from None
    return [*written, out]


def uninstall(platform: str | None = None,
              env: Mapping[str, str] | None = None) -> list[Path]:
    """Remove the installed add-in and what installing added; returns the removed files."""
    platform = platform or sys.platform
    where = target(platform, os.environ if env is None else env)
    addin = where.startup / ADDIN_NAME
    if not addin.is_file():
        raise AddinError(f"{ADDIN_NAME} är inte installerat i {where.startup}.")
    parts = read_parts(addin, "Tillägget")
    values = config_sheet.read_values(parts.get(CONFIG_SHEET_PART, b"").decode("utf-8"),
                                      parts.get(SHARED_STRINGS, b"").decode("utf-8"))
    extra = [Path(p) for p in values.get(INSTALLED_KEY, "").split(";") if p]
    allowed = {where.applescript_dir / _applescript().name} if where.applescript_dir else set()
    removed = []
    try:
        for path in [p for p in extra if p in allowed] + [addin]:
            if path.is_file():
                path.unlink()
                removed.append(path)
    except OSError as exc:
        raise AddinError(f"{exc.filename} kan inte tas bort ({exc.strerror or exc}).") \
            from None
    return removed
