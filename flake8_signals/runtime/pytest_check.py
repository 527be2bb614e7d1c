"""The per-test check behind ``pytest --signals-check`` (see :mod:`flake8_signals.pytest_plugin`).

Kept apart from the plugin module so that merely having flake8-signals installed never defines
hook wrappers: this module is imported only when the check is turned on (it needs pytest 8+).
"""

from __future__ import annotations

import inspect
import os
import threading
from collections.abc import Generator
from contextlib import suppress
from types import CodeType
from typing import Any

import pytest

from ..pytest_plugin import SignalReceiverLostWarning
from .recorder import LOST, Connection, Recorder

#: The lost receivers of a test, as report lines, on the item while it runs.
_LOST = pytest.StashKey[list[str]]()
#: ... and on its call-phase report, which pytest-xdist carries from the worker to the controller
#: (a report's extra attributes are serialised with it), where the session summary is printed.
REPORT_ATTRIBUTE = "flake8_signals_lost"


def _test_code(item: pytest.Item) -> CodeType | None:
    """The code object of the test function itself (None for doctests and other item types)."""
    if not isinstance(item, pytest.Function):
        return None
    function: Any = getattr(item, "obj", None)
    function = getattr(function, "__func__", function)
    with suppress(ValueError):
        function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    return code if isinstance(code, CodeType) else None


def _same_function(connection: Connection, code: CodeType) -> bool:
    site = connection.site
    if site.path.startswith("<") or code.co_filename.startswith("<"):
        return False
    same_file = os.path.normcase(os.path.abspath(code.co_filename)) == os.path.normcase(site.path)
    return same_file and site.function == getattr(code, "co_qualname", code.co_name)


def _display(path: str, rootpath: str) -> str:
    if path.startswith("<"):
        return path
    try:
        relative = os.path.relpath(path, rootpath)
    except ValueError:
        return path
    return path if relative.startswith(os.pardir) else relative


class SignalsCheck:
    """Registered as a plugin only when the check is on; owns the installed recorder."""

    def __init__(self, mode: str, recorder: Recorder) -> None:
        self.mode = mode
        self.recorder = recorder
        self.start = 0
        self.reports: list[tuple[str, list[str]]] = []

    def close(self) -> None:
        self.recorder.forget()
        self.recorder.uninstall()

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, Any, Any]:
        recorder = self.recorder
        if _LOST in item.stash:
            del item.stash[_LOST]  # a re-run of the same item starts afresh
        recorder.forget()  # connections made before this test (imports, earlier tests) are not its concern
        self.start = recorder.mark()
        recorder.tag = item.nodeid
        recorder.watch_code = None
        recorder.phase = "setup"
        try:
            return (yield)
        finally:
            recorder.phase = ""

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, Any]:
        recorder = self.recorder
        code = _test_code(item)
        recorder.watch_code = code
        recorder.watch_thread = threading.get_ident()
        recorder.phase = "call"
        try:
            result = yield
        except BaseException:
            lines = self._lost_lines(item, code)
            if lines:
                # The test failed anyway; say what was lost without hiding its own error.
                item.add_report_section("call", "flake8-signals", self._message(lines))
            raise
        lines = self._lost_lines(item, code)
        if lines:
            message = self._message(lines)
            if self.mode == "fail":
                pytest.fail(message, pytrace=False)
            item.warn(SignalReceiverLostWarning(message))
        return result

    def _lost_lines(self, item: pytest.Item, code: CodeType | None) -> list[str]:
        recorder = self.recorder
        recorder.watch_code = None
        recorder.watch_thread = None
        recorder.phase = ""
        if code is not None:
            # A full collection is by far the check's cost on a large session, and it can only
            # turn up a loss that counts (see _counts) among receivers still alive and connected
            # that the test function did not connect itself. Most tests have none: skip it then,
            # and stop collecting once none is left.
            def undecided() -> bool:
                return any(not _same_function(c, code) for c in recorder.pending(self.start))

            if undecided():
                recorder.collect(phase="collect", until=lambda: not undecided())
        lost: list[Connection] = [
            connection
            for connection in recorder.connections(self.start)
            if connection.state == LOST and self._counts(connection, code)
        ]
        recorder.forget()
        if not lost:
            return []
        rootpath = str(item.config.rootpath)
        counts: dict[str, int] = {}
        for connection in lost:
            site = connection.site
            sender = "" if connection.sender == "ANY" else f" (sender {connection.sender})"
            line = (
                f"{_display(site.path, rootpath)}:{site.line}: '{connection.receiver}' connected to "
                f"{connection.library} signal '{connection.signal}'{sender} in {site.function}()"
            )
            counts[line] = counts.get(line, 0) + 1
        lines = [line if count == 1 else f"{line} [{count} times]" for line, count in counts.items()]
        item.stash[_LOST] = lines
        return lines

    @staticmethod
    def _counts(connection: Connection, code: CodeType | None) -> bool:
        death = connection.death
        if death is None:
            return True  # dead without its callback having run: cannot tell when, report it
        if death.phase == "setup":
            return True
        if death.phase == "call":
            return bool(death.during_watched)
        if death.phase == "collect":
            return code is not None and not _same_function(connection, code)
        return False

    @staticmethod
    def _message(lines: list[str]) -> str:
        count = len(lines)
        head = (
            f"flake8-signals: {count} signal receiver{'s were' if count != 1 else ' was'} garbage-collected "
            "while still connected during this test (its signal library held it by weak reference; keep "
            "a reference to the receiver, or connect it strongly):"
        )
        return "\n".join([head, *(f"  {line}" for line in lines)])

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, Any]:
        report = yield
        lines = item.stash.get(_LOST, None)
        if call.when == "call" and lines:
            setattr(report, REPORT_ATTRIBUTE, list(lines))
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # Called where the terminal summary is printed: in this process, or on pytest-xdist's
        # controller for the reports its workers send.
        lines = getattr(report, REPORT_ATTRIBUTE, None)
        if report.when == "call" and isinstance(lines, list) and lines:
            self.reports.append((report.nodeid, [str(line) for line in lines]))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.reports:
            return
        terminalreporter.section("flake8-signals: signal receivers lost")
        for nodeid, lines in self.reports:
            terminalreporter.line(nodeid)
            for line in lines:
                terminalreporter.line(f"  {line}")
