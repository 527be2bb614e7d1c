"""SIG1xx: receivers that a weak reference does not keep alive."""

from __future__ import annotations

from ..libraries.model import ReceiverKind
from . import Rule

_CONNECT_DOC = (
    "Most signal libraries keep only a weak reference to a receiver (the table below says which, "
    "and for which receivers). When nothing else refers to the receiver, Python frees it, the "
    "library silently disconnects it, and the handler never runs. Nothing raises and nothing is "
    "logged."
)
_WEAKNESS = (
    "A connection is judged weak when its library's weak flag is left out (its default is `True`) "
    "or given as a truthy literal, or when the library has no such flag and holds this kind of "
    "receiver weakly. A strong connection (`weak=False` or any falsy literal, blinker's "
    "`connect_via(sender)` and `connected_to(...)`, celery's `retry=True`) is never reported, nor "
    "is a weak flag the linter cannot evaluate, nor a connection to an object it cannot show is a "
    "signal.\n\n"
    "A module-level function of the project that only hands a receiver on to a weak connect "
    "(`def connect_first(signal, receiver): signal.connect(receiver)`) is judged at each of its "
    "calls like `connect()`, and the message names it; one that connects a closure it makes and "
    "returns it loses that closure where its result is thrown away (SIG103). Wrappers of wrappers "
    "are not followed."
)
_REFERENCES = (("Python: weakref", "https://docs.python.org/3/library/weakref.html"),)
_PATHS = (
    "A receiver name bound several ways (an `if`/`else`, a `try`/`except`, a loop) is reported when "
    "a binding that can reach the connect is lost and every other one is known to survive or to be "
    "lost; the message names the line and branch of the lost one. One binding the linter cannot "
    "tell about (a parameter, a factory's result) means silence."
)
_KIND_NOTES = (
    "`{path}` is empty, or, when the name is bound several ways, the binding that is lost and "
    "its branch: ` (as bound on line 7, when 'app.debug' is true)`.",
    "`{weakly}` says how the library holds the receiver (`with weak=True`, or `by weak reference` "
    "where the library has no weak flag) and `{strong_fix}` how to hold it strongly instead; both "
    "come from the library, as in the table below.",
)

SIG101 = Rule(
    code="SIG101",
    name="weakly-connected-local-function",
    summary="A function defined inside another function is connected by weak reference",
    message=(
        "local function '{receiver}'{path} is connected to '{signal}' {weakly} and is "
        "garbage-collected when '{function}' returns, so it is never called"
    ),
    fix="define it at module level or {strong_fix}",
    receiver_kinds=frozenset({ReceiverKind.FUNCTION}),
    what_it_does=(
        "Finds a function (or `async` function) defined inside another function or method and "
        "connected to a signal with a weak reference, by call "
        "(`sig.connect(handler)`) or by decorator (`@sig.connect`, "
        "`@sig.connect_via(sender, weak=True)`, Django's `@receiver(sig)`)."
    ),
    why_bad=(
        f"{_CONNECT_DOC} A nested function lives only as long as the call that created it: when the "
        "enclosing function returns, the function object is freed and the receiver is gone before "
        "the signal is ever sent.\n\n"
        f"{_PATHS}\n\n"
        "The rule stays silent when something keeps the function alive or when the connection is "
        "meant to last only while the enclosing function runs: the function is stored (on an "
        "attribute, in a global or nonlocal, in a container that is not a local one, returned, "
        "yielded or passed to another call), the value returned by `connect()` is kept (where the "
        "library's `connect()` returns the receiver), the enclosing function disconnects it "
        "itself (or disconnects the signal by key, as Django's `dispatch_uid=`), is a generator or "
        "`@contextmanager`, sends the same signal itself, calls into the object that owns the signal "
        "after connecting (`crawler.signals.connect(h, ...)` then `crawler.crawl()`, as Scrapy's own "
        "test helpers do), runs a blocking loop after connecting "
        "(`while True`, `app.run()`, `serve_forever()`), or is a test (a `test*` or `_test*` "
        "function, or any function of a `test_*.py`, `*_test.py` or `conftest.py` module).\n\n"
        "A coroutine's locals live while it is suspended: one that, after connecting, awaits "
        "something that can last as long as the program (a server's `serve_forever()`, an "
        "event's `wait()`, a future or task, `gather` of those, an endless loop, `async for`) is "
        "left alone; one whose awaits complete (`asyncio.sleep()`, a request) goes on to return "
        "and loses the receiver, and is reported.\n\n"
        f"{_WEAKNESS}"
    ),
    example="""\
from flask.signals import request_finished


def register_signal_handlers(app):
    def log_response(sender, response, **extra):
        print(response.status)

    request_finished.connect(log_response, app)
""",
    use_instead="""\
from flask.signals import request_finished


def log_response(sender, response, **extra):
    print(response.status)


def register_signal_handlers(app):
    request_finished.connect(log_response, app)
""",
    references=_REFERENCES,
    notes=_KIND_NOTES,
)

