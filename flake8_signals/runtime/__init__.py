"""Runtime confirmation: watch the signal libraries' weak references die.

This package runs user code, so nothing in it is ever imported by the flake8 plugin. It is used
by two explicit entry points only:

* ``flake8-signals confirm TARGET`` (:mod:`flake8_signals.runtime.confirm`), which runs the target
  in a child process (:mod:`flake8_signals.runtime.child`) with a time limit and joins what it saw
  with the static SIG1xx findings (:mod:`flake8_signals.runtime.join`);
* the pytest plugin (:mod:`flake8_signals.pytest_plugin`), enabled with ``--signals-check``.

Both use :class:`flake8_signals.runtime.recorder.Recorder`, which wraps the connect and disconnect
callables each library model declares (blinker, Django, celery, PyDispatcher/Scrapy, psygnal)
while it is installed, each library once the program imports it, and restores them afterwards.
"""

from __future__ import annotations

from .recorder import Connection, Recorder, Site

__all__ = ["Connection", "Recorder", "Site"]
