"""The window's tabs: the views first (never closed), then one workspace per open account.

Every request to open something of an account (from the list, Today, the alerts, search, the
renewals view) ends here, so an account never has two tabs and a closed tab is released.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QTabWidget, QWidget

from am_desktop.ui.context import AppContext
from am_desktop.ui.plain_text import tooltip_text
from am_desktop.ui.settings import Option, Prefs

if TYPE_CHECKING:
    from am_desktop.ui.workspace import AccountWorkspace

#: Builds an account's workspace (injectable for tests).
WorkspaceFactory = Callable[[AppContext, int, QUndoStack], "AccountWorkspace"]
#: Longest tab title before it is cut with "…" (the whole name is the tooltip).
TITLE_CHARS = 28
#: Opening hundreds of tabs at once helps nobody.
MOST_OPENED_AT_ONCE = 10


class WorkspaceTabs(QTabWidget):
    """The views tab and the account workspaces.

    Args:
        context: the shared services.
        undo: the window's undo stack (workspaces record their edits on it).
        views: the first tab's page (the sidebar's views).
        factory: builds a workspace (the real one by default).

    Signals:
        conflicts_requested(obj, local_id): a workspace asked for a record's sync conflicts.
    """

    #: (obj, local_id)
    conflicts_requested = Signal(str, int)

    def __init__(
        self,
        context: AppContext,
        undo: QUndoStack,
        views: QWidget,
        factory: WorkspaceFactory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._undo = undo
        self._factory = factory or _default_workspace
        self._workspaces: dict[int, AccountWorkspace] = {}
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.addTab(views, "Accounts")
        self.tabBar().setTabButton(0, self.tabBar().ButtonPosition.RightSide, None)
        self.tabCloseRequested.connect(self.close_tab)
        context.settings.changed.connect(self._on_settings_changed)

    # ------------------------------------------------------------------------------ tabs

    def show_views(self, label: str) -> None:
        """Bring the views tab forward, named after the view it shows."""
        self.setTabText(0, label)
        self.setCurrentIndex(0)

    def workspace(self, account_id: int) -> AccountWorkspace | None:
        """The open workspace of an account, if any."""
        return self._workspaces.get(account_id)

    def workspaces(self) -> list[AccountWorkspace]:
        """Every open workspace, in the order they were opened."""
        return list(self._workspaces.values())

    def current_workspace(self) -> AccountWorkspace | None:
        """The workspace in front (None while the views tab is)."""
        current = self.currentWidget()
        return next((w for w in self._workspaces.values() if w is current), None)

    def open_account(self, account_id: int) -> AccountWorkspace:
        """Open (or bring forward) an account's workspace tab."""
        workspace = self._workspaces.get(account_id)
        if workspace is None:
            workspace = self._factory(self.context, account_id, self._undo)
            self._workspaces[account_id] = workspace
            self.addTab(workspace, workspace.title)
            workspace.title_changed.connect(
                lambda text, w=workspace: self._on_workspace_title_changed(w, text)
            )
            workspace.conflicts_requested.connect(self.conflicts_requested)
            self._on_workspace_title_changed(workspace, workspace.title)
        self.setCurrentWidget(workspace)
        return workspace

    @Slot(int)
    def open_and_focus(self, account_id: int) -> None:
        """Open an account and put the focus on its tabs (Ctrl+K: the keys go on in it)."""
        self.open_account(account_id).tabs.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(list)
    def open_accounts(self, ids: list[int]) -> None:
        """Open several accounts (the list's Enter on a selection), the first ten."""
        for account_id in ids[:MOST_OPENED_AT_ONCE]:
            self.open_account(account_id)

    @Slot(int)
    def close_tab(self, index: int) -> None:
        """Close a workspace tab and release it (the views tab stays)."""
        widget = self.widget(index) if index > 0 else None
        if widget is None:
            return
        self.removeTab(index)
        for account_id, workspace in list(self._workspaces.items()):
            if workspace is widget:
                del self._workspaces[account_id]
        widget.deleteLater()

    @Slot()
    def close_current(self) -> None:
        """Ctrl+W: close the account tab in front (the views tab stays)."""
        self.close_tab(self.currentIndex())

    # ------------------------------------------------------------------------------ routing

    @Slot(int, int)
    def open_note(self, account_id: int, note_id: int) -> None:
        """Open a note in its account's workspace."""
        self.open_account(account_id).open_note(note_id)

    @Slot(int, int)
    def open_renewal(self, account_id: int, renewal_id: int) -> None:
        """Open a renewal in its account's Renewals tab."""
        self.open_account(account_id).open_renewal(renewal_id)

    @Slot(str, int, int)
    def open_from_today(self, kind: str, account_id: int, item_id: int) -> None:
        """Open what a line of Today refers to, in its account's workspace."""
        if kind in ("renewal", "notice"):
            self.open_renewal(account_id, item_id)
            return
        if kind == "note":
            self.open_note(account_id, item_id)
            return
        from am_desktop.ui.workspace.tabs import WorkspaceTab  # the workspace loads lazily

        workspace = self.open_account(account_id)
        if kind == "health":
            workspace.show_tab(WorkspaceTab.HEALTH)
        elif kind == "contact":
            workspace.show_tab(WorkspaceTab.CONTACTS)
        elif kind == "issue":
            workspace.show_tab(WorkspaceTab.ISSUES)
            workspace.issues.select_id(item_id)

    @Slot(int)
    def new_note_for(self, account_id: int) -> None:
        """A new note in an account's workspace (the list's "New note")."""
        self.open_account(account_id).new_note()

    def new_note_in_front(self) -> bool:
        """Ctrl+N in a workspace: a new note for its account (False on the views tab)."""
        workspace = self.current_workspace()
        if workspace is not None:
            workspace.new_note()
        return workspace is not None

    def account_in_front(self) -> int | None:
        """The account whose workspace is in front, if any."""
        workspace = self.current_workspace()
        return workspace.account_id if workspace is not None else None

    # ------------------------------------------------------------------------------ slots

    def _on_workspace_title_changed(self, workspace: QWidget, text: str) -> None:
        index = self.indexOf(workspace)
        if index > 0:
            cut = text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"
            self.setTabText(index, cut)
            self.setTabToolTip(index, tooltip_text(text))

    @Slot(object)
    def _on_settings_changed(self, option: Option[Any]) -> None:
        if option in (Prefs.currency, Prefs.coverage_senior_level):
            for workspace in self._workspaces.values():
                workspace.refresh()  # money and coverage are drawn from these preferences


def _default_workspace(context: AppContext, account_id: int, undo: QUndoStack) -> AccountWorkspace:
    from am_desktop.ui.workspace import AccountWorkspace

    return AccountWorkspace(context, account_id, undo)
