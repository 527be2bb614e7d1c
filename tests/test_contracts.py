"""SIG301-SIG304 beyond the fixtures: messages, where the rules stay silent, and odd code."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_signals.analysis.contracts import (
    Shape,
    ShapeResolver,
    call_problems,
    find_send_calls,
    signal_key,
)
from flake8_signals.analysis.scopes import ModuleScopes
from flake8_signals.api import check_source
from flake8_signals.checker import CheckConfig, FileContext
from flake8_signals.checks import contracts as contracts_family
from flake8_signals.libraries import library_named

HEADER = "from blinker import Signal, signal\norder_paid = Signal()\n"


def findings(body: str, select=("SIG3",)) -> list[tuple[int, str, str]]:
    source = HEADER + textwrap.dedent(body)
    return [(f.line, f.code, f.message) for f in check_source(source, "case.py", select=list(select))]


def codes(body: str, select=("SIG3",)) -> list[tuple[int, str]]:
    return [(line, code) for line, code, _ in findings(body, select)]


# -- messages ----------------------------------------------------------------------------------
def test_sig301_message():
    [(_, _, message)] = findings("""
        @order_paid.connect
        def on_paid(**extra):
            pass
    """)
    assert message == (
        "'order_paid' cannot call receiver 'on_paid' as receiver(sender, **kwargs): it has no "
        "positional parameter for the sender; give it a first positional parameter for the sender "
        "and a default for every other parameter"
    )


def test_sig302_message_names_the_send_line():
    [(_, _, message)] = findings("""
        @order_paid.connect
        def on_paid(sender):
            pass
        order_paid.send('shop', amount=3)
    """)
    assert message == (
        "receiver 'on_paid' does not accept keyword argument 'amount', sent to receivers of "
        "'order_paid' by send() at line 7 (it has no parameter 'amount' and no **kwargs); add a "
        "parameter 'amount', or **kwargs to take whatever the signal sends"
    )


def test_sig302_message_for_flask():
    [(_, _, message)] = findings("""
        from flask import request_finished
        @request_finished.connect
        def done(sender):
            pass
    """)
    assert "sent to receivers of 'request_finished' by Flask" in message


def test_sig303_message():
    [(_, _, message)] = findings("""
        @order_paid.connect
        async def on_paid(sender, **extra):
            pass
        order_paid.send('shop')
    """)
    assert message == (
        "coroutine function 'on_paid' is connected to 'order_paid', which is sent with send() and "
        "no _async_wrapper at line 7: send() raises RuntimeError there; pass _async_wrapper= to "
        "send(), send with 'await order_paid.send_async(...)', or make the receiver a plain def"
    )


def test_sig304_messages():
    result = findings("""
        order_paid.send('shop', 1)
        order_paid.send_async(sender='shop')
    """)
    assert [(line, code) for line, code, _ in result] == [(4, "SIG304"), (5, "SIG304")]
    assert result[0][2].startswith("'order_paid.send()' is given 2 positional arguments")
    assert result[1][2].startswith("'order_paid.send_async()' passes the sender as keyword 'sender'")


def test_both_codes_and_selection():
    body = """
        @order_paid.connect
        def on_paid():
            pass
        order_paid.send('shop', amount=3)
    """
    assert codes(body) == [(4, "SIG301"), (4, "SIG302")]
    assert codes(body, select=("SIG302",)) == [(4, "SIG302")]
    assert codes(body, select=("SIG1", "SIG2")) == []


def test_stacked_connect_decorators_each_report():
    assert codes("""
        order_shipped = Signal()
        @order_paid.connect
        @order_shipped.connect
        def on_event(**extra):
            pass
    """) == [(5, "SIG301"), (6, "SIG301")]


def test_connected_to_is_checked():
    assert codes("""
        def on_paid():
            pass
        def run():
            with order_paid.connected_to(on_paid):
                order_paid.send('shop')
    """) == [(7, "SIG301")]


def test_method_of_class_body_decorated_is_the_plain_function():
    """``@sig.connect`` in a class body connects the function itself: 'self' takes the sender."""
    assert codes("""
        class Mailer:
            @order_paid.connect
            def on_paid(self, sender, **extra):
                pass
        order_paid.send('shop')
    """) == [(5, "SIG301")]


# -- silence -----------------------------------------------------------------------------------
SILENT = {
    "imported receiver": """
        from handlers import on_paid
        order_paid.connect(on_paid)
    """,
    "receiver is a parameter": """
        def wire(handler):
            order_paid.connect(handler)
    """,
    "reassigned name": """
        def on_paid():
            pass
        on_paid = wrap(on_paid)
        order_paid.connect(on_paid)
    """,
    "decorated receiver": """
        import functools
        @order_paid.connect
        @functools.lru_cache
        def on_paid():
            pass
    """,
    "unknown signal object": """
        def on_paid():
            pass
        def wire(sig):
            sig.connect(on_paid)
            sig.send(1, 2)
    """,
    "a Qt-style signal": """
        def on_click():
            pass
        def wire(button):
            button.clicked.connect(on_click)
    """,
    "Django signal": """
        from django.dispatch import Signal as DjangoSignal
        saved = DjangoSignal()
        def on_saved(sender, **kwargs):
            pass
        saved.connect(on_saved)
        saved.send(sender=object)
    """,
    "send with **kwargs: keywords unknown": """
        @order_paid.connect
        def on_paid(sender):
            pass
        def pay(options):
            order_paid.send('shop', **options)
    """,
    "send with **kwargs: a wrapper may hide in it": """
        @order_paid.connect
        async def on_paid(sender, **extra):
            pass
        def pay(options):
            order_paid.send('shop', **options)
    """,
    "no send seen: keywords unknown": """
        @order_paid.connect
        def on_paid(sender, order):
            pass
    """,
    "sender-specific connection, other senders' sends": """
        @order_paid.connect_via('web')
        def on_paid(sender, order):
            pass
        order_paid.send('shop', order=1, amount=2)
        order_paid.send('web', order=1)
    """,
    "instance attribute hides the method": """
        class Mailer:
            def __init__(self):
                self.on_paid = make_handler()
            def on_paid(self):
                pass
            def wire(self):
                order_paid.connect(self.on_paid)
    """,
    "class with a metaclass": """
        class Handler(metaclass=Registry):
            def __call__(self):
                pass
        handler = Handler()
        order_paid.connect(handler)
    """,
    "method inherited from an imported base": """
        from base import Base
        class Mailer(Base):
            pass
        mailer = Mailer()
        order_paid.connect(mailer.on_paid)
    """,
    "class receiver": """
        class Event:
            def __init__(self):
                pass
        order_paid.connect(Event)
    """,
    "a property": """
        class Mailer:
            @property
            def on_paid(self):
                return lambda sender: None
            def wire(self):
                order_paid.connect(self.on_paid)
    """,
    "fine receivers": """
        import functools
        def one(sender, **extra): pass
        def two(sender=None): pass
        def three(*args, **kwargs): pass
        def four(app, sender, **extra): pass
        order_paid.connect(one)
        order_paid.connect(two)
        order_paid.connect(three)
        order_paid.connect(functools.partial(four, 'app'), weak=False)
        order_paid.send('shop')
    """,
    "socket send": """
        import socket
        sock = socket.socket()
        sock.send(b'x', 0)
    """,
    "send with *args": """
        args = ('shop', 1)
        order_paid.send(*args)
    """,
}


@pytest.mark.parametrize("body", SILENT.values(), ids=SILENT.keys())
def test_silent(body):
    assert codes(body) == []


# -- the binding model -------------------------------------------------------------------------
def _shape(source: str) -> Shape:
    node = ast.parse(textwrap.dedent(source)).body[0]
    tree = ast.Module(body=[node], type_ignores=[])
    scopes = ModuleScopes(tree)
    name = node.name  # type: ignore[attr-defined]
    resolver = ShapeResolver(scopes, lambda decorator: True)
    shape = resolver.of_expression(ast.Name(id=name, ctx=ast.Load()), scopes.module)
    assert shape is not None
    return shape


@pytest.mark.parametrize(
    ("source", "keywords", "expected"),
    [
        ("def h(sender, **kw): pass", frozenset({"a"}), []),
        ("def h(sender, a): pass", frozenset({"a"}), []),
        ("def h(sender, a): pass", None, []),  # 'a' may well be sent
        ("def h(sender, a, /): pass", None, ["SIG301"]),
        ("def h(sender, *, a): pass", frozenset(), ["SIG301"]),
        ("def h(sender, *, a): pass", None, []),
        ("def h(a, **kw): pass", frozenset({"a"}), ["SIG301"]),
        ("def h(*args): pass", frozenset({"a"}), ["SIG302"]),
        ("def h(*args): pass", frozenset(), []),
        ("def h(): pass", frozenset({"a"}), ["SIG301", "SIG302"]),
    ],
)
def test_call_problems(source, keywords, expected):
    call = library_named("blinker").receiver_call
    assert [p.code for p in call_problems(_shape(source), keywords, call)] == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def h(sender, **kw): pass", []),
        ("def h(**kw): pass", []),
        ("def h(signal, sender, instance): pass", []),  # every keyword Django passes here
        ("def h(sender): pass", ["SIG301"]),  # signal= is always passed
        ("def h(sender, /, **kw): pass", ["SIG301"]),  # the sender is passed by keyword
    ],
)
def test_call_problems_for_keyword_calls(source, expected):
    """Django and celery call receiver(signal=..., sender=..., **named), all by keyword."""
    call = library_named("django").receiver_call
    keywords = frozenset({"instance"}) if "instance" in source else None
    assert [p.code for p in call_problems(_shape(source), keywords, call)] == expected


def test_same_signal_same_key():
    source = textwrap.dedent("""
        import blinker
        from blinker import signal
        a = signal('x')
        b = blinker.signal('x')
        c = signal('y')
        a.send(1)
        b.send(1)
        c.send(1)
        signal('x').send(1)
    """)
    tree = ast.parse(source)
    scopes = ModuleScopes(tree, "m")
    keys = [s.key for s in find_send_calls(tree, scopes)]
    assert keys[0] == keys[1] == keys[3] != keys[2]
    assert signal_key(scopes, ast.parse("a").body[0].value, scopes.module) == keys[0]


# -- robustness --------------------------------------------------------------------------------
ODD = [
    "order_paid.connect(*handlers)",
    "order_paid.connect()",
    "import functools\norder_paid.connect(functools.partial())",
    "import functools\norder_paid.connect(functools.partial(*a, **k))",
    "class A(A):\n    pass\norder_paid.connect(A().m)",
    "class A(B):\n    pass\nclass B(A):\n    pass\norder_paid.connect(A())",
    "h = h\norder_paid.connect(h)",
    "a = b\nb = a\norder_paid.connect(a)",
    "order_paid.send(*a, *b, sender=1, **c)",
    "(lambda: order_paid).connect(lambda: 0)",
    "order_paid.connect(receiver=lambda: 0, weak=False)",
    "@order_paid.connect_via(*senders)\ndef h(): pass",
    "@order_paid.connect_via()\ndef h(): pass",
    "x.y.z.send(1, 2)\nself.s.send(1, 2)",
    "class C:\n    def m(self):\n        self.s.connect(self)\n        self.s.send(self, 1)",
]


@pytest.mark.parametrize("source", ODD)
def test_odd_code_does_not_raise(source):
    source = HEADER + source + "\n"
    tree = ast.parse(source)
    context = FileContext(tree, source, "odd.py", CheckConfig.create())
    # The family's own loop catches per site; this also proves that the parts around it don't raise.
    list(contracts_family.check(context))
    analysis = contracts_family.ContractAnalysis(
        context.scopes, tree, lambda site: None, lambda decorator: True, context.connect_sites
    )
    for site in analysis.receiver_sites():
        analysis.judge(site)


# -- the rest of the project (analysis/project_index.py) ---------------------------------------
def _project(tmp_path, handlers: str):
    from flake8_signals.api import check_file

    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "signals.py").write_text("from blinker import Signal\n\norder_paid = Signal()\n")
    (package / "orders.py").write_text(
        "from shop.signals import order_paid\n\n\ndef pay(order):\n    order_paid.send(order, amount=3)\n"
    )
    (package / "handlers.py").write_text(textwrap.dedent(handlers))
    return [
        (f.line, f.code, f.message)
        for f in check_file(package / "handlers.py", select=["SIG3"], source_roots=[str(tmp_path)])
    ]


def test_sends_in_other_modules_count(tmp_path):
    result = _project(
        tmp_path,
        """\
        from shop.signals import order_paid


        @order_paid.connect
        def receipt(sender):
            pass


        @order_paid.connect
        async def notify(sender, **extra):
            pass


        @order_paid.connect
        def fine(sender, amount):
            pass
    """,
    )
    assert [(line, code) for line, code, _ in result] == [(4, "SIG302"), (9, "SIG303")]
    assert "by send() at " in result[0][2] and "orders.py:5 (" in result[0][2]
    assert "orders.py:5: send() raises RuntimeError" in result[1][2]


def test_other_modules_sends_do_not_count_for_a_sender_specific_connection(tmp_path):
    assert (
        _project(
            tmp_path,
            """\
        from shop.signals import order_paid


        @order_paid.connect_via("web")
        def receipt(sender):
            pass
    """,
        )
        == []
    )


# -- libraries whose send() takes the sender by keyword (Django, celery) ------------------------
DJANGO_HEADER = "from django.dispatch import Signal, receiver\norder_paid = Signal()\n"


def test_django_sends_with_sender_by_keyword_give_the_keywords():
    """Django's own way of sending, send(sender=..., **named), reaches receivers: its keywords
    count (blinker's send(sender=...) does not reach them as written: SIG304)."""
    source = DJANGO_HEADER + textwrap.dedent("""
        @receiver(order_paid)
        def on_paid(signal, sender):
            pass
        order_paid.send(sender=object, amount=3)
    """)
    assert [(f.line, f.code) for f in check_source(source, "case.py", select=["SIG3"])] == [(4, "SIG302")]
    blinker = HEADER + textwrap.dedent("""
        @order_paid.connect
        def on_paid(sender):
            pass
        order_paid.send(sender=object, amount=3)
    """)
    assert [(f.line, f.code) for f in check_source(blinker, "case.py", select=["SIG3"])] == [(7, "SIG304")]


def test_django_connection_for_one_sender_reads_the_sends_by_sender_keyword():
    source = DJANGO_HEADER + textwrap.dedent("""
        class Order: pass
        class Refund: pass
        @receiver(order_paid, sender=Order)
        def on_paid(sender, amount, **kwargs):
            pass
        @receiver(order_paid, sender=Refund)
        def on_refund(sender, amount, **kwargs):
            pass
        order_paid.send(sender=Order, amount=3)
        order_paid.send(sender=Refund)
    """)
    assert [(f.line, f.code) for f in check_source(source, "case.py", select=["SIG3"])] == [(9, "SIG301")]


def test_sends_in_other_modules_by_sender_keyword_count_only_where_the_library_takes_it():
    from flake8_signals.analysis.contracts import SendIndex, SentBy

    tree = ast.parse("order_paid = object()\n")
    scopes = ModuleScopes(tree, "m")
    remote = (
        SentBy("send", 5, "/p/orders.py", frozenset({"sender", "order"}), True, sender_by_keyword=True),
        SentBy("send", 9, "/p/refunds.py", frozenset({"amount"}), True),
    )
    index = SendIndex(scopes, [], lambda expr, library: remote)
    signal = tree.body[0].targets[0]

    def keyword_sets(key: str) -> set[frozenset[str]]:
        contract = index.contract(signal, scopes.module, None, library=library_named(key))
        return set(contract.keyword_sets) if contract is not None else set()

    assert keyword_sets("django") == {frozenset({"sender", "order"}), frozenset({"amount"})}
    assert keyword_sets("blinker") == {frozenset({"amount"})}
