"""Progress of a run on stderr: on a terminal, one bar redrawn in place with counts and an
ETA; otherwise a plain line at each tenth of the work (logs stay short and readable)."""

import sys
import threading
import time
from typing import Dict, Optional, TextIO

BAR_WIDTH = 30
REDRAW_SECONDS = 0.1


def eta_text(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return "%dm%02ds" % divmod(seconds, 60) if seconds >= 60 else "%ds" % seconds


class Progress:
    def __init__(self, stream: TextIO = sys.stderr, terminal: Optional[bool] = None) -> None:
        self.stream = stream
        self.terminal = stream.isatty() if terminal is None else terminal
        self.total = 0
        self.finished = 0
        self.statuses: Dict[str, int] = {}
        self._lock = threading.Lock()
        self._started = 0.0
        self._drawn = 0.0
        self._next_tenth = 1

    def start(self, total: int) -> None:
        self.total, self._started = total, time.monotonic()

    def done(self, status: str) -> None:
        """One run finished with status (thread-safe)."""
        with self._lock:
            self.finished += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            now = time.monotonic()
            if self.terminal and (now - self._drawn >= REDRAW_SECONDS
                                  or self.finished == self.total):
                self._drawn = now
                self.stream.write("\r" + self.line(now))
                self.stream.flush()
            elif not self.terminal and self.finished * 10 >= self._next_tenth * self.total:
                self._next_tenth = self.finished * 10 // self.total + 1
                self.stream.write(self.line(now) + "\n")
                self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = now - self._started
        left = (self.total - self.finished) * elapsed / self.finished if self.finished else 0.0
        counts = " ".join("%s %d" % (status, n) for status, n in sorted(self.statuses.items()))
        text = "%*d/%d  %s  ETA %s" % (len(str(self.total)), self.finished, self.total, counts,
                                       eta_text(left))
        if not self.terminal:
            return "progress: " + text
        filled = BAR_WIDTH * self.finished // max(1, self.total)
        return "[%s%s] %s" % ("#" * filled, "." * (BAR_WIDTH - filled), text)

    def finish(self) -> None:
        if self.terminal and self.total:
            self.stream.write("\n")
            self.stream.flush()
