"""Letters and documents as PDF bytes (ReportLab). Nothing here writes files.

- :func:`render_patient_letter`: Vurderingsbrev til pasienten (plain language)
- :func:`render_referrer_letter`: Svar til henviser
- :func:`render_referral_summary`: Henvisning (a referral to TSB, structured)
- :func:`render_assessment_note`: Vurderingsnotat (internal)

Wording lives in ``resources/letters/{nb,en}.toml`` (:func:`letter_text`).
"""

from tsbplace.letters.assessment_note import render_assessment_note
from tsbplace.letters.common import LetterNotReady
from tsbplace.letters.patient_letter import render_patient_letter
from tsbplace.letters.referral_summary import render_referral_summary
from tsbplace.letters.referrer_letter import render_referrer_letter
from tsbplace.letters.texts import ComplaintDeadline, complaint_deadline, letter_text

__all__ = [
    "ComplaintDeadline", "LetterNotReady", "complaint_deadline", "letter_text", "render_assessment_note",
    "render_patient_letter", "render_referral_summary", "render_referrer_letter",
]
