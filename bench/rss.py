"""Peak resident memory of a process, from /proc (Linux).

``getrusage().ru_maxrss`` is not used: a child started by fork+exec reports the
parent's high-water mark when that was larger. VmHWM belongs to the process's own
address space, so it starts afresh at exec.
"""

from __future__ import annotations

import threading
from pathlib import Path

__all__ = ["PeakWatcher", "peak_rss_mb"]


def peak_rss_mb(pid: int | str = "self") -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


class PeakWatcher:
    """Polls a child's VmHWM until it exits; ``peak_mb`` is the last reading."""

    def __init__(self, pid: int, interval_s: float = 0.05) -> None:
        self.peak_mb = 0.0
        self._pid, self._interval = pid, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(self._interval):
            value = peak_rss_mb(self._pid)
            if value is None:
                return
            self.peak_mb = max(self.peak_mb, value)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mb
