"""Legal and pathway dates: the assessment deadline, the prioriteringsveileder's guiding right
and frist, the latest start date and the pakkeforløp times, from ``rules/legal.toml``.

Public API::

    from tsbplace.legal import installed_legal, load_legal
    from tsbplace.legal import assessment_deadline, priority, latest_start, pathway_dates, legal_outputs
    from tsbplace.legal import add_working_days, is_working_day
"""

from tsbplace.legal.dates import assessment_deadline, latest_start, legal_outputs, pathway_dates, priority
from tsbplace.legal.loader import installed_legal, load_legal
from tsbplace.legal.model import (
    DatedResult,
    Legal,
    LegalOutputs,
    PriorityEntry,
    PriorityResult,
    Setting,
    Unit,
)
from tsbplace.legal.working_days import (
    add_working_days,
    count_working_days,
    is_working_day,
    public_holidays,
    working_days_span,
)

__all__ = [
    "DatedResult",
    "Legal",
    "LegalOutputs",
    "PriorityEntry",
    "PriorityResult",
    "Setting",
    "Unit",
    "add_working_days",
    "assessment_deadline",
    "count_working_days",
    "installed_legal",
    "is_working_day",
    "latest_start",
    "legal_outputs",
    "load_legal",
    "pathway_dates",
    "priority",
    "public_holidays",
    "working_days_span",
]
