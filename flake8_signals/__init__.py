"""flake8-signals: find signal receivers that are silently garbage-collected."""

__version__ = "0.1.0"
