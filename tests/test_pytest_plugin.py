"""The pytest plugin (`--signals-check`), run on small test suites with pytester."""

from __future__ import annotations

import json

import blinker
import pytest

from flake8_signals.runtime.recorder import is_wrapped

pytest_plugins = ["pytester"]

# A small app module the inner test suites use: `register()` connects a nested function weakly,
# so the receiver is gone as soon as it returns.
APP = """
from blinker import signal

ping = signal("plugin-tests-ping-{name}")
calls = []


def on_ping_module_level(sender, **extra):
    calls.append(("module", sender))


def register():
    def on_ping(sender, **extra):
        calls.append(("nested", sender))

    ping.connect(on_ping)


def register_module_level():
    ping.connect(on_ping_module_level)


def register_cyclic():
    def on_ping_cyclic(sender, **extra):
        return on_ping_cyclic  # refers to itself: freed only by the garbage collector

    ping.connect(on_ping_cyclic)
"""

LOSING_TEST = """
import app


def test_loses_a_receiver():
    app.register()
    app.ping.send("me")
"""


@pytest.fixture(autouse=True)
def _only_this_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    # The inner runs load this plugin alone (-p below), not every plugin installed here.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    # Under CI (CI or BUILD_NUMBER set) pytest prints the short summary untruncated, which
    # repeats each failure's message: the inner runs' output is compared as on a workstation.
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BUILD_NUMBER", raising=False)


@pytest.fixture
def app(pytester: pytest.Pytester, request: pytest.FixtureRequest) -> Pytester:
    pytester.makepyfile(app=APP.format(name=request.node.name))
    pytester.syspathinsert()
    return Pytester(pytester)


class Pytester:
    """pytester, with the plugin loaded explicitly in every run."""

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.makepyfile = pytester.makepyfile
        self.makeini = pytester.makeini

    def runpytest(self, *args: str) -> pytest.RunResult:
        # In-process runs share sys.modules with the outer pytest, which has usually imported the
        # plugin already; pytest then warns that it cannot assert-rewrite it. That warning is about
        # this harness, not the plugin, and would skew the warning counts asserted below.
        return self.pytester.runpytest(
            "-p",
            "flake8_signals.pytest_plugin",
            "-W",
            "ignore::pytest.PytestAssertRewriteWarning",
            *args,
        )


def _assert_restored() -> None:
    assert not is_wrapped(blinker.Signal.connect)
    assert not is_wrapped(blinker.Signal.disconnect)


def test_fails_a_test_that_loses_a_receiver(app: Pytester) -> None:
    app.makepyfile(test_it=LOSING_TEST)
    result = app.runpytest("--signals-check")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*flake8-signals: 1 signal receiver was garbage-collected while still connected*",
            "*app.py:15: 'register.<locals>.on_ping' connected to blinker signal 'plugin-tests-ping-*' "
            "in register()*",
            "*flake8-signals: signal receivers lost*",
        ]
    )
    _assert_restored()


def test_passes_tests_whose_receivers_live(app: Pytester) -> None:
    app.makepyfile(
        test_it="""
        import pytest

        import app


        @pytest.fixture
        def listening():
            received = []

            def on_ping(sender, **extra):
                received.append(sender)

            app.ping.connect(on_ping)  # alive while the fixture is suspended at its yield
            yield received


        def test_module_level_receiver():
            app.register_module_level()
            app.ping.send("me")
            assert ("module", "me") in app.calls


        def test_receiver_local_to_the_test():
            received = []

            def on_ping(sender, **extra):
                received.append(sender)

            app.ping.connect(on_ping)  # lives exactly as long as the test: fine
            app.ping.send("me")
            assert received == ["me"]


        def test_receiver_from_a_yield_fixture(listening):
            app.ping.send("me")
            assert listening == ["me"]


        def test_disconnected_receiver():
            def on_ping(sender, **extra):
                pass

            app.ping.connect(on_ping)
            app.ping.disconnect(on_ping)


        def test_strong_connection():
            app.ping.connect(lambda sender, **extra: None, weak=False)


        def test_cyclic_receiver_local_to_the_test():
            def on_ping(sender, **extra):
                return on_ping

            app.ping.connect(on_ping)
            app.ping.send("me")


        class TestInAClass:
            def test_receiver_local_to_the_test(self):
                received = []

                def on_ping(sender, **extra):
                    received.append(sender)
                    return on_ping

                app.ping.connect(on_ping)
                app.ping.send("me")
                assert received == ["me"]
        """
    )
    result = app.runpytest("--signals-check")
    result.assert_outcomes(passed=7)
    assert "garbage-collected" not in result.stdout.str()
    _assert_restored()


