"""Pieces shared by the OpenAPI document's parts (``openapi.py``, ``openapi_course.py``)."""

from __future__ import annotations

STRINGS = {"type": "array", "items": {"type": "string"}}
NULLABLE_STRING = {"type": ["string", "null"]}
BEARER = [{"bearer": []}]
ERROR_TEXTS = {400: "Malformed request", 401: "No or bad credentials", 403: "Not your role",
               404: "Unknown offer", 409: "Conflict (id in several sources, id taken, state, or "
               "too many offers would end)", 412: "Stale version: nothing was written",
               422: "Invalid content; `field` names the first invalid field",
               428: "If-Match is missing"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_answer(schema: str, description: str, headers: dict | None = None) -> dict:
    out = {"description": description, "content": {"application/json": {"schema": ref(schema)}}}
    if headers:
        out["headers"] = headers
    return out


def errors(*codes: int, texts: dict[int, str] | None = None) -> dict:
    texts = {**ERROR_TEXTS, **(texts or {})}
    schemas = {412: "StaleVersion", 422: "InvalidContent"}
    return {str(code): json_answer(schemas.get(code, "Error"), texts[code]) for code in codes}


def query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}
