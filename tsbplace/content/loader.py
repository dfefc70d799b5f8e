"""Load ``rules/``, validate every file against its JSON Schema, cross-check, and build
the typed :class:`~tsbplace.content.model.Content`.

Invalid content is refused whole: the program must not guess at clinical rules. Every
problem names the file, the key path inside it and what is wrong, so the professional
lead who edited a file can find the line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tsbplace.content.codes import CODES_FILE, build_codes, code_problems
from tsbplace.content.derived_facts import derived_fact_entry, derived_fact_problems, replaces_item_fact
from tsbplace.content.domain_checks import domain_problems, duplicates
from tsbplace.content.facts import CatalogueEntry, FactCatalogue, FactProvider, FactSpec, domain_entries
from tsbplace.content.model import (
    USED,
    Content,
    Domain,
    FieldCondition,
    GuidelineArea,
    Item,
    ItemType,
    Level,
    Option,
    RatingAnchor,
    Substance,
    SubstanceBlock,
    SubstanceField,
    Text,
    parse_iso_date,
)
from tsbplace.content.ruleset_checks import (
    OUTPUTS_FILE,
    RULESET_FILE,
    build_outputs,
    build_ruleset,
    output_problems,
    ruleset_problems,
)
from tsbplace.content.validation import (
    ContentError,
    ContentProblem,
    content_hash,
    key_path,
    read_toml,
    schema_problems,
)
from tsbplace.package_data import rules_root

if TYPE_CHECKING:
    from tsbplace.instruments.model import Instrument
    from tsbplace.legal.model import Legal

__all__ = ["ContentError", "ContentProblem", "content_hash", "installed_content", "key_path",
           "load_content", "schema_problems"]

AREAS_FILE = "guideline_areas.toml"
FACTS_FILE = "facts.toml"


_duplicates = duplicates  # kept under its old name for other loaders


def _build_levels(data: Mapping[str, Any]) -> tuple[Level, ...]:
    return tuple(
        Level(
            code=entry["code"],
            order=index,
            name=entry["name"],
            summary=entry["summary"],
            available=entry.get("available", True),
        )
        for index, entry in enumerate(data["level"])
    )


def _value_rules(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of :class:`ValueRules` from one item or field entry."""
    days = {key: parse_iso_date(entry[key]) for key in ("earliest", "latest") if key in entry}
    return {
        "unit": entry.get("unit"),
        "minimum": entry.get("minimum"),
        "maximum": entry.get("maximum"),
        "decimals": entry.get("decimals", False),
        "options": tuple(Option(o["value"], o["label"]) for o in entry.get("options", ())),
        "not_in_future": entry.get("not_in_future", False),
        **days,
    }


def _build_field(entry: Mapping[str, Any]) -> SubstanceField:
    condition = entry.get("relevant_if")
    return SubstanceField(
        id=entry["id"], type=ItemType(entry["type"]), label=entry["label"], help=entry.get("help"),
        required=entry["required"],
        relevant_if=FieldCondition(condition["field"], condition["includes"]) if condition else None,
        **_value_rules(entry),
    )


def _build_substance(entry: Mapping[str, Any], shared: Sequence[SubstanceField]) -> Substance:
    """A substance's own questions: the shared fields it does not omit, its amount after ``used``."""
    amount = _build_field(entry["amount"]) if "amount" in entry else None
    omitted = set(entry.get("omit", ()))
    fields: list[SubstanceField] = []
    for question in shared:
        if question.id not in omitted:
            fields.append(question)
        if question.id == USED and amount is not None:
            fields.append(amount)
    return Substance(entry["id"], entry["label"], tuple(fields), amount.id if amount else None)


def _build_block(entry: Mapping[str, Any]) -> SubstanceBlock:
    shared = tuple(_build_field(f) for f in entry["field"])
    return SubstanceBlock(shared, tuple(_build_substance(s, shared) for s in entry["substance"]))


def _build_item(entry: Mapping[str, Any]) -> Item:
    is_block = entry["type"] == ItemType.SUBSTANCES
    return Item(
        id=entry["id"],
        type=ItemType(entry["type"]),
        required=entry["required"],
        label=entry["label"],
        help=entry.get("help"),
        covers=tuple(entry["covers"]),
        substance_of=entry.get("substance_of"),
        block=_build_block(entry) if is_block else None,
        **_value_rules(entry),
    )


