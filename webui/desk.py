"""The casework desk for the logged-in staff member: sessions, the vault (keys loaded once per
app, on first use) and who acts. Shared by the guide's pages and ``/api/v1``."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from casework.crypto import Vault
from casework.desk import Actor, Desk
from webui.runtime import runtime


def vault() -> Vault:
    """Raises ``casework.crypto.KeyProblem`` when no key is configured (outside the demo)."""
    found = current_app.extensions.get("brobygger_vault")
    if found is None:
        found = current_app.extensions["brobygger_vault"] = Vault.from_settings(runtime().settings)
    return found


def desk() -> Desk:
    settings = runtime().settings
    return Desk(runtime().sessions, vault(),
                Actor(current_user.email, current_user.id, current_user.team),
                link_days=settings.link_days, retention_days=settings.retention_days,
                public_url=settings.public_url or request.host_url.rstrip("/"))


def link_desk(actor: Actor) -> Desk:
    """The desk of a token link: no account, the link named as the actor in the audit log."""
    settings = runtime().settings
    return Desk(runtime().sessions, vault(), actor, link_days=settings.link_days,
                retention_days=settings.retention_days)
