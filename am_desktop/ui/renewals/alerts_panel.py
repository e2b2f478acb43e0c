"""Renewal alerts in the window: a panel that slides in at the bottom right, never modal.

Shown from the status bar's bell, and by itself when an alert it never showed comes due; each
alert can be opened, snoozed for three days or dismissed for good (both remembered).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.alerts import Alert, snooze_until, visible
from am_desktop.ui.plain_text import plain
from am_desktop.ui.settings import AppSettings

#: The most alerts the panel lists as rows: each is a few widgets, and a large portfolio's
#: hundreds would hold the window for seconds just after it opens (the Renewals view and the
#: title's count have them all).
MAX_ROWS = 30


class AlertsPanel(QFrame):
    """The alerts not dismissed or snoozed.

    Signals:
        renewal_opened(account_id, renewal_id): "Open" was clicked.
        count_changed(count): how many alerts are showing now.
    """

    renewal_opened = Signal(int, int)
    count_changed = Signal(int)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.today = date.today()
        self.alerts: list[Alert] = []
        self.setObjectName("alertsPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFixedWidth(420)
        self.title = QLabel("Renewal alerts", self)
        self.title.setObjectName("sectionTitle")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Hide the alerts (the bell in the status bar shows them again)")
        close.clicked.connect(self.hide)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(close)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(8)
        holder = QWidget(self)
        holder.setLayout(self.rows)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(scroll, 1)
        self.hide()

    def set_alerts(self, alerts: list[Alert], today: date) -> None:
        """The alerts due now (those dismissed or snoozed are left out)."""
        self.today = today
        self.alerts = alerts
        self._show_rows()

    def shown(self) -> list[Alert]:
        """The alerts listed now."""
        return visible(
            self.alerts,
            self.settings.dismissed_alerts(),
            self.settings.snoozed_alerts(),
            self.today,
        )

    def _show_rows(self) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        shown = self.shown()
        for alert in shown[:MAX_ROWS]:
            self.rows.addWidget(self._row(alert))
        if len(shown) > MAX_ROWS:
            more = QLabel(f"… and {len(shown) - MAX_ROWS:,} more: the Renewals view lists them.")
            more.setObjectName("muted")
            self.rows.addWidget(more)
        self.rows.addStretch(1)
        self.title.setText(f"Renewal alerts ({len(shown)})")
        self.count_changed.emit(len(shown))
        if not shown:
            self.hide()

    def _row(self, alert: Alert) -> QWidget:
        row = QFrame(self)
        row.setFrameShape(QFrame.Shape.NoFrame)
        text = plain(QLabel(("⚑ " if alert.is_notice else "↻ ") + alert.message, row))
        text.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for label, slot in (
            (
                "Open",
                lambda _c=False, a=alert: self.renewal_opened.emit(a.account_id, a.renewal_id),
            ),
            ("Snooze 3 days", lambda _c=False, a=alert: self.snooze(a.key)),
            ("Dismiss", lambda _c=False, a=alert: self.dismiss(a.key)),
        ):
            button = QPushButton(label, row)
            button.clicked.connect(lambda _checked=False, act=slot: act())
            buttons.addWidget(button)
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(text)
        layout.addLayout(buttons)
        return row

    def snooze(self, key: str) -> None:
        """Hide an alert for three days."""
        self.settings.snooze_alert(key, snooze_until(self.today))
        self._show_rows()

    def dismiss(self, key: str) -> None:
        """Hide an alert for good."""
        self.settings.dismiss_alert(key)
        self._show_rows()

    def place(self) -> None:
        """Sit at the bottom right of the parent, above the status bar."""
        parent = self.parentWidget()
        if parent is None:
            return
        height = min(360, max(140, 90 + 70 * len(self.shown())))
        self.setFixedHeight(height)
        self.move(parent.width() - self.width() - 16, parent.height() - height - 36)
        self.raise_()
