"""Never crash: the plugin on every file this interpreter has, on generated code, and on bad input.

flake8 7 and a plugin exception (found by reading flake8/checker.py and main/application.py, and
proven by the ``test_harness_*`` and ``test_flake8_cli_*`` tests below):

* raised while flake8 constructs the plugin (``Plugin(tree=..., ...)``): ``FileChecker.run_check``
  wraps it in ``PluginExecutionFailed``; ``Application.run_checks`` prints
  ``<file>: "<package>[SIG]" failed during execution due to <repr>`` and
  ``Run flake8 with greater verbosity to see more details`` on stdout, sets
  ``catastrophic_failure`` and no result of any file is reported; exit status 1.
* raised while flake8 iterates ``Plugin.run()``: not wrapped at all. The exception escapes
  ``Application.run`` as a plain traceback on stderr (with ``-j``, re-raised in the parent by
  ``multiprocessing.Pool``); exit status 1, nothing reported.

The plugin's failure boundary (flake8_signals/boundary.py) stops every exception of its own
(one bad file must not abort the user's whole run), so an exception can no longer reach flake8,
and a test that only watched flake8 could never fail. These tests therefore run with
``FLAKE8_SIGNALS_DEBUG=1``, under which the boundary re-raises what it would swallow (except
astroid's own failures on odd code, which mean "not known"): flake8 in a subprocess gets it
through the environment, flake8 in this process through ``os.environ``. A swallowed exception
then surfaces as one of flake8's two failures above, or as an exception in the test.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.metadata
import io
import multiprocessing
import os
import subprocess
import sys
import sysconfig
import textwrap
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import hypothesmith
import pytest
from flake8.checker import FileChecker
from flake8.main.application import Application
from flake8.options.parse_args import parse_args
from flake8.plugins.finder import Checkers, LoadedPlugin
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flake8_signals import checks as sig_checks
from flake8_signals.boundary import DEBUG_VARIABLE
from flake8_signals.rules import rule

REPO = Path(__file__).resolve().parents[1]
FORK = multiprocessing.get_start_method(allow_none=False) == "fork"
# Plugin objects replaced in the parent reach the workers only when they are forked.
JOBS = 2 if FORK else 1


# -- how flake8 finds the plugin ----------------------------------------------------------------
def _entry_point_installed() -> bool:
    return any(
        ep.name == "SIG" and ep.value == "flake8_signals.plugin:Plugin"
        for ep in importlib.metadata.entry_points(group="flake8.extension")
    )


@pytest.fixture(scope="module")
def flake8_args(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """``--isolated`` when flake8-signals is installed (ignores the user's config files); else a
    config with only ``[flake8:local-plugins]`` pointing at this checkout."""
    if _entry_point_installed():
        return ["--isolated"]
    config = tmp_path_factory.mktemp("flake8cfg") / "flake8.cfg"
    config.write_text(
        f"[flake8:local-plugins]\nextension =\n    SIG = flake8_signals.plugin:Plugin\npaths = {REPO}\n",
        encoding="utf-8",
    )
    return ["--config", str(config)]


@pytest.fixture(autouse=True, scope="module")
def _debug() -> Iterator[None]:
    """Exceptions the failure boundary would swallow are raised (see the module docstring)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DEBUG_VARIABLE, "1")
        yield


# -- running flake8 in this process --------------------------------------------------------------
@dataclass
class Flake8Run:
    files: list[str]
    results: list[tuple[str, int, int, str, str]]  # path, line, column (1-based), code, text
    stdout: str
    catastrophic: bool
    escaped: BaseException | None
    seconds: float
    crashes: list[str] = field(default_factory=list)

    def codes(self, code: str) -> list[tuple[str, int, int, str, str]]:
        return [r for r in self.results if r[3] == code]


def run_flake8(
    paths: Sequence[str | os.PathLike[str]],
    args: Sequence[str],
    *,
    jobs: int = 1,
    select: str = "SIG,E999,E902",
    replace_sig: type | None = None,
) -> Flake8Run:
    """flake8's own Application, with the SIG plugin as the only checker (pyflakes and pycodestyle
    would triple the time and are not under test; flake8 still tokenizes and parses every file)."""
    app = Application()
    out = io.StringIO()
    escaped: BaseException | None = None
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        app.initialize([*args, "--select", select, "--jobs", str(jobs), *map(str, paths)])
        manager = app.file_checker_manager
        assert manager is not None
        sig = [p for p in manager.plugins.tree if p.entry_name == "SIG"]
        assert len(sig) == 1, f"flake8 did not load the SIG plugin: {manager.plugins.tree}"
        plugin: LoadedPlugin = sig[0]
        if replace_sig is not None:
            plugin = plugin._replace(obj=replace_sig)
        manager.plugins = Checkers(tree=[plugin], logical_line=[], physical_line=[])
        try:
            app.run_checks()
        except Exception as error:  # an exception raised while flake8 iterated Plugin.run()
            escaped = error
    results = [
        (path, line, column + 1, code, text)
        for path, file_results, _ in getattr(manager, "results", [])
        for code, line, column, text, _physical in file_results
    ]
    return Flake8Run(
        files=list(manager.filenames),
        results=sorted(results),
        stdout=out.getvalue(),
        catastrophic=app.catastrophic_failure,
        escaped=escaped,
        seconds=time.perf_counter() - started,
    )


