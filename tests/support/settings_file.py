"""Writing the settings file as a person with a text editor would: no validation on the way."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from am_desktop.ui.settings import AppSettings


def hand_edit(settings: AppSettings, key: str, raw: str) -> None:
    """Store ``raw`` at ``key`` ("prefs/currency") in ``settings``' file, as typed by hand.

    QSettings objects on one file in one process share their values, so ``settings`` reads it
    at once.
    """
    QSettings(settings.file_name, QSettings.Format.IniFormat).setValue(key, raw)
