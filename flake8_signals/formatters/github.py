"""``--format=sig-github``: GitHub Actions workflow commands, one line a finding.

``::error file=pkg/mod.py,line=9,col=5,title=SIG101 weakly-connected-local-function::…``
GitHub turns each line into an annotation on the pull request. Escaping follows
``@actions/core``: the message escapes ``%``, CR and LF; property values also ``:`` and ``,``.
Lines are written as findings arrive; ``--statistics`` and ``--show-source`` add plain log
lines, which GitHub shows and ignores.
"""

from __future__ import annotations

from flake8.formatting.base import BaseFormatter
from flake8.violation import Violation

from ._common import Sources, level, report_path, rule_for


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, *, file: str, line: int, col: int, title: str) -> str:
    properties = {"file": file, "line": str(line), "col": str(col), "title": title}
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{command} {rendered}::{escape_data(message)}"


class GitHubFormatter(BaseFormatter):
    """flake8 ``--format=sig-github``."""

    def after_init(self) -> None:
        self._sources = Sources()

    def format(self, error: Violation) -> str | None:
        rule = rule_for(error.code)
        title = f"{error.code} {rule.name}" if rule is not None else error.code
        message = f"{error.code} {error.text}"
        if rule is not None:
            message += f"\n\nSee {rule.docs_url}"
        path, _ = report_path(error.filename)
        line = max(error.line_number, 1)
        text = self._sources.line(error.filename, line, error.physical_line)
        column, _, _ = self._sources.region(error.filename, line, max(error.column_number, 1), text)
        return workflow_command(level(error.code), message, file=path, line=line, col=column, title=title)