def crash_report(run: Flake8Run) -> str:
    """Empty when flake8 saw no plugin exception."""
    problems = []
    if run.escaped is not None:
        cause = "".join(traceback.format_exception(run.escaped))[-3000:]
        problems.append(f"an exception escaped Plugin.run() into flake8:\n{cause}")
    if run.catastrophic or "failed during execution" in run.stdout:
        problems.append(f"flake8 reported a catastrophic failure:\n{run.stdout[-3000:]}")
    problems += run.crashes
    return "\n\n".join(problems)


def find_crashing_files(files: Sequence[str], args: Sequence[str], limit: int = 3) -> list[str]:
    """After an escaped exception (which names no file): file by file, the first few culprits."""
    plugins, options = parse_args([*args, "--select", "SIG"])
    sig = [p for p in plugins.checkers.tree if p.entry_name == "SIG"]
    checkers = Checkers(tree=sig, logical_line=[], physical_line=[])
    found = []
    for filename in files:
        try:
            FileChecker(filename=filename, plugins=checkers, options=options).run_checks()
        except Exception as error:
            found.append(f"{filename}:\n{''.join(traceback.format_exception(error))[-2000:]}")
            if len(found) >= limit:
                break
    return found


def interpreter_roots() -> list[str]:
    """The standard library and site-packages, each file once (site-packages usually lives
    inside the stdlib directory; a virtualenv's does not)."""
    paths = sysconfig.get_paths()
    roots = sorted({os.path.realpath(paths[key]) for key in ("stdlib", "purelib", "platlib")})
    arguments: list[str] = []
    for root in roots:
        nested = [other for other in roots if other != root and other.startswith(root + os.sep)]
        if not nested:
            arguments.append(root)
            continue
        # Only the direct children that hold no other root; nested roots are listed themselves.
        for entry in sorted(os.listdir(root)):
            child = os.path.join(root, entry)
            if any(n == child or n.startswith(child + os.sep) for n in nested):
                continue
            if os.path.isdir(child) or entry.endswith(".py"):
                arguments.append(child)
    return arguments


# ================================================================================================
# 1. The harness can fail: flake8's two ways of reporting a plugin exception, and the probes.
# ================================================================================================
class _RaisesInConstructor:
    name, version = "raising", "0"

    def __init__(self, tree: ast.AST, **_parameters: object) -> None:  # same parameters as SIG's
        raise RuntimeError("constructor exploded")

    def run(self):  # pragma: no cover - never reached
        return iter(())


class _RaisesInRun:
    name, version = "raising", "0"

    def __init__(self, tree: ast.AST, **_parameters: object) -> None:
        self.tree = tree

    def run(self):
        raise RuntimeError("run exploded")
        yield  # a generator, like the real plugin


@pytest.fixture(scope="module")
def small_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    (root / "a.py").write_text("from blinker import signal\ns = signal('a')\ns.connect(lambda x: x)\n")
    (root / "b.py").write_text("x = 1\n")
    (root / "c.py").write_text("def f(:\n")
    return root


@pytest.mark.parametrize("jobs", [1, JOBS])
def test_harness_sees_exception_in_plugin_constructor(small_tree, flake8_args, jobs):
    run = run_flake8([small_tree], flake8_args, jobs=jobs, replace_sig=_RaisesInConstructor)
    assert run.catastrophic
    assert "failed during execution due to RuntimeError('constructor exploded')" in run.stdout
    assert run.results == []  # flake8 reports nothing at all once a plugin failed
    assert "catastrophic failure" in crash_report(run)


@pytest.mark.parametrize("jobs", [1, JOBS])
def test_harness_sees_exception_in_run(small_tree, flake8_args, jobs):
    run = run_flake8([small_tree], flake8_args, jobs=jobs, replace_sig=_RaisesInRun)
    assert isinstance(run.escaped, RuntimeError)
    assert str(run.escaped) == "run exploded"
    assert not run.catastrophic  # not wrapped: flake8 does not even notice
    assert "escaped Plugin.run()" in crash_report(run)
    culprits = find_crashing_files([str(small_tree / "a.py")], flake8_args)
    assert culprits == []  # the real plugin is fine on it


