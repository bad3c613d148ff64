"""Cleaning at scale: ``zhengwen clean --jobs N`` against ``zhengwen pipeline
--workers N`` (datatrove's local executor) on the same pages.

Both commands run in a process tree of their own under :mod:`bench.proctree`, so the
CPU of every worker counts. Each is also run on one page, which gives its start-up
time. Their records are compared page by page. The datatrove step's own cost per page
is its time per document (from the stage's stats.json: the sandbox round trip,
cleaning included) minus ``clean_html`` alone in one warm process on the same pages.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.proctree import TreeRun, run_tree
from bench.throughput import copy_pages
from cleaners import clean_html

__all__ = ["ScaleResult", "ScaleRun", "bare_clean_ms", "load_average", "scale_runs"]

ROOT = Path(__file__).resolve().parent.parent
#: Tasks per worker for the pipeline, so a slow task does not leave a worker idle.
TASKS_PER_WORKER = 4


@dataclass
class ScaleRun:
    """One command over the pages: wall and CPU time, start-up, and what came out."""

    command: str
    workers: int
    pages: int
    seconds: float
    cpu_s: float
    startup_s: float  # the same command on one page: wall and CPU seconds
    startup_cpu_s: float
    records: int
    failed: Counter[str]
    empty: int = 0
    step_ms: float | None = None  # the pipeline's clean step, per document
    writer_ms: float | None = None
    whole_tree: bool = True
    load: str = ""  # load averages when the run started
    texts: dict[str, str] = field(default_factory=dict, repr=False)  # file name -> sha1

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds

    @property
    def steady_pages_per_s(self) -> float | None:
        """Pages/s once started: the one-page run's wall time taken off; None when
        start-up is half the run or more (too little left to measure)."""
        steady = self.seconds - self.startup_s
        return self.pages / steady if steady > self.startup_s else None

    @property
    def cpu_ms_per_page(self) -> float:
        """CPU per page once started: the one-page run's CPU taken off."""
        return (self.cpu_s - self.startup_cpu_s) / self.pages * 1000


@dataclass
class ScaleResult:
    pages: int
    distinct: int
    runs: list[ScaleRun]
    bare_ms: tuple[float, float]  # clean_html alone per page of the same mix: before, after
    same_text: int  # pages whose text is identical in every run
    load: tuple[str, str]  # load averages before and after


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


_EMPTY = _sha1("")


def _clean(folder: Path, workers: int, tmp: Path, pages: int, startup: TreeRun) -> ScaleRun:
    out = tmp / f"clean-{workers}.jsonl"
    tree = run_tree([sys.executable, "-m", "scraper", "clean", str(folder), "--jobs",
                     str(workers), "-o", str(out)], cwd=ROOT, log=tmp / "log.txt")
    texts = {}
    with out.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            texts[Path(row["path"]).name] = _sha1(row["text"])
    out.unlink()
    failed = Counter(line.split(":", 2)[-1].strip()[:60] for line in tree.output.splitlines()
                     if line.startswith("Error:"))
    return ScaleRun(f"zhengwen clean --jobs {workers}", workers, pages, tree.seconds,
                    tree.cpu_s, startup.seconds, startup.cpu_s, len(texts), failed,
                    empty=sum(1 for t in texts.values() if t == _EMPTY),
                    whole_tree=tree.whole_tree, texts=texts)


def _pipeline_args(folder: Path, out: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "scraper", "pipeline", str(folder), "-o", str(out),
            "--tasks", str(TASKS_PER_WORKER * workers), "--workers", str(workers)]


def _step(steps: list[dict], marker: str) -> dict:
    return next((s for s in steps if marker in s["name"]), {"stats": {}, "time_stats": {}})


def _per_doc_ms(step: dict) -> float | None:
    total = step["stats"].get("total")
    time_stats = step.get("time_stats") or {}
    if not total or not isinstance(time_stats, dict):
        return None
    return time_stats["total"] / total * 1000


