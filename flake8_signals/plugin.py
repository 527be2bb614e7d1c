"""The flake8 entry point: options in, findings out. The analysis lives elsewhere."""

from __future__ import annotations

import argparse
import ast
import os
from collections.abc import Iterator
from typing import Any

from . import __version__, notices
from .analysis import index_settings
from .analysis.index_settings import IndexSettings
from .checker import CheckConfig, check_module, wants
from .rules import RULES


class Plugin:
    name = "flake8-signals"
    version = __version__
    _config: CheckConfig | None = None

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--signals-source-roots",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            normalize_paths=True,
            help=(
                "Directories from which the project's own modules are imported, so that signals "
                "defined in other modules are recognised (default: the current directory, plus "
                "each file's package root found through its __init__.py files)."
            ),
        )
        manager.add_option(
            "--signals-no-cache",
            action="store_true",
            parse_from_config=True,
            help=(
                "Do not keep the project's signal facts between runs (also: environment variable "
                f"{index_settings.OFF_VARIABLE}=1)."
            ),
        )
        manager.add_option(
            "--signals-cache-dir",
            default="",
            parse_from_config=True,
            normalize_paths=True,
            help=(
                "Where the project's signal facts are kept between runs (default: "
                f"${index_settings.DIRECTORY_VARIABLE}, else the user cache directory)."
            ),
        )
        # The opt-in rules are not put in flake8's default ignore list: an ignore there would tie
        # with `extend-select = SIG291` under `extend-ignore = S` and win. _selected_codes gates them.

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        index_settings.new_run()  # a long-lived process (an editor's) checks what it read again
        notices.clean_up_at_exit()
        configured = tuple(os.path.abspath(r) for r in getattr(options, "signals_source_roots", None) or ())
        # what flake8 does not lint, the project index does not read either
        exclude = (
            *(getattr(options, "exclude", None) or ()),
            *(getattr(options, "extend_exclude", None) or ()),
        )
        cls._config = CheckConfig(
            _selected_codes(options),
            configured or (os.path.abspath(os.getcwd()),),
            IndexSettings(roots=configured, exclude=tuple(exclude), cache_dir=_cache_directory(options)),
        )

    @classmethod
    def wants(cls, lines: list[str]) -> bool:
        """False when :meth:`run` would find nothing in a file of these lines, so that the file
        need not be parsed at all (``flake8-signals check`` asks before flake8 builds the tree)."""
        return wants("".join(lines), cls._config or CheckConfig.create())

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        config = self._config or CheckConfig.create()
        if not config.enabled:
            return  # flake8 runs every plugin, selected or not (flake8#751): do no work
        for finding in check_module(self.tree, "".join(self.lines), self.filename, config):
            yield finding.line, finding.col, finding.flake8_text(), type(self)


def _cache_directory(options: argparse.Namespace) -> str | None:
    if getattr(options, "signals_no_cache", False) or index_settings.off_by_environment():
        return None
    configured = getattr(options, "signals_cache_dir", "")
    return os.path.abspath(configured) if configured else index_settings.default_directory()


#: The prefix this plugin registers with flake8 (the entry point's name in pyproject.toml).
PREFIX = "SIG"


def _selected_codes(options: argparse.Namespace) -> frozenset[str]:
    """The codes flake8's --select/--ignore/--extend-* settings leave on.

    An opt-in rule is on only when its own code, or a prefix longer than ``SIG`` (``SIG29``), is
    named in ``select`` or ``extend-select``: ``--select SIG`` means the rules that are on by
    default, and flake8 decides the rest (so ``SIG291`` still beats ``extend-ignore = S``).
    """
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)
        named = tuple(
            prefix
            for prefix in (*(options.select or ()), *(options.extend_select or ()))
            if len(prefix) > len(PREFIX)
        )
        return frozenset(
            code
            for code, rule in RULES.items()
            if engine.decision_for(code) is Decision.Selected
            and (rule.default_enabled or code.startswith(named))
        )
    except Exception:  # an older or newer flake8 without this internal API: the default rules
        return frozenset(code for code, rule in RULES.items() if rule.default_enabled)
