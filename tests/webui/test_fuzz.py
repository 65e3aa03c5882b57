"""Property-based fuzzing of the JSON API from its own OpenAPI document (schemathesis).

Every documented operation gets generated requests, valid and invalid, anonymously and with each
role's token: no answer may be a 5xx, and every answer must match the document (status, content
type, headers, body), and a secured operation must not answer without its token. The seed and
the number of examples are fixed, so a failure repeats; ``BROBYGGER_FUZZ_EXAMPLES`` raises the
count for a longer run.

Left out on purpose: schemathesis's guesses that every schema-valid request is accepted and every
schema-violating one refused. The API is lenient where the contract says so (unknown filter codes
are ignored, an empty ``k`` means the default) and refuses content JSON Schema cannot describe
(an offer's id already taken, control characters, a file whose format cannot be told): a 4xx the
document lists, never a 5xx.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.generation.modes import GenerationMode

from catalogue.settings import Settings
from tests.fixtures import migrated
from tests.webui.conftest import STAFF, add_staff, import_offers, offers
from webui import create_app
from webui.auth.accounts import create_token
from webui.v1.openapi import DOCUMENT

EXAMPLES = int(os.environ.get("BROBYGGER_FUZZ_EXAMPLES", "25"))   # per operation, role and mode
REPORT = os.environ.get("BROBYGGER_FUZZ_REPORT")                   # `make fuzz` writes one
ROLES = ("anonymous", *STAFF)
MINIMUM_REQUESTS = 1_000
SEED = 20261206
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_headers_conformance,
          checks.response_schema_conformance, checks.ignored_auth]
sent: list[int] = []


class Counted:
    """The app's WSGI callable, counting the requests that reach it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        sent.append(1)
        return self.wsgi_app(environ, start_response)


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("fuzz")
    # the index is looked at once a minute: created offers must not start a rebuild per request
    app = create_app(migrated(Settings(instance_dir=Path(instance), index_check_seconds=60)))
    app.config["TESTING"] = True
    import_offers(app, offers(), Path(instance) / "catalogue.jsonl")
    add_staff(app)
    app.wsgi_app = Counted(app.wsgi_app)
    sessions = app.extensions["brobygger"].sessions
    yield app, {role: create_token(sessions, email) for role, email in STAFF.items()}
    app.extensions["brobygger"].engine.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed_app[0])


OPERATIONS = [result.ok().label for result in
              schemathesis.openapi.from_dict(DOCUMENT).get_all_operations()
              if result.ok().path != "/api/v1/openapi.json"]   # schemathesis leaves it out


@pytest.mark.parametrize("mode", list(GenerationMode))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_generated_request_gets_a_5xx_or_an_undocumented_answer(api_schema, fuzzed_app,
                                                                   label, role, mode):
    operation = next(r.ok() for r in api_schema.get_all_operations() if r.ok().label == label)
    token = fuzzed_app[1].get(role)
    bearer = {"Authorization": f"Bearer {token}"} if token else {}

    @given(case=operation.as_strategy(generation_mode=mode))
    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_as_documented(case):
        case.call_and_validate(headers={**(case.headers or {}), **bearer}, checks=CHECKS)

    try:
        answers_as_documented()
    except Unsatisfiable:
        pytest.skip(f"{label} has no parameter that can be made invalid")


def test_the_run_sent_enough_requests():
    """Runs after the fuzzing above (pytest keeps a module's order): the count is the contract's."""
    if not sent:
        pytest.fail("the fuzzing above did not run")
    if REPORT:
        Path(REPORT).write_text(json.dumps({
            "requests": len(sent), "examples_per_operation_role_and_mode": EXAMPLES,
            "operations": OPERATIONS, "roles": list(ROLES), "seed": SEED,
            "checks": [check.__name__ for check in CHECKS]}, indent=2) + "\n", encoding="utf-8")
    assert len(sent) >= MINIMUM_REQUESTS, f"only {len(sent)} requests were generated"
