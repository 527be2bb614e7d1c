"""Keep the project index's disk cache of this test session out of the user's cache directory."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _signals_cache_directory(tmp_path_factory: pytest.TempPathFactory):
    previous = os.environ.get("FLAKE8_SIGNALS_CACHE_DIR")
    os.environ["FLAKE8_SIGNALS_CACHE_DIR"] = str(tmp_path_factory.mktemp("flake8-signals-cache"))
    yield
    if previous is None:
        os.environ.pop("FLAKE8_SIGNALS_CACHE_DIR", None)
    else:
        os.environ["FLAKE8_SIGNALS_CACHE_DIR"] = previous
