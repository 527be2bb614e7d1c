"""Which rule family costs what: every file of a tree through each family, timed apart.

    bench/.cache/venv-plugin/bin/python bench/families.py bench/.cache/src/Django-5.2.19

Run from the tree's parent or anywhere: the source root is the tree itself. Families share one
``FileContext`` per file (as in ``check_module``), so a view built by the first family that needs
it (scopes, the astroid tree, the project index) is charged to that family. CPU seconds.
"""

from __future__ import annotations

import ast
import collections
import sys
import time
import tokenize
from pathlib import Path

from flake8_signals.checker import CheckConfig, FileContext
from flake8_signals.checks import FAMILIES


def main(argv: list[str]) -> int:
    root = Path(argv[0]).resolve()
    config = CheckConfig.create(source_roots=[str(root)])
    wanted = collections.Counter()
    seconds = collections.Counter()
    findings = collections.Counter()
    errors = collections.Counter()
    slowest: list[tuple[float, str, str]] = []
    files = sorted(root.rglob("*.py"))
    parse_seconds = 0.0
    for path in files:
        try:
            with tokenize.open(path) as handle:
                source = handle.read()
            started = time.process_time()
            tree = ast.parse(source, filename=str(path))
            parse_seconds += time.process_time() - started
        except (SyntaxError, ValueError, UnicodeDecodeError, OSError):
            continue
        context = FileContext(tree, source, str(path), config)
        for family in FAMILIES:
            name = family.name
            if not (family.codes & config.enabled):
                continue
            started = time.process_time()
            if family.wants(source):
                wanted[name] += 1
                try:
                    findings[name] += sum(1 for _ in family.check(context))
                except Exception:
                    errors[name] += 1
            elapsed = time.process_time() - started
            seconds[name] += elapsed
            slowest.append((elapsed, name, str(path.relative_to(root))))
    slowest.sort(reverse=True)
    print(f"{root.name}: {len(files)} files, ast.parse of all {parse_seconds:.1f} s CPU")
    print("| family | files past its prefilter | CPU s | findings | errors |")
    print("|---|---:|---:|---:|---:|")
    for family in FAMILIES:
        name = family.name
        print(f"| {name} | {wanted[name]} | {seconds[name]:.2f} | {findings[name]} | {errors[name]} |")
    print("slowest (family, file):")
    for elapsed, name, path in slowest[:10]:
        print(f"  {elapsed * 1000:8.0f} ms  {name:10} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
