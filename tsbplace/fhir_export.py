"""One case as a FHIR R4 Bundle (type ``collection``): the patient, the intake form, every
assessment version and the instrument totals, for exchange with a patient record system.

The Bundle holds

* one ``Patient``: the ID number with its Norwegian OID (fødselsnummer, D-nummer or
  H-nummer), the name split into family (last word) and given names, birth date and the
  sex registered in the ID number;
* one ``Questionnaire``: the TSBplace intake as the installed content describes it, one
  group per domain and one item per content item (linkId ``<domain>.<item>``), the
  domain's risk rating as ``<domain>.rating``, a substances item as nested groups
  ``<domain>.<item>.<substance>`` with one item per field
  (``rus.substances.alcohol.days_last_30``);
* one ``QuestionnaireResponse`` per assessment version (``completed`` when signed,
  ``in-progress`` for a draft);
* one ``Observation`` per scored instrument total of each version, coded with LOINC only
  where :data:`LOINC_TOTALS` names a code, always with the TSBplace instrument code.

References inside the Bundle are ``urn:uuid:`` fullUrls made with :func:`uuid.uuid5` from
the case number and the resource, so exporting the same case twice gives the same ids.
See docs/fhir-and-csv.md. The Bundle holds the patient's name and ID number: it is a
case file, not an anonymous export (see :mod:`tsbplace.quality_export` for that).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from tsbplace.assessment_versions import AssessmentRecord
from tsbplace.cases import CaseService, CaseSummary
from tsbplace.content.model import Content, Domain, Item, ItemType, SubstanceField, ValueRules
from tsbplace.i18n import pick
from tsbplace.national_id import compact, legal_sex

__all__ = [
    "BAND_SYSTEM", "D_NUMMER_SYSTEM", "FODSELSNUMMER_SYSTEM", "H_NUMMER_SYSTEM", "INSTRUMENT_SYSTEM",
    "LOINC_SYSTEM", "LOINC_TOTALS", "QUESTIONNAIRE_URL", "fhir_bundle", "identifier_system", "questionnaire",
]

BASE = "https://tsbplace.invalid/fhir"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/intake"
INSTRUMENT_SYSTEM = f"{BASE}/CodeSystem/instrument"  # code: the instrument id + ".total"
BAND_SYSTEM = f"{BASE}/CodeSystem/instrument-band"  # code: <instrument>.<band set>.<severity>
OPTION_SYSTEM = f"{BASE}/CodeSystem/intake"  # + "/<linkId>": the options of one item
ASSESSMENT_SYSTEM = f"{BASE}/NamingSystem/assessment"  # value: <case number>/<revision>
LOINC_SYSTEM = "http://loinc.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM_SYSTEM = "http://unitsofmeasure.org"

FODSELSNUMMER_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.1"
D_NUMMER_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.2"
H_NUMMER_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.3"

# Instrument totals with a LOINC code (code, display). The other instruments (DUDIT,
# CIWA-Ar, COWS, HSCL-10) carry only the TSBplace code. Check against loinc.org before
# production use.
LOINC_TOTALS: Mapping[str, tuple[str, str]] = {
    "phq9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "gad7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
    "audit": ("75624-7", "Total score [AUDIT]"),
    "audit_c": ("75626-2", "Total score [AUDIT-C]"),
}

_GENDER = {"F": "female", "M": "male"}
_SIMPLE_TYPES = {ItemType.YESNO: "boolean", ItemType.DATE: "date", ItemType.TEXT: "text",
                 ItemType.CHOICE: "choice", ItemType.CHOICES: "choice"}


def identifier_system(national_id: str) -> str:
    """The OID of the kind of Norwegian ID number: D-nummer when the first digit is 4 or
    more, H-nummer when the third is, fødselsnummer otherwise."""
    number = compact(national_id)
    if int(number[0]) >= 4:
        return D_NUMMER_SYSTEM
    if int(number[2]) >= 4:
        return H_NUMMER_SYSTEM
    return FODSELSNUMMER_SYSTEM


def _instant(moment: dt.datetime) -> str:
    """A FHIR dateTime with seconds and a time zone (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds")


class _Ids:
    """Stable ``urn:uuid:`` ids for the resources of one case."""

    def __init__(self, case_number: str) -> None:
        self.case_number = case_number

    def uuid(self, resource: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/case/{self.case_number}/{resource}"))

    def url(self, resource: str) -> str:
        return f"urn:uuid:{self.uuid(resource)}"


# --- Patient ------------------------------------------------------------------------------


def _patient(case: CaseSummary, resource_id: str) -> dict[str, Any]:
    words = case.patient_name.split()
    name: dict[str, Any] = {"use": "official", "text": " ".join(words)}
    if words:
        name["family"] = words[-1]
    if len(words) > 1:
        name["given"] = words[:-1]
    number = compact(case.national_id)
    return {
        "resourceType": "Patient",
        "id": resource_id,
        "identifier": [{"use": "official", "system": identifier_system(number), "value": number}],
        "name": [name],
        "gender": _GENDER.get(legal_sex(number), "unknown"),
        "birthDate": case.birth_date.isoformat(),
    }


# --- Questionnaire ------------------------------------------------------------------------


def _option(link_id: str, value: str, label: Mapping[str, str], language: str) -> dict[str, Any]:
    return {"valueCoding": {"system": f"{OPTION_SYSTEM}/{link_id}", "code": value,
                            "display": pick(label, language)}}


def _question(link_id: str, kind: ItemType, rules: ValueRules, label: Mapping[str, str],
              required: bool, language: str) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link_id, "text": pick(label, language)}
    if kind is ItemType.NUMBER:
        item["type"] = "decimal" if rules.decimals else "integer"
    else:
        item["type"] = _SIMPLE_TYPES[kind]
    if required:
        item["required"] = True
    if kind is ItemType.CHOICES:
        item["repeats"] = True
    if rules.options:
        item["answerOption"] = [_option(link_id, o.value, o.label, language) for o in rules.options]
    return item


def _substances_group(domain: Domain, item: Item, language: str) -> dict[str, Any]:
    assert item.block is not None
    link_id = f"{domain.id}.{item.id}"
    groups = []
    for substance in item.block.substances:
        base = f"{link_id}.{substance.id}"
        groups.append({
            "linkId": base, "text": pick(substance.label, language), "type": "group",
            "item": [_question(f"{base}.{f.id}", f.type, f, f.label, f.required, language)
                     for f in substance.fields],
        })
    group: dict[str, Any] = {"linkId": link_id, "text": pick(item.label, language), "type": "group",
                             "item": groups}
    if item.required:
        group["required"] = True
    return group


def _domain_group(domain: Domain, language: str) -> dict[str, Any]:
    items = [
        _substances_group(domain, item, language) if item.block is not None
        else _question(f"{domain.id}.{item.id}", item.type, item, item.label, item.required, language)
        for item in domain.items
    ]
    items.append({
        "linkId": f"{domain.id}.rating", "text": pick(domain.rating_label, language), "type": "choice",
        "required": domain.rating_required,
        "answerOption": [{"valueInteger": anchor.value} for anchor in domain.anchors],
    })
    return {"linkId": domain.id, "text": pick(domain.title, language), "type": "group", "item": items}


def questionnaire(content: Content, resource_id: str, language: str = "nb") -> dict[str, Any]:
    """The intake form of ``content`` as a Questionnaire (labels in ``language``)."""
    return {
        "resourceType": "Questionnaire",
        "id": resource_id,
        "url": QUESTIONNAIRE_URL,
        "version": content.ruleset.version,
        "name": "TSBplaceIntake",
        "title": "TSBplace – kartlegging ved vurdering av henvisning til TSB",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [_domain_group(domain, language) for domain in content.domains],
    }


# --- QuestionnaireResponse ----------------------------------------------------------------


def _answers(kind: ItemType, rules: ValueRules, link_id: str, value: Any,
             labels: Mapping[str, Mapping[str, str]], language: str) -> list[dict[str, Any]]:
    """The FHIR answers for one stored answer (empty when it cannot be mapped)."""
    match kind:
        case ItemType.YESNO if isinstance(value, bool):
            return [{"valueBoolean": value}]
        case ItemType.NUMBER if isinstance(value, int | float) and not isinstance(value, bool):
            if rules.decimals:
                return [{"valueDecimal": float(value)}]
            return [{"valueInteger": int(value)}]
        case ItemType.DATE if isinstance(value, str):
            return [{"valueDate": value}]
        case ItemType.TEXT if isinstance(value, str) and value.strip():
            return [{"valueString": value}]
        case ItemType.CHOICE if isinstance(value, str):
            chosen = [value]
        case ItemType.CHOICES if isinstance(value, list | tuple):
            chosen = [v for v in value if isinstance(v, str)]
        case _:
            return []
    return [{"valueCoding": {"system": f"{OPTION_SYSTEM}/{link_id}", "code": code,
                             "display": pick(labels[code], language) if code in labels else code}}
            for code in chosen]


def _field_answer(link_id: str, question: Item | SubstanceField, value: Any,
                  language: str) -> dict[str, Any] | None:
    labels = {o.value: o.label for o in question.options}
    answers = _answers(question.type, question, link_id, value, labels, language)
    if not answers:
        return None
    return {"linkId": link_id, "text": pick(question.label, language), "answer": answers}


def _substances_answer(domain: Domain, item: Item, value: Any, language: str) -> dict[str, Any] | None:
    assert item.block is not None
    link_id = f"{domain.id}.{item.id}"
    groups = []
    for substance_id, given in item.block.clean(value).items():
        substance = item.block.substance(substance_id)
        base = f"{link_id}.{substance_id}"
        fields = [_field_answer(f"{base}.{f.id}", f, given.get(f.id), language) for f in substance.fields]
        kept = [f for f in fields if f is not None]
        if kept:
            groups.append({"linkId": base, "text": pick(substance.label, language), "item": kept})
    if not groups:
        return None
    return {"linkId": link_id, "text": pick(item.label, language), "item": groups}


def _domain_answers(domain: Domain, given: Mapping[str, Any], language: str) -> dict[str, Any] | None:
    items = []
    for item in domain.items:
        value = given.get(item.id)
        if value is None:
            continue
        if item.block is not None:
            answer = _substances_answer(domain, item, value, language)
        else:
            answer = _field_answer(f"{domain.id}.{item.id}", item, value, language)
        if answer is not None:
            items.append(answer)
    rating = given.get("rating")
    if isinstance(rating, int) and not isinstance(rating, bool):
        items.append({"linkId": f"{domain.id}.rating", "text": pick(domain.rating_label, language),
                      "answer": [{"valueInteger": rating}]})
    if not items:
        return None
    return {"linkId": domain.id, "text": pick(domain.title, language), "item": items}


def _authored(record: AssessmentRecord) -> dt.datetime:
    return record.signed_at if record.signed and record.signed_at is not None else record.updated_at


def _response(content: Content, case: CaseSummary, record: AssessmentRecord, ids: _Ids,
              language: str) -> dict[str, Any]:
    groups = []
    for domain in content.domains:
        group = _domain_answers(domain, record.answers.get(domain.id) or {}, language)
        if group is not None:
            groups.append(group)
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": ids.uuid(f"QuestionnaireResponse/{record.revision}"),
        "identifier": {"system": ASSESSMENT_SYSTEM, "value": f"{case.case_number}/{record.revision}"},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{record.ruleset_version}",
        "status": "completed" if record.signed else "in-progress",
        "subject": {"reference": ids.url("Patient")},
        "authored": _instant(_authored(record)),
    }
    if groups:
        response["item"] = groups
    return response