def test_counts_losses_in_fixtures_and_inline_lambdas(app: Pytester) -> None:
    app.makepyfile(
        test_it="""
        import pytest

        import app


        @pytest.fixture
        def registered():
            app.register()  # the receiver dies when register() returns, during setup


        def test_from_fixture(registered):
            pass


        def test_inline_lambda():
            app.ping.connect(lambda sender, **extra: None)


        def test_cyclic_receiver_from_a_helper():
            app.register_cyclic()
        """
    )
    result = app.runpytest("--signals-check=fail")
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "*test_it.py:16: '*<lambda>' connected to*in test_inline_lambda()*",
            "*app.py:26: 'register_cyclic.<locals>.on_ping_cyclic' connected to*in register_cyclic()*",
        ]
    )


def test_counts_losses_in_worker_threads(app: Pytester) -> None:
    app.makepyfile(
        test_it="""
        import concurrent.futures
        import threading

        import app


        def test_thread():
            worker = threading.Thread(target=app.register)
            worker.start()
            worker.join()


        def test_executor():
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                pool.submit(app.register).result()


        def test_receiver_local_to_the_test_connected_in_a_thread():
            received = []

            def on_ping(sender, **extra):
                received.append(sender)

            worker = threading.Thread(target=app.ping.connect, args=(on_ping,))
            worker.start()
            worker.join()
            app.ping.send("me")
            assert received == ["me"]
        """
    )
    result = app.runpytest("--signals-check", "-v")
    result.assert_outcomes(failed=2, passed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_it.py::test_thread FAILED*",
            "*test_it.py::test_executor FAILED*",
            "*test_it.py::test_receiver_local_to_the_test_connected_in_a_thread PASSED*",
        ],
        consecutive=False,
    )
    assert result.stdout.str().count("'register.<locals>.on_ping' connected to") == 4  # 2 failures + summary


XDIST_TESTS = """
import app


def test_loses_one():
    app.register()


def test_loses_another():
    app.register_cyclic()


def test_fine():
    app.register_module_level()
"""


def _summary(output: str) -> dict[str, list[str]]:
    """The end-of-session section: each test's node id with the lines under it."""
    section = output.split("flake8-signals: signal receivers lost", 1)[1]
    summary: dict[str, list[str]] = {}
    for line in section.splitlines():
        if line.startswith("test_it.py::"):
            summary[line] = []
        elif line.startswith("  ") and summary:
            summary[list(summary)[-1]].append(line.strip())
        elif line.startswith("="):
            break
    return summary


