"""One open case: who it is, the domain form, and the live suggestion beside it."""

from __future__ import annotations

from tsbplace.cases import AssessmentRecord, CaseService, CaseSummary
from tsbplace.i18n import tr
from tsbplace.national_id import format_national_id
from tsbplace.ui.domain_page import DomainPage
from tsbplace.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tsbplace.ui.suggestion_panel import SuggestionPanel


class CasePage(QWidget):
    """Shows one case; ``changed`` fires when the answers on screen differ from the saved ones."""

    changed = Signal()

    def __init__(self, service: CaseService, case: CaseSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.case = case
        self.dirty = False

        name = QLabel(case.patient_name)
        name.setObjectName("pageTitle")
        details = QLabel(tr("gui.case.details", national_id=format_national_id(case.national_id),
                            case_number=case.case_number,
                            received=case.received_date.strftime("%d.%m.%Y")))
        details.setObjectName("muted")

        # The thin path shows the first domain; the domain navigation comes with the
        # full workspace.
        self.domain_page = DomainPage(service.content.domains[0])
        form_card = QFrame()
        form_card.setObjectName("card")
        card_layout = QVBoxLayout(form_card)
        card_layout.setContentsMargins(18, 14, 18, 14)
        card_layout.addWidget(self.domain_page)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Never scroll sideways: long help and anchor texts wrap to the width instead.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form_card)

        self.suggestion_panel = SuggestionPanel(service.content)

        body = QHBoxLayout()
        body.setSpacing(14)
        body.addWidget(scroll, 3)
        body.addWidget(self.suggestion_panel, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(name)
        layout.addWidget(details)
        layout.addSpacing(8)
        layout.addLayout(body, 1)

        saved = service.load_assessment(case.id)
        if saved is not None:
            self.domain_page.set_answers(dict(saved.answers.get(self.domain_page.domain.id, {})))
        self.domain_page.changed.connect(self._on_change)
        self._refresh_suggestion()

    def answers(self) -> dict[str, dict[str, object]]:
        return {self.domain_page.domain.id: self.domain_page.answers()}

    def _on_change(self) -> None:
        self.dirty = True
        self._refresh_suggestion()
        self.changed.emit()

    def _refresh_suggestion(self) -> None:
        self.suggestion_panel.show_suggestion(self.service.suggest(self.answers()))

    def save(self) -> AssessmentRecord:
        record = self.service.save_assessment(self.case.id, self.answers())
        self.case = self.service.get_case(self.case.id)
        self.dirty = False
        return record