@pytest.mark.parametrize("jobs", [1, JOBS])
def test_harness_sees_exception_the_plugin_would_swallow(small_tree, flake8_args, jobs, monkeypatch):
    """A bug in every rule family: silence without the debug switch, an exception with it."""

    def broken(context):
        raise ZeroDivisionError("planted")
        yield  # pragma: no cover - a generator, like the real ones

    for family in sig_checks.FAMILIES:
        monkeypatch.setattr(family.module, "check", broken)
    monkeypatch.delenv(DEBUG_VARIABLE)
    quiet = run_flake8([small_tree], flake8_args, jobs=jobs)
    assert crash_report(quiet) == ""  # the boundary held...
    assert [(Path(p).name, code) for p, _l, _c, code, _t in quiet.results] == [("c.py", "E999")]
    monkeypatch.setenv(DEBUG_VARIABLE, "1")
    loud = run_flake8([small_tree], flake8_args, jobs=jobs)
    assert isinstance(loud.escaped, ZeroDivisionError)  # ...and the switch makes it tell
    assert "escaped Plugin.run()" in crash_report(loud)


def test_flake8_cli_aborts_on_plugin_exception(tmp_path):
    """The real CLI: one raising plugin, the whole run stops, exit status 1, no result printed."""
    (tmp_path / "boom_plugin.py").write_text(
        "class Boom:\n"
        "    name, version = 'boom', '0'\n"
        "    def __init__(self, tree):\n"
        "        raise RuntimeError('boom')\n"
        "    def run(self):\n"
        "        return iter(())\n"
    )
    (tmp_path / "cfg.ini").write_text(
        f"[flake8:local-plugins]\nextension =\n    XBM = boom_plugin:Boom\npaths = {tmp_path}\n"
    )
    (tmp_path / "mod.py").write_text("import os\n")  # F401 would be reported, but nothing is
    completed = _flake8_cli(["--config", "cfg.ini", "--select", "XBM,F", "mod.py"], tmp_path)
    assert completed.returncode == 1
    assert completed.stdout == (
        "mod.py: \"local[XBM]\" failed during execution due to RuntimeError('boom')\n"
        "Run flake8 with greater verbosity to see more details\n"
    )


# ================================================================================================
# 2. Every Python file of this interpreter: the standard library and site-packages.
# ================================================================================================
@pytest.mark.slow
def test_stdlib_and_site_packages(flake8_args, capsys):
    run = run_flake8(interpreter_roots(), flake8_args, jobs=JOBS)
    if run.escaped is not None:
        run.crashes = find_crashing_files(run.files, flake8_args)
    with capsys.disabled():
        print(
            f"\n[robustness] flake8 -j{JOBS} --select SIG over {len(run.files)} files of "
            f"{sys.prefix}: {len(run.codes('E999')) + len(run.codes('E902'))} E999/E902, "
            f"{sum(r[3].startswith('SIG') for r in run.results)} SIG "
            f"findings, {run.seconds:.0f} s"
        )
    assert not crash_report(run), crash_report(run)
    assert len(run.files) > 1000  # the stdlib alone has ~1,800 .py files


# ================================================================================================
# 3. Generated source: hypothesmith and a generator of signal-shaped code.
# ================================================================================================

FUZZ_SETTINGS = settings(
    derandomize=True,  # the same examples on every run and machine
    database=None,
    deadline=timedelta(seconds=5),  # per example: the plugin's time on one file stays bounded
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    print_blob=True,
)


def _examples(count: int) -> int:
    """``SIG_FUZZ_SCALE=10`` for a deeper local run; CI uses the default counts."""
    return max(1, int(count * float(os.environ.get("SIG_FUZZ_SCALE", "1"))))


class FileCheck:
    """One file through flake8's FileChecker with only the SIG plugin (what a worker does)."""

    def __init__(self, args: Sequence[str], directory: Path) -> None:
        plugins, self.options = parse_args([*args, "--select", "SIG,E999"])
        sig = [p for p in plugins.checkers.tree if p.entry_name == "SIG"]
        self.checkers = Checkers(tree=sig, logical_line=[], physical_line=[])
        self.directory = directory
        self.count = 0

    def __call__(self, source: str, name: str | None = None) -> list[tuple[int, int, str]]:
        self.count += 1
        path = self.directory / (name or f"fuzz_{self.count}.py")
        path.write_text(source, encoding="utf-8", newline="")
        _name, results, _stats = FileChecker(
            filename=str(path), plugins=self.checkers, options=self.options
        ).run_checks()
        found = sorted((line, col, f"{code} {text}") for code, line, col, text, _phys in results)
        # flake8 reports a SyntaxError raised by a plugin as E999 of the file (and a TokenError as
        # E902): on source that compiles, that is the plugin's exception.
        failed = [r for r in found if r[2].startswith(("E999", "E902"))]
        assert not (failed and _compiles(source)), f"plugin raised on:\n{source[:800]}\n{failed}"
        return found


