"""``flake8-signals check``: flake8 narrowed to this plugin, at a fraction of flake8's cost.

flake8 runs every installed plugin on every file whatever ``--select`` says (flake8#751), and
tokenises every file into logical lines for pycodestyle, so ``flake8 --select SIG`` costs as
much as a full flake8 run. This command *is* flake8 -- its option and config parsing (every
plugin still registers its options, so configs and command lines read the same), file discovery
and excludes, style guide (select/ignore, per-file-ignores, ``# noqa``), formatters,
``--output-file`` and ``-j`` pool -- with one change: once flake8 has parsed the options, the
checks it runs are narrowed to this plugin. With no line-based check left nothing needs the
tokens, and a file the plugin's text prefilter rejects is not even parsed.

The process is ours alone, so it also spares Python's cyclic collector, which took a fifth to
two fifths of the command's CPU on the benchmark corpus: the start-up heap (flake8, its plugins,
the options) is frozen, the youngest generation is collected every 10,000 allocations instead of
700, and the collector is paused while flake8 parses a file (a syntax tree has no cycles).

The ``-j`` workers are flake8's design (one pool, one ``FileChecker`` per file) with worker
functions of our own: flake8's re-parse the arguments in each worker under the ``spawn`` and
``forkserver`` start methods and would load every plugin again.
"""

from __future__ import annotations

import argparse
import ast
import gc
import multiprocessing
import multiprocessing.pool
import signal
from collections.abc import Sequence
from typing import Any

from flake8 import checker, exceptions, processor
from flake8.main import application
from flake8.options.parse_args import parse_args
from flake8.plugins import finder

from .plugin import PREFIX, Plugin

HELP = "run only the SIG checks, through flake8's own machinery, without flake8's other checks"
DESCRIPTION = f"""\
Run flake8 with only the flake8-signals checks:

    flake8-signals check [flake8 options] [PATH ...]

gives the same findings as `flake8 --select {PREFIX} [flake8 options] [PATH ...]`, reads the same
configuration files and takes the same options (`--select`, `--extend-ignore`,
`--per-file-ignores`, `--exclude`, `--format`, `--output-file`, `-j`, ...; `--help` lists them),
but runs no other plugin. Exit status 1 when something is reported, as with flake8.
"""

#: The collector's thresholds for this process (the default is 700, 10, 10).
GC_THRESHOLDS = (10_000, 10, 10)

#: flake8's checks narrowed to this plugin, and the options, for the file checkers of this
#: process: set by the parent around forking the pool, or built by each spawned worker.
_worker: tuple[finder.Checkers, argparse.Namespace] | None = None


def main(argv: Sequence[str]) -> int:
    """Run ``flake8 --select SIG ARGV`` with only this plugin; return flake8's exit status."""
    app = _Application()
    app.run([f"--select={PREFIX}", *argv])  # the user's own --select, coming later, wins
    return int(app.exit_code())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # Never parsed here: the CLI hands the raw arguments to main(), and flake8 parses them.
    parser.add_argument("arguments", nargs="*", metavar="FLAKE8_OPTION_OR_PATH")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    return main(args.arguments)


def sig_only(plugins: finder.Plugins) -> finder.Plugins:
    """``plugins`` with this plugin as the only check; the report formatters are all kept."""
    ours = [loaded for loaded in plugins.checkers.tree if loaded.obj is Plugin]
    if not ours:
        raise exceptions.ExecutionError(
            "flake8 did not load the flake8-signals plugin: install flake8-signals into the "
            "environment of the flake8 that runs this command"
        )
    checks = finder.Checkers(tree=ours, logical_line=[], physical_line=[])
    return plugins._replace(checkers=checks)


class _Application(application.Application):  # type: ignore[misc]  # flake8 ships no types
    plugins: finder.Plugins | None

    def make_file_checker_manager(self, argv: Sequence[str]) -> None:
        assert self.guide is not None and self.plugins is not None
        self.plugins = sig_only(self.plugins)
        self.file_checker_manager = _Manager(style_guide=self.guide, plugins=self.plugins.checkers, argv=argv)
        _spare_the_collector()  # options parsed, plugins loaded: what is allocated so far stays


class _Manager(checker.Manager):  # type: ignore[misc]
    def run_serial(self) -> None:
        self.results = [
            _FileChecker(filename=filename, plugins=self.plugins, options=self.options).run_checks()
            for filename in self.filenames
        ]

    def run_parallel(self) -> None:
        """flake8's ``Manager.run_parallel``, with our worker functions."""
        global _worker
        _worker = (self.plugins, self.options)  # what forked workers start with
        try:
            pool = _new_pool(self.jobs, self.argv)
        finally:
            _worker = None
        if pool is None:
            self.run_serial()
            return
        closed = False
        try:
            self.results = list(pool.imap_unordered(_check_in_worker, self.filenames))
            pool.close()
            pool.join()
            closed = True
        finally:
            if not closed:
                pool.terminate()
                pool.join()


class _FileChecker(checker.FileChecker):  # type: ignore[misc]
    def _make_processor(self) -> processor.FileProcessor | None:
        try:
            return _FileProcessor(self.filename, self.options)
        except OSError as error:  # as flake8 reports it
            self.report("E902", 0, 0, f"{type(error).__name__}: {error}")
            return None

    def process_tokens(self) -> None:
        """Nothing to do: the tokens only feed logical- and physical-line checks, and none is
        loaded. (``# noqa`` does not depend on this: flake8 tokenises a file again for that
        when a finding is reported in it.)"""


class _FileProcessor(processor.FileProcessor):  # type: ignore[misc]
    def build_ast(self) -> ast.AST:
        """flake8's, with the cyclic collector paused: a syntax tree has no reference cycles,
        so collecting while it is built only walks nodes that all survive."""
        paused = gc.isenabled()
        gc.disable()
        try:
            tree: ast.AST = super().build_ast()
            return tree
        finally:
            if paused:
                gc.enable()

    def should_ignore_file(self) -> bool:
        """Also skip, before flake8's scan for ``# flake8: noqa``, a file in which the plugin's
        text prefilter finds nothing to check: it is then not even parsed."""
        return not Plugin.wants(self.lines) or bool(super().should_ignore_file())


def _new_pool(jobs: int, argv: Sequence[str]) -> multiprocessing.pool.Pool | None:
    """A worker pool, or None where flake8 would fall back to checking files serially."""
    try:
        return multiprocessing.Pool(jobs, _start_worker, initargs=(list(argv),))
    except OSError as error:
        if error.errno not in checker.SERIAL_RETRY_ERRNOS:
            raise
    except ImportError:
        pass
    return None


def _start_worker(argv: list[str]) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as flake8's workers: ^C is the parent's
    if _worker is None:  # spawn, forkserver: a fresh interpreter parses the arguments again
        plugins, options = parse_args(argv)
        _worker = sig_only(plugins).checkers, options
        _spare_the_collector()


def _check_in_worker(filename: str) -> Any:
    assert _worker is not None
    checks, options = _worker
    return _FileChecker(filename=filename, plugins=checks, options=options).run_checks()


def _spare_the_collector() -> None:
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
