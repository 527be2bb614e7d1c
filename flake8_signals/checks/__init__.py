"""Rule families. Each module has ``CODES``, ``wants(source)`` (a cheap text prefilter) and
``check(context)`` yielding findings."""

from __future__ import annotations

from . import contracts, lifetime, names

FAMILIES = (lifetime, contracts, names)
