"""The ``flake8-signals`` console script: subcommands that are not part of a flake8 run.

Each subcommand is a module with ``HELP``, ``DESCRIPTION``, ``add_arguments(parser)`` and
``run(args, parser) -> int``; add new ones to :data:`SUBCOMMANDS`. Arguments after a bare ``--``
are passed to the subcommand as ``args.passthrough`` (``confirm`` hands them to a script target);
a subcommand that takes none rejects them. A subcommand in :data:`OWN_ARGUMENTS` gets its
arguments unparsed, through ``main(arguments) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__

#: name -> module implementing it (imported when the parser is built; keep them light).
SUBCOMMANDS: dict[str, str] = {
    "confirm": "flake8_signals.runtime.confirm",
    "check": "flake8_signals.sig_only",
}

#: Subcommands whose arguments are another program's: ``check`` hands them to flake8's parser.
OWN_ARGUMENTS = frozenset({"check"})

#: Subcommands that accept arguments after ``--``.
PASSTHROUGH = frozenset({"confirm"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flake8-signals",
        description="flake8-signals tools that work outside flake8.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        subparser = subparsers.add_parser(
            name,
            help=module.HELP,
            description=module.DESCRIPTION,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(subparser)
        subparser.set_defaults(_module=module, _parser=subparser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``), run the subcommand, return its exit status.

    Usage errors exit with status 2 (argparse's convention).
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in OWN_ARGUMENTS:
        return int(importlib.import_module(SUBCOMMANDS[arguments[0]]).main(arguments[1:]))
    passthrough: list[str] = []
    if "--" in arguments:
        split = arguments.index("--")
        arguments, passthrough = arguments[:split], arguments[split + 1 :]
    parser = build_parser()
    args = parser.parse_args(arguments)
    if passthrough and args.command not in PASSTHROUGH:
        args._parser.error("unexpected arguments after --")
    args.passthrough = passthrough
    return int(args._module.run(args, args._parser))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
