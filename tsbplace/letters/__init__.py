"""Letters and documents as PDF bytes (ReportLab). Nothing here writes files."""

from tsbplace.letters.assessment_note import render_assessment_note

__all__ = ["render_assessment_note"]
