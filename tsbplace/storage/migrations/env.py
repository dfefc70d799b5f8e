"""Alembic environment. The program passes an open connection in
``config.attributes["connection"]``; the ``alembic`` command line (for developers
writing a new revision) builds one from ``sqlalchemy.url`` instead."""

from alembic import context
from sqlalchemy import Connection, create_engine

from tsbplace.storage.models import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("set sqlalchemy.url (alembic -x or alembic.ini) to run migrations by hand")
    with create_engine(url).connect() as connection:
        run(connection)
