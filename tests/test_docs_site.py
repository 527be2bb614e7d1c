"""The documentation site builds in strict mode, and what the integration pages show works.

The rule pages' examples are linted by the docs generator's own tests (tests of
``flake8_signals.docs``); this module checks the site as a whole and the CI / pre-commit
snippets, by running the documented commands.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet

from flake8_signals.rules import DOCS_BASE_URL, RULES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SEED = ROOT / "examples" / "myapp" / "signals.py"
SEED_FIXED = ROOT / "examples" / "myapp_fixed" / "signals.py"


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def nav_pages(nav: list) -> list[str]:
    pages = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages


def yaml_blocks(page: Path, key: str) -> list[dict]:
    """The page's YAML code blocks that are mappings with ``key`` at the top."""
    blocks = [yaml.safe_load(text) for text in re.findall(r"```yaml\n(.*?)```", page.read_text(), re.DOTALL)]
    return [block for block in blocks if isinstance(block, dict) and key in block]


def step(steps: list[dict], field: str, prefix: str) -> dict:
    return next(item for item in steps if item.get(field, "").startswith(prefix))


def output_file(command: str) -> str:
    argv = shlex.split(command)
    return argv[argv.index("--output-file") + 1]


# --- the site -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT / "mkdocs.yml", site)
    assert proc.returncode == 0, proc.stderr
    return site


def test_site_has_every_page_and_rule_url(site: Path) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    for page in nav_pages(config["nav"]):
        stem = page.removesuffix(".md")
        directory = stem.removesuffix("index") if stem.split("/")[-1] == "index" else stem + "/"
        assert (site / directory / "index.html").is_file(), f"{page} was not built"
    # Rule documentation URLs (SARIF helpUri, message links) must exist on the site.
    assert DOCS_BASE_URL.startswith(config["site_url"])
    for rule in RULES.values():
        relative = rule.docs_url.removeprefix(config["site_url"])
        assert (site / relative / "index.html").is_file(), f"{rule.docs_url} is not on the site"


def test_every_page_is_reachable() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    in_nav = set(nav_pages(config["nav"]))
    top_level = {path.name for path in DOCS.glob("*.md")}
    assert top_level <= in_nav, f"pages missing from mkdocs.yml nav: {sorted(top_level - in_nav)}"
    # Rule pages are not listed in the nav (a new rule needs no edit there): the generated index
    # must link each one.
    index = (DOCS / "rules" / "index.md").read_text()
    for page in sorted((DOCS / "rules").glob("SIG*.md")):
        assert f"]({page.name})" in index, f"rules/index.md does not link {page.name}"


def test_broken_link_fails_the_strict_build(tmp_path: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copy(ROOT / "mkdocs_hooks.py", tmp_path / "mkdocs_hooks.py")
    shutil.copytree(DOCS, tmp_path / "docs")
    page = tmp_path / "docs" / "changelog.md"
    page.write_text(page.read_text() + "\nSee [the old page](no-such-page.md).\n")
    proc = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert proc.returncode != 0
    assert "no-such-page.md" in proc.stderr

    page.write_text(page.read_text().replace("no-such-page.md", "configuration.md#no-such-anchor"))
    proc = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert proc.returncode != 0
    assert "no-such-anchor" in proc.stderr


# --- documented CI configuration ------------------------------------------------------------


def run_documented(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(command)
    assert argv[0] == "flake8"
    assert argv[1:3] == ["--require-plugins", "flake8-signals"], "CI commands must require the plugin"
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *argv[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "myapp").mkdir()
    (tmp_path / "myapp" / "__init__.py").write_text("")
    shutil.copy(SEED, tmp_path / "myapp" / "signals.py")
    return tmp_path


def test_github_workflow_in_docs(project: Path) -> None:
    workflows = yaml_blocks(DOCS / "ci.md", "jobs")
    assert len(workflows) == 1
    jobs = workflows[0]["jobs"]

    scanning = jobs["code-scanning"]
    assert scanning["permissions"]["security-events"] == "write"
    steps = scanning["steps"]
    lint = step(steps, "run", "flake8 ")["run"]
    upload = step(steps, "uses", "github/codeql-action/upload-sarif@")
    output = output_file(lint)
    assert upload["with"]["sarif_file"] == output
    assert upload["if"] == "always()"
    proc = run_documented(lint, project)
    assert proc.returncode == 0, proc.stderr  # --exit-zero
    log = json.loads((project / output).read_text())
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["SIG101"]

    annotate = step(jobs["annotations"]["steps"], "run", "flake8 ")["run"]
    proc = run_documented(annotate, project)
    assert proc.returncode == 1
    assert proc.stdout.startswith("::error file=myapp/signals.py,line=9,")


def test_gitlab_job_in_docs(project: Path) -> None:
    jobs = yaml_blocks(DOCS / "ci.md", "flake8-signals")
    assert len(jobs) == 1
    job = jobs[0]["flake8-signals"]
    lint = next(line for line in job["script"] if line.startswith("flake8 "))
    output = output_file(lint)
    assert job["artifacts"]["reports"]["codequality"] == output
    assert job["artifacts"]["when"] == "always"
    proc = run_documented(lint, project)
    assert proc.returncode == 1
    issues = json.loads((project / output).read_text())
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("SIG101", "myapp/signals.py", 9)
    ]

    shutil.copy(SEED_FIXED, project / "myapp" / "signals.py")
    assert run_documented(lint, project).returncode == 0
    assert json.loads((project / output).read_text()) == []


# --- documented pre-commit configuration ------------------------------------------------------


def test_precommit_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["flake8-signals"]
    hook = hooks[0]
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]
    assert hook["require_serial"] is True
    assert shlex.split(hook["entry"]) == ["flake8-signals", "check"]  # the SIG-only fast path


