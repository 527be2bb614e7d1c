"""pytest plugin: fail (or warn) a test when a signal receiver it connected weakly was lost.

Off unless asked for::

    pytest --signals-check tests/     # same as --signals-check=fail
    pytest --signals-check=warn       # a warning instead of a failure
    pytest --signals-check=off        # off, even when the ini file turns it on

or in the ini file: ``signals_check = true`` (also ``fail``, ``warn``, ``false``/``off``).

When it is off, this module does nothing else: no signal library is imported or patched. When it
is on, the connect/disconnect callables of every signal library the session imports (blinker,
Django, celery, PyDispatcher/Scrapy, psygnal) are wrapped from ``pytest_configure``, or from when
the library is imported, until the end of the session (see
:class:`flake8_signals.runtime.recorder.Recorder`), and after each test's call
phase the plugin reports every receiver weakly connected during the test's setup or call that was
garbage-collected while still connected, collecting garbage first when a receiver that could
still count is alive.

Receivers that a test connects itself and that live exactly as long as the test are not losses:
a death counts when it happened during setup (a fixture that returned), while the test function
was still running (a helper that returned, an inline lambda), or, for receivers only the final
collection found (reference cycles), when they were not connected by the test function itself.
A receiver that died after its signal or its sender did is never reported.
"""

from __future__ import annotations

import pytest

MODES = ("fail", "warn", "off")
_INI_VALUES = {
    "": "off",
    "0": "off",
    "false": "off",
    "no": "off",
    "off": "off",
    "1": "fail",
    "true": "fail",
    "yes": "fail",
    "on": "fail",
    "fail": "fail",
    "warn": "warn",
}
_PLUGIN_NAME = "flake8-signals-check"


class SignalReceiverLostWarning(pytest.PytestWarning):
    """A signal receiver connected during a test was garbage-collected while still connected."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flake8-signals", "signal receivers lost to weak references (flake8-signals)")
    # A flag, so that `pytest --signals-check tests/` reads `tests/` as a path. The modes are
    # option strings of their own: argparse matches `--signals-check=warn` whole before it
    # would split it at "=".
    group.addoption(
        "--signals-check",
        "--signals-check=fail",
        dest="signals_check",
        action="store_const",
        const="fail",
        default=None,
        help=(
            "fail each test during which a signal receiver connected weakly (blinker, Django, celery, "
            "PyDispatcher, psygnal) was garbage-collected while still connected"
        ),
    )
    group.addoption(
        "--signals-check=warn",
        dest="signals_check",
        action="store_const",
        const="warn",
        help="the same check, with a SignalReceiverLostWarning instead of a failure",
    )
    group.addoption(
        "--signals-check=off",
        dest="signals_check",
        action="store_const",
        const="off",
        help="no check, even when the ini option signals_check turns it on",
    )
    parser.addini(
        "signals_check",
        "flake8-signals runtime check: true/fail, warn, or false/off (default off)",
        default="",
    )


def check_mode(config: pytest.Config) -> str:
    """``fail``, ``warn`` or ``off``: the command line first, then the ini value."""
    value = config.getoption("signals_check", default=None)
    if value is not None:
        return str(value)
    raw = str(config.getini("signals_check") or "").strip().lower()
    if raw not in _INI_VALUES:
        raise pytest.UsageError(
            f"signals_check = {raw!r} is not one of: true, fail, warn, false, off (flake8-signals)"
        )
    return _INI_VALUES[raw]


def pytest_configure(config: pytest.Config) -> None:
    mode = check_mode(config)
    if mode == "off":
        return
    if int(pytest.__version__.split(".")[0]) < 8:
        raise pytest.UsageError(f"--signals-check needs pytest 8 or later (this is {pytest.__version__})")
    from .runtime.pytest_check import SignalsCheck
    from .runtime.recorder import Recorder

    try:
        recorder = Recorder().install()
    except ImportError as error:
        raise pytest.UsageError(f"--signals-check has no signal library to watch: {error}") from None
    check = SignalsCheck(mode, recorder)
    config.add_cleanup(check.close)
    config.pluginmanager.register(check, _PLUGIN_NAME)
