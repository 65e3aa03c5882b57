"""The OpenAPI paths and schemas of closing the loop (``webui/v1/loop.py``): the provider's
answer by token link and the guide's answer to a check-in."""

from __future__ import annotations

from casework.vocab import codes
from webui.v1.openapi_course import EXPECTED_STATUS, NULLABLE_TEXT, _id_parameter, _op
from catalogue.listing_links import CAPACITIES
from catalogue.listing_reports import MAX_TEXT, PARTS
from webui.v1.openapi_parts import BEARER, NULLABLE_STRING, errors, query, ref

LINK_TEXTS = {404: "Unknown link", 409: "The link has been used already (also by an answer "
                                       "given at the same moment: only the first is kept), or "
                                       "the referral's status changed meanwhile (`field` "
                                       "`status`; nothing written)",
              410: "The link has expired, or the consent was withdrawn: it shows nothing",
              422: "Invalid content; `field` names the first invalid field"}
TOKEN = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "The token of the provider's link, for a referral or for a listing "
                        "(it authorises; at least 128 bits)"}


def _one_of(*names: str) -> dict:
    return {"oneOf": [ref(name) for name in names]}


def _link_op(summary: str, answers: tuple[str, ...], error_codes: tuple[int, ...],
             bodies: tuple[str, ...] = ()):
    """A token link's operation: a referral's link or a listing's link (the token says which)."""
    operation = {"summary": summary, "security": [], "parameters": [TOKEN],
                 "responses": {"200": {"description": "The answer", "content": {
                     "application/json": {"schema": _one_of(*answers)}}},
                     **errors(*error_codes, texts=LINK_TEXTS)}}
    if bodies:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _one_of(*bodies)}}}
    return operation


LOOP_SCHEMAS = {
    "ListingView": {"type": "object",
                    "required": ["offer_id", "source", "name", "capacity", "assured_date",
                                 "expires_at"],
                    "description": "A listing's link: the listing as the catalogue holds it",
                    "properties": {"offer_id": {"type": "string"}, "source": {"type": "string"},
                                   "name": {"type": "string"}, "provider": {"type": "string"},
                                   "description": {"type": "string"},
                                   "schedule": {"type": "string"}, "address": {"type": "string"},
                                   "postcode": {"type": "string"}, "contact": {"type": "string"},
                                   "cost": {"type": "string"},
                                   "target_groups": {"type": "array",
                                                     "items": {"type": "string"}},
                                   "capacity": {"enum": [*CAPACITIES, None]},
                                   "assured_date": {**NULLABLE_STRING, "format": "date"},
                                   "expires_at": {"type": "string", "format": "date-time"}}},
    "ListingAnswerInput": {"type": "object", "required": ["action", "capacity"],
                           "properties": {"action": {"const": "confirm"},
                                          "capacity": {"enum": list(CAPACITIES)}}},
    "ListingAnswer": {"type": "object", "required": ["offer_id", "assured_date", "capacity"],
                      "description": "The listing is confirmed today with this capacity",
                      "properties": {"offer_id": {"type": "string"},
                                     "assured_date": {"type": "string", "format": "date"},
                                     "capacity": {"enum": list(CAPACITIES)}}},
    "ListingReportInput": {"type": "object", "required": ["action", "text"],
                           "description": "Something in the listing is wrong; the listing "
                                          "itself is left as it is until a coordinator "
                                          "corrects it",
                           "properties": {"action": {"const": "report"},
                                          "part": {"enum": [*PARTS, None], "description":
                                                   "Which part is wrong (default `other`)"},
                                          "text": {"type": "string", "minLength": 1,
                                                   "maxLength": MAX_TEXT, "description":
                                                   "What is wrong, in the provider's words"}}},
    "ListingReport": {"type": "object", "required": ["offer_id", "action", "part",
                                                     "reported_at"],
                      "description": "The report waits on the coordinators' worklist",
                      "properties": {"offer_id": {"type": "string"},
                                     "action": {"const": "report"},
                                     "part": {"enum": list(PARTS)},
                                     "reported_at": {"type": "string", "format": "date-time"}}},
    "ProviderView": {"type": "object",
                     "required": ["offer_id", "team", "message", "status", "expires_at", "citizen"],
                     "properties": {"offer_id": {"type": "string"}, "team": NULLABLE_TEXT,
                                    "message": NULLABLE_TEXT,
                                    "status": {"enum": list(codes("referral_statuses"))},
                                    "expires_at": {"type": "string", "format": "date-time"},
                                    "citizen": {"type": "object", "description":
                                                "Only the pieces the consent names"}}},
    "ProviderAnswerInput": {"type": "object", "required": ["action"], "properties": {
        "action": {"enum": ["accept", "propose", "decline"]},
        "time": {"type": "string", "description": "ISO 8601 date or date-time (propose)"},
        "reason": {"enum": list(codes("decline_reasons")), "description": "Why not (decline)"},
        "note": NULLABLE_TEXT, "expected_status": EXPECTED_STATUS}},
    "ProviderAnswer": {"type": "object", "required": ["status", "proposed_time", "reason"],
                       "properties": {"status": {"enum": ["accepted", "proposed", "declined"]},
                                      "proposed_time": NULLABLE_TEXT,
                                      "reason": {"enum": [*codes("decline_reasons"), None]}}},
    "OrganizationContact": {"type": "object", "required": ["id", "name", "contact_email",
                                                            "offers"],
                            "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                           "contact_email": NULLABLE_TEXT,
                                           "offers": {"type": "integer"}}},
    "Organizations": {"type": "object", "required": ["organizations"], "properties": {
        "organizations": {"type": "array", "items": {
            "$ref": "#/components/schemas/OrganizationContact"}}}},
    "ContactInput": {"type": "object", "required": ["contact_email"], "properties": {
        "contact_email": {**NULLABLE_TEXT, "description": "Empty or null removes it"}}},
    "Coverage": {"type": "object", "required": ["rows"], "properties": {"rows": {
        "type": "array", "items": {
            "type": "object",
            "required": ["municipality", "target_group", "offers", "civil_society_offers", "gap"],
            "properties": {"municipality": {"type": "string"}, "target_group": {"type": "string"},
                           "offers": {"type": "integer", "minimum": 0},
                           "civil_society_offers": {"type": "integer", "minimum": 0},
                           "gap": {"type": "boolean"}}}}}},
    "Outcomes": {"type": "object", "required": ["min_group", "by_offer", "by_kind", "withheld"],
                 "properties": {"min_group": {"type": "integer"},
                                "by_offer": {"type": "array", "items": {"type": "object",
                                             "required": ["offer_id", "kind", "citizens",
                                                          "referrals", "steps", "checkins"]}},
                                "by_kind": {"type": "array", "items": {"type": "object",
                                            "required": ["kind", "citizens", "referrals", "steps",
                                                         "checkins"]}},
                                "withheld": {"type": "object", "required": ["offers", "kinds"]}}},
    "SearchTerms": {"type": "object", "required": ["min_count", "weeks", "terms"], "properties": {
        "min_count": {"type": "integer"}, "weeks": {"type": "integer"},
        "terms": {"type": "array", "items": {"type": "object", "required": ["term", "count"],
                                             "properties": {"term": {"type": "string"},
                                                            "count": {"type": "integer", "minimum": 3}}}}}},
    "CheckinInput": {"type": "object", "required": ["happened"], "properties": {
        "happened": {"type": "boolean"}, "feeling": {"enum": [*codes("feelings"), None]},
        "again": {"enum": [*codes("again"), None]}}},
    "Checkin": {"type": "object", "required": ["happened", "feeling", "again", "by"],
                "properties": {"happened": {"type": "boolean"},
                               "feeling": {"enum": [*codes("feelings"), None]},
                               "again": {"enum": [*codes("again"), None]},
                               "by": {"enum": ["citizen", "guide"]},
                               "at": {"type": "string", "format": "date-time"}}},
}


