"""CRM sync in the window (issue 8 item 7): Sync now on the NET lane with progress and Cancel,
the periodic run, and the status bar's sync, pending-changes and conflicts indicators.

The token comes from the system keyring, or from memory for this session when the keyring
cannot keep it (``AppContext.session_tokens``); it is never written to the settings.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QProgressBar, QToolButton, QWidget

from am_desktop.domain.cancel import CancelToken
from am_desktop.domain.changes import ChangeSet
from am_desktop.domain.values import counted
from am_desktop.errors import AppError, Cancelled, SyncError, SyncErrorKind
from am_desktop.services.sync.crms import CRMS
from am_desktop.ui.context import AppContext
from am_desktop.ui.settings import Option, Prefs
from am_desktop.ui.tasks import Lane

#: The CRMs the preferences offer: settings value -> name shown.
CRM_NAMES = {name: crm.display for name, crm in CRMS.items()}
#: How long the pending count waits after a change before it is read again (edits come in bursts).
SUMMARY_DELAY_MS = 400
#: A few words for the status bar, by why a sync stopped (the whole message goes to a tooltip).
_SHORT_REASONS = {
    SyncErrorKind.AUTH: "the CRM refused the token",
    SyncErrorKind.NETWORK: "the CRM could not be reached",
    SyncErrorKind.RATE_LIMIT: "the CRM asked to slow down",
    SyncErrorKind.QUOTA: "the CRM's daily allowance is used up",
    SyncErrorKind.SERVER: "the CRM is not answering",
    SyncErrorKind.INSECURE: "the CRM address is not secure",
    SyncErrorKind.UNCERTAIN: "the CRM did not answer in time",
    SyncErrorKind.PERMISSION: "the token lacks a permission",
}
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


class _NeedToken:
    """What a run returns when no token is known (the window then asks for one)."""


NEED_TOKEN = _NeedToken()


def synced_words(last_sync: str | None, now: datetime | None = None) -> str:
    """``Synced 14:32`` (today) or ``Synced 21 Nov 14:32`` from the engine's UTC text.

    Args:
        last_sync: "YYYY-MM-DD HH:MM:SS.ffffff" in UTC, or None (never synced).
        now: the local time to compare with (tests).
    """
    if not last_sync:
        return "Not synced yet"
    try:
        moment = datetime.strptime(last_sync, _TIME_FORMAT).replace(tzinfo=UTC).astimezone()
    except ValueError:
        return "Synced"
    now = now or datetime.now().astimezone()
    if moment.date() == now.date():
        return f"Synced {moment:%H:%M}"
    return f"Synced {moment.day} {moment:%b %H:%M}"


class SyncController(QObject):
    """Runs syncs and keeps the status bar's sync indicators up to date.

    Args:
        context: the shared services.
        window: the parent of the token prompt.
        summary_delay_ms: how long the pending count waits after a change (tests pass 0).

    Signals:
        setup_requested(): Sync now was asked for while no CRM is set up (the window opens
            Preferences at the CRM section).
        conflicts_requested(): the conflicts button was clicked.
        started(): a run started (asked for, or the periodic one).
        finished(ok): a run ended (True when it completed).
    """

    setup_requested = Signal()
    conflicts_requested = Signal()
    started = Signal()
    #: (completed)
    finished = Signal(bool)

    def __init__(
        self, context: AppContext, window: QWidget, summary_delay_ms: int = SUMMARY_DELAY_MS
    ) -> None:
        super().__init__(window)
        self.context = context
        self._window = window
        self.cancel_token: CancelToken | None = None
        self.last_report: Any = None
        self._failure: str | None = None
        self._conflicts_shown = 0  # open conflicts at the last count (new ones are announced)
        self._last_sync: str | None = None
        self._report_tip = ""
        self.sync_label = QLabel("Sync not configured", window)
        self.pending_label = QLabel("No local changes waiting", window)
        for label in (self.sync_label, self.pending_label):
            label.setObjectName("muted")
        self.conflicts_button = QToolButton(window)
        self.conflicts_button.setAutoRaise(True)
        self.conflicts_button.setToolTip("Records changed both here and in the CRM: settle them")
        self.conflicts_button.hide()
        self.progress = QProgressBar(window)
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = QToolButton(window)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop the sync; what was already sent or read is kept")
        self.cancel_button.hide()
        self.timer = QTimer(self)
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(summary_delay_ms)
        self._connect_signals()
        self._apply_settings()

    def _connect_signals(self) -> None:
        self.cancel_button.clicked.connect(self.cancel)
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._summary_timer.timeout.connect(self.refresh_summary)
        self.context.data.changed.connect(self._on_data_changed)
        self.context.settings.changed.connect(self._on_settings_changed)

    def widgets(self) -> list[QWidget]:
        """The status bar's widgets, left to right."""
        return [
            self.conflicts_button,
            self.pending_label,
            self.progress,
            self.cancel_button,
            self.sync_label,
        ]

    # ------------------------------------------------------------------------------ state

    def configured(self) -> bool:
        """Whether a CRM is chosen in the preferences."""
        return self.context.settings.prefs.crm in CRM_NAMES

    @property
    def running(self) -> bool:
        """Whether a run is in progress."""
        return self.cancel_token is not None

    def _crm(self) -> tuple[str, str]:
        """The CRM chosen and its API address (Salesforce's: the org signed in to, "" before)."""
        prefs = self.context.settings.prefs
        if prefs.crm == "salesforce":
            return prefs.crm, prefs.salesforce_instance_url.strip().rstrip("/")
        return prefs.crm, prefs.crm_base_url.strip().rstrip("/")

    def _apply_settings(self) -> None:
        minutes = self.context.settings.prefs.sync_every_minutes  # 0 to a day: validated
        if minutes > 0 and self.configured():
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()
        self._show_idle()

    def _show_idle(self) -> None:
        if self.running:
            return
        if not self.configured():
            self.sync_label.setText("Sync not configured")
            self.sync_label.setToolTip(
                "All data is local. To sync with a CRM: Edit → Preferences → CRM."
            )
        elif self._failure is not None:
            self.sync_label.setText(self._failure)
        else:
            self.sync_label.setText(synced_words(self._last_sync))
            self.sync_label.setToolTip(
                self._report_tip or "File → Sync now (Ctrl+Shift+S) syncs with the CRM"
            )

    # ------------------------------------------------------------------------------ running

    @Slot()
    def sync_now(self) -> None:
        """File → Sync now: one run, asking for the token when none is known."""
        self.start(interactive=True)

    def start(self, *, interactive: bool) -> None:
        """Start a run (unless one is running).

        Args:
            interactive: asked for by the user: a missing CRM opens the preferences, a missing
                token is asked for, a failure is shown in a message box. Periodic runs only
                say so in the status bar.
        """
        if self.running:
            if interactive:
                self.context.messages.info("A sync is already running.")
            return
        if not self.configured():
            if interactive:
                self.setup_requested.emit()
            return
        from am_desktop.services.sync.credentials import account_name
        from am_desktop.services.sync.http import check_secure

        crm, base_url = self._crm()
        if not base_url and crm == "salesforce":
            self._need_sign_in(interactive)
            return
        try:
            check_secure(base_url)
        except SyncError as error:
            self._on_run_failed(error, interactive)
            return
        token = self.context.session_tokens.get(account_name(crm, base_url))
        self._run(crm, base_url, token, interactive)

    def _run(self, crm: str, base_url: str, token: str | None, interactive: bool) -> None:
        from am_desktop.services.sync.credentials import ENVIRONMENT

        cancel = self.cancel_token = CancelToken()
        store = self.context.store
        memory = self.context.session_tokens
        stages = self.context.settings.prefs.salesforce_stage_map if crm == "salesforce" else None
        # Where the token comes from: a refused one is forgotten only there.
        source = (
            "session"
            if token
            else ("environment" if os.environ.get(ENVIRONMENT, "").strip() else "keyring")
        )

        def work(progress: Any) -> Any:
            from am_desktop import log
            from am_desktop.services.sync.credentials import load_token
            from am_desktop.services.sync.engine import SyncEngine
            from am_desktop.services.sync.tokens import StaticToken

            if crm == "salesforce":
                from am_desktop.services.sync.salesforce_auth import token_source

                tokens = token_source(base_url, memory)
            else:
                known = token or load_token(crm, base_url)
                tokens = StaticToken(known) if known else None
            if tokens is None:
                return NEED_TOKEN
            if isinstance(tokens, StaticToken):
                log.Redact.remember(tokens.current())
            connector = _connector(crm, base_url, tokens, cancel, stages)
            try:
                return SyncEngine(store, connector, progress=progress).run()
            finally:
                connector.close()

        self._failure = None
        self.sync_label.setText("Syncing…")
        self.sync_label.setToolTip("")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.started.emit()  # before submitting: an inline runner has finished on return
        self.context.tasks.submit(
            work,
            lane=Lane.NET,
            on_done=lambda result: self._on_run_done(result, crm, base_url, interactive),
            on_error=lambda error: self._on_run_failed(error, interactive, crm, base_url, source),
            on_progress=self._on_run_progress,
            cancel=cancel,
        )

    @Slot()
    def cancel(self) -> None:
        """Stop the run in progress at its next step."""
        if self.cancel_token is not None:
            self.cancel_token.cancel()
            self.cancel_button.setEnabled(False)
            self.sync_label.setText("Stopping the sync…")

    def _end_run(self) -> None:
        self.cancel_token = None
        self.progress.hide()
        self.cancel_button.hide()

    def _on_run_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setToolTip(stage)

    def _on_run_done(self, result: Any, crm: str, base_url: str, interactive: bool) -> None:
        self._end_run()
        if result is NEED_TOKEN and crm == "salesforce":
            self.finished.emit(False)
            self._need_sign_in(interactive)
            return
        if result is NEED_TOKEN:
            self._show_idle()
            self.finished.emit(False)
            if interactive:
                self._ask_token(crm, base_url)
            else:
                self._failure = "Sync paused: no CRM token"
                self._show_idle()
                self.sync_label.setToolTip("Sync now (Ctrl+Shift+S) asks for the token.")
            return
        self.last_report = result
        if crm == "salesforce" and result.stage_values:  # offered by Preferences → CRM
            self.context.settings.state.salesforce_stage_values = "\n".join(result.stage_values)
        self._last_sync = datetime.now(UTC).strftime(_TIME_FORMAT)
        self._show_idle()
        problems = "\n".join(result.problems[:10])
        self._report_tip = f"Last sync: {result.summary()}." + (f"\n{problems}" if problems else "")
        self.sync_label.setToolTip(self._report_tip)
        new = result.conflicts - self._conflicts_shown
        if interactive and new > 0:
            self.context.messages.info(
                f"Sync finished: {counted(new, 'new conflict')} to settle "
                "(the button in the status bar)."
            )
        self.schedule_summary()
        self.finished.emit(True)

    def _on_run_failed(
        self,
        error: BaseException,
        interactive: bool,
        crm: str | None = None,
        base_url: str | None = None,
        source: str = "keyring",
    ) -> None:
        self._end_run()
        if isinstance(error, Cancelled):
            self._failure = "Sync cancelled"
            self.sync_label.setToolTip("What was already sent or read is kept.")
            self._show_idle()
            self.schedule_summary()
            self.finished.emit(False)
            return
        if not isinstance(error, AppError):
            self._failure = "Sync failed: an unexpected error (see the log)"
            self._show_idle()
            self.finished.emit(False)
            self.context.messages.failure(error)  # a bug: the crash dialog
            return
        kind = getattr(error, "kind", None)
        reason = _SHORT_REASONS.get(kind, "") if kind is not None else ""
        self._failure = f"Sync failed: {reason}" if reason else "Sync failed"
        self._show_idle()
        self.sync_label.setToolTip(error.user_message)
        message = error.user_message
        if kind is SyncErrorKind.AUTH and source == "environment":
            message += " (The token came from $AM_DESKTOP_CRM_TOKEN; the saved one is kept.)"
        elif kind is SyncErrorKind.AUTH and crm is not None and base_url is not None:
            self._forget_token(crm, base_url, source)
        if interactive:
            self.context.messages.error(message)
        else:
            self.context.messages.warning(message)
        self.schedule_summary()
        self.finished.emit(False)

    def _forget_token(self, crm: str, base_url: str, source: str) -> None:
        """The CRM refused the token: forget it where it came from, so the next Sync now asks
        for a new one."""
        from am_desktop.services.sync.credentials import account_name, forget_token

        if source == "session":
            self.context.session_tokens.pop(account_name(crm, base_url), None)
        else:
            self.context.tasks.submit(lambda _p: forget_token(crm, base_url), lane=Lane.NET)

    def _need_sign_in(self, interactive: bool) -> None:
        """Salesforce is chosen but not signed in: Sync now opens Preferences → CRM, where
        "Sign in with Salesforce" is; a periodic run only says so."""
        self._failure = "Sync paused: not signed in to Salesforce"
        self._show_idle()
        self.sync_label.setToolTip("Edit → Preferences → CRM → Sign in with Salesforce.")
        if interactive:
            self.setup_requested.emit()

    def _ask_token(self, crm: str, base_url: str) -> None:
        """No token in the keyring or in memory: ask, and keep the answer for this session."""
        from am_desktop import log
        from am_desktop.services.sync.credentials import account_name

        name = CRM_NAMES.get(crm, crm)
        token, ok = QInputDialog.getText(
            self._window,
            f"{name} token",
            f"Paste the access token for {name} ({base_url}).\n"
            "It is kept in memory until you quit; Edit → Preferences → CRM saves it.",
            QLineEdit.EchoMode.Password,
        )
        token = token.strip()
        if not ok or not token:
            self._failure = "Not synced: no CRM token"
            self._show_idle()
            return
        log.Redact.remember(token)
        self.context.session_tokens[account_name(crm, base_url)] = token
        self._run(crm, base_url, token, interactive=True)

    # ------------------------------------------------------------------------------ summary

    def schedule_summary(self) -> None:
        """Read the pending changes and conflicts again, shortly (changes come in bursts)."""
        self._summary_timer.start()

    @Slot()
    def refresh_summary(self) -> None:
        """Read the pending changes, the conflicts and the last run on a worker (which loads
        the sync code too: the window's start does not wait for it)."""
        store = self.context.store

        def work(_progress: object) -> Any:
            from am_desktop.services.sync.record_state import sync_summary

            return sync_summary(store)

        self.context.tasks.submit(
            work,
            lane=Lane.READ,
            on_done=self._on_summary,
            supersede=(self, "summary"),  # reads run on a pool: an older answer must not win
        )

    def _on_summary(self, summary: Any) -> None:
        self._last_sync = summary.last_sync
        if summary.tracking:
            self.pending_label.setText(
                f"{counted(summary.pending, 'change')} not yet in the CRM"
                if summary.pending
                else "Everything is in the CRM"
            )
            self.pending_label.setToolTip(
                "Records added or changed here since the last sync" if summary.pending else ""
            )
        else:
            self.pending_label.setText("No local changes waiting")
        self._conflicts_shown = summary.conflicts
        self.conflicts_button.setText(f"⚠ {counted(summary.conflicts, 'conflict')}")
        self.conflicts_button.setVisible(summary.conflicts > 0)
        self._show_idle()

    # ------------------------------------------------------------------------------ slots

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.start(interactive=False)

    @Slot(object)
    def _on_data_changed(self, _changes: ChangeSet) -> None:
        self.schedule_summary()  # any edit may be one more change to send

    @Slot(object)
    def _on_settings_changed(self, option: Option[Any]) -> None:
        if option in (
            Prefs.crm,
            Prefs.crm_base_url,
            Prefs.salesforce_instance_url,
            Prefs.sync_every_minutes,
        ):
            if option is not Prefs.sync_every_minutes:
                self._failure = None
            self._apply_settings()
            self.schedule_summary()


def _connector(
    crm: str, base_url: str, tokens: Any, cancel: CancelToken, stages: Any = None
) -> Any:
    """The CRM's connector (``tokens`` is its ``TokenSource``, ``stages`` the stage map chosen
    in Preferences), checking ``cancel`` before every request."""
    from am_desktop.services.sync.crms import connector_for

    # Waits (Retry-After, backoff) wake at once on Cancel or when the window closes.
    return connector_for(
        crm, base_url, tokens, stages=stages, cancelled=cancel.raise_if_cancelled,
        sleep=cancel.wait,
    )  # fmt: skip
