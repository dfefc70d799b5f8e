"""The rule engine: the lowest responsible level of care, the separate outputs and the
flags, each with its reasons.

Pure and deterministic: the same content and facts always give the same
:class:`~tsbplace.suggestion.Suggestion`. The rules are data (``rules/ruleset.toml``);
each fired rule can set a minimum level, a value of one separate output
(``rules/outputs.toml``) and flags.

- **Level**, hit policy "highest-minimum": the suggestion is the highest minimum among the
  fired rules, never below the baseline, so no finding is ever averaged away (clinical
  reference §4.1). "Why not lower" lists the rules whose minimum is the level itself.
- **Each domain's minimum** is derived from the facts each fired level rule matched: a
  rule counts for the domains of its evidence (a true ``any`` or ``at_least`` names only
  the parts that were true), so a rule over several ratings counts only for the high ones.
- **Outputs** combine by each output's own hit policy (``highest`` or ``priority``).
- **Missing facts** are the unknown facts that could still decide a rule which would
  raise the level, change an output's value or raise a new flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tsbplace.conditions import evaluate, matched_facts, undecided_facts
from tsbplace.content.facts import Answers, FactContext
from tsbplace.content.model import Content
from tsbplace.content.ruleset import Output, Rule
from tsbplace.instruments import InstrumentResult
from tsbplace.instruments.facts import instrument_fact_values
from tsbplace.suggestion import (
    DomainMinimum,
    FiredRule,
    MissingFact,
    OutputResult,
    RaisedFlag,
    Suggestion,
)

__all__ = [
    "Answers",
    "DomainMinimum",
    "Evaluation",
    "FactContext",
    "FiredRule",
    "MissingFact",
    "OutputResult",
    "RaisedFlag",
    "Suggestion",
    "assess",
    "evaluate_answers",
    "facts_from_answers",
    "unanswered_required",
]


def facts_from_answers(content: Content, answers: Answers, context: FactContext | None = None,
                       extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every fact of the content's catalogue (``content.facts``), ``None`` where unknown.

    ``context`` gives the patient facts (age, sex); ``extra`` gives values of facts declared
    from outside the content (see :mod:`tsbplace.content.facts`).
    """
    return content.facts.compute(answers, context, extra)


def _fired(rule: Rule, facts: Mapping[str, Any]) -> FiredRule:
    return FiredRule(rule.id, rule.minimum_level, rule.because, rule.source,
                     matched_facts(rule.when, facts), rule.sets, rule.flags)


def _level(content: Content, fired: Iterable[FiredRule]) -> str:
    minimums = [f.minimum_level for f in fired if f.minimum_level is not None]
    baseline = content.ruleset.baseline_level
    return max([baseline, *minimums], key=lambda code: content.level(code).order)


def _in_order(content: Content, fired: Sequence[FiredRule]) -> tuple[FiredRule, ...]:
    """Level rules from the highest minimum down, then rules without a level, in file order."""
    def key(rule: FiredRule) -> int:
        return 1 if rule.minimum_level is None else -content.level(rule.minimum_level).order
    return tuple(sorted(fired, key=key))


def _output_result(output: Output, fired: Iterable[FiredRule]) -> OutputResult:
    setters = [(f.sets.value, f.rule_id) for f in fired
               if f.sets is not None and f.sets.output == output.id]
    if not setters:
        value = output.default
        return OutputResult(output.id, output.label, value,
                            None if value is None else output.value_label(value), ())
    winner = max((value for value, _ in setters), key=output.rank)
    return OutputResult(output.id, output.label, winner, output.value_label(winner),
                        tuple(rule_id for value, rule_id in setters if value == winner))


def _raised_flags(content: Content, fired: Iterable[FiredRule]) -> tuple[RaisedFlag, ...]:
    raised: dict[str, list[str]] = {}
    for rule in fired:
        for flag_id in rule.flags:
            raised.setdefault(flag_id, []).append(rule.rule_id)
    return tuple(RaisedFlag(flag.id, flag.label, flag.action, flag.source, tuple(raised[flag.id]))
                 for flag in content.flags if flag.id in raised)


def _domain_minimums(content: Content, fired: Iterable[FiredRule]) -> tuple[DomainMinimum, ...]:
    """The level each domain needs by itself: only rules whose evidence lies in one domain
    count. A rule that combines domains (two high ratings) shows under the reasons, but
    crediting its level to each of them would say housing alone needs a medical bed."""
    best: dict[str, tuple[str, list[str]]] = {}
    for rule in fired:
        if rule.minimum_level is None:
            continue
        domains = {content.fact_domain(name) for name in rule.facts} - {None}
        if len(domains) != 1:
            continue
        for domain in domains:
            assert domain is not None
            level, rule_ids = best.get(domain, (rule.minimum_level, []))
            if content.level(rule.minimum_level).order > content.level(level).order:
                level, rule_ids = rule.minimum_level, []
            if rule.minimum_level == level:
                rule_ids.append(rule.rule_id)
            best[domain] = (level, rule_ids)
    return tuple(DomainMinimum(d.id, best[d.id][0], tuple(best[d.id][1]))
                 for d in content.domains if d.id in best)


