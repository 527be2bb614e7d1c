"""A small Flask app with the bug flake8-signals catches (see signals.py)."""

from flask import Flask

from .signals import register_signal_handlers


def create_app():
    app = Flask(__name__)

    @app.route("/")
    def index():
        return "hello"

    register_signal_handlers(app)
    return app