def _csv_twin(summary: str, schema: str, parameters: list | None = None,
              error_codes: tuple = ()) -> dict:
    """A dashboard table: JSON, or the same as CSV with ``Accept: text/csv`` or ``format=csv``."""
    return {"summary": summary + ". `Accept: text/csv` or `format=csv` gives CSV",
            "security": BEARER,
            "parameters": [*(parameters or []),
                           query("format", {"enum": ["json", "csv"]}, "json (default) or csv")],
            "responses": {"200": {"description": "Counts", "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}},
                "text/csv": {"schema": {"type": "string"}}}},
                **errors(*error_codes, 401, 403)}}


LOOP_PATHS = {
    "/api/v1/provider/{token}": {
        "get": _link_op("What the provider's link shows (no account; the token authorises): a "
                        "referral, or for a listing's link the listing",
                        ("ProviderView", "ListingView"), (404, 409, 410)),
        "post": _link_op("The provider's one answer: to a referral accept, propose a time or "
                         "decline with a reason (the guide sees it at once); to a listing's "
                         "link confirm it (`assured_date` today) with its capacity, or report "
                         "what is wrong (for the coordinators; the listing is unchanged). The "
                         "link is used afterwards",
                         ("ProviderAnswer", "ListingAnswer", "ListingReport"),
                         (400, 404, 409, 410, 422),
                         ("ProviderAnswerInput", "ListingAnswerInput", "ListingReportInput"))},
    "/api/v1/organizations": {"get": _op(
        "Organisations with the e-mail a referral's link is mailed to (coordinator)",
        ("200", "Organizations", "By name"), (401, 403))},
    "/api/v1/organizations/{id}/contact": {"put": _op(
        "Set an organisation's contact e-mail for referrals (coordinator)",
        ("200", "OrganizationContact", "As saved"), (400, 401, 403, 404, 422),
        [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
          "description": "The organisation's id (a whole number)"}], "ContactInput")},
    "/api/v1/dashboard/coverage": {"get": _csv_twin(
        "Running offers (active, stale or expiring) open to each municipality's "
        "residents and made for each target group (naming it), and how many are "
        "civil society's; `gap` when fewer than two are. Offers for `alle` "
        "municipalities count in every municipality (coordinator, admin)", "Coverage",
        [query("municipality", {"type": "string", "maxLength": 100},
               "Only this municipality (default: every one the catalogue names)")], (400,))},
    "/api/v1/dashboard/outcomes": {"get": _csv_twin(
        "Referrals (by status, conversion, decline reasons), steps (by result) and check-ins by "
        "offer and by kind; groups of fewer than `min_group` (5) citizens are withheld. CSV: one "
        "row per kind and per shown offer (coordinator, admin)", "Outcomes")},
    "/api/v1/dashboard/search-terms": {"get": _csv_twin(
        "Words of public searches that found nothing good (no result, or none sharing a theme, "
        "word or meaning with the query), as hints for new offers: counts only, per word, over "
        "the last `weeks` weeks; only queries of at most 5 words, never digits, e-mail "
        "addresses or names, never the query; a word counted fewer than `min_count` (3) times is "
        "not shown (coordinator, admin)", "SearchTerms")},
    "/api/v1/steps/{id}/checkin": {"post": _op(
        "The guide answers the step's check-in (once, like the citizen's link)",
        ("200", "Checkin", "The answer"), (400, 401, 403, 404, 409, 422),
        [_id_parameter("step")], "CheckinInput")},
}
