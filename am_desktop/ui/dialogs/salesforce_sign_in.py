"""Salesforce's rows of Preferences → CRM (issue 18): the connected app's consumer key, the
login address (production, sandbox or My Domain), "Sign in with Salesforce…" run on a worker
with Cancel, who is signed in, and Sign out.

A sign-in is kept at once, like a saved token: the refresh token in the system keyring (or in
memory for this session where there is none), and the org's address, who signed in, the
consumer key and login address in the settings (none of them a secret), so closing the dialog
with Cancel still leaves the app signed in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from am_desktop.domain.cancel import CancelToken
from am_desktop.errors import AppError, Cancelled
from am_desktop.ui.context import AppContext
from am_desktop.ui.settings import Option, Prefs
from am_desktop.ui.tasks import Lane


def login_choices() -> tuple[tuple[str, str], ...]:
    """The login address choices: name shown, address ("" = a My Domain typed in)."""
    from am_desktop.services.sync.salesforce_auth import PRODUCTION, SANDBOX

    return (
        ("Production (login.salesforce.com)", PRODUCTION),
        ("Sandbox (test.salesforce.com)", SANDBOX),
        ("My Domain…", ""),
    )


def open_in_system_browser(url: str) -> bool:
    """The user's own browser (never a web view inside the app: RFC 8252)."""
    return QDesktopServices.openUrl(QUrl(url))


