"""``zhengwen pipeline``: clean web-scale dumps on datatrove.

Kept apart from the rest of the package so that the ``zhengwen`` command loads
without datatrove: the engine is imported when the command runs.
"""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

__all__ = ["pipeline_command"]

_INSTALL_HINT = "zhengwen pipeline needs the scale extra: pip install 'zhengwen[scale]'"


@click.command("pipeline")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Output folder (records, and .logs/ with completion markers and stats).")
@click.option("--tasks", type=click.IntRange(min=1), default=1, show_default=True,
              help="Tasks the input files are split into.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Tasks run at the same time.")
@click.option("--executor", type=click.Choice(["local", "slurm", "ray"]), default="local",
              show_default=True, help="datatrove executor.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), default="jsonl",
              show_default=True, help="Output format (datatrove's JsonlWriter or ParquetWriter).")
@click.option("--dedupe", is_flag=True,
              help="Keep one document per near-duplicate cluster (MinHash, character shingles).")
@click.option("--time-limit", "timeout_s", type=click.FloatRange(min=0.1), default=30.0,
              show_default=True, help="Seconds one document may take to clean.")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Extra rules file (TOML); may be given several times.")
@click.option("--slurm-partition", help="Slurm partition (with --executor slurm).")
@click.option("--slurm-time", default="04:00:00", show_default=True,
              help="Slurm time limit per job (with --executor slurm).")
@click.option("--engine-logs", is_flag=True,
              help="Show datatrove's own log lines (default: OUT/.logs/engine.log).")
def pipeline_command(inputs: tuple[str, ...], output: str, tasks: int, workers: int,
                     executor: str, fmt: str, dedupe: bool, timeout_s: float,
                     rule_files: tuple[str, ...], slurm_partition: str | None, slurm_time: str,
                     engine_logs: bool) -> None:
    """Clean WARC files (Common Crawl's or zhengwen's export), JSONL with an 'html'
    field, and folders of saved pages and text dumps, on datatrove.

    Running the same command again resumes: finished tasks are skipped.
    """
    try:
        from .run import PipelineError, PipelineOptions, run_pipeline
    except ImportError as exc:
        raise click.ClickException(f"{_INSTALL_HINT} ({exc})") from None
    opts = PipelineOptions(inputs=inputs, output=output, tasks=tasks, workers=workers,
                           executor=executor, fmt=fmt, dedupe=dedupe, timeout_s=timeout_s,
                           rule_files=rule_files, slurm_partition=slurm_partition,
                           slurm_time=slurm_time)
    try:
        stats = run_pipeline(opts, engine_logs=engine_logs)
    except (ValueError, PipelineError) as exc:
        raise click.ClickException(str(exc)) from None
    _summary(stats, output)


def _summary(stats: dict[str, float], output: str) -> None:
    table = Table(title=f"zhengwen pipeline → {output}")
    table.add_column("documents")
    table.add_column("count", justify="right")
    for key in ("total", "cleaned", "empty", *sorted(k for k in stats if k.startswith("failed/"))):
        table.add_row(key, f"{int(stats.get(key, 0)):,}")
    Console(stderr=True).print(table)
