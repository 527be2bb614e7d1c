"""flake8 imports every installed plugin when it starts: the families' analyses are imported only
when a module passes that family's prefilter, so start-up and files no family wants do not pay
for them."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import json, sys
import flake8_signals.plugin
from flake8_signals.api import check_source
loaded = lambda: sorted(m for m in sys.modules if m.startswith("flake8_signals.checks."))
seen = {"start": loaded()}
check_source("import os\\nos.sep\\n", "plain.py")
seen["plain"] = loaded()
check_source("import blinker\\nns = blinker.Namespace()\\nsent = ns.signal('sent')\\n", "names.py")
seen["names"] = loaded()
check_source("def setup(sig):\\n    def on(sender):\\n        pass\\n    sig.connect(on)\\n", "conn.py")
seen["connect"] = loaded()
print(json.dumps(seen))
"""


def test_a_family_is_imported_when_a_module_first_needs_it():
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout)
    assert seen == {
        "start": ["flake8_signals.checks.prefilters"],
        "plain": ["flake8_signals.checks.prefilters"],
        "names": ["flake8_signals.checks.names", "flake8_signals.checks.prefilters"],
        "connect": [
            "flake8_signals.checks.contracts",
            "flake8_signals.checks.lifetime",
            "flake8_signals.checks.names",
            "flake8_signals.checks.prefilters",
        ],
    }


def test_start_up_leaves_the_analyses_unloaded():
    probe = (
        "import json, sys, flake8_signals.plugin, flake8_signals.formatters; "
        "print(json.dumps([m for m in sys.modules if m.startswith('flake8_signals.analysis.')]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert not loaded & {
        "flake8_signals.analysis.calls",
        "flake8_signals.analysis.connect_sites",
        "flake8_signals.analysis.contracts",
        "flake8_signals.analysis.lifetime",
        "flake8_signals.analysis.names",
        "flake8_signals.analysis.project_facts",
        "flake8_signals.analysis.project_index",
        "flake8_signals.analysis.wrappers",
        "flake8_signals.analysis.index_cache",
        "flake8_signals.analysis.inference",
        "flake8_signals.analysis.signals",
    }
