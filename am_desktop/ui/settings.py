"""The app's settings: one declarative table of typed options, user preferences apart from
remembered window state.

``Prefs`` (``prefs/…`` in the file) holds the choices made in the preferences dialog; ``State``
(``state/…``) the last view and dismissed alerts; ``Layout`` names the geometry, splitter and
header blobs Qt saves. Call sites read ``settings.prefs.currency``, assign
``settings.prefs.currency = "EUR"`` and compare ``option is Prefs.currency`` in ``changed``
slots: no key is ever spelled outside this module.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal

from am_desktop.domain.coverage import Seniority
from am_desktop.domain.health import DEFAULT_BANDS, DEFAULT_WEIGHTS
from am_desktop.domain.note_templates import DEFAULT_TEMPLATES
from am_desktop.ui.options import (
    BandsOption,
    FloatOption,
    IntOption,
    Option,
    Section,
    StageMapOption,
    TextOption,
    TextsOption,
    WeightsOption,
)

ORGANIZATION = "am-desktop"
APPLICATION = "am-desktop"
SCHEMA_VERSION = 1

__all__ = ["AppSettings", "Layout", "Option", "Prefs", "State"]


class Prefs(Section):
    """The preferences the dialog edits, with their defaults and the values they accept."""

    group = "prefs"

    @property
    def reporting_currency_or_default(self) -> str:
        """The currency reports total in: the reporting currency, else the AM's currency."""
        return self.reporting_currency or self.currency

    #: The currency amounts are shown in (an ISO 4217 code), and the AM's default for new
    #: accounts and files without a currency column.
    currency = TextOption("currency", "USD", pattern=r"[A-Z]{3}")
    #: The currency totals and reports are in (issue 20); empty: the same as ``currency``.
    reporting_currency = TextOption("reporting_currency", "", pattern=r"([A-Z]{3})?")
    #: How often new accounts should be checked in with.
    default_checkin_cadence_days = IntOption(
        "default_checkin_cadence_days", 30, minimum=1, maximum=365
    )
    #: The share of revenue kept as profit (lifetime value).
    gross_margin = FloatOption("gross_margin", 0.80, minimum=0.0, maximum=1.0)
    daily_backups_kept = IntOption("daily_backups_kept", 7, minimum=1, maximum=60)
    #: Coverage warns when no contact is this senior (a Seniority: 3 is vice president).
    coverage_senior_level = IntOption(
        "coverage_senior_level", int(Seniority.VP), choices=frozenset(map(int, Seniority))
    )
    #: Health: the components' weights and the lower bounds of the healthy and watch bands,
    #: stored as "25,20,20,20,15" and "70,40".
    health_weights = WeightsOption("health_weights", dict(DEFAULT_WEIGHTS))
    health_bands = BandsOption("health_bands", DEFAULT_BANDS)
    #: CRM sync (issue 8): which CRM ("" = none: sync is not set up), its API address (the
    #: connector's DEFAULT_BASE_URL, written out so start-up does not load the HTTP code), and
    #: minutes between automatic syncs (0 = only when asked). The token is never kept here:
    #: it lives in the system keyring, or in memory for the session.
    crm = TextOption("crm", "", pattern=r"[a-z]*")
    crm_base_url = TextOption("crm_base_url", "https://api.hubapi.com", pattern=r"https?://\S+")
    sync_every_minutes = IntOption("sync_every_minutes", 0, minimum=0, maximum=24 * 60)
    #: Salesforce (issue 18): the connected app's consumer key (public, not a secret), the
    #: login address (production, sandbox or My Domain), and after a sign-in the org's
    #: instance address and who signed in, shown in Preferences. The refresh token lives in
    #: the keyring only (``services.sync.salesforce_auth``).
    salesforce_consumer_key = TextOption("salesforce/consumer_key", "", pattern=r"\S*")
    salesforce_login_url = TextOption(
        "salesforce/login_url", "https://login.salesforce.com", pattern=r"https?://\S+"
    )
    #: The loopback port of the connected app's callback URL (Salesforce matches it exactly).
    salesforce_callback_port = IntOption(
        "salesforce/callback_port", 7717, minimum=1024, maximum=65535
    )
    salesforce_instance_url = TextOption("salesforce/instance_url", "", pattern=r"(https?://\S+)?")
    salesforce_user = TextOption("salesforce/user", "")
    #: "Remind me of tasks due today at HH:MM" (local time; issue 19).
    tasks_remind_at = TextOption("tasks_remind_at", "09:00", pattern=r"([01]\d|2[0-3]):[0-5]\d")
    #: The stage map the account manager chose (our stage -> theirs, by kind; stages left out
    #: are proposed from the org's picklist at each sync).
    salesforce_stage_map = StageMapOption("salesforce/stage_map", {})
    #: The AM's own e-mail address (issue 19): its domain marks internal attendees and mail,
    #: and follow-up drafts are from it ("" = not given yet).
    my_email = TextOption("my_email", "", pattern=r"([^@\s]+@[^@\s]+\.[^@\s]+)?")
    #: A folder whose new and changed .ics files are imported in the background ("" = none).
    calendar_folder = TextOption("calendar/folder", "")
    #: The note templates, name → Markdown (stored under "templates/<name>" when edited).
    note_templates = TextsOption("templates", dict(DEFAULT_TEMPLATES))


