"""The one value every check produces and every reporter consumes."""

from __future__ import annotations

from typing import NamedTuple


class Finding(NamedTuple):
    """A problem at a place in a file: 1-based line, 0-based column (flake8's convention)."""

    line: int
    col: int
    code: str
    message: str  # the text after the code, already filled in

    def flake8_text(self) -> str:
        """The message as flake8 expects it from a plugin: code first."""
        return f"{self.code} {self.message}"
