"""SIG2xx: signals looked up by a name that nobody declared, or in the wrong namespace."""

from __future__ import annotations

from . import Rule

_LOOKUP_DOC = (
    "blinker finds named signals by string: `Namespace.signal(name)` and `blinker.signal(name)` "
    "return the signal of that name, and silently *create* a new one when there is none. A "
    "misspelt name, or the right name in the wrong namespace, gives a brand-new signal that has "
    "nothing to do with the one that is sent: receivers connected to it are never called, and "
    "whatever is sent to it reaches nobody. Nothing raises and nothing is logged."
)
_PROJECT_DOC = (
    "The verdict needs the whole project, since signals are usually declared in one module and "
    "looked up in others. Each flake8 process reads the project once from disk: the source roots "
    "(`--signals-source-roots`, default the current directory) plus each linted file's package "
    "root. Only files that mention `signal`, `Signal`, `Namespace` or `.send` are parsed; "
    "virtualenvs, `site-packages`, hidden directories, `node_modules` and `build`/`dist` "
    "directories are skipped. A project of more than 20,000 Python files per root is not "
    "judged at all. pre-commit passes only the changed files: the others are read from disk all "
    "the same, and the file being linted counts with the text flake8 was given."
)
_SILENCE_DOC = (
    "Names built at run time (f-strings, variables) are unknown: a lookup of a name that such a "
    'name could match (`f"user-{action}"` matches every `user-...`; a plain variable matches '
    "everything) is not reported, unless the run-time lookup's signal is only compared or tested. "
    "A namespace passed to a function, stored elsewhere or written to (`ns[name] = ...`, "
    "`ns.update()`) is not judged at all, nor is a namespace reached through a parameter."
)
_REFERENCES = (
    ("blinker: Namespace", "https://blinker.readthedocs.io/en/stable/#blinker.Namespace"),
    ("blinker: signal()", "https://blinker.readthedocs.io/en/stable/#blinker.signal"),
    ("Flask: Signals", "https://flask.palletsprojects.com/en/stable/signals/"),
)

SIG201 = Rule(
    code="SIG201",
    name="signal-name-not-declared-in-namespace",
    summary="A signal is looked up by a name its namespace does not declare",
    message="signal name '{name}' is not declared in {namespace}, {consequence}",
    fix="{remedy}",
    what_it_does=(
        "Finds a signal looked up by a name its namespace does not declare, with a did-you-mean "
        "when a declared name is close.\n\n"
        "For a namespace made with `Namespace()` (or `WeakNamespace()`) the declared names are "
        'those passed to its `.signal("...")` at module level in the module that creates it '
        '(the usual `user_created = ns.signal("user-created")`), and at module level in other '
        "modules unless the name is a near miss of one of those. Every other lookup is judged: "
        '`ns.signal("x")` in a function or another module, and `ns["x"]`, which raises '
        "`KeyError` for a name that is never created. The private namespaces of known libraries "
        "(Flask's, Flask-Login's, Flask-Security-Too's, ...) are judged the same way against the "
        "names the library declares.\n\n"
        'In blinker\'s default namespace (`blinker.signal("x")`) anyone may add a name, so only a '
        "name that the project connects to but never sends is judged, and only when it is a near "
        "miss of a name the project sends or declares at module level."
    ),
    why_bad=(
        f"{_LOOKUP_DOC}\n\n"
        "A near miss is a name whose words (split at `-`, `_`, `.` and camelCase) differ only in "
        "case or separators, or in one or two words that are each one edit apart (words of four "
        "letters or more; two edits for six letters or more), never in digits: `user-crated` and "
        "`user_created` for "
        "`user-created`, but not `user-deleted`, `step-2` or `logged-out`.\n\n"
        "A name that is both sent and connected to under the same undeclared spelling works and "
        f"is not reported. {_SILENCE_DOC}\n\n"
        f"{_PROJECT_DOC}"
    ),
    example="""\
from blinker import Namespace

account_signals = Namespace()
user_created = account_signals.signal("user-created")


def send_welcome_mail(sender, **extra):
    print("welcome", sender)


def install():
    account_signals.signal("user-crated").connect(send_welcome_mail)
""",
    use_instead="""\
from blinker import Namespace

account_signals = Namespace()
user_created = account_signals.signal("user-created")


def send_welcome_mail(sender, **extra):
    print("welcome", sender)


def install():
    user_created.connect(send_welcome_mail)
""",
    references=_REFERENCES,
    notes=(
        "`{namespace}` is `namespace '<module>.<variable>'`, `<Library>'s namespace` or "
        "`blinker's default namespace`.",
        "`{consequence}` says what is lost: `so receivers connected to it are never called`, "
        "`so no receiver hears what is sent to it`, `so this lookup raises KeyError`.",
        "`{remedy}` is `did you mean '<name>'?`, or where the name is declared instead, or how to "
        "declare it.",
    ),
)

