"""Alembic environment: runs migrations on the engine handed over by ``catalogue.db``.

Every package that owns tables declares them on ``catalogue.models.Base``; importing its models
module by name puts them in the one metadata and the one history, so the catalogue depends on
no other package. A package with tables of its own (``casework.models`` next) adds one line to
``TABLE_MODULES``.
"""

from importlib import import_module

from alembic import context
from sqlalchemy import create_engine

from catalogue.models import Base

TABLE_MODULES = (
    "catalogue.models",
    "catalogue.search_terms",  # anonymous counts of search terms that found nothing good
    "webui.auth.models",      # staff accounts, tokens, failed logins
    "casework.models",        # citizens' data: its own tables, the same history
)

for name in TABLE_MODULES:
    import_module(name)

config = context.config
engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
