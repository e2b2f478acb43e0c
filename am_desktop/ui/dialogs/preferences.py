"""Edit → Preferences: the few choices the app remembers, and where its files are.

Nothing is written until OK, so Cancel always leaves the settings as they were.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.coverage import Seniority
from am_desktop.domain.health import LABELS
from am_desktop.ui.context import AppContext

#: Offered in the currency list; any other three-letter ISO 4217 code may be typed.
CURRENCIES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY")
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
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        settings = context.settings
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(480)

        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(str(settings.preference("currency")))
        self.currency.setToolTip("The currency amounts are shown in, as a three-letter code.")
        self.currency_error = QLabel("Enter a three-letter currency code, such as USD or EUR.")
        self.currency_error.setObjectName("fieldError")
        self.currency_error.setWordWrap(True)
        self.currency_error.hide()

        self.cadence = QSpinBox()
        self.cadence.setRange(1, 365)
        self.cadence.setSuffix(" days")
        self.cadence.setValue(int(settings.preference("default_checkin_cadence_days")))
        self.cadence.setToolTip("How often new accounts should be checked in with.")

        self.gross_margin = QDoubleSpinBox()
        self.gross_margin.setRange(0.0, 100.0)
        self.gross_margin.setDecimals(1)
        self.gross_margin.setSuffix(" %")
        self.gross_margin.setValue(float(settings.preference("gross_margin")) * 100)
        self.gross_margin.setToolTip(
            "The share of revenue kept as profit, used for lifetime value."
        )

        self.backups = QSpinBox()
        self.backups.setRange(1, 60)
        self.backups.setValue(int(settings.preference("daily_backups_kept")))
        self.backups.setToolTip("How many daily copies of the database to keep.")

        self.senior_level = QComboBox()
        for level in reversed(Seniority):
            self.senior_level.addItem(level.label, int(level))
        self.senior_level.setCurrentIndex(
            max(0, self.senior_level.findData(int(settings.preference("coverage_senior_level"))))
        )
        self.senior_level.setToolTip(
            "The contact map warns when nobody at an account is this senior or more."
        )

        self.templates = settings.note_templates()
        self.template_name = QComboBox()
        self.template_name.addItems(list(self.templates))
        self.template_text = QPlainTextEdit()
        self.template_text.setPlainText(self.templates[self.template_name.currentText()])
        self.template_text.setToolTip(
            "Markdown. A line '- [ ] …' becomes an action item; #risk, #expansion and "
            "#feedback lines go to the account plan."
        )
        self.template_reset = QPushButton("Restore the original")

        self._make_health_fields(settings)

        self.database_path = self._path_label(str(context.store.path))
        self.settings_path = self._path_label(settings.file_name)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._lay_out()
        self._connect_signals()

    def _make_health_fields(self, settings: Any) -> None:
        self.weights: dict[str, QSpinBox] = {}
        for key, weight in settings.health_weights().items():
            box = QSpinBox()
            box.setRange(0, 100)
            box.setValue(round(weight))
            box.setToolTip("How much this part counts in the health score (0 leaves it out)")
            self.weights[key] = box
        healthy, watch = settings.health_bands()
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
        form = QFormLayout()
        form.addRow("Currency", self.currency)
        form.addRow("", self.currency_error)
        form.addRow("Default check-in cadence", self.cadence)
        form.addRow("Gross margin for CLV", self.gross_margin)
        form.addRow("Daily backups kept", self.backups)
        form.addRow("Expect a contact at least at", self.senior_level)
        weights = QHBoxLayout()
        for key, box in self.weights.items():
            weights.addWidget(QLabel(LABELS[key]))
            weights.addWidget(box)
        form.addRow("Health weights", weights)
        bands = QHBoxLayout()
        bands.addWidget(QLabel("healthy from"))
        bands.addWidget(self.healthy_from)
        bands.addWidget(QLabel("watch from"))
        bands.addWidget(self.watch_from)
        bands.addStretch(1)
        form.addRow("Health bands", bands)
        form.addRow("", self.health_error)
        templates = QGroupBox("Note templates")
        template_layout = QVBoxLayout(templates)
        chooser = QHBoxLayout()
        chooser.addWidget(self.template_name, 1)
        chooser.addWidget(self.template_reset)
        template_layout.addLayout(chooser)
        template_layout.addWidget(self.template_text)
        data = QGroupBox("Data")
        paths = QFormLayout(data)
        paths.addRow("Database", self.database_path)
        paths.addRow("Settings file", self.settings_path)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(templates, 1)
        layout.addWidget(data)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.currency.currentTextChanged.connect(self._on_currency_text_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.template_name.currentTextChanged.connect(self._on_template_name_changed)
        self.template_text.textChanged.connect(self._on_template_text_changed)
        self.template_reset.clicked.connect(self._on_template_reset_clicked)

    def values(self) -> dict[str, Any]:
        """The form's values, keyed as the settings store them (the currency may be None)."""
        return {
            "currency": currency_code(self.currency.currentText()),
            "default_checkin_cadence_days": self.cadence.value(),
            "gross_margin": round(self.gross_margin.value() / 100, 4),
            "daily_backups_kept": self.backups.value(),
            "coverage_senior_level": self.senior_level.currentData(),
            "health_weights": ",".join(str(box.value()) for box in self.weights.values()),
            "health_bands": f"{self.healthy_from.value()},{self.watch_from.value()}",
        }

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
        valid = currency_code(text) is not None
        self.currency_error.setVisible(not valid)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(valid)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        values = self.values()
        if values["currency"] is None:  # OK is disabled then; Enter must not slip through
            return
        problem = self.health_problem()
        self.health_error.setText(problem)
        self.health_error.setVisible(bool(problem))
        if problem:
            return
        for key, value in values.items():
            self.context.settings.set_preference(key, value)
        stored = self.context.settings.note_templates()
        for name, text in self.templates.items():
            if text != stored[name]:
                self.context.settings.set_note_template(name, text)
        self.accept()