def test_precommit_docs_use_real_hook_ids() -> None:
    shipped = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    configs = yaml_blocks(DOCS / "pre-commit.md", "repos")
    assert len(configs) == 2
    ours, flake8_hook = (config["repos"][0] for config in configs)
    assert {hook["id"] for hook in ours["hooks"]} <= shipped
    assert flake8_hook["repo"] == "https://github.com/PyCQA/flake8"
    assert flake8_hook["hooks"][0]["additional_dependencies"] == ["flake8-signals"]


# --- hosting on Read the Docs -----------------------------------------------------------------


def _project() -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_readthedocs_builds_this_site_strictly() -> None:
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    assert config["version"] == 2
    assert config["mkdocs"] == {"configuration": "mkdocs.yml", "fail_on_warning": True}  # --strict
    assert set(config["build"]) == {"os", "tools"} and "python" in config["build"]["tools"]
    assert config["python"]["install"] == [{"method": "pip", "path": ".", "extra_requirements": ["docs"]}]
    project = _project()["project"]
    docs, test = (project["optional-dependencies"][extra] for extra in ("docs", "test"))
    assert set(docs) <= set(test), "the tests build the site with what Read the Docs installs"
    python = config["build"]["tools"]["python"]
    assert SpecifierSet(project["requires-python"]).contains(python)


def test_confirm_schema_is_served_at_its_id(site: Path) -> None:
    package_file = ROOT / "flake8_signals" / "runtime" / "confirm.schema.json"
    schema_id = json.loads(package_file.read_text(encoding="utf-8"))["$id"]
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]
    assert schema_id.startswith(site_url)
    assert (site / schema_id.removeprefix(site_url)).read_bytes() == package_file.read_bytes()


def _nav_targets(page: Path) -> dict[Path, str]:
    """The pages the sidebar of a built page links to (directories), with the links' text."""
    html = page.read_text(encoding="utf-8")
    start = html.index('<div class="wy-menu wy-menu-vertical"')
    nav = html[start : html.index("</div>", start)]
    return {
        # The theme links the page being shown as "#".
        page.parent if href == "#" else (page.parent / href).resolve(): text.strip()
        for href, text in re.findall(r'<a [^>]*href="([^"#]*|#)"[^>]*>([^<]*)</a>', nav)
    }


def test_every_page_lists_every_rule_and_library_in_the_sidebar(site: Path) -> None:
    expected = {site / "rules" / code: code for code in RULES}
    libraries = [p.stem for p in (DOCS / "libraries").glob("*.md") if p.stem != "index"]
    assert libraries
    pages = sorted(site.glob("**/index.html"))
    assert len(pages) > len(RULES) + len(libraries)
    for page in pages:
        targets = _nav_targets(page)
        here = page.parent.relative_to(site).as_posix()
        for target, text in expected.items():
            assert targets.get(target) == text, f"{here}: no {text} in the sidebar"
        missing = [name for name in libraries if site / "libraries" / name not in targets]
        assert missing == [], f"{here}: libraries missing from the sidebar"


# --- ruff-only projects (docs/ruff.md) ------------------------------------------------------


def run_check(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(command)
    assert argv[:2] == ["flake8-signals", "check"]
    return subprocess.run(
        [sys.executable, "-m", "flake8_signals.cli", *argv[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ruff_page_console_example(project: Path) -> None:
    page = (DOCS / "ruff.md").read_text()
    example = re.search(r"```console\n\$ pip install flake8-signals\n\$ (.*)\n(.*)\n```", page)
    assert example is not None
    proc = run_check(example.group(1), project)
    assert proc.stdout.splitlines() == [example.group(2)]
    assert proc.returncode == 1


def test_ruff_page_precommit_config_uses_the_shipped_hook() -> None:
    shipped = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    (config,) = yaml_blocks(DOCS / "ruff.md", "repos")
    ruff, ours = config["repos"]
    assert ruff["repo"] == "https://github.com/astral-sh/ruff-pre-commit"
    assert {hook["id"] for hook in ours["hooks"]} <= shipped


def test_ruff_page_workflow(project: Path) -> None:
    (workflow,) = yaml_blocks(DOCS / "ruff.md", "jobs")
    steps = workflow["jobs"]["lint"]["steps"]
    assert "flake8-signals" in step(steps, "run", "pip install")["run"].split()
    proc = run_check(step(steps, "run", "flake8-signals ")["run"], project)
    assert proc.returncode == 1
    assert proc.stdout.startswith("::error file=myapp/signals.py,line=9,")
    shutil.copy(SEED_FIXED, project / "myapp" / "signals.py")
    assert run_check(step(steps, "run", "flake8-signals ")["run"], project).returncode == 0
