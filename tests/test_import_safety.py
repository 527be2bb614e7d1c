"""Linting never imports the linted project, even where astroid would.

The traps below each write a marker file when imported: compiled modules named like stdlib
extensions (``termios``, present on Linux, and ``msvcrt``, a stdlib name that is absent here),
which astroid loads live, and a package named ``gi``, which astroid's gi brain imports. The first
test shows that astroid alone, given the project on ``sys.path``, does run them; the others show
that flake8 with this plugin never does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

_EXTENSION_SOURCE = r"""
#include <Python.h>
#include <stdio.h>
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, MODNAME, NULL, -1, NULL};
PyMODINIT_FUNC INITFUNC(void) {
    FILE *marker = fopen(MARKER, "w");
    if (marker) { fputs("executed", marker); fclose(marker); }
    return PyModule_Create(&def);
}
"""
_EXTENSIONS = ("termios", "msvcrt")


def _compiler() -> str | None:
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    compiler = shutil.which("cc") or shutil.which("gcc")
    return compiler if compiler and include.is_file() else None


def _marker(root: Path, name: str) -> Path:
    return root.parent / f"executed-{name}"


def _build_extension(compiler: str, app: Path, name: str) -> None:
    source = app.parent / f"{name}.c"
    source.write_text(_EXTENSION_SOURCE, encoding="utf-8")
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    subprocess.run(
        [
            compiler,
            "-shared",
            "-fPIC",
            f"-I{sysconfig.get_paths()['include']}",
            f'-DMODNAME="{name}"',
            f"-DINITFUNC=PyInit_{name}",
            f'-DMARKER="{_marker(app, name)}"',
            str(source),
            "-o",
            str(app / f"{name}{suffix}"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def trapped_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``app/``: a module per trap that defines a signal from it, and one that connects to each."""
    app = tmp_path_factory.mktemp("trapped") / "app"
    app.mkdir()
    compiler = _compiler()
    traps = ["gi"]
    if compiler is not None:
        for name in _EXTENSIONS:
            _build_extension(compiler, app, name)
        traps += _EXTENSIONS
    (app / "gi").mkdir()
    (app / "gi" / "__init__.py").write_text(
        f"open({str(_marker(app, 'gi'))!r}, 'w').write('executed')\n", encoding="utf-8"
    )
    (app / "gi_signals.py").write_text(
        "import gi.repository.Gtk as Gtk\nchanged = Gtk.make()\n", encoding="utf-8"
    )
    uses = []
    for name in traps:
        if name != "gi":
            (app / f"{name}_signals.py").write_text(
                f"import {name}\nchanged = {name}.make()\n", encoding="utf-8"
            )
        uses.append(
            textwrap.dedent(f"""
            from {name}_signals import changed as {name}_changed


            def setup_{name}():
                def on_change(sender):
                    pass
                {name}_changed.connect(on_change)
        """)
        )
    (app / "use.py").write_text("".join(uses), encoding="utf-8")
    return app


def _traps(app: Path) -> list[str]:
    return ["gi"] + [name for name in _EXTENSIONS if any(app.glob(f"{name}.*"))]


def _clear_markers(app: Path) -> None:
    for name in ("gi", *_EXTENSIONS):
        _marker(app, name).unlink(missing_ok=True)


def _executed(app: Path) -> list[str]:
    return [name for name in ("gi", *_EXTENSIONS) if _marker(app, name).exists()]


def test_the_traps_are_real_astroid_alone_runs_them(trapped_project: Path):
    """Without the plugin's guard, astroid imports every trap: the tests below can fail."""
    _clear_markers(trapped_project)
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, sys.argv[1])
        import astroid
        for name in sys.argv[2:]:
            module = astroid.MANAGER.ast_from_module_name(name + "_signals")
            try:
                list(module["changed"].infer())
            except astroid.InferenceError:
                pass
    """)
    subprocess.run(
        [sys.executable, "-c", script, str(trapped_project), *_traps(trapped_project)],
        cwd=trapped_project.parent,
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert _executed(trapped_project) == _traps(trapped_project)
    _clear_markers(trapped_project)


def _flake8_script() -> list[str]:
    script = Path(sys.executable).with_name("flake8")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "flake8"]


@pytest.mark.parametrize("cwd", ["app", "parent"])
def test_flake8_never_runs_project_code(trapped_project: Path, cwd: str):
    """From the project directory (the default source root) and from above it (the file's
    directory is its package root); ``use.py`` makes astroid follow every trap."""
    _clear_markers(trapped_project)
    where = trapped_project if cwd == "app" else trapped_project.parent
    target = "use.py" if cwd == "app" else "app/use.py"
    result = subprocess.run(
        [*_flake8_script(), "--isolated", "--select", "SIG", target],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "FLAKE8_SIGNALS_DEBUG": "1"},
    )
    assert _executed(trapped_project) == []
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""


def test_project_roots_do_not_shadow_the_stdlib(tmp_path: Path):
    """A project module named like a stdlib one: astroid still reads the stdlib's."""
    (tmp_path / "json.py").write_text("changed = None\n", encoding="utf-8")
    script = textwrap.dedent("""
        import sys
        import astroid
        from flake8_signals.analysis.import_guard import project_search_path
        with project_search_path([sys.argv[1]]):
            print(astroid.MANAGER.ast_from_module_name("json").file)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=tmp_path.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = Path(result.stdout.strip())
    assert found.name == "__init__.py" and found.parent.name == "json"
    assert tmp_path not in found.parents


def test_guard_is_gone_afterwards(tmp_path: Path):
    from flake8_signals.analysis.import_guard import project_search_path

    path, meta_path = list(sys.path), list(sys.meta_path)
    with project_search_path([str(tmp_path)]):
        assert str(tmp_path) in sys.path
        assert len(sys.meta_path) == len(meta_path) + 1
    assert (sys.path, sys.meta_path) == (path, meta_path)
