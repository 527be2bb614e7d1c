"""astroid is paid for only where the syntax tree cannot decide, and user code is never run."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.support import FIXTURES, ROOT

_PROBE = textwrap.dedent("""
    import sys
    from flake8_signals.api import check_file
    findings = check_file(sys.argv[1])
    print(len(findings), "astroid" in sys.modules)
""")


def _lint_and_report_astroid(path, cwd=ROOT) -> tuple[int, bool]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    count, imported = result.stdout.split()
    return int(count), imported == "True"


def test_flask_signal_is_recognised_without_astroid():
    assert _lint_and_report_astroid(ROOT / "examples" / "myapp" / "signals.py") == (1, False)


def test_file_without_candidates_never_imports_astroid():
    assert _lint_and_report_astroid(ROOT / "flake8_signals" / "findings.py") == (0, False)


def test_signal_from_another_module_needs_astroid():
    handlers = FIXTURES / "projects" / "shop" / "handlers.py"
    count, imported = _lint_and_report_astroid(handlers, cwd=FIXTURES / "projects")
    assert imported and count == 6


def test_linting_never_executes_project_code(tmp_path):
    """astroid reads the imported module's source; it must not import it."""
    package = tmp_path / "trap"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    marker = tmp_path / "executed"
    (package / "signals.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "raise SystemExit('imported!')\n"
        "from blinker import Signal\n"
        "changed = Signal()\n",
        encoding="utf-8",
    )
    (package / "use.py").write_text(
        "from trap.signals import changed\n"
        "def setup():\n"
        "    def on_change(sender):\n"
        "        pass\n"
        "    changed.connect(on_change)\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SIG", "trap/use.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert not marker.exists()
    assert "imported!" not in result.stdout + result.stderr
    # astroid sees `changed = Signal()` after the raise; that is still only source to it
    assert result.stdout.startswith("trap/use.py:5:5: SIG101 local function 'on_change'")
