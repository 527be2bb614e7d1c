"""Every rule fixture gives exactly the findings written in it: none missing, none extra."""

from __future__ import annotations

import pytest

from tests.support import FIXTURES, actual_findings, compare, expected_findings

RULE_FIXTURES = sorted(FIXTURES.glob("*/sig*.py"))


def test_fixtures_exist_for_every_rule_family():
    families = {path.parent.name for path in RULE_FIXTURES}
    assert "lifetime" in families


@pytest.mark.parametrize("path", RULE_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_findings_are_exact(path):
    # Each family's directory is its own project: project-wide rules see only its siblings.
    expected = expected_findings(path)
    actual = actual_findings(path, select=["SIG"], source_roots=[str(path.parent)])
    report = compare(expected, actual, path)
    assert not report, report


def test_comparison_reports_missing_and_unexpected_apart(tmp_path):
    """The comparator itself must be able to fail, in both directions."""
    fixture = tmp_path / "sig_probe.py"
    fixture.write_text(
        "from blinker import signal\n"
        "s = signal('x')\n"
        "s.connect(lambda sender: None)\n"
        "s.connect(print)  # SIG102\n",
        encoding="utf-8",
    )
    report = compare(expected_findings(fixture), actual_findings(fixture), fixture)
    assert "missing    line 4: SIG102" in report
    assert "unexpected line 3: SIG102" in report


def test_trailing_marker_syntax():
    path = FIXTURES / "lifetime" / "sig101_flagged.py"
    expected = expected_findings(path)
    # "# SIG101 (weak as truthy 3rd positional)" still counts
    assert any(code == "SIG101" for _, code in expected)
    assert all(code.startswith("SIG") for _, code in expected)


def test_test_modules_are_left_alone():
    """In test modules receivers are used while the test runs; the same code elsewhere is flagged."""
    from flake8_signals.api import check_source

    source = (FIXTURES.parent.parent / "examples" / "myapp" / "signals.py").read_text(encoding="utf-8")
    assert [f.code for f in check_source(source, "myapp/signals.py")] == ["SIG101"]
    for name in ("tests/test_signals.py", "signals_test.py", "conftest.py"):
        assert check_source(source, name) == []
