"""Typed settings: what the settings file holds reaches the app in its type, or as the default."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QSettings
from pytestqt.qtbot import QtBot

from am_desktop.ui.options import BoolOption, IntOption, Option, Section
from am_desktop.ui.settings import AppSettings, Layout, Prefs, State

#: The keys existing users' files hold: renaming one would lose their choice.
STORED_KEYS = {
    "prefs/currency",
    "prefs/reporting_currency",
    "prefs/default_checkin_cadence_days",
    "prefs/gross_margin",
    "prefs/daily_backups_kept",
    "prefs/coverage_senior_level",
    "prefs/health_weights",
    "prefs/health_bands",
    "prefs/crm",
    "prefs/crm_base_url",
    "prefs/sync_every_minutes",
    "prefs/salesforce/consumer_key",
    "prefs/salesforce/login_url",
    "prefs/salesforce/callback_port",
    "prefs/salesforce/instance_url",
    "prefs/salesforce/user",
    "prefs/tasks_remind_at",
    "prefs/salesforce/stage_map",
    "prefs/templates/QBR",
    "prefs/my_email",
    "prefs/calendar/folder",
    "state/last_view",
    "state/alerts/dismissed",
    "state/alerts/snoozed",
    "state/salesforce/stage_values",
}


class Sample(Section):
    """A section with a yes/no option (the app has none yet; the first one must read right)."""

    group = "sample"

    confirm = BoolOption("confirm", True)
    retries = IntOption("retries", 3, minimum=0, maximum=10)


def settings_file(tmp_path: Path, text: str) -> Path:
    """An INI file as a person (or an older version) wrote it."""
    path = tmp_path / "settings.ini"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("stored", "value"),
    [("false", False), ("true", True), ("0", False), ("1", True), ("No", False),
     ("maybe", True), ("", True)],
)  # fmt: skip
def test_a_yes_no_option_reads_the_files_words(tmp_path: Path, stored: str, value: bool) -> None:
    path = settings_file(tmp_path, f"[sample]\nconfirm={stored}\n")
    sample = Sample(QSettings(str(path), QSettings.Format.IniFormat))
    assert sample.confirm is value  # "maybe" and "" are not a yes/no: the default


def test_a_yes_no_option_set_this_session_reads_back_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    first = QSettings(str(path), QSettings.Format.IniFormat)
    Sample(first).confirm = False
    first.sync()
    assert "confirm=false" in path.read_text(encoding="utf-8")
    assert Sample(QSettings(str(path), QSettings.Format.IniFormat)).confirm is False


@pytest.mark.parametrize(
    ("key", "damaged"),
    [
        ("default_checkin_cadence_days", "thirty"),  # text in a number
        ("default_checkin_cadence_days", "0"),  # below the range
        ("daily_backups_kept", "500"),  # above the range
        ("daily_backups_kept", "7.5"),  # not whole
        ("gross_margin", "1.5"),
        ("gross_margin", "nan"),
        ("coverage_senior_level", "9"),  # not a level
        ("currency", "euro"),
        ("crm_base_url", ""),
        ("crm_base_url", "api.hubapi.com"),  # no scheme
        ("sync_every_minutes", "-5"),
        ("sync_every_minutes", "100000"),
        ("health_weights", "25,20,20"),  # too few
        ("health_weights", "0,0,0,0,0"),  # would score nothing
        ("health_weights", "25,-20,20,20,15"),
        ("health_bands", "30,60"),  # upside down
        ("health_bands", "170,40"),  # beyond a score
        ("health_bands", "seventy,forty"),
    ],
)
def test_a_damaged_value_reads_as_the_default(tmp_path: Path, key: str, damaged: str) -> None:
    settings = AppSettings(settings_file(tmp_path, f'[prefs]\n{key}="{damaged}"\n'))
    option = vars(Prefs)[key]
    assert settings.prefs.get(option) == option.default


def test_values_written_by_hand_read_in_their_types(tmp_path: Path) -> None:
    path = settings_file(
        tmp_path,
        "[prefs]\ncurrency=EUR\ndaily_backups_kept= 14\ngross_margin=0.725\n"
        "health_weights=10,20,30,40,0\nhealth_bands=80,50\n",  # no quotes: QSettings gives lists
    )
    prefs = AppSettings(path).prefs
    assert prefs.currency == "EUR"
    assert prefs.daily_backups_kept == 14
    assert prefs.gross_margin == pytest.approx(0.725)
    assert prefs.health_weights == {
        "engagement": 10, "stakeholders": 20, "surveys": 30, "usage": 40, "issues": 0
    }  # fmt: skip
    assert prefs.health_bands == (80.0, 50.0)


def test_an_unknown_stored_key_is_ignored(qtbot: QtBot, tmp_path: Path) -> None:
    path = settings_file(
        tmp_path, "[prefs]\nretired_option=1\ncurrency=GBP\n[state]\nold_panel=x\n"
    )
    settings = AppSettings(path)
    assert settings.prefs.currency == "GBP"
    for option in Prefs.options():
        if option is not Prefs.currency:
            assert settings.prefs.get(option) == option.default
    with qtbot.waitSignal(settings.changed, timeout=1000):
        settings.prefs.currency = "CHF"  # writing beside it works too
    assert settings.prefs.currency == "CHF"


@pytest.mark.parametrize(
    "option", [*Prefs.options(), *State.options(), *Sample.options()], ids=repr
)
def test_every_default_passes_its_own_validation(option: Option[Any]) -> None:
    assert option.valid(option.default)
    assert option.read(option.dump(option.default)) == option.default  # and survives the file


def test_setting_a_preference_tells_listeners_once_with_the_option(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    heard: list[Option[Any]] = []
    settings.changed.connect(heard.append)
    settings.prefs.currency = "EUR"
    settings.prefs.currency = "EUR"  # the same value: nothing to tell
    settings.prefs.health_bands = (70, 40)  # the default, already in force
    settings.prefs.note_templates = dict(settings.prefs.note_templates)
    settings.state.last_view = "renewals"  # remembered state is not a preference
    assert heard == [Prefs.currency]
    assert heard[0] is Prefs.currency and heard[0] is not Prefs.crm
    settings.prefs.note_templates = {"QBR": "## Ours\n"}
    assert heard == [Prefs.currency, Prefs.note_templates]


def test_an_invalid_value_is_refused_and_nothing_is_stored(qtbot: QtBot, tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    with qtbot.assertNotEmitted(settings.changed), pytest.raises(ValueError, match="currency"):
        settings.prefs.currency = "euro"
    with pytest.raises(ValueError, match="health_weights"):
        settings.prefs.health_weights = {"engagement": 1}  # the other parts missing
    with pytest.raises(KeyError):
        settings.prefs.set(State.last_view, "today")  # an option of another section
    assert settings.prefs.currency == "USD"
    assert settings.prefs.health_weights == Prefs.health_weights.default


def test_the_stored_keys_stay_those_existing_files_hold(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = AppSettings(path)
    prefs = settings.prefs
    prefs.currency = "EUR"
    prefs.default_checkin_cadence_days = 45
    prefs.gross_margin = 0.5
    prefs.daily_backups_kept = 14
    prefs.coverage_senior_level = 2
    prefs.health_weights = {**Prefs.health_weights.default, "usage": 0}
    prefs.health_bands = (60, 30)
    prefs.crm = "hubspot"
    prefs.crm_base_url = "http://127.0.0.1:9"
    prefs.sync_every_minutes = 5
    prefs.salesforce_consumer_key = "3MVG9-key"
    prefs.salesforce_login_url = "https://test.salesforce.com"
    prefs.salesforce_callback_port = 8181
    prefs.salesforce_instance_url = "https://acme.my.salesforce.com"
    prefs.salesforce_user = "Ann Lee (ann@acme.example)"
    prefs.tasks_remind_at = "07:30"
    prefs.salesforce_stage_map = {"opportunity": {"won": "Closed = Won, yes"}}
    prefs.note_templates = {"QBR": "## Ours\n"}
    prefs.reporting_currency = "GBP"
    prefs.my_email = "maya@ourco.com"
    prefs.calendar_folder = "/home/maya/calendars"
    assert all(prefs.get(o) != o.default for o in Prefs.options())  # every one was written
    settings.state.last_view = "renewals"
    settings.state.salesforce_stage_values = "Prospecting\nClosed Won"
    settings.dismiss_alert("renewal:1")
    settings.snooze_alert("renewal:2", date(2030, 1, 1))
    settings.sync()
    keys = set(QSettings(str(path), QSettings.Format.IniFormat).allKeys())
    assert keys - {"schema_version"} == STORED_KEYS
    text = path.read_text(encoding="utf-8")
    assert 'health_weights="25,20,20,0,15"' in text and 'health_bands="60,30"' in text
    again = AppSettings(path)  # a stage name may hold any character
    assert again.prefs.salesforce_stage_map == {"opportunity": {"won": "Closed = Won, yes"}}
    assert again.state.salesforce_stage_values.splitlines() == ["Prospecting", "Closed Won"]


def test_layouts_and_the_last_view_are_remembered(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = AppSettings(path)
    assert settings.state.last_view == "today"  # the day starts on Today
    assert settings.state_bytes(Layout.MAIN_WINDOW_GEOMETRY) is None
    settings.set_state_bytes(Layout.MAIN_WINDOW_GEOMETRY, QByteArray(b"\x01\x02"))
    settings.state.last_view = "dashboard"
    settings.sync()
    again = AppSettings(path)
    assert again.state_bytes(Layout.MAIN_WINDOW_GEOMETRY) == QByteArray(b"\x01\x02")
    assert again.state.last_view == "dashboard"
    stored = QSettings(str(path), QSettings.Format.IniFormat).allKeys()
    assert "state/main_window/geometry" in stored  # where earlier versions kept it
