"""Build and run the datatrove executors of ``zhengwen pipeline``.

One stage cleans (readers -> CleanStep -> writer). With ``dedupe`` the cleaned
documents go to a work folder first and four MinHash stages follow; the last one
writes the survivors. Every stage keeps its completion markers under
``OUT/.logs/<stage>``, so running the same command again skips finished tasks: a
killed run resumes where it stopped.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import multiprocess
from datatrove.executor.base import PipelineExecutor
from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter, ParquetWriter
from rich.console import Console
from rich.progress import Progress

from cleaners import Article

from .clean_step import DEFAULT_TIMEOUT_S, CleanStep
from .dedupe import DEFAULT_MINHASH, minhash_stages
from .readers import readers_for

__all__ = ["EXECUTORS", "FORMATS", "PipelineError", "PipelineOptions", "build_executors", "run_pipeline",
           "step_stats"]

EXECUTORS = ("local", "slurm", "ray")
FORMATS = ("jsonl", "parquet")


class PipelineError(Exception):
    """A stage left tasks unfinished; the message names the stage and its logs."""


@dataclass(frozen=True)
class PipelineOptions:
    """What ``zhengwen pipeline`` was asked to do; defaults are the command's."""

    inputs: tuple[str, ...]
    output: str
    tasks: int = 1
    workers: int = 1
    executor: str = "local"
    fmt: str = "jsonl"
    dedupe: bool = False
    timeout_s: float = DEFAULT_TIMEOUT_S
    rule_files: tuple[str, ...] = ()
    slurm_partition: str | None = None
    slurm_time: str = "04:00:00"


def _parquet_adapter(_writer: object, document: Any) -> dict[str, str | None]:
    """Flat string columns: lists and dicts as JSON, so every batch has one schema."""
    row: dict[str, str | None] = {"id": document.id, "text": document.text}
    for key in _metadata_columns():
        value = document.metadata.get(key)
        row[key] = value if value is None or isinstance(value, str) else json.dumps(
            value, ensure_ascii=False)
    return row


def _metadata_columns() -> list[str]:
    names = [f.name for f in fields(Article) if f.name != "text"]
    return [*names, *(n for n in ("script", "file_path", "warc_date") if n not in names)]


def _writer(opts: PipelineOptions, folder: str, fmt: str) -> PipelineStep:
    if fmt == "parquet":
        import pyarrow as pa

        schema = pa.schema([(name, pa.string()) for name in ["id", "text", *_metadata_columns()]])
        return ParquetWriter(folder, adapter=_parquet_adapter, schema=schema)
    return JsonlWriter(folder)


def _executor(opts: PipelineOptions, pipeline: list[PipelineStep], name: str, tasks: int,
              depends: PipelineExecutor | None) -> PipelineExecutor:
    logging_dir = f"{opts.output}/.logs/{name}"
    if opts.executor == "slurm":
        from datatrove.executor.slurm import SlurmPipelineExecutor

        if not opts.slurm_partition:
            raise ValueError("--executor slurm needs --slurm-partition")
        return SlurmPipelineExecutor(pipeline, tasks=tasks, time=opts.slurm_time,
                                     partition=opts.slurm_partition, workers=opts.workers,
                                     job_name=f"zhengwen-{name}", logging_dir=logging_dir,
                                     depends=depends, venv_path=os.environ.get("VIRTUAL_ENV"))
    if opts.executor == "ray":
        from datatrove.executor.ray import RayPipelineExecutor

        return RayPipelineExecutor(pipeline, tasks=tasks, workers=opts.workers,
                                   logging_dir=logging_dir, depends=depends)
    return LocalPipelineExecutor(pipeline, tasks=tasks, workers=min(opts.workers, tasks),
                                 logging_dir=logging_dir, depends=depends)


