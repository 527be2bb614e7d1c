"""`flake8-signals confirm`: real child processes on the fixture apps, plus the pieces in-process."""

from __future__ import annotations

import gc
import json
import re
import shutil
import subprocess
import sys
import time
import weakref
from pathlib import Path

import blinker
import jsonschema
import pytest

from flake8_signals.cli import main
from flake8_signals.findings import Finding
from flake8_signals.runtime import join, report
from flake8_signals.runtime.recorder import Recorder, is_wrapped
from flake8_signals.runtime.runner import RunResult, Target, TargetError

ROOT = Path(__file__).resolve().parent.parent
APPS = Path(__file__).resolve().parent / "fixtures" / "confirm_apps"
EXAMPLES = ROOT / "examples"
_CLI = "import sys; from flake8_signals.cli import main; sys.exit(main())"


def confirm(*args: str, cwd: Path = APPS) -> subprocess.CompletedProcess[str]:
    """Run `flake8-signals confirm ARGS` as its own process, the way a user would."""
    return subprocess.run(
        [sys.executable, "-c", _CLI, "confirm", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def confirm_json(*args: str, cwd: Path = APPS) -> tuple[dict, subprocess.CompletedProcess[str]]:
    completed = confirm("--format", "json", *args, cwd=cwd)
    document = json.loads(completed.stdout)
    jsonschema.Draft202012Validator(report.schema()).validate(document)
    assert document["exit_code"] == completed.returncode
    return document, completed


def verdicts(document: dict) -> set[tuple[str, str, int]]:
    return {(result["status"], result["path"], result["line"]) for result in document["results"]}


def expected_verdicts(path: Path, relative: str) -> set[tuple[str, str, int]]:
    """The verdicts a fixture's comments announce, e.g. `# not reproduced (SIG101): ...`."""
    wanted = {
        "confirmed": join.CONFIRMED,
        "not reproduced": join.NOT_REPRODUCED,
        "not reached": join.NOT_REACHED,
        "missed by the linter": join.MISSED,
    }
    found = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.search(r"#\s*(confirmed|not reproduced|not reached|missed by the linter)\b", line)
        if match:
            found.add((wanted[match.group(1)], relative, number))
    return found


# -- the schema itself ----------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(report.schema())


# -- end to end: one subprocess per target --------------------------------------------------------


def test_seed_example_is_confirmed_by_the_console_script() -> None:
    script = shutil.which("flake8-signals", path=str(Path(sys.executable).parent)) or shutil.which(
        "flake8-signals"
    )
    command = [script] if script else [sys.executable, "-c", _CLI]
    completed = subprocess.run(
        [*command, "confirm", "myapp:create_app"], cwd=EXAMPLES, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "myapp/signals.py:9:5: CONFIRMED: SIG101 local function 'log_response'" in completed.stdout
    assert "1 confirmed, 0 missed by the linter, 0 not reproduced, 0 not reached" in completed.stdout


def test_seed_example_json() -> None:
    document, _ = confirm_json("myapp:create_app", cwd=EXAMPLES)
    assert verdicts(document) == {("confirmed", "myapp/signals.py", 9)}
    (result,) = document["results"]
    assert result["code"] == "SIG101"
    assert result["runtime"][0]["receiver"] == "register_signal_handlers.<locals>.log_response"
    assert result["runtime"][0]["signal"] == "request-finished"
    assert document["summary"]["lost_receivers"] == 1
    assert document["outcome"]["status"] == "finished"


def test_fixed_example_is_clean() -> None:
    document, completed = confirm_json("myapp_fixed:create_app", cwd=EXAMPLES)
    assert completed.returncode == 0
    assert document["results"] == []
    assert document["summary"]["weak_connections"] == 1
    assert document["connections"][0]["states"]["alive"] == 1


def test_every_verdict_from_one_factory() -> None:
    document, completed = confirm_json("mixed:create")
    assert completed.returncode == 1
    expected = expected_verdicts(APPS / "mixed" / "handlers.py", "mixed/handlers.py")
    assert {status for status, _, _ in expected} == set(join.RESULT_STATUSES)
    assert verdicts(document) == expected
    assert document["summary"] == {
        "confirmed": 2,
        "missed_by_linter": 1,
        "not_reproduced": 1,
        "not_reached": 1,
        "weak_connections": 5,
        "lost_receivers": 3,
    }
    missed = next(result for result in document["results"] if result["status"] == join.MISSED)
    assert missed["runtime"][0]["receiver"] == "bound method Greeter.greet"
    assert "mixed/__init__.py" in document["checked_files"]


def test_module_target_in_text_format() -> None:
    completed = confirm("mixed.wsgi")
    assert completed.returncode == 1
    out = completed.stdout
    assert "mixed/handlers.py:24:5: CONFIRMED: SIG101" in out
    assert "mixed/handlers.py:28:6: CONFIRMED: SIG101" in out  # @ping.connect_via(app, weak=True)
    assert "mixed/handlers.py:37:5: NOT REPRODUCED: SIG101" in out
    assert "mixed/handlers.py:45:5: NOT REACHED: SIG101" in out
    assert "mixed/handlers.py:49: MISSED BY THE LINTER" in out
    assert "2 confirmed, 1 missed by the linter, 1 not reproduced, 1 not reached" in out


def test_target_that_raises_still_reports() -> None:
    document, completed = confirm_json("raising:create")
    assert completed.returncode == 1
    assert document["outcome"]["status"] == "raised"
    assert "RuntimeError: configuration missing" in document["outcome"]["traceback"]
    assert verdicts(document) == {("confirmed", "raising/__init__.py", 10)}
    text = confirm("raising:create")
    assert text.returncode == 1
    assert "raising:create() raised RuntimeError: configuration missing" in text.stdout
    assert "raising/__init__.py:10:5: CONFIRMED" in text.stdout


def test_target_that_fails_to_import() -> None:
    completed = confirm("broken")
    assert completed.returncode == 2
    assert "importing 'broken' failed" in completed.stdout
    assert "Traceback (most recent call last)" in completed.stdout
    assert 'broken/__init__.py", line 5' in completed.stdout
    assert "No module named 'module_that_does_not_exist'" in completed.stdout
    assert "flake8_signals" not in completed.stdout.split("Traceback", 1)[1]  # runner frames hidden
    document, completed = confirm_json("broken")
    assert completed.returncode == 2
    assert document["outcome"]["status"] == "load-error"
    assert document["results"] == []
    assert "ModuleNotFoundError" in completed.stderr


def test_target_that_hangs_is_stopped_and_reported() -> None:
    started = time.monotonic()
    document, completed = confirm_json("--timeout", "2", "hang.py")
    assert time.monotonic() - started < 30
    assert completed.returncode == 1
    assert document["outcome"]["status"] == "timeout"
    assert document["outcome"]["timeout"] == 2
    assert verdicts(document) == {("confirmed", "hang.py", 14)}
    # The receiver of the function still running at the time limit is alive, not lost.
    serving = [site for site in document["connections"] if site["function"] == "serve"]
    assert [site["states"]["alive"] for site in serving] == [1]
    assert "serving" in completed.stderr  # the target's own output goes to stderr


def test_script_target_with_arguments() -> None:
    document, completed = confirm_json("script.py", "--", "alpha", "beta")
    assert completed.returncode == 1
    assert verdicts(document) == {("confirmed", "script.py", 10)}
    (result,) = document["results"]
    assert result["code"] == "SIG102"
    assert result["lost"] == 2
    assert document["target"]["args"] == ["alpha", "beta"]
    assert "argv: ['alpha', 'beta']" in completed.stderr


def test_target_that_ends_its_own_process() -> None:
    document, completed = confirm_json("hard_exit.py")
    assert completed.returncode == 2
    assert document["outcome"]["status"] == "crashed"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "the following arguments are required: TARGET"),
        (("not a module",), "not a module name"),
        (("nope.py",), "no such script"),
        (("mixed:",), "not a factory name"),
        (("--timeout", "0", "mixed"), "more than 0 seconds"),
        (("--format", "xml", "mixed"), "invalid choice"),
    ],
)
def test_usage_errors(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["confirm", *args])
    assert raised.value.code == 2


