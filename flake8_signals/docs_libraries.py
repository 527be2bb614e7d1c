"""The library pages (``docs/libraries/*.md``) and the per-library table of each lifetime rule's page,
generated from the library models (see :mod:`flake8_signals.docs`, which writes them)."""

from __future__ import annotations

from collections.abc import Iterable

from .libraries import LIBRARIES
from .libraries.model import ALL_KINDS, Binds, ConnectForm, CoroutineReceivers, Library, Parameter, Weakness
from .rules import RULES, Rule

_ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th")


def _weak_forms(library: Library) -> bool:
    return any(form.weakness.default or form.weakness.parameter for form in library.connects)


def applies(rule: Rule, library: Library) -> bool:
    """Whether ``rule`` can report connections or sends of ``library`` (decided from its model)."""
    code = rule.code
    if rule.receiver_kinds:
        return _weak_forms(library) and bool(rule.receiver_kinds & library.weakly_held)
    if code == "SIG105":
        return any(f.bare_decorator and f.returns is Binds.NOTHING for f in library.connects)
    if code == "SIG106":
        return any(
            f.sender is not None and f.sender.position is not None and f.weakness.parameter is not None
            for f in library.connects
        )
    if code.startswith("SIG2"):
        return library.namespaces is not None
    call = library.receiver_call
    if code == "SIG303":
        return call is not None and call.coroutines is CoroutineReceivers.RAISE_WITHOUT_WRAPPER
    if code == "SIG304":
        return bool(library.sends) and call is not None
    return call is not None


def _parameter(parameter: Parameter | None) -> str:
    if parameter is None:
        return "—"
    if parameter.position is None:
        return f"`{parameter.name}=`"
    return f"{_ORDINALS[parameter.position]} or `{parameter.name}=`"


def _weakness(weakness: Weakness) -> str:
    if weakness.parameter is None:
        return "always weak (for the receivers held weakly)" if weakness.default else "strong"
    text = f"{_parameter(weakness.parameter)}, default `{weakness.default}`"
    for strong in weakness.strong_when:
        text += f"; strong with `{strong.name}=True`"
    return text


def _form_rows(library: Library) -> Iterable[str]:
    for form in library.connects:
        yield from _rows_of(form)
    for decorator in library.decorator_functions:
        name = min(decorator.qualnames, key=len)
        d = decorator.decorator
        yield (
            f"| `@{name}(signal, ...)` | the decorated function | {_parameter(d.sender)} | "
            f"{_weakness(d.weakness)} | the function |"
        )


def _rows_of(form: ConnectForm) -> Iterable[str]:
    call = f"`{min(form.function, key=len)}(...)`" if form.function else f"`sig.{form.method}(...)`"
    returns = "the receiver" if form.returns is Binds.RECEIVER else "`None`"
    if form.receiver is not None:
        signal = f"; the signal: {_parameter(form.signal)}" if form.signal is not None else ""
        yield (
            f"| {call} | {_parameter(form.receiver)}{signal} | {_parameter(form.sender)} | "
            f"{_weakness(form.weakness)} | {returns} |"
        )
    if form.bare_decorator:
        weak = "weak" if form.weakness.default else "strong"
        yield f"| `@sig.{form.method}` | the decorated function | — | {weak} | binds the name to {returns} |"
    decorator = form.called_decorator
    if decorator is not None:
        yield (
            f"| `@sig.{form.method}(...)` | the decorated function | {_parameter(decorator.sender)} | "
            f"{_weakness(decorator.weakness)} | binds the name to "
            f"{'the function' if decorator.binds is Binds.RECEIVER else '`None`'} |"
        )


def _held(library: Library) -> str:
    if not _weak_forms(library):
        return "No receiver is held weakly: nothing is reported."
    if library.weakly_held == ALL_KINDS:
        return "A weak connection holds every kind of receiver weakly."
    kinds = ", ".join(sorted(kind.value + "s" for kind in library.weakly_held))
    strong = ", ".join(sorted(kind.value + "s" for kind in ALL_KINDS - library.weakly_held))
    return f"Only {kinds} are held weakly; {strong} are held strongly and never reported."


