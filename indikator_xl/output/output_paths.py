"""The rule every command's outputs follow, checked before any work is done.

A command declares the files it reads and the files it will write (`Output`) and calls
`check_outputs` once; a refusal is `OutputPathError` (exit 2) with a Swedish line. The
rule: an output has the right suffix, its folder exists and can be written to, it is not
a symbolic link, folder, FIFO or device, and it is neither the same file (path, link or
hard link) as any input nor the same file as another output of the run.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from indikator_xl.domain.errors import OutputPathError

XLSX = (".xlsx",)
CSV = (".csv",)
DOCX = (".docx",)


@dataclass(frozen=True)
class Output:
    """A file a command will write: its path, the option that named it (`-o`,
    `--export` …; shown in messages) and the suffixes it may have."""

    path: Path
    option: str
    suffixes: tuple[str, ...] = XLSX

    @classmethod
    def of(cls, path: str | Path, option: str, suffixes: tuple[str, ...] = XLSX) -> Output:
        return cls(Path(path), option, suffixes)


def check_outputs(inputs: Iterable[str | Path], outputs: Sequence[Output]) -> None:
    """Raise `OutputPathError` unless every output may be written (see the module)."""
    read = [(Path(p), _identity(Path(p))) for p in inputs]
    written: list[tuple[Output, tuple]] = []
    for out in outputs:
        _check_one(out)
        ident = _identity(out.path)
        for path, other in read:
            if ident == other:
                raise OutputPathError(
                    f"{out.option} {out.path} är samma fil som {path}, som läses; "
                    "indata skrivs aldrig över. Välj ett annat namn.")
        for earlier, other in written:
            if ident == other:
                raise OutputPathError(
                    f"{out.option} och {earlier.option} är samma fil ({out.path}); välj "
                    "olika namn.")
        written.append((out, ident))


def _check_one(out: Output) -> None:
    path = out.path
    wanted = " eller ".join(out.suffixes)
    if path.suffix.lower() not in out.suffixes:
        raise OutputPathError(f"{out.option} {path}: filen ska sluta på {wanted}.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputPathError(f"{out.option} {path}: mappen {folder} finns inte.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"{out.option} {path}: mappen {folder} går inte att skriva i.")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputPathError(
            f"{out.option} {path}: filen kan inte nås ({exc.strerror}).") from None
    if stat.S_ISLNK(st.st_mode):
        raise OutputPathError(f"{out.option} {path} är en symbolisk länk; ange en vanlig "
                              "fil (länken ersätts inte).")
    if stat.S_ISDIR(st.st_mode):
        raise OutputPathError(f"{out.option} {path} är en mapp, inte en fil.")
    if not stat.S_ISREG(st.st_mode):
        raise OutputPathError(f"{out.option} {path} är ingen vanlig fil (t.ex. en FIFO eller "
                              "en enhet) och skrivs inte.")


def _identity(path: Path) -> tuple:
    """What makes two paths one file: device and inode when it exists (so links and
    hard links match), else the folder's identity and the name."""
    try:
        st = os.stat(path)
        return ("inode", st.st_dev, st.st_ino)
    except OSError:
        pass
    folder = path.parent if str(path.parent) else Path(".")
    try:
        st = os.stat(folder)
        where: tuple = ("inode", st.st_dev, st.st_ino)
    except OSError:
        where = ("path", os.path.normcase(os.path.realpath(folder)))
    return (*where, os.path.normcase(path.name))

