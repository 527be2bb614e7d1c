"""`flake8-signals confirm`: real child processes on the fixture apps, plus the pieces in-process."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path
from typing import Any

import blinker
import jsonschema
import pytest

from flake8_signals.cli import main
from flake8_signals.findings import Finding
from flake8_signals.runtime import join, report
from flake8_signals.runtime.recorder import Recorder, is_wrapped
from flake8_signals.runtime.runner import RunResult, Target, TargetError, run_target

ROOT = Path(__file__).resolve().parent.parent
APPS = Path(__file__).resolve().parent / "fixtures" / "confirm_apps"
EXAMPLES = ROOT / "examples"
_CLI = "import sys; from flake8_signals.cli import main; sys.exit(main())"


def confirm(
    *args: str, cwd: Path = APPS, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `flake8-signals confirm ARGS` as its own process, the way a user would.

    Its output goes to pipes, as in `confirm ... 2>&1 | cat`: a process left holding them would
    make this wait until `timeout`.
    """
    return subprocess.run(
        [sys.executable, "-c", _CLI, "confirm", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def confirm_json(
    *args: str, cwd: Path = APPS, **kwargs: Any
) -> tuple[dict, subprocess.CompletedProcess[str]]:
    completed = confirm("--format", "json", *args, cwd=cwd, **kwargs)
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
    assert (
        "      runtime: 'register_lost.<locals>.on_ping_lost' connected to blinker signal 'mixed-ping' "
        "in register_lost(): 1 lost\n"
    ) in out
    assert "2 confirmed, 1 missed by the linter, 1 not reproduced, 1 not reached" in out


# -- the other libraries: Django, celery, PyDispatcher/Scrapy, psygnal -----------------------------

# Per app: the library as reports name it, and the state of every connection made from the app's
# files, by (the function that connected it, the receiver). Receivers the library holds strongly
# (celery's retry=True, psygnal's functions, lambdas and partials of functions) are not recorded.
LIBRARY_APPS = {
    "django_app": (
        "Django",
        {
            ("<module>", "on_order_bare"): {"lost": 1},
            ("register_lost", "register_lost.<locals>.on_order_lost"): {"lost": 1},
            ("register_decorated", "register_decorated.<locals>.on_finished"): {"lost": 1},
            ("register_temporary_method", "bound method Mailer.on_order"): {"lost": 1},
            ("register_kept", "register_kept.<locals>.on_order_kept"): {"alive": 1},
            ("register_getattr", "bound method Mailer.on_order"): {"lost": 1},
            ("register_module_level", "on_order_module_level"): {"alive": 1},
        },
    ),
    "celery_app": (
        "celery",
        {
            ("register_lost", "register_lost.<locals>.on_done_lost"): {"lost": 1},
            ("register_decorated", "register_decorated.<locals>.on_success"): {"lost": 1},
            ("register_for_sender", "bound method Reporter.on_done"): {"lost": 1},
            ("register_kept", "register_kept.<locals>.on_done_kept"): {"alive": 1},
            ("register_getattr", "bound method Reporter.on_done"): {"lost": 1},
        },
    ),
    "pydispatch_app": (
        "PyDispatcher",
        {
            ("register_lost", "register_lost.<locals>.on_saved_lost"): {"lost": 1},
            ("register_sender_for_weak", "bound method Exporter.on_saved"): {"lost": 1},
            ("register_kept", "register_kept.<locals>.on_saved_kept"): {"alive": 1},
            ("register_disconnected", "register_disconnected.<locals>.on_saved_once"): {"disconnected": 1},
            ("register_getattr", "bound method Exporter.on_saved"): {"lost": 1},
            ("install_lost", "bound method SpiderLogger.spider_opened"): {"lost": 1},
            ("install_kept", "bound method SpiderLogger.spider_opened"): {"alive": 1},
        },
    ),
    "psygnal_app": (
        "psygnal",
        {
            ("register_temporary_method", "bound method Listener.on_change"): {"lost": 1},
            ("register_temporary_instance", "Listener instance"): {"lost": 1},
            ("register_partial_of_a_method", "partial(bound method Listener.on_change)"): {"lost": 1},
            ("register_on_a_group", "bound method Listener.on_change"): {"lost": 1},
            ("register_kept", "bound method Listener.on_change"): {"alive": 1},
        },
    ),
}


def app_verdicts(package: str) -> set[tuple[str, str, int]]:
    """The verdicts the comments of every file of an app announce."""
    found: set[tuple[str, str, int]] = set()
    for path in sorted((APPS / package).glob("*.py")):
        found |= expected_verdicts(path, f"{package}/{path.name}")
    return found


def app_states(document: dict, package: str) -> tuple[set[str], dict[tuple[str, str], dict[str, int]]]:
    """The libraries and the non-zero states of the connections made from an app's own files (a
    library connects receivers of its own, too)."""
    sites = [site for site in document["connections"] if site["path"].startswith(f"{package}/")]
    states: dict[tuple[str, str], dict[str, int]] = {}
    for site in sites:
        counts = states.setdefault((site["function"], site["receiver"]), {})
        for state, count in site["states"].items():
            if count:
                counts[state] = counts.get(state, 0) + count
    return {site["library"] for site in sites}, states


@pytest.mark.parametrize("package", sorted(LIBRARY_APPS))
def test_every_verdict_for_each_library(package: str) -> None:
    document, completed = confirm_json(f"{package}:create")
    assert completed.returncode == 1, completed.stderr
    expected = app_verdicts(package)
    assert {status for status, _, _ in expected} == set(join.RESULT_STATUSES)
    assert verdicts(document) == expected
    library, states = LIBRARY_APPS[package]
    assert app_states(document, package) == ({library}, states)
    assert document["summary"]["lost_receivers"] >= sum(s.get("lost", 0) for s in states.values())


def test_django_with_debug_true_is_reported_as_production_sees_it() -> None:
    # The same verdicts and states as with DEBUG=False (test_every_verdict_for_each_library).
    document, completed = confirm_json("django_app:create_debug")
    assert completed.returncode == 1
    assert verdicts(document) == app_verdicts("django_app")
    library, states = LIBRARY_APPS["django_app"]
    assert app_states(document, "django_app") == ({library}, states)


@pytest.mark.parametrize(("factory", "called"), [("create", False), ("create_debug", True)])
def test_django_with_debug_true_hides_the_losses_without_the_tools(factory: str, called: bool) -> None:
    """What the test above is up against: run on its own, with DEBUG=True the app's lost function
    receivers are still called (Django's connect-time check keeps them in a cache)."""
    completed = subprocess.run(
        [sys.executable, "-c", f"import django_app; django_app.{factory}()"],
        cwd=APPS,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    for line in ("lost ready", "bare decorator ready"):
        assert (line in completed.stdout.splitlines()) is called, completed.stdout
    assert "mail ready" not in completed.stdout  # a temporary object's method is lost either way


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
    # Runner frames hidden (the path may hold "flake8_signals-0.1.0/": an unpacked sdist).
    assert "flake8_signals/" not in completed.stdout.split("Traceback", 1)[1]
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
        (("--timeout", "nan", "mixed"), "more than 0 seconds"),
        (("--timeout", "1e300", "mixed"), "at most 86400 seconds"),
        (("--timeout", "inf", "mixed"), "at most 86400 seconds"),
        (("--format", "xml", "mixed"), "invalid choice"),
    ],
)
def test_usage_errors(args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["confirm", *args])
    assert raised.value.code == 2
    assert message in capsys.readouterr().err


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


# -- confirm ends everything the target started, and always answers ------------------------------


def _running(pid: int) -> bool:
    """The process exists and is not a zombie (a zombie nobody reaps still has an id)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"


def _wait_gone(pids: list[int], limit: float = 10) -> list[int]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if _running(pid)]
        if not alive:
            return []
        time.sleep(0.05)
    return alive


def _pids(path: Path) -> list[int]:
    return [int(word) for word in path.read_text().split()]


@pytest.fixture
def no_leftovers():
    """Kill whatever a failing test left behind, so one regression does not slow the rest."""
    started: list[int] = []
    yield started
    for pid in started:
        if _running(pid):
            os.kill(pid, signal.SIGKILL)


needs_linux = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="processes leaving the session are ended only on Linux"
)


@needs_linux
@pytest.mark.parametrize(
    ("mode", "status", "code"),
    [("return", "finished", 1), ("exit", "crashed", 2), ("segv", "crashed", 2), ("hang", "timeout", 1)],
)
def test_every_process_the_target_started_is_ended(
    mode: str, status: str, code: int, tmp_path: Path, no_leftovers: list[int]
) -> None:
    pidfile = tmp_path / "pids"
    document, completed = confirm_json("--timeout", "3", "leaks.py", "--", str(pidfile), mode, timeout=30)
    pids = _pids(pidfile)
    no_leftovers.extend(pids)
    assert len(pids) == 3  # in the group, in a new session, a setsid daemon
    assert _wait_gone(pids, limit=1) == []
    assert document["outcome"]["status"] == status
    assert completed.returncode == code
    if status == "crashed":
        ending = "was killed by SIGSEGV" if mode == "segv" else "ended (exit status 3)"
        assert f"the target process {ending} without reporting" in document["outcome"]["message"]
    else:
        assert verdicts(document) == {("confirmed", "leaks.py", 40)}


@needs_linux
def test_a_target_that_ignores_the_time_limit_is_killed_with_all_it_started(
    tmp_path: Path, no_leftovers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    pidfile = tmp_path / "pids"
    monkeypatch.chdir(APPS)
    target = Target.parse("leaks.py", [str(pidfile), "hold"])
    started = time.monotonic()
    with open(tmp_path / "output", "w") as output:
        result = run_target(target, timeout=0.5, grace=0.5, output=output)
    assert time.monotonic() - started < 10
    pids = _pids(pidfile)
    no_leftovers.extend(pids)
    assert result.status == "killed"
    assert _wait_gone(pids, limit=1) == []


def _start_busy(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, Path, dict[str, str]]:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    pidfile = tmp_path / "pids"
    process = subprocess.Popen(
        [sys.executable, "-c", _CLI, "confirm", "busy.py", "--", str(pidfile)],
        cwd=APPS,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not pidfile.exists():
        assert time.monotonic() < deadline, "the target never started"
        time.sleep(0.02)
    assert [entry.name.startswith("flake8-signals-") for entry in temp.iterdir()] == [True]
    return process, pidfile, temp, env


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_to_confirm_ends_the_target_and_removes_its_folder(
    name: str, tmp_path: Path, no_leftovers: list[int]
) -> None:
    process, pidfile, temp, _ = _start_busy(tmp_path)
    pids = _pids(pidfile)
    no_leftovers.extend(pids)
    signum = getattr(signal, name)
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == -signum  # confirm dies of the signal, as its caller expects
    assert f"flake8-signals confirm: stopped by {name}" in err
    assert _wait_gone(pids, limit=1) == []
    assert list(temp.iterdir()) == []


@needs_linux
def test_killing_confirm_outright_still_ends_the_target(tmp_path: Path, no_leftovers: list[int]) -> None:
    process, pidfile, temp, _ = _start_busy(tmp_path)
    pids = _pids(pidfile)
    no_leftovers.extend(pids)
    process.kill()
    process.communicate(timeout=30)
    assert _wait_gone(pids) == []
    deadline = time.monotonic() + 10
    while list(temp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("not-json", "is not JSON"),
        ("bad-record", "has a connection record that is not one"),
        ("no-status", "has an unknown status None"),
    ],
)
def test_an_overwritten_result_is_an_internal_error_with_a_report(content: str, problem: str) -> None:
    document, completed = confirm_json("clobber.py", "--", content)
    assert completed.returncode == 3
    assert document["outcome"]["status"] == "internal-error"
    message = document["outcome"]["message"]
    assert message.startswith(f"internal error: the child's result file {problem}")
    assert message.endswith("; did the target overwrite it?")
    assert document["results"] == [] and document["summary"]["lost_receivers"] == 0
    assert "Traceback" not in completed.stderr
    text = confirm("clobber.py", "--", content)
    assert text.returncode == 3
    assert text.stdout.startswith(
        f"flake8-signals confirm clobber.py: internal error: the child's result file {problem}"
    )


def test_a_bug_in_confirm_is_an_internal_error_with_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from flake8_signals.runtime import confirm as confirm_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.chdir(APPS)
    monkeypatch.setattr(confirm_module, "build_report", broken)
    assert main(["confirm", "--format", "json", "mixed"]) == 3
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    jsonschema.Draft202012Validator(report.schema()).validate(document)
    assert document["exit_code"] == 3
    assert document["outcome"]["message"] == (
        "internal error of flake8-signals confirm: RuntimeError: a bug (please report it, with the traceback)"
    )
    assert "RuntimeError: a bug" in document["outcome"]["traceback"]
    assert "RuntimeError: a bug" in captured.err


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


class _ToyBase:
    """A stand-in signal library: ``listen(receiver, topic=None)``, defined on a base class of the
    class the hook names."""

    def __init__(self) -> None:
        self.receivers: list[weakref.ref] = []

    def listen(self, receiver: object, topic: object = None) -> None:
        self.receivers.append(weakref.ref(receiver))


class ToyBus(_ToyBase):
    pass


def test_recorder_follows_a_hook_description_not_blinker() -> None:
    from flake8_signals.libraries.model import Parameter, RuntimeHook, Weakness
    from flake8_signals.runtime.hooks import ConnectHook

    hook = ConnectHook(
        library="toy",
        runtime=RuntimeHook(
            __name__,
            "ToyBus.listen",
            Parameter("receiver", 0),
            Weakness(None, default=True),
            sender=Parameter("topic", 1),
        ),
    )
    bus = ToyBus()
    assert "listen" not in vars(ToyBus)
    with Recorder([hook]) as recorder:
        assert is_wrapped(ToyBus.listen) and not is_wrapped(blinker.Signal.connect)

        def nested(sender: object) -> None:
            pass

        bus.listen(nested, "topic-a")
        bus.listen(receiver=_module_level)
        del nested
        recorder.collect()
        records = [(c.receiver, c.sender, c.state) for c in recorder.connections()]
    assert "listen" not in vars(ToyBus)  # inherited: the wrapper is removed, not replaced
    assert records == [
        ("test_recorder_follows_a_hook_description_not_blinker.<locals>.nested", "'topic-a'", "lost"),
        ("_module_level", "ANY", "alive"),
    ]


def test_installing_imports_no_library_and_wraps_each_once_the_program_imports_it() -> None:
    code = """
import sys
from flake8_signals.runtime.recorder import Recorder, is_wrapped
LIBRARIES = ("blinker", "django", "celery", "pydispatch", "psygnal", "scrapy")
recorder = Recorder().install()
print(sorted(name for name in LIBRARIES if name in sys.modules))
from django.dispatch import Signal
import psygnal
from pydispatch import dispatcher
wrapped = lambda: [
    is_wrapped(Signal.connect), is_wrapped(psygnal.SignalInstance.connect),
    is_wrapped(psygnal.SignalGroup.disconnect), is_wrapped(dispatcher.connect),
]
print(wrapped(), sorted(name for name in LIBRARIES if name in sys.modules), recorder.problems)
recorder.uninstall()
print(wrapped(), [type(finder).__name__ for finder in sys.meta_path].count("_AfterImport"))
"""
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        "[]",
        "[True, True, True, True] ['django', 'psygnal', 'pydispatch'] []",
        "[False, False, False, False] 0",
    ]


def test_recorder_follows_each_librarys_rules_for_keys_and_disconnects() -> None:
    import django.dispatch
    import psygnal
    from pydispatch import dispatcher

    class Document:
        changed = psygnal.Signal(int)

    class Listener:
        def on_change(self, value: object = None, **kwargs: object) -> None:
            pass

    order_placed = django.dispatch.Signal()
    document = Document()
    keep: list[object] = []
    with Recorder() as recorder:

        def first(**kwargs: object) -> None:
            pass

        def second(**kwargs: object) -> None:
            pass

        def by_key(**kwargs: object) -> None:
            pass

        order_placed.connect(first, dispatch_uid="uid")
        order_placed.connect(second, dispatch_uid="uid")  # the key is taken: never connected
        order_placed.connect(by_key, dispatch_uid="other")
        order_placed.disconnect(dispatch_uid="other")
        order_placed.connect(first, sender=Listener)  # for one sender...
        order_placed.disconnect(first)  # ...which a disconnect for every sender does not end
        dispatcher.connect(first, signal="".join(["item", "-saved"]))
        dispatcher.disconnect(first, signal="item-saved")  # an equal string is the same signal
        listeners = [Listener(), Listener()]
        for listener in listeners:
            document.changed.connect(listener.on_change)
        document.changed.disconnect()  # every slot
        keep.append(first)
        del first, second, by_key, listeners
        recorder.collect()
        states = [
            (c.library, c.receiver.rpartition(".")[2], c.sender, c.state) for c in recorder.connections()
        ]
    assert states == [
        ("Django", "first", "ANY", "alive"),
        ("Django", "second", "ANY", "disconnected"),
        ("Django", "by_key", "ANY", "disconnected"),
        ("Django", "first", f"class {Listener.__qualname__}", "alive"),
        ("PyDispatcher", "first", "ANY", "disconnected"),
        ("psygnal", "on_change", "ANY", "disconnected"),
        ("psygnal", "on_change", "ANY", "disconnected"),
    ]


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
        "library": "blinker",
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
