"""The account tables come from the one Alembic history; the lockout rule as a table of cases."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from catalogue.models import Base
from webui.auth.accounts import LockoutPolicy, locked_until
from webui.auth.models import LoginFailure

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
POLICY = LockoutPolicy(max_failures=3, lockout=timedelta(minutes=15))


def test_migrations_create_exactly_the_account_tables_of_the_models(sqlite_sessions):
    engine = sqlite_sessions.kw["bind"]
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    assert {"team", "account", "api_token", "login_failure"} <= set(Base.metadata.tables)


@pytest.mark.parametrize("failures_at_minutes, now_minutes, locked", [
    ([0, 1], 2, None),                      # too few
    ([0, 1, 2], 3, 17),                     # locked 15 minutes after the last failure
    ([0, 1, 2], 17, None),                  # and lifted then
    ([0, 10, 20], 21, None),                # spread over more than the lockout time
    ([0, 5, 10, 15], 16, 30),               # the newest three count
])
def test_lockout_rule(sqlite_sessions, failures_at_minutes, now_minutes, locked):
    with sqlite_sessions.begin() as session:
        session.add_all(LoginFailure(email="a@b.dk", at=T0 + timedelta(minutes=m))
                        for m in failures_at_minutes)
    with sqlite_sessions() as session:
        until = locked_until(session, "a@b.dk", T0 + timedelta(minutes=now_minutes), POLICY)
    assert until == (None if locked is None else T0 + timedelta(minutes=locked))
