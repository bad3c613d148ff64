"""Logging for the commands: stderr only (stdout carries data), coloured on a
terminal, else one timestamped line per record that no width wraps; an optional log
file gets the same lines."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.logging import RichHandler

__all__ = ["err_console", "logging_options", "setup_logging"]

#: stderr, shared by the log handler and the live progress table so they do not collide.
err_console = Console(stderr=True, soft_wrap=True)
_LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_LEVELS = ("debug", "info", "warning", "error")


def setup_logging(verbose: bool = False, quiet: bool = False, level: str | None = None,
                  log_file: str | None = None) -> None:
    """Logs go to stderr (never stdout, which carries data): coloured on a terminal,
    else one timestamped line per record, never wrapped; ``log_file`` gets the same lines."""
    name = level or ("error" if quiet else "info" if verbose else "warning")
    line = logging.Formatter(_LINE_FORMAT, datefmt="%Y-%m-%dT%H:%M:%S%z")
    handlers: list[logging.Handler]
    if err_console.is_terminal:
        handlers = [RichHandler(console=err_console, show_path=False, log_time_format="%H:%M:%S")]
    else:
        handlers = [logging.StreamHandler(sys.stderr)]
        handlers[0].setFormatter(line)
    if log_file:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
        handlers[-1].setFormatter(line)
    logging.basicConfig(level=name.upper(), handlers=handlers, force=True)
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.root.level))


def logging_options(command: Callable[..., None]) -> Callable[..., None]:
    """``-v``, ``-q``, ``--log-level`` and ``--log-file``; sets logging up before the command."""
    options = [
        click.option("-v", "--verbose", is_flag=True, help="Log every page, not only failures."),
        click.option("-q", "--quiet", is_flag=True, help="Log errors only; no summary table."),
        click.option("--log-level", type=click.Choice(_LEVELS), help="Log level (overrides -v/-q)."),
        click.option("--log-file", type=click.Path(dir_okay=False),
                     help="Also append the log lines to this file."),
    ]

    @functools.wraps(command)
    def run(*args: object, verbose: bool, quiet: bool, log_level: str | None,
            log_file: str | None, **kwargs: object) -> None:
        setup_logging(verbose, quiet, log_level, log_file)
        command(*args, quiet=quiet, **kwargs)

    for option in reversed(options):
        run = option(run)
    return run
