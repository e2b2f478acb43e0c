"""Renewal alerts in the window: the bell in the status bar (with their count) and the panel
it opens. The panel opens by itself only for alerts it has never shown (remembered in the
settings); otherwise the bell's count is all that shows.

Worked out once the list first shows, again when a new day starts while the window is open
(checked hourly), and at once when a change touches what they are worked out from (a closed
renewal's alert goes away without waiting).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QToolButton, QWidget

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

if TYPE_CHECKING:
    from am_desktop.domain.alerts import Alert
    from am_desktop.ui.renewals.alerts_panel import AlertsPanel

#: What renewal alerts are worked out from.
ALERTS_FROM = (Entity.ACCOUNT, Entity.CONTRACT, Entity.RENEWAL)
#: How often to look whether a new day started (ms).
NEW_DAY_CHECK_MS = 60 * 60 * 1000


class RenewalAlerts(QObject):
    """The alerts' bell button and panel, kept current.

    Args:
        context: the shared services.
        window: where the panel sits (bottom right, following its size).

    Signals:
        renewal_opened(account_id, renewal_id): "Open" was clicked on an alert.
    """

    renewal_opened = Signal(int, int)

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        self._window = window
        self.panel: AlertsPanel | None = None  # made with the first alerts (its module waits)
        self._checked_on: date | None = None
        self.button = QToolButton(window)
        self.button.setAutoRaise(True)
        self.button.setToolTip("Renewals entering the 90/60/30-day bands, notice deadlines")
        self.button.hide()
        self._clock = QTimer(self)
        self._clock.setInterval(NEW_DAY_CHECK_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.button.clicked.connect(self.toggle_panel)
        self._clock.timeout.connect(self._on_clock_timeout)
        self.context.data.changed.connect(self._on_data_changed)
        self._window.installEventFilter(self)

    def start(self) -> None:
        """Work the alerts out now, then again each new day."""
        self.check()
        self._clock.start()

    def check(self) -> None:
        """Work out the renewal alerts on a worker, then show them."""
        today = self._checked_on = self.context.today()
        store = self.context.store

        def work(_progress: object) -> list[Alert]:
            from am_desktop.domain.alerts import renewal_alerts
            from am_desktop.services.renewal_queries import upcoming

            return renewal_alerts(upcoming(store, today), today)

        self.context.tasks.submit(
            work,
            lane=Lane.READ,
            on_done=lambda alerts: self._on_alerts(alerts, today),
            receiver=self,
            supersede=(self, "alerts"),
        )

    def show_panel(self) -> None:
        """Show the panel, when it has alerts to show; they count as seen from now on."""
        if self.panel is not None and (shown := self.panel.shown()):
            self.panel.place()
            self.panel.show()
            if self.panel.isVisible():  # on screen (its window is not hidden): seen
                self.context.settings.mark_alerts_seen({alert.key for alert in shown})

    @Slot()
    def toggle_panel(self) -> None:
        """The bell: show the panel, or hide it when it is showing."""
        if self.panel is not None and self.panel.isVisible():
            self.panel.hide()
        else:
            self.show_panel()

    def _on_alerts(self, alerts: list[Alert], today: date) -> None:
        from am_desktop.ui.renewals.alerts_panel import AlertsPanel

        if self.panel is None:
            self.panel = AlertsPanel(self.context.settings, self._window)
            self.panel.renewal_opened.connect(self.renewal_opened)
            self.panel.renewal_opened.connect(self.panel.hide)  # the renewal, not the panel
            self.panel.count_changed.connect(self._on_count_changed)
        self.panel.set_alerts(alerts, today)
        keys = {alert.key for alert in self.panel.shown()}
        # It opens by itself only for an alert it never showed (at any start, on any day):
        # a re-check after an edit, or the next start, leaves it as the user left it.
        if keys - self.context.settings.seen_alerts() or self.panel.isVisible():
            self.show_panel()

    @Slot(int)
    def _on_count_changed(self, count: int) -> None:
        self.button.setText(f"⚑ {count} renewal alert{'s' if count != 1 else ''}")
        self.button.setVisible(count > 0)

    @Slot()
    def _on_clock_timeout(self) -> None:
        if self.context.today() != self._checked_on:  # a new day while the window is open
            self.check()

    @Slot(object)
    def _on_data_changed(self, changes: ChangeSet) -> None:
        if self._checked_on is not None and changes.touches(*ALERTS_FROM):
            self.check()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the panel at the window's bottom right as the window is resized."""
        if (
            watched is self._window
            and event.type() == QEvent.Type.Resize
            and self.panel is not None
            and self.panel.isVisible()
        ):
            self.panel.place()
        return False
