"""What PyPI shows, what the sdist holds, and that the declared floors hold.

- The README is the project's PyPI page, where a relative link leads nowhere: it is rendered
  here with PyPI's own renderer (readme_renderer) and every link must be absolute, those to the
  docs site naming a page that exists.
- The slow tests build the sdist and wheel as a release does (``python -m build``, then
  ``twine check --strict``), check that the sdist is the whole tracked tree, and run the fast
  tests from the unpacked sdist in fresh virtualenvs: once with what pip picks today, once on the
  oldest supported Python with every runtime dependency (and setuptools) at its declared floor.
"""

from __future__ import annotations

import email.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import readme_renderer.markdown
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

import flake8_signals
from flake8_signals.rules import DOCS_BASE_URL, RULES
from tests.support import tool_missing

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

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


def test_version_changelog_and_precommit_rev_agree() -> None:
    """What the release recipe in docs/development.md changes together."""
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert flake8_signals.__version__ == version
    changelog = (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(version)} \(", changelog, re.MULTILINE)
    precommit = (ROOT / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    ours = re.search(rf"- repo: {re.escape(REPOSITORY)}\n\s+rev: (\S+)", precommit)
    assert ours and ours.group(1) == f"v{version}"
    recipe = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    for step in ("python -m build", "twine check --strict dist/*", "git tag -a vX.Y.Z"):
        assert step in recipe


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


# --- the release artefacts (slow: they build, and install into fresh virtualenvs) --------------

# Files the build adds to the sdist beside the tracked ones.
GENERATED = re.compile(r"PKG-INFO|setup\.cfg|flake8_signals\.egg-info/.*")
FAST_TESTS = ["-m", "pytest", "-m", "not slow", "-q", "-p", "no:cacheprovider"]


def run(argv: list[str], cwd: Path | None = None, timeout: float = 900, **kwargs) -> str:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert proc.returncode == 0, (
        f"{argv} exited {proc.returncode}:\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
    )
    return proc.stdout


def fresh_venv(python: str, where: Path) -> Path:
    run([python, "-m", "venv", str(where)])
    return where / "bin" / "python"


def pip_install(python: Path, *args: str) -> None:
    run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *args])


