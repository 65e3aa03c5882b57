"""The OpenAPI 3.1 document of ``/api/v1``, served at ``/api/v1/openapi.json``.

Written by hand as data, next to the routes it describes; ``tests/webui/test_openapi.py`` checks
it against the URL map and validates real answers against its schemas.
"""

from __future__ import annotations

from flask import jsonify

from catalogue.access import ACCESS_CODES
from catalogue.quality import QUALITY_FIELDS
from catalogue.records import KINDS, STATUSES
from catalogue.states import STATES
from matcher.suggestions import REASON_CODES
from webui.v1 import bp
from webui.v1.openapi_course import COURSE_PATHS, COURSE_SCHEMAS
from webui.v1.openapi_loop import LOOP_PATHS, LOOP_SCHEMAS
from webui.v1.openapi_parts import BEARER, NULLABLE_STRING, STRINGS
from webui.v1.openapi_parts import errors as _errors
from webui.v1.openapi_parts import json_answer as _json
from webui.v1.openapi_parts import query as _query
from webui.v1.openapi_parts import ref as _ref


ETAG = {"ETag": {"description": "The offer's version, quoted (send it back in If-Match)",
                 "schema": {"type": "string"}}}
ID_PARAMETER = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                "description": "The catalogue id when only one source uses it, else `source:id` "
                               "(each offer's `ref` says which). Ids may contain `/`."}
IF_MATCH = {"name": "If-Match", "in": "header", "schema": {"type": "string"},
            "description": "The version (ETag) the change starts from, e.g. `\"3\"`."}

RECORD_PROPERTIES = {
    "id": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"},
    "kind": {"enum": list(KINDS)}, "provider": {"type": "string"}, "categories": STRINGS,
    "target_groups": STRINGS, "min_age": {"type": ["integer", "null"]},
    "max_age": {"type": ["integer", "null"]}, "municipalities": STRINGS,
    "requires_referral": {"type": ["boolean", "null"]}, "legal_basis": NULLABLE_STRING,
    "cost": {"type": "string"}, "address": {"type": "string"}, "postcode": {"type": "string"},
    "lat": {"type": ["number", "null"]}, "lon": {"type": ["number", "null"]},
    "schedule": {"type": "string"}, "languages": STRINGS, "accessibility": STRINGS,
    "valid_to": {"type": ["string", "null"], "format": "date"}, "contact": {"type": "string"},
    "roles": STRINGS, "low_threshold": STRINGS,
    "capacity": {"enum": ["open", "waitlist", "full", None]},
    "assured_date": {"type": ["string", "null"], "format": "date"},
    "status": {"enum": list(STATUSES)},
}
ACCESS = {"type": "object", "required": ["code", "da", "en", "legal_basis"],
          "description": "Who decides whether the citizen may come, and how to ask "
                         "(catalogue/access.py)",
          "properties": {"code": {"enum": list(ACCESS_CODES)}, "da": {"type": "string"},
                         "en": {"type": "string"}, "text": {"type": "string"},
                         "legal_basis": NULLABLE_STRING}}
PROBLEM = {"type": "object", "required": ["line", "field", "da", "en"],
           "properties": {"line": {"type": ["integer", "null"]}, "field": NULLABLE_STRING,
                          "da": {"type": "string"}, "en": {"type": "string"}}}
