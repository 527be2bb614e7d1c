"""What the probes share (tests/runtime_probe.py, tests/library_probe.py): the fixture under probe,
the real libraries' connect calls made from it, and running it.

Each probe runs in a process of its own, with ``sys.argv[1]`` the fixture; the connect calls are
found through every library model's ``runtime_hooks`` (``flake8_signals.libraries``) whose module
is installed, so the probes name no library.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import os
import sys
import weakref
from collections.abc import Callable
from types import ModuleType
from typing import Any

from flake8_signals.libraries import LIBRARIES
from flake8_signals.libraries.model import Library, RuntimeHook

target = os.path.abspath(sys.argv[1])
# Python 3.10 attributes a decorator's call to the `def` line (3.11+ to the decorator's line);
# findings are reported at the outermost decorator, so map the one to the other.
with open(target, encoding="utf-8") as _handle:
    _DECORATED = {
        node.lineno: node.decorator_list[0].lineno
        for node in ast.walk(ast.parse(_handle.read()))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list
    }


def fixture_lines() -> list[int]:
    """The fixture's lines on the stack that (perhaps through the library's own code) made this
    call, innermost first: a connect inside a wrapper of the fixture, then the wrapper's call."""
    lines = []
    frame = sys._getframe(1)
    while frame is not None:
        if os.path.abspath(frame.f_code.co_filename) == target:
            lines.append(_DECORATED.get(frame.f_lineno, frame.f_lineno))
        frame = frame.f_back
    return lines


def reference(receiver: object) -> Any:
    """A weak reference to the receiver (a WeakMethod for a bound method), or None."""
    try:
        if hasattr(receiver, "__self__") and hasattr(receiver, "__func__"):
            return weakref.WeakMethod(receiver)  # type: ignore[arg-type]
        return weakref.ref(receiver)
    except TypeError:
        return None


def resolve(module: ModuleType, attribute: str) -> tuple[Any, str]:
    """The object that holds ``attribute`` (``"Signal.connect"``: the class) and the name in it."""
    owner_name, _, name = attribute.rpartition(".")
    return (getattr(module, owner_name) if owner_name else module), name


#: on_connect(library, hook, fixture lines, the call's arguments without self, its keywords,
#: the real connect call): what the wrapped connect returns
OnConnect = Callable[[Library, RuntimeHook, list[int], tuple, dict, Callable[[], Any]], Any]


def wrap_connects(on_connect: OnConnect) -> list[tuple[Library, RuntimeHook, ModuleType, bool]]:
    """Wrap every installed library's connect hook; return (library, hook, module, is_method) of
    each wrapped one."""
    wrapped = []
    for library in LIBRARIES:
        for hook in library.runtime_hooks:
            try:
                module = importlib.import_module(hook.module)
            except ImportError:
                continue  # not installed: its fixtures are not probed
            owner, name = resolve(module, hook.attribute)
            is_method = owner is not module
            setattr(owner, name, _wrapper(getattr(owner, name), library, hook, is_method, on_connect))
            wrapped.append((library, hook, module, is_method))
    return wrapped


def _wrapper(
    original: Any, library: Library, hook: RuntimeHook, is_method: bool, on_connect: OnConnect
) -> Any:
    @functools.wraps(original)
    def connect(*args: Any, **kwargs: Any) -> Any:
        call_args = args[1:] if is_method else args
        return on_connect(
            library, hook, fixture_lines(), call_args, kwargs, lambda: original(*args, **kwargs)
        )

    return connect


def configure_django(debug: bool) -> None:
    try:
        from django.conf import settings
    except ImportError:
        return
    if not settings.configured:
        settings.configure(DEBUG=debug)


def import_fixture() -> ModuleType:
    """Import the fixture under a name other than ``__main__`` (its ``if __name__`` blocks stay out)."""
    sys.path.insert(0, os.path.dirname(target))
    spec = importlib.util.spec_from_file_location("fixture_under_probe", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
