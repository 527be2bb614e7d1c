"""Every SIG finding on the pinned corpus, with its source line, for a human verdict.

    python bench/precision.py                  # all projects (downloads them on first use)
    python bench/precision.py --projects Flask,celery --context 2
    python bench/precision.py --markdown > findings.md

Runs ``flake8 --isolated --select SIG`` with the benchmark's plugin venv (``bench/.cache/venv-plugin``,
this checkout installed editable) from each sdist's root, so the project's own modules are
importable for astroid the way they are for a developer linting their checkout.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import CORPUS, ensure_venvs, flake8_script, lint_root, log, python_files

_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>SIG\d+) (?P<message>.*)$")


def findings_for(python: Path, root: Path, source: str) -> tuple[list[dict], str]:
    completed = subprocess.run(
        [str(flake8_script(python)), "--isolated", "--select=SIG", "-j", "auto", source],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if completed.returncode not in (0, 1) or "failed during execution" in completed.stdout:
        raise RuntimeError(
            f"flake8 failed in {root}:\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}"
        )
    found = []
    for line in completed.stdout.splitlines():
        match = _LINE.match(line)
        if match:
            found.append({**match.groupdict(), "line": int(match["line"]), "col": int(match["col"])})
    found.sort(key=lambda f: (f["path"], f["line"], f["col"]))
    return found, completed.stderr


def source_lines(path: Path, line: int, context: int) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    first, last = max(1, line - context), min(len(text), line + context)
    return [(n, text[n - 1]) for n in range(first, last + 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", default=",".join(p.name for p in CORPUS))
    parser.add_argument("--context", type=int, default=0, help="source lines shown around each finding")
    parser.add_argument("--markdown", action="store_true", help="a table with a verdict column to fill in")
    args = parser.parse_args(argv)
    python = ensure_venvs()["plugin"]
    wanted = set(args.projects.split(","))
    total = 0
    for project in (p for p in CORPUS if p.name in wanted):
        root = lint_root(project)
        files = len(python_files(root / project.source))
        log(f"linting {project.label} ({files} files)...")
        found, stderr = findings_for(python, root, project.source)
        total += len(found)
        print(f"\n## {project.label}: {len(found)} SIG finding(s) in {files} files\n")
        if stderr.strip():
            print(f"(flake8 wrote to stderr: {stderr.strip()[:500]!r})\n")
        if args.markdown and found:
            print("| # | location | code | source line | message | verdict |")
            print("|---:|---|---|---|---|---|")
        for number, finding in enumerate(found, start=1):
            shown = source_lines(root / finding["path"], finding["line"], args.context)
            if args.markdown:
                code_line = next((t.strip() for n, t in shown if n == finding["line"]), "")
                cells = [
                    f"`{finding['path']}:{finding['line']}`",
                    finding["code"],
                    f"`{code_line}`",
                    finding["message"],
                ]
                print(f"| {number} | " + " | ".join(c.replace("|", "\\|") for c in cells) + " | |")
                continue
            where = f"{finding['path']}:{finding['line']}:{finding['col']}"
            print(f"{where}: {finding['code']} {finding['message']}")
            for n, text in shown:
                marker = ">" if n == finding["line"] else " "
                print(f"   {marker}{n:6} | {text}")
    print(f"\n{total} SIG finding(s) in total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
