"""Options and session setup for this test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-fixtures",
        action="store_true",
        default=False,
        help="rewrite each fixture's golden file (tests/fixtures/**/*.expected) from its actual findings",
    )


@pytest.fixture(autouse=True, scope="session")
def _signals_cache_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the project index's disk cache of this test session out of the user's cache directory."""
    previous = os.environ.get("FLAKE8_SIGNALS_CACHE_DIR")
    os.environ["FLAKE8_SIGNALS_CACHE_DIR"] = str(tmp_path_factory.mktemp("flake8-signals-cache"))
    yield
    if previous is None:
        os.environ.pop("FLAKE8_SIGNALS_CACHE_DIR", None)
    else:
        os.environ["FLAKE8_SIGNALS_CACHE_DIR"] = previous
