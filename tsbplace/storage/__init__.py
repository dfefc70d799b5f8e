"""Persistence: tables, migrations and the store. Only services use this package."""

from tsbplace.storage.migrate import StoreTooNew
from tsbplace.storage.store import Store

__all__ = ["Store", "StoreTooNew"]
