"""SIG3xx: receivers and sends that do not fit how blinker calls receivers."""

from __future__ import annotations

from . import Rule

_CALL_DOC = (
    "blinker calls every connected receiver as `receiver(sender, **kwargs)`: the sender is the one "
    "and only positional argument, and `kwargs` are the keyword arguments given to `send()` "
    "(`_async_wrapper` aside). A receiver that cannot take that call raises `TypeError` inside "
    "`send()`, so the error shows up only when the signal is finally sent, often far from the "
    "receiver and in production code paths the tests never reached."
)
_RESOLUTION = (
    "Receivers are resolved within the file, the same way as for the SIG1xx rules: a function or "
    "`async` function, a lambda, a method reached through `self`, `cls`, a class or a module-level "
    "instance (`self` is not counted; `staticmethod` and `classmethod` are honoured), an instance "
    "with `__call__`, and `functools.partial(...)` with its bound arguments (bound positional "
    "arguments come before the sender; bound keywords fill parameters). A receiver the linter "
    "cannot follow (imported from another module, decorated with anything but another "
    "`@signal.connect`, reassigned, a parameter) is not reported, nor is a connection to an "
    "object that is not known to be a blinker signal."
)
_KEYWORDS_DOC = (
    "The keywords a signal is sent with are known for Flask's built-in signals (Flask sends them "
    "itself: `template_rendered` and `before_render_template` send `template` and `context`, "
    "`request_finished` sends `response`, `got_request_exception` sends `exception`, "
    "`request_tearing_down` and `appcontext_tearing_down` send `exc`, `message_flashed` sends "
    "`message` and `category`, the others nothing). For the project's own signals they are the "
    "keywords of the project's `.send(...)` / `.send_async(...)` calls on the same signal: those "
    "in the linted file, and, for a signal of a library with namespaces (blinker's), those the "
    "project index finds in the other files under the source roots (`--signals-source-roots`); "
    "for the other libraries' signals (a Django or celery `Signal()` of the project's own) only "
    "the linted file's sends count. A receiver connected for one sender (`connect(h, sender)`, "
    "`connect_via(sender)`) is checked only against the sends in its own file written with that "
    "same sender expression. When no send is found, or one of them passes `**kwargs` (or hands "
    "`sig.send` itself elsewhere), the keywords are unknown."
)
_REFERENCES = (
    ("blinker: Signal.send", "https://blinker.readthedocs.io/en/stable/#blinker.Signal.send"),
    ("blinker: Signal.connect", "https://blinker.readthedocs.io/en/stable/#blinker.Signal.connect"),
    ("Flask: Signals", "https://flask.palletsprojects.com/en/stable/signals/"),
    ("Flask: Core signals list", "https://flask.palletsprojects.com/en/stable/api/#core-signals-list"),
)