class SalesforceSignIn(QObject):
    """The Salesforce fields and their sign-in; Preferences lays out :meth:`rows`.

    Attributes:
        open_url: opens the sign-in page (tests act as the browser here).

    Signals:
        signed_in(instance_url): a sign-in finished and was kept.
    """

    signed_in = Signal(str)
    #: From the worker: open this URL (on the GUI thread).
    _browser_wanted = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.open_url: Callable[[str], object] = open_in_system_browser
        self._cancel: CancelToken | None = None
        prefs = context.settings.prefs
        self.consumer_key = QLineEdit(prefs.salesforce_consumer_key)
        self.consumer_key.setPlaceholderText("From your company's connected app")
        self.consumer_key.setToolTip(
            "Salesforce Setup → App Manager → the connected app → Consumer Key. It is not a "
            "secret; no client secret is needed."
        )
        self.login_kind = QComboBox()
        for name, url in login_choices():
            self.login_kind.addItem(name, url)
        self.my_domain = QLineEdit()
        self.my_domain.setPlaceholderText("https://yourcompany.my.salesforce.com")
        saved = prefs.salesforce_login_url.rstrip("/")
        index = self.login_kind.findData(saved)
        if index < 0:
            index = self.login_kind.findData("")
            self.my_domain.setText(saved)
        self.login_kind.setCurrentIndex(index)
        self.callback_port = QSpinBox()
        self.callback_port.setRange(1024, 65535)
        self.callback_port.setValue(prefs.salesforce_callback_port)
        self.callback_port.setToolTip(
            "Salesforce sends the sign-in back to this port on this computer; the connected "
            "app must list the callback URL shown beside it."
        )
        self.callback_url = QLabel()
        self.callback_url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.callback_row = QHBoxLayout()
        self.callback_row.addWidget(self.callback_port)
        self.callback_row.addWidget(self.callback_url, 1)
        self.problem = QLabel()
        self.problem.setObjectName("fieldError")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.sign_in_button = QPushButton("Sign in with Salesforce…")
        self.sign_in_button.setToolTip("Opens Salesforce's sign-in page in your browser")
        self.cancel_button = QPushButton("Cancel sign-in")
        self.cancel_button.hide()
        self.sign_out_button = QPushButton("Sign out")
        self.sign_out_button.setToolTip("Forget the sign-in on this computer and revoke it")
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setObjectName("muted")
        self.login_row = QHBoxLayout()
        self.login_row.addWidget(self.login_kind)
        self.login_row.addWidget(self.my_domain, 1)
        self.buttons_row = QHBoxLayout()
        for button in (self.sign_in_button, self.cancel_button, self.sign_out_button):
            self.buttons_row.addWidget(button)
        self.buttons_row.addStretch(1)
        self._connect_signals()
        self._on_login_kind_changed(self.login_kind.currentIndex())
        self._show_callback_url()
        self._show_signed_in()

    def _connect_signals(self) -> None:
        self.login_kind.currentIndexChanged.connect(self._on_login_kind_changed)
        self.callback_port.valueChanged.connect(self._show_callback_url)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.cancel_button.clicked.connect(self.cancel)
        self.sign_out_button.clicked.connect(self.sign_out)
        self._browser_wanted.connect(self._on_browser_wanted)

    def rows(self) -> list[tuple[str, Any]]:
        """(label, field) rows for the CRM page's form, top to bottom."""
        return [
            ("Consumer &key", self.consumer_key),
            ("&Login address", self.login_row),
            ("Callback &port", self.callback_row),
            ("", self.problem),
            ("Sign-in", self.buttons_row),
            ("", self.state),
        ]

    # -- values ----------------------------------------------------------------------------

    def _show_callback_url(self) -> None:
        from am_desktop.services.sync.salesforce_auth import callback_url

        self.callback_url.setText(f"Callback URL: {callback_url(self.callback_port.value())}")

    def login_url(self) -> str:
        """The login address chosen (the My Domain typed when that is the choice)."""
        return str(self.login_kind.currentData()) or self.my_domain.text().strip()

    def values_problem(self) -> str:
        """What is wrong with the consumer key or login address, in words ("" when nothing)."""
        from am_desktop.services.sync.salesforce_auth import SalesforceApp

        try:
            SalesforceApp.of(self.consumer_key.text(), self.login_url())
        except AppError as error:
            return error.user_message
        return ""

    def values(self) -> dict[Option[Any], Any]:
        """The Salesforce preferences as the form has them (the org and user as the last
        sign-in or sign-out left them; a login address that is not valid stays as saved)."""
        from am_desktop.services.sync.salesforce_auth import check_login_url

        prefs = self.context.settings.prefs
        login_url = prefs.salesforce_login_url
        with contextlib.suppress(AppError):  # OK refuses it, saying why: nothing half-valid
            login_url = check_login_url(self.login_url())
        return {
            Prefs.salesforce_consumer_key: self.consumer_key.text().strip(),
            Prefs.salesforce_login_url: login_url,
            Prefs.salesforce_callback_port: self.callback_port.value(),
            Prefs.salesforce_instance_url: prefs.salesforce_instance_url,
            Prefs.salesforce_user: prefs.salesforce_user,
        }

    def save(self) -> None:
        """Write the form's Salesforce preferences (after a sign-in: it is kept at once)."""
        for option, value in self.values().items():
            self.context.settings.prefs.set(option, value)

    # -- signing in ------------------------------------------------------------------------

    @property
    def signing_in(self) -> bool:
        return self._cancel is not None

    @Slot()
    def sign_in(self) -> None:
        """Open Salesforce's sign-in in the browser and wait for it on a worker."""
        from am_desktop.services.sync.salesforce_auth import SalesforceApp

        problem = self.values_problem()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        if problem or self.signing_in:
            return
        app = SalesforceApp.of(
            self.consumer_key.text(), self.login_url(), self.callback_port.value()
        )
        cancel = self._cancel = CancelToken()
        memory = self.context.session_tokens
        wanted = self._browser_wanted

        def work(_progress: object) -> Any:
            from am_desktop.services.sync.salesforce_auth import SignInKeeper, sign_in

            return sign_in(
                app,
                open_browser=wanted.emit,  # queued to the GUI thread
                cancelled=lambda: cancel.cancelled,
                keeper=SignInKeeper(memory),
            )

        self.sign_in_button.setEnabled(False)
        self.sign_out_button.setEnabled(False)
        self.cancel_button.show()
        self.state.setText(
            "Waiting for the browser: sign in to Salesforce there and choose Allow "
            "(up to 5 minutes)."
        )
        self.context.tasks.submit(
            work,
            lane=Lane.NET,
            on_done=self._on_signed_in,
            on_error=self._on_sign_in_failed,
            cancel=cancel,
            receiver=self,
        )

    @Slot()
    def cancel(self) -> None:
        """Stop waiting for the browser."""
        if self._cancel is not None:
            self._cancel.cancel()

    def _end_sign_in(self) -> None:
        self._cancel = None
        self.sign_in_button.setEnabled(True)
        self.sign_out_button.setEnabled(True)
        self.cancel_button.hide()

    def _on_signed_in(self, done: Any) -> None:
        self._end_sign_in()
        prefs = self.context.settings.prefs
        self.save()
        prefs.salesforce_instance_url = done.session.instance_url
        prefs.salesforce_user = done.user
        self._show_signed_in()
        if not done.kept:
            words = (
                "This computer has no keyring to keep the sign-in in safely, so it is kept in "
                "memory until you quit and asked for again next time."
            )
            self.state.setText(f"{self.state.text()} {words}")
        self.signed_in.emit(done.session.instance_url)

    def _on_sign_in_failed(self, error: BaseException) -> None:
        self._end_sign_in()
        if isinstance(error, Cancelled):
            self.state.setText("Sign-in cancelled.")
        elif isinstance(error, AppError):
            self.state.setText(error.user_message)
        else:
            self._show_signed_in()
            self.context.messages.failure(error)

    @Slot(str)
    def _on_browser_wanted(self, url: str) -> None:
        if not self.open_url(url):
            self.state.setText(
                "No browser opened. Open this address in your browser to sign in:\n" + url
            )
            self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    @Slot()
    def sign_out(self) -> None:
        """Forget the sign-in (revoked at Salesforce when it can be reached)."""
        prefs = self.context.settings.prefs
        instance = prefs.salesforce_instance_url
        memory = self.context.session_tokens

        def work(_progress: object) -> None:
            from am_desktop.services.sync.salesforce_auth import sign_out

            if instance:
                sign_out(instance, memory)

        def done(_result: object) -> None:
            prefs.salesforce_instance_url = ""
            prefs.salesforce_user = ""
            self._show_signed_in()
            self.state.setText("Signed out: the sign-in is forgotten on this computer.")

        self.sign_out_button.setEnabled(False)
        self.context.tasks.submit(work, lane=Lane.NET, on_done=done)

    def _show_signed_in(self) -> None:
        prefs = self.context.settings.prefs
        instance, user = prefs.salesforce_instance_url, prefs.salesforce_user
        self.sign_out_button.setVisible(bool(instance))
        self.sign_out_button.setEnabled(True)
        if not instance:
            self.state.setText("Not signed in.")
        elif user:
            self.state.setText(f"Signed in as {user} at {instance}.")
        else:
            self.state.setText(f"Signed in at {instance}.")

    def show_parts(self) -> None:
        """Show only the parts that apply now (after the form showed the rows whole): the My
        Domain field for a My Domain, Cancel while signing in, Sign out while signed in."""
        self.my_domain.setVisible(not self.login_kind.currentData())
        self.cancel_button.setVisible(self.signing_in)
        self.sign_out_button.setVisible(bool(self.context.settings.prefs.salesforce_instance_url))

    @Slot(int)
    def _on_login_kind_changed(self, _index: int) -> None:
        self.my_domain.setVisible(not self.login_kind.currentData())