COUNTS = {name: {"type": "integer", "minimum": 0}
          for name in ("created", "updated", "unchanged", "ended")}

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["da", "en", "field"],
                                 "properties": {"da": {"type": "string"}, "en": {"type": "string"},
                                                "field": NULLABLE_STRING}}}},
    "InvalidContent": {"allOf": [_ref("Error"), {"type": "object", "properties": {
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": NULLABLE_STRING, "da": {"type": "string"}, "en": {"type": "string"}}}}}}]},
    "StaleVersion": {"allOf": [_ref("Error"), {
        "type": "object", "required": ["current", "current_version", "differences"],
        "properties": {"current": _ref("Offer"), "current_version": {"type": "integer"},
                       "differences": {"type": "array", "items": {
                           "type": "object", "required": ["field", "yours", "current"],
                           "properties": {"field": {"type": "string"}, "yours": {},
                                          "current": {}}}}}}]},
    "OfferInput": {
        "type": "object", "required": ["id", "name", "description", "kind"],
        "description": "An interchange record (shared/interchange.md); on create, `source` "
                       "(default `api`) says whose id it is. Extra fields are ignored.",
        "properties": {**RECORD_PROPERTIES, "source": {"type": "string"}}},
    "Offer": {
        "type": "object",
        "required": ["id", "name", "description", "kind", "status", "source", "ref", "state",
                     "quality", "version", "url"],
        "properties": {
            **RECORD_PROPERTIES, "source": {"type": "string"},
            "ref": {"type": "string", "description": "What to write as `{id}` in this API"},
            "state": {"enum": list(STATES), "description":
                      "ended > paused > expired (valid_to passed) > expiring (valid_to within 30 "
                      "days) > stale (assured_date missing or older than the stale limit) > active"},
            "quality": {"type": "number", "minimum": 0, "maximum": 1, "description":
                        "The listing's quality score: the share of these fields that are "
                        "filled (" + ", ".join(QUALITY_FIELDS) + "), less the weight of each "
                        "finding of the listing-quality check (catalogue/quality.py)"},
            "access": ACCESS,
            "version": {"type": "integer", "minimum": 1},
            "updated_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string"}}},
    "OfferList": {
        "type": "object", "required": ["total", "matched", "page", "pages", "filters", "offers"],
        "properties": {"total": {"type": "integer"}, "matched": {"type": "integer"},
                       "page": {"type": "integer"}, "pages": {"type": "integer"},
                       "filters": {"type": "object"},
                       "offers": {"type": "array", "items": _ref("Offer")}}},
    "History": {
        "type": "object", "required": ["ref", "version", "changes"],
        "properties": {"ref": {"type": "string"}, "version": {"type": "integer"},
                       "changes": {"type": "array", "items": {
                           "type": "object",
                           "required": ["at", "who", "action", "field", "old", "new", "version"],
                           "properties": {
                               "at": {"type": "string", "format": "date-time"},
                               "who": {"type": "string", "description":
                                       "A staff e-mail, or import:SOURCE"},
                               "account_id": {"type": ["integer", "null"]},
                               "action": {"enum": ["create", "update", "pause", "end", "restore",
                                                   "verify", "import", "provider_confirm",
                                                   "provider_report"]},
                               "field": {**NULLABLE_STRING, "description":
                                         "null when the offer was created (new = whole record); "
                                         "for `provider_report` the part the provider said is "
                                         "wrong (new = the provider's words; nothing changed)"},
                               "old": {}, "new": {}, "version": {"type": "integer"}}}}}},
    "SearchResult": {
        "type": "object",
        "required": ["id", "name", "kind", "group", "score", "why", "access", "capacity",
                     "bridges", "town"],
        "properties": {
            "id": {"type": "string"}, "source": {"type": "string"}, "name": {"type": "string"},
            "kind": {"enum": list(KINDS)},
            "group": {"enum": ["proevehandling", "network", "service"]},
            "score": {"type": "number"},
            "why": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["code", "values", "text"],
                "description": "A reason as a code with values (the citizen's words, "
                               "vocabulary keys, theme codes), worded in `lang`",
                "properties": {"code": {"enum": list(REASON_CODES)}, "values": STRINGS,
                               "text": {"type": "string"}}}},
            "access": ACCESS,
            "capacity": {"enum": ["open", "waitlist", "full", None]},
            "bridges": {**STRINGS, "description":
                        "All the offer's low_threshold codes, those answering the citizen's "
                        "barriers first (why names each answering bridge in words)"},
            "town": NULLABLE_STRING,
            "distance_km": {"type": ["number", "null"], "description":
                            "From the citizen's postcode, when the catalogue places it"}}},
    "SearchResponse": {
        "type": "object", "required": ["results", "understood"],
        "properties": {"results": {"type": "array", "items": _ref("SearchResult")},
                       "understood": {"type": "object",
                                      "required": ["needs", "interests", "barriers"],
                                      "properties": {"needs": STRINGS, "interests": STRINGS,
                                                     "barriers": STRINGS}}}},
    "ImportReport": {
        "type": "object", "required": ["dry_run", *COUNTS, "warnings", "errors"],
        "properties": {"dry_run": {"type": "boolean"}, **COUNTS,
                       "warnings": {"type": "array", "items": PROBLEM},
                       "errors": {"type": "array", "items": PROBLEM}}},
    "ImportRejected": {"allOf": [_ref("Error"), _ref("ImportReport")]},
    "TooManyEnded": {"allOf": [_ref("Error"), {
        "type": "object", "required": ["would_end", "offers_in_source"],
        "properties": {"would_end": {"type": "integer"},
                       "offers_in_source": {"type": "integer"}}}]},
}


def _status_change(summary: str) -> dict:
    return {"post": {"summary": summary, "security": BEARER, "parameters": [ID_PARAMETER, IF_MATCH],
                     "responses": {"200": _json("Offer", "The changed offer", ETAG),
                                   **_errors(400, 401, 403, 404, 409, 412)}}}


