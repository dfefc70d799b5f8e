"""``tsbplace assess FILE``: check a case file and print the explained assessment.

The file is read with :func:`tsbplace.case_file.read_case_file` (every problem with its
JSON path, exit 2, nothing computed) and assessed with
:func:`tsbplace.assessment.assess_case`, the same facts and engine as the GUI. The text
report is a list of sections, each a small function of the assessment; a new part of
the engine's result gets its own section in :data:`SECTIONS`. Never prints a name or an
identity number: the format has no name, and the number is dropped after its check.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from tsbplace.assessment import CaseAssessment, assess_case
from tsbplace.case_file import CaseFileError, read_case_file
from tsbplace.content import installed_content
from tsbplace.content.model import Content
from tsbplace.engine import MissingFact
from tsbplace.i18n import pick, tr
from tsbplace.instruments.scoring import exact_json

EXIT_OK, EXIT_INVALID = 0, 2
INDENT = "  "

Section = Callable[[Content, CaseAssessment], list[str]]


def date_text(day: dt.date | str | None) -> str:
    """``dd.mm.yyyy`` for a date or an ISO date string."""
    if day is None:
        return "–"
    return (dt.date.fromisoformat(day) if isinstance(day, str) else day).strftime("%d.%m.%Y")


def _sex(code: str) -> str:
    return tr("cli.assess.sex_f") if code == "F" else tr("cli.assess.sex_m")


def source_name(source: str) -> str:
    names = {
        "fastlege": tr("case_file.source.fastlege"),
        "nav": tr("case_file.source.nav"),
        "kommunal": tr("case_file.source.kommunal"),
        "dps": tr("case_file.source.dps"),
        "somatikk": tr("case_file.source.somatikk"),
        "selvhenvist": tr("case_file.source.selvhenvist"),
        "annet": tr("case_file.source.annet"),
    }
    return names.get(source, source)


def _patient(content: Content, result: CaseAssessment) -> list[str]:
    case = result.case
    lines = [tr("cli.assess.patient", age=case.age(), sex=_sex(case.sex),
                received=date_text(case.received), assessed=date_text(case.assessment_date))]
    if case.source is not None:
        lines.append(tr("cli.assess.source", source=source_name(case.source)))
    if case.lar_referral:
        lines.append(tr("cli.assess.lar_referral"))
    return lines


def _level(content: Content, result: CaseAssessment) -> list[str]:
    level = content.level(result.suggestion.level)
    return ["", tr("cli.assess.level", level=level.label()), INDENT + pick(level.summary)]


def _reasons(content: Content, result: CaseAssessment) -> list[str]:
    """The rules that set a minimum level, highest first."""
    level_rules = [rule for rule in result.suggestion.fired if rule.minimum_level is not None]
    if not level_rules:
        return ["", tr("cli.assess.reasons"), INDENT + tr("cli.assess.no_rule")]
    return ["", tr("cli.assess.reasons")] + [
        INDENT + tr("cli.assess.rule", rule=rule.rule_id, level=rule.minimum_level,
                    because=pick(rule.because))
        for rule in level_rules
    ]


def lower_level(content: Content, code: str) -> str | None:
    """The code of the level just below ``code`` on the ladder, if there is one."""
    ladder = sorted(content.levels, key=lambda level: level.order)
    index = [level.code for level in ladder].index(code)
    return ladder[index - 1].code if index > 0 else None


def _why_not_lower(content: Content, result: CaseAssessment) -> list[str]:
    lower = lower_level(content, result.suggestion.level)
    if lower is None or not result.suggestion.why_not_lower:
        return []
    return ["", tr("cli.assess.why_not_lower", lower=content.level(lower).label())] + [
        INDENT + tr("cli.assess.blocked_by", rule=rule.rule_id, level=rule.minimum_level)
        for rule in result.suggestion.why_not_lower
    ]


def _domain_minimums(content: Content, result: CaseAssessment) -> list[str]:
    minimums = result.suggestion.domain_minimums
    if not minimums:
        return []
    return ["", tr("cli.assess.domain_minimums")] + [
        INDENT + tr("cli.assess.domain_minimum", domain=pick(content.domain(m.domain).title),
                    level=m.level, rules=", ".join(m.rule_ids))
        for m in minimums
    ]


def _outputs(content: Content, result: CaseAssessment) -> list[str]:
    """The separate outputs beside the level (withdrawal management, LAR, ROP, integration)."""
    outputs = result.suggestion.outputs
    if not outputs:
        return []
    lines = ["", tr("cli.assess.outputs")]
    for output in outputs:
        value = tr("cli.assess.unset") if output.value_label is None else pick(output.value_label)
        line = tr("cli.assess.output", output=pick(output.label), value=value)
        if output.rule_ids:
            line += " " + tr("cli.assess.by_rules", rules=", ".join(output.rule_ids))
        lines.append(INDENT + line)
    return lines


def _flags(content: Content, result: CaseAssessment) -> list[str]:
    """Findings that call for an action whatever the level."""
    flags = result.suggestion.flags
    if not flags:
        return []
    return ["", tr("cli.assess.flags")] + [
        INDENT + tr("cli.assess.flag", flag=pick(flag.label), action=pick(flag.action),
                    rules=", ".join(flag.rule_ids))
        for flag in flags
    ]


def _other_rules(content: Content, result: CaseAssessment) -> list[str]:
    """The reasons of the fired rules that set an output or a flag but no level."""
    others = [rule for rule in result.suggestion.fired if rule.minimum_level is None]
    if not others:
        return []
    return ["", tr("cli.assess.other_rules")] + [
        INDENT + tr("cli.assess.other_rule", rule=rule.rule_id, because=pick(rule.because))
        for rule in others
    ]


def _could_change(content: Content, item: MissingFact) -> str:
    changes = [tr("cli.assess.level_change", level=item.could_raise_to)] if item.could_raise_to else []
    for output_id, value in item.outputs:
        output = content.output(output_id)
        changes.append(tr("cli.assess.output", output=pick(output.label),
                          value=pick(output.value_label(value))))
    changes += [tr("cli.assess.flag_change", flag=pick(content.flag(flag).label)) for flag in item.flags]
    return ", ".join(changes)


def _missing(content: Content, result: CaseAssessment) -> list[str]:
    missing = result.suggestion.missing
    if not missing:
        return []
    return ["", tr("cli.assess.missing")] + [
        INDENT + tr("cli.assess.missing_item", fact=content.fact_label(item.fact),
                    changes=_could_change(content, item), rules=", ".join(item.rule_ids))
        for item in missing
    ]


def _instruments(content: Content, result: CaseAssessment) -> list[str]:
    if not result.instruments:
        return []
    lines = ["", tr("cli.assess.instruments")]
    for instrument_id, scored in result.instruments.items():
        instrument = content.instrument(instrument_id)
        if scored.total is None:
            text = tr("cli.assess.instrument_incomplete", missing=len(scored.missing_items))
        elif scored.band is None:
            text = tr("cli.assess.instrument_total", total=exact_json(scored.total))
        else:
            text = tr("cli.assess.instrument_band", total=exact_json(scored.total),
                      band=pick(scored.band.label), set=scored.band_set_id)
        lines.append(INDENT + f"{instrument.short_name}: {text}")
        lines += [INDENT * 2 + tr("cli.score.flag", flag=pick(flag.label), action=pick(flag.action))
                  for flag in scored.flags]
    return lines


def _dated(result: Mapping[str, Any]) -> str:
    line = tr("cli.assess.dated", label=pick(result["label"]), date=date_text(result["date"]))
    return line + (" " + tr("cli.assess.verify") if result.get("verify") else "")


def _legal(content: Content, result: CaseAssessment) -> list[str]:
    """Deadlines from ``tsbplace.legal`` (LegalOutputs.to_dict())."""
    legal = result.legal
    lines = ["", tr("cli.assess.legal"), INDENT + _dated(legal["assessment"])]
    priority = legal["priority"]
    if priority.get("name") is not None:
        right = {True: tr("cli.assess.right_yes"), False: tr("cli.assess.right_no")}.get(
            priority.get("right"), tr("cli.assess.right_unknown"))
        line = tr("cli.assess.priority", name=pick(priority["name"]), right=right)
        if priority.get("frist_weeks") is not None:
            line += "; " + tr("cli.assess.priority_frist", weeks=priority["frist_weeks"])
        lines.append(INDENT + line)
    if legal.get("latest_start") is not None:
        lines.append(INDENT + _dated(legal["latest_start"]))
    lines += [INDENT + _dated(step) for step in legal.get("pathway", ())]
    lines.append(INDENT + tr("cli.assess.legal_version", version=legal.get("legal_version", "?"),
                             hash=str(legal.get("legal_hash", ""))[:12]))
    return lines


def _ruleset(content: Content, result: CaseAssessment) -> list[str]:
    suggestion = result.suggestion
    return ["", tr("cli.assess.ruleset", id=suggestion.ruleset_id, version=suggestion.ruleset_version,
                   hash=suggestion.ruleset_hash[:12])]


# The report, top to bottom; a new part of the engine's result is one more function here.
SECTIONS: Sequence[Section] = (
    _patient, _level, _reasons, _why_not_lower, _domain_minimums, _outputs, _flags, _other_rules,
    _missing, _instruments, _legal, _ruleset,
)


def describe(content: Content, result: CaseAssessment) -> list[str]:
    """The assessment as lines of text for a person, in the current language."""
    return [line for section in SECTIONS for line in section(content, result)]


def write_problems(error: CaseFileError, err: TextIO) -> None:
    err.write(tr("cli.assess.refused", count=len(error.problems)) + "\n")
    for problem in error.problems:
        err.write(f"{INDENT}{problem}\n")


def assess_file(path: Path, *, as_json: bool, out: TextIO, err: TextIO) -> int:
    """Check and assess one case file; exit 2 with every problem when it is refused."""
    content = installed_content()
    try:
        case = read_case_file(path, content)
    except CaseFileError as error:
        write_problems(error, err)
        return EXIT_INVALID
    result = assess_case(content, case)
    if as_json:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n".join(describe(content, result)) + "\n")
    return EXIT_OK
