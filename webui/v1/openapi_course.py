"""The OpenAPI paths and schemas of the citizen's course (``webui/v1/citizens.py``)."""

from __future__ import annotations

from casework.vocab import codes
from webui.v1.openapi_parts import BEARER, NULLABLE_STRING, STRINGS, errors, json_answer, query, ref

TEXTS = {403: "Not a guide, or another team's citizen", 404: "Unknown id",
         409: "Conflict (outcome or check-in already recorded, the referral's status changed "
              "meanwhile, or the record consent); nothing was written",
         422: "Invalid content; `field` names the first invalid field"}
DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
NULLABLE_TEXT = {"type": ["string", "null"]}
EXPECTED_STATUS = {"enum": [*codes("referral_statuses"), None],
                   "description": "The referral's status the change is made from (what the "
                                  "caller saw): written only while it is still this one, else "
                                  "409 and nothing written; default: the status when the "
                                  "request arrives"}
CITIZEN_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
              "description": "The citizen's id (random; never a name)"}


def CODES(name: str) -> dict:  # noqa: N802  (reads like the other schema constants)
    return {"type": "array", "items": {"enum": list(codes(name))}}


def _id_parameter(what: str) -> dict:
    return {**CITIZEN_ID, "description": f"The {what}'s id"}


def _errors(*codes_: int) -> dict:
    return errors(*codes_, texts=TEXTS)


def _body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


def _op(summary: str, answer: tuple[str, str, str], error_codes: tuple[int, ...],
        parameters: list | None = None, body: str | None = None) -> dict:
    status, schema, description = answer
    operation = {"summary": summary, "security": BEARER, "parameters": parameters or [],
                 "responses": {status: json_answer(schema, description), **_errors(*error_codes)}}
    if body:
        operation["requestBody"] = _body(body)
    return operation


def _with_csv(operation: dict) -> dict:
    """The same answer as CSV too (one row per entry, formula-safe cells)."""
    operation["responses"]["200"]["content"]["text/csv"] = {"schema": {"type": "string"}}
    return operation


CONVERSATION_IF_MATCH = {
    "name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
    "description": "Optional: the conversation's version (ETag) the change starts from, e.g. "
                   "`\"3\"` (`\"0\"`: none saved yet)"}


def _versioned(operation: dict, stale: bool = False) -> dict:
    """The answer carries the conversation's version as ``ETag``; ``stale``: a 412 too."""
    operation["responses"]["200"]["headers"] = {"ETag": {
        "description": "The conversation's version, quoted (send it back in If-Match)",
        "schema": {"type": "string"}}}
    if stale:
        operation["responses"]["412"] = json_answer(
            "StaleConversation", "Someone saved the conversation meanwhile: nothing was written")
    return operation


PERSON = {"type": "object", "required": ["name", "closeness"], "properties": {
    "id": {"type": "string", "description": "Send back to keep the person's id"},
    "name": {"type": "string"}, "relation": NULLABLE_TEXT,
    "ring": {"enum": [*codes("rings"), None]}, "closeness": {"type": "integer", "minimum": 1,
                                                              "maximum": 3},
    "offer_id": {**NULLABLE_TEXT, "description": "Where the citizen knows the person from: an "
                 "offer (id or source:id; kept sealed), for the suggestions' network hints"}}}
NETWORK_HINT = {
    "type": "object", "required": ["code", "people", "values", "text"],
    "description": "From the citizen's network map, worked out after the matcher answered: "
                   "`knows_someone_there` (a person is linked to this offer or its provider), "
                   "`companion_possible` (the offer welcomes a companion and the map has close "
                   "family, friends or neighbours). Ids and relations, never names",
    "properties": {"code": {"enum": ["companion_possible", "knows_someone_there"]},
                   "people": {**STRINGS, "description": "Network map ids"},
                   "values": {**STRINGS, "description": "Their relations as written "
                              "(\"søster\"); empty where none was written"},
                   "text": {"type": "string"}}}
CONVERSATION_PROPERTIES = {
    "dreams": NULLABLE_TEXT, "goals": NULLABLE_TEXT, "what_matters": NULLABLE_TEXT,
    "barriers": CODES("barriers"), "barrier_words": NULLABLE_TEXT, "notes": NULLABLE_TEXT,
    "network": {"type": "array", "items": PERSON}}
OUTCOME = {"type": "object", "required": ["result", "next"], "properties": {
    "result": {"enum": list(codes("results"))},
    "progress": {"type": ["integer", "null"], "minimum": 1, "maximum": 10},
    "next": {"enum": list(codes("next"))}, "learned": NULLABLE_TEXT}}

