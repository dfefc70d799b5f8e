"""Opening the services a front end needs (the GUI today, the CLI commands later).

One function turns the resolved :class:`~tsbplace.locations.Locations` into ready
services on a migrated store, so no front end ever touches storage directly.
"""

from __future__ import annotations

from tsbplace.cases import CaseService
from tsbplace.content import installed_content
from tsbplace.locations import Locations, ensure_private_dir
from tsbplace.storage import Store, StoreTooNew

__all__ = ["StoreTooNew", "open_case_service"]


def open_case_service(locations: Locations) -> CaseService:
    """The case service on the configured store, migrated to this program's version.

    Raises ContentError for invalid clinical content and StoreTooNew for a database
    written by a newer TSBplace; both leave the store untouched.
    """
    content = installed_content()  # validate content before touching the database
    ensure_private_dir(locations.data_dir)
    store = Store.open(locations.database_url, backup_dir=locations.backup_dir)
    return CaseService(store, content)
