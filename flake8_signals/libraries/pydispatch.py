"""PyDispatcher, and Scrapy's signal manager built on it.

``pydispatch.dispatcher.connect(receiver, signal=Any, sender=Any, weak=True)``: the signal is an
argument, ``weak`` is the *fourth* positional argument (``connect(h, SIG, False)`` makes False
the sender). Scrapy's ``SignalManager.connect(receiver, signal, **kwargs)`` (``crawler.signals``)
forwards to it with ``sender=self.sender``, weak by default. Receivers are called through
``robustapply``, which passes only the arguments they accept. Scrapy's signals are plain
``object()`` markers in ``scrapy.signals``.
"""

from __future__ import annotations

from .model import (
    Binds,
    ConnectForm,
    KnownSignal,
    Library,
    Parameter,
    RuntimeDisconnect,
    RuntimeHook,
    Weakness,
)

# tests/test_library_models.py checks this table against the installed Scrapy.
KNOWN_SIGNALS = tuple(
    KnownSignal(attribute, ("scrapy.signals",), "Scrapy")
    for attribute in (
        "engine_started",
        "engine_stopped",
        "scheduler_empty",
        "spider_opened",
        "spider_idle",
        "spider_closed",
        "spider_error",
        "memusage_warning_reached",
        "request_scheduled",
        "request_dropped",
        "request_reached_downloader",
        "request_left_downloader",
        "response_received",
        "response_downloaded",
        "headers_received",
        "bytes_received",
        "robots_parsed",
        "item_scraped",
        "item_dropped",
        "item_error",
        "feed_slot_closed",
        "feed_exporter_closed",
    )
)

LIBRARY = Library(
    name="Scrapy / PyDispatcher",
    key="pydispatch",
    short="PyDispatcher",
    packages=("pydispatch", "scrapy"),
    summary="PyDispatcher's dispatcher.connect and Scrapy's SignalManager (crawler.signals)",
    signal_classes=frozenset({"scrapy.signalmanager.SignalManager"}),
    connects=(
        ConnectForm(
            "connect",
            receiver=Parameter("receiver", 0),
            weakness=Weakness(Parameter("weak", 3), default=True),
            sender=Parameter("sender", 2),
            signal=Parameter("signal", 1),
            function=frozenset(
                {"pydispatch.dispatcher.connect", "scrapy.xlib.pydispatch.dispatcher.connect"}
            ),
            returns=Binds.NOTHING,
        ),
        ConnectForm(
            "connect",
            receiver=Parameter("receiver", 0),
            weakness=Weakness(Parameter("weak"), default=True),
            signal=Parameter("signal", 1),
            returns=Binds.NOTHING,
        ),
    ),
    # Scrapy's SignalManager.connect calls dispatcher.connect. A disconnect matches the signal and
    # the sender exactly: Any is a key like any other there.
    runtime_hooks=(
        RuntimeHook(
            "pydispatch.dispatcher",
            "connect",
            Parameter("receiver", 0),
            Weakness(Parameter("weak", 3), default=True),
            "disconnect",
            sender=Parameter("sender", 2),
            any_sender="pydispatch.dispatcher.Any",
            signal=Parameter("signal", 1),
            any_signal="pydispatch.dispatcher.Any",
            disconnect_arguments=RuntimeDisconnect(
                Parameter("receiver", 0), sender=Parameter("sender", 2), signal=Parameter("signal", 1)
            ),
            internal_modules=("pydispatch", "scrapy.signalmanager"),
        ),
    ),
    known_signals=KNOWN_SIGNALS,
    known_signals_complete=False,
    recognised=(
        "`dispatcher.connect(receiver, signal, sender, weak)` from `pydispatch` (and the "
        "`scrapy.xlib.pydispatch` copy of old Scrapy releases).",
        "`crawler.signals.connect(receiver, signal=...)` when the signal is one of Scrapy's "
        "(`scrapy.signals.*`, known by import path) or the object is a `SignalManager`.",
        "A sender passed positionally where the weak flag was meant (SIG106).",
    ),
    not_recognised=(
        "Receiver signatures are not judged: PyDispatcher's robustapply passes each receiver only "
        "the arguments it accepts.",
    ),
)
