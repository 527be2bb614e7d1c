"""analysis/tree.py walks as ast does, minus the expression contexts, on every shape of node."""

from __future__ import annotations

import ast
import sys
import sysconfig
from pathlib import Path

import pytest

from flake8_signals.analysis import tree as syntax

# Every statement and expression kind this interpreter's grammar has, in one module.
EVERY_KIND = """
import a, b.c as d
from .e import f as g, h
from __future__ import annotations
x: int = 1
y = z = [1, *w], {1: 2, **v}, {3}, (4,), f"{x!r:>{y}}", b"b", ..., None
del y[0], x.a
x += 1; x @= y
assert x, "m"
global q
async def a1(p, /, q=1, *r, s, t=2, **u) -> None:
    nonlocal_ = lambda k=1, *a, **kw: (yield_ := k)
    async for i in j:
        await i
    async with k as (l, m), n:
        pass
    return [i async for i in j if i]
def gen():
    yield 1
    yield from gen()
@dec(1)
class C(B, metaclass=M):
    def m(self): return super().m()
for i, *j in k:
    continue
else:
    break
while x:
    pass
else:
    pass
if x: pass
elif y: pass
else: pass
with a as b, c: pass
try:
    raise E from e
except (E, F) as err:
    pass
else:
    pass
finally:
    pass
match p:
    case {"k": v, **rest}: pass
    case Point(x=0, y=yy) | [1, 2, *others]: pass
    case str() as s if s: pass
    case None | True: pass
    case _: pass
x = a if b else c
x = not a and b or -c
x = a < b <= c is not d in e
x = a[1:2:3], a[...], {k: v for k, v in w}, {s for s in t}, (g for g in h)
x = f(*a, k=1, **kw)
"""

if sys.version_info >= (3, 11):
    EVERY_KIND += "try:\n    pass\nexcept* G:\n    pass\n"
if sys.version_info >= (3, 12):
    EVERY_KIND += "type Alias[T: int, *Ts, **P] = list[T]\ndef generic[T](x: T) -> T: return x\n"


def _expected_walk(tree: ast.AST) -> list[ast.AST]:
    return [n for n in ast.walk(tree) if not isinstance(n, ast.expr_context)]


def _same(found: list[ast.AST], expected: list[ast.AST]) -> bool:
    return len(found) == len(expected) and all(a is b for a, b in zip(found, expected, strict=True))


def _stdlib_trees(limit: int = 60) -> list[ast.Module]:
    trees = []
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[:limit]:
        try:
            trees.append(ast.parse(path.read_text(encoding="utf-8")))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
    return trees


@pytest.mark.parametrize("tree", [ast.parse(EVERY_KIND), *_stdlib_trees()], ids=lambda _: "")
def test_walk_and_children_are_asts_without_contexts(tree: ast.Module) -> None:
    expected = _expected_walk(tree)
    assert _same(syntax.walk(tree), expected)
    for node in expected:
        children = [c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.expr_context)]
        assert _same(list(syntax.child_nodes(node)), children), ast.dump(node)[:200]


def test_every_node_type_of_this_grammar_is_read_from_its_signature() -> None:
    syntax.walk(ast.parse(EVERY_KIND))
    assert syntax._SHAPES, "nothing was walked"
    assert all(exact for _, exact in syntax._SHAPES.values())


def test_a_node_type_without_a_signature_is_walked_by_looking_at_every_value() -> None:
    class Odd(ast.AST):  # a node of another grammar: its fields hold nodes, strings and lists
        _fields = ("label", "body", "items")

    name = ast.Name(id="n", ctx=ast.Load())
    call = ast.Call(func=ast.Name(id="f", ctx=ast.Load()), args=[], keywords=[])
    odd = Odd(label="text", body=name, items=[call, None, "x"])
    module = ast.Module(body=[ast.Expr(value=odd)], type_ignores=[])
    assert _same(syntax.walk(module), _expected_walk(module))
    assert list(syntax.child_nodes(odd)) == [name, call]
    assert syntax._SHAPES[Odd][1] is False