# --- Observations -------------------------------------------------------------------------


def _quantity(value: float) -> dict[str, Any]:
    return {"valueQuantity": {"value": value, "unit": "score", "system": UCUM_SYSTEM, "code": "{score}"}}


def _total_value(total: Any) -> dict[str, Any] | None:
    """``valueInteger`` for a sum; a ``valueQuantity`` (UCUM ``{score}``) for a mean, stored as
    exact decimal text (R4's Observation has no ``valueDecimal``)."""
    if isinstance(total, bool) or total is None:
        return None
    if isinstance(total, int):
        return {"valueInteger": total}
    if isinstance(total, float):
        return _quantity(total)
    text = str(total)
    try:
        return _quantity(float(Decimal(text)))
    except InvalidOperation:
        pass
    try:
        return _quantity(round(float(Fraction(text)), 4))
    except (ValueError, ZeroDivisionError):
        return None


def _instrument_code(content: Content, instrument_id: str) -> dict[str, Any]:
    try:
        name = content.instrument(instrument_id).short_name
    except KeyError:
        name = instrument_id
    codings = []
    if instrument_id in LOINC_TOTALS:
        code, display = LOINC_TOTALS[instrument_id]
        codings.append({"system": LOINC_SYSTEM, "code": code, "display": display})
    codings.append({"system": INSTRUMENT_SYSTEM, "code": f"{instrument_id}.total",
                    "display": f"{name} total"})
    return {"coding": codings, "text": f"{name} total"}


