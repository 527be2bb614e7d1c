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


_ORDERS = """\
from {module} import Signal

order_placed = Signal()


def on_order(sender, order, **kwargs):
    print(order)


order_placed.connect(on_order)


def place():
    order_placed.send({sender}item=1)
"""


def test_sends_in_other_files_are_read_only_where_the_index_can_hold_them(tmp_path, monkeypatch):
    """A receiver some keyword could break asks for the project's sends of its signal; only a
    library with namespaces has its signals' sends indexed, so for Django's the project is not
    read at all (it was, for an answer that depended on unrelated files), and the verdict comes
    from the linted file's own sends."""
    from flake8_signals.analysis import project_index
    from flake8_signals.api import check_file

    reads: list[str] = []
    index_for = project_index.index_for

    def recorded(context):
        reads.append(context.filename)
        return index_for(context)

    monkeypatch.setattr(project_index, "index_for", recorded)
    monkeypatch.setenv("FLAKE8_SIGNALS_NO_CACHE", "1")
    django = tmp_path / "django_orders.py"
    django.write_text(_ORDERS.format(module="django.dispatch", sender="sender=None, "), encoding="utf-8")
    blinker = tmp_path / "blinker_orders.py"
    blinker.write_text(_ORDERS.format(module="blinker", sender="None, "), encoding="utf-8")

    expected = "required parameter 'order' is never passed"
    findings = check_file(django, select=["SIG3"], source_roots=[str(tmp_path)])
    assert [(f.line, f.code, expected in f.message) for f in findings] == [(10, "SIG301", True)]
    assert reads == []

    dynamic = tmp_path / "dynamic.py"  # nothing the index could name: not read either
    dynamic.write_text(
        "import signals\n\n\ndef on_any(sender, instance):\n    pass\n\n\n"
        "for name in ('pre', 'post'):\n    getattr(signals, name).connect(on_any)\n",
        encoding="utf-8",
    )
    assert check_file(dynamic, select=["SIG3"], source_roots=[str(tmp_path)]) == []
    assert reads == []

    findings = check_file(blinker, select=["SIG3"], source_roots=[str(tmp_path)])
    assert [(f.line, f.code, expected in f.message) for f in findings] == [(10, "SIG301", True)]
    assert reads == [str(blinker)]