SIG301 = Rule(
    code="SIG301",
    name="receiver-signature-cannot-take-send-call",
    summary="A receiver's signature cannot take the call its library makes, e.g. receiver(sender, **kwargs)",
    message="'{signal}' cannot call receiver {receiver} as {call}: {reason}",
    fix="{remedy}",
    what_it_does=(
        "Finds a receiver that raises `TypeError` whatever its signal sends, or with the keywords its "
        "signal is known to be sent with: it has no positional parameter left for the sender "
        "(`def h()`, `def h(**extra)`, a method without one besides `self`, a `functools.partial` "
        "whose bound arguments fill every positional parameter), the sender lands in a parameter "
        "the signal also passes by keyword (`def h(response, **extra)` on `request_finished`), or "
        "a required parameter that blinker does not pass (a second positional-only parameter, or "
        "a required parameter, positional or keyword-only, that one of the signal's sends leaves "
        "out)."
    ),
    why_bad=(
        f"{_CALL_DOC}\n\n"
        "A required parameter besides the sender is accepted when every send of the signal passes "
        "it by keyword (`def h(sender, response)` on `request_finished` works); a required second "
        "positional-only parameter never is, since blinker passes nothing but the sender "
        "positionally. When the keywords "
        "are not known, only what fails for any keywords is reported: a missing sender slot or a "
        "required positional-only parameter. Parameters with defaults and `*args` (which takes the "
        "sender) are always fine.\n\n"
        f"{_KEYWORDS_DOC}\n\n"
        f"{_RESOLUTION}"
    ),
    example="""\
from blinker import Signal

order_paid = Signal()


@order_paid.connect
def send_receipt(**extra):
    print("receipt for", extra)
""",
    use_instead="""\
from blinker import Signal

order_paid = Signal()


@order_paid.connect
def send_receipt(sender, **extra):
    print("receipt for", sender, extra)
""",
    references=_REFERENCES,
    notes=(
        "`{receiver}` names the receiver: `'name'`, `lambda`, `'self.method'`, `'Handler' "
        "instance`, `functools.partial of 'name'`.",
        "`{call}` is how the library calls the receiver: for blinker `receiver(sender)` or "
        "`receiver(sender, name=...)` when the keywords are known, `receiver(sender, **kwargs)` when "
        "they are not; for Django and celery `receiver(signal=..., sender=..., **kwargs)`.",
        "`{remedy}` is the library's: for blinker `give it a first positional parameter for the "
        "sender and a default for every other parameter`.",
    ),
)

SIG302 = Rule(
    code="SIG302",
    name="receiver-rejects-sent-keyword",
    summary="A receiver does not accept a keyword argument its signal is sent with",
    message=(
        "receiver {receiver} does not accept keyword argument '{keyword}', sent to receivers of "
        "'{signal}' by {source} ({reason})"
    ),
    fix="add a parameter '{keyword}', or **kwargs to take whatever the signal sends",
    what_it_does=(
        "Finds a receiver without `**kwargs` that has no parameter for one of the keyword "
        "arguments its signal is sent with (or has it only as a positional-only parameter, or "
        "already bound positionally by a `functools.partial`)."
    ),
    why_bad=(
        f"{_CALL_DOC} The call fails with `TypeError: ... got an unexpected keyword argument`. "
        "Both blinker and Flask recommend that receivers take `**kwargs` (Flask's docs write "
        "`**extra`), so that a keyword added to `send()` later does not break them.\n\n"
        f"{_KEYWORDS_DOC}\n\n"
        f"{_RESOLUTION}"
    ),
    example="""\
from blinker import Signal

order_paid = Signal()


@order_paid.connect
def send_receipt(sender, order):
    print("receipt for", order)


def pay(customer, order):
    order_paid.send(customer, order=order, amount=order.total)
""",
    use_instead="""\
from blinker import Signal

order_paid = Signal()


@order_paid.connect
def send_receipt(sender, order, **extra):
    print("receipt for", order)


def pay(customer, order):
    order_paid.send(customer, order=order, amount=order.total)
""",
    references=_REFERENCES,
    notes=(
        "`{source}` is `Flask` for Flask's built-in signals, or the sends that pass the keyword: "
        "`send() at line N`, `send() at path:N`, `the sends on lines N, M`.",
        "`{reason}` says why: `it has no parameter 'x' and no **kwargs`, `'x' is positional-only`, "
        "or `parameter 'x' is already filled by a bound positional argument`.",
    ),
)

