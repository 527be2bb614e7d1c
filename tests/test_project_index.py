"""The project index: what it reads, what it records about sends, its cache and its limits."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_signals.analysis import project_index
from flake8_signals.analysis.project_index import SendInfo, SignalIdentity
from flake8_signals.api import check_source
from flake8_signals.checker import CheckConfig, FileContext

DEFAULT_NAMESPACE = "blinker.default_namespace"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def context_for(path: Path, roots: list[Path]) -> FileContext:
    source = path.read_text(encoding="utf-8")
    config = CheckConfig.create(source_roots=[str(r) for r in roots])
    return FileContext(ast.parse(source), source, str(path), config)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    write(tmp_path, "shopkit/__init__.py", "from .signals import order_placed as order_placed\n")
    write(
        tmp_path,
        "shopkit/signals.py",
        """\
        from blinker import Namespace, Signal, signal

        shop_signals = Namespace()
        order_placed = shop_signals.signal("order-placed")
        stock_low = Signal()
        audit = signal("shopkit-audit")


        class Hooks:
            refunded = shop_signals.signal("order-refunded")
    """,
    )
    write(
        tmp_path,
        "shopkit/orders.py",
        """\
        import flask

        from shopkit import order_placed
        from shopkit.signals import Hooks, audit, stock_low


        def place(order, extra):
            order_placed.send(order, total=1, currency="EUR")
            order_placed.send(order, **extra)
            stock_low.send(order, item="pen", _async_wrapper=flask.current_app.ensure_sync)
            Hooks.refunded.send(order)


        async def place_later(order):
            await audit.send_async(order, who="bot")


        flask.request_finished.connect(audit.send)
    """,
    )
    write(
        tmp_path,
        "shopkit/receivers.py",
        """\
        from shopkit.signals import order_placed, shop_signals


        def on_placed(sender, **extra):
            pass


        order_placed.connect(on_placed)
        shop_signals.signal("order-placed").connect(on_placed)
    """,
    )
    return tmp_path


def test_sends_for_every_kind_of_signal(shop):
    index = project_index.build_index([str(shop)])
    orders = str(shop / "shopkit" / "orders.py")
    placed = SignalIdentity("named", "shopkit.signals.shop_signals", "order-placed")
    assert index.sends_for(placed) == [
        SendInfo(orders, 8, frozenset({"total", "currency"}), False, False, False),
        SendInfo(orders, 9, frozenset(), True, False, False),
    ]
    stock = SignalIdentity("object", "shopkit.signals", "stock_low")
    assert index.sends_for(stock) == [SendInfo(orders, 10, frozenset({"item"}), False, True, False)]
    refunded = SignalIdentity("named", "shopkit.signals.shop_signals", "order-refunded")
    assert [s.line for s in index.sends_for(refunded)] == [11]
    audit = SignalIdentity("named", DEFAULT_NAMESPACE, "shopkit-audit")
    assert index.sends_for(audit) == [
        SendInfo(orders, 15, frozenset({"who"}), False, False, True),
        SendInfo(orders, 18, frozenset(), True, False, False, "connect"),
    ]
    usage = index.usage(placed)
    assert (usage.sent, usage.listened, usage.escaped) == (True, True, False)
    assert index.declared_names("shopkit.signals.shop_signals") == {"order-placed", "order-refunded"}


def test_identity_of_an_expression_in_the_linted_file(shop):
    context = context_for(shop / "shopkit" / "receivers.py", [shop])
    index = project_index.index_for(context)
    connects = [n for n in ast.walk(context.tree) if isinstance(n, ast.Attribute) and n.attr == "connect"]
    identities = {index.identity_of(n.value, context) for n in connects}
    assert identities == {SignalIdentity("named", "shopkit.signals.shop_signals", "order-placed")}
    assert str(identities.pop()) == "shopkit.signals.shop_signals.signal('order-placed')"


def test_what_is_skipped(tmp_path):
    line = 'from blinker import signal\nname = signal("{}")\n'
    write(tmp_path, "app/__init__.py", "")
    write(tmp_path, "app/main.py", line.format("kept-main"))
    write(tmp_path, "build/lib/app/main.py", line.format("build-copy"))
    write(tmp_path, "tools/build/__init__.py", "")  # a package called build is code
    write(tmp_path, "tools/build/steps.py", line.format("kept-build-package"))
    write(tmp_path, "dist/app/main.py", line.format("dist-copy"))
    write(tmp_path, ".tox/py311/app.py", line.format("hidden"))
    write(tmp_path, "venv/pyvenv.cfg", "home = /usr\n")
    write(tmp_path, "venv/lib/python3.11/site-packages/thing.py", line.format("venv"))
    write(tmp_path, "env2/conda-meta/history", "")
    write(tmp_path, "env2/thing.py", line.format("conda"))
    write(tmp_path, "vendor/site-packages/thing.py", line.format("site-packages"))
    write(tmp_path, "web/node_modules/pkg/thing.py", line.format("node"))
    write(tmp_path, "app/__pycache__/main.py", line.format("pycache"))
    write(tmp_path, "thing.egg-info/x.py", line.format("egg-info"))
    index = project_index.build_index([str(tmp_path)])
    assert index.declared_names(DEFAULT_NAMESPACE) == {"kept-main", "kept-build-package"}
    assert index.complete


def test_only_signal_code_is_parsed(tmp_path):
    write(tmp_path, "plain.py", "import os\nprint(os.sep)\n")
    write(tmp_path, "stdlib_signal.py", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_DFL)\n")
    write(tmp_path, "declares.py", "from blinker import Namespace\nbus = Namespace()\nx = bus.signal('x')\n")
    write(tmp_path, "uses.py", "from declares import x\n\n\ndef f():\n    x.send(None)\n")
    write(tmp_path, "other_send.py", "def f(sock):\n    sock.send(b'')\n")
    # every Flask app imports flask: only a file that makes a namespace through it is parsed
    write(tmp_path, "views.py", "from flask import Flask, render_template\napp = Flask(__name__)\n")
    flask_ns = "from flask.signals import Namespace as NS\nours = NS()\nours.signal('y')\n"
    write(tmp_path, "flask_ns.py", flask_ns)
    index = project_index.build_index([str(tmp_path)])
    assert sorted(Path(p).name for p in index.facts) == ["declares.py", "flask_ns.py", "uses.py"]
    assert index.files_seen == 7
    assert index.declared_names("flask_ns.ours") == {"y"}


def test_file_cap_makes_the_index_incomplete_and_project_rules_silent(tmp_path, monkeypatch):
    write(
        tmp_path,
        "signals_mod.py",
        """\
        from blinker import Namespace
        bus = Namespace()
        user_created = bus.signal("user-created")
        template_block_rendered = bus.signal("template-bock-rendered")


        def on(sender, **extra):
            pass


        def install():
            bus.signal("user-crated").connect(on)
    """,
    )
    for number in range(3):
        write(tmp_path, f"filler_{number}.py", "x = 1\n")
    assert not project_index.build_index([str(tmp_path)], max_files=2).complete
    path = tmp_path / "signals_mod.py"
    source = path.read_text(encoding="utf-8")
    roots = [str(tmp_path)]
    codes = [f.code for f in check_source(source, str(path), select=["SIG2"], source_roots=roots)]
    assert codes == ["SIG203", "SIG201"]
    monkeypatch.setattr(project_index, "MAX_FILES", 2)
    project_index.clear_cache()
    try:
        codes = [f.code for f in check_source(source, str(path), select=["SIG2"], source_roots=roots)]
    finally:
        project_index.clear_cache()
    assert codes == ["SIG203"]  # comparing a declaration with itself needs no project


def test_built_once_per_process_per_roots(shop, monkeypatch):
    project_index.clear_cache()
    scans = []
    original = project_index._scan_root
    monkeypatch.setattr(
        project_index, "_scan_root", lambda root, *rest: scans.append(root) or original(root, *rest)
    )
    try:
        for name in ("orders.py", "receivers.py", "signals.py"):
            project_index.index_for(context_for(shop / "shopkit" / name, [shop]))
        project_index.index_for(context_for(shop / "shopkit" / "orders.py", [shop, shop / "shopkit"]))
    finally:
        project_index.clear_cache()
    assert scans == [str(shop)]  # a root inside another root is not read twice


def test_normalized_roots(tmp_path):
    inner = tmp_path / "src"
    roots = [str(inner), str(tmp_path), str(tmp_path) + "/"]
    assert project_index.normalized_roots(roots) == (str(tmp_path),)


def test_odd_code_does_not_break_the_index(tmp_path):
    write(
        tmp_path,
        "odd.py",
        """\
        import blinker
        x = x
        y = blinker.signal(*names)
        z = blinker.signal(name=lambda: 1)
        w = blinker.signal(f"{a}{b}")
        blinker.default_namespace["q"] = 1
        del blinker.signal("gone").receivers


        class C(C):
            s = C.s
    """,
    )
    write(tmp_path, "broken.py", "from blinker import signal\ndef (:\n")
    (tmp_path / "latin.py").write_bytes(
        "# -*- coding: latin-1 -*-\nfrom blinker import signal\ns = signal('caf\xe9')\n".encode("latin-1")
    )
    (tmp_path / "binary.py").write_bytes(b"\x00\xff from blinker import signal")
    index = project_index.build_index([str(tmp_path)])
    assert sorted(Path(p).name for p in index.facts) == ["latin.py", "odd.py"]
    assert "caf\xe9" in index.declared_names(DEFAULT_NAMESPACE)
    assert index.namespace(DEFAULT_NAMESPACE).open  # written to: names unknowable
