"""Alembic environment: runs migrations on the engine handed over by ``catalogue.db``."""

from alembic import context
from sqlalchemy import create_engine

from catalogue.models import Base
import webui.auth.models  # noqa: F401  (staff accounts share the one history)
import casework.models  # noqa: F401  (citizen data: its own tables, the same history)

config = context.config
engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
