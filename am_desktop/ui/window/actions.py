"""The menus as one table: each action's text, shortcut and what it runs.

The Help → Keyboard shortcuts dialog reads the built menus, so this table is also where the
shortcuts list comes from.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow

from am_desktop.ui.sync_status import SyncController
from am_desktop.ui.window.views import VIEWS, ViewKey
from am_desktop.ui.window.workspace_tabs import WorkspaceTabs

#: The property an action whose text changes as the app runs ("Undo Close renewal") keeps its
#: steady name in, for the shortcuts list.
STEADY_LABEL = "steadyLabel"


class Commands(Protocol):
    """What the menus run: the window's commands and parts."""

    @property
    def tabs(self) -> WorkspaceTabs: ...

    @property
    def sync(self) -> SyncController: ...

    def open_own_database(self) -> None: ...

    def new_account(self) -> None: ...

    def import_csv(self) -> None: ...

    def import_mail_contacts(self) -> None: ...
    def import_calendar(self) -> None: ...

    def export_csv(self) -> None: ...

    def export_contact_map(self) -> None: ...

    def export_review(self) -> None: ...

    def sync_now(self) -> None: ...

    def show_conflicts(self) -> None: ...

    def show_backups(self) -> None: ...

    def close(self) -> bool: ...

    def show_preferences(self) -> None: ...

    def show_palette(self) -> None: ...

    def show_view(self, key: ViewKey) -> None: ...

    def step_tab(self, step: int) -> None: ...

    def new_note(self) -> None: ...

    def quick_note(self) -> None: ...

    def search_notes(self) -> None: ...

    def show_brief(self) -> None: ...

    def show_shortcuts(self) -> None: ...

    def show_about(self) -> None: ...


class ActionKey(enum.Enum):
    """Actions the window reaches after building them (to enable or trigger them)."""

    OWN_DATABASE = "own_database"
    EXPORT_MAP = "export_map"
    SYNC = "sync"
    CANCEL_SYNC = "cancel_sync"


@dataclass(frozen=True)
class Act:
    """One menu action.

    Attributes:
        text: the menu text (with its & mnemonic).
        shortcut: a key sequence, a standard key, or None.
        run: what it does, given the window.
        key: set when the window needs the built action.
        enabled: whether it starts enabled.
    """

    text: str
    shortcut: str | QKeySequence.StandardKey | None
    run: Callable[[Commands], object]
    key: ActionKey | None = None
    enabled: bool = True


class Stock(enum.Enum):
    """Entries the table names but does not describe."""

    SEPARATOR = "separator"
    UNDO_REDO = "undo_redo"  # the undo stack's own actions (their text names the command)


Entry = Act | Stock
_ = Stock.SEPARATOR


def _go(key: ViewKey) -> Callable[[Commands], object]:
    return lambda w: w.show_view(key)


#: The menu bar: (menu title, entries).
MENUS: tuple[tuple[str, tuple[Entry, ...]], ...] = (
    (
        "&File",
        (
            # Shown on the demo portfolio only: the way back to the user's file.
            Act(
                "&Open my own database",
                None,
                lambda w: w.open_own_database(),
                ActionKey.OWN_DATABASE,
            ),
            _,
            Act("&New account…", "Ctrl+Shift+A", lambda w: w.new_account()),
            _,
            Act("&Import CSV…", "Ctrl+I", lambda w: w.import_csv()),
            Act("Import e-&mail/contacts…", None, lambda w: w.import_mail_contacts()),
            Act("Import &calendar…", None, lambda w: w.import_calendar()),
            Act("&Export…", "Ctrl+E", lambda w: w.export_csv()),
            Act(
                "Export contact &map…",
                "Ctrl+Shift+E",
                lambda w: w.export_contact_map(),
                ActionKey.EXPORT_MAP,
            ),
            Act("Export business &review…", "Ctrl+Shift+B", lambda w: w.export_review()),
            _,
            Act("&Sync now", "Ctrl+Shift+S", lambda w: w.sync_now(), ActionKey.SYNC),
            Act("Cancel s&ync", None, lambda w: w.sync.cancel(), ActionKey.CANCEL_SYNC, False),
            Act("Sync &conflicts…", None, lambda w: w.show_conflicts()),
            _,
            Act("&Backups…", None, lambda w: w.show_backups()),
            _,
            Act("&Quit", QKeySequence.StandardKey.Quit, lambda w: w.close()),
        ),
    ),
    (
        "&Edit",
        (
            Stock.UNDO_REDO,
            _,
            Act("&Preferences…", "Ctrl+,", lambda w: w.show_preferences()),
        ),
    ),
    (
        "&Go",
        (
            Act("Go to &account…", "Ctrl+K", lambda w: w.show_palette()),
            _,
            *(Act(v.label, v.shortcut, _go(v.key)) for v in VIEWS),
            _,
            Act("&Next tab", "Ctrl+PgDown", lambda w: w.step_tab(1)),
            Act("&Previous tab", "Ctrl+PgUp", lambda w: w.step_tab(-1)),
            Act("&Close tab", "Ctrl+W", lambda w: w.tabs.close_current()),
        ),
    ),
    (
        "&Notes",
        (
            Act("&New note", "Ctrl+N", lambda w: w.new_note()),
            Act("&Quick note…", "Ctrl+Shift+N", lambda w: w.quick_note()),
            Act("&Search notes…", "Ctrl+F", lambda w: w.search_notes()),
            Act("Pre-call &brief…", "Ctrl+Shift+P", lambda w: w.show_brief()),
        ),
    ),
    (
        "&Help",
        (
            Act("&Keyboard shortcuts", "F1", lambda w: w.show_shortcuts()),
            Act("&About AM Desktop", None, lambda w: w.show_about()),
        ),
    ),
)


def build_menus(
    window: QMainWindow, commands: Commands, undo: QUndoStack
) -> dict[ActionKey, QAction]:
    """Fill the window's menu bar from :data:`MENUS`; the actions the window keeps, by key."""
    kept: dict[ActionKey, QAction] = {}
    for title, entries in MENUS:
        menu = window.menuBar().addMenu(title)
        for entry in entries:
            if entry is Stock.SEPARATOR:
                menu.addSeparator()
            elif entry is Stock.UNDO_REDO:
                menu.addActions(_undo_redo(window, undo))
            elif isinstance(entry, Act):
                action = _action(window, commands, entry)
                menu.addAction(action)
                if entry.key is not None:
                    kept[entry.key] = action
    return kept


def _action(window: QMainWindow, commands: Commands, act: Act) -> QAction:
    action = QAction(act.text, window)
    if act.shortcut is not None:
        action.setShortcut(QKeySequence(act.shortcut))
    action.setEnabled(act.enabled)
    action.triggered.connect(lambda _checked=False: act.run(commands))
    return action


def _undo_redo(window: QMainWindow, stack: QUndoStack) -> list[QAction]:
    undo = stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    undo.setProperty(STEADY_LABEL, "Undo")  # the menu says "Undo Close renewal"
    redo = stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.setProperty(STEADY_LABEL, "Redo")
    return [undo, redo]
