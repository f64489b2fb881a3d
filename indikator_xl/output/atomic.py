"""One way to write a file: beside it under a temporary name, then replace it in one step.

Every file the tool writes goes through `atomic_write`, so a reader (or Excel) sees either
the old file or the whole new one, never half of one: not after a full disk, not after
Ctrl-C or SIGTERM (`cli.run` turns SIGTERM into an exception so that cleanup runs).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indikator_xl.domain.errors import write_error

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


@contextmanager
def atomic_write(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path in `path`'s folder to write the whole file to; on success
    it replaces `path`. On any other way out the temporary file is removed.

    The temporary name starts with a dot (a hidden file, never taken for a submission)
    and ends with `path`'s suffix. The new file gets the mode a newly created file gets
    (0666 less the umask), not a temporary file's 0600. An OSError while writing or
    replacing becomes `WriteError` naming `path`.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    # The name is recorded before the file is made, so that a signal at any point (even
    # on another thread, which no signal mask would stop) finds it in the cleanup.
    made: list[Path] = []
    try:
        _create_temporary(folder, path, made)
        yield made[-1]
        os.chmod(made[-1], 0o666 & ~_umask())
        os.replace(made[-1], path)
    except OSError as exc:
        raise write_error(path, exc) from None
    finally:
        for tmp in made:
            tmp.unlink(missing_ok=True)


def _create_temporary(folder: Path, path: Path, made: list[Path]) -> None:
    """Create a new empty file with a random hidden name in `folder`; appended to `made`
    before it exists (a name someone else already uses is taken back)."""
    while True:
        tmp = folder / f".{path.stem}.{secrets.token_hex(6)}{path.suffix}"
        made.append(tmp)
        try:
            fd = os.open(tmp, _CREATE, 0o600)
        except FileExistsError:
            made.pop()
            continue
        os.close(fd)
        return


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
