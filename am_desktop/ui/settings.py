"""Typed access to QSettings: user preferences apart from remembered window state.

``prefs/…`` holds choices made in the preferences dialog; ``state/…`` holds geometry, splitter
and column layouts, the last view. One accessor per key, one table of defaults.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal

ORGANIZATION = "am-desktop"
APPLICATION = "am-desktop"
SCHEMA_VERSION = 1

#: Preferences and their defaults (the preferences dialog edits these).
PREFERENCE_DEFAULTS: dict[str, Any] = {
    "currency": "USD",
    "default_checkin_cadence_days": 30,
    "gross_margin": 0.80,
    "daily_backups_kept": 7,
    #: Coverage warns when no contact is this senior (a Seniority: 3 is vice president).
    "coverage_senior_level": 3,
    #: Health: the components' weights (engagement, stakeholders, surveys, usage, issues) and
    #: the bands' lower bounds (healthy, watch), as "25,20,20,20,15" and "70,40".
    "health_weights": "25,20,20,20,15",
    "health_bands": "70,40",
    #: CRM sync (issue 8): which CRM ("" = none: sync is not set up), its API address (the
    #: connector's DEFAULT_BASE_URL, written out so start-up does not load the HTTP code), and
    #: minutes between automatic syncs (0 = only when asked). The token is never kept here:
    #: it lives in the system keyring, or in memory for the session.
    "crm": "",
    "crm_base_url": "https://api.hubapi.com",
    "sync_every_minutes": 0,
}


class AppSettings(QObject):
    """The app's settings file (INI: readable, the same on every OS).

    Args:
        path: a settings file to use instead of the user's (tests, portable runs).

    Signals:
        changed(key): a preference changed.
    """

    changed = Signal(str)

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if path is None:
            self._qt = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
            )
        else:
            self._qt = QSettings(str(path), QSettings.Format.IniFormat)
        if self._qt.value("schema_version") is None:
            self._qt.setValue("schema_version", SCHEMA_VERSION)

    @property
    def file_name(self) -> str:
        """Where the settings live (shown in the preferences dialog)."""
        return self._qt.fileName()

    # -- preferences -----------------------------------------------------------------------

    def preference(self, key: str) -> Any:
        """A preference, in its default's type; a damaged value falls back to the default."""
        default = PREFERENCE_DEFAULTS[key]
        raw = self._qt.value(f"prefs/{key}", default)
        try:
            return type(default)(raw)
        except (TypeError, ValueError):
            return default

    def set_preference(self, key: str, value: Any) -> None:
        """Change a preference and tell listeners."""
        if key not in PREFERENCE_DEFAULTS:
            raise KeyError(key)
        if self.preference(key) != value:
            self._qt.setValue(f"prefs/{key}", value)
            self.changed.emit(key)

    # -- health ------------------------------------------------------------------------------

    def health_weights(self) -> dict[str, float]:
        """The health components' weights (the defaults when the stored text is damaged)."""
        from am_desktop.domain.health import DEFAULT_WEIGHTS

        numbers = _numbers(self.preference("health_weights"), len(DEFAULT_WEIGHTS))
        if not numbers or not any(numbers):  # all zero would score nothing
            return dict(DEFAULT_WEIGHTS)
        return dict(zip(DEFAULT_WEIGHTS, numbers, strict=True))

    def health_bands(self) -> tuple[float, float]:
        """The lower bounds of the healthy and watch bands."""
        numbers = _numbers(self.preference("health_bands"), 2)
        if numbers and numbers[0] > numbers[1]:
            return numbers[0], numbers[1]
        return 70.0, 40.0

    # -- note templates ----------------------------------------------------------------------

    def note_templates(self) -> dict[str, str]:
        """The note templates: the built-in ones, as the user changed them."""
        from am_desktop.domain.note_templates import DEFAULT_TEMPLATES

        return {
            name: str(self._qt.value(f"prefs/templates/{name}", text))
            for name, text in DEFAULT_TEMPLATES.items()
        }

    def set_note_template(self, name: str, text: str) -> None:
        """Change a template (an empty text brings back the built-in one)."""
        if text.strip():
            self._qt.setValue(f"prefs/templates/{name}", text)
        else:
            self._qt.remove(f"prefs/templates/{name}")
        self.changed.emit("note_templates")

    # -- remembered state ------------------------------------------------------------------

    def state_bytes(self, key: str) -> QByteArray | None:
        """Saved Qt state (geometry, header, splitter), or None."""
        value = self._qt.value(f"state/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_state_bytes(self, key: str, value: QByteArray) -> None:
        """Remember Qt state."""
        self._qt.setValue(f"state/{key}", value)

    def state_text(self, key: str, default: str = "") -> str:
        """A remembered word (the last view, a sort column)."""
        value = self._qt.value(f"state/{key}", default)
        return value if isinstance(value, str) else default

    def set_state_text(self, key: str, value: str) -> None:
        """Remember a word."""
        self._qt.setValue(f"state/{key}", value)

    # -- renewal alerts --------------------------------------------------------------------

    def dismissed_alerts(self) -> set[str]:
        """The keys of the alerts the user dismissed (they never come back)."""
        return set(self._dismissed_in_order())

    def _dismissed_in_order(self) -> list[str]:
        return [key for key in self.state_text("alerts/dismissed").split("\n") if key]

    def dismiss_alert(self, key: str) -> None:
        """Never show this alert again."""
        keys = [k for k in self._dismissed_in_order() if k != key] + [key]
        self.set_state_text("alerts/dismissed", "\n".join(keys[-2000:]))  # the oldest fall off

    def snoozed_alerts(self) -> dict[str, date]:
        """Alerts hidden until a day: key → the day they come back."""
        snoozed: dict[str, date] = {}
        for line in self.state_text("alerts/snoozed").split("\n"):
            key, _, until = line.rpartition(" ")
            try:
                snoozed[key] = date.fromisoformat(until)
            except ValueError:
                continue
        return snoozed

    def snooze_alert(self, key: str, until: date) -> None:
        """Hide an alert until ``until``."""
        oldest = until - timedelta(days=60)  # long past snoozes fall off
        snoozed = {k: d for k, d in self.snoozed_alerts().items() if d >= oldest}
        snoozed[key] = until
        self.set_state_text(
            "alerts/snoozed", "\n".join(f"{k} {d.isoformat()}" for k, d in snoozed.items())
        )

    def sync(self) -> None:
        """Write to disk now."""
        self._qt.sync()


def _numbers(text: str, count: int) -> list[float] | None:
    """``count`` non-negative numbers from "25,20,…" (None when the text is not that)."""
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        return None
    if len(numbers) != count or any(n < 0 for n in numbers):
        return None
    return numbers
