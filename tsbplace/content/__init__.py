"""Clinical content: load, validate and read what ``rules/`` holds.

Public API::

    from tsbplace.content import load_content, installed_content, ContentError
"""

from tsbplace.content.loader import ContentError, ContentProblem, installed_content, load_content
from tsbplace.content.model import Content, Domain, Item, ItemType, Level, Rule, Ruleset

__all__ = [
    "Content",
    "ContentError",
    "ContentProblem",
    "Domain",
    "Item",
    "ItemType",
    "Level",
    "Rule",
    "Ruleset",
    "installed_content",
    "load_content",
]
