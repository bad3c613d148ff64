"""``python -m scraper`` is the ``zhengwen`` command."""

from .cli import main

main()
