"""`indikator-xl diagnos` and the Diagnos button: is Excel ↔ Python set up right?

Checks the Python and xlwings versions, the xlwings DLL and add-in on Windows, the
xlwings version declared by a workbook's VBA (read with oletools' olevba when it is
installed), and lists the known fixes for the usual failures, in Swedish.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

OK, VARNING, FEL, INFO = "ok", "varning", "fel", "info"
DISTRIBUTION = "indikator-xl"
ADDIN_NAME = "IndikatorXL.xlam"
ASR_RULE = "d4f940ab-401b-4efc-aadc-ad5f3c50688a"
_VBA_VERSION = re.compile(r'XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"', re.IGNORECASE)
_VBA_DLL = re.compile(r"xlwings(?:32|64)-(\d+(?:\.\d+)+)\.dll", re.IGNORECASE)


@dataclass(frozen=True)
class Check:
    """One line of the report: a status, what was checked and what was found."""

    status: str
    subject: str
    text: str


class VbaUnreadableError(Exception):
    """The VBA of a file cannot be read (oletools missing, or not an Office file)."""


def pinned_xlwings() -> str | None:
    """The xlwings version indikator-xl pins (`xlwings==X` in its requirements)."""
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return None
    for req in requires:
        m = re.match(r"xlwings\s*==\s*([\w.]+)", req)
        if m:
            return m.group(1)
    return None


def installed_xlwings() -> str | None:
    try:
        return metadata.version("xlwings")
    except metadata.PackageNotFoundError:
        return None


def vba_xlwings_versions(path: str | Path) -> set[str]:
    """The xlwings versions a workbook's or add-in's VBA declares (XLWINGS_VERSION and
    the DLL names); empty when it has VBA without xlwings or no VBA at all.

    Raises VbaUnreadableError when oletools is not installed or the file is not readable.
    """
    try:
        with warnings.catch_warnings():  # oletools uses deprecated pyparsing names
            warnings.simplefilter("ignore")
            from oletools.olevba import VBA_Parser
    except ImportError:
        raise VbaUnreadableError("oletools saknas (pip install oletools)") from None
    try:
        parser = VBA_Parser(str(path))
    except Exception as exc:  # noqa: BLE001 - olevba raises bare exceptions on bad files
        raise VbaUnreadableError(f"filen kan inte läsas ({exc})") from None
    try:
        if not parser.detect_vba_macros():
            return set()
        found: set[str] = set()
        for _file, _stream, _name, code in parser.extract_all_macros():
            text = code.decode("latin-1") if isinstance(code, bytes) else str(code)
            found.update(_VBA_VERSION.findall(text))
            found.update(_VBA_DLL.findall(text))
        return found
    finally:
        parser.close()


def _python_checks(executable: str) -> list[Check]:
    version = ".".join(map(str, sys.version_info[:3]))
    checks = [Check(OK if sys.version_info >= (3, 11) else FEL, "Python",
                    f"{version} ({executable})"
                    + ("" if sys.version_info >= (3, 11) else "; minst 3.11 behövs"))]
    if "WindowsApps" in executable:
        checks.append(Check(FEL, "Python", "Python från Microsoft Store fungerar inte med "
                            "Excel-kopplingen. Installera Python från python.org och skapa "
                            "om miljön."))
    return checks


def _xlwings_checks() -> list[Check]:
    installed, pinned = installed_xlwings(), pinned_xlwings()
    if installed is None:
        return [Check(FEL, "xlwings", "xlwings är inte installerat i den här Python-miljön.")]
    if pinned and installed != pinned:
        return [Check(FEL, "xlwings", f"{installed} är installerat men indikator-xl kräver "
                      f"{pinned}. Kör: pip install xlwings=={pinned}")]
    return [Check(OK, "xlwings", f"{installed}" + (f" (krävs {pinned})" if pinned else ""))]


def _dll_check(executable: str, version: str | None, windows: bool) -> Check:
    if not windows:
        return Check(INFO, "xlwings-DLL", "Ej tillämpligt: DLL:en behövs bara i Excel på "
                     "Windows.")
    exe_dir = Path(executable).parent
    folders = [exe_dir, exe_dir.parent, Path(sys.prefix), Path(sys.base_prefix)]
    names = [f"xlwings64-{version}.dll", f"xlwings32-{version}.dll"]
    for folder in folders:
        for name in names:
            if (folder / name).is_file():
                return Check(OK, "xlwings-DLL", str(folder / name))
    return Check(FEL, "xlwings-DLL", f"{names[0]} hittades inte bredvid Python. Installera "
                 "om xlwings (pip install --force-reinstall xlwings==" f"{version}) och "
                 "kontrollera att antivirus inte har satt filen i karantän.")


def xlstart_folders(env: Mapping[str, str]) -> list[Path]:
    """Excel's per-user start folder on Windows (add-ins placed here load at start)."""
    appdata = env.get("APPDATA")
    return [Path(appdata) / "Microsoft" / "Excel" / "XLSTART"] if appdata else []