def build_executors(opts: PipelineOptions) -> list[tuple[str, PipelineExecutor]]:
    """(stage name, executor) in run order. On Slurm and Ray each depends on the one
    before (the scheduler chains them); locally they run one after another."""
    if opts.executor not in EXECUTORS:
        raise ValueError(f"unknown executor {opts.executor!r} (choose from {', '.join(EXECUTORS)})")
    if opts.fmt not in FORMATS:
        raise ValueError(f"unknown format {opts.fmt!r} (choose from {', '.join(FORMATS)})")
    clean = CleanStep(timeout_s=opts.timeout_s, rule_files=opts.rule_files)
    work = f"{opts.output}/.work"
    if not opts.dedupe:
        pipeline = [*readers_for(list(opts.inputs), f"{work}/inputs"), clean,
                    _writer(opts, opts.output, opts.fmt)]
        return [("clean", _executor(opts, pipeline, "clean", opts.tasks, None))]
    signatures, buckets, clusters, keep_one = minhash_stages(f"{work}/minhash")
    stages: list[tuple[str, list[PipelineStep], int]] = [
        ("clean", [*readers_for(list(opts.inputs), f"{work}/inputs"), clean,
                   JsonlWriter(f"{work}/cleaned")],
         opts.tasks),
        ("signatures", [JsonlReader(f"{work}/cleaned"), signatures], opts.tasks),
        ("buckets", [buckets], DEFAULT_MINHASH.num_buckets),
        ("clusters", [clusters], 1),
        ("dedupe", [JsonlReader(f"{work}/cleaned"), keep_one,
                    _writer(opts, opts.output, opts.fmt)], opts.tasks),
    ]
    executors: list[tuple[str, PipelineExecutor]] = []
    for name, pipeline, tasks in stages:
        depends = executors[-1][1] if executors and opts.executor != "local" else None
        executors.append((name, _executor(opts, pipeline, name, tasks, depends)))
    return executors


def step_stats(output: str, stage: str) -> dict[str, dict[str, float]]:
    """A finished stage's stats per step: ``{"<type>: <step name>": {stat: total}}``."""
    path = Path(output) / ".logs" / stage / "stats.json"
    if not path.is_file():
        return {}
    steps = json.loads(path.read_text(encoding="utf-8"))
    return {step["name"]: {key: value.get("total", 0) if isinstance(value, dict) else value
                           for key, value in step.get("stats", {}).items()}
            for step in steps}


@contextmanager
def _engine_logs_to(path: Path) -> Iterator[int]:
    """Send the engine's stderr (loguru, every task process) to ``path``; yield a
    descriptor of the real stderr for our own progress and summary."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with path.open("ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield saved
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _watch(progress: Progress, output: str, stages: Sequence[tuple[str, int]],
           done: threading.Event) -> None:
    bars = {name: progress.add_task(name, total=tasks) for name, tasks in stages}
    while True:
        for name, _ in stages:
            completions = Path(output) / ".logs" / name / "completions"
            count = sum(1 for _ in completions.iterdir()) if completions.is_dir() else 0
            progress.update(bars[name], completed=count)
        if done.wait(0.5):
            return


def run_pipeline(opts: PipelineOptions, *, show_progress: bool = True,
                 engine_logs: bool = False) -> dict[str, float]:
    """Run every stage (skipping finished tasks) and return the cleaning step's stats.

    The engine's own log lines go to ``OUT/.logs/engine.log`` unless ``engine_logs``.
    """
    Path(opts.output).mkdir(parents=True, exist_ok=True)
    redirect = (_engine_logs_to(Path(opts.output) / ".logs" / "engine.log") if not engine_logs
                else _keep_stderr())
    with redirect as stderr_fd:
        executors = build_executors(opts)
        stages = [(name, executor.world_size) for name, executor in executors]
        console = Console(file=os.fdopen(os.dup(stderr_fd), "w"), stderr=True)
        done = threading.Event()
        with Progress(console=console, transient=True, disable=not show_progress) as progress:
            watcher = threading.Thread(target=_watch, args=(progress, opts.output, stages, done),
                                       daemon=True)
            watcher.start()
            try:
                _run_stages(opts, executors)
            finally:
                done.set()
                watcher.join()
        console.file.close()
    steps = step_stats(opts.output, "clean")
    return next((v for k, v in steps.items() if k.endswith(CleanStep.name)), {})


def _preload_task_processes() -> None:
    """Local task processes fork from multiprocess's forkserver: have it import the
    engine and this package once, rather than every worker importing them (about a
    CPU second each) after it starts."""
    multiprocess.get_context("forkserver").set_forkserver_preload(["__main__", __name__])


def _run_stages(opts: PipelineOptions, executors: list[tuple[str, PipelineExecutor]]) -> None:
    if opts.executor != "local":
        executors[-1][1].run()  # the scheduler runs the chain of dependencies
        return
    _preload_task_processes()
    for name, executor in executors:
        try:
            executor.run()
        except Exception as exc:  # a task raised: the others' markers stay for the rerun
            raise PipelineError(f"stage {name!r} failed: {type(exc).__name__}: {exc}; see "
                                f"{opts.output}/.logs/{name}/logs/") from exc
        if unfinished := executor.get_incomplete_ranks():
            raise PipelineError(
                f"stage {name!r}: {len(unfinished)} of {executor.world_size} tasks did not "
                f"finish; see {opts.output}/.logs/{name}/logs/ and run the command again")


@contextmanager
def _keep_stderr() -> Iterator[int]:
    yield 2