COURSE_SCHEMAS = {
    "CitizenSuggestions": {"allOf": [ref("SearchResponse"), {
        "type": "object", "properties": {"results": {"type": "array", "items": {
            "type": "object", "required": ["network"], "properties": {
                "network": {"type": "array", "items": NETWORK_HINT}}}}}}]},
    "Created": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
    "CitizenInput": {"type": "object", "required": ["name", "consent"], "properties": {
        "name": {"type": "string"}, "age": {"type": ["integer", "null"]},
        "municipality": NULLABLE_TEXT, "postcode": NULLABLE_TEXT, "languages": STRINGS,
        "accessibility_needs": STRINGS, "busy": NULLABLE_TEXT,
        "consent": {"type": "object", "required": ["purpose", "given_at"], "properties": {
            "purpose": {"type": "string"}, "given_at": {"type": "string"}}}}},
    "Citizen": {"type": "object",
                "required": ["id", "name", "age", "municipality", "postcode", "languages",
                             "created_at", "ended_at"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                               "age": {"type": ["integer", "null"]}, "municipality": NULLABLE_TEXT,
                               "postcode": NULLABLE_TEXT, "languages": STRINGS,
                               "accessibility_needs": STRINGS, "busy": NULLABLE_TEXT,
                               "created_at": DATE_TIME, "ended_at": NULLABLE_DATE_TIME}},
    "CitizenList": {"type": "object", "required": ["citizens"], "properties": {
        "citizens": {"type": "array", "items": ref("Citizen")}}},
    "ConversationInput": {"type": "object", "properties": CONVERSATION_PROPERTIES},
    "Conversation": {"type": "object", "required": [*CONVERSATION_PROPERTIES, "updated_at",
                                                    "version"],
                     "properties": {**CONVERSATION_PROPERTIES, "network": {
                         "type": "array", "items": {**PERSON, "required": ["id", "name", "ring",
                                                                          "closeness"]}},
                         "updated_at": NULLABLE_DATE_TIME,
                         "version": {"type": "integer", "minimum": 0,
                                     "description": "Counted up by each save (0: none yet)"}}},
    "StaleConversation": {"allOf": [ref("Error"), {
        "type": "object", "required": ["current", "current_version"],
        "properties": {"current": ref("Conversation"), "current_version": {"type": "integer"}}}]},
    "StepInput": {"type": "object", "required": ["what"], "properties": {
        "offer_id": NULLABLE_TEXT, "what": {"type": "string"}, "where": NULLABLE_TEXT,
        "when": {**NULLABLE_TEXT, "description": "ISO 8601 date or date-time"},
        "companion": {**NULLABLE_TEXT, "description": "A network map person's id"},
        "follow_up": NULLABLE_DATE}},
    "StepCreated": {"type": "object", "required": ["id", "checkin_link"], "properties": {
        "id": {"type": "string"}, "checkin_link": {"type": "string"}}},
    "Step": {"type": "object",
             "required": ["id", "citizen_id", "offer_id", "what", "where", "when", "companion",
                          "follow_up", "outcome"],
             "properties": {"id": {"type": "string"}, "citizen_id": {"type": "string"},
                            "offer_id": {**NULLABLE_TEXT, "description": "source:id"},
                            "what": {"type": "string"}, "where": NULLABLE_TEXT,
                            "when": NULLABLE_TEXT, "companion": NULLABLE_TEXT,
                            "follow_up": NULLABLE_DATE,
                            "outcome": {"oneOf": [{"type": "null"}, {
                                **OUTCOME, "required": ["result", "progress", "next", "learned",
                                                        "at"],
                                "properties": {**OUTCOME["properties"], "at": DATE_TIME,
                                               "fsiii": {"enum": ["E1", "E2", "E3"],
                                                         "description": "FSIII follow-up "
                                                         "result of `next` (KL)"}}}]},
                            "checkin": {"oneOf": [{"type": "null"}, {"$ref":
                                                                     "#/components/schemas/Checkin"}],
                                        "description": "The check-in's answer (citizen or guide)"}}},
    "OutcomeInput": OUTCOME,
    "ConsentInput": {"type": "object", "required": ["scope", "shares", "given_at"], "properties": {
        "scope": {"type": "object", "required": ["offer_id"],
                  "properties": {"offer_id": {"type": "string"}}},
        "shares": CODES("shares"), "given_at": {"type": "string"}}},
    "Consent": {"type": "object", "required": ["id", "kind", "scope", "shares", "given_at",
                                               "withdrawn_at"],
                "properties": {"id": {"type": "string"}, "citizen_id": {"type": "string"},
                               "kind": {"enum": ["record", "share"]},
                               "purpose": NULLABLE_TEXT,
                               "scope": {"type": ["object", "null"]}, "shares": STRINGS,
                               "given_at": DATE_TIME, "withdrawn_at": NULLABLE_DATE_TIME}},
    "ReferralInput": {"type": "object", "required": ["citizen_id", "offer_id", "consent_id"],
                      "properties": {"citizen_id": {"type": "string"},
                                     "offer_id": {"type": "string"},
                                     "consent_id": {"type": "string"}, "message": NULLABLE_TEXT,
                                     "follow_up": NULLABLE_DATE}},
    "ReferralSent": {"type": "object", "required": ["id", "status", "provider_link"],
                     "properties": {"id": {"type": "string"}, "status": {"const": "sent"},
                                    "provider_link": {"type": "string", "description":
                                                      "Shown once; only its hash is kept"},
                                    "mail": {"enum": ["queued", "no_contact"], "description":
                                             "Whether the link went into the outbox for the "
                                             "organisation's contact e-mail"}}},
    "Referral": {"type": "object",
                 "required": ["id", "citizen_id", "offer_id", "consent_id", "status", "message",
                              "follow_up", "expires_at"],
                 "properties": {"id": {"type": "string"}, "citizen_id": {"type": "string"},
                                "offer_id": {"type": "string"}, "consent_id": {"type": "string"},
                                "status": {"enum": list(codes("referral_statuses"))},
                                "message": NULLABLE_TEXT, "follow_up": NULLABLE_DATE,
                                "answer": {"type": ["object", "null"], "description":
                                           "The provider's answer by link: proposed_time, "
                                           "reason, note, at"},
                                "expires_at": DATE_TIME, "created_at": DATE_TIME,
                                "updated_at": DATE_TIME}},
    "ReferralStatus": {"type": "object", "required": ["status"], "properties": {
        "status": {"enum": list(codes("referral_statuses"))},
        "expected_status": EXPECTED_STATUS}},
    "Plan": {"type": "object", "required": ["citizen_id", "name", "steps", "referrals"],
             "properties": {"citizen_id": {"type": "string"}, "name": {"type": "string"},
                            "steps": {"type": "array", "items": ref("Step")},
                            "referrals": {"type": "array", "items": ref("Referral")},
                            "consents": {"type": "array", "items": ref("Consent"),
                                         "description": "The consents to share"}}},
    "Followups": {"type": "object", "required": ["due_before", "steps", "referrals"],
                  "properties": {"due_before": {"type": "string", "format": "date"},
                                 "steps": {"type": "array", "items": ref("Step")},
                                 "referrals": {"type": "array", "items": ref("Referral")}}},
    "Erased": {"type": "object", "required": ["id", "erased"], "properties": {
        "id": {"type": "string"}, "erased": {"const": True}}},
    "AuditEntry": {"type": "object",
                   "required": ["id", "at", "who", "citizen_id", "action", "why", "details"],
                   "properties": {"id": {"type": "integer"}, "at": DATE_TIME,
                                  "who": {"type": "string"},
                                  "account_id": {"type": ["integer", "null"]},
                                  "team": NULLABLE_STRING, "citizen_id": NULLABLE_STRING,
                                  "action": {"type": "string"}, "why": {"type": "string"},
                                  "details": {"type": ["object", "null"]}}},
    "AuditLog": {"type": "object", "required": ["entries"], "properties": {
        "entries": {"type": "array", "items": ref("AuditEntry")}}},
    "Export": {"type": "object",
               "required": ["citizen", "conversation", "consents", "steps", "referrals", "audit"],
               "properties": {"citizen": ref("Citizen"), "conversation": ref("Conversation"),
                              "consents": {"type": "array", "items": ref("Consent")},
                              "steps": {"type": "array", "items": ref("Step")},
                              "referrals": {"type": "array", "items": ref("Referral")},
                              "audit": {"type": "array", "items": ref("AuditEntry")}}},
}

