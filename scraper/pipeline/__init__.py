"""Cleaning at scale on datatrove: readers that keep raw bytes and HTTP headers, a
cleaning step run under a time limit in crash isolation, MinHash near-duplicate
removal over character shingles, and the executors that run them.

Needs the ``scale`` extra (``pip install 'zhengwen[scale]'``); nothing else in the
project imports it unless asked. The names below load on first use, so the
``zhengwen`` command starts without datatrove installed.
"""

from importlib import import_module

_HOMES = {
    "CleanStep": "clean_step", "CharShingleTokenizer": "dedupe", "minhash_stages": "dedupe",
    "FolderReader": "readers", "HtmlJsonlReader": "readers", "RawWarcReader": "readers",
    "readers_for": "readers", "PipelineError": "run", "PipelineOptions": "run",
    "build_executors": "run", "run_pipeline": "run",
}

__all__ = [
    "CharShingleTokenizer",
    "CleanStep",
    "FolderReader",
    "HtmlJsonlReader",
    "PipelineError",
    "PipelineOptions",
    "RawWarcReader",
    "build_executors",
    "minhash_stages",
    "readers_for",
    "run_pipeline",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