def test_usage_error_messages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["confirm", "nope.py"])
    assert "no such script: nope.py" in capsys.readouterr().err


def test_missing_factory_is_a_load_error() -> None:
    completed = confirm("mixed:nope")
    assert completed.returncode == 2
    assert "module 'mixed' has no attribute 'nope'" in completed.stdout


def test_arguments_after_double_dash_only_for_confirm() -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version", "--", "x"])
    assert raised.value.code == 0


def test_target_never_runs_in_the_calling_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(APPS)
    monkeypatch.syspath_prepend(str(APPS))
    connect = blinker.Signal.connect
    assert main(["confirm", "--format", "json", "raising:create"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["outcome"]["status"] == "raised"
    assert "raising" not in sys.modules
    assert blinker.Signal.connect is connect


# -- in-process pieces ----------------------------------------------------------------------------


def test_target_parsing(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text("")
    assert Target.parse("pkg.app").kind == "module"
    factory = Target.parse("pkg.app:make.app")
    assert (factory.kind, factory.module, factory.attr) == ("factory", "pkg.app", "make.app")
    parsed = Target.parse(str(script), ["-v"])
    assert (parsed.kind, parsed.path, parsed.args) == ("script", str(script), ("-v",))
    for bad in ("", "pkg-app", "pkg:", "pkg:1x", str(tmp_path / "missing.py")):
        with pytest.raises(TargetError):
            Target.parse(bad)


def _lose(sig: blinker.Signal) -> None:
    def nested(sender: object) -> None:
        pass

    sig.connect(nested)


class _Handler:
    def method(self, sender: object) -> None:
        pass


def _module_level(sender: object) -> None:
    pass


def test_recorder_states_and_restore() -> None:
    original_connect, original_disconnect = blinker.Signal.connect, blinker.Signal.disconnect
    sig = blinker.Signal()
    with Recorder() as recorder:
        assert is_wrapped(blinker.Signal.connect) and is_wrapped(blinker.Signal.disconnect)
        _lose(sig)  # lost
        sig.connect(_module_level)  # alive
        sig.connect(_Handler().method)  # lost (WeakMethod)
        handler = _Handler()
        sig.connect(handler.method)  # alive
        sig.connect(lambda sender: None, weak=False)  # strong: not recorded

        def temporary(sender: object) -> None:
            pass

        sig.connect(temporary)
        sig.disconnect(temporary)
        del temporary  # disconnected first, then freed: not a loss
        recorder.collect()
        states = {(c.receiver, c.state) for c in recorder.connections()}
    assert blinker.Signal.connect is original_connect
    assert blinker.Signal.disconnect is original_disconnect
    assert states == {
        ("_lose.<locals>.nested", "lost"),
        ("_module_level", "alive"),
        ("bound method _Handler.method", "lost"),
        ("bound method _Handler.method", "alive"),
        ("test_recorder_states_and_restore.<locals>.temporary", "disconnected"),
    }
    assert handler is not None


def test_recorder_keeps_nothing_alive_and_skips_unweakrefable() -> None:
    class Slotted:
        __slots__ = ()

        def __call__(self, sender: object) -> None:
            pass

    sig = blinker.Signal()
    with Recorder() as recorder:

        def receiver(sender: object) -> None:
            pass

        probe = weakref.ref(receiver)
        assert sig.connect(receiver) is receiver  # blinker returns the receiver
        del receiver
        gc.collect()
        assert probe() is None
        with pytest.raises(TypeError):
            sig.connect(Slotted())  # blinker itself refuses; nothing recorded
        connections = recorder.connections()
    assert [c.state for c in connections] == ["lost"]


def test_recorder_orphans_when_the_signal_or_sender_dies_first() -> None:
    class Sender:
        pass

    with Recorder() as recorder:

        def receiver(sender: object) -> None:
            pass

        def other(sender: object) -> None:
            pass

        sig = blinker.Signal()
        sig.connect(receiver)
        del sig  # the signal goes first: nothing can send to the receiver any more
        gc.collect()  # (a blinker Signal sits in a reference cycle of its own)
        del receiver
        sender = Sender()
        blinker.Signal.connect(SIGNAL_FOR_ORPHANS, other, sender)
        del sender  # the only sender it listens to goes first
        del other
        recorder.collect()
        states = [c.state for c in recorder.connections()]
    assert states == ["orphaned", "orphaned"]


SIGNAL_FOR_ORPHANS = blinker.Signal()


def test_finding_spans_cover_multiline_calls_and_decorators() -> None:
    source = (
        "def f(sig):\n"  # 1
        "    @sig.connect_via(\n"  # 2
        "        None, weak=True)\n"  # 3
        "    def h(s):\n"  # 4
        "        pass\n"  # 5
        "    sig.connect(\n"  # 6
        "        lambda s: None)\n"  # 7
    )
    decorator = Finding(2, 5, "SIG101", "m")
    call = Finding(6, 4, "SIG102", "m")
    assert join.finding_spans(source, [decorator, call]) == {decorator: (2, 4), call: (6, 7)}


def _run_with(connections: list[dict]) -> RunResult:
    return RunResult(status="finished", source_root="/src", target_files=[], connections=connections)


def _connection(path: str, line: int, state: str, receiver: str = "r") -> dict:
    return {
        "path": path,
        "line": line,
        "function": "f",
        "receiver": receiver,
        "signal": "s",
        "sender": "ANY",
        "state": state,
    }


def test_join_statuses(tmp_path: Path) -> None:
    module = tmp_path / "mod.py"
    module.write_text("x = 1\n" * 20)
    path = str(module)
    findings = [Finding(3, 0, "SIG101", "a"), Finding(5, 0, "SIG101", "b"), Finding(7, 0, "SIG102", "c")]
    run = _run_with(
        [
            _connection(path, 3, "lost"),
            _connection(path, 3, "alive"),
            _connection(path, 5, "alive"),
            _connection(path, 5, "orphaned"),
            _connection(path, 9, "lost", receiver="other"),
            _connection(path, 11, "alive", receiver="fine"),
        ]
    )
    built = join.build_report(
        Target.parse("pkg"), run, timeout=1, static_check=lambda p, roots: findings if p == path else []
    )
    assert [(r.status, r.line) for r in built.results] == [
        ("confirmed", 3),
        ("missed-by-linter", 9),
        ("not-reproduced", 5),
        ("not-reached", 7),
    ]
    assert built.exit_code == 1
    assert built.lost_receivers == 2
    document = report.to_json(built)
    jsonschema.Draft202012Validator(report.schema()).validate(document)


def test_join_survives_a_failing_static_check(tmp_path: Path) -> None:
    module = tmp_path / "mod.py"
    module.write_text("x = 1\n")

    def broken(path: str, roots: object) -> list[Finding]:
        raise RuntimeError("boom")

    run = _run_with([_connection(str(module), 1, "lost")])
    built = join.build_report(Target.parse("pkg"), run, timeout=1, static_check=broken)
    assert [r.status for r in built.results] == ["missed-by-linter"]
    assert built.errors and "boom" in built.errors[0]
    assert "error: static analysis" in report.render_text(built)