def _observation(content: Content, record: AssessmentRecord, instrument_id: str, result: Mapping[str, Any],
                 value: dict[str, Any], ids: _Ids, language: str) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": ids.uuid(f"Observation/{record.revision}/{instrument_id}"),
        "status": "final" if record.signed else "preliminary",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}],
        "code": _instrument_code(content, instrument_id),
        "subject": {"reference": ids.url("Patient")},
        "effectiveDateTime": _instant(_authored(record)),
        "derivedFrom": [{"reference": ids.url(f"QuestionnaireResponse/{record.revision}")}],
        **value,
    }
    band = result.get("band")
    band_set = result.get("band_set") or ""
    if isinstance(band, Mapping):
        label = pick(band.get("label") or {}, language) if band.get("label") else ""
        observation["interpretation"] = [{
            "coding": [{"system": BAND_SYSTEM, "code": f"{instrument_id}.{band_set}.{band.get('severity')}",
                        "display": label}],
            "text": label}]
        observation["note"] = [{"text": f"{label} ({band.get('min')}–{band.get('max')}; "
                                        f"terskelsett {band_set})"}]
    elif result.get("band_needs_sex"):
        observation["note"] = [{"text": f"Ingen kategori: terskelsettet {band_set} krever registrert kjønn."}]
    return observation