def installed(python: Path) -> dict[str, Version]:
    listing = json.loads(
        run([str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"])
    )
    return {item["name"].lower(): Version(item["version"]) for item in listing}


def run_fast_tests(python: Path, tree: Path) -> str:
    """The fast tests, run from ``tree`` by ``python``; pytest's short summary."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS")}
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    out = run([str(python), *FAST_TESTS], cwd=tree, env=env)
    summary = out.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and not re.search(r"\d+ (failed|errors?)\b", summary), out
    return out[out.find("short test summary info") :]


def floor(requirement: str) -> Version:
    """The lowest version a ``>=`` requirement allows: the one the floor run pins."""
    lower = [spec.version for spec in Requirement(requirement).specifier if spec.operator == ">="]
    assert len(lower) == 1, f"{requirement!r} must state its floor with >="
    return Version(lower[0])


def floor_python(version: Version) -> str | None:
    """An interpreter of exactly ``version`` (major.minor): $FLAKE8_SIGNALS_FLOOR_PYTHON, then
    pythonX.Y on PATH, then pyenv's."""
    name = f"python{version.major}.{version.minor}"
    candidates = [os.environ.get("FLAKE8_SIGNALS_FLOOR_PYTHON"), shutil.which(name)]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += [
        str(p) for p in sorted(pyenv_root.glob(f"versions/{version.major}.{version.minor}.*/bin/{name}"))
    ]
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True, text=True
        )
        if probe.returncode == 0 and probe.stdout.split() == [str(version.major), str(version.minor)]:
            return candidate
    return None


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it, as the release recipe makes them."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)])
    return out


@pytest.fixture
def unpacked(dist: Path, tmp_path: Path) -> Path:
    """A fresh copy of the unpacked sdist for each test that runs in it."""
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    (tree,) = tmp_path.iterdir()
    return tree


def sdist_members(dist: Path) -> set[str]:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        return {m.name.split("/", 1)[1] for m in archive.getmembers() if m.isfile()}


@pytest.mark.slow
def test_twine_check_strict_passes(dist: Path) -> None:
    artefacts = sorted(str(p) for p in dist.iterdir())
    assert sorted(Path(p).suffix for p in artefacts) == [".gz", ".whl"]
    out = run([sys.executable, "-m", "twine", "check", "--strict", *artefacts])
    assert out.count("PASSED") == 2, out


@pytest.mark.slow
def test_metadata(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        member = next(
            m for m in archive.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")
        )
        extracted = archive.extractfile(member)
        assert extracted is not None
        metadata = email.parser.Parser().parsestr(extracted.read().decode("utf-8"))
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL"))
    assert urls == {
        "Homepage": REPOSITORY,
        "Documentation": DOCS_SITE,
        "Changelog": f"{DOCS_SITE}changelog/",
        "Issues": f"{REPOSITORY}/issues",
    }
    assert docs_page(urls["Changelog"]).is_file()
    # The per-version classifiers start at requires-python's floor.
    versions = [
        Version(c.rsplit(" ", 1)[1])
        for c in metadata.get_all("Classifier")
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions and min(versions) == floor(f"python{metadata['Requires-Python']}")
    assert all(v in SpecifierSet(metadata["Requires-Python"]) for v in versions)


@pytest.mark.slow
def test_sdist_is_the_tracked_tree_and_the_wheel_only_the_package(dist: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to compare the sdist with")
    tracked = set(run(["git", "ls-files"], cwd=ROOT).split("\n")) - {""}
    untracked = set(run(["git", "ls-files", "--others", "--exclude-standard"], cwd=ROOT).split("\n"))
    members = sdist_members(dist)
    assert sorted(tracked - members) == [], "add them to MANIFEST.in"
    extra = {m for m in members - tracked - untracked if not GENERATED.fullmatch(m)}
    assert sorted(extra) == []
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    package = {n for n in names if n.startswith("flake8_signals/")}
    assert package == {n for n in tracked if n.startswith("flake8_signals/")}
    assert {n.split("/", 1)[1] for n in names - package} == {
        "METADATA",
        "WHEEL",
        "RECORD",
        "entry_points.txt",
        "top_level.txt",
        "licenses/LICENSE",
    }


@pytest.mark.slow
def test_fast_tests_pass_from_the_sdist(unpacked: Path, tmp_path: Path) -> None:
    python = fresh_venv(sys.executable, tmp_path / "venv")
    pip_install(python, f"{unpacked}[test]")
    print(run_fast_tests(python, unpacked))


@pytest.mark.slow
def test_fast_tests_pass_at_the_declared_floors(unpacked: Path, tmp_path: Path) -> None:
    """The oldest Python, flake8, astroid, blinker and setuptools the project declares."""
    project = tomllib.loads((unpacked / "pyproject.toml").read_text(encoding="utf-8"))
    pins = {Requirement(r).name: floor(r) for r in project["project"]["dependencies"]}
    (setuptools,) = project["build-system"]["requires"]
    python_floor = floor(f"python{project['project']['requires-python']}")
    interpreter = floor_python(python_floor)
    if interpreter is None:
        tool_missing(f"no Python {python_floor} found (set FLAKE8_SIGNALS_FLOOR_PYTHON)")
    python = fresh_venv(interpreter, tmp_path / "venv")
    pip_install(python, f"setuptools=={floor(setuptools)}")
    run(
        [
            str(python),
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(unpacked),
        ]
    )
    (wheel,) = tmp_path.glob("*.whl")
    constraints = tmp_path / "floors.txt"
    constraints.write_text(
        "".join(f"{name}=={version}\n" for name, version in pins.items()), encoding="utf-8"
    )
    pip_install(python, "-c", str(constraints), f"{wheel}[test]")
    versions = installed(python)
    assert {name: versions[name] for name in pins} == pins
    assert versions["setuptools"] == floor(setuptools)
    print(
        f"Python {python_floor},",
        ", ".join(f"{n} {v}" for n, v in pins.items()),
        run_fast_tests(python, unpacked),
    )


@pytest.mark.slow
def test_site_builds_with_only_what_read_the_docs_installs(unpacked: Path, tmp_path: Path) -> None:
    """.readthedocs.yaml: `pip install .[docs]`, then `mkdocs build --strict` on mkdocs.yml."""
    python = fresh_venv(sys.executable, tmp_path / "venv")
    pip_install(python, f"{unpacked}[docs]")
    site = tmp_path / "html"
    run(
        [
            str(python),
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            "mkdocs.yml",
            "--site-dir",
            str(site),
        ],
        cwd=unpacked,
    )
    assert (site / "rules" / next(iter(RULES)) / "index.html").is_file()
    assert (site / "confirm.schema.json").is_file()
