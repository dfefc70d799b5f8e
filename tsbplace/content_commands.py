"""Headless commands over the clinical content: check a rules folder, list the
instruments, score an instrument. They call the same API as the GUI
(``tsbplace.content.load_content``, ``tsbplace.instruments.score``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from tsbplace.content import ContentError, installed_content, load_content
from tsbplace.i18n import pick, tr
from tsbplace.instruments import Instrument, InstrumentResult, score
from tsbplace.instruments.scoring import exact_json

EXIT_OK, EXIT_INVALID = 0, 2
UNANSWERED = "-"


def check_content(folder: Path | None, out: TextIO, err: TextIO) -> int:
    """Validate a rules folder (default: the installed one); list every problem."""
    try:
        content = load_content(folder)
    except ContentError as error:
        err.write(tr("cli.content.invalid", count=len(error.problems)) + "\n")
        for problem in error.problems:
            err.write(f"  {problem}\n")
        return EXIT_INVALID
    out.write(tr("cli.content.ok", domains=len(content.domains),
                 instruments=len(content.instruments), rules=len(content.ruleset.rules),
                 facts=len(content.facts), version=content.ruleset.version,
                 hash=content.ruleset.content_hash[:12]) + "\n")
    return EXIT_OK


def list_instruments(out: TextIO) -> int:
    for instrument in installed_content().instruments:
        low, high = instrument.score_range
        sets = ", ".join(f"{s.id}{'*' if s.id == instrument.default_band_set else ''}"
                         for s in instrument.band_sets)
        out.write(f"{instrument.id:<9} {instrument.short_name:<8} "
                  + tr("cli.instruments.line", items=len(instrument.items), low=exact_json(low),
                       high=exact_json(high), sets=sets) + "\n")
    out.write(tr("cli.instruments.default_marked") + "\n")
    return EXIT_OK


def _parse_answers(instrument: Instrument, values: Sequence[str]) -> list[int | None]:
    if len(values) != len(instrument.items):
        raise ValueError(tr("cli.score.count", instrument=instrument.short_name,
                            expected=len(instrument.items), given=len(values)))
    answers: list[int | None] = []
    for item, text in zip(instrument.items, values, strict=True):
        if text == UNANSWERED:
            answers.append(None)
        elif text.lstrip("-").isdigit():
            answers.append(int(text))
        else:
            raise ValueError(tr("cli.score.not_a_number", item=item.id, text=text))
    return answers


def _describe(instrument: Instrument, result: InstrumentResult) -> list[str]:
    band_set = instrument.band_set(result.band_set_id)
    lines = [f"{instrument.short_name} ({pick(instrument.title)})"]
    if result.total is None:
        lines.append(tr("cli.score.incomplete", missing=", ".join(result.missing_items)))
    else:
        lines.append(tr("cli.score.total", total=exact_json(result.total)))
    if result.band is not None:
        lines.append(tr("cli.score.band", band=pick(result.band.label), set=band_set.id,
                        source=band_set.source))
    elif result.total is not None and result.band_needs_sex:
        lines.append(tr("cli.score.needs_sex"))
    if result.sex_rule_applied:
        lines.append(tr("cli.score.sex_rule", rule=tr(f"sex.{result.sex_rule_applied}")))
    lines += [tr("cli.score.flag", flag=pick(flag.label), action=pick(flag.action))
              for flag in result.flags]
    return lines


def score_instrument(instrument_id: str, values: Sequence[str], *, sex: str | None,
                     band_set: str | None, as_json: bool, out: TextIO, err: TextIO) -> int:
    """Score one filled-in form given on the command line, in form order ('-' = unanswered)."""
    content = installed_content()
    try:
        instrument = content.instrument(instrument_id)
    except KeyError:
        known = ", ".join(i.id for i in content.instruments)
        err.write(tr("cli.score.unknown", instrument=instrument_id, known=known) + "\n")
        return EXIT_INVALID
    try:
        result = score(instrument, _parse_answers(instrument, values), sex=sex, band_set=band_set)
    except ValueError as error:
        err.write(f"{error}\n")
        return EXIT_INVALID
    if as_json:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n".join(_describe(instrument, result)) + "\n")
    return EXIT_OK