SIG102 = Rule(
    code="SIG102",
    name="weakly-connected-lambda",
    summary="A lambda is connected by weak reference",
    message=(
        "{receiver}{path} is connected to '{signal}' {weakly} and is garbage-collected "
        "{when}, so it is never called"
    ),
    fix="define a module-level function or {strong_fix}",
    receiver_kinds=frozenset({ReceiverKind.LAMBDA}),
    what_it_does=(
        "Finds a `lambda` connected to a signal with a weak reference: written inline in "
        "the `connect()` call (anywhere, module level included), or bound to a local variable of "
        "a function first."
    ),
    why_bad=(
        f"{_CONNECT_DOC} An inline lambda has no other reference at all, so it is freed as soon "
        "as `connect()` returns; a lambda held in a local variable is freed when the function "
        "returns. A lambda bound to a module-level name lives as long as the module and is not "
        "reported.\n\n"
        f"{_WEAKNESS}"
    ),
    example="""\
from blinker import signal

order_paid = signal("order-paid")

order_paid.connect(lambda sender, **extra: print("paid", sender))
""",
    use_instead="""\
from blinker import signal

order_paid = signal("order-paid")


def print_payment(sender, **extra):
    print("paid", sender)


order_paid.connect(print_payment)
""",
    references=_REFERENCES,
    notes=(
        "`{receiver}` is `lambda` for an inline lambda, or `lambda 'name'` for one held in a local variable.",
        "`{when}` is `as soon as connect() returns` or `when 'function' returns`.",
        *_KIND_NOTES,
    ),
)

SIG103 = Rule(
    code="SIG103",
    name="weakly-connected-temporary-callable",
    summary=("A temporary callable (partial, callable instance, factory-made closure) is connected weakly"),
    message=(
        "{receiver}{path} is connected to '{signal}' {weakly} and is garbage-collected "
        "{when}, so it is never called"
    ),
    fix="keep a reference to it (a module-level name or an attribute) or {strong_fix}",
    receiver_kinds=frozenset({ReceiverKind.PARTIAL, ReceiverKind.INSTANCE, ReceiverKind.CLOSURE}),
    what_it_does=(
        "Finds a callable object created just for the connection and connected with a weak "
        "reference: a `functools.partial(...)`, an instance of a class (`Handler()`), or a "
        "closure or lambda returned by a factory (`make_handler()`), passed inline or through a "
        "local variable."
    ),
    why_bad=(
        f"{_CONNECT_DOC} The object is created by the call expression; when it is passed inline, "
        "nothing holds it once `connect()` returns, and when it is held in a local variable, "
        "nothing holds it once the function returns.\n\n"
        "A factory call is reported only when the linter can see that it returns a new nested "
        "function or lambda; a factory that returns a module-level function is fine, and a "
        "factory it cannot follow is not reported.\n\n"
        f"{_WEAKNESS}"
    ),
    example="""\
import functools

from blinker import signal

order_paid = signal("order-paid")


def notify(channel, sender, **extra):
    print(channel, sender)


order_paid.connect(functools.partial(notify, "email"))
""",
    use_instead="""\
import functools

from blinker import signal

order_paid = signal("order-paid")


def notify(channel, sender, **extra):
    print(channel, sender)


notify_by_email = functools.partial(notify, "email")
order_paid.connect(notify_by_email)
""",
    references=_REFERENCES,
    notes=(
        "`{receiver}` describes the object: `functools.partial object`, `temporary 'Handler' "
        "instance`, `closure returned by 'make_handler()'`, or the same followed by the local "
        "variable's name.",
        *_KIND_NOTES,
    ),
)

