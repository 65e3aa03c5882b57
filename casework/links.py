"""Token links for people without accounts (a provider's referral, a citizen's check-in): the
tokens themselves are ``catalogue.tokens`` (shared with the listing links); here are the actors
they act as and the refusal in casework's terms. Whoever follows one acts as the link, and the
audit log names the link, never a staff member."""

from __future__ import annotations

from casework.desk import Actor
from casework.errors import CaseworkError
from catalogue import tokens
from catalogue.tokens import TOKEN_SHAPE, new_token, provider_link, token_hash, well_formed

PROVIDER_LINK = Actor("provider-link")
CHECKIN_LINK = Actor("checkin-link")


def checkin_link(token: str) -> str:
    return f"/c/{token}"


class LinkClosed(tokens.LinkClosed, CaseworkError):
    """A closed link (``catalogue.tokens.LinkClosed``) that casework's callers also catch as a
    ``CaseworkError``."""


__all__ = ["PROVIDER_LINK", "CHECKIN_LINK", "TOKEN_SHAPE", "LinkClosed", "checkin_link",
           "new_token", "provider_link", "token_hash", "well_formed"]
