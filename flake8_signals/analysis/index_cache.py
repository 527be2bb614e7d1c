"""The project index's facts kept on disk between runs, so that a run reads only what changed.

One JSON file per project root (and per settings that change what is read), in the user's cache
directory (:func:`.index_settings.default_directory`). It lists every file the index saw with its
size, modification time, inode and a digest of its content, and the facts of the files it parsed.
A later run trusts a listed file without reading it only while all four match and the file was
already older than two seconds when it was recorded (a file changed again within the clock's
granularity is read again); facts are reused only for the same content digest, path and module
name. The cache's key includes the plugin's own analysis code, the Python version and the
settings, so an upgrade or an edit of the analysis starts afresh.

Safe under concurrent flake8 processes: a file is written whole to a temporary name and renamed
into place, so a reader sees an old or a new version, never half of one; an unreadable, corrupt
or foreign file is ignored (and overwritten). JSON, never pickle: a cache file cannot run code.
A per-root lock lets the ``-j`` workers that start together build the index once: the others
wait for it (at most :data:`LOCK_WAIT_SECONDS`) and read it.

Turned off by ``FLAKE8_SIGNALS_NO_CACHE=1`` or flake8's ``--signals-no-cache``; moved by
``FLAKE8_SIGNALS_CACHE_DIR`` or ``--signals-cache-dir``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .project_facts import (
    Alias,
    BindingValue,
    DefaultNamespace,
    Lookup,
    MakesNamespace,
    MakesSignal,
    ModuleFacts,
    NamedLookup,
    Qualified,
    Ref,
    Send,
    SendInfo,
    Use,
)

FORMAT = 1
STABLE_AFTER_NS = 2_000_000_000  # a file modified this close to being recorded is read again
LOCK_WAIT_SECONDS = 60.0
MAX_ENTRIES = 256  # cache files kept; the least recently written go first


_CODE_DIGEST: list[str] = []


def code_digest() -> str:
    """A digest of the analysis code and library models: facts made by other code are not reused."""
    if not _CODE_DIGEST:
        import hashlib  # loads OpenSSL: only in a run that reads the project

        digest = hashlib.blake2b(digest_size=16)
        package = Path(__file__).resolve().parent.parent
        for folder in ("analysis", "libraries"):
            for path in sorted((package / folder).glob("*.py")):
                try:
                    digest.update(path.name.encode() + b"\0" + path.read_bytes())
                except OSError:
                    digest.update(path.name.encode() + b"\0?")
        _CODE_DIGEST.append(digest.hexdigest())
    return _CODE_DIGEST[0]


def content_digest(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_key(root: str, settings: dict[str, Any]) -> str:
    described = json.dumps(
        {"root": root, "format": FORMAT, "code": code_digest(), "python": sys.version_info[:2], **settings},
        sort_keys=True,
    )
    import hashlib

    return hashlib.sha256(described.encode()).hexdigest()[:32]


# -- files ---------------------------------------------------------------------------------------
def load(directory: str, key: str) -> dict[str, Any] | None:
    """The stored record for ``key``, or None when there is none or it cannot be trusted."""
    try:
        with open(os.path.join(directory, f"{key}.json"), encoding="utf-8") as handle:
            record = json.load(handle)
    except (OSError, ValueError, UnicodeError, RecursionError, MemoryError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("key") != key:
        return None
    return record


def store(directory: str, key: str, record: dict[str, Any]) -> None:
    """Write atomically; a failure (read-only or full disk) only costs the next run its speed."""
    record = {**record, "format": FORMAT, "key": key}
    try:
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(record, out, separators=(",", ":"))
            os.replace(temporary, os.path.join(directory, f"{key}.json"))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(directory)
    except (OSError, ValueError, TypeError, RecursionError, MemoryError):
        pass


def _prune(directory: str) -> None:
    entries = []
    for entry in os.scandir(directory):
        if entry.name.endswith(".json"):
            with contextlib.suppress(OSError):
                entries.append((entry.stat().st_mtime_ns, entry.path))
    for _, path in sorted(entries)[: max(0, len(entries) - MAX_ENTRIES)]:
        with contextlib.suppress(OSError):
            os.unlink(path)
            os.unlink(path[: -len(".json")] + ".lock")


@contextlib.contextmanager
def locked(directory: str, key: str) -> Iterator[bool]:
    """Hold the root's lock while building its index (True), or go on without it after
    :data:`LOCK_WAIT_SECONDS` or where locks are not available (False)."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock, the atomic writes alone keep the cache whole
        yield False
        return
    try:
        os.makedirs(directory, exist_ok=True)
        descriptor = os.open(os.path.join(directory, f"{key}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield False
        return
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        held = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except OSError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.02)
        yield held
    finally:
        os.close(descriptor)  # releases the lock


# -- facts as JSON -------------------------------------------------------------------------------
def encode_facts(facts: ModuleFacts) -> list[Any]:
    return [
        facts.module,
        [[name, _encode_binding(value)] for name, value in facts.bindings],
        [_encode_lookup(lookup) for lookup in facts.lookups],
        [[_encode_ref(use.ref), use.how] for use in facts.uses],
        [[_encode_ref(send.ref), *_encode_send(send.info)] for send in facts.sends],
        sorted(facts.libraries),
    ]


def decode_facts(path: str, data: Any) -> ModuleFacts:
    """The facts written by :func:`encode_facts`; raises ValueError on anything else."""
    try:
        module, bindings, lookups, uses, sends, libraries = data
        return ModuleFacts(
            path,
            _str(module),
            tuple((_str(name), _decode_binding(value)) for name, value in bindings),
            tuple(_decode_lookup(item) for item in lookups),
            tuple(Use(_decode_ref(ref), _str(how)) for ref, how in uses),
            tuple(Send(_decode_ref(item[0]), _decode_send(path, item[1:])) for item in sends),
            frozenset(_str(name) for name in libraries),
        )
    except (TypeError, ValueError, KeyError, IndexError, RecursionError) as error:
        raise ValueError(f"not cached facts: {error}") from None


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _encode_ref(ref: Ref) -> list[Any]:
    if isinstance(ref, Qualified):
        return ["q", ref.name]
    if isinstance(ref, DefaultNamespace):
        return ["default", ref.namespace]
    return ["lookup", _encode_ref(ref.namespace), ref.name]


def _decode_ref(data: Any) -> Ref:
    kind = data[0]
    if kind == "q":
        return Qualified(_str(data[1]))
    if kind == "default":
        return DefaultNamespace(_str(data[1]))
    if kind == "lookup":
        return NamedLookup(_decode_ref(data[1]), _str(data[2]))
    raise ValueError(f"unknown reference {kind!r}")


def _encode_binding(value: BindingValue) -> list[Any]:
    if isinstance(value, MakesNamespace):
        return ["namespace", value.library]
    if isinstance(value, MakesSignal):
        return ["signal", value.library]
    return ["alias", _encode_ref(value.ref)]


def _decode_binding(data: Any) -> BindingValue:
    kind = data[0]
    if kind == "namespace":
        return MakesNamespace(_str(data[1]))
    if kind == "signal":
        return MakesSignal(_str(data[1]))
    if kind == "alias":
        return Alias(_decode_ref(data[1]))
    raise ValueError(f"unknown binding {kind!r}")


def _encode_lookup(lookup: Lookup) -> list[Any]:
    return [
        lookup.line,
        lookup.col,
        _encode_ref(lookup.namespace),
        lookup.name,
        lookup.pattern,
        lookup.form,
        lookup.module_level,
        lookup.declared_as,
        list(lookup.target) if lookup.target is not None else None,
        lookup.usage,
    ]


def _decode_lookup(data: Any) -> Lookup:
    line, col, namespace, name, pattern, form, module_level, declared_as, target, usage = data
    if not (isinstance(line, int) and isinstance(col, int) and isinstance(module_level, bool)):
        raise ValueError("bad lookup")
    where = None
    if target is not None:
        target_line, target_col = target
        if not (isinstance(target_line, int) and isinstance(target_col, int)):
            raise ValueError("bad lookup target")
        where = (target_line, target_col)
    return Lookup(
        line,
        col,
        _decode_ref(namespace),
        _optional_str(name),
        _optional_str(pattern),
        _str(form),
        module_level,
        _optional_str(declared_as),
        where,
        _str(usage),
    )


def _encode_send(info: SendInfo) -> list[Any]:
    return [
        info.line,
        sorted(info.keywords),
        info.has_double_star,
        info.has_async_wrapper,
        info.is_async,
        info.via,
    ]


def _decode_send(path: str, data: Any) -> SendInfo:
    line, keywords, double_star, wrapper, is_async, via = data
    if not isinstance(line, int) or not all(isinstance(v, bool) for v in (double_star, wrapper, is_async)):
        raise ValueError("bad send")
    return SendInfo(
        path, line, frozenset(_str(k) for k in keywords), double_star, wrapper, is_async, _str(via)
    )
