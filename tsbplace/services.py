"""Opening the services a front end needs (the GUI today, the CLI commands later).

One function turns the resolved :class:`~tsbplace.locations.Locations` into ready
services on a migrated store, so no front end ever touches storage directly.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from tsbplace.cases import CaseService
from tsbplace.content import installed_content
from tsbplace.locations import Locations, ensure_private_dir
from tsbplace.storage import Store, StoreTooNew

__all__ = ["StoreTooNew", "StoreUnavailable", "open_case_service", "open_store"]


class StoreUnavailable(RuntimeError):
    """The database could not be opened (unreadable, locked, damaged, server down).

    ``reason`` is the driver's own short message: no patient data, fit for a person.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def open_store(locations: Locations) -> Store:
    """The configured store, migrated to this program's version.

    Raises StoreTooNew for a database written by a newer TSBplace and StoreUnavailable
    when the database cannot be opened; neither changes the store.
    """
    ensure_private_dir(locations.data_dir)
    try:
        return Store.open(locations.database_url, backup_dir=locations.backup_dir)
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise StoreUnavailable(str(reason).splitlines()[0]) from error


def open_case_service(locations: Locations) -> CaseService:
    """The case service on the configured store, migrated to this program's version.

    Raises ContentError for invalid clinical content, StoreTooNew for a database
    written by a newer TSBplace and StoreUnavailable when the database cannot be
    opened; none of them changes the store.
    """
    content = installed_content()  # validate content before touching the database
    return CaseService(open_store(locations), content)