@pytest.mark.parametrize(
    ("mode", "outcomes"),
    [("fail", {"failed": 2, "passed": 1}), ("warn", {"passed": 3})],
    ids=["fail", "warn"],
)
def test_summary_under_xdist(
    app: Pytester, mode: str, outcomes: dict[str, int], request: pytest.FixtureRequest
) -> None:
    app.makepyfile(test_it=XDIST_TESTS)
    result = app.pytester.runpytest_subprocess(
        "-p", "xdist.plugin", "-p", "flake8_signals.pytest_plugin", "-n", "2", f"--signals-check={mode}"
    )
    result.assert_outcomes(**outcomes, warnings=2 if mode == "warn" else 0)
    output = result.stdout.str()
    assert "created: 2/2 workers" in output
    signal = f"plugin-tests-ping-{request.node.name}"
    assert _summary(output) == {
        "test_it.py::test_loses_one": [
            f"app.py:15: 'register.<locals>.on_ping' connected to blinker signal '{signal}' in register()"
        ],
        "test_it.py::test_loses_another": [
            f"app.py:26: 'register_cyclic.<locals>.on_ping_cyclic' connected to blinker signal '{signal}' "
            "in register_cyclic()"
        ],
    }


def test_collects_garbage_only_when_a_loss_could_still_be_found(app: Pytester) -> None:
    # A full gc.collect() per test was the check's whole cost on real suites; it is only needed
    # while a receiver the test function did not connect itself is alive and connected.
    app.pytester.makeconftest(
        """
        import gc
        import json
        import os

        calls = []
        _collect = gc.collect


        def counting_collect(*args, **kwargs):
            calls.append(os.environ.get("PYTEST_CURRENT_TEST", ""))
            return _collect(*args, **kwargs)


        gc.collect = counting_collect


        def pytest_sessionfinish(session):
            with open("collections.json", "w") as handle:
                json.dump(calls, handle)
        """
    )
    app.makepyfile(
        test_it="""
        import pytest

        import app


        @pytest.fixture
        def listening():
            def on_ping(sender, **extra):
                pass

            app.ping.connect(on_ping)
            yield


        def test_connects_nothing():
            pass


        def test_own_receiver():
            def on_ping(sender, **extra):
                return on_ping

            app.ping.connect(on_ping)


        def test_disconnects():
            app.register_module_level()
            app.ping.disconnect(app.on_ping_module_level)


        def test_helper_receiver_already_dead():
            app.register()


        def test_fixture_receiver(listening):
            pass


        def test_cyclic_receiver_from_a_helper():
            app.register_cyclic()
        """
    )
    result = app.pytester.runpytest_subprocess("-p", "flake8_signals.pytest_plugin", "--signals-check")
    result.assert_outcomes(failed=2, passed=4)
    result.stdout.fnmatch_lines(
        [
            "*FAILED test_it.py::test_helper_receiver_already_dead*",
            "*FAILED test_it.py::test_cyclic_receiver*",
        ],
        consecutive=False,
    )
    calls = json.loads((app.pytester.path / "collections.json").read_text())
    during_calls = {call.removesuffix(" (call)") for call in calls if call.endswith(" (call)")}
    assert during_calls == {
        "test_it.py::test_fixture_receiver",
        "test_it.py::test_cyclic_receiver_from_a_helper",
    }


# -- the other libraries ---------------------------------------------------------------------------

