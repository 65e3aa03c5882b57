"""``brobygger serve``: gunicorn with a few workers, each building its own app (no preload: the
app starts a background thread to rebuild the search index, and threads do not survive a fork).

Logs are JSON lines from ``catalogue.logs``, gunicorn's own included; gunicorn's access log is
off, as it can only name the concrete path (a token link's path is its key): the app logs each
request with its route's pattern instead (``webui.requestlog``). gunicorn's ``Server`` header
names no version.
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from catalogue.logs import logging_config
from catalogue.settings import Settings
from matcher.encoder import use_serving_threads

class UnsafeSettings(Exception):
    """The server would run with settings only fit for the demo."""

    da = ("Brobygger starter ikke med standardnøglen uden for demoen. Sæt BROBYGGER_SECRET_KEY "
          "til en lang, tilfældig værdi (fx fra `python -c \"import secrets; "
          "print(secrets.token_urlsafe(48))\"`), eller sæt BROBYGGER_DEMO=1 for en demo.")
    en = ("Brobygger will not start with the default secret key outside the demo. Set "
          "BROBYGGER_SECRET_KEY to a long random value, or BROBYGGER_DEMO=1 for a demo.")

    def __str__(self) -> str:
        return f"{self.da}\n{self.en}"


class MissingCaseworkKey(UnsafeSettings):
    """Outside the demo, citizen data needs a key from the settings (``casework.crypto``)."""

    def __init__(self, da: str, en: str):
        super().__init__()
        self.da, self.en = da, en


def check_can_serve(settings: Settings) -> None:
    """Refuse the demo's secret and a missing casework key outside the demo (the demo makes
    its own key file on first use)."""
    if settings.demo:
        return
    if settings.uses_default_secret:
        raise UnsafeSettings()
    from casework.crypto import KeyProblem, load_keys

    try:
        load_keys(settings)
    except KeyProblem as problem:
        raise MissingCaseworkKey(problem.da, problem.en) from None


def gunicorn_options(host: str, port: int, workers: int) -> dict:
    return {"bind": f"{host}:{port}", "workers": workers, "preload_app": False,
            "accesslog": None, "errorlog": "-", "logconfig_dict": logging_config(),
            "proc_name": "brobygger", "timeout": 120}


class BrobyggerServer(BaseApplication):
    """gunicorn run from Python, with the options above and ``create_app(settings)`` per worker."""

    def __init__(self, settings: Settings, options: dict):
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from webui import create_app

        return create_app(self.settings)


def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    check_can_serve(settings)
    use_serving_threads(workers)   # before any worker loads the encoder
    BrobyggerServer(settings, gunicorn_options(host, port, workers)).run()
