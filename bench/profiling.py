"""Where the time goes: CPU time per stage from a cProfile run (process time, so
waiting on sockets does not count), as milliseconds per page."""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable, Sequence

__all__ = ["CLEAN_STAGES", "profile_stages"]

# (label, file name, function): the function's cumulative time stands for the stage.
CLEAN_STAGES = (
    ("decode (bytes -> text)", "decode.py", "decode_bytes"),
    ("parse + metadata tags", "metadata.py", "meta_fields"),
    ("prune (drop rules)", "prune.py", "prune_tree"),
    ("locate the content block", "locate.py", "locate_content"),
    ("extract (trafilatura on the block)", "extract.py", "extract_lines"),
    ("page lines for metadata", "blocks.py", "block_lines"),
    ("line pass (field/drop rules)", "lines.py", "clean_lines"),
    ("language", "lang.py", "detect_language"),
)


def profile_stages(run: Callable[[], int], stages: Sequence[tuple[str, str, str]]
                   ) -> list[tuple[str, float]]:
    """Run ``run`` (it returns the page count) under cProfile; CPU ms per page by stage,
    then the whole run's CPU ms per page."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    pages = run()
    profiler.disable()
    table = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for label, filename, func in stages:
        cumulative = sum(v[3] for (f, _, name), v in table.items()
                         if f.endswith(f"/{filename}") and name == func)
        rows.append((label, 1000 * cumulative / max(pages, 1)))
    total = sum(v[2] for v in table.values())
    rows.append(("all (CPU per page)", 1000 * total / max(pages, 1)))
    return rows
