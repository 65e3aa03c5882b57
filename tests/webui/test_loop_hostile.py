"""Whatever a stranger sends to the token links, the contacts or the dashboard, the answer is a
4xx or a 2xx, never a 5xx (hypothesis, fixed seed): the token paths are public."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tests.webui.conftest import STAFF, add_staff, make_app
from tests.webui.test_links import _referral, _step
from webui.auth.accounts import create_token

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
FIELDS = st.fixed_dictionaries({}, optional={
    "action": st.sampled_from(["accept", "propose", "decline", "x"]) | JSON,
    "time": st.text(max_size=40) | JSON, "reason": st.sampled_from(["full", "?"]) | JSON,
    "note": st.text(max_size=50) | JSON, "happened": JSON, "feeling": JSON, "again": JSON,
    "contact_email": st.text(max_size=40) | JSON})
NO_SHRINK = settings(max_examples=60, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("hostile"))
    add_staff(app)
    sessions = app.extensions["brobygger"].sessions
    heads = {role: {"Authorization": "Bearer " + create_token(sessions, email)}
             for role, email in STAFF.items()}
    yield app, heads
    app.extensions["brobygger"].engine.dispose()


@seed(21)
@NO_SHRINK
@given(body=FIELDS | JSON, token=st.text(max_size=60))
def test_the_public_paths_never_answer_5xx(hostile, body, token):
    """A fresh referral and step each time, so that the answers reach the rules, not a used link."""
    app, heads = hostile
    client = app.test_client()
    _, _, provider = _referral(client, heads["guide"])
    step, _ = _step(client, heads["guide"], date.today())
    answers = [
        client.post("/api/v1/provider/" + provider.removeprefix("/p/"), json=body),
        client.post("/api/v1/provider/" + token.replace("/", "_"), json=body),
        client.get("/api/v1/provider/" + token.replace("/", "_")),
        client.post(f"/api/v1/steps/{step}/checkin", json=body, headers=heads["guide"]),
        client.put("/api/v1/organizations/1/contact", json=body, headers=heads["coordinator"]),
        client.get("/api/v1/dashboard/coverage", query_string={"municipality": token},
                   headers={**heads["admin"], "Accept": "text/csv"}),
    ]
    assert all(a.status_code < 500 for a in answers), [a.status_code for a in answers]
