"""Alembic environment. The program passes an open connection in
``config.attributes["connection"]``; the ``alembic`` command line (CI's ``alembic check``,
developers writing a new revision) builds one from ``-x url=...`` or ``sqlalchemy.url``::

    alembic -c alembic.ini -x url=sqlite:///path/to/store.sqlite3 check
"""

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
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database: alembic -c alembic.ini -x url=<database URL> <command>")
    with create_engine(url).connect() as connection:
        run(connection)