# An app module per library: register() loses a receiver, register_kept() connects one that lives.
LIBRARY_APPS = {
    "django": """
from django.dispatch import Signal

ping = Signal()


def on_ping_module_level(sender, **kwargs):
    pass


def register():
    def on_ping(sender, **kwargs):
        pass

    ping.connect(on_ping)


def register_kept():
    ping.connect(on_ping_module_level, dispatch_uid="kept")
""",
    "celery": """
from celery.utils.dispatch import Signal

ping = Signal(name="ping")


def on_ping_module_level(sender=None, **kwargs):
    pass


def register():
    @ping.connect
    def on_ping(sender=None, **kwargs):
        pass


def register_kept():
    ping.connect(on_ping_module_level)
""",
    "pydispatch": """
from pydispatch import dispatcher

PING = "ping"


def on_ping_module_level():
    pass


def register():
    def on_ping():
        pass

    dispatcher.connect(on_ping, signal=PING)


def register_kept():
    dispatcher.connect(on_ping_module_level, signal=PING)
""",
    "psygnal": """
import functools

from psygnal import Signal


class Emitter:
    ping = Signal()


class Listener:
    def on_ping(self):
        pass


EMITTER = Emitter()
KEPT = Listener()


def register():
    EMITTER.ping.connect(Listener().on_ping)


def register_kept():
    def on_ping():
        pass

    EMITTER.ping.connect(on_ping)  # psygnal holds functions,
    EMITTER.ping.connect(lambda: None)  # lambdas
    EMITTER.ping.connect(functools.partial(on_ping))  # and partials of functions strongly
    EMITTER.ping.connect(KEPT.on_ping)
""",
}
# What the failure says of each library's lost receiver.
LIBRARY_LOSSES = {
    "django": "*app.py:14: 'register.<locals>.on_ping' connected to Django signal 'ping' in register()",
    # The decorator's line (Python 3.10: the def's).
    "celery": "*app.py:1[12]: 'register.<locals>.on_ping' connected to celery signal 'ping' in register()",
    "pydispatch": (
        "*app.py:14: 'register.<locals>.on_ping' connected to PyDispatcher signal 'ping' in register()"
    ),
    "psygnal": "*app.py:20: 'bound method Listener.on_ping' connected to psygnal signal 'ping' in register()",
}
LIBRARY_TESTS = """
import app


def test_loses_a_receiver():
    app.register()


def test_keeps_its_receivers():
    app.register_kept()
"""


@pytest.mark.parametrize("library", sorted(LIBRARY_APPS))
def test_fails_a_test_that_loses_a_receiver_of_each_library(pytester: pytest.Pytester, library: str) -> None:
    pytester.makepyfile(app=LIBRARY_APPS[library], test_it=LIBRARY_TESTS)
    pytester.syspathinsert()
    result = Pytester(pytester).runpytest("--signals-check", "-v")
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_it.py::test_loses_a_receiver FAILED*",
            "*test_it.py::test_keeps_its_receivers PASSED*",
            "*flake8-signals: 1 signal receiver was garbage-collected while still connected*",
            LIBRARY_LOSSES[library],
        ],
        consecutive=False,
    )
    Pytester(pytester).runpytest().assert_outcomes(passed=2)  # off: the same tests pass


def test_django_with_debug_true_fails_as_production_would(pytester: pytest.Pytester) -> None:
    # Django keeps a function connected with DEBUG=True alive in its connect-time cache; the check
    # empties that cache, so the test fails as it would with DEBUG=False.
    pytester.makeconftest(
        """
        from django.conf import settings

        settings.configure(DEBUG=True)
        """
    )
    pytester.makepyfile(
        app=LIBRARY_APPS["django"],
        test_it=LIBRARY_TESTS
        + """

def test_the_loss_is_hidden_without_the_check(request):
    import gc
    import weakref

    received = []

    def register():
        def on_ping(sender, **kwargs):
            received.append(sender)

        app.ping.connect(on_ping)
        return weakref.ref(on_ping)

    ref = register()
    gc.collect()
    app.ping.send("me")
    checked = request.config.getoption("signals_check") == "fail"
    assert (ref() is None) is checked
    assert received == ([] if checked else ["me"])
""",
    )
    pytester.syspathinsert()
    result = pytester.runpytest_subprocess("-p", "flake8_signals.pytest_plugin", "--signals-check", "-v")
    result.assert_outcomes(failed=2, passed=1)
    result.stdout.fnmatch_lines(
        ["*test_loses_a_receiver FAILED*", LIBRARY_LOSSES["django"]], consecutive=False
    )
    pytester.runpytest_subprocess("-p", "flake8_signals.pytest_plugin").assert_outcomes(passed=3)


def test_warn_mode(app: Pytester) -> None:
    app.makepyfile(test_it=LOSING_TEST)
    result = app.runpytest("--signals-check=warn")
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(
        ["*SignalReceiverLostWarning: flake8-signals: 1 signal receiver was garbage-collected*"]
    )
    _assert_restored()


