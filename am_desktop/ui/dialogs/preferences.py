"""Edit → Preferences: the few choices the app remembers, the CRM to sync with, and where
its files are.

Nothing is written to the settings until OK, so Cancel always leaves them as they were. The CRM
token is the exception by design: "Save token" puts it in the system keyring at once (it is
never in the settings), or in memory for this session where there is no keyring; so is a
Salesforce sign-in (``salesforce_sign_in``). One CRM is connected at a time: choosing another
than the saved one asks first, and local data is kept either way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTime, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.addresses import address
from am_desktop.domain.coverage import Seniority
from am_desktop.domain.health import LABELS
from am_desktop.errors import AppError
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.currencies_page import CURRENCIES, CurrenciesPage
from am_desktop.ui.dialogs.salesforce_sign_in import SalesforceSignIn
from am_desktop.ui.dialogs.stage_map_editor import StageMapEditor
from am_desktop.ui.settings import Option, Prefs
from am_desktop.ui.sync_status import CRM_NAMES
from am_desktop.ui.tasks import Lane

_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def currency_code(text: str) -> str | None:
    """The currency code ``text`` names (spaces and case forgiven), or None if it is not one."""
    code = text.strip().upper()
    return code if _CURRENCY_CODE.fullmatch(code) else None


class PreferencesDialog(QDialog):
    """The preferences form; OK saves every value, Cancel saves nothing.

    Args:
        context: the shared services (the settings edited, the paths shown).
        parent: the dialog's parent.
        section: the page to open at: "general", "templates", "crm", "calendar",
            "currencies", "files" or "security".

    Attributes:
        encryption_change: after OK, True to encrypt the database, False to decrypt it (the
            user confirmed; the window does it), None for no change.
    """

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, section: str | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        settings = context.settings
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(640)

        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(settings.prefs.currency)
        self.currency.setToolTip("The currency amounts are shown in, as a three-letter code.")
        self.currency_error = QLabel("Enter a three-letter currency code, such as USD or EUR.")
        self.currency_error.setObjectName("fieldError")
        self.currency_error.setWordWrap(True)
        self.currency_error.hide()

        self.cadence = QSpinBox()
        self.cadence.setRange(1, 365)
        self.cadence.setSuffix(" days")
        self.cadence.setValue(settings.prefs.default_checkin_cadence_days)
        self.cadence.setToolTip("How often new accounts should be checked in with.")

        self.gross_margin = QDoubleSpinBox()
        self.gross_margin.setRange(0.0, 100.0)
        self.gross_margin.setDecimals(1)
        self.gross_margin.setSuffix(" %")
        self.gross_margin.setValue(settings.prefs.gross_margin * 100)
        self.gross_margin.setToolTip(
            "The share of revenue kept as profit, used for lifetime value."
        )

        self.backups = QSpinBox()
        self.backups.setRange(1, 60)
        self.backups.setValue(settings.prefs.daily_backups_kept)
        self.backups.setToolTip("How many daily copies of the database to keep.")

        self.remind_at = _time_field(settings.prefs.tasks_remind_at)
        self.senior_level = QComboBox()
        for level in reversed(Seniority):
            self.senior_level.addItem(level.label, int(level))
        self.senior_level.setCurrentIndex(
            max(0, self.senior_level.findData(settings.prefs.coverage_senior_level))
        )
        self.senior_level.setToolTip(
            "The contact map warns when nobody at an account is this senior or more."
        )

        self._make_template_fields(settings)
        self._make_health_fields(settings)
        self._make_crm_fields(settings)
        self._make_calendar_fields(settings)

        self.database_path = self._path_label(str(context.store.path))
        self.settings_path = self._path_label(settings.file_name)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.pages = QTabWidget(self)
        self._lay_out()
        self._connect_signals()
        self._read_token_state()
        if section is not None:
            self.show_section(section)

    def _make_template_fields(self, settings: Any) -> None:
        self.currencies = CurrenciesPage(
            self.context, settings.prefs.reporting_currency, settings.prefs.currency
        )
        self.reporting_currency = self.currencies.reporting_currency
        self.templates = settings.prefs.note_templates
        self.template_name = QComboBox()
        self.template_name.addItems(list(self.templates))
        self.template_text = QPlainTextEdit()
        self.template_text.setPlainText(self.templates[self.template_name.currentText()])
        self.template_text.setToolTip(
            "Markdown. A line '- [ ] …' becomes an action item; #risk, #expansion and "
            "#feedback lines go to the account plan."
        )
        self.template_reset = QPushButton("Restore the original")

    def _make_crm_fields(self, settings: Any) -> None:
        self.crm = QComboBox()
        self.crm.addItem("None: keep everything on this computer", "")
        for key, name in CRM_NAMES.items():
            self.crm.addItem(name, key)
        self.crm.setCurrentIndex(max(0, self.crm.findData(settings.prefs.crm)))
        self.crm_base_url = QLineEdit(settings.prefs.crm_base_url)
        self.crm_base_url.setToolTip(
            "The CRM's API address. Leave it as it is unless your company uses another one."
        )
        self.crm_base_url_error = QLabel()
        self.crm_base_url_error.setObjectName("fieldError")
        self.crm_base_url_error.setWordWrap(True)
        self.crm_base_url_error.hide()
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("Paste the access token")
        self.token.setToolTip(
            "A HubSpot private app token with access to companies, contacts, deals and notes."
        )
        self.save_token_button = QPushButton("Save token")
        self.save_token_button.setToolTip("Keep the token in the system keyring")
        self.token_state = QLabel()
        self.token_state.setWordWrap(True)
        self.token_state.setObjectName("muted")
        self.salesforce = SalesforceSignIn(self.context, self)
        self.stage_map = StageMapEditor(
            settings.state.salesforce_stage_values.splitlines(),
            settings.prefs.salesforce_stage_map,
        )
        #: The CRM this dialog last agreed on: the saved one, or one a switch was confirmed to.
        self._agreed_crm = settings.prefs.crm
        self.switch_box: QMessageBox | None = None
        self.sync_every = QSpinBox()
        self.sync_every.setRange(0, 24 * 60)
        self.sync_every.setSingleStep(5)
        self.sync_every.setSuffix(" minutes")
        self.sync_every.setSpecialValueText("Only when asked (File → Sync now)")
        self.sync_every.setValue(settings.prefs.sync_every_minutes)
        self.sync_every.setToolTip("0 syncs only when you ask, with File → Sync now (Ctrl+Shift+S)")

    def show_section(self, section: str) -> None:
        """Bring a page forward: "general", "templates", "crm", "calendar", "currencies",
        "files" or "security"."""
        pages = {
            "general": 0,
            "templates": 1,
            "crm": 2,
            "calendar": 3,
            "currencies": 4,
            "files": 5,
            "security": 6,
        }
        self.pages.setCurrentIndex(pages.get(section, 0))
        if section == "crm":
            self.crm.setFocus()

    def _security_page(self) -> QWidget:
        from am_desktop.services.encryption import is_encrypted

        self.encryption_change: bool | None = None
        self.encrypted_now = is_encrypted(self.context.store.path)  # its header: no SQL
        self.encrypt = QCheckBox("&Encrypt this database")
        self.encrypt.setChecked(self.encrypted_now)
        self.encrypt.setToolTip(
            "Encrypts the database file with a key kept in this computer's keyring "
            "($AM_DESKTOP_DB_KEY overrides it)."
        )
        self.encryption_note = QLabel(
            "Encrypted, the file on disk means nothing without its key: a lost or stolen "
            "laptop does not give your customers' contacts, contract values and notes away. "
            "The key is kept in this computer's keyring. Changing this closes the window, "
            "rewrites the file (your data is checked before the old file is replaced) and "
            "opens it again."
        )
        self.encryption_note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.encrypt)
        layout.addWidget(self.encryption_note)
        layout.addStretch(1)
        return page

    def confirm_encryption(self, encrypt: bool) -> bool:
        """Ask before the window closes to rewrite the file (a test answers for the user)."""
        name = self.context.store.path.name
        if encrypt:
            question = (
                f"Encrypt {name}? The window closes, the file is rewritten encrypted and "
                "checked, then it opens again. Its key is kept in this computer's keyring."
            )
        else:
            question = (
                f"Decrypt {name}? Anyone who gets the file could then read it. The window "
                "closes, the file is rewritten as a plain one and checked, then it opens again."
            )
        answer = QMessageBox.question(
            self,
            "Encrypt the database" if encrypt else "Decrypt the database",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _make_health_fields(self, settings: Any) -> None:
        self.weights: dict[str, QSpinBox] = {}
        for key, weight in settings.prefs.health_weights.items():
            box = QSpinBox()
            box.setRange(0, 100)
            box.setValue(round(weight))
            box.setToolTip("How much this part counts in the health score (0 leaves it out)")
            self.weights[key] = box
        healthy, watch = settings.prefs.health_bands
        self.healthy_from, self.watch_from = QSpinBox(), QSpinBox()
        for box, value in ((self.healthy_from, healthy), (self.watch_from, watch)):
            box.setRange(1, 99)
            box.setValue(round(value))
        self.health_error = QLabel()
        self.health_error.setObjectName("fieldError")
        self.health_error.setWordWrap(True)
        self.health_error.hide()

    def health_problem(self) -> str:
        """What is wrong with the health weights and bands, in words ("" when nothing)."""
        if not any(box.value() for box in self.weights.values()):
            return "Give at least one part of the health score a weight above 0."
        if self.watch_from.value() >= self.healthy_from.value():
            return "The watch band must start below the healthy band."
        return ""

    @staticmethod
    def _path_label(path: str) -> QLabel:
        label = QLabel(path)
        label.setWordWrap(True)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        return label

    def _lay_out(self) -> None:
        general = QWidget()
        form = QFormLayout(general)
        form.addRow("Currency", self.currency)
        form.addRow("", self.currency_error)
        form.addRow("Default check-in cadence", self.cadence)
        form.addRow("Gross margin for CLV", self.gross_margin)
        form.addRow("Daily backups kept", self.backups)
        form.addRow("Expect a contact at least at", self.senior_level)
        form.addRow("Remind me of tasks due today at", self.remind_at)
        weights = QGridLayout()  # two a row: five in one row cut their names short
        for index, (key, box) in enumerate(self.weights.items()):
            row, column = divmod(index, 2)
            weights.addWidget(QLabel(LABELS[key]), row, column * 2)
            weights.addWidget(box, row, column * 2 + 1)
        weights.setColumnStretch(4, 1)
        form.addRow("Health weights", weights)
        bands = QHBoxLayout()
        bands.addWidget(QLabel("healthy from"))
        bands.addWidget(self.healthy_from)
        bands.addWidget(QLabel("watch from"))
        bands.addWidget(self.watch_from)
        bands.addStretch(1)
        form.addRow("Health bands", bands)
        form.addRow("", self.health_error)
        templates = QWidget()
        template_layout = QVBoxLayout(templates)
        chooser = QHBoxLayout()
        chooser.addWidget(self.template_name, 1)
        chooser.addWidget(self.template_reset)
        template_layout.addLayout(chooser)
        template_layout.addWidget(self.template_text)
        files = QWidget()
        paths = QFormLayout(files)
        paths.addRow("Database", self.database_path)
        paths.addRow("Settings file", self.settings_path)
        self.pages.addTab(general, "&General")
        self.pages.addTab(templates, "&Note templates")
        self.pages.addTab(self._crm_page(), "C&RM")
        self.pages.addTab(self._calendar_page(), "C&alendar")
        self.pages.addTab(self.currencies, "C&urrencies")
        self.pages.addTab(files, "&Files")
        self.pages.addTab(self._security_page(), "&Security")
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)

    def _crm_page(self) -> QWidget:
        page = QWidget()
        form = self.crm_form = QFormLayout()
        form.addRow("&CRM", self.crm)
        one_at_a_time = QLabel(
            "One CRM is connected at a time; switching asks first and keeps the local data."
        )
        one_at_a_time.setToolTip(one_at_a_time.text())  # one line: a wrapped one leaves a gap
        one_at_a_time.setObjectName("muted")
        form.addRow("", one_at_a_time)
        form.addRow("API &address", self.crm_base_url)
        form.addRow("", self.crm_base_url_error)
        token = QHBoxLayout()
        token.addWidget(self.token, 1)
        token.addWidget(self.save_token_button)
        form.addRow("Access &token", token)
        form.addRow("", self.token_state)
        note = QLabel(
            "The token is kept in the system keyring, never in the settings file. Where there "
            "is no keyring it is kept in memory until you quit, and asked for next time."
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        form.addRow("", note)
        self._hubspot_rows: list[Any] = [
            self.crm_base_url,
            self.crm_base_url_error,
            token,
            self.token_state,
            note,
        ]
        self._salesforce_rows: list[Any] = []
        for label, field in [*self.salesforce.rows(), ("Stage &map", self.stage_map)]:
            form.addRow(label, field)
            self._salesforce_rows.append(field)
        form.addRow("Sync &every", self.sync_every)
        for labelled in (
            self.crm,
            self.crm_base_url,
            self.sync_every,
            self.salesforce.consumer_key,
        ):
            buddy = form.labelForField(labelled)
            if isinstance(buddy, QLabel):
                buddy.setBuddy(labelled)
        for field, buddy_of in (
            (token, self.token),
            (self.salesforce.login_row, self.salesforce.login_kind),
            (self.salesforce.callback_row, self.salesforce.callback_port),
            (self.stage_map, self.stage_map.table),
        ):
            field_label = form.labelForField(field)
            if isinstance(field_label, QLabel):
                field_label.setBuddy(buddy_of)
        column = QVBoxLayout(page)
        column.addLayout(form)
        column.addStretch(1)  # rows keep their height; the page's spare room goes below
        self._show_crm_fields()
        return page

    def _show_crm_fields(self) -> None:
        """HubSpot's rows (also while none is chosen: saving a token chooses it), or
        Salesforce's."""
        salesforce = self.crm.currentData() == "salesforce"
        for field in self._hubspot_rows:
            self.crm_form.setRowVisible(field, not salesforce)
        for field in self._salesforce_rows:
            self.crm_form.setRowVisible(field, salesforce)
        self.salesforce.show_parts()
        if not self.salesforce.problem.text():
            self.crm_form.setRowVisible(self.salesforce.problem, False)
        if salesforce or not self.crm_base_url_error.text():
            self.crm_form.setRowVisible(self.crm_base_url_error, False)

    def _make_calendar_fields(self, settings: Any) -> None:
        """Issue 19: the AM's own address and the calendar folder watched."""
        self.my_email = QLineEdit(settings.prefs.my_email)
        self.my_email.setPlaceholderText("you@yourcompany.com")
        self.my_email_error = QLabel("Enter an e-mail address, such as you@yourcompany.com.")
        self.my_email_error.setObjectName("fieldError")
        self.my_email_error.hide()
        self.calendar_folder = QLineEdit(settings.prefs.calendar_folder)
        self.calendar_folder.setReadOnly(True)
        self.calendar_folder.setPlaceholderText("None")
        self.calendar_folder_choose = QPushButton("Choose…")
        self.calendar_folder_clear = QPushButton("Clear")
        self.calendar_folder_choose.clicked.connect(self._on_calendar_folder_choose_clicked)
        self.calendar_folder_clear.clicked.connect(self.calendar_folder.clear)

    def _calendar_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        form.addRow("My e-mail &address", self.my_email)
        form.addRow("", self.my_email_error)
        folder = QHBoxLayout()
        folder.addWidget(self.calendar_folder, 1)
        folder.addWidget(self.calendar_folder_choose)
        folder.addWidget(self.calendar_folder_clear)
        form.addRow("Calendar folder to watch", folder)
        note = QLabel(
            "Meetings with someone from outside your e-mail domain become planned notes. "
            "Calendar files (.ics) saved in the watched folder are imported as they arrive "
            "or change; File → Import calendar… imports one file."
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        form.addRow("", note)
        column = QVBoxLayout(page)
        column.addLayout(form)
        column.addStretch(1)
        return page

    @Slot()
    def _on_calendar_folder_choose_clicked(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen = QFileDialog.getExistingDirectory(
            self, "Calendar folder to watch", self.calendar_folder.text() or str(Path.home())
        )
        if chosen:
            self.calendar_folder.setText(chosen)

    def my_email_problem(self) -> str:
        """What is wrong with the address typed ("" when it is one, or left empty)."""
        text = self.my_email.text().strip()
        if not text or address(text) is not None:
            return ""
        return "Enter an e-mail address, such as you@yourcompany.com."

    def _connect_signals(self) -> None:
        self.currency.currentTextChanged.connect(self._on_currency_text_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.template_name.currentTextChanged.connect(self._on_template_name_changed)
        self.template_text.textChanged.connect(self._on_template_text_changed)
        self.template_reset.clicked.connect(self._on_template_reset_clicked)
        self.crm_base_url.textChanged.connect(self._on_crm_base_url_text_changed)
        self.crm.currentIndexChanged.connect(self._on_crm_current_index_changed)
        self.save_token_button.clicked.connect(self._on_save_token_clicked)
        # Enter in the token field saves the token (and must not also press OK).
        self.token.installEventFilter(self)

    def values(self) -> dict[Option[Any], Any]:
        """The form's values by preference (the currency may be None: not a code)."""
        return {
            Prefs.currency: currency_code(self.currency.currentText()),
            Prefs.reporting_currency: currency_code(self.reporting_currency.currentText()) or "",
            Prefs.default_checkin_cadence_days: self.cadence.value(),
            Prefs.gross_margin: round(self.gross_margin.value() / 100, 4),
            Prefs.daily_backups_kept: self.backups.value(),
            Prefs.coverage_senior_level: self.senior_level.currentData(),
            Prefs.health_weights: {key: box.value() for key, box in self.weights.items()},
            Prefs.health_bands: (self.healthy_from.value(), self.watch_from.value()),
            Prefs.crm: str(self.crm.currentData()),
            Prefs.crm_base_url: self.base_url(),
            Prefs.sync_every_minutes: self.sync_every.value(),
            Prefs.tasks_remind_at: self.remind_at.time().toString("HH:mm"),
            Prefs.note_templates: dict(self.templates),
            **self.salesforce.values(),
            Prefs.salesforce_stage_map: self.stage_map.value(),
            Prefs.my_email: address(self.my_email.text()) or "",
            Prefs.calendar_folder: self.calendar_folder.text(),
        }

    # -- CRM -------------------------------------------------------------------------------

    def base_url(self) -> str:
        """The API address typed (the CRM's own when left empty), without a trailing slash."""
        text = self.crm_base_url.text().strip().rstrip("/")
        scheme, colon, rest = text.partition(":")
        if colon and scheme.isalpha():
            text = f"{scheme.lower()}:{rest}"  # "HTTPS://…" is the same address
        return text or Prefs.crm_base_url.default

    def base_url_problem(self) -> str:
        """What is wrong with the API address, in words ("" when nothing)."""
        from am_desktop.services.sync.http import check_secure

        try:
            check_secure(self.base_url())
        except AppError as error:
            return error.user_message
        return ""

    def _crm_key(self) -> str:
        return str(self.crm.currentData()) or next(iter(CRM_NAMES))

    def _read_token_state(self) -> None:
        """Say whether a token is known for the CRM at this address (read on a worker: a
        keyring may take a moment to answer)."""
        from am_desktop.services.sync.credentials import account_name

        if self.base_url_problem():
            self.token_state.setText("")
            return
        crm, base_url = self._crm_key(), self.base_url()
        if account_name(crm, base_url) in self.context.session_tokens:
            self.token_state.setText("A token is kept in memory for this session.")
            return

        def work(_progress: object) -> str:
            from am_desktop.services.sync.credentials import ENVIRONMENT, load_token

            if os.environ.get(ENVIRONMENT, "").strip():
                return "environment"
            return "keyring" if load_token(crm, base_url) else ""

        self.context.tasks.submit(
            work, lane=Lane.NET, on_done=self._on_token_state_read, receiver=self
        )

    def _on_token_state_read(self, source: str) -> None:
        self.token_state.setText(
            {
                "environment": "The token comes from $AM_DESKTOP_CRM_TOKEN, which overrides "
                "any saved one.",
                "keyring": "A token is saved in the system keyring for this address.",
            }.get(source, "No token saved yet: paste one and choose Save token.")
        )

    @Slot()
    def _on_save_token_clicked(self) -> None:
        """Keep the token: in the keyring, or in memory for this session when there is none."""
        from am_desktop import log
        from am_desktop.services.sync.credentials import account_name

        token = self.token.text().strip()
        if not token:
            self.token_state.setText("Paste the token first.")
            return
        problem = self.base_url_problem()
        if problem:
            self._on_crm_base_url_text_changed(self.crm_base_url.text())
            return
        log.Redact.remember(token)
        if not self.crm.currentData():
            self.crm.setCurrentIndex(self.crm.findData(self._crm_key()))
        crm, base_url = self._crm_key(), self.base_url()
        key = account_name(crm, base_url)
        self.save_token_button.setEnabled(False)

        def work(_progress: object) -> None:
            from am_desktop.services.sync.credentials import save_token

            save_token(crm, base_url, token)

        def saved(_result: object) -> None:
            self.context.session_tokens.pop(key, None)  # the keyring's copy is the one now
            self.token.clear()
            self.save_token_button.setEnabled(True)
            self.token_state.setText("Saved in the system keyring.")

        def failed(error: BaseException) -> None:
            from am_desktop.services.sync.credentials import KeyringUnavailable

            self.save_token_button.setEnabled(True)
            if not isinstance(error, KeyringUnavailable):
                self.context.messages.failure(error)
                return
            self.context.session_tokens[key] = token
            self.token.clear()
            words = (
                "This computer has no keyring to keep the token in safely, so it is kept in "
                "memory until you quit and asked for again next time."
            )
            self.token_state.setText(words)
            if not self.isVisible():  # saved by OK: the dialog is gone, the status bar says it
                self.context.messages.warning(words)

        self.context.tasks.submit(work, lane=Lane.NET, on_done=saved, on_error=failed)

    @Slot(str)
    def _on_crm_base_url_text_changed(self, _text: str) -> None:
        problem = self.base_url_problem()
        self.crm_base_url_error.setText(problem)
        self.crm_base_url_error.setVisible(bool(problem))
        if not problem:
            self._read_token_state()

    @Slot(int)
    def _on_crm_current_index_changed(self, _index: int) -> None:
        chosen = str(self.crm.currentData())
        saved = self.context.settings.prefs.crm
        if chosen == saved:
            self._agreed_crm = saved
        elif saved and self._agreed_crm == saved and self.switch_box is None:
            self._ask_switch(saved, chosen)
        self._show_crm_fields()
        self._read_token_state()

    def _ask_switch(self, connected: str, chosen: str) -> None:
        """Leaving the connected CRM asks first (without blocking: the answer comes back to
        :meth:`_on_switch_answered`)."""
        old = CRM_NAMES.get(connected, connected)
        new = CRM_NAMES.get(chosen, "")
        box = self.switch_box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Switch CRM")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Sync with {new} instead of {old}?" if new else f"Stop syncing with {old}?")
        box.setInformativeText(
            "One CRM is connected at a time. Your accounts, contacts, notes and opportunities "
            f"stay on this computer as they are, and the sign-in to {old} is kept, so you can "
            "switch back later."
        )
        switch = box.addButton(
            f"Switch to {new}" if new else "Stop syncing", QMessageBox.ButtonRole.AcceptRole
        )
        keep = box.addButton(f"Keep {old}", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _code: self._on_switch_answered(box.clickedButton(), switch))
        box.open()

    def _on_switch_answered(self, clicked: QAbstractButton | None, switch: QAbstractButton) -> None:
        box, self.switch_box = self.switch_box, None
        if clicked is switch:
            self._agreed_crm = str(self.crm.currentData())
        else:
            self.crm.blockSignals(True)
            self.crm.setCurrentIndex(max(0, self.crm.findData(self._agreed_crm)))
            self.crm.blockSignals(False)
            self._show_crm_fields()
            self._read_token_state()
        if box is not None:
            box.deleteLater()

    @Slot(str)
    def _on_template_name_changed(self, name: str) -> None:
        self.template_text.blockSignals(True)
        self.template_text.setPlainText(self.templates[name])
        self.template_text.blockSignals(False)

    @Slot()
    def _on_template_text_changed(self) -> None:
        self.templates[self.template_name.currentText()] = self.template_text.toPlainText()

    @Slot()
    def _on_template_reset_clicked(self) -> None:
        from am_desktop.domain.note_templates import DEFAULT_TEMPLATES

        self.template_text.setPlainText(DEFAULT_TEMPLATES[self.template_name.currentText()])

    @Slot(str)
    def _on_currency_text_changed(self, text: str) -> None:
        code = currency_code(text)
        valid = code is not None
        if code is not None:
            self.currencies.show_own_currency(code)
        self.currency_error.setVisible(not valid)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(valid)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.token
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._on_save_token_clicked()
            return True
        return super().eventFilter(watched, event)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        salesforce = self.crm.currentData() == "salesforce"
        if salesforce:
            problem = self.salesforce.values_problem() or self.stage_map.problem()
            self.salesforce.problem.setText(problem)
            self.crm_form.setRowVisible(self.salesforce.problem, bool(problem))
            self.salesforce.problem.setVisible(bool(problem))
            if problem:
                self.show_section("crm")
                return
        elif self.token.text().strip() and not self.base_url_problem():
            self._on_save_token_clicked()  # typed, then OK without Save token: saved anyway
        values = self.values()  # after the token: saving it may have chosen the CRM
        if values[Prefs.currency] is None:  # OK is disabled then; Enter must not slip through
            return
        problem = self.health_problem()
        self.health_error.setText(problem)
        self.health_error.setVisible(bool(problem))
        if problem:
            self.pages.setCurrentIndex(0)
            return
        url_problem = "" if salesforce else self.base_url_problem()
        self.crm_base_url_error.setText(url_problem)
        self.crm_base_url_error.setVisible(bool(url_problem))
        if url_problem:
            self.show_section("crm")
            self.crm_base_url.setFocus()
            return
        email_problem = self.my_email_problem()
        self.my_email_error.setVisible(bool(email_problem))
        if email_problem:
            self.show_section("calendar")
            self.my_email.setFocus()
            return
        for option, value in values.items():  # each one changed tells its listeners
            self.context.settings.prefs.set(option, value)
        wanted = self.encrypt.isChecked()
        if wanted != self.encrypted_now:
            if self.confirm_encryption(wanted):
                self.encryption_change = wanted
            else:
                self.encrypt.setChecked(self.encrypted_now)
        self.accept()

    def done(self, result: int) -> None:
        """Closing stops a Salesforce sign-in still waiting for the browser."""
        self.salesforce.cancel()
        super().done(result)


def _time_field(hh_mm: str) -> QTimeEdit:
    """The hour of the daily reminder of tasks due."""
    field = QTimeEdit()
    field.setDisplayFormat("HH:mm")
    field.setTime(QTime.fromString(hh_mm, "HH:mm"))
    field.setToolTip("Once a day, from this time, a notification names the tasks due that day.")
    return field
