"""Every field of the JSON API, enumerated from its OpenAPI document (body properties, nested
ones too, query and path parameters), gets the payload lists, sent by a role the operation
lets in with a body that is otherwise valid: never a 5xx, JSON only, a refusal is the
contract's error and writes nothing; afterwards every page showing what was stored is inert."""

from __future__ import annotations

import copy
import json
from urllib.parse import quote, urlencode, urlsplit

import pytest

from tests.security.bodies import baselines, json_operations
from tests.security.conftest import EVERYTHING
from tests.security.payloads import Payload, assert_inert, load, pairs
from tests.security.test_payloads_forms import ROLES, html_pages, pages
from tests.security.world import OFFER, attack_app, build_world
from webui import access
from webui.v1.openapi import DOCUMENT

PAYLOADS = load()
PLACEHOLDER = "\u2063PAYLOAD\u2063"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory):
    url = "" if request.param == "sqlite" else \
        request.getfixturevalue("postgres_server").new_database()
    app = attack_app(tmp_path_factory.mktemp("api"), url)
    yield build_world(app)
    app.extensions["brobygger"].engine.dispose()


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def field_paths(schema: dict, prefix: tuple = ()) -> list[tuple]:
    """Paths to every leaf of a body: ("consent", "purpose"), ("network", 0, "name"),
    ("languages", 0)."""
    schema = resolve(schema)
    if "properties" in schema:
        return [path for name, sub in schema["properties"].items()
                for path in field_paths(sub, (*prefix, name))]
    if schema.get("type") == "array" or "array" in (schema.get("type") or ()):
        return field_paths(schema.get("items") or {}, (*prefix, 0))
    for options in ("anyOf", "oneOf"):
        for option in schema.get(options, []):
            if resolve(option).get("properties") or resolve(option).get("type") == "array":
                return field_paths(option, prefix)
    return [prefix]


def put(body: dict, path: tuple, value) -> dict:
    body = copy.deepcopy(body)
    target = body
    for step in path[:-1]:
        if isinstance(step, int):
            while len(target) <= step:
                target.append({} if isinstance(path[path.index(step) + 1], str) else "")
        elif not isinstance(target.get(step), (dict, list)):
            target[step] = [] if isinstance(path[path.index(step) + 1], int) else {}
        target = target[step]
    if isinstance(path[-1], int):
        while len(target) <= path[-1]:
            target.append("")
    target[path[-1]] = value
    return body


def role_for(path: str, method: str) -> str | None:
    adapter = pytest.app_adapter
    endpoint = adapter.match(path.replace("{", "").replace("}", ""), method=method.upper())[0]
    rule = access.RULES[endpoint]
    return None if rule == access.PUBLIC else rule.split("|")[0]


def operations():
    return [(method, path) for path, item in DOCUMENT["paths"].items()
            for method in item if method in ("get", "post", "put", "delete")]


def concrete(path: str, world, value: str | None = None) -> str:
    course = world.team_a
    ids = {"/api/v1/citizens/": course.citizen, "/api/v1/steps/": course.step,
           "/api/v1/referrals/": course.referral, "/api/v1/consents/": course.consent,
           "/api/v1/organizations/": "1", "/api/v1/provider/": course.provider_path[3:]}
    own = next((v for prefix, v in ids.items() if path.startswith(prefix)), OFFER)
    return path.replace("{id}", value if value is not None else own).replace(
        "{token}", value if value is not None else own)


def raw(payload: Payload) -> bytes:
    return payload.value if isinstance(payload.value, bytes) else payload.value.encode()


class Attacker:
    def __init__(self, world):
        self.world = world
        self.client = world.app.test_client()
        pytest.app_adapter = world.app.url_map.bind("localhost")

    def send(self, method: str, template: str, url: str, body: bytes | None = None):
        role = role_for(template, method)
        headers = dict(self.world.headers[role]) if role else {}
        if template == "/api/v1/offers/{id}" and method == "put":
            etag = self.client.get(url).headers.get("ETag")
            headers["If-Match"] = etag or '"1"'
        if body is not None:
            headers["Content-Type"] = "application/json"
        return self.client.open(url, method=method.upper(), headers=headers, data=body)

    def check(self, response, payload: Payload, where: str, before: dict) -> None:
        assert_inert(response, [payload], where)
        if 300 <= response.status_code < 400:      # Werkzeug's merging of "//" in a path
            assert urlsplit(response.headers["Location"]).netloc in ("", "localhost"), where
            return
        assert response.mimetype == "application/json" or response.status_code == 413, where
        if 400 <= response.status_code < 500:
            assert response.status_code == 413 or set(response.get_json()["error"]) >= {
                "da", "en", "field"}, where
            assert self.world.row_counts() == before, where


def json_body(body: dict, path: tuple, payload: Payload) -> bytes:
    """``body`` with ``payload`` at ``path``; invalid UTF-8 goes in as raw bytes."""
    if isinstance(payload.value, str):
        return json.dumps(put(body, path, payload.value), ensure_ascii=False).encode()
    text = json.dumps(put(body, path, PLACEHOLDER), ensure_ascii=False).encode()
    return text.replace(PLACEHOLDER.encode(), payload.value)


def test_every_json_operation_has_a_baseline(world):
    assert set(json_operations()) <= set(baselines(world.team_a))


def test_every_body_field_query_and_path_parameter_leaves_every_payload_inert(world,
                                                                              payload_report):
    attacker, bodies = Attacker(world), baselines(world.team_a)
    for method, template in operations():
        operation = DOCUMENT["paths"][template][method]
        url = concrete(template, world)
        if (method, template) in bodies:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            for payload, path in pairs(PAYLOADS, field_paths(schema), EVERYTHING):
                before = world.row_counts()
                response = attacker.send(method, template, url,
                                         json_body(bodies[(method, template)], path, payload))
                attacker.check(response, payload, f"{method} {template} {path} "
                                                  f"{payload.value!r:.50}", before)
                payload_report["api_body"] += 1
        names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        body = json.dumps(bodies[(method, template)]).encode() if (method, template) in bodies \
            else None
        for payload, name in pairs(PAYLOADS, names, EVERYTHING) if names else []:
            before = world.row_counts()
            query = urlencode({name: raw(payload)})
            response = attacker.send(method, template, f"{url}?{query}", body)
            attacker.check(response, payload, f"{method} {template}?{name}=", before)
            payload_report["api_query"] += 1
        if "{" in template:
            for payload in PAYLOADS:
                before = world.row_counts()
                bad = concrete(template, world, quote(raw(payload), safe=""))
                response = attacker.send(method, template, bad, body)
                attacker.check(response, payload, f"{method} {bad:.80}", before)
                payload_report["api_path"] += 1


def test_afterwards_every_page_shows_what_the_api_stored_inert(world):
    for role in ROLES:
        client = world.session_client(role)
        for path, response in html_pages(client, pages(world, role)):
            assert_inert(response, PAYLOADS, f"{role} GET {path}")
