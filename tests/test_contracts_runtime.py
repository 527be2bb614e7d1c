"""The SIG3xx fixtures cannot drift from reality: each is executed with real blinker and Flask.

``tests/contracts_probe.py`` imports the fixture, calls its ``exercise()`` (the project's own
sends), makes Flask send all of its signals through the test client, and records, per connection
line, what each receiver raised when blinker called it, and per send line whether blinker's own
signature let the send through.

- a receiver connected on a line marked SIG301/SIG302 must raise TypeError, on a line marked
  SIG303 RuntimeError("Cannot send to a coroutine function."), and must have been called;
- every other receiver must run cleanly, unless its line says ``# unseen:`` — a receiver that does
  fail but that the linter rightly cannot follow; such a line must really fail, so the comment
  stays true;
- a send on a line marked SIG304 must raise TypeError; every other send must be well-formed.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from flake8_signals.libraries.blinker import FLASK_SIGNALS
from tests.support import FIXTURES, read_markers

CONTRACT_FIXTURES = sorted((FIXTURES / "contracts").glob("sig*.py"))
PROBE = Path(__file__).parent / "contracts_probe.py"
# What blinker raises for a receiver each code describes.
RAISES = {"SIG301": "TypeError", "SIG302": "TypeError", "SIG303": "RuntimeError"}


def run_contracts_probe(path: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, str(PROBE), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=path.parent,
    )
    if completed.returncode != 0:
        raise AssertionError(f"probe failed for {path.name}:\n{completed.stderr}")
    return json.loads(completed.stdout)


@pytest.fixture(scope="module", params=CONTRACT_FIXTURES, ids=lambda p: p.name)
def probed(request) -> tuple[Path, dict]:
    return request.param, run_contracts_probe(request.param)


def test_there_is_a_fixture_per_rule():
    assert {p.name[:6].upper() for p in CONTRACT_FIXTURES} == {"SIG301", "SIG302", "SIG303", "SIG304"}


def test_exactly_the_flagged_receivers_fail(probed):
    path, result = probed
    flagged: dict[int, set[str]] = defaultdict(set)
    markers = read_markers(path)
    for line, code in markers.flagged:
        if code in RAISES:
            flagged[line].add(RAISES[code])
    unseen = markers.unseen
    observed: dict[int, set[str]] = defaultdict(set)
    calls: dict[int, int] = defaultdict(int)
    for connection in result["connections"]:
        observed[connection["line"]].update(error for error, _ in connection["errors"])
        calls[connection["line"]] += connection["calls"]

    never_called = sorted(line for line in set(flagged) | unseen if not calls.get(line))
    assert not never_called, f"lines exercise() never sent to: {never_called}"
    wrong = {
        line: {"flagged": sorted(flagged.get(line, ())), "raised": sorted(observed.get(line, ()))}
        for line in set(observed) | set(flagged)
        if line not in unseen and observed.get(line, set()) != flagged.get(line, set())
    }
    assert not wrong, f"flagged receivers and run-time failures differ: {wrong}"
    unseen_but_fine = sorted(line for line in unseen if not observed.get(line))
    assert not unseen_but_fine, f"'# unseen' receivers that do not fail: {unseen_but_fine}"


def test_the_errors_are_the_ones_each_rule_describes(probed):
    path, result = probed
    codes: dict[int, set[str]] = defaultdict(set)
    for line, code in read_markers(path).flagged:
        codes[line].add(code)
    for connection in result["connections"]:
        for error, message in connection["errors"]:
            line_codes = codes.get(connection["line"], set())
            if error == "RuntimeError" and "SIG303" in line_codes:
                assert message == "Cannot send to a coroutine function."
            if line_codes == {"SIG302"}:
                assert "keyword argument" in message or "multiple values" in message, message


def test_exactly_the_flagged_sends_fail(probed):
    path, result = probed
    flagged = read_markers(path).flagged_lines("SIG304")
    from_fixture = [s for s in result["sends"] if s["line"] is not None]
    malformed = {s["line"] for s in from_fixture if s["malformed"]}
    assert malformed == flagged
    for send in from_fixture:
        if send["malformed"]:
            assert send["error"] is not None and send["error"][0] == "TypeError", send


def test_probe_tells_failing_receivers_and_sends_apart(tmp_path):
    """The probe itself can fail: a bad receiver and a bad send are both recorded."""
    module = tmp_path / "probe_case.py"
    module.write_text(
        "from blinker import signal\n"
        "s = signal('probe-contracts')\n"
        "def good(sender, **extra): pass\n"
        "def bad(**extra): pass\n"
        "s.connect(good)\n"
        "s.connect(bad)\n"
        "def exercise():\n"
        "    s.send('x', flag=True)\n"
        "    s.send('x', 'y')\n",
        encoding="utf-8",
    )
    result = run_contracts_probe(module)
    errors = {c["line"]: [e for e, _ in c["errors"]] for c in result["connections"]}
    assert errors == {5: [], 6: ["TypeError"]}
    assert [(s["line"], s["malformed"]) for s in result["sends"]] == [(8, False), (9, True)]


# -- Flask's own sends: the keyword table in known_signals.py --------------------------------------
def _flask_sends() -> dict[str, list[tuple[frozenset[str], bool]]]:
    """Every ``<signal>.send(...)`` in Flask's installed source: (keywords, passes _async_wrapper)."""
    flask = pytest.importorskip("flask")
    names = {known.attribute for known in FLASK_SIGNALS}
    sends: dict[str, list[tuple[frozenset[str], bool]]] = defaultdict(list)
    for source in Path(flask.__file__).parent.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("send", "send_async")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in names
            ):
                assert all(k.arg is not None for k in node.keywords), f"**kwargs in {source}"
                keywords = frozenset(k.arg for k in node.keywords if k.arg != "_async_wrapper")
                wrapped = any(k.arg == "_async_wrapper" for k in node.keywords)
                sends[node.func.value.id].append((keywords, wrapped))
    return sends


def test_flask_sends_each_signal_with_the_keywords_in_the_table():
    sends = _flask_sends()
    assert set(sends) == {known.attribute for known in FLASK_SIGNALS}
    for known in FLASK_SIGNALS:
        keyword_sets = {keywords for keywords, _ in sends[known.attribute]}
        assert keyword_sets == {frozenset(known.send_keywords or ())}, known.attribute


def test_flask_always_passes_an_async_wrapper():
    """Why SIG303 never reports Flask's signals."""
    for attribute, calls in _flask_sends().items():
        assert all(wrapped for _, wrapped in calls), attribute