SIG303 = Rule(
    code="SIG303",
    name="coroutine-receiver-on-sync-send",
    summary="An async def receiver is connected to a signal sent with send() and no _async_wrapper",
    message=(
        "coroutine function {receiver} is connected to '{signal}', which is sent with send() and "
        "no _async_wrapper at {where}: send() raises RuntimeError there"
    ),
    fix=(
        "pass _async_wrapper= to send(), send with 'await {signal}.send_async(...)', or make the "
        "receiver a plain def"
    ),
    what_it_does=(
        "Finds a coroutine function (`async def`, a method or `functools.partial` of one) connected "
        "to a project signal that the project sends with a plain `.send()` and no "
        "`_async_wrapper`."
    ),
    why_bad=(
        "Before calling a receiver, `Signal.send()` checks `inspect.iscoroutinefunction(receiver)`; "
        "for a coroutine function without an `_async_wrapper` to run it, it raises "
        "`RuntimeError: Cannot send to a coroutine function.` — at send time, and for every "
        "receiver after it too, since the exception stops the loop.\n\n"
        "Flask's own signals are sent with `_async_wrapper=app.ensure_sync`, so `async def` "
        "receivers of them are fine and never reported. A send that passes `**kwargs` may carry an "
        "`_async_wrapper`, so a signal with such a send is not reported. `send_async()` awaits "
        "coroutine receivers and is fine. Sends are matched to the connection as for SIG302 (the "
        "same signal; for a sender-specific connection, the same sender expression in the same "
        "file). An instance "
        "whose `__call__` is `async` is not a coroutine function to blinker and is not reported "
        "(its coroutine is simply never awaited), nor is an `async def` that yields (an async "
        "generator function).\n\n"
        f"{_RESOLUTION}"
    ),
    example="""\
from blinker import Signal

order_paid = Signal()


@order_paid.connect
async def send_receipt(sender, **extra):
    print("receipt for", sender)


def pay(customer):
    order_paid.send(customer)
""",
    use_instead="""\
from blinker import Signal

order_paid = Signal()


@order_paid.connect
async def send_receipt(sender, **extra):
    print("receipt for", sender)


async def pay(customer):
    await order_paid.send_async(customer)
""",
    references=_REFERENCES,
    notes=("`{where}` is where the first such `send()` is: `line N` in the same file, or `path:N`.",),
)

SIG304 = Rule(
    code="SIG304",
    name="send-arguments-misplaced",
    summary="send() is given more than one positional argument, or the sender as a keyword",
    message="'{signal}.{method}()' {problem}",
    fix="pass the sender as the only positional argument and everything else by keyword",
    what_it_does=(
        "Finds `.send(...)` and `.send_async(...)` calls on a blinker signal that pass more than "
        "one positional argument, or pass the sender as `sender=...` instead of positionally."
    ),
    why_bad=(
        "Since blinker 1.7 the signature is `send(sender=None, /, *, _async_wrapper=None, **kwargs)`. "
        "A second positional argument raises `TypeError: Signal.send() takes from 1 to 2 positional "
        "arguments` on every call, receivers or not. `sender` is positional-only, so "
        "`send(sender=obj)` does not set the sender: blinker sends `None` as the sender (only "
        "receivers connected for any sender run) and passes `sender=obj` on as an extra keyword, "
        "which raises `TypeError: got multiple values for argument 'sender'` in every receiver "
        "whose first parameter is called `sender`, the usual spelling.\n\n"
        "A `sender=` keyword next to a positional sender is not reported: it is one more keyword "
        "for the receivers (blinker's own `receiver_connected` is sent that way), and a receiver "
        "whose first parameter is called `sender` cannot take it, which SIG301 reports. The call "
        "is reported only when the object `send` is called on is known to be a blinker signal; "
        "positional arguments hidden in `*args` are not counted."
    ),
    example="""\
from blinker import Signal

order_paid = Signal()


def pay(customer, amount):
    order_paid.send(customer, amount)
""",
    use_instead="""\
from blinker import Signal

order_paid = Signal()


def pay(customer, amount):
    order_paid.send(customer, amount=amount)
""",
    references=_REFERENCES,
    notes=(
        "`{problem}` is `is given N positional arguments, but blinker takes only the sender "
        "positionally` or `passes the sender as keyword 'sender', but blinker takes it only "
        "positionally: receivers get None as the sender and an extra 'sender' keyword`.",
    ),
)

RULES = (SIG301, SIG302, SIG303, SIG304)