def _vba_check(subject: str, path: Path, wanted: str | None) -> Check:
    try:
        versions = vba_xlwings_versions(path)
    except VbaUnreadableError as exc:
        return Check(INFO, subject, f"{path.name}: VBA kunde inte kontrolleras: {exc}.")
    if not versions:
        return Check(INFO, subject, f"{path.name} har ingen xlwings-VBA.")
    if wanted and versions != {wanted}:
        return Check(FEL, subject, f"{path.name} är byggd för xlwings "
                     f"{', '.join(sorted(versions))} men {wanted} är installerat. Hämta "
                     "tillägget som hör till den installerade versionen (eller installera "
                     "samma xlwings-version som tillägget).")
    return Check(OK, subject, f"{path.name}: xlwings {', '.join(sorted(versions))}.")


def _addin_checks(windows: bool, env: Mapping[str, str], version: str | None) -> list[Check]:
    if not windows:
        return [Check(INFO, "Tillägg", "Ej tillämpligt: tillägget installeras bara i Excel "
                      "på Windows (eller macOS).")]
    checks = []
    for folder in xlstart_folders(env):
        found = sorted(folder.glob("*.xlam")) if folder.is_dir() else []
        ours = [p for p in found if p.name.lower() == ADDIN_NAME.lower()]
        if not ours:
            checks.append(Check(VARNING, "Tillägg", f"{ADDIN_NAME} finns inte i {folder}. "
                                "Kör indikator-xl tillagg installera."))
        for path in found:
            checks.append(_vba_check("Tillägg", path, version))
        checks += [_interpreter_check(path, env) for path in ours]
    return checks or [Check(VARNING, "Tillägg", "XLSTART-mappen hittades inte (APPDATA "
                                                "saknas).")]


def _interpreter_check(path: Path, env: Mapping[str, str]) -> Check:
    """Does the installed add-in start a Python that exists (INTERPRETER_WIN)?"""
    from indikator_xl.addin.build import CONFIG_SHEET_PART, SHARED_STRINGS, AddinError, read_parts
    from indikator_xl.addin.config_sheet import read_values

    subject = "Tilläggets Python"
    try:
        parts = read_parts(path, "Tillägget")
    except AddinError as exc:
        return Check(FEL, subject, str(exc))
    values = read_values(parts.get(CONFIG_SHEET_PART, b"").decode("utf-8", "replace"),
                         parts.get(SHARED_STRINGS, b"").decode("utf-8", "replace"))
    configured = values.get("INTERPRETER_WIN", "").strip()
    if not configured:
        return Check(VARNING, subject, f"{path.name} anger ingen Python (INTERPRETER_WIN). "
                     "Kör indikator-xl tillagg installera.")
    interpreter = re.sub(r"%([^%]+)%", lambda m: env.get(m.group(1), m.group(0)), configured)
    if not Path(interpreter).is_file():
        return Check(FEL, subject, f"{path.name} startar {interpreter}, som inte finns. Kör "
                     "indikator-xl tillagg installera i miljön där indikator-xl är "
                     "installerat.")
    return Check(OK, subject, f"{path.name} startar {interpreter}.")


def _workbook_checks(path: Path, version: str | None, windows: bool) -> list[Check]:
    checks = []
    text = str(path)
    if "://" in text or "onedrive" in text.lower() or "sharepoint" in text.lower():
        checks.append(Check(VARNING, "Arbetsbok", "Arbetsboken ligger i OneDrive/SharePoint. "
                            "Om knapparna inte fungerar: spara en lokal kopia (t.ex. under "
                            "Dokument) och öppna den."))
    if not path.is_file():
        return [*checks, Check(FEL, "Arbetsbok", f"{path} finns inte (eller är ingen fil).")]
    if not zipfile.is_zipfile(path):
        return [*checks, Check(FEL, "Arbetsbok", f"{path.name} är ingen Excel-arbetsbok "
                               "(.xlsx, .xlsm eller .xlam) eller är skadad.")]
    if path.suffix.lower() in (".xlsm", ".xlam", ".xlsb"):
        checks.append(_vba_check("Arbetsbok", path, version))
    elif path.exists():
        checks.append(Check(OK, "Arbetsbok", f"{path.name} har inga makron (så ska en "
                            "registreringsfil vara; knapparna finns i tillägget)."))
    if windows and path.exists():
        try:
            with open(f"{path}:Zone.Identifier", encoding="utf-8", errors="replace"):
                pass
        except OSError:
            pass
        else:
            checks.append(Check(VARNING, "Arbetsbok", f"{path.name} är hämtad från internet "
                                "(Mark of the Web). Högerklicka på filen → Egenskaper → "
                                "Avblockera, annars kan Excel blockera makron."))
    return checks