def _build_domain(data: Mapping[str, Any]) -> Domain:
    return Domain(
        id=data["id"],
        title=data["title"],
        help=data["help"],
        source=data["source"],
        items=tuple(_build_item(entry) for entry in data["item"]),
        rating_label=data["rating"]["label"],
        anchors=tuple(
            RatingAnchor(a["value"], a["text"])
            for a in sorted(data["rating"]["anchors"], key=lambda a: a["value"])
        ),
        rating_required=data["rating"]["required"],
        instruments=tuple(data.get("instruments", ())),
    )


def _build_areas(data: Mapping[str, Any]) -> tuple[GuidelineArea, ...]:
    return tuple(GuidelineArea(a["id"], a["name"], a.get("always_assess", False)) for a in data["area"])


def _domain_file_problems(data: Mapping[str, Any], file: str, area_ids: set[str]) -> list[ContentProblem]:
    problems = [ContentProblem(file, key_path(path), message)
                for path, message in domain_problems(data, area_ids)]
    if Path(file).stem != data["id"]:
        problems.append(ContentProblem(file, "id", "must equal the file name without .toml"))
    return problems


def _area_problems(data: Mapping[str, Any], domains: Sequence[Domain]) -> list[ContentProblem]:
    """Duplicate area ids; an area to assess always must have a required item in a domain
    whose rating is required (clinical reference §3: mental and somatic health)."""
    problems = [ContentProblem(AREAS_FILE, "area", f"area id {dup!r} is used twice")
                for dup in duplicates(area["id"] for area in data["area"])]
    for index, area in enumerate(data["area"]):
        assessed = any(d.rating_required and any(i.required and area["id"] in i.covers for i in d.items)
                       for d in domains)
        if area.get("always_assess") and not assessed:
            problems.append(ContentProblem(
                AREAS_FILE, key_path(["area", index, "always_assess"]),
                "no domain with a required rating has a required item covering this area"))
    return problems


def _unique_entries(domains: Sequence[Domain]) -> list[CatalogueEntry]:
    """Every domain's facts; a name seen before (a duplicate id, reported elsewhere) is skipped."""
    seen: set[str] = set()
    entries = []
    for domain in domains:
        for entry in domain_entries(domain):
            if entry.spec.name not in seen:
                seen.add(entry.spec.name)
                entries.append(entry)
    return entries


def _build_catalogue(
    data: Mapping[str, Any], domains: Sequence[Domain], providers: Sequence[FactProvider],
    given_specs: Sequence[FactSpec] = (),
) -> tuple[FactCatalogue, list[ContentProblem]]:
    """Answer facts, then facts whose values are given from outside (instrument scores),
    then the providers' facts, then the derived facts of facts.toml in order."""
    catalogue = FactCatalogue(_unique_entries(domains)).with_specs(given_specs)
    problems = []
    for provider in providers:
        try:
            catalogue = catalogue.with_provider(provider)
        except ValueError as error:
            problems.append(ContentProblem(f"fact provider {type(provider).__name__}", "", str(error)))
    titles: dict[str, Text] = {domain.id: domain.title for domain in domains}
    for index, group in enumerate(data.get("group", ())):
        if group["id"] in titles:
            key = key_path(["group", index, "id"])
            problems.append(ContentProblem(FACTS_FILE, key, f"{group['id']!r} is already a domain or group"))
        titles[group["id"]] = group["title"]
    for index, fact in enumerate(data["fact"]):
        found = derived_fact_problems(fact, catalogue, domains, titles)
        problems += [ContentProblem(FACTS_FILE, key_path(["fact", index, *path]), message)
                     for path, message in found]
        if not found:
            entry = derived_fact_entry(fact, catalogue, domains, titles)
            catalogue = catalogue.with_entries([entry], replace=replaces_item_fact(fact))
    return catalogue, problems


def _instruments(base: Traversable, problems: list[ContentProblem]) -> tuple[Instrument, ...]:
    """The instruments below ``base``; their problems join the others'."""
    # Imported here: the instrument package itself imports tsbplace.content.
    from tsbplace.instruments.loader import load_instruments

    try:
        return load_instruments(base)
    except ContentError as error:
        problems.extend(error.problems)
        return ()


def _legal(base: Traversable, catalogue: FactCatalogue,
           problems: list[ContentProblem]) -> Legal | None:
    """``legal.toml`` checked against this content's facts; its problems join the others."""
    from tsbplace.legal.loader import load_legal  # imports this package, like the instruments

    try:
        return load_legal(base, facts=catalogue)
    except ContentError as error:
        problems.extend(error.problems)
        return None