# --- the Bundle ---------------------------------------------------------------------------


def _entry(ids: _Ids, key: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": ids.url(key), "resource": resource}


def fhir_bundle(service: CaseService, case_id: int, *, exported_at: dt.datetime | None = None,
                language: str = "nb") -> dict[str, Any]:
    """The case as a FHIR R4 Bundle of type ``collection`` (a JSON-ready dict).

    ``exported_at`` is the Bundle's timestamp (default now). Raises
    :class:`tsbplace.cases.CaseNotFound` for an unknown case. Reading is not logged here:
    the caller records the file it writes with ``service.record_issued_document``.
    """
    case = service.get_case(case_id)
    content = service.content
    ids = _Ids(case.case_number)
    entries = [
        _entry(ids, "Patient", _patient(case, ids.uuid("Patient"))),
        _entry(ids, "Questionnaire", questionnaire(content, ids.uuid("Questionnaire"), language)),
    ]
    observations = []
    for record in service.assessment_versions(case_id):
        key = f"QuestionnaireResponse/{record.revision}"
        entries.append(_entry(ids, key, _response(content, case, record, ids, language)))
        for instrument_id, result in sorted(record.instruments.items()):
            value = _total_value(result.get("total"))
            if value is None:
                continue  # not complete: no total to report
            observations.append(_entry(ids, f"Observation/{record.revision}/{instrument_id}",
                                       _observation(content, record, instrument_id, result, value, ids,
                                                    language)))
    return {
        "resourceType": "Bundle",
        "id": ids.uuid("Bundle"),
        "type": "collection",
        "timestamp": _instant(exported_at or dt.datetime.now(dt.UTC)),
        "entry": entries + observations,
    }