FLAG = {"enum": ["true", "false"]}
PATHS = {
    "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {
        "200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}}},
    "/api/v1/search": {"get": {
        "summary": "Suggestions for a citizen's own words (public; nothing is stored)",
        "parameters": [
            _query("q", {"type": "string", "maxLength": 2000}, "The citizen's words", True),
            _query("age", {"type": "integer", "minimum": 16, "maximum": 120}, "Age"),
            _query("municipality", {"type": "string"}, "Municipality of residence"),
            _query("postcode", {"type": "string", "pattern": "^[0-9]{4}$"}, "Postcode"),
            _query("has_referral", FLAG, "The citizen holds a visitation decision"),
            _query("languages", {"type": "string"}, "Two-letter codes, comma-separated"),
            _query("barriers", {"type": "string"},
                   "Barrier codes, comma-separated (angst, ingen_ledsager, sprog, oekonomi, "
                   "transport, anonym, tid, trapper, laesning): offers whose bridges answer "
                   "them rank higher"),
            _query("k", {"type": "integer", "minimum": 1, "maximum": 50}, "How many (10)"),
            _query("lang", {"enum": ["da", "en"]}, "Language of the texts (da)")],
        "responses": {"200": _json("SearchResponse", "Eligible offers in rank order"),
                      **_errors(400)}}},
    "/api/v1/offers": {
        "get": {"summary": "The catalogue, filtered, 25 a page (public)", "parameters": [
            _query("q", {"type": "string"}, "Words in name or description"),
            _query("kind", {"enum": list(KINDS)}, "Kind (unknown codes are ignored)"),
            _query("municipality", {"type": "string"}, "Open to this municipality's residents"),
            _query("target_group", {"type": "string"}, "Target group code"),
            _query("state", {"enum": list(STATES)}, "State (`status` is the same)"),
            _query("status", {"enum": list(STATES)}, "Same as `state`"),
            _query("page", {"type": "integer", "minimum": 1}, "Page (1)")],
            "responses": {"200": _json("OfferList", "One page of offers")}},
        "post": {"summary": "Create one offer (coordinator)", "security": BEARER,
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": _ref("OfferInput")}}},
                 "responses": {"201": _json("Offer", "Created", {
                     **ETAG, "Location": {"description": "The new offer's URL",
                                          "schema": {"type": "string"}}}),
                               **_errors(400, 401, 403, 409, 422)}}},
    "/api/v1/offers/{id}": {
        "get": {"summary": "One offer (public)", "parameters": [ID_PARAMETER],
                "responses": {"200": _json("Offer", "The offer", ETAG), **_errors(404, 409)}},
        "put": {"summary": "Replace one offer's record (coordinator); a left-out status is kept",
                "security": BEARER, "parameters": [ID_PARAMETER, {**IF_MATCH, "required": True}],
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": _ref("OfferInput")}}},
                "responses": {"200": _json("Offer", "The changed offer", ETAG),
                              **_errors(400, 401, 403, 404, 409, 412, 422, 428)}}},
    "/api/v1/offers/{id}/history": {"get": {
        "summary": "Every change of the offer, oldest first (coordinator)", "security": BEARER,
        "parameters": [ID_PARAMETER],
        "responses": {"200": _json("History", "The changes"), **_errors(401, 403, 404, 409)}}},
    "/api/v1/offers/{id}/verify": {"post": {
        "summary": "Confirm the offer is true: assured_date = today (coordinator)",
        "security": BEARER, "parameters": [ID_PARAMETER, IF_MATCH],
        "responses": {"200": _json("Offer", "The verified offer", ETAG),
                      **_errors(400, 401, 403, 404, 409, 412)}}},
    "/api/v1/offers/{id}/pause": _status_change("Pause an active offer (coordinator)"),
    "/api/v1/offers/{id}/end": _status_change("End an offer (coordinator)"),
    "/api/v1/offers/{id}/restore": _status_change(
        "Make an ended or paused offer active again (coordinator)"),
    "/api/v1/imports": {"post": {
        "summary": "Import one catalogue file, all or nothing (coordinator)",
        "security": BEARER,
        "parameters": [
            _query("dry_run", FLAG, "Only say what would happen (false)"),
            _query("source", {"type": "string"}, "Whose ids these are (default)"),
            _query("format", {"enum": ["auto", "jsonl", "csv", "xlsx", "hsds"]},
                   "File format (auto: from the file name)"),
            _query("full", FLAG, "End the source's offers missing from the file (false)"),
            _query("confirm", FLAG, "Allow a full import to end more than a tenth of the "
                   "source's offers (false: 409)"),
            _query("default_kind", {"enum": list(KINDS)}, "Kind where the file has none")],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "contentMediaType":
                                    "application/octet-stream"}}}}}},
        "responses": {"200": _json("ImportReport", "What the import did or would do"),
                      "409": _json("TooManyEnded", "Would end more than a tenth; nothing written"),
                      "422": _json("ImportRejected", "The file has errors; nothing written"),
                      **_errors(400, 401, 403)}}},
}

def refusable(paths: dict) -> dict:
    """``paths`` with a 400 on every operation: a NUL anywhere in a request is refused before any
    route runs (``webui.security.refuse_nul``), whatever the operation."""
    for operations in paths.values():
        for operation in operations.values():
            operation["responses"].setdefault("400", _errors(400)["400"])
    return paths


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Brobygger API", "version": "1",
             "description": "Danish social-support offers: search and catalogue; the citizen's "
                            "course for guides (own team only). Errors are "
                            "`{\"error\": {\"da\", \"en\", \"field\"}}`; texts Danish first. "
                            "An offer's `{id}` is its catalogue id, or `source:id` when several "
                            "sources use that id."},
    "servers": [{"url": "/"}],
    "paths": refusable({**PATHS, **COURSE_PATHS, **LOOP_PATHS}),
    "components": {"schemas": {**SCHEMAS, **COURSE_SCHEMAS, **LOOP_SCHEMAS}, "securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "A staff token from `brobygger create-token EMAIL`"}}},
}


@bp.get("/openapi.json")
def openapi():
    return jsonify(DOCUMENT)