ID = [CITIZEN_ID]
COURSE_PATHS = {
    "/api/v1/citizens": {
        "get": _op("The team's citizens, newest first (guide)", ("200", "CitizenList", "Citizens"),
                   (401, 403)),
        "post": _op("A new citizen of the guide's team; no consent, no record (422, field "
                    "`consent`)", ("201", "Created", "Created"), (400, 401, 403, 422),
                    body="CitizenInput")},
    "/api/v1/citizens/{id}": {
        "get": _op("One citizen's record", ("200", "Citizen", "The record"), (401, 403, 404), ID),
        "delete": _op("Erase the citizen: nothing about them remains, audit details included",
                      ("200", "Erased", "Erased"), (401, 403, 404), ID)},
    "/api/v1/citizens/{id}/end": {"post": _op(
        "End the course today; the record is purged after the retention period",
        ("200", "Citizen", "The record"), (401, 403, 404), ID)},
    "/api/v1/citizens/{id}/conversation": {
        "get": _versioned(_op("The intake conversation and network map",
                              ("200", "Conversation", "It"), (401, 403, 404), ID)),
        "put": _versioned(_op(
            "Replace the conversation and network map; with `If-Match` only if that is still "
            "the saved version (412 with what is saved now otherwise; nothing is overwritten)",
            ("200", "Conversation", "As saved"), (400, 401, 403, 404, 422),
            [*ID, CONVERSATION_IF_MATCH], "ConversationInput"), stale=True)},
    "/api/v1/citizens/{id}/suggestions": {"get": _op(
        "The search from the conversation (dreams weigh most) and the record's age, "
        "municipality and languages; the matcher sees no name, id, notes or network. Each "
        "result's `network` gives hints from the citizen's network map",
        ("200", "CitizenSuggestions", "Eligible offers in rank order, with network hints"), (400, 401, 403, 404, 422),
        [*ID, query("k", {"type": "integer", "minimum": 1, "maximum": 50}, "How many (10)"),
         query("lang", {"enum": ["da", "en"]}, "Language of texts (da)")])},
    "/api/v1/citizens/{id}/steps": {"post": _op(
        "A prøvehandling in the plan, with the citizen's check-in link",
        ("201", "StepCreated", "Created"), (400, 401, 403, 404, 422), ID, "StepInput")},
    "/api/v1/citizens/{id}/plan": {"get": _op(
        "The plan: steps with outcomes, and referrals", ("200", "Plan", "The plan"),
        (401, 403, 404), ID)},
    "/api/v1/steps/{id}/outcome": {"post": _op(
        "Record how a step went (once)", ("200", "Step", "The step"),
        (400, 401, 403, 404, 409, 422), [_id_parameter("step")], "OutcomeInput")},
    "/api/v1/citizens/{id}/consents": {"post": _op(
        "A consent to share named pieces of data with one offer's provider",
        ("201", "Created", "Created"), (400, 401, 403, 404, 422), ID, "ConsentInput")},
    "/api/v1/consents/{id}": {"delete": _op(
        "Withdraw a share consent: nothing more is shared under it, at once",
        ("200", "Consent", "The withdrawn consent"), (401, 403, 404, 409),
        [_id_parameter("consent")])},
    "/api/v1/referrals": {"post": _op(
        "Refer under a valid consent for that offer (422 otherwise)",
        ("201", "ReferralSent", "Sent"), (400, 401, 403, 404, 422), body="ReferralInput")},
    "/api/v1/referrals/{id}": {"get": _op(
        "A referral and its status", ("200", "Referral", "The referral"), (401, 403, 404),
        [_id_parameter("referral")])},
    "/api/v1/referrals/{id}/status": {"post": _op(
        "Mark the provider's answer (the guide, when it came by phone or mail); 409 when the "
        "status changed meanwhile (another guide, or the provider's answer by the link): "
        "nothing is overwritten",
        ("200", "Referral", "The referral"), (400, 401, 403, 404, 409, 422),
        [_id_parameter("referral")], "ReferralStatus")},
    "/api/v1/followups": {"get": _op(
        "The team's steps and referrals due for follow-up", ("200", "Followups", "Due"),
        (400, 401, 403), [query("due_before", {"type": "string", "format": "date"},
                                "Due on or before (today)")])},
    "/api/v1/citizens/{id}/export": {"get": _op(
        "Everything held on the citizen (right of access)", ("200", "Export", "All of it"),
        (401, 403, 404), ID)},
    "/api/v1/audit": {"get": _with_csv(_op(
        "The audit log, newest first (admin); `Accept: text/csv` or `format=csv` for CSV",
        ("200", "AuditLog", "Entries"), (401, 403),
        [query("citizen_id", {"type": "string"}, "Only this citizen"),
         query("format", {"enum": ["json", "csv"]}, "json (default) or csv")]))},
}