def _compiles(source: str) -> bool:
    try:
        compile(source, "<check>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


WARM_UP = """\
import functools
from functools import partial
from blinker import Namespace, Signal, signal
from flask import request_started

ns = Namespace()
sig = signal("warm")
named = ns.signal("named")


class Handler:
    def __call__(self, sender, **kw):
        pass


def make_handler():
    def inner(sender, **kw):
        pass
    return inner


def setup(app):
    def nested(sender, **kw):
        pass
    sig.connect(nested)
    named.connect(partial(nested))
    request_started.connect(Handler())
    plain = Signal()
    plain.connect(make_handler())
    unknown.connect(lambda s: s)
    obj = Handler()
    sig.connect(obj.__call__)
"""


@pytest.fixture(scope="module")
def file_check(flake8_args, tmp_path_factory) -> FileCheck:
    check = FileCheck(flake8_args, tmp_path_factory.mktemp("fuzz"))
    check(WARM_UP, "warm_up.py")  # astroid's import and first builds, outside any deadline
    return check


_TEMPLATE = """\
from blinker import signal as _fz_signal_q7

_fz_sig_q7 = _fz_signal_q7("fuzz")
_fz_sig_q7.connect(lambda sender: None)


def _fz_setup_q7():
    def _fz_nested_q7(sender, **extra):
        pass

    _fz_sig_q7.connect(_fz_nested_q7)
"""


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # generated code like `0()`
@settings(FUZZ_SETTINGS, max_examples=_examples(150))
@given(prefix=hypothesmith.from_grammar())
def test_fuzz_grammar_prefix_changes_nothing_after_it(file_check, prefix):
    """Any valid module (odd whitespace, form feeds, CR line ends, unicode names, comments with
    line separators...) followed by a fixed template: no exception, and the template's findings
    are exactly those it has alone, moved down by the prefix's lines."""
    source = prefix + "\n" + _TEMPLATE
    try:
        source.encode("utf-8")
        compile(source, "<fuzz>", "exec")
    except (SyntaxError, ValueError, UnicodeEncodeError):
        assume(False)
    alone = file_check(_TEMPLATE)
    assert [text[:6] for _l, _c, text in alone] == ["SIG102", "SIG101"]
    marker_line = next(
        node.lineno
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_fz_sig_q7"
    )
    offset = marker_line - 3
    combined = [f for f in file_check(source) if f[0] > offset]
    assert combined == [(line + offset, col, text) for line, col, text in alone]


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # generated code like `0()`
@settings(FUZZ_SETTINGS, max_examples=_examples(100))
@given(body=hypothesmith.from_grammar())
def test_fuzz_grammar_body_of_a_function_that_connects(file_check, body):
    """Generated statements as the body of a function that connects a nested def: the escape
    analysis (global, nonlocal, yield, await, del, loops, match...) walks all of them."""
    source = (
        "from blinker import signal\nsig = signal('x')\n\n\ndef _fz_outer_q7(app):\n"
        + textwrap.indent(body, "    ")
        + "\n    def _fz_h_q7(sender):\n        pass\n\n    sig.connect(_fz_h_q7)\n"
    )
    try:
        source.encode("utf-8")
        compile(source, "<fuzz>", "exec")
    except (SyntaxError, ValueError, UnicodeEncodeError):
        assume(False)
    file_check(source)


# -- a generator of signal-shaped modules --------------------------------------------------------
_PRELUDE = """\
import functools
from functools import partial
import blinker
from blinker import Namespace, Signal, signal
from flask import request_started
import flask.signals

ns = Namespace()
sig = signal("fuzz")
named = ns.signal("named")
plain = Signal()


def handler(sender, **extra):
    pass


class Handler:
    def __init__(self, *args):
        self.args = args

    def __call__(self, sender, **extra):
        pass

    def on_event(self, sender, **extra):
        pass


class Registered(Handler):
    def __init__(self):
        registry.append(self)


registry = []


def make_handler():
    def inner(sender, **extra):
        pass
    return inner

"""
_SIGNALS = [
    "sig",
    "named",
    "plain",
    "request_started",
    "flask.signals.template_rendered",
    "ns.signal('y')",
    "signal('z')",
    "blinker.signal('w')",
    "self.changed",
    "unknown",
    "app.sig",
    "(sig or plain)",
    "sigs[0]",
    "Signal()",
    "get_signal()",
    "blinker.base.Signal()",
]
_RECEIVERS = [
    "handler",
    "h",
    "lambda sender, **kw: None",
    "lambda: h",
    "partial(handler, 1)",
    "functools.partial(h)",
    "Handler()",
    "Registered()",
    "Handler().on_event",
    "Handler(h).on_event",
    "obj.on_event",
    "obj",
    "self.on_event",
    "make_handler()",
    "make_handler",
    "lst.append",
    "handlers[0]",
    "h.__call__",
    "print",
    "Local()",
    "Local().m",
    "(yield)",
    "await coro()",
    "h if h else handler",
    "[h][0]",
    "*args",
    "x := h",
]
_EXTRA_ARGS = [
    "",
    ", app",
    ", sender=app",
    ", weak=False",
    ", weak=True",
    ", app, False",
    ", app, 0",
    ", app, 1",
    ", weak=flag",
    ", **kw",
    ", *rest",
    ", dispatch_uid='u'",
    ", app, weak=None",
    ", app, True, 4",
]
_SIMPLE_IN_FUNCTION = [
    "h = lambda sender: None",
    "obj = Handler()",
    "obj = Local()",
    "h = partial(handler)",
    "lst = []",
    "lst.append(h)",
    "handlers = {}",
    "handlers['k'] = h",
    "self.keep = h",
    "keep(h)",
    "return h",
    "del h",
    "sig.send(app)",
    "sig.disconnect(h)",
    "app.run()",
    "time.sleep(1)",
    "h = make_handler()",
    "h = Handler()",
    "global h",
    "x = h.__name__",
    "print(h)",
    "h = h",
    "h, obj = obj, h",
    "obj.attr = h",
    "with ctx: pass",
    "assert h",
]
_DEF_HEADERS = [
    "def h(sender, **extra):",
    "async def h(sender, **extra):",
    "def nested(sender):",
    "def test_it():",
    "def setup(app):",
    "def gen():",
    "async def serve():",
    "def outer(self):",
]


def _function_body(depth: int):
    simple = st.sampled_from(_SIMPLE_IN_FUNCTION)
    connect = st.builds(
        lambda target, signal, receiver, extra: f"{target}{signal}.connect({receiver}{extra})",
        st.sampled_from(["", "", "", "kept = ", "self._keep = ", "return ", "await ", "yield "]),
        st.sampled_from(_SIGNALS),
        st.sampled_from(_RECEIVERS),
        st.sampled_from(_EXTRA_ARGS),
    )
    decorated = st.builds(
        lambda decorator, header: [decorator, header, ["pass"]],
        st.sampled_from(
            [
                "@sig.connect",
                "@named.connect",
                "@request_started.connect",
                "@sig.connect_via(app)",
                "@sig.connect_via(app, weak=True)",
                "@sig.connect_via(app, True)",
                "@unknown.connect",
                "@functools.wraps(handler)\n@sig.connect",
                "@sig.connect\n@functools.lru_cache",
            ]
        ),
        st.sampled_from(_DEF_HEADERS),
    )
    statement = st.one_of(simple, connect, connect, decorated)
    if depth > 0:
        block = st.builds(
            lambda header, body: [header, body],
            st.sampled_from(
                [
                    *_DEF_HEADERS,
                    "class Local:",
                    "if flag:",
                    "for x in things:",
                    "while True:",
                    "with ctx:",
                    "try:",
                    "if True:\n    pass\nelse:",
                ]
            ),
            st.deferred(lambda: _function_body(depth - 1)),
        )
        statement = st.one_of(statement, block)
    return st.lists(statement, min_size=1, max_size=6)


def _render(items, indent: int = 0) -> str:
    lines: list[str] = []
    pad = "    " * indent
    for item in items:
        if isinstance(item, str):
            lines.extend(pad + line for line in item.split("\n"))
        elif len(item) == 2:  # [header, body]
            header, body = item
            lines.extend(pad + line for line in header.split("\n"))
            lines.append(_render(body, indent + 1))
            if header == "try:":
                lines.append(pad + "finally:\n" + pad + "    pass")
        else:  # [decorator, header, body]
            decorator, header, body = item
            lines.extend(pad + line for line in decorator.split("\n"))
            lines.append(pad + header)
            lines.append(_render(body, indent + 1))
    return "\n".join(lines)


_signal_modules = st.builds(
    lambda top, functions: (
        _PRELUDE
        + _render(top)
        + "\n\n"
        + "\n\n".join(_render([[header, body]]) for header, body in functions)
        + "\n"
    ),
    st.lists(
        st.sampled_from(
            [
                "sig.connect(handler)",
                "sig.connect(lambda s: None)",
                "h = lambda s: None",
                "sig.connect(h)",
                "obj = Handler()",
                "sig.connect(obj.on_event)",
                "sig.connect(Handler())",
                "unknown.connect(partial(handler))",
                "request_started.connect(make_handler())",
            ]
        ),
        max_size=3,
    ),
    st.lists(
        st.tuples(st.sampled_from([*_DEF_HEADERS, "class Box:"]), _function_body(2)), min_size=1, max_size=3
    ),
)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # generated code like `0()`
@settings(FUZZ_SETTINGS, max_examples=_examples(400))
@given(source=_signal_modules)
def test_fuzz_signal_shaped_modules(file_check, source):
    """Nested defs, lambdas, partials, instances, decorators, weak= variants, generators, async,
    escapes and disconnects in random combination: no exception, and the same findings twice."""
    try:
        compile(source, "<fuzz>", "exec")
    except SyntaxError:
        assume(False)
    name = f"shaped_{file_check.count}.py"
    first = file_check(source, name)
    assert file_check(source, name) == first  # astroid's caches must not change the verdict


# ================================================================================================
# 4. Hand-made bad input, through the real flake8 command line.
# ================================================================================================
def _flake8_cli(argv: Sequence[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLAKE8_SIGNALS")}
    env[DEBUG_VARIABLE] = "1"
    return subprocess.run(
        [sys.executable, "-m", "flake8", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def _sig(code: str, **values: str) -> str:
    blinker = {"weakly": "with weak=True", "strong_fix": "pass weak=False", "path": ""}  # how blinker says it
    return f"{code} {rule(code).format(**blinker, **values)}"


LAMBDA_NOW = {"receiver": "lambda", "when": "as soon as connect() returns"}


def assert_cli(
    tmp_path: Path,
    flake8_args: list[str],
    files: Sequence[str],
    expected: Sequence[str],
    select: str = "SIG,E999",
) -> None:
    completed = _flake8_cli([*flake8_args, "--select", select, *files], tmp_path)
    assert completed.stderr == ""  # no traceback, no warning leaking from astroid
    assert completed.stdout.splitlines() == list(expected)
    assert completed.returncode == (1 if expected else 0)


def test_cli_syntax_error_is_e999_only(tmp_path, flake8_args):
    source = "from blinker import signal\nsig = signal('x')\nsig.connect(lambda s: s)\ndef f(:\n    pass\n"
    (tmp_path / "broken.py").write_text(source)
    with pytest.raises(SyntaxError) as caught:
        compile(source, "broken.py", "exec")
    error = caught.value
    assert_cli(
        tmp_path,
        flake8_args,
        ["broken.py"],
        [f"broken.py:{error.lineno}:{error.offset + 1}: E999 SyntaxError: {error.msg}"],
    )


def test_cli_null_bytes(tmp_path, flake8_args):
    (tmp_path / "nul.py").write_bytes(
        b"from blinker import signal\nsig = signal('x')\nsig.connect(lambda s: s)\nx = '\x00'\n"
    )
    with pytest.raises((SyntaxError, ValueError)) as caught:
        compile((tmp_path / "nul.py").read_bytes(), "nul.py", "exec")
    if caught.type is ValueError:
        # Python 3.10's compile() raises ValueError here, which flake8 itself does not catch.
        pytest.skip("flake8 crashes on null bytes under this Python, with or without the plugin")
    assert_cli(
        tmp_path,
        flake8_args,
        ["nul.py"],
        [f"nul.py:1:1: E999 {type(caught.value).__name__}: {caught.value.args[0]}"],
    )


def test_cli_latin1_with_coding_cookie(tmp_path, flake8_args):
    (tmp_path / "latin.py").write_bytes(
        "# -*- coding: latin-1 -*-\n"
        "from blinker import signal\n"
        "caf\xe9 = signal('caf\xe9')\n"
        "caf\xe9.connect(lambda s: '\xe9t\xe9')\n".encode("latin-1")
    )
    assert_cli(
        tmp_path,
        flake8_args,
        ["latin.py"],
        ["latin.py:4:1: " + _sig("SIG102", signal="caf\xe9", function="", **LAMBDA_NOW)],
    )


@pytest.mark.slow
def test_five_megabyte_module(tmp_path, flake8_args):
    """~290,000 lines, 35,000 connect() sites: two bad ones, at the start and at the end. Through
    flake8's FileChecker with only this plugin: flake8 reads, tokenizes and parses the file as it
    always does, without pycodestyle and pyflakes, which would take most of the time."""
    block = (
        "\n\ndef handler_{i}(sender, **extra):\n    return sender\n\n\n"
        "class Receiver{i}:\n    def on_event(self, sender, **extra):\n        return sender\n\n\n"
        "def setup_{i}(app):\n    sig.connect(handler_{i})\n    receiver = Receiver{i}()\n"
        "    app.receivers.append(receiver)\n    sig.connect(receiver.on_event)\n"
    )
    parts = ["from blinker import signal\n\nsig = signal('big')\nsig.connect(lambda s: s)\n"]
    size = len(parts[0])
    count = 0
    while size < 5 * 1024 * 1024:
        parts.append(block.format(i=count))
        size += len(parts[-1])
        count += 1
    parts.append("\n\ndef last():\n    def lost(sender):\n        pass\n\n    sig.connect(lost)\n")
    source = "".join(parts)
    last_line = source.count("\n")
    assert FileCheck(flake8_args, tmp_path)(source, "big.py") == [
        (4, 0, _sig("SIG102", signal="sig", function="", **LAMBDA_NOW)),
        (
            last_line,
            4,
            _sig("SIG101", receiver="lost", signal="sig", when="when 'last' returns", function="last"),
        ),
    ]


# Deep nesting. pyflakes (which flake8 always runs) itself dies of RecursionError a little past
# these depths (attribute chain ~480, call chain ~320, method chain ~190, on CPython 3.11), so
# the command line can only go that far; the 500-deep versions run in-process below.
_DEEP = {
    "attribute_chain": lambda n: "sig.connect(a" + ".b" * n + ")\n",
    "call_chain": lambda n: "sig.connect(f" + "()" * n + ")\n",
    "subscript_chain": lambda n: "sig.connect(a" + "[0]" * n + ")\n",
    "binop_chain": lambda n: "sig.connect(a" + " + a" * n + ")\n",
    "method_chain": lambda n: (
        "class Obj:\n    def m(self):\n        return self\n\n    def handler(self, sender):\n"
        "        pass\n\n\ndef setup():\n    obj = Obj()\n    sig.connect(obj" + ".m()" * n + ".handler)\n"
    ),
    "temporary_method_chain": lambda n: (
        "class Obj:\n    def m(self):\n        return self\n\n    def handler(self, sender):\n"
        "        pass\n\n\nsig.connect(Obj()" + ".m()" * n + ".handler)\n"
    ),
}
_CLI_DEPTH = {
    "attribute_chain": 400,
    "call_chain": 250,
    "subscript_chain": 250,
    "binop_chain": 250,
    "method_chain": 150,
    "temporary_method_chain": 150,
}
_DEEP_PRELUDE = "from blinker import signal\nsig = signal('x')\nsig.connect(lambda s: s)\n"


# analysis/scopes.py walks with an explicit stack and messages render deep expressions safely, so
# a deep expression costs at most its own site, never the file's other findings.
@pytest.mark.parametrize("shape", sorted(_DEEP))
def test_cli_deep_nesting(tmp_path, flake8_args, shape):
    """The module also has an ordinary bad connect: a deep expression must not blind the plugin."""
    (tmp_path / "deep.py").write_text(_DEEP_PRELUDE + _DEEP[shape](_CLI_DEPTH[shape]))
    assert_cli(
        tmp_path,
        flake8_args,
        ["deep.py"],
        ["deep.py:3:1: " + _sig("SIG102", signal="sig", function="", **LAMBDA_NOW)],
    )


@pytest.mark.parametrize("shape", sorted(_DEEP))
def test_in_process_500_deep(tmp_path, flake8_args, shape):
    check = FileCheck(flake8_args, tmp_path)
    found = check(_DEEP_PRELUDE + _DEEP[shape](500), "deep.py")
    assert [(line, col, text[:6]) for line, col, text in found] == [(3, 0, "SIG102")]


def test_nested_functions_to_the_indentation_limit(tmp_path, flake8_args):
    """98 nested defs (the tokenizer allows 100 indentation levels), each connecting a local one."""
    lines = ["from blinker import signal", "sig = signal('x')"]
    for depth in range(98):
        lines.append("    " * depth + f"def f{depth}(sender=None):")
        lines.append("    " * (depth + 1) + "pass")
    lines.append("    " * 97 + "sig.connect(f97)")  # in f96, after f97's definition
    (tmp_path / "nested.py").write_text("\n".join(lines) + "\n")
    found = FileCheck(flake8_args, tmp_path)("\n".join(lines) + "\n", "nested.py")
    assert [(line, text[:6]) for line, _col, text in found] == [(len(lines), "SIG101")]


def _write_tree(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_cli_circular_imports(tmp_path, flake8_args):
    """Signals and handler factories in modules that import each other: astroid follows the cycle."""
    _write_tree(
        tmp_path,
        {
            "shop/__init__.py": "from shop.signals import order_paid\n",
            "shop/signals.py": """\
            from blinker import Namespace

            from shop.handlers import make_handler, Mailer
            from shop import handlers

            ns = Namespace()
            order_paid = ns.signal("order-paid")
            alias = handlers.alias
            """,
            "shop/handlers.py": """\
            from shop.signals import order_paid, alias
            from shop import signals


            def make_handler():
                def handler(sender, **extra):
                    pass

                return handler


            class Mailer:
                def on_paid(self, sender, **extra):
                    pass


            def setup():
                order_paid.connect(make_handler())
                signals.order_paid.connect(Mailer().on_paid)
                alias.connect(make_handler())


            alias = signals.alias
            """,
        },
    )
    assert_cli(
        tmp_path,
        flake8_args,
        ["shop"],
        [
            "shop/handlers.py:18:5: "
            + _sig(
                "SIG103",
                receiver="closure returned by 'make_handler()'",
                signal="order_paid",
                when="as soon as connect() returns",
                function="",
            ),
            "shop/handlers.py:19:5: "
            + _sig(
                "SIG104",
                receiver="bound method 'Mailer().on_paid'",
                signal="signals.order_paid",
                when="as soon as connect() returns",
                function="",
            ),
        ],
    )


def test_cli_local_module_shadows_blinker(tmp_path, flake8_args):
    """A project with its own ``blinker.py`` (which even imports itself): no crash, no noise."""
    _write_tree(
        tmp_path,
        {
            "blinker.py": """\
            from blinker import *  # imports itself
            import blinker


            class Signal(Signal if False else object):
                def connect(self, receiver, weak=True):
                    blinker.keep = receiver


            def signal(name):
                return Signal()


            Namespace = blinker.Namespace
            """,
            "app.py": """\
            import blinker
            from blinker import Namespace, signal

            sig = signal("x")
            named = Namespace().signal("y")
            other = blinker.base.Signal()


            def setup():
                def nested(sender):
                    pass

                named.connect(nested)
                other.connect(nested)
            """,
        },
    )
    completed = _flake8_cli([*flake8_args, "--select", "SIG,E999", "app.py", "blinker.py"], tmp_path)
    assert completed.stderr == ""
    assert completed.returncode in (0, 1)
    # What the plugin says here is a policy question (it goes by import names); it must say it
    # the same way every time and only about app.py.
    again = _flake8_cli([*flake8_args, "--select", "SIG,E999", "app.py", "blinker.py"], tmp_path)
    assert again.stdout == completed.stdout
    assert all(line.startswith("app.py:") for line in completed.stdout.splitlines())


def test_same_filename_new_content_in_one_process(tmp_path, flake8_args):
    """An editor or a long-lived process lints one path again after an edit: the verdict follows
    the new text (line numbers move, a local class starts keeping its instances)."""
    check = FileCheck(flake8_args, tmp_path)
    first = (
        "from blinker import signal\nsig = signal('x')\n\n\nclass Handler:\n"
        "    def __call__(self, sender):\n        pass\n\n\ndef setup():\n    sig.connect(Handler())\n"
    )
    assert [(line, text[:6]) for line, _c, text in check(first, "same.py")] == [(11, "SIG103")]
    keeps = first.replace(
        "    def __call__", "    def __init__(self):\n        registry.append(self)\n\n    def __call__"
    )
    assert check("\n\n\n" + keeps + "registry = []\n", "same.py") == []
    assert [(line, text[:6]) for line, _c, text in check("\n" + first, "same.py")] == [(12, "SIG103")]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "process-wide caches (astroid's module cache, inference._parsed_modules) keep the first "
        "version of an imported module; harmless for flake8 (one process per run)"
    ),
)
def test_imported_module_edited_in_one_process(tmp_path, flake8_args):
    check = FileCheck(flake8_args, tmp_path)
    handlers = tmp_path / "sig_handlers_mod.py"
    handlers.write_text("class Handler:\n    def __call__(self, sender):\n        pass\n")
    app = (
        "from blinker import signal\nfrom sig_handlers_mod import Handler\nsig = signal('x')\n\n\n"
        "def setup():\n    sig.connect(Handler())\n"
    )
    assert [(line, text[:6]) for line, _c, text in check(app, "app_mod.py")] == [(7, "SIG103")]
    handlers.write_text(
        "registry = []\n\n\nclass Handler:\n    def __init__(self):\n        registry.append(self)\n\n"
        "    def __call__(self, sender):\n        pass\n"
    )
    assert check(app, "app_mod.py") == []


def test_cyclic_class_bases_and_self_referencing_names(tmp_path, flake8_args):
    source = textwrap.dedent("""\
        from blinker import signal

        sig = signal("x")


        class A(B):
            def __call__(self, sender):
                pass


        class B(A):
            pass


        sig2 = sig2
        h = h


        def setup():
            sig.connect(A())
            sig2.connect(lambda s: s)
            h.connect(h)
            loop = loop
            sig.connect(loop.method)
        """)
    found = FileCheck(flake8_args, tmp_path)(source, "cyclic.py")
    assert found == []  # A's bases are unknowable; sig2 and h are not signals
