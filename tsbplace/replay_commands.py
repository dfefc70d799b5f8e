"""``tsbplace replay --ruleset DIR``: what a candidate rule set would change in the stored cases.

The candidate folder is loaded and validated like the installed rules (invalid: every
problem, exit 2). Each stored case is read through
:func:`tsbplace.stored_cases.iter_stored_cases` and re-assessed with both rule sets by
:class:`tsbplace.replay.Replay`. Lines are written as cases are replayed, and ``--json``
streams one JSON object, so neither grows with the store. Case numbers only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TextIO

from tsbplace.content import ContentError, installed_content, load_content
from tsbplace.content.model import Content
from tsbplace.i18n import tr
from tsbplace.locations import Locations
from tsbplace.replay import CaseChange, Replay, ReplaySummary, ValueChange
from tsbplace.services import StoreTooNew, StoreUnavailable, open_store
from tsbplace.stored_cases import StoredCase, iter_stored_cases

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
INDENT = "  "


def _ruleset(content: Content) -> dict[str, str]:
    ruleset = content.ruleset
    return {"id": ruleset.id, "version": ruleset.version, "hash": ruleset.content_hash}


def _header(installed: Content, candidate: Content) -> list[str]:
    old, new = _ruleset(installed), _ruleset(candidate)
    lines = [tr("cli.replay.installed", id=old["id"], version=old["version"], hash=old["hash"][:12]),
             tr("cli.replay.candidate", id=new["id"], version=new["version"], hash=new["hash"][:12])]
    if old["hash"] == new["hash"]:
        lines.append(tr("cli.replay.same_hash"))
    return lines


def _value(text: str | None) -> str:
    return "–" if text is None else text


def _listed(names: tuple[str, ...], line: Callable[[str], str]) -> list[str]:
    return [INDENT + line(", ".join(names))] if names else []


def _changes(changes: tuple[ValueChange, ...], line: Callable[[str, str, str], str]) -> list[str]:
    return [INDENT + line(c.name, _value(c.before), _value(c.after)) for c in changes]


def describe_change(change: CaseChange) -> list[str]:
    """One changed case, for a person: rule, output, flag and domain ids with their values."""
    return [
        tr("cli.replay.case", case=change.case_number, before=_value(change.level_before),
           after=_value(change.level_after)),
        *_listed(change.fired_only_before, lambda names: tr("cli.replay.only_before", names=names)),
        *_listed(change.fired_only_after, lambda names: tr("cli.replay.only_after", names=names)),
        *_changes(change.minimum_changed, lambda name, before, after: tr(
            "cli.replay.minimum_changed", name=name, before=before, after=after)),
        *_changes(change.outputs_changed, lambda name, before, after: tr(
            "cli.replay.output_changed", name=name, before=before, after=after)),
        *_listed(change.flags_only_before, lambda names: tr("cli.replay.flags_only_before", names=names)),
        *_listed(change.flags_only_after, lambda names: tr("cli.replay.flags_only_after", names=names)),
        *_changes(change.domains_changed, lambda name, before, after: tr(
            "cli.replay.domain_changed", name=name, before=before, after=after)),
        *(INDENT + tr("cli.replay.failed_before", problem=p) for p in change.failed_before),
        *(INDENT + tr("cli.replay.failed_after", problem=p) for p in change.failed_after),
    ]


def _distribution(levels: Mapping[str, int], ladder: list[str]) -> str:
    codes = ladder + sorted(code for code in levels if code not in ladder)
    return " · ".join(f"{code} {levels[code]}" for code in codes if levels.get(code)) or "–"


def describe_summary(summary: ReplaySummary, installed: Content, candidate: Content) -> list[str]:
    ladder = [level.code for level in sorted((*installed.levels, *candidate.levels), key=lambda x: x.order)]
    ladder = list(dict.fromkeys(ladder))
    return [
        "",
        tr("cli.replay.summary", changed=summary.changed, unchanged=summary.unchanged,
           total=summary.total),
        *([tr("cli.replay.summary_failed", failed=summary.failed)] if summary.failed else []),
        tr("cli.replay.levels_before", levels=_distribution(summary.levels_before, ladder)),
        tr("cli.replay.levels_after", levels=_distribution(summary.levels_after, ladder)),
    ]


def _write_text(replay: Replay, cases: Iterable[StoredCase], out: TextIO) -> None:
    out.write("\n".join(_header(replay.installed, replay.candidate)) + "\n\n")
    for change in replay.changes(cases):
        out.write("\n".join(describe_change(change)) + "\n")
    out.write("\n".join(describe_summary(replay.summary, replay.installed, replay.candidate)) + "\n")


def _write_json(replay: Replay, cases: Iterable[StoredCase], out: TextIO) -> None:
    """One JSON object, written as the cases are replayed."""
    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    out.write(f'{{"installed": {dumps(_ruleset(replay.installed))}, '
              f'"candidate": {dumps(_ruleset(replay.candidate))}, "changes": [')
    for index, change in enumerate(replay.changes(cases)):
        out.write(("," if index else "") + "\n  " + dumps(change.to_dict()))
    out.write(f'\n], "summary": {dumps(replay.summary.to_dict())}}}\n')


def replay_ruleset(folder: Path, locations: Locations, *, as_json: bool, out: TextIO,
                   err: TextIO, key: bytes | None = None) -> int:
    """Replay every stored case with the installed rules and the candidate in ``folder``."""
    try:
        candidate = load_content(folder)
    except ContentError as error:
        err.write(tr("cli.content.invalid", count=len(error.problems)) + "\n")
        for problem in error.problems:
            err.write(f"{INDENT}{problem}\n")
        return EXIT_INVALID
    try:
        store = open_store(locations, key=key)
    except StoreUnavailable as error:
        err.write(tr("cli.replay.store_unavailable", reason=error.reason) + "\n")
        return EXIT_FAILURE
    except StoreTooNew:
        err.write(tr("gui.start.store_too_new") + "\n")
        return EXIT_FAILURE
    try:
        write = _write_json if as_json else _write_text
        write(Replay(installed_content(), candidate), iter_stored_cases(store), out)
    finally:
        store.close()
    return EXIT_OK
