"""Standardised instruments (AUDIT, AUDIT-C, DUDIT, CIWA-Ar, COWS, HSCL-10, PHQ-9, GAD-7):
validated data from ``rules/instruments`` and exact, pure scoring.

Public API::

    from tsbplace.instruments import installed_instruments, score
    phq9 = next(i for i in installed_instruments() if i.id == "phq9")
    result = score(phq9, {"q1": 2, "q9": 1}, sex="F")
"""

from tsbplace.instruments.loader import installed_instruments, load_instruments
from tsbplace.instruments.model import Band, BandSet, Flag, Instrument, InstrumentItem
from tsbplace.instruments.scoring import InstrumentResult, score

__all__ = [
    "Band",
    "BandSet",
    "Flag",
    "Instrument",
    "InstrumentItem",
    "InstrumentResult",
    "installed_instruments",
    "load_instruments",
    "score",
]
