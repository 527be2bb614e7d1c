"""Every call and every decorated definition of a module, from one walk of its tree.

The families need the calls several ways (connect sites, sends, calls of connect wrappers); one
walk serves them all, which on a large module is most of what finding them costs.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

from . import tree as syntax
from .scopes import FunctionNode


class ModuleCalls(NamedTuple):
    calls: tuple[ast.Call, ...]  # in the order ast.walk meets them (tree.walk's)
    decorated: tuple[FunctionNode, ...]  # definitions with at least one decorator

    @classmethod
    def of(cls, tree: ast.AST) -> ModuleCalls:
        calls: list[ast.Call] = []
        decorated: list[FunctionNode] = []
        for node in syntax.walk(tree):
            if isinstance(node, ast.Call):
                calls.append(node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list:
                decorated.append(node)
        return cls(tuple(calls), tuple(decorated))