SIG104 = Rule(
    code="SIG104",
    name="weakly-connected-method-of-temporary-object",
    summary="A bound method of an object that does not outlive the call is connected by weak reference",
    message=(
        "{receiver}{path} is connected to '{signal}' {weakly} and is garbage-collected "
        "{when}, so it is never called"
    ),
    fix="keep the object alive (a module-level name or an attribute) or {strong_fix}",
    receiver_kinds=frozenset({ReceiverKind.BOUND_METHOD}),
    what_it_does=(
        "Finds a bound method connected with a weak reference when the object it is bound to is "
        "temporary: `Handler().on_event`, or `handler.on_event` where `handler` is a local "
        "variable holding an object created in the same function and stored nowhere else."
    ),
    why_bad=(
        f"{_CONNECT_DOC} For bound methods the libraries keep a `weakref.WeakMethod`, which dies with "
        "the object the method is bound to. A temporary object is freed when `connect()` returns "
        "(inline) or when the function returns (local variable), taking the receiver with it.\n\n"
        "Methods of `self`, of module-level objects, static methods and class methods are not "
        "reported, nor is an object whose constructor may store `self` somewhere.\n\n"
        f"{_WEAKNESS}"
    ),
    example="""\
from blinker import signal

order_paid = signal("order-paid")


class Mailer:
    def on_paid(self, sender, **extra):
        print("mail about", sender)


def setup():
    mailer = Mailer()
    order_paid.connect(mailer.on_paid)
""",
    use_instead="""\
from blinker import signal

order_paid = signal("order-paid")


class Mailer:
    def on_paid(self, sender, **extra):
        print("mail about", sender)


mailer = Mailer()


def setup():
    order_paid.connect(mailer.on_paid)
""",
    references=_REFERENCES,
    notes=(
        "`{receiver}` is `bound method 'Handler().on_event'` or `bound method 'h.on_event' of "
        "local object 'h'`.",
        *_KIND_NOTES,
    ),
)

SIG105 = Rule(
    code="SIG105",
    name="connect-decorator-binds-none",
    summary="A connect method that returns None is used as a bare decorator, so the receiver is lost",
    message=(
        "function '{receiver}' is decorated with '@{decorator}', which returns None: the name "
        "'{receiver}' is bound to None and the function, held only by a weak reference, is "
        "garbage-collected at once, so it is never called"
    ),
    fix="{remedy}",
    what_it_does=(
        "Finds a function decorated with a signal's `connect` method where that method returns "
        "`None`, as Django's `Signal.connect` does (`@post_save.connect`)."
    ),
    why_bad=(
        "A decorator's result replaces the function: `@sig.connect` on `def audit` means "
        "`audit = sig.connect(audit)`. Where `connect()` returns `None`, the name `audit` is bound "
        "to `None` and the function object's only strong reference is gone. The connection holds "
        "it weakly, so it is freed at once and the receiver never runs, even at module level. "
        "Nothing raises. Libraries whose `connect()` returns the receiver (blinker, celery, "
        "psygnal) are fine with the bare decorator.\n\n"
        "The fix names the library's own connecting decorator (Django's `@receiver(signal)`, "
        "which returns the function)."
    ),
    example="""\
from django.db.models.signals import post_save


@post_save.connect
def audit(sender, instance, **kwargs):
    print("saved", instance)
""",
    use_instead="""\
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save)
def audit(sender, instance, **kwargs):
    print("saved", instance)
""",
    references=(
        (
            "Django: Listening to signals",
            "https://docs.djangoproject.com/en/stable/topics/signals/#listening-to-signals",
        ),
    ),
    notes=(
        "`{remedy}` names the library's connecting decorator, e.g. "
        "`decorate it with @receiver(post_save) instead`.",
    ),
)

SIG106 = Rule(
    code="SIG106",
    name="weak-flag-passed-as-sender",
    summary="True or False is passed positionally where connect() takes the sender, not weak",
    message=(
        "{value} is passed as the {ordinal} positional argument of '{call}', which is the sender, "
        "not weak: {receiver} is connected only for sender {value}, so a plain send never reaches it"
    ),
    fix="pass weak={value} by keyword",
    what_it_does=(
        "Finds a connect call that passes `True` or `False` positionally in the place of the "
        "sender, most often PyDispatcher's `dispatcher.connect(receiver, signal, False)`, whose "
        "fourth positional argument, not the third, is `weak`."
    ),
    why_bad=(
        "`pydispatch.dispatcher.connect(receiver, signal=Any, sender=Any, weak=True)`: the third "
        "positional argument is the sender. `connect(handler, SIG, False)` leaves `weak=True` and "
        "connects `handler` for the sender `False` only, so `dispatcher.send(SIG)` (sender "
        "`Anonymous`) and every send from a real sender never reach it. The same mistake in the "
        "sender's place of any library's `connect` has the same effect: nobody sends with the "
        "sender `True` or `False`."
    ),
    example="""\
from pydispatch import dispatcher

ORDER_PAID = "order-paid"


def on_paid(sender, **extra):
    print("paid", sender)


dispatcher.connect(on_paid, ORDER_PAID, False)
""",
    use_instead="""\
from pydispatch import dispatcher

ORDER_PAID = "order-paid"


def on_paid(sender, **extra):
    print("paid", sender)


dispatcher.connect(on_paid, ORDER_PAID, weak=False)
""",
    references=(
        (
            "PyDispatcher: dispatcher.connect",
            "https://grass.osgeo.org/grass-devel/manuals/libpython/pydispatch.html",
        ),
    ),
    notes=("`{ordinal}` is `third` for PyDispatcher, `second` for blinker, Django and celery.",),
)

RULES = (SIG101, SIG102, SIG103, SIG104, SIG105, SIG106)