class State(Section):
    """What the app remembers between runs without asking (not shown in preferences)."""

    group = "state"

    #: The view shown at the last exit (the day starts on Today).
    last_view = TextOption("last_view", "today")
    #: The main window's normal rectangle and maximised state, "x,y,width,height,0|1" ("": a
    #: first start); see ui/window/geometry.py.
    window_placement = TextOption(
        "main_window/placement", "", pattern=r"(-?\d+,-?\d+,\d+,\d+,[01])?"
    )
    #: Alerts the user dismissed, one key a line (read through AppSettings.dismissed_alerts).
    alerts_dismissed = TextOption("alerts/dismissed", "")
    #: Snoozed alerts, "key YYYY-MM-DD" a line (read through AppSettings.snoozed_alerts).
    alerts_snoozed = TextOption("alerts/snoozed", "")
    #: Alerts the panel has shown, one key a line: it opens by itself only for others.
    alerts_seen = TextOption("alerts/seen", "")
    #: The business-review export (issue 15): the folder, the kinds of file ("pptx,pdf"), the
    #: PowerPoint template and the logo used last ("" = none). The dialog shows a remembered
    #: file that has since gone as empty.
    review_folder = TextOption("review/folder", "")
    review_formats = TextOption("review/formats", "pptx,pdf", pattern=r"[a-z]+(,[a-z]+)*")
    review_template = TextOption("review/template", "")
    review_logo = TextOption("review/logo", "")
    #: The Salesforce org's StageName picklist, one value a line, as the last sync read it:
    #: Preferences offers these for the stage map.
    salesforce_stage_values = TextOption("salesforce/stage_values", "")


class Layout(enum.Enum):
    """The Qt-saved layouts remembered between runs; the value is the key below ``state/``."""

    MAIN_WINDOW_GEOMETRY = "main_window/geometry"
    MAIN_WINDOW_SPLITTER = "main_window/splitter"
    ACCOUNTS_HEADER = "accounts/header"


class AppSettings(QObject):
    """The app's settings file (INI: readable, the same on every OS).

    Args:
        path: a settings file to use instead of the user's (tests, portable runs).

    Attributes:
        prefs: the preferences, one typed attribute each (``settings.prefs.currency``).
        state: remembered state, one typed attribute each (``settings.state.last_view``).

    Signals:
        changed(option): a preference changed; the ``Option`` itself (``option is
            Prefs.currency``). Setting the value already stored emits nothing.
    """

    changed = Signal(object)

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
        self.prefs = Prefs(self._qt, self._on_pref_changed)
        self.state = State(self._qt)

    @property
    def file_name(self) -> str:
        """Where the settings live (shown in the preferences dialog)."""
        return self._qt.fileName()

    def _on_pref_changed(self, option: Option[Any]) -> None:
        self.changed.emit(option)

    # -- remembered layouts ----------------------------------------------------------------

    def state_bytes(self, key: Layout) -> QByteArray | None:
        """A saved Qt layout (geometry, header, splitter), or None."""
        value = self._qt.value(f"{State.group}/{key.value}")
        return value if isinstance(value, QByteArray) else None

    def set_state_bytes(self, key: Layout, value: QByteArray) -> None:
        """Remember a Qt layout."""
        self._qt.setValue(f"{State.group}/{key.value}", value)

    # -- renewal alerts --------------------------------------------------------------------

    def dismissed_alerts(self) -> set[str]:
        """The keys of the alerts the user dismissed (they never come back)."""
        return set(self._dismissed_in_order())

    def _dismissed_in_order(self) -> list[str]:
        return [key for key in self.state.alerts_dismissed.split("\n") if key]

    def dismiss_alert(self, key: str) -> None:
        """Never show this alert again."""
        keys = [k for k in self._dismissed_in_order() if k != key] + [key]
        self.state.alerts_dismissed = "\n".join(keys[-2000:])  # the oldest fall off

    def seen_alerts(self) -> set[str]:
        """The keys of the alerts the panel has shown (it opens by itself only for others)."""
        return {key for key in self.state.alerts_seen.split("\n") if key}

    def mark_alerts_seen(self, keys: set[str]) -> None:
        """Remember that these alerts were shown."""
        known = [key for key in self.state.alerts_seen.split("\n") if key]
        new = sorted(keys - set(known))
        if new:
            self.state.alerts_seen = "\n".join((known + new)[-2000:])  # the oldest fall off

    def snoozed_alerts(self) -> dict[str, date]:
        """Alerts hidden until a day: key → the day they come back."""
        snoozed: dict[str, date] = {}
        for line in self.state.alerts_snoozed.split("\n"):
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
        self.state.alerts_snoozed = "\n".join(f"{k} {d.isoformat()}" for k, d in snoozed.items())

    def sync(self) -> None:
        """Write to disk now."""
        self._qt.sync()
