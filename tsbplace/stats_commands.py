"""``tsbplace stats``: the quality and variation indicators (:mod:`tsbplace.indicators`) as
JSON (``--json``) or as a readable table, for a period, one clinician or per clinician.
The figures come from patient data, so the command signs in like ``export --all`` and is
audited the same way (``CaseService.record_export``, kind ``stats``: size and SHA-256 of
what was printed, never its content)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from tsbplace.access import Workspace
from tsbplace.i18n import pick, tr
from tsbplace.indicators import (
    IndicatorFilter,
    Indicators,
    compute_indicators,
    indicator_definitions,
    indicators_by_clinician,
    indicators_to_dict,
)

EXIT_OK = 0
STATS_KIND = "stats"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _table(ind: Indicators) -> list[str]:
    labels = {d.id: pick(d.label) for d in indicator_definitions()}
    lines = []
    for indicator, figure in ind.figures.items():
        if figure.denominator is None:
            lines.append(f"  {labels[indicator]:<44} {figure.numerator}")
        else:
            lines.append(f"  {labels[indicator]:<44} {figure.numerator}/{figure.denominator}"
                         f"  {_percent(figure.value)}")
    time = ind.time_to_decision
    mean = "–" if time.mean_days is None else f"{time.mean_days:.1f}"
    median = "–" if time.median_days is None else f"{time.median_days:.1f}"
    lines.append(f"  {labels['time_to_decision']:<44} "
                 + tr("cli.stats.days", mean=mean, median=median, n=time.n))
    levels = ", ".join(f"{code} {ind.suggested_levels[code]}/{ind.chosen_levels[code]}"
                       for code in ind.suggested_levels)
    lines.append("  " + tr("cli.stats.levels", levels=levels))
    return lines


def stats_command(workspace: Workspace, flt: IndicatorFilter, by_clinician: bool, as_json: bool,
                  out: TextIO) -> int:
    service = workspace.cases
    if by_clinician:
        per = indicators_by_clinician(service.store, service.content, flt)
        data: Any = {name: indicators_to_dict(ind) for name, ind in per.items()}
        if as_json:
            text = json.dumps({"by_clinician": data}, ensure_ascii=False, indent=2) + "\n"
        else:
            lines = []
            for name, ind in per.items():
                lines += [tr("cli.stats.clinician", user=name), *_table(ind)]
            text = "\n".join(lines) + "\n"
    else:
        ind = compute_indicators(service.store, service.content, flt)
        if as_json:
            text = json.dumps(indicators_to_dict(ind), ensure_ascii=False, indent=2) + "\n"
        else:
            period = tr("cli.stats.period", start=flt.start.isoformat() if flt.start else "–",
                        end=flt.end.isoformat() if flt.end else "–")
            text = "\n".join([period, *_table(ind)]) + "\n"
    service.record_export(STATS_KIND, text.encode("utf-8"))
    out.write(text)
    return EXIT_OK
