"""clean_text throughput on text dumps (MB/s), and ``zhengwen clean`` over a
directory of pages with one worker and with every core."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.eval import full_page_dump
from bench.pages import BenchPage
from cleaners import clean_text

__all__ = ["DirResult", "clean_directory", "copy_pages", "dump_throughput"]

ROOT = Path(__file__).resolve().parent.parent


def dump_throughput(pages: list[BenchPage], rounds: int = 3) -> tuple[float, float, int]:
    """``(MB/s, MB, dumps)`` of clean_text over the full-page dumps of the pages plus
    the fixture dumps, median of ``rounds``."""
    dumps = [full_page_dump(p.html) for p in pages]
    dumps += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "dumps").glob("*.txt"))]
    megabytes = sum(len(d.encode("utf-8")) for d in dumps) / 1e6
    for text in dumps[:3]:
        clean_text(text)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in dumps:
            clean_text(text)
        rates.append(megabytes / (time.perf_counter() - start))
    return statistics.median(rates), megabytes, len(dumps)


@dataclass(frozen=True)
class DirResult:
    pages: int
    jobs: int
    seconds: float

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds


def copy_pages(sources: list[Path], count: int, folder: Path) -> None:
    """``count`` pages into ``folder``, cycling through ``sources``."""
    width = max(4, len(str(count - 1)))
    for i in range(count):
        src = sources[i % len(sources)]
        shutil.copyfile(src, folder / f"{i:0{width}d}{src.suffix if src.suffix != '.htm' else '.html'}")


def _timed(args: list[str], pages: int, jobs: int) -> DirResult:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scraper", *args], cwd=ROOT, check=False,
                   capture_output=True)
    return DirResult(pages, jobs, time.perf_counter() - start)


def clean_directory(page_files: list[Path], count: int = 1000,
                    jobs: tuple[int, ...] = (1, 2)) -> list[DirResult]:
    """Wall time of ``zhengwen clean DIR -j N`` over ``count`` pages (cycled from
    ``page_files``), for each N."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        copy_pages([p for p in page_files if p.suffix in (".html", ".htm", ".shtml")], count,
                    folder)
        return [_timed(["clean", str(folder), "--jobs", str(n), "-o", os.devnull], count, n)
                for n in jobs]
