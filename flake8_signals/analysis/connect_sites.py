"""Where receivers are connected: ``sig.connect(fn, ...)`` calls and ``@sig.connect`` decorators.

Nothing here knows yet whether ``sig`` is a signal; that is decided later, and only for the few
sites whose receiver would be lost.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

# blinker: connect(receiver, sender=ANY, weak=True) / connect_via(sender, weak=False)
_CONNECT_WEAK_INDEX = 2
_CONNECT_VIA_WEAK_INDEX = 1


class ReportedAt:
    """Line and column of a site's ``report_node``, in flake8's convention."""

    report_node: ast.AST

    @property
    def line(self) -> int:
        return self.report_node.lineno  # type: ignore[attr-defined]

    @property
    def col(self) -> int:
        return self.report_node.col_offset  # type: ignore[attr-defined]


@dataclass(frozen=True, eq=False)
class ConnectSite(ReportedAt):
    report_node: ast.AST  # the `.connect(` call, or the decorator expression
    signal: ast.expr  # the expression `.connect` is called on
    method: str  # "connect" | "connect_via"
    receiver: ast.expr | None  # the receiver expression (call form)
    decorated: ast.FunctionDef | ast.AsyncFunctionDef | None  # the receiver (decorator form)
    weak: bool | None  # None: cannot be evaluated


def find_connect_sites(tree: ast.AST) -> Iterator[ConnectSite]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            site = _call_site(node)
            if site is not None:
                yield site
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list:
            site = _decorator_site(node)
            if site is not None:
                yield site


def _call_site(call: ast.Call) -> ConnectSite | None:
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != "connect":
        return None
    receiver = call.args[0] if call.args else _keyword(call, "receiver")
    if receiver is None or isinstance(receiver, ast.Starred):
        return None
    weak = _weak_argument(call, _CONNECT_WEAK_INDEX, default=True)
    return ConnectSite(call, func.value, "connect", receiver, None, weak)


def _decorator_site(node: ast.FunctionDef | ast.AsyncFunctionDef) -> ConnectSite | None:
    # Only the outermost decorator: below another one, what gets bound to the name is not ours.
    decorator = node.decorator_list[0]
    if isinstance(decorator, ast.Attribute) and decorator.attr == "connect":
        return ConnectSite(decorator, decorator.value, "connect", None, node, True)
    if (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr == "connect_via"
    ):
        weak = _weak_argument(decorator, _CONNECT_VIA_WEAK_INDEX, default=False)
        return ConnectSite(decorator, decorator.func.value, "connect_via", None, node, weak)
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _weak_argument(call: ast.Call, index: int, *, default: bool) -> bool | None:
    """The truth value of the ``weak`` argument; None when it is not a literal."""
    if any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return None  # positions after a *args are unknown
    value = call.args[index] if len(call.args) > index else _keyword(call, "weak")
    if value is None:
        unpacked = any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        )
        return None if unpacked else default
    if isinstance(value, ast.Constant):
        return bool(value.value)
    return None
