"""Clinical content: load, validate and read what ``rules/`` holds.

Public API::

    from tsbplace.content import load_content, installed_content, ContentError
    from tsbplace.content import FactCatalogue, FactContext, FactSpec, FactProvider
"""

from tsbplace.content.facts import FactCatalogue, FactContext, FactProvider, FactSpec, FactType
from tsbplace.content.loader import ContentError, ContentProblem, installed_content, load_content
from tsbplace.content.model import (
    Content,
    Domain,
    GuidelineArea,
    Item,
    ItemType,
    Level,
    Rule,
    Ruleset,
    Substance,
    SubstanceBlock,
    SubstanceField,
)

__all__ = [
    "Content",
    "ContentError",
    "ContentProblem",
    "Domain",
    "FactCatalogue",
    "FactContext",
    "FactProvider",
    "FactSpec",
    "FactType",
    "GuidelineArea",
    "Item",
    "ItemType",
    "Level",
    "Rule",
    "Ruleset",
    "Substance",
    "SubstanceBlock",
    "SubstanceField",
    "installed_content",
    "load_content",
]
