"""The docs site as a reader sees it: laid out by a real browser (headless Chromium).

The theme wraps tables in a sideways-scrolling box with its JavaScript and keeps every cell on
one line with its CSS, so whether the rules table fits is only known after a browser has run both:
the built page gets a script that waits for the theme, measures, and writes the layout facts
into the DOM, which ``chromium --dump-dom`` prints. Without Chromium the tests skip, unless
FLAKE8_SIGNALS_REQUIRE_TOOLS is set (as .ci/run does), where they fail.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from flake8_signals.rules import RULES
from tests.support import ROOT, tool_missing

# A real browser lays out the built site: the slow part of the docs checks.
pytestmark = pytest.mark.slow


WIDTHS = (1280, 1920)
# Measured once the theme's own scripts (jQuery ready handlers, some deferred) have run.
MEASURE = """
<script>
window.addEventListener("load", function () {
  setTimeout(function () {
    document.fonts.ready.then(function () {
      function box(el) {
        var r = el.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
      }
      var tables = Array.from(document.querySelectorAll(".rst-content table"));
      var facts = {
        viewport: window.innerWidth,
        themeReady: document.querySelectorAll(".wy-menu-vertical button.toctree-expand").length > 0,
        content: box(document.querySelector(".rst-content")),
        tables: tables.map(function (table) {
          // The theme's CSS makes the table itself a scrolling block, its JS wraps it in another.
          var scrollers = [table, table.closest(".wy-table-responsive") || table.parentElement];
          return {
            box: box(table),
            hiddenWidth: Math.max.apply(null, scrollers.map(function (el) {
              return el.scrollWidth - el.clientWidth;
            })),
            lastColumn: Array.from(table.querySelectorAll("tr > :last-child")).map(function (cell) {
              return {text: cell.textContent.trim(), box: box(cell)};
            }),
          };
        }),
        sidebar: box(document.querySelector(".wy-nav-side")),
        nav: Array.from(document.querySelectorAll(".wy-menu-vertical a")).map(function (a) {
          return {href: a.getAttribute("href"), url: a.href, text: a.textContent.trim(), box: box(a)};
        }),
      };
      var out = document.createElement("pre");
      out.id = "layout-facts";
      out.textContent = JSON.stringify(facts);
      document.body.appendChild(out);
    });
  }, 500);
});
</script>
"""


@pytest.fixture(scope="module")
def browser() -> str:
    for candidate in (
        os.environ.get("FLAKE8_SIGNALS_CHROMIUM"),
        "chromium",
        "chromium-browser",
        "google-chrome",
    ):
        found = candidate and shutil.which(candidate)
        if found:
            return found
    tool_missing("headless Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def site(browser: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site; asks for the browser first, so that a skip builds nothing."""
    site = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return site


def measure(browser: str, site: Path, page: str, width: int) -> dict:
    """What Chromium measured on ``page`` (a path under the site) in a window ``width`` px wide."""
    source = site / page / "index.html"
    probed = source.with_name("index.probed.html")
    probed.write_text(
        source.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8"
    )
    profile = site.parent / f"{site.name}-profile-{width}-{page.replace('/', '-')}"
    proc = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--window-size={width},900",
            "--virtual-time-budget=10000",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    match = re.search(r'<pre id="layout-facts">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert match, f"Chromium exited {proc.returncode} without measuring {page}:\n{proc.stderr[-3000:]}"
    facts = json.loads(html.unescape(match.group(1)))
    assert facts["viewport"] == width
    assert facts["themeReady"], "measured before the theme's scripts ran"
    return facts


@pytest.fixture(scope="module")
def layout(browser: str, site: Path) -> Callable[[str, int], dict]:
    """measure(), once per page and width."""
    cache: dict[tuple[str, int], dict] = {}

    def facts(page: str, width: int) -> dict:
        if (page, width) not in cache:
            cache[page, width] = measure(browser, site, page, width)
        return cache[page, width]

    return facts


def outside(inner: dict, outer: dict) -> bool:
    return inner["left"] < outer["left"] - 0.5 or inner["right"] > outer["right"] + 0.5


def tables_out_of_sight(facts: dict) -> list[str]:
    """Tables, or cells of their last column, not wholly inside the content column."""
    problems = []
    for number, table in enumerate(facts["tables"], start=1):
        if outside(table["box"], facts["content"]):
            problems.append(f"table {number} is wider than the content column")
        if table["hiddenWidth"] > 0:
            problems.append(f"table {number} hides {table['hiddenWidth']} px behind a scrollbar")
        problems += [
            f"table {number}: {cell['text']!r} is out of the content column"
            for cell in table["lastColumn"]
            if outside(cell["box"], facts["content"])
        ]
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_rules_table_fits_the_content_column(layout: Callable[[str, int], dict], width: int) -> None:
    facts = layout("rules", width)
    (table,) = facts["tables"]
    assert [cell["text"] for cell in table["lastColumn"]] == ["Default"] + [
        "on" if rule.default_enabled else "off" for rule in RULES.values()
    ]
    assert tables_out_of_sight(facts) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", ["libraries", "libraries/django", "configuration"])
def test_other_tables_fit_too(layout: Callable[[str, int], dict], page: str, width: int) -> None:
    facts = layout(page, width)
    assert facts["tables"]
    assert tables_out_of_sight(facts) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", ["rules", f"rules/{next(iter(RULES))}", "libraries/django"])
def test_every_rule_and_library_page_is_in_the_sidebar(
    layout: Callable[[str, int], dict], site: Path, page: str, width: int
) -> None:
    facts = layout(page, width)
    shown = {
        # The theme links the page being shown as "#".
        (page if link["href"] == "#" else link["url"].removeprefix(site.as_uri() + "/")).rstrip("/"): link
        for link in facts["nav"]
        if link["box"]["bottom"] > link["box"]["top"]
    }
    expected = {f"rules/{code}" for code in RULES} | {
        f"libraries/{path.stem}"
        for path in (ROOT / "docs" / "libraries").glob("*.md")
        if path.stem != "index"
    }
    assert sorted(expected - set(shown)) == [], f"{page}: pages missing from the sidebar"
    for code in RULES:
        assert shown[f"rules/{code}"]["text"] == code
    assert [target for target in expected if outside(shown[target]["box"], facts["sidebar"])] == []
