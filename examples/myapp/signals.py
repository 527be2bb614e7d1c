"""The bug: a receiver defined in a function, connected with weak=True."""


def register_signal_handlers(app):
    from flask.signals import request_finished

    def log_response(sender, response, **options):
        print("finished:", response.status)
    request_finished.connect(log_response, app)
