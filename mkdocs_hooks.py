"""mkdocs hooks (``hooks:`` in mkdocs.yml): what the site takes from the rule pages and the package.

- Each generated rule page (docs/rules/SIG*.md) and library page (docs/libraries/*.md) is listed
  in the nav under its index, so a new rule or library needs no edit of mkdocs.yml.
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

# Generated sections: the nav entry naming the index, and the index's pages (nav titles: a rule
# page is listed by its code, a library page by its own title).
SECTIONS = {"rules/index.md": ("SIG*.md", True), "libraries/index.md": ("*.md", False)}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.nav = [_expanded(entry, Path(config.docs_dir)) for entry in config.nav or []]
    return config


def _expanded(entry: Any, docs: Path) -> Any:
    """A nav entry ``{title: <section>/index.md}`` becomes a section of the index and its pages."""
    if isinstance(entry, dict) and len(entry) == 1:
        ((title, value),) = entry.items()
        if isinstance(value, str) and value in SECTIONS:
            pattern, by_code = SECTIONS[value]
            directory = value.rsplit("/", 1)[0]
            paths = sorted(
                f"{directory}/{page.name}"
                for page in (docs / directory).glob(pattern)
                if page.name != "index.md"
            )
            pages = [{Path(path).stem: path} if by_code else path for path in paths]
            return {title: [{f"All {title.lower()}": value}, *pages]}
        if isinstance(value, list):
            return {title: [_expanded(child, docs) for child in value]}
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
