"""Refusals of the casework layer, each with the HTTP status the API gives it and a Danish and
an English message naming the field at fault."""

from __future__ import annotations


class CaseworkError(Exception):
    status = 400

    def __init__(self, da: str, en: str, field: str | None = None):
        super().__init__(f"{da} / {en}")
        self.da, self.en, self.field = da, en, field


class Invalid(CaseworkError):
    """The content breaks a rule (422)."""

    status = 422


class NotYours(CaseworkError):
    """Another team's citizen, or no team at all (403)."""

    status = 403


class OtherTeamsCitizen(NotYours):
    """A citizen of another team: refused, and the attempt is audited apart
    (``casework.desk.audit_refusal``) since the refused transaction is rolled back."""

    def __init__(self, citizen_id: str):
        super().__init__("Borgeren hører til et andet team", "The citizen belongs to another team")
        self.citizen_id = citizen_id


class NotFound(CaseworkError):
    status = 404


class Conflict(CaseworkError):
    status = 409


class StaleVersion(CaseworkError):
    """Someone saved meanwhile: nothing was written; ``current`` is what is saved now (412)."""

    status = 412

    def __init__(self, current: dict):
        super().__init__("En anden har gemt samtalen, mens du skrev; intet er overskrevet",
                         "Someone else saved the conversation meanwhile; nothing was overwritten",
                         "version")
        self.current = current


def not_found(what_da: str, what_en: str) -> NotFound:
    return NotFound(f"{what_da} findes ikke", f"{what_en} does not exist")
