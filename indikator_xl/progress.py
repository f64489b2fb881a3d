"""A one-line progress bar on a terminal (stderr), silent when output is redirected.

No dependency: a carriage return redraws the line, at most every 50 ms and always for
the last step, and `close()` clears it so the summary line stands alone.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24


class ProgressBar:
    """Call with (done, total, name) after each step; draws only on a terminal."""

    def __init__(self, label: str = "Läser filer", stream: TextIO | None = None,
                 columns: int = 79, interval: float = 0.05) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.columns = columns
        self.interval = interval
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last = 0.0
        self._drawn = 0

    def __call__(self, done: int, total: int, name: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < self.interval:
            return
        self._last = now
        filled = WIDTH * done // total if total else WIDTH
        line = f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} {name}"
        line = line[: self.columns]
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def close(self) -> None:
        """Clear the bar's line (nothing happens when nothing was drawn)."""
        if self.enabled and self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0
