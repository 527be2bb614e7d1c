"""The library models' tables agree with the installed libraries.

Each known signal is the real object, exported where the table says; for libraries whose table
claims to be complete, every module-level signal of the package is in it. A library that adds,
renames or moves a signal makes these tests fail with what to change.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import importlib.util
import inspect
from pathlib import Path

import pytest
from packaging.version import Version

from flake8_signals.libraries import KNOWN_SIGNALS, LIBRARIES, library_named
from flake8_signals.libraries.model import KnownSignal, Library, Parameter, RuntimeHook
from flake8_signals.runtime.hooks import resolve
from flake8_signals.runtime.recorder import _locations

_WITH_TABLES = [lib for lib in LIBRARIES if lib.known_signals and lib.key != "blinker"]


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _import(module: str) -> object:
    if module.startswith("django.") and not module.startswith(("django.dispatch", "django.core.signals")):
        from django.conf import settings

        if not settings.configured:
            settings.configure()
    return importlib.import_module(module)


def _is_signal_object(library: Library, value: object) -> bool:
    if not library.signal_classes:
        return False
    classes = []
    for path in library.signal_classes:
        module, name = path.rsplit(".", 1)
        try:
            classes.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return isinstance(value, tuple(c for c in classes if isinstance(c, type)))


def _in_installed_release(known: KnownSignal) -> bool:
    """Whether the installed release of the signal's library has it (``since``)."""
    if not known.since:
        return True
    installed = importlib.metadata.version(known.modules[0].split(".")[0])
    return Version(installed) >= Version(known.since)


@pytest.mark.parametrize("library", _WITH_TABLES, ids=lambda lib: lib.key)
def test_every_known_signal_is_the_real_one(library: Library):
    for package in {s.modules[0].split(".")[0] for s in library.known_signals}:
        pytest.importorskip(package)
    for known in filter(_in_installed_release, library.known_signals):
        values = [getattr(_import(module), known.attribute) for module in known.modules]
        assert all(v is values[0] for v in values), f"{known.paths} are not one object"
        if library.key == "pydispatch":
            assert type(values[0]) is object, known.paths  # Scrapy's signals are object() markers
        else:
            assert _is_signal_object(library, values[0]), f"{known.paths[0]} is not a {library.name} signal"


def _module_level_signals(root: Path, package: str, class_names: set[str]) -> set[tuple[str, str]]:
    """(module, name) of every ``name = <Class>(...)`` at module level in the package's source."""
    found = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for statement in tree.body:
            if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call):
                continue
            called = statement.value.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in class_names:
                found.update((module, t.id) for t in statement.targets if isinstance(t, ast.Name))
    return found


@pytest.mark.parametrize(
    "library", [lib for lib in _WITH_TABLES if lib.known_signals_complete], ids=lambda lib: lib.key
)
def test_a_complete_table_lists_every_module_level_signal(library: Library):
    class_names = {path.rsplit(".", 1)[1] for path in library.signal_classes}
    expected = set()
    for package in library.packages:
        root = _package_dir(package)
        if root is None:
            pytest.skip(f"{package} is not installed")
        expected |= _module_level_signals(root, package, class_names)
    listed = {(s.modules[0], s.attribute) for s in library.known_signals if _in_installed_release(s)}
    assert listed == expected, (
        f"missing: {sorted(expected - listed)}; not in the library: {sorted(listed - expected)}"
    )


def test_scrapys_table_is_every_marker_of_scrapy_signals():
    signals = pytest.importorskip("scrapy.signals")
    markers = {
        name for name, value in vars(signals).items() if type(value) is object and not name.startswith("_")
    }
    listed = {s.attribute for s in library_named("pydispatch").known_signals}
    assert listed == markers


def test_every_path_leads_to_its_own_entry():
    for library in LIBRARIES:
        for known in library.known_signals:
            for path in known.paths:
                assert KNOWN_SIGNALS[path].signal is known
                assert KNOWN_SIGNALS[path].library is library


