"""flake8 with the plugin, with Python's cyclic GC changed, to size the plugin's indirect cost.

    cd bench/.cache/src
    GC_MODE=freeze  /usr/bin/time -f "%U+%S s" ../venv-plugin/bin/python ../../gc_experiment.py \\
        --isolated -j1 --select F,SIG --exit-zero Django-5.2.19
    GC_MODE=disable ...   # the same with the collector off (upper bound of what GC costs)
    GC_MODE=none    ...   # unchanged

``freeze`` calls ``gc.freeze()`` after every astroid build, moving astroid's large, long-lived heap
out of the collector's reach (an experiment, not something the plugin does).
"""

from __future__ import annotations

import gc
import os
import sys

MODE = os.environ.get("GC_MODE", "none")
if MODE == "freeze":
    from flake8_signals.analysis import inference

    _original_build = inference.AstroidFile._build

    def _build_then_freeze(self):
        module = _original_build(self)
        gc.freeze()
        return module

    inference.AstroidFile._build = _build_then_freeze
elif MODE == "disable":
    gc.disable()

from flake8.main.cli import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
