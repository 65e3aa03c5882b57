"""A valid JSON body for every documented operation that takes one, built on a team's course:
the baseline each attack changes one field of, and the body the access matrix sends so that a
refusal comes from who asks, not from an empty body. A new operation in the OpenAPI document
without a baseline here fails ``test_every_json_operation_has_a_baseline``."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.security.world import OFFER, Course
from webui.v1.openapi import DOCUMENT

OFFER_BODY = {"id": "angreb-tilbud", "name": "Angrebstilbud", "kind": "association",
              "description": "Et tilbud, der bruges i testene af angreb."}


def baselines(course: Course) -> dict[tuple[str, str], dict]:
    """(method, OpenAPI path) -> a body the operation accepts for ``course``'s team."""
    soon = (date.today() + timedelta(days=7)).isoformat()
    return {
        ("post", "/api/v1/offers"): OFFER_BODY,
        ("put", "/api/v1/offers/{id}"): {**OFFER_BODY, "id": OFFER, "name": "Gågruppe"},
        ("post", "/api/v1/citizens"): {
            "name": "Mette", "age": 34, "municipality": "Aarhus", "postcode": "8000",
            "languages": ["da"], "accessibility_needs": [], "busy": "mandage",
            "consent": {"purpose": "Forløb", "given_at": "2026-12-01T10:00:00+01:00"}},
        ("put", "/api/v1/citizens/{id}/conversation"): {
            "dreams": "Gå ture", "goals": "Ud en gang om ugen", "what_matters": "Kaffe",
            "barriers": [], "barrier_words": "Bussen", "notes": "Noter",
            "network": [{"id": course.network_person, "name": "Lise", "relation": "søster",
                         "ring": "family", "closeness": 1, "offer_id": None}]},
        ("post", "/api/v1/citizens/{id}/steps"): {
            "offer_id": OFFER, "what": "Gå med", "where": "Riis Skov", "when": soon,
            "companion": course.network_person, "follow_up": soon},
        ("post", "/api/v1/steps/{id}/outcome"): {"result": "done", "progress": 7,
                                                 "next": "continue", "learned": "Det gik"},
        ("post", "/api/v1/citizens/{id}/consents"): {"scope": {"offer_id": OFFER},
                                                     "shares": ["name"],
                                                     "given_at": "2026-12-01"},
        ("post", "/api/v1/referrals"): {"citizen_id": course.citizen, "offer_id": OFFER,
                                        "consent_id": course.consent, "message": "Hej",
                                        "follow_up": soon},
        ("post", "/api/v1/referrals/{id}/status"): {"status": "accepted"},
        ("post", "/api/v1/provider/{token}"): {"action": "propose", "time": soon,
                                               "reason": None, "note": "Vi ses"},
        ("put", "/api/v1/organizations/{id}/contact"): {"contact_email": "kontakt@test.dk"},
        ("post", "/api/v1/steps/{id}/checkin"): {"happened": True, "feeling": "good",
                                                 "again": "yes"},
    }


def json_operations() -> list[tuple[str, str]]:
    """(method, path) of every documented operation with a JSON request body."""
    return [(method, path) for path, item in DOCUMENT["paths"].items()
            for method, operation in item.items()
            if isinstance(operation, dict) and "application/json" in
            operation.get("requestBody", {}).get("content", {})]


def openapi_path(rule: str) -> str:
    """The OpenAPI path of a URL-map rule: ``<path:id>`` -> ``{id}``."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


# The guide's forms whose content is checked before whose citizen it is: what a browser sends
# (the CSRF token is added by the sender).
PAGE_FORMS = {"guide.referral_status": {"status": "accepted"},
              "guide.outcome": {"result": "done", "progress": "7", "next": "continue"},
              "followup.guide_checkin": {"happened": "ja", "again": "yes"}}
