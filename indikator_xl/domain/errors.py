"""Every error the tool reports to a user, with its Swedish message and exit code.

Raise these anywhere; the command line maps them to a line and an exit code in one place
(`cli.run`), the Excel buttons show the message. The codes are in `exit_codes`.
"""

from __future__ import annotations

import errno
from pathlib import Path

from indikator_xl.domain.exit_codes import EXIT_UNREADABLE

# Not every platform names every code (Windows: no EDQUOT).
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM, errno.EBUSY, getattr(errno, "ETXTBSY", errno.EBUSY)}


class IndikatorError(Exception):
    """A failure the user can act on: `str(error)` is the Swedish message."""

    exit_code: int = EXIT_UNREADABLE


class WorkbookReadError(IndikatorError):
    """A file cannot be read as the workbook it must be."""


class OutputPathError(IndikatorError):
    """An output path is refused before any work is done (see `output_paths`)."""


class WriteError(IndikatorError):
    """An output could not be written: disk full, too large, denied or locked."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every cleanup runs (see `cli.run`)."""


def write_error(path: str | Path, exc: OSError) -> WriteError:
    """The error for an OSError met while writing `path` (the user's name, never a
    temporary file's)."""
    name = Path(path)
    code = exc.errno
    if code in _DISK_FULL:
        why = "disken är full. Frigör utrymme och försök igen"
    elif code == errno.EFBIG:
        why = "filen blir större än vad som får skrivas här"
    elif code in _DENIED:
        program = "Word" if name.suffix.lower() == ".docx" else "Excel"
        why = (f"åtkomst nekad. Är filen öppen i {program}? Stäng den, eller välj ett annat "
               "namn, och försök igen")
    elif code == errno.EROFS:
        why = "platsen är skrivskyddad"
    else:
        why = (exc.strerror or type(exc).__name__).rstrip(".")
    return WriteError(f"Filen {name} kunde inte skrivas: {why}.")
