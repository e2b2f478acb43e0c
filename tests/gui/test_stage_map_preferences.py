"""Preferences → CRM's stage map (issue 18): before a sync it says the org's stages are not read
yet; after one it proposes a Salesforce stage for each of ours, a change is saved on OK, and
one org stage chosen for two of ours is refused in words."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QDialogButtonBox
from pytestqt.qtbot import QtBot

from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.preferences import PreferencesDialog
from tests.support.fake_salesforce import STAGES
from tests.support.fake_salesforce_login import CONSUMER_KEY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def dialog_for(qtbot: QtBot, context: AppContext) -> PreferencesDialog:
    dialog = PreferencesDialog(context, section="crm")
    qtbot.addWidget(dialog)
    dialog.crm.setCurrentIndex(dialog.crm.findData("salesforce"))
    dialog.salesforce.consumer_key.setText(CONSUMER_KEY)
    dialog.show()
    return dialog


def combo_of(dialog: PreferencesDialog, obj: str, stage: str) -> QComboBox:
    return next(c for o, s, c in dialog.stage_map.rows if (o, s) == (obj, stage))


def test_before_a_sync_the_stage_map_says_the_stages_are_not_read(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = dialog_for(qtbot, context)
    assert dialog.stage_map.note.isVisible() and not dialog.stage_map.table.isVisible()
    assert dialog.stage_map.value() == {}


def test_the_stage_map_proposes_saves_a_change_and_refuses_a_stage_chosen_twice(
    qtbot: QtBot, context: AppContext
) -> None:
    context.settings.state.salesforce_stage_values = "\n".join(STAGES)
    dialog = dialog_for(qtbot, context)
    assert dialog.stage_map.table.isVisible()
    won = combo_of(dialog, "opportunity", "won")
    assert won.currentText() == "Closed Won"
    identified = combo_of(dialog, "opportunity", "identified")
    identified.setCurrentText("Closed Won")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()  # refused
    assert "“Closed Won” is chosen for two expansion stages" in dialog.salesforce.problem.text()
    identified.setCurrentText("Needs Analysis")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible()
    saved = context.settings.prefs.salesforce_stage_map
    assert saved["opportunity"]["identified"] == "Needs Analysis"
    assert saved["renewal"]["renewed"] == "Closed Won"
    again = dialog_for(qtbot, context)  # the choice comes back
    assert combo_of(again, "opportunity", "identified").currentText() == "Needs Analysis"
