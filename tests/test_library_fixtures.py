"""The library fixtures (tests/fixtures/libraries/<model key>/sig*.py): exact findings, and the
run-time truth of every claim, with the real Django, celery, PyDispatcher/Scrapy and psygnal.

Each ``<key>`` directory is its own project (the project-wide rules see only its files). A
fixture states its findings twice, as the other fixture families do:

markers on the reported lines and the golden file ``name.expected`` beside it, in the grammar of
tests/support.py (``pytest --update-fixtures`` rewrites the golden files). ``# unseen: why`` marks a
receiver that is lost although the linter rightly cannot tell (it stays silent there).

What is proved at run time, each in a fresh interpreter:

* lifetime (``tests/runtime_probe.py``): a receiver on a line marked SIG101-SIG105 is dead after
  ``exercise()`` and two collections, and so is one marked ``unseen``; every other weakly connected
  receiver is alive, unless disconnected or marked ``scoped`` (which must then be gone); every
  marked line ran. psygnal keeps
  a ``functools.partial``'s function and arguments, not the partial: where the fixture has a
  ``send_all()``, a receiver still called by it after collection is alive whatever its object
  (``tests/library_probe.py``), and a lost one must not be called;
* SIG106 (``tests/library_probe.py``): a receiver connected with the weak flag in the sender's
  place is never called by the fixture's sends, while every other receiver of the fixture is;
* SIG301/SIG302 (``tests/library_probe.py``): calling the receiver raises TypeError at the send
  (or the library refuses it at connect(): celery's ValueError for a receiver without
  ``**kwargs``); every other receiver of the fixture is called without error;
* Django with ``DEBUG=True`` keeps SIG101-SIG103 and SIG105 receivers alive (its signature check
  caches the function), SIG104 ones still die: the note the rule pages make.

The slow test installs this checkout alone into a fresh virtualenv (no Django, celery, Scrapy,
PyDispatcher or psygnal) and runs flake8 over the fixtures there: the same findings, because the
libraries are known by import path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from functools import cache
from pathlib import Path

import pytest

from flake8_signals.boundary import DEBUG_VARIABLE
from flake8_signals.libraries import LIBRARIES
from tests.support import FIXTURES, ROOT, check_fixture, read_golden, read_markers, run_probe

LIBRARY_FIXTURES_DIR = FIXTURES / "libraries"
LIBRARY_FIXTURES = sorted(LIBRARY_FIXTURES_DIR.glob("*/sig*.py"))
LIBRARY_PROBE = Path(__file__).parent / "library_probe.py"
LOST = ("SIG101", "SIG102", "SIG103", "SIG104", "SIG105")
RAISES = ("SIG301", "SIG302")
# The libraries the fixtures exercise: not installed by `pip install <checkout>`.
OPTIONAL_LIBRARIES = ("django", "celery", "pydispatch", "scrapy", "psygnal")


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


# -- run time ----------------------------------------------------------------------------------------
@cache
def lifetime_records(path: Path, django_debug: bool = False) -> tuple[dict, ...]:
    env = {"PROBE_DJANGO_DEBUG": "1"} if django_debug else None
    return tuple(run_probe(path, env=env))


@cache
def call_records(path: Path) -> tuple[dict, ...]:
    return tuple(run_probe(path, LIBRARY_PROBE))


def calls_by_line(records: tuple[dict, ...], phases: tuple[str, ...]) -> tuple[dict[int, int], set[int]]:
    """Calls per connection line in those phases, and the lines whose receiver code no other line
    shares (only their counts say something of that line's receiver alone)."""
    lines_of_code: dict[int, set[int]] = {}
    for record in records:
        for code in record["codes"]:
            lines_of_code.setdefault(code, set()).add(record["line"])
    calls: dict[int, int] = {}
    unshared = set()
    for record in records:
        count = sum(record["calls"][phase] for phase in phases)
        calls[record["line"]] = calls.get(record["line"], 0) + count
        if record["codes"] and all(lines_of_code[c] == {record["line"]} for c in record["codes"]):
            unshared.add(record["line"])
    return calls, unshared


def _sends_after_collection(path: Path) -> bool:
    return "\ndef send_all(" in path.read_text(encoding="utf-8")


def _with_codes(*codes: str) -> list[Path]:
    return [p for p in LIBRARY_FIXTURES if read_markers(p).flagged_lines(*codes)]


# -- the fixtures themselves -------------------------------------------------------------------------
def test_every_library_model_has_fixtures_flagged_and_left_alone():
    keys = {library.key for library in LIBRARIES}
    directories = {path.name for path in LIBRARY_FIXTURES_DIR.iterdir() if path.is_dir()}
    assert directories <= keys, f"fixture directories that are no model's key: {directories - keys}"
    assert {"django", "celery", "pydispatch", "psygnal", "unrelated"} <= directories
    for key in ("django", "celery", "pydispatch", "psygnal"):
        names = {p.name for p in LIBRARY_FIXTURES if p.parent.name == key}
        assert {"sig1xx_flagged.py", "sig1xx_left_alone.py"} <= names, key
    assert {_ids(p) for p in _with_codes("SIG105")} == {"django/sig105_bare_connect.py"}
    assert "pydispatch/sig106_positional_sender.py" in {_ids(p) for p in _with_codes("SIG106")}
    assert {p.parent.name for p in _with_codes(*RAISES)} == {"django", "celery"}


@pytest.mark.parametrize("path", LIBRARY_FIXTURES, ids=_ids)
def test_fixture_is_exact(path, request, monkeypatch):
    """Markers and golden file as tests/support.py reads and compares them; the model's directory
    is the project."""
    monkeypatch.setenv(DEBUG_VARIABLE, "1")  # an exception the boundary would swallow fails the test
    update = request.config.getoption("update_fixtures")
    report = check_fixture(path, update=update, source_roots=[path.parent])
    assert not report, report
    markers = read_markers(path)
    assert markers.flagged or markers.ok or markers.unseen, "a fixture claims nothing"


# -- lifetime, with the real libraries -----------------------------------------------------------------
# Every fixture but the receiver-signature ones: their receivers are module-level functions, some
# of which celery refuses at connect(), which stops the import (the library probe goes on).
LIFETIME_FIXTURES = [p for p in LIBRARY_FIXTURES if not read_markers(p).flagged_lines(*RAISES)]


@pytest.mark.parametrize("path", LIFETIME_FIXTURES, ids=_ids)
def test_lost_receivers_die_and_the_others_live(path):
    markers = read_markers(path)
    lost = markers.flagged_lines(*LOST) | markers.unseen
    records = [r for r in lifetime_records(path) if r["weak"] and r["weakrefable"] and not r["disconnected"]]
    called_later, unshared = {}, set()
    if _sends_after_collection(path):
        called_later, unshared = calls_by_line(call_records(path), ("send_all",))

    survived = sorted({r["line"] for r in records if r["line"] in lost and r["alive"]})
    still_called = sorted(line for line in lost if called_later.get(line))
    died = sorted(
        {
            r["line"]
            for r in records
            if r["line"] not in lost
            and r["line"] not in markers.scoped
            and not r["alive"]
            and not (r["line"] in unshared and called_later.get(r["line"]))
        }
    )
    # An object that cannot be weakly referenced: psygnal holds it strongly, so it must be called.
    unreferenceable = {r["line"] for r in lifetime_records(path) if r["weak"] and not r["weakrefable"]}
    not_called = sorted(line for line in unreferenceable & unshared - lost if not called_later.get(line))
    scoped_but_alive = sorted(
        {r["line"] for r in records if r["line"] in markers.scoped and r["alive"]}
        | (markers.scoped - {r["line"] for r in lifetime_records(path)})
    )
    never_ran = sorted(lost - {r["line"] for r in lifetime_records(path)})
    assert not survived, f"claimed lost but alive: lines {survived}"
    assert not still_called, f"claimed lost but called after collection: lines {still_called}"
    assert not died, f"lost but neither flagged nor unseen: lines {died}"
    assert not not_called, f"not weakly referenceable, yet not called after collection: lines {not_called}"
    assert not scoped_but_alive, (
        f"'scoped' connections that outlive their function or never ran: {scoped_but_alive}"
    )
    assert not never_ran, f"claimed lines the fixture never executed: {never_ran}"


@pytest.mark.parametrize(
    "path",
    [p for p in LIBRARY_FIXTURES if p.parent.name == "django" and read_markers(p).flagged_lines(*LOST)],
    ids=_ids,
)
def test_django_debug_keeps_what_production_loses(path):
    """With DEBUG=True, connect() checks the receiver's signature through an lru_cache that holds
    the function (or callable object) strongly: SIG101-SIG103 and SIG105 receivers keep working in
    development. A bound method is cached by its function, so SIG104 receivers are lost anyway."""
    markers = read_markers(path)
    cached = markers.flagged_lines("SIG101", "SIG102", "SIG103", "SIG105")
    debug = [r for r in lifetime_records(path, django_debug=True) if r["library"] == "django"]
    production = [r for r in lifetime_records(path) if r["library"] == "django"]
    assert cached and cached <= {r["line"] for r in debug}
    assert all(r["alive"] for r in debug if r["line"] in cached)
    assert not any(r["alive"] for r in debug if r["line"] in markers.flagged_lines("SIG104"))
    assert not any(r["alive"] for r in production if r["line"] in cached)


# -- SIG106 and SIG301/SIG302, with the real libraries -----------------------------------------------
@pytest.mark.parametrize("path", _with_codes("SIG106"), ids=_ids)
def test_a_sender_given_for_weak_is_never_reached(path):
    flagged = read_markers(path).flagged_lines("SIG106")
    records = tuple(r for r in call_records(path) if r["own"])
    calls, unshared = calls_by_line(records, ("import", "exercise", "send_all"))
    assert flagged <= set(calls), f"flagged lines that never connected: {sorted(flagged - set(calls))}"
    assert all(calls[line] == 0 for line in flagged), {line: calls[line] for line in flagged}
    others = set(calls) - flagged
    assert others and others <= unshared
    assert all(calls[line] > 0 for line in others), {line: calls[line] for line in others}


@pytest.mark.parametrize("path", _with_codes(*RAISES), ids=_ids)
def test_flagged_receivers_raise_and_the_others_run(path):
    flagged = read_markers(path).flagged_lines(*RAISES)
    records = [r for r in call_records(path) if r["own"]]
    calls, unshared = calls_by_line(tuple(records), ("import", "exercise", "send_all"))
    by_line: dict[int, list[dict]] = {}
    for record in records:
        by_line.setdefault(record["line"], []).append(record)
    assert flagged <= set(by_line), f"flagged lines that never connected: {sorted(flagged - set(by_line))}"
    for line in flagged:
        for record in by_line[line]:
            refused = record["connect_error"]
            if refused is not None:
                assert refused[0] == "ValueError" and "keyword arguments" in refused[1], record
            else:
                assert record["errors"] and {e[0] for e in record["errors"]} == {"TypeError"}, record
    for line in set(by_line) - flagged:
        assert all(not r["errors"] and r["connect_error"] is None for r in by_line[line]), by_line[line]
        assert line in unshared and calls[line] > 0, f"line {line} was never sent to"


def test_the_probes_tell_called_from_never_called_and_failing(tmp_path):
    """The library probe can fail in each direction it is relied on."""
    module = tmp_path / "sig_probe_case.py"
    module.write_text(
        "from django.dispatch import Signal\n"
        "s = Signal()\n"
        "def good(sender, **kwargs): pass\n"
        "def bad(sender): pass\n"
        "def unreached(sender, **kwargs): pass\n"
        "s.connect(good)\n"
        "s.connect(bad)\n"
        "s.connect(unreached, sender=False)\n"
        "def exercise():\n"
        "    s.send(sender=None)\n",
        encoding="utf-8",
    )
    records = {r["line"]: r for r in call_records(module)}
    assert {line: r["calls"]["exercise"] for line, r in records.items() if line > 5} == {6: 1, 7: 0, 8: 0}
    assert [e[0] for e in records[7]["errors"]] == ["TypeError"] and not records[6]["errors"]
    refused = tmp_path / "sig_probe_refused.py"
    refused.write_text(
        "from celery.utils.dispatch import Signal\n"
        "s = Signal(name='probe')\n"
        "def no_kwargs(sender=None): pass\n"
        "s.connect(no_kwargs)\n",
        encoding="utf-8",
    )
    [record] = call_records(refused)
    assert record["own"] and record["connect_error"][0] == "ValueError"


# -- without the libraries -------------------------------------------------------------------------------
@pytest.mark.slow
def test_same_findings_without_any_of_the_libraries(tmp_path):
    """A fresh virtualenv with this checkout alone (flake8, astroid and blinker come with it): the
    real flake8 command over each library's fixtures gives the golden findings."""
    # A copy, so that the build leaves nothing in the checkout and reuses no stale build/.
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(*_NOT_SOURCE))
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(checkout)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    probe = "import importlib.util, sys; print([m for m in sys.argv[1:] if importlib.util.find_spec(m)])"
    found = subprocess.run(
        [str(python), "-c", probe, *OPTIONAL_LIBRARIES], check=True, capture_output=True, text=True
    )
    assert found.stdout.strip() == "[]", f"installed without being asked for: {found.stdout}"
    for directory in sorted(p for p in LIBRARY_FIXTURES_DIR.iterdir() if p.is_dir()):
        completed = subprocess.run(
            [
                str(python),
                "-m",
                "flake8",
                "--isolated",
                "--select",
                "SIG",
                "--signals-source-roots",
                ".",
                ".",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=directory,
        )
        assert completed.returncode in (0, 1), completed.stderr
        rows: dict[str, list[str]] = {}
        for row in completed.stdout.splitlines():
            name, rest = row.split(":", 1)
            rows.setdefault(Path(name).name, []).append(rest)
        for path in sorted(directory.glob("*.py")):
            expected = [str(shown) for shown in read_golden(path)[0]] if path.name.startswith("sig") else []
            assert sorted(rows.get(path.name, []), key=_row_key) == expected, _ids(path)


_NOT_SOURCE = (".git", "build", "dist", "site", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")


def _row_key(row: str) -> tuple[int, int, str, str]:
    line, col, rest = row.split(":", 2)
    code, message = rest.strip().split(" ", 1)
    return int(line), int(col), code, message
