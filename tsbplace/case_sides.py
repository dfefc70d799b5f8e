"""Which side of a referral a case is worked on, and what that side's case ends in.

A ``tsb`` case is assessed in specialist care (TSB) and ends in a signed decision and the
letters about it. A ``referrer`` case is prepared by the referring side (a GP's office or
a municipal service): the same domains and suggestion, ending in the referral letter to
TSB (``henvisning``) instead of a decision; once that letter has left the program the
case is ``referred``. TSB decides the right, the frist and the level, so a referrer-side
case is never decided or signed here.
"""

from __future__ import annotations

from tsbplace.i18n import tr

__all__ = ["LETTER_KINDS", "REFERRAL_LETTER", "REFERRED", "REFERRER", "SIDES", "TSB", "NotForSide",
           "check_side", "letter_kinds"]

TSB = "tsb"
REFERRER = "referrer"
SIDES = (TSB, REFERRER)
REFERRED = "referred"  # a referrer-side case whose referral letter has been issued
REFERRAL_LETTER = "henvisning"  # the letter a referrer-side case ends in
# The letters each side may issue, in the order the letter menu lists them.
LETTER_KINDS: dict[str, tuple[str, ...]] = {
    TSB: ("pasient", "henviser", "henvisning", "notat"),
    REFERRER: (REFERRAL_LETTER, "notat"),
}


class NotForSide(ValueError):
    """Something the case's side does not do: a decision, signing, or a letter about a
    decision, asked of a case prepared on the referring side. Nothing was changed."""

    def __init__(self, case_id: int, message: str) -> None:
        self.case_id = case_id
        super().__init__(message)


def check_side(side: str) -> str | None:
    """A message if ``side`` is not one of :data:`SIDES`, else None."""
    return None if side in SIDES else tr("case.side.unknown", sides=", ".join(SIDES))


def letter_kinds(side: str) -> tuple[str, ...]:
    """The letters a case of ``side`` may issue."""
    return LETTER_KINDS[side]
