"""What PyPI shows and what the sdist holds.

The README is the project's PyPI page, where a relative link leads nowhere: it is rendered here
with PyPI's own renderer (readme_renderer) and every link must be absolute, those to the docs
site naming a page that exists.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import readme_renderer.markdown

from flake8_signals.rules import DOCS_BASE_URL, RULES

ROOT = Path(__file__).resolve().parent.parent
DOCS_SITE = DOCS_BASE_URL.removesuffix("rules/")
REPOSITORY = "https://github.com/flake8-signals/flake8-signals"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            elif name == "id" and value is not None:
                self.ids.add(value)


def rendered_links(markdown: str) -> _Links:
    html = readme_renderer.markdown.render(markdown)
    assert html is not None, "readme_renderer[md] is not installed"
    parser = _Links()
    parser.feed(html)
    return parser


def broken_links(markdown: str) -> list[str]:
    """Links that do not work on PyPI: relative ones, and in-page ones to no heading."""
    parsed = rendered_links(markdown)
    broken = []
    for link in parsed.links:
        if link.startswith("#"):
            # PyPI prefixes heading ids with "user-content-"; `#configuration` finds nothing.
            if link[1:] not in parsed.ids:
                broken.append(link)
        elif urlsplit(link).scheme != "https":
            broken.append(link)
    return broken


def docs_page(url: str) -> Path:
    """The docs/ source of a docs-site URL (directory URLs: rules/SIG101/ is rules/SIG101.md)."""
    path = urlsplit(url).path.removeprefix(urlsplit(DOCS_SITE).path).strip("/")
    directory = ROOT / "docs" / path
    return directory / "index.md" if directory.is_dir() else directory.with_suffix(".md")


def test_readme_links_work_on_pypi() -> None:
    assert broken_links((ROOT / "README.md").read_text(encoding="utf-8")) == []


def test_a_relative_link_is_caught() -> None:
    assert broken_links("See [rules](docs/rules/index.md), [ci](/ci/) and [top](#configuration).\n") == [
        "docs/rules/index.md",
        "/ci/",
        "#user-content-configuration",  # PyPI's renderer prefixes fragments as it does heading ids
    ]
    assert broken_links("# Configuration\n\n[up](#configuration)\n") == []


def test_readme_links_to_the_project_reach_real_pages() -> None:
    links = rendered_links((ROOT / "README.md").read_text(encoding="utf-8")).links
    site = [link for link in links if link.startswith(DOCS_SITE)]
    assert {rule.docs_url for rule in RULES.values()} <= set(site), "the rules table links each rule's page"
    missing = [link for link in site if not docs_page(link).is_file()]
    assert missing == []
    repository = [link for link in links if link.startswith(REPOSITORY)]
    for link in repository:
        path = link.removeprefix(REPOSITORY).removeprefix("/tree/main/").removeprefix("/blob/main/")
        assert path and (ROOT / path).exists(), link


@pytest.mark.parametrize(
    ("url", "page"),
    [
        (DOCS_SITE, "index.md"),
        (f"{DOCS_SITE}rules/", "rules/index.md"),
        (f"{DOCS_SITE}rules/SIG101/", "rules/SIG101.md"),
        (f"{DOCS_SITE}pre-commit/", "pre-commit.md"),
    ],
)
def test_docs_site_urls_map_to_their_source(url: str, page: str) -> None:
    assert docs_page(url) == ROOT / "docs" / page
