"""Where receivers are connected, found from the syntax alone.

A site is a call or a decorator spelled like one of the connect forms the library models declare:
``sig.connect(fn, ...)``, ``connect(fn, ...)`` (a connect function called by its own name),
``@sig.connect``, ``@sig.connect_via(...)``, ``@receiver(sig, ...)``, ``sig.connected_to(fn)``
(strong: only the contracts family cares). Which library, if any, a site belongs to is
decided later (:mod:`.connections`), and only for the sites that matter.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterator
from dataclasses import dataclass

from ..libraries import CONNECT_FUNCTIONS, CONNECT_METHODS, DECORATOR_FUNCTIONS, LIBRARIES
from .calls import ModuleCalls
from .scopes import FunctionNode

_FUNCTION_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in CONNECT_FUNCTIONS)
_DECORATOR_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in DECORATOR_FUNCTIONS)
_RECEIVER_KEYWORDS = frozenset(
    form.receiver.name for lib in LIBRARIES for form in lib.connects if form.receiver is not None
)


class ReportedAt:
    """Line and column of a site's ``report_node``, in flake8's convention."""

    report_node: ast.expr

    @property
    def line(self) -> int:
        return self.report_node.lineno

    @property
    def col(self) -> int:
        return self.report_node.col_offset


class Style(enum.Enum):
    CALL = "call"  # sig.connect(receiver, ...), connect(receiver, ...)
    BARE_DECORATOR = "bare decorator"  # @sig.connect
    CALLED_DECORATOR = "called decorator"  # @sig.connect_via(sender), @receiver(sig)


@dataclass(frozen=True, eq=False)
class ConnectSite(ReportedAt):
    report_node: ast.expr  # the call, or the decorator expression
    style: Style
    method: str  # the attribute, or the function's name as written
    target: ast.expr | None  # what the method is called on; None for a function called by name
    call: ast.Call | None  # the connect call, or the decorator's call; None for a bare decorator
    receiver: ast.expr | None  # call form: what is connected
    decorated: FunctionNode | None  # decorator forms: what is connected
    decorator_index: int = 0  # position in the decorator list (0: outermost)

    @property
    def func(self) -> ast.expr | None:
        """The called expression: ``sig.connect``, ``connect``, ``receiver``."""
        if self.call is not None:
            return self.call.func
        return self.report_node


def find_connect_sites(tree: ast.AST, calls: ModuleCalls | None = None) -> Iterator[ConnectSite]:
    """The module's sites (from ``calls`` when the caller already walked the tree)."""
    found = calls if calls is not None else ModuleCalls.of(tree)
    decorators = {id(d) for node in found.decorated for d in node.decorator_list}
    for node in found.decorated:
        yield from _decorator_sites(node)
    for call in found.calls:
        if id(call) not in decorators:
            site = _call_site(call)
            if site is not None:
                yield site


def _call_site(call: ast.Call) -> ConnectSite | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in CONNECT_METHODS:
        method, target = func.attr, func.value
    elif isinstance(func, ast.Name) and func.id in _FUNCTION_NAMES:
        method, target = func.id, None
    else:
        return None
    receiver = call.args[0] if call.args else _keyword(call, _RECEIVER_KEYWORDS)
    if receiver is None or isinstance(receiver, ast.Starred):
        return None
    return ConnectSite(call, Style.CALL, method, target, call, receiver, None)


def _decorator_sites(node: FunctionNode) -> Iterator[ConnectSite]:
    for index, decorator in enumerate(node.decorator_list):
        if isinstance(decorator, ast.Attribute) and decorator.attr in CONNECT_METHODS:
            yield ConnectSite(
                decorator, Style.BARE_DECORATOR, decorator.attr, decorator.value, None, None, node, index
            )
        elif isinstance(decorator, ast.Call):
            func = decorator.func
            if isinstance(func, ast.Attribute) and func.attr in CONNECT_METHODS | _DECORATOR_NAMES:
                yield ConnectSite(
                    decorator, Style.CALLED_DECORATOR, func.attr, func.value, decorator, None, node, index
                )
            elif isinstance(func, ast.Name) and func.id in _DECORATOR_NAMES:
                yield ConnectSite(
                    decorator, Style.CALLED_DECORATOR, func.id, None, decorator, None, node, index
                )


def _keyword(call: ast.Call, names: frozenset[str]) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg in names), None)