def test_ini_turns_it_on_and_the_command_line_wins(app: Pytester) -> None:
    app.makepyfile(test_it=LOSING_TEST)
    app.makeini("[pytest]\nsignals_check = true\n")
    app.runpytest().assert_outcomes(failed=1)
    app.runpytest("--signals-check=off").assert_outcomes(passed=1)
    app.runpytest("--signals-check=warn").assert_outcomes(passed=1, warnings=1)
    app.makeini("[pytest]\nsignals_check = warn\n")
    app.runpytest().assert_outcomes(passed=1, warnings=1)


def test_bad_ini_value_is_a_usage_error(app: Pytester) -> None:
    app.makepyfile(test_it=LOSING_TEST)
    app.makeini("[pytest]\nsignals_check = sometimes\n")
    result = app.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*signals_check = 'sometimes' is not one of*"])


def test_paths_after_the_option(app: Pytester) -> None:
    app.makepyfile(test_it=LOSING_TEST, test_other="def test_other():\n    pass\n")
    result = app.runpytest("--signals-check", "test_it.py")  # the usual spelling
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*flake8-signals: 1 signal receiver was garbage-collected*"])
    app.runpytest("--signals-check=warn", "test_it.py").assert_outcomes(passed=1, warnings=1)
    app.runpytest("--signals-check=fail", "test_it.py").assert_outcomes(failed=1)
    app.runpytest("test_it.py", "--signals-check").assert_outcomes(failed=1)


def test_an_unknown_mode_is_a_usage_error(app: Pytester) -> None:
    app.makepyfile(test_it=LOSING_TEST)
    result = app.runpytest("--signals-check=sometimes")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--signals-check*: ignored explicit argument 'sometimes'*"])


def test_a_failing_test_keeps_its_own_error(app: Pytester) -> None:
    app.makepyfile(
        test_it="""
        import app


        def test_fails():
            app.register()
            assert False, "its own failure"
        """
    )
    result = app.runpytest("--signals-check")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*its own failure*", "*Captured flake8-signals call*", "*on_ping*"])


def test_inert_unless_enabled(app: Pytester) -> None:
    app.makepyfile(
        test_it="""
        import blinker

        import app


        def test_loses_a_receiver_unnoticed():
            assert not hasattr(blinker.Signal.connect, "__flake8_signals_wrapper__")
            assert not hasattr(blinker.Signal.disconnect, "__flake8_signals_wrapper__")
            app.register()
        """
    )
    result = app.runpytest()
    result.assert_outcomes(passed=1)
    assert "garbage-collected" not in result.stdout.str()
    result = app.runpytest("--signals-check=off")
    result.assert_outcomes(passed=1)


def test_inert_unless_enabled_does_not_even_import_blinker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_it="""
        import sys


        LIBRARIES = ("blinker", "django", "celery", "pydispatch", "psygnal", "scrapy")


        def test_nothing_imported(request):
            assert [name for name in LIBRARIES if name in sys.modules] == []
            if request.config.getoption("signals_check") is None:
                assert "flake8_signals.runtime" not in sys.modules
        """
    )
    result = pytester.runpytest_subprocess("-p", "flake8_signals.pytest_plugin")
    result.assert_outcomes(passed=1)
    # On, it wraps a library only once the session imports it.
    result = pytester.runpytest_subprocess("-p", "flake8_signals.pytest_plugin", "--signals-check")
    result.assert_outcomes(passed=1)


def test_found_through_its_entry_point(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    pytester.makepyfile(app=APP.format(name="entry-point"), test_it=LOSING_TEST)
    pytester.syspathinsert()
    result = pytester.runpytest("--signals-check")
    result.assert_outcomes(failed=1)
    assert "flake8-signals: 1 signal receiver was garbage-collected" in result.stdout.str()
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(["*--signals-check*", "*signals_check*"])
    _assert_restored()
