"""``--format=sig-codeclimate``: a GitLab Code Quality report (a JSON array of issues).

GitLab reads the subset of the Code Climate issue format it documents: ``description``,
``check_name``, ``fingerprint``, ``severity`` and ``location.path`` with ``location.lines.begin``.
The other fields written here (``type``, ``categories``, ``lines.end``) belong to the Code
Climate spec and are ignored by GitLab.
"""

from __future__ import annotations

import json
from typing import Any

from ._common import CollectingFormatter, Result

# GitLab severities: info, minor, major, critical, blocker.
SEVERITY = {"error": "major", "warning": "minor"}


def _categories(result: Result) -> list[str]:
    if result.rule is not None or result.level == "error":
        return ["Bug Risk"]
    return ["Style"]


def codeclimate_issues(results: list[Result]) -> list[dict[str, Any]]:
    issues = []
    for result in results:
        description = f"{result.code} {result.message}"
        if result.rule is not None:
            description += f" ({result.rule.docs_url})"
        issues.append(
            {
                "type": "issue",
                "check_name": result.code,
                "description": description,
                "categories": _categories(result),
                "fingerprint": result.fingerprint,
                "severity": SEVERITY[result.level],
                "location": {
                    "path": result.path,
                    "lines": {"begin": result.line, "end": result.end_line},
                },
            }
        )
    return issues


class CodeClimateFormatter(CollectingFormatter):
    """flake8 ``--format=sig-codeclimate``."""

    def render(self, results: list[Result]) -> str:
        return json.dumps(codeclimate_issues(results), indent=2, ensure_ascii=False)
