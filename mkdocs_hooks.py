"""mkdocs hooks (``hooks:`` in mkdocs.yml): what the site takes from the rule pages and the package.

- Each generated rule page (docs/rules/SIG*.md) is listed in the nav under the rules index, so a
  new rule needs no edit of mkdocs.yml.
- The JSON Schema of ``flake8-signals confirm --format json`` is served, from the installed
  package's own file (Read the Docs installs the package), at the URL its ``$id`` names: the two
  cannot differ.
"""

from __future__ import annotations

import json
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

RULES_INDEX = "rules/index.md"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    pages = sorted(path.name for path in (Path(config.docs_dir) / "rules").glob("SIG*.md"))
    config.nav = [_with_rule_pages(entry, pages) for entry in config.nav or []]
    return config


def _with_rule_pages(entry: Any, pages: list[str]) -> Any:
    """The nav entry ``{title: rules/index.md}`` becomes a section of the index and every page."""
    if isinstance(entry, dict) and len(entry) == 1:
        ((title, value),) = entry.items()
        if value == RULES_INDEX:
            return {title: [{"All rules": RULES_INDEX}, *({page[:-3]: f"rules/{page}"} for page in pages)]}
        if isinstance(value, list):
            return {title: [_with_rule_pages(child, pages) for child in value]}
    return entry


def on_files(files: Files, config: MkDocsConfig) -> Files:
    schema = package_files("flake8_signals.runtime") / "confirm.schema.json"
    content = schema.read_bytes()
    schema_id = json.loads(content)["$id"]
    site_url = config.site_url or ""
    if not schema_id.startswith(site_url) or schema_id == site_url:
        raise PluginError(f"{schema.name}: $id {schema_id!r} is not a file under site_url {site_url!r}")
    files.append(File.generated(config, schema_id.removeprefix(site_url), content=content))
    return files