def _pipeline(folder: Path, workers: int, tmp: Path, pages: int, startup: TreeRun) -> ScaleRun:
    out = tmp / f"pipeline-{workers}"
    tree = run_tree(_pipeline_args(folder, out, workers), cwd=ROOT, log=tmp / "log.txt")
    texts = {}
    for path in sorted(out.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                texts[Path(row["id"]).name] = _sha1(row["text"])
    steps = json.loads((out / ".logs" / "clean" / "stats.json").read_text(encoding="utf-8"))
    clean, writer = _step(steps, "zhengwen clean"), _step(steps, "WRITER")
    failed = Counter({k.removeprefix("failed/"): int(v) for k, v in clean["stats"].items()
                      if k.startswith("failed/")})
    if tree.returncode:
        failed["command failed"] += 1
    shutil.rmtree(out, ignore_errors=True)
    return ScaleRun(f"zhengwen pipeline --workers {workers} --tasks "
                    f"{TASKS_PER_WORKER * workers}", workers, pages, tree.seconds, tree.cpu_s,
                    startup.seconds, startup.cpu_s, len(texts), failed,
                    empty=int(clean["stats"].get("empty", 0)),
                    step_ms=_per_doc_ms(clean), writer_ms=_per_doc_ms(writer),
                    whole_tree=tree.whole_tree, texts=texts)


def _startup(one: Path, workers: int, tmp: Path) -> tuple[TreeRun, TreeRun]:
    """Each command on a one-page folder: (clean, pipeline)."""
    clean = run_tree([sys.executable, "-m", "scraper", "clean", str(one), "--jobs",
                      str(workers), "-o", str(tmp / "one.jsonl")], cwd=ROOT, log=tmp / "log.txt")
    out = tmp / "one-pipeline"
    pipeline = run_tree(_pipeline_args(one, out, workers), cwd=ROOT, log=tmp / "log.txt")
    shutil.rmtree(out, ignore_errors=True)
    return clean, pipeline


def bare_clean_ms(files: list[Path], count: int, rounds: int = 3) -> float:
    """Mean ms per page of ``clean_html`` alone over ``count`` pages cycled from
    ``files``: each distinct page timed ``rounds`` times in this warm process (after an
    untimed pass), its median weighted by how often the cycle repeats it."""
    data = [f.read_bytes() for f in files]
    for body in data:
        clean_html(body)
    total = 0.0
    for index, body in enumerate(data):
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            clean_html(body)
            times.append(time.perf_counter() - start)
        repeats = count // len(data) + (1 if index < count % len(data) else 0)
        total += statistics.median(times) * repeats
    return total / count * 1000


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    return ", ".join(Path("/proc/loadavg").read_text().split()[:3])


def scale_runs(page_files: list[Path], count: int = 10_000,
               workers: tuple[int, ...] = (1, 2)) -> ScaleResult:
    """Both commands over the same ``count`` pages (cycled from ``page_files``) with
    each number of workers, plus ``clean_html`` alone on the same mix before and after."""
    files = [p for p in page_files if p.suffix in (".html", ".htm", ".shtml")]
    used = files[:count]
    before = load_average()
    bare_before = bare_clean_ms(used, count)
    runs: list[ScaleRun] = []
    with tempfile.TemporaryDirectory(prefix="zhengwen-scale-") as name:
        tmp = Path(name)
        folder, one = tmp / "pages", tmp / "one"
        folder.mkdir()
        one.mkdir()
        copy_pages(files, count, folder)
        copy_pages(files, 1, one)
        for n in workers:
            clean_startup, pipeline_startup = _startup(one, n, tmp)
            for measure, startup in ((_clean, clean_startup), (_pipeline, pipeline_startup)):
                load = load_average()
                runs.append(measure(folder, n, tmp, count, startup))
                runs[-1].load = load
    bare = (bare_before, bare_clean_ms(used, count))
    after = load_average()
    reference = runs[0].texts
    # The pipeline drops a page with no article text (its stats count it as empty).
    same = sum(1 for name, digest in reference.items()
               if all(run.texts.get(name, _EMPTY) == digest for run in runs[1:]))
    return ScaleResult(count, len(used), runs, bare, same, (before, after))
