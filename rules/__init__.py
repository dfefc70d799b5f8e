"""Clinical content of TSBplace as data (installed as ``tsbplace.rules``).

Levels, domains, items, rating anchors and rules live here as TOML files, each entry
with an id, our own wording and a source. Python never holds clinical cut-offs.
"""
