"""Alembic migrations of the TSBplace store (run through ``tsbplace.storage.migrate``)."""
