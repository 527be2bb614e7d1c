"""flake8 report formatters for CI systems (entry point group ``flake8.report``).

=================== ============================================ ==========================
``--format=``       output                                       read by
=================== ============================================ ==========================
``sig-sarif``       one SARIF 2.1.0 log                          GitHub code scanning, etc.
``sig-codeclimate`` a GitLab Code Quality (Code Climate) array   GitLab merge requests
``sig-github``      one ``::error``/``::warning`` line a finding GitHub Actions annotations
=================== ============================================ ==========================

They report every finding of the flake8 run, not only ``SIG`` ones; rules declared by
flake8-signals carry their full documentation, other plugins' codes only their id.
Importing this package is cheap (flake8 imports every formatter at start-up): no astroid.
"""

from __future__ import annotations

from .codeclimate import CodeClimateFormatter
from .github import GitHubFormatter
from .sarif import SarifFormatter

__all__ = ["CodeClimateFormatter", "GitHubFormatter", "SarifFormatter"]
