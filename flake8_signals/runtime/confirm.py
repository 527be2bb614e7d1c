"""``flake8-signals confirm``: run a target, watch blinker's weak references, join with the linter.

See ``docs/runtime.md``. The target runs in a child process with a time limit; this module only
parses the command line, starts the run and prints the report.
"""

from __future__ import annotations

import argparse
import sys

from .join import build_report
from .report import render_json, render_text
from .runner import DEFAULT_TIMEOUT, RunResult, Target, TargetError, run_target

HELP = "run a target and confirm SIG1xx findings by watching weak references die"

DESCRIPTION = """\
Run TARGET in a child process with blinker's Signal.connect/disconnect recorded, then report every
receiver that was garbage-collected while still connected, joined with the static SIG1xx findings
of the files involved: confirmed, not reproduced, not reached, or missed by the linter.

TARGET is one of:
  pkg.module            import the module (the current directory is importable, as with python -m)
  pkg.module:factory    import it, then call factory() and keep its result alive
  path/to/script.py     run the script as __main__ (arguments after --)

This runs TARGET's code. Exit status: 0 no receiver lost, 1 a receiver was lost, 2 usage error or
the target could not be loaded (its traceback is shown) or did not report.
"""


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("the time limit must be more than 0 seconds")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare ``confirm``'s arguments on its subparser."""
    parser.add_argument(
        "target", metavar="TARGET", help="pkg.module, pkg.module:factory or path/to/script.py"
    )
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop the target after this long and report what was seen so far (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="report format (default text; json follows flake8_signals/runtime/confirm.schema.json)",
    )


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run the subcommand; returns the exit status."""
    try:
        target = Target.parse(args.target, args.passthrough)
    except TargetError as error:
        parser.error(str(error))
    result: RunResult = run_target(target, timeout=args.timeout)
    report = build_report(target, result, timeout=args.timeout)
    if args.format == "json":
        sys.stdout.write(render_json(report))
        if result.traceback:
            sys.stderr.write(result.traceback)
    else:
        sys.stdout.write(render_text(report))
    sys.stdout.flush()
    return report.exit_code