def test_models_are_found_without_being_listed():
    """Adding a library is adding its module: the registry lists every module of the package."""
    package = Path(importlib.import_module("flake8_signals.libraries").__file__).parent
    modules = {p.stem for p in package.glob("*.py") if not p.stem.startswith("_") and p.stem != "model"}
    assert {lib.key for lib in LIBRARIES} == modules
    assert len({lib.key for lib in LIBRARIES}) == len(LIBRARIES)


def test_connect_forms_are_consistent():
    for library in LIBRARIES:
        for form in library.connects:
            positions = [
                p.position for p in (form.receiver, form.sender, form.signal) if p and p.position is not None
            ]
            weak = form.weakness.parameter
            if weak is not None and weak.position is not None:
                positions.append(weak.position)
            assert len(positions) == len(set(positions)), (
                f"{library.key}.{form.method}: two arguments share a position"
            )
            assert form.receiver is not None or form.called_decorator is not None, form


def test_django_does_not_need_settings_for_the_tables():
    """The linter never imports Django; this only checks that the tables' modules exist in it."""
    root = _package_dir("django")
    if root is None:
        pytest.skip("django is not installed")
    for known in filter(_in_installed_release, library_named("django").known_signals):
        for module in known.modules:
            parts = module.split(".")[1:]
            assert (root.joinpath(*parts).with_suffix(".py")).is_file() or (
                root.joinpath(*parts) / "__init__.py"
            ).is_file(), module


_HOOKS = [
    pytest.param(library, hook, id=f"{library.key}-{hook.attribute}")
    for library in LIBRARIES
    for hook in library.runtime_hooks
]


def _parameters(callable_: object, is_method: bool) -> list[inspect.Parameter]:
    parameters = list(inspect.signature(callable_).parameters.values())
    return parameters[1:] if is_method else parameters


def _check_parameter(where: str, parameter: Parameter | None, parameters: list[inspect.Parameter]) -> None:
    if parameter is None:
        return
    by_name = {p.name: p for p in parameters}
    assert parameter.name in by_name, f"{where}: no parameter {parameter.name!r} in {parameters}"
    actual = by_name[parameter.name]
    if parameter.position is None:
        assert actual.kind in (actual.KEYWORD_ONLY, actual.POSITIONAL_OR_KEYWORD), where
    else:
        assert parameters.index(actual) == parameter.position, f"{where}: {parameter} is not at its position"
        assert actual.kind is actual.POSITIONAL_OR_KEYWORD, where


@pytest.mark.parametrize(("library", "hook"), _HOOKS)
def test_runtime_hooks_match_the_installed_library(library: Library, hook: RuntimeHook):
    """Every argument the runtime checks read is where the model says, and every value it names
    exists (tests/test_confirm.py and tests/test_pytest_plugin.py run the hooks)."""
    module = pytest.importorskip(hook.module)
    owner_path, _, name = hook.attribute.rpartition(".")
    owner = getattr(module, owner_path) if owner_path else module
    connect = _parameters(getattr(owner, name), is_method=bool(owner_path))
    for parameter in (hook.receiver, hook.weakness.parameter, hook.sender, hook.signal, hook.key):
        _check_parameter(f"{library.key} {hook.attribute}", parameter, connect)
    assert hook.disconnect is not None
    disconnect_owner, _, disconnect_name = hook.disconnect.rpartition(".")
    disconnect = _parameters(
        getattr(getattr(module, disconnect_owner) if disconnect_owner else module, disconnect_name),
        is_method=bool(disconnect_owner),
    )
    call = hook.disconnect_call
    for parameter in (call.receiver, call.sender, call.signal, call.key):
        _check_parameter(f"{library.key} {hook.disconnect}", parameter, disconnect)
    for path in (hook.any_sender, hook.any_signal):
        if path is not None:
            resolve(path)  # raises if it is not there
    for path in hook.connect_caches:
        assert callable(resolve(path).cache_clear), path
    dirs, files = _locations(hook.internal_modules)
    assert len(dirs) + len(files) >= len(hook.internal_modules), (hook.internal_modules, dirs, files)