def _instrument_reference_problems(domains: Sequence[Domain],
                                   instruments: Sequence[Instrument]) -> list[ContentProblem]:
    known = {instrument.id for instrument in instruments}
    return [
        ContentProblem(f"domains/{domain.id}.toml", key_path(["instruments", index]),
                       f"unknown instrument {instrument_id!r}")
        for domain in domains
        for index, instrument_id in enumerate(domain.instruments)
        if instrument_id not in known
    ]


def load_content(
    root: Traversable | Path | None = None, *, fact_providers: Sequence[FactProvider] = ()
) -> Content:
    """Load and validate all content below ``root`` (default: the installed ``rules/``).

    ``fact_providers`` add facts from outside the content (instrument scores) before the
    rules are checked, so rules may read them. Raises :class:`ContentError` listing every
    problem; never returns partial content.
    """
    base: Traversable = rules_root() if root is None else root
    problems: list[ContentProblem] = []
    documents: dict[str, Any] = {}

    def read(node: Traversable, file: str, schema: str) -> dict[str, Any] | None:
        data, read_problems = read_toml(node, file)
        problems.extend(read_problems)
        if data is None:
            return None
        found = schema_problems(data, schema, file)
        problems.extend(found)
        documents[file] = data
        return None if found else data

    levels_data = read(base / "levels.toml", "levels.toml", "levels")
    areas_data = read(base / AREAS_FILE, AREAS_FILE, "guideline-areas")
    domain_nodes = sorted(
        (node for node in (base / "domains").iterdir() if node.name.endswith(".toml")),
        key=lambda node: node.name,
    )
    domain_data = [
        (f"domains/{node.name}", read(node, f"domains/{node.name}", "domain"))
        for node in domain_nodes
    ]
    facts_data = read(base / FACTS_FILE, FACTS_FILE, "facts")
    outputs_data = read(base / OUTPUTS_FILE, OUTPUTS_FILE, "outputs")
    ruleset_data = read(base / RULESET_FILE, RULESET_FILE, "ruleset")
    codes_data = read(base / CODES_FILE, CODES_FILE, "codes")
    if not domain_nodes:
        problems.append(ContentProblem("domains", "", "no domain files found"))
    if (levels_data is None or areas_data is None or facts_data is None or ruleset_data is None
            or outputs_data is None or codes_data is None or any(d is None for _, d in domain_data)):
        _instruments(base, problems)  # their problems too: every mistake in one report
        raise ContentError(problems)

    areas = _build_areas(areas_data)
    area_ids = {area.id for area in areas}
    valid_domains = [(file, data) for file, data in domain_data if data is not None]
    for file, data in valid_domains:
        problems.extend(_domain_file_problems(data, file, area_ids))
    levels = _build_levels(levels_data)
    for dup in duplicates(level.code for level in levels):
        problems.append(ContentProblem("levels.toml", "level", f"level code {dup!r} is used twice"))
    valid_domains.sort(key=lambda pair: (pair[1]["order"], pair[1]["id"]))
    domains = tuple(_build_domain(data) for _, data in valid_domains)
    problems.extend(_area_problems(areas_data, domains))
    from tsbplace.instruments.facts import instrument_fact_specs  # see _instruments

    instruments = _instruments(base, problems)
    problems.extend(_instrument_reference_problems(domains, instruments))
    documents["instruments"] = {i.id: i.content_hash for i in instruments}
    catalogue, fact_problems = _build_catalogue(facts_data, domains, fact_providers,
                                                instrument_fact_specs(instruments))
    problems.extend(fact_problems)
    problems.extend(output_problems(outputs_data))
    outputs, flags = build_outputs(outputs_data)
    problems.extend(ruleset_problems(ruleset_data, {lvl.code for lvl in levels}, catalogue, outputs, flags))
    legal = _legal(base, catalogue, problems)
    problems.extend(code_problems(codes_data))
    if problems:
        raise ContentError(problems)
    ruleset = build_ruleset(ruleset_data, content_hash(documents))
    return Content(levels=levels, domains=domains, ruleset=ruleset, areas=areas, facts=catalogue,
                   instruments=instruments, outputs=outputs, flags=flags, legal=legal,
                   codes=build_codes(codes_data))


@cache
def installed_content() -> Content:
    """The installed content, loaded once per process (it is immutable)."""
    return load_content()