def _rikssnitt_check() -> Check:
    from indikator_xl.domain.errors import WorkbookReadError
    from indikator_xl.user_config import RIKSSNITT_ENV, configured_rikssnitt_path, load_rikssnitt

    path = configured_rikssnitt_path()
    if path is None:
        return Check(INFO, "Rikssnitt", "Ingen rikssnittsfil inställd; den publicerade "
                     f"nationella rapporten används ({RIKSSNITT_ENV} eller rikssnitt.xlsx i "
                     "verktygets mapp väljer en fil).")
    try:
        figures = load_rikssnitt(path)
    except (OSError, WorkbookReadError) as exc:
        return Check(FEL, "Rikssnitt", f"{path} kan inte läsas: {exc}")
    return Check(OK, "Rikssnitt", f"{path} (mätperiod {figures.period}).")


KNOWN_FIXES: tuple[tuple[str, str], ...] = (
    ("”Could not activate Python COM server” (hr = -2147221164)",
     "Excel hittar inte Python. Vanligast: Python eller Excel från Microsoft Store, fel "
     "sökväg i INTERPRETER_WIN, eller ett Windows-användarnamn med å/ä/ö. Installera Python "
     "från python.org, kontrollera INTERPRETER_WIN i konfigurationen och kör "
     "indikator-xl diagnos i den miljön."),
    ("”File not found: xlwings64-….dll” (fel 53 eller 48), eller versionsfel",
     "Tilläggets VBA och Python-paketet xlwings har olika versioner, eller DLL:en saknas. "
     "Installera samma version som tillägget (pip install xlwings==VERSION) eller hämta "
     "tillägget som hör till er version. Antivirus kan ha satt DLL:en i karantän."),
    ("Inget händer när man klickar, eller ”Åtkomst nekad” (Microsoft Defender)",
     "Regeln ”Blockera alla Office-program från att skapa underordnade processer” (ASR "
     f"{ASR_RULE}) stoppar cmd.exe som knapparna startar. IT kan göra ett undantag; under "
     "tiden fungerar kommandoraden: indikator-xl berakna FIL."),
    ("”ModuleNotFoundError: No module named 'indikator_xl'”",
     "Tillägget startar en annan Python än den där indikator-xl är installerat. Kör "
     "indikator-xl tillagg installera med den miljöns indikator-xl; det skriver in rätt "
     "Python (INTERPRETER_WIN/INTERPRETER_MAC) i tillägget."),
    ("Filen ligger i OneDrive eller SharePoint",
     "Knapparna kan inte alltid hitta filen på disk. Spara en lokal kopia och öppna den, "
     "eller ställ in ONEDRIVE_COMMERCIAL_WIN i konfigurationen."),
    ("”Microsoft har blockerat makron…” (nedladdad fil, Mark of the Web)",
     "Högerklicka på filen → Egenskaper → Avblockera. Tillägget i XLSTART är en betrodd "
     "plats; registreringsfilen själv behöver inga makron."),
)


def run_checks(workbook: str | Path | None = None, *, platform: str | None = None,
               env: Mapping[str, str] | None = None,
               executable: str | None = None) -> list[Check]:
    """All checks, for this Python and (optionally) one workbook or add-in file."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    executable = executable or sys.executable
    windows = platform.startswith("win")
    version = installed_xlwings()
    checks = [*_python_checks(executable), *_xlwings_checks(),
              _dll_check(executable, version, windows)]
    checks += _addin_checks(windows, env, version)
    if workbook is not None:
        checks += _workbook_checks(Path(workbook), version, windows)
    checks.append(_rikssnitt_check())
    return checks


_MARKS = {OK: "OK     ", VARNING: "VARNING", FEL: "FEL    ", INFO: "INFO   "}


def report_lines(checks: Iterable[Check], with_fixes: bool = True) -> list[str]:
    """The report as text lines (the CLI prints them; the button writes them to a sheet)."""
    lines = [f"{_MARKS[c.status]} {c.subject}: {c.text}" for c in checks]
    if with_fixes:
        lines += ["", "Kända problem och lösningar:"]
        for symptom, fix in KNOWN_FIXES:
            lines += [f"- {symptom}", f"  {fix}"]
    return lines
