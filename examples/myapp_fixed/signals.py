"""The fix: a module-level receiver, kept alive by its module."""

from flask.signals import request_finished


def log_response(sender, response, **options):
    print("finished:", response.status)


def register_signal_handlers(app):
    request_finished.connect(log_response, app)
