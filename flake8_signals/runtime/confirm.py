"""``flake8-signals confirm``: run a target, watch weak signal references, join with the linter.

See ``docs/runtime.md``. The target runs in a child process with a time limit; this module only
parses the command line, starts the run and prints the report.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from types import FrameType

from .join import Report, build_report
from .report import render_json, render_text
from .runner import (
    DEFAULT_TIMEOUT,
    INTERNAL_ERROR,
    MAX_TIMEOUT,
    ResultError,
    RunResult,
    Target,
    TargetError,
    run_target,
)

HELP = "run a target and confirm SIG1xx findings by watching weak references die"

DESCRIPTION = """\
Run TARGET in a child process with the signal libraries' connect/disconnect recorded (blinker,
Django, celery, PyDispatcher/Scrapy, psygnal), then report every receiver that was
garbage-collected while still connected, joined with the static SIG1xx findings of the files
involved: confirmed, not reproduced, not reached, or missed by the linter.

TARGET is one of:
  pkg.module            import the module (the current directory is importable, as with python -m)
  pkg.module:factory    import it, then call factory() and keep its result alive
  path/to/script.py     run the script as __main__ (arguments after --)

This runs TARGET's code; everything it starts is ended with it. Exit status: 0 no receiver lost,
1 a receiver was lost, 2 usage error or the target could not be loaded (its traceback is shown) or
did not report, 3 internal error of flake8-signals (a report is still printed).
"""

#: Signals that stop ``confirm``: the target's process tree is ended, the temporary folder removed,
#: and then ``confirm`` dies of the same signal (as the caller expects).
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(BaseException):
    """``confirm`` received one of :data:`STOP_SIGNALS`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("the time limit must be more than 0 seconds")
    if not math.isfinite(value) or value > MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"the time limit must be at most {MAX_TIMEOUT:g} seconds (a day)")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare ``confirm``'s arguments on its subparser."""
    parser.add_argument(
        "target", metavar="TARGET", help="pkg.module, pkg.module:factory or path/to/script.py"
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop the target after this long and report what was seen so far (default "
        f"{DEFAULT_TIMEOUT:g}, at most {MAX_TIMEOUT:g})",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="report format (default text; json follows flake8_signals/runtime/confirm.schema.json)",
    )


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Turn :data:`STOP_SIGNALS` into :class:`Stopped`, so that cleanup runs as for an exception.

    The first signal wins; later ones are ignored while the run is cleaned up. Signals the caller
    ignores stay ignored. Outside the main thread (no signal handlers there) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        for other in previous:
            signal.signal(other, signal.SIG_IGN)
        raise Stopped(signum)

    # A signal the caller ignores (nohup ignores SIGHUP) stays ignored.
    previous = {
        signum: signal.signal(signum, stop)
        for signum in STOP_SIGNALS
        if signal.getsignal(signum) is not signal.SIG_IGN
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _die_of(signum: int) -> int:
    """End this process by ``signum`` with its default action (what a caller can tell apart)."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    return 128 + signum  # pragma: no cover - only where the default action does not end us


def _internal_error(target: Target, timeout: float, error: Exception) -> Report:
    if isinstance(error, ResultError):  # not a bug of ours: no traceback to report
        message, tb = f"internal error: {error}", None
    else:
        message = (
            f"internal error of flake8-signals confirm: {type(error).__name__}: {error} "
            "(please report it, with the traceback)"
        )
        tb = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return Report(
        target=target, run=RunResult(INTERNAL_ERROR, message=message, traceback=tb), timeout=timeout
    )


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run the subcommand; returns the exit status."""
    try:
        target = Target.parse(args.target, args.passthrough)
    except TargetError as error:
        parser.error(str(error))
    try:
        with _stopped_by_signals():
            try:
                result: RunResult = run_target(target, timeout=args.timeout)
                report = build_report(target, result, timeout=args.timeout)
                text = render_json(report) if args.format == "json" else render_text(report)
            except Exception as error:  # confirm's own failure: still a report, with its own status
                report = _internal_error(target, args.timeout, error)
                text = render_json(report) if args.format == "json" else render_text(report)
    except Stopped as stopped:
        name = signal.Signals(stopped.signum).name
        sys.stderr.write(
            f"flake8-signals confirm: stopped by {name}; the target and all it started were ended\n"
        )
        sys.stderr.flush()
        return _die_of(stopped.signum)
    sys.stdout.write(text)
    if report.run.traceback and (args.format == "json" or report.run.status == INTERNAL_ERROR):
        sys.stderr.write(report.run.traceback)
    sys.stdout.flush()
    return report.exit_code
