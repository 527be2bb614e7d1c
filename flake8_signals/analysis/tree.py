"""Walking a module's syntax tree faster than :mod:`ast`'s helpers, in the same order.

``ast.walk`` and ``ast.iter_child_nodes`` test every field of every node, through generators,
and yield the expression-context nodes (``Load``/``Store``/``Del``) that no analysis here visits:
a third of a typical module's nodes. These read only the fields that hold nodes, which each node
type's signature in the grammar names (its ``__doc__``: ``FunctionDef(identifier name, arguments
args, stmt* body, ...)``), and skip the contexts. On the stdlib's and celery's sources ``walk``
takes less than half of ``ast.walk``'s time.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

# the grammar's builtin types, whose values are not nodes; expr_context is a node nobody visits
_NOT_NODES = frozenset({"identifier", "string", "int", "constant", "expr_context"})
_FIELD = re.compile(r"(\w+)[*?]? (\w+)")
# per node type: the fields that hold a node, None or a list of them (in _fields order), and
# whether the signature named every field (if not, each value is checked as ast.walk does)
_SHAPES: dict[type[ast.AST], tuple[tuple[str, ...], bool]] = {}


def _shape(kind: type[ast.AST]) -> tuple[tuple[str, ...], bool]:
    shape = _SHAPES.get(kind)
    if shape is None:
        declared = {name: type_ for type_, name in _FIELD.findall(kind.__doc__ or "")}
        exact = all(name in declared for name in kind._fields)
        if exact:
            shape = (tuple(n for n in kind._fields if declared[n] not in _NOT_NODES), True)
        else:  # another Python's grammar: look at every field but the context
            shape = (tuple(n for n in kind._fields if n != "ctx"), False)
        _SHAPES[kind] = shape
    return shape


def child_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """``ast.iter_child_nodes`` without expression contexts, in its order."""
    fields, exact = _shape(type(node))
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            for item in value:
                if isinstance(item, ast.AST):
                    yield item
        elif value is not None and (exact or isinstance(value, ast.AST)):
            yield value


def walk(tree: ast.AST) -> list[ast.AST]:
    """Every node under ``tree`` (itself included) in ``ast.walk``'s order, without expression
    contexts."""
    found = [tree]
    for node in found:  # the list grows while it is read: breadth first, as ast.walk
        fields, exact = _shape(type(node))
        for name in fields:
            value = getattr(node, name, None)
            if value is None:
                continue
            if type(value) is list:
                if exact and None not in value:
                    found.extend(value)
                else:
                    found.extend(item for item in value if isinstance(item, ast.AST))
            elif exact or isinstance(value, ast.AST):
                found.append(value)
    return found
