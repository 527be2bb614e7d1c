"""The built-in table of library namespaces (known_signals.KNOWN_NAMESPACES) is regenerated here
from the installed libraries' source and must match: a library that renames, adds or moves a
signal makes this test fail with the entry to paste."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys

import blinker
import pytest

from flake8_signals.api import check_source
from flake8_signals.libraries import KNOWN_SIGNALS
from flake8_signals.libraries.blinker import KNOWN_NAMESPACES
from flake8_signals.libraries.model import KnownNamespace

# Libraries the test extra installs only on newer Pythons (see pyproject.toml); any other
# missing library is an error, not a skip.
_MINIMUM_PYTHON = {"flask_security": (3, 11)}
_NAMESPACE_CLASSES = {"Namespace", "blinker.Namespace", "blinker.base.Namespace", "WeakNamespace"}


def _source_entries(namespace: KnownNamespace) -> list[tuple[str, str]]:
    """(attribute, name) of every module-level ``attribute = <namespace>.signal("name")`` in the
    module that creates the namespace, read from its source (the way the linter reads code)."""
    module_name, variable = namespace.path.rsplit(".", 1)
    spec = importlib.util.find_spec(module_name)
    assert spec is not None and spec.origin, module_name
    with open(spec.origin, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    made_here = False
    entries = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
            continue
        func = value.func
        if target.id == variable and ast.unparse(func) in _NAMESPACE_CLASSES:
            made_here = True
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "signal"
            and isinstance(func.value, ast.Name)
            and func.value.id == variable
            and value.args
            and isinstance(value.args[0], ast.Constant)
        ):
            entries.append((target.id, value.args[0].value))
    assert made_here, f"{namespace.path} is no longer made with Namespace() in {spec.origin}"
    return entries


def _require_library(namespace: KnownNamespace) -> None:
    minimum = _MINIMUM_PYTHON.get(namespace.package)
    if minimum and sys.version_info < minimum:
        pytest.skip(f"the test extra installs {namespace.library} only on Python {minimum[0]}.{minimum[1]}+")


def _regenerated(namespace: KnownNamespace) -> list[tuple[str, str, tuple[str, ...]]]:
    module_name = namespace.path.rsplit(".", 1)[0]
    module = importlib.import_module(module_name)
    package = importlib.import_module(namespace.package)
    rows = []
    for attribute, name in _source_entries(namespace):
        exported = package is not module and getattr(package, attribute, None) is getattr(module, attribute)
        rows.append((attribute, name, (namespace.package, module_name) if exported else (module_name,)))
    return rows


@pytest.mark.parametrize("namespace", KNOWN_NAMESPACES, ids=lambda n: n.library)
def test_table_matches_the_installed_library(namespace):
    _require_library(namespace)
    expected = _regenerated(namespace)
    actual = [(s.attribute, s.name, s.modules) for s in namespace.signals]
    entries = ",\n".join(f"        ({a!r}, {n!r}, {len(m) == 2})" for a, n, m in expected)
    assert sorted(actual) == sorted(expected), (
        f"update {namespace.library} in known_signals.py to:\n{entries}"
    )


@pytest.mark.parametrize("namespace", KNOWN_NAMESPACES, ids=lambda n: n.library)
def test_every_entry_is_the_real_signal_and_the_namespace_holds_no_other(namespace):
    _require_library(namespace)
    module_name, variable = namespace.path.rsplit(".", 1)
    runtime_namespace = getattr(importlib.import_module(module_name), variable)
    assert isinstance(runtime_namespace, blinker.Namespace)
    assert {s.name for s in namespace.signals} == set(runtime_namespace)
    for known in namespace.signals:
        assert known.namespace == namespace.path
        for exposing in known.modules:
            value = getattr(importlib.import_module(exposing), known.attribute)
            assert value is runtime_namespace[known.name]
            assert KNOWN_SIGNALS[f"{exposing}.{known.attribute}"].signal is known
        assert blinker.signal(known.name) is not runtime_namespace[known.name]


@pytest.mark.parametrize("namespace", KNOWN_NAMESPACES, ids=lambda n: n.library)
def test_a_default_namespace_lookup_of_each_library_name_is_sig202(namespace, tmp_path):
    """Where the library is imported (installed or not), each of its names is recognised."""
    known = namespace.signals[0]
    source = (
        f"import blinker\nimport {namespace.package}\n\n\ndef handler(sender, **extra):\n    pass\n\n\n"
        f"blinker.signal({known.name!r}).connect(handler)\n"
    )
    path = tmp_path / "app_module.py"
    path.write_text(source, encoding="utf-8")
    findings = check_source(source, str(path), select=["SIG2"], source_roots=[str(tmp_path)])
    assert [(f.line, f.code) for f in findings] == [(9, "SIG202")]
    assert findings[0].message.endswith(f"use {known.modules[0]}.{known.attribute}")
    assert f"{namespace.library}'s namespace" in findings[0].message


def test_library_names_count_only_where_the_library_is_imported(tmp_path):
    source = (
        "import blinker\n\n\ndef handler(sender, **extra):\n    pass\n\n\n"
        "blinker.signal('logged-in').connect(handler)\n"
    )
    path = tmp_path / "no_flask_login.py"
    path.write_text(source, encoding="utf-8")
    codes = [f.code for f in check_source(source, str(path), select=["SIG2"], source_roots=[str(tmp_path)])]
    assert codes == ["SIG291"]  # only the opt-in "nothing sends it" remains
