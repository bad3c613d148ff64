"""Exceptions raised by :mod:`cleaners`.

::

    CleanerError
    ├── DecodeError   bytes that no candidate encoding turns into text (.encodings tried)
    ├── RulesError    a rules file that cannot be loaded (.path, .line, .rule)
    ├── InputError    an input that cannot be read or is not HTML/text (.path)
    ├── ExtractionError    a document the cleaners could not clean (.source, .reason)
    ├── CleanTimeoutError  a document over its time limit in a worker (.source, .limit_s)
    └── WorkerCrashError   the worker cleaning a document died (.source)

Every message names the input (a path, a URL or "<string>") so that a batch report
can be read without the traceback. The errors pickle with their attributes, so a
worker process can raise them to its parent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["CleanTimeoutError", "CleanerError", "DecodeError", "ExtractionError", "InputError",
           "RulesError", "WorkerCrashError", "typed_failures"]

P = ParamSpec("P")
R = TypeVar("R")


class CleanerError(Exception):
    """Base class of every error the cleaners raise."""

    def __reduce__(self) -> tuple[object, ...]:
        # Subclasses take keyword attributes, not the message: rebuild from __dict__.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[CleanerError], args: tuple[object, ...],
             state: dict[str, object]) -> CleanerError:
    error = Exception.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class DecodeError(CleanerError):
    """The bytes could not be decoded with any candidate encoding."""

    def __init__(self, source: str, encodings: list[str], reason: str = "") -> None:
        self.source = source
        self.encodings = list(encodings)
        tried = ", ".join(self.encodings) or "none"
        detail = f": {reason}" if reason else ""
        super().__init__(f"{source}: cannot decode (tried {tried}){detail}")


class RulesError(CleanerError):
    """A rules file is malformed; names the file, the line and the rule."""

    def __init__(self, path: str, message: str, *, line: int | None = None,
                 rule: str | None = None) -> None:
        self.path = path
        self.line = line
        self.rule = rule
        where = f"{path}:{line}" if line else path
        who = f" rule {rule!r}:" if rule else ""
        super().__init__(f"{where}:{who} {message}")


class InputError(CleanerError):
    """An input file cannot be read, or is of a type the cleaners do not handle."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class ExtractionError(CleanerError):
    """A document the cleaners could not clean: a hostile shape they refuse (nesting
    too deep to parse in time) or a failure inside a stage."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: cannot clean: {reason}")


def typed_failures(func: Callable[P, R]) -> Callable[P, R]:
    """The error boundary of a cleaning function ``f(document, url=None, ...)``: an
    exception outside the tree becomes :class:`ExtractionError` naming the input
    (its URL, else "<string>" or "<bytes>"), so a batch can record it and go on.
    A document of the wrong type stays a TypeError: that is a caller's mistake."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CleanerError:
            raise
        except Exception as exc:
            document = args[0] if args else kwargs.get("html", kwargs.get("text"))
            if not isinstance(document, (str, bytes)):
                raise
            url = args[1] if len(args) > 1 else kwargs.get("url")
            source = str(url) if url else ("<bytes>" if isinstance(document, bytes)
                                           else "<string>")
            raise ExtractionError(source, f"{type(exc).__name__}: {exc}") from exc

    return wrapper


class CleanTimeoutError(CleanerError):
    """Cleaning one document took longer than its time limit; its worker was stopped."""

    def __init__(self, source: str, limit_s: float) -> None:
        self.source = source
        self.limit_s = limit_s
        super().__init__(f"{source}: cleaning took longer than {limit_s:g} s and was stopped")


class WorkerCrashError(CleanerError):
    """The worker process cleaning a document died or failed outside the cleaners."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        super().__init__(f"{source}: the cleaning worker failed ({reason})")
