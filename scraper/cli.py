"""The ``zhengwen`` command: one group, a subcommand per job."""

from __future__ import annotations

import sys

import click

from cleaners import CleanerError
from cleaners.cli import clean_command

from .errors import ScraperError
from .sources import load_sources

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zhengwen")
def cli() -> None:
    """zhengwen: crawl Chinese government and news sites and clean their articles."""


cli.add_command(clean_command)


@cli.group("sources")
def sources_group() -> None:
    """Work with sources files."""


@sources_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def sources_check(file: str) -> None:
    """Validate a sources FILE; every mistake is named with its line."""
    sources = load_sources(file)
    click.echo(f"{file}: {len(sources)} sources OK "
               f"({', '.join(s.id for s in sources)})")


def main() -> None:
    """Console entry point: the single error boundary of the CLI."""
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (CleanerError, ScraperError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except SystemExit:
        raise
