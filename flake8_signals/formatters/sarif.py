"""``--format=sig-sarif``: the flake8 run as one SARIF 2.1.0 log (GitHub code scanning).

The driver is flake8 (the tool that ran); ``tool.driver.rules`` lists every flake8-signals
rule with its documentation (short and full description, help text and markdown, help URI),
whether or not it has findings, then every other code of the run with its id only.
"""

from __future__ import annotations

import os
import re
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..rules import DOCS_BASE_URL, RULES, Rule
from ._common import CollectingFormatter, Result

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
# The key names the scheme (see _common.fingerprint); bump the version if it changes.
FINGERPRINT_KEY = "flake8SignalsLineHash/v1"


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _plain(markdown: str) -> str:
    """Markdown prose as plain text: inline code marks dropped."""
    return re.sub(r"`([^`]*)`", r"\1", markdown)


def help_markdown(rule: Rule) -> str:
    parts = [
        rule.what_it_does,
        "## Why is this bad?",
        rule.why_bad,
        "## Example",
        f"```python\n{rule.example.rstrip()}\n```",
        "## Use instead",
        f"```python\n{rule.use_instead.rstrip()}\n```",
    ]
    if rule.options:
        parts += ["## Options", rule.options]
    if rule.references:
        parts += ["## References", "\n".join(f"- [{title}]({url})" for title, url in rule.references)]
    parts.append(f"[Full documentation of {rule.code}]({rule.docs_url})")
    return "\n\n".join(parts) + "\n"


def help_text(rule: Rule) -> str:
    parts = [
        _plain(rule.what_it_does),
        "Why is this bad?\n" + _plain(rule.why_bad),
        "Example:\n" + rule.example.rstrip(),
        "Use instead:\n" + rule.use_instead.rstrip(),
    ]
    if rule.options:
        parts.append("Options:\n" + _plain(rule.options))
    parts.append(f"Documentation: {rule.docs_url}")
    return "\n\n".join(parts) + "\n"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _plain(rule.what_it_does), "markdown": rule.what_it_does},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "helpUri": rule.docs_url,
        "defaultConfiguration": {
            "enabled": rule.default_enabled,
            "level": "error" if rule.default_enabled else "warning",
        },
        "properties": {"tags": ["flake8-signals", "correctness", "blinker"]},
    }


def _artifact_location(result: Result) -> dict[str, Any]:
    if result.path_is_relative:
        return {"uri": quote(result.path), "uriBaseId": SRCROOT}
    return {"uri": Path(result.path).as_uri()}


def _directory_uri(path: str) -> str:
    uri = Path(os.path.abspath(path)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def sarif_log(results: list[Result], cwd: str | None = None) -> dict[str, Any]:
    cwd = cwd or os.getcwd()
    descriptors = [rule_descriptor(rule) for rule in RULES.values()]
    others = sorted({result.code for result in results} - set(RULES))
    descriptors += [{"id": code} for code in others]
    index = {descriptor["id"]: position for position, descriptor in enumerate(descriptors)}

    sarif_results = []
    for result in results:
        sarif_results.append(
            {
                "ruleId": result.code,
                "ruleIndex": index[result.code],
                "level": result.level,
                "message": {"text": result.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": _artifact_location(result),
                            "region": {
                                "startLine": result.line,
                                "startColumn": result.column,
                                "endLine": result.end_line,
                                "endColumn": result.end_column,
                            },
                        }
                    }
                ],
                "partialFingerprints": {FINGERPRINT_KEY: result.fingerprint},
            }
        )

    driver: dict[str, Any] = {
        "name": "flake8",
        "informationUri": "https://flake8.pycqa.org/",
        "rules": descriptors,
    }
    flake8_version = _version("flake8")
    if flake8_version:
        driver["version"] = flake8_version
    plugin_version = _version("flake8-signals")
    driver["properties"] = {
        "flake8-signals": {
            "version": plugin_version or "unknown",
            "informationUri": DOCS_BASE_URL.removesuffix("rules/"),
        }
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [
                    {"executionSuccessful": True, "workingDirectory": {"uri": _directory_uri(cwd)}}
                ],
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(cwd)}},
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }


class SarifFormatter(CollectingFormatter):
    """flake8 ``--format=sig-sarif``."""

    def render(self, results: list[Result]) -> str:
        import json

        return json.dumps(sarif_log(results), indent=2, ensure_ascii=False)
