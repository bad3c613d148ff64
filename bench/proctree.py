"""Run a command and measure its whole process tree: wall time, and the CPU time of
every process it started, pool workers and forkservers included.

``getrusage(RUSAGE_CHILDREN)`` counts only the descendants someone waited for. A
forkserver (pebble's, datatrove's executor pool) outlives the command and nobody
waits for it, so the CPU of every worker it forked would be lost. Run as
``python -m bench.proctree LOG -- CMD...``, this module makes itself the child
subreaper (Linux), so those orphans come to it and are waited for; it prints one JSON
line (``seconds``, ``cpu_s``, ``returncode``, ``whole_tree``) and sends the command's
output to LOG.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TreeRun", "run_tree"]

_PR_SET_CHILD_SUBREAPER = 36
#: How long orphans may take to exit after the command did.
_REAP_S = 60.0


@dataclass(frozen=True)
class TreeRun:
    seconds: float  # the command's wall time
    cpu_s: float  # user + system CPU of the command and all its descendants
    returncode: int
    whole_tree: bool  # False: no subreaper, orphans' CPU is missing
    output: str  # the command's stdout and stderr


def run_tree(args: list[str], *, cwd: Path, log: Path) -> TreeRun:
    """Run ``args`` under this module and return what it measured."""
    done = subprocess.run([sys.executable, "-m", "bench.proctree", str(log), "--", *args],
                          cwd=cwd, check=True, capture_output=True, text=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return TreeRun(output=log.read_text(encoding="utf-8", errors="replace"), **data)


def _become_subreaper() -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_orphans(deadline: float) -> bool:
    """Wait for every remaining descendant; False if some outlive the deadline."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        if pid == 0:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)


def main(argv: list[str]) -> int:
    log, separator, *command = argv
    if separator != "--" or not command:
        raise SystemExit("usage: python -m bench.proctree LOG -- CMD...")
    whole_tree = _become_subreaper()
    with open(log, "wb") as out:
        start = time.perf_counter()
        returncode = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT,
                                    check=False).returncode
        seconds = time.perf_counter() - start
    whole_tree = _reap_orphans(time.monotonic() + _REAP_S) and whole_tree
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "cpu_s": usage.ru_utime + usage.ru_stime,
                      "returncode": returncode, "whole_tree": whole_tree}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
