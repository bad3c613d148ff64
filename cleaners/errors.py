"""Exceptions raised by :mod:`cleaners`.

::

    CleanerError
    ├── DecodeError   bytes that no candidate encoding turns into text (.encodings tried)
    ├── RulesError    a rules file that cannot be loaded (.path, .line, .rule)
    └── InputError    an input that cannot be read or is not HTML/text (.path)

Every message names the input (a path, a URL or "<string>") so that a batch report
can be read without the traceback.
"""

from __future__ import annotations

__all__ = ["CleanerError", "DecodeError", "InputError", "RulesError"]


class CleanerError(Exception):
    """Base class of every error the cleaners raise."""


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