@dataclass
class _Change:
    """What one undecided rule could still change, if its condition turned true."""

    level: str | None = None
    output: tuple[str, str] | None = None
    flags: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.level is not None or self.output is not None or bool(self.flags)


def _possible_change(content: Content, rule: Rule, level: str,
                     outputs: Mapping[str, OutputResult], raised: set[str]) -> _Change:
    change = _Change()
    order = content.level(level).order
    if rule.minimum_level is not None and content.level(rule.minimum_level).order > order:
        change.level = rule.minimum_level
    if rule.sets is not None:
        output, now = content.output(rule.sets.output), outputs[rule.sets.output].value
        if now is None or output.rank(rule.sets.value) > output.rank(now):
            change.output = (rule.sets.output, rule.sets.value)
    change.flags = tuple(flag for flag in rule.flags if flag not in raised)
    return change


@dataclass
class _Missing:
    level: str | None = None
    rule_ids: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def add(self, content: Content, rule_id: str, change: _Change) -> None:
        self.rule_ids.append(rule_id)
        if change.level is not None and (
                self.level is None or content.level(change.level).order > content.level(self.level).order):
            self.level = change.level
        if change.output is not None:
            output_id, value = change.output
            known = self.outputs.get(output_id)
            if known is None or content.output(output_id).rank(value) > content.output(output_id).rank(known):
                self.outputs[output_id] = value
        self.flags += [flag for flag in change.flags if flag not in self.flags]


def _missing(content: Content, undecided: Iterable[Rule], facts: Mapping[str, Any], level: str,
             outputs: Sequence[OutputResult], flags: Sequence[RaisedFlag]) -> tuple[MissingFact, ...]:
    by_output = {result.output: result for result in outputs}
    raised = {flag.flag for flag in flags}
    found: dict[str, _Missing] = {}
    for rule in undecided:
        change = _possible_change(content, rule, level, by_output, raised)
        if not change:
            continue  # knowing these facts could not change anything shown
        for fact in undecided_facts(rule.when, facts):
            found.setdefault(fact, _Missing()).add(content, rule.id, change)
    position = {name: index for index, name in enumerate(content.facts.names())}

    def key(item: tuple[str, _Missing]) -> tuple[int, int]:
        fact, entry = item
        impact = -content.level(entry.level).order if entry.level is not None else 1
        return impact, position.get(fact, len(position))

    return tuple(
        MissingFact(fact, entry.level, tuple(entry.rule_ids),
                    tuple((o.id, entry.outputs[o.id]) for o in content.outputs if o.id in entry.outputs),
                    tuple(f.id for f in content.flags if f.id in entry.flags))
        for fact, entry in sorted(found.items(), key=key)
    )


def assess(content: Content, facts: Mapping[str, Any]) -> Suggestion:
    """Suggest the lowest responsible level for ``facts``, the separate outputs and the flags,
    and explain each."""
    ruleset = content.ruleset
    fired: list[FiredRule] = []
    undecided: list[Rule] = []
    for rule in ruleset.rules:
        truth = evaluate(rule.when, facts)
        if truth:
            fired.append(_fired(rule, facts))
        elif truth is None:
            undecided.append(rule)
    level = _level(content, fired)
    outputs = tuple(_output_result(output, fired) for output in content.outputs)
    flags = _raised_flags(content, fired)
    return Suggestion(
        level=level,
        fired=_in_order(content, fired),
        why_not_lower=tuple(f for f in fired if f.minimum_level == level),
        missing=_missing(content, undecided, facts, level, outputs, flags),
        ruleset_id=ruleset.id,
        ruleset_version=ruleset.version,
        ruleset_hash=ruleset.content_hash,
        domain_minimums=_domain_minimums(content, fired),
        outputs=outputs,
        flags=flags,
    )


def unanswered_required(content: Content, answers: Answers) -> list[tuple[str, str]]:
    """(domain id, item id) of required items and ratings not yet answered fully enough to sign."""
    return [(domain.id, key) for domain in content.domains
            for key in domain.unanswered_required(answers.get(domain.id, {}))]


@dataclass(frozen=True)
class Evaluation:
    """The engine's result for one case and the inputs it read."""

    suggestion: Suggestion
    instruments: Mapping[str, InstrumentResult]
    facts: Mapping[str, Any]


def evaluate_answers(content: Content, answers: Answers, context: FactContext | None,
                     instrument_results: Mapping[str, InstrumentResult]) -> Evaluation:
    """Facts from the answers, the patient context and the scored instruments, then the
    rules: the one path the GUI (CaseService), ``tsbplace assess`` and replay share."""
    extra = instrument_fact_values(content.instruments, instrument_results)
    facts = facts_from_answers(content, answers, context, extra)
    return Evaluation(assess(content, facts), instrument_results, facts)