SIG202 = Rule(
    code="SIG202",
    name="signal-looked-up-in-wrong-namespace",
    summary="A signal of another namespace is looked up in blinker's default namespace",
    message=(
        "signal name '{name}' belongs to {owner}, not to blinker's default namespace, so this "
        "lookup gets a different signal that is never sent"
    ),
    fix="use {real}",
    what_it_does=(
        'Finds `blinker.signal("x")` (or `blinker.default_namespace.signal("x")`) where `x` is '
        "the name of a signal that lives in another namespace: Flask's private namespace "
        "(`request-started`, `template-rendered`, ...), a known extension's (Flask-Login, "
        "Flask-Principal, Flask-SQLAlchemy, Flask-Security-Too, Flask-Mail, mongoengine), or one "
        "of the project's own `Namespace()` objects. The message names the signal to import "
        "instead."
    ),
    why_bad=(
        f"{_LOOKUP_DOC}\n\n"
        "Flask and its extensions keep their signals in a namespace of their own, so "
        '`blinker.signal("request-started") is flask.request_started` is `False`: receivers '
        "connected to the former never run when Flask handles a request.\n\n"
        "A library's names count only in a project that imports that library, and nothing is "
        "reported when the project itself sends the name in the default namespace (it then uses "
        f"that name for a signal of its own). {_SILENCE_DOC}\n\n"
        f"{_PROJECT_DOC}"
    ),
    example="""\
import blinker
from flask import Flask

app = Flask(__name__)


def log_request(sender, **extra):
    print("request started")


blinker.signal("request-started").connect(log_request, app)
""",
    use_instead="""\
from flask import Flask, request_started

app = Flask(__name__)


def log_request(sender, **extra):
    print("request started")


request_started.connect(log_request, app)
""",
    references=(
        *_REFERENCES,
        ("Flask: Core signals list", "https://flask.palletsprojects.com/en/stable/api/#core-signals-list"),
    ),
    notes=(
        "`{owner}` is `<Library>'s namespace` or `namespace '<module>.<variable>'`.",
        "`{real}` is where to import the signal from, e.g. `flask.request_started`.",
    ),
)

SIG203 = Rule(
    code="SIG203",
    name="signal-variable-and-name-disagree",
    summary="A signal's variable and its name differ by what looks like a typo",
    message=(
        "signal variable '{variable}' and signal name '{name}' disagree: '{variable_word}' and "
        "'{name_word}' look like a typo"
    ),
    fix="correct the misspelt one so that they agree",
    what_it_does=(
        "Compares a module-level declaration's variable with the name it declares "
        '(`template_block_rendered = ns.signal("template-bock-rendered")`) and reports the pair '
        "when a word of one is a near miss of a word of the other."
    ),
    why_bad=(
        "Code that imports the variable and code that looks the signal up by its name "
        '(`ns.signal("template-block-rendered")`, in another module or another package) then '
        "disagree about the signal. A lookup by the variable's spelling silently creates a second "
        "signal, and receivers connected to one never hear sends on the other.\n\n"
        "Words are compared with `-` and `_` folded and camelCase split. Words both sides share "
        "are set aside; when one side has no word left the names agree "
        '(`user_logged_in = ns.signal("logged-in")`, `initialized = '
        'signal("pelican_initialized")`). What is left must pair up one for one as near misses '
        "(one edit apart for words of four letters or more, two for six or more, never differing in "
        "digits): "
        "`bock`/`block` and `succeed`/`succeeded` do, `on_save`/`saved` and `created`/`deleted` "
        "do not."
    ),
    example="""\
from blinker import Namespace

template_signals = Namespace()
template_block_rendered = template_signals.signal("template-bock-rendered")
""",
    use_instead="""\
from blinker import Namespace

template_signals = Namespace()
template_block_rendered = template_signals.signal("template-block-rendered")
""",
    references=_REFERENCES,
)

SIG291 = Rule(
    code="SIG291",
    name="default-namespace-signal-never-sent",
    summary="A default-namespace signal is connected to but never sent or declared in the project",
    message=(
        "nothing in the project sends or declares the default-namespace signal '{name}', so "
        "receivers connected to it here may never be called"
    ),
    fix="check the name against the sender's, or import the signal from the package that sends it",
    what_it_does=(
        'Finds `blinker.signal("x")` connected to when nothing in the project sends `x` in '
        "blinker's default namespace nor declares it at module level, and `x` is no near miss of a "
        "name that is sent or declared (that is SIG201) nor another namespace's name (SIG202)."
    ),
    why_bad=(
        f"{_LOOKUP_DOC}\n\n"
        "This rule is off by default because a signal in the default namespace may be sent by "
        "another package (a plugin connecting to its host application's signals by name), which "
        "the linter does not see. Turn it on for an application that sends all its own signals.\n\n"
        f"{_SILENCE_DOC}\n\n"
        f"{_PROJECT_DOC}"
    ),
    example="""\
from blinker import signal


def archive_invoice(sender, **extra):
    print("archived", sender)


signal("invoice-archive-requested").connect(archive_invoice)
""",
    use_instead="""\
from blinker import signal

invoice_archive_requested = signal("invoice-archive-requested")


def archive_invoice(sender, **extra):
    print("archived", sender)


invoice_archive_requested.connect(archive_invoice)


def request_archive(invoice):
    invoice_archive_requested.send(invoice)
""",
    options=(
        "Off by default: a plain `flake8` run leaves it out (the plugin puts it in flake8's "
        "extended default ignore list). Turn it on with `--extend-select SIG291` (`extend-select = "
        "SIG291` in the configuration). flake8 counts any explicit selection that covers the code, "
        "so `--select SIG` and `--extend-select SIG` turn it on as well; add `--extend-ignore "
        "SIG291` to keep it off with those."
    ),
    references=_REFERENCES,
    default_enabled=False,
)

RULES = (SIG201, SIG202, SIG203, SIG291)