def library_page(library: Library) -> str:
    sections = [f"# {library.name}\n", f"{library.summary[:1].upper()}{library.summary[1:]}.\n"]
    if library.recognised:
        sections += ["## What is recognised\n", "\n".join(f"- {item}" for item in library.recognised) + "\n"]
    if library.not_recognised:
        sections += ["## What is not\n", "\n".join(f"- {item}" for item in library.not_recognised) + "\n"]
    rows = list(_form_rows(library))
    if rows:
        sections += [
            "## Connecting\n",
            "| Form | Receiver | Sender | Weak | Returns |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n",
            f"{_held(library)} Messages say the connection holds the receiver *{library.weak_phrase}*, "
            f"and suggest: *{library.strong_fix}*.\n",
        ]
    if library.receiver_call is not None:
        call = library.receiver_call
        sections += [
            "## How receivers are called\n",
            f"A send calls each receiver as `{call.shown}`; the receiver contracts (SIG301, SIG302) "
            "check signatures against that call.\n",
        ]
    if library.known_signals:
        by_module: dict[str, list[str]] = {}
        for known in library.known_signals:
            by_module.setdefault(known.modules[0], []).append(known.attribute)
        lines = [
            f"- `{module}`: " + ", ".join(f"`{a}`" for a in attrs) for module, attrs in by_module.items()
        ]
        sections += [
            "## Known signals\n",
            "Recognised by import path, without the library installed"
            + (
                " (the list is checked against the library: it is complete)"
                if library.known_signals_complete
                else ""
            )
            + ":\n",
            "\n".join(lines) + "\n",
        ]
    rules = [rule for rule in RULES.values() if applies(rule, library)]
    sections += ["## Rules that apply\n"]
    sections.append(
        "\n".join(f"- [{rule.code}](../rules/{rule.code}.md): {rule.summary}" for rule in rules) + "\n"
        if rules
        else "None: these connections are never reported.\n"
    )
    notes = [*library.notes, *(note for _, note in library.rule_notes[:1])]
    if notes:
        sections += ["## Notes\n", "\n".join(f"- {note}" for note in dict.fromkeys(notes)) + "\n"]
    return "\n".join(sections)


def libraries_index() -> str:
    rows = "\n".join(f"| [{lib.name}]({lib.key}.md) | {lib.summary} |" for lib in LIBRARIES)
    return (
        "# Libraries\n\n"
        "Each signal library is described once, by a model in `flake8_signals/libraries/`; these pages "
        "are generated from the models.\n\n"
        f"| Library | What is covered |\n|---|---|\n{rows}\n"
    )


def by_library_section(rule: Rule) -> str:
    """A lifetime rule's table: per library, whether it holds these receivers weakly and how to
    connect strongly instead; then what the models note about this rule."""
    notes = [note for library in LIBRARIES for code, note in library.rule_notes if code == rule.code]
    if not rule.receiver_kinds:
        return "## By library\n\n" + "\n".join(f"- {note}" for note in notes) + "\n" if notes else ""
    rows = []
    for library in LIBRARIES:
        if not library.connects:
            continue
        if applies(rule, library):
            rows.append(f"| [{library.name}](../libraries/{library.key}.md) | yes | {library.strong_fix} |")
        else:
            rows.append(f"| [{library.name}](../libraries/{library.key}.md) | no: never reported | — |")
    notes = [note for library in LIBRARIES for code, note in library.rule_notes if code == rule.code]
    text = (
        "## By library\n\n| Library | Held weakly | Connect strongly |\n|---|---|---|\n"
        + "\n".join(rows)
        + "\n"
    )
    if notes:
        text += "\n" + "\n".join(f"- {note}" for note in notes) + "\n"
    return text
