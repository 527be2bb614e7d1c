"""Options for this test suite."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-fixtures",
        action="store_true",
        default=False,
        help="rewrite each fixture's golden file (tests/fixtures/**/*.expected) from its actual findings",
    )
