"""An account's workspace: the frame that holds its header and its tabs.

Every part keeps itself current: the header, each tab (:mod:`.overview`, :mod:`.pipeline`,
:mod:`.renewals`, :mod:`.issues`, the Health and Notes tabs) names the kinds of record it
shows and reads its own part when a change touches them; the contact graph is read once here
for the Contacts tab and the header's coverage line. The frame only lays them out, routes
"open this" between them, and addresses tabs by :class:`WorkspaceTab`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QTabWidget, QVBoxLayout, QWidget

from am_desktop.domain.changes import ChangeSet
from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.services.workspace import AccountOverview
from am_desktop.ui.contact_map.contacts_tab import ContactsTab
from am_desktop.ui.context import AppContext
from am_desktop.ui.health_tab import HealthTab
from am_desktop.ui.notes.panel import NotesPanel
from am_desktop.ui.record_table import RecordTable
from am_desktop.ui.workspace.contact_graph import ContactGraphReader
from am_desktop.ui.workspace.header import WorkspaceHeader
from am_desktop.ui.workspace.issues import IssuesTab
from am_desktop.ui.workspace.overview import OverviewTab
from am_desktop.ui.workspace.part import WorkspacePart
from am_desktop.ui.workspace.pipeline import PipelineTab
from am_desktop.ui.workspace.renewals import RenewalsTab
from am_desktop.ui.workspace.tabs import WorkspaceTab


class AccountWorkspace(QWidget):
    """One account, as a tab of the main window.

    Signals:
        title_changed(text): the account's name (for the tab).
        conflicts_requested(obj, local_id): the header's "Conflict — resolve…" link was clicked.
    """

    title_changed = Signal(str)
    #: (obj, local_id)
    conflicts_requested = Signal(str, int)

    def __init__(self, context: AppContext, account_id: int, undo: QUndoStack) -> None:
        super().__init__()
        self.context, self.account_id, self.undo = context, account_id, undo
        self.header = WorkspaceHeader(context, account_id, undo, self)
        self.overview_tab = OverviewTab(context, account_id, undo)
        self.contacts = ContactsTab(context, account_id, undo)
        self.notes = NotesPanel(context, account_id, undo=undo)
        self.pipeline = PipelineTab(context, account_id, undo)
        self.renewals_tab = RenewalsTab(context, account_id, undo)
        self.issues_tab = IssuesTab(context, account_id, undo)
        self.health = HealthTab(context, account_id)
        self.contact_graph = ContactGraphReader(context, account_id, self)
        self.pages: dict[WorkspaceTab, QWidget] = {
            WorkspaceTab.OVERVIEW: self.overview_tab,
            WorkspaceTab.CONTACTS: self.contacts,
            WorkspaceTab.NOTES: self.notes,
            WorkspaceTab.OPPORTUNITIES: self.pipeline,
            WorkspaceTab.RENEWALS: self.renewals_tab,
            WorkspaceTab.ISSUES: self.issues_tab,
            WorkspaceTab.HEALTH: self.health,
        }
        self.tabs = QTabWidget(self)
        for key, page in self.pages.items():
            self.tabs.addTab(page, key.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self.header.title_changed.connect(self.title_changed)
        self.header.conflicts_requested.connect(self.conflicts_requested)
        self.header.contacts_requested.connect(lambda: self.show_tab(WorkspaceTab.CONTACTS))
        self.contact_graph.loaded.connect(self._on_contact_graph_loaded)
        self.contacts.warnings_changed.connect(self.header.show_coverage)
        self.overview_tab.open_requested.connect(self._on_open_requested)

    @property
    def _parts(self) -> tuple[WorkspacePart, ...]:
        return (self.header, self.overview_tab, self.pipeline, self.renewals_tab, self.issues_tab)

    def refresh(self, changes: ChangeSet | None = None) -> None:
        """Read again every part that ``changes`` concern; all of them when None (a
        preference they show changed). Each part follows the change feed by itself: this is
        for what the feed does not carry."""
        for part in self._parts:
            if changes is None or part.concerns(changes):
                part.refresh(changes)
        if changes is None or self.contact_graph.concerns(changes):
            self.contact_graph.refresh(changes)
        if changes is None or self.health.concerns(changes):
            self.health.refresh(changes)
        if changes is None:
            self.notes.refresh()  # then it follows the feed itself

    @Slot(object)
    def _on_contact_graph_loaded(self, graph: ContactGraph) -> None:
        self.contacts.set_graph(graph, self.context.today())  # the header hears its warnings

    # ------------------------------------------------------------------------------ navigation

    def show_tab(self, key: WorkspaceTab) -> None:
        """Bring a tab forward."""
        self.tabs.setCurrentWidget(self.pages[key])

    def current_tab(self) -> WorkspaceTab:
        """The tab in front."""
        page = self.tabs.currentWidget()
        return next(key for key, shown in self.pages.items() if shown is page)

    @Slot(object, int)
    def _on_open_requested(self, tab: WorkspaceTab, record_id: int) -> None:
        if tab is WorkspaceTab.NOTES:
            self.open_note(record_id)
            return
        self.show_tab(tab)
        if tab is WorkspaceTab.OPPORTUNITIES:
            self.pipeline.opportunities.select_id(record_id)
        elif tab is WorkspaceTab.ISSUES:
            self.issues_tab.issues.select_id(record_id)

    def new_note(self) -> None:
        """Ctrl+N: a new note for this account, in its Notes tab."""
        self.show_tab(WorkspaceTab.NOTES)
        self.notes.new_note()

    def open_note(self, note_id: int) -> None:
        """Show one of the account's notes (from search or the timeline)."""
        self.show_tab(WorkspaceTab.NOTES)
        self.notes.open_after_refresh(note_id)

    def open_renewal(self, renewal_id: int) -> None:
        """Show a renewal in the Renewals tab (from the timeline or the upcoming list)."""
        self.show_tab(WorkspaceTab.RENEWALS)
        self.renewals_tab.open_renewal(renewal_id)

    # ------------------------------------------------------------------------------ reach-through

    @property
    def title(self) -> str:
        """The account's name ("…" until it is read)."""
        return self.header.title

    @property
    def overview(self) -> AccountOverview | None:
        """Everything the workspace shows, as its parts last read it (None until each part
        was read once)."""
        figures, plan = self.header.data, self.overview_tab.plan
        opportunities, contracts = self.pipeline.records, self.renewals_tab.data
        issues = self.issues_tab.records
        if figures is None or plan is None or opportunities is None:
            return None
        if contracts is None or issues is None:
            return None
        return AccountOverview.of_parts(figures, plan, opportunities, contracts, issues)

    @property
    def figures(self) -> dict[str, QLabel]:
        """The header's ARR, Health and Renewal figures."""
        return self.header.figures

    @property
    def coverage_label(self) -> QLabel:
        """The header's coverage line."""
        return self.header.coverage_label

    @property
    def sync_state_label(self) -> QLabel:
        """The header's line on where the account stands with the CRM."""
        return self.header.sync_state_label

    @property
    def sync_state(self) -> object:
        """Where the account stands with the CRM, as last read."""
        return self.header.sync_state

    @property
    def objectives(self) -> RecordTable:
        """The Overview tab's objectives."""
        return self.overview_tab.objectives

    @property
    def risks(self) -> RecordTable:
        """The Overview tab's risks."""
        return self.overview_tab.risks

    @property
    def whitespace(self) -> RecordTable:
        """The Overview tab's whitespace."""
        return self.overview_tab.whitespace

    @property
    def timeline(self) -> QListWidget:
        """The Overview tab's activity timeline."""
        return self.overview_tab.timeline

    @property
    def opportunities(self) -> RecordTable:
        """The Opportunities tab's table."""
        return self.pipeline.opportunities

    @property
    def won_button(self) -> QPushButton:
        """Mark won."""
        return self.pipeline.won_button

    @property
    def lost_button(self) -> QPushButton:
        """Mark lost."""
        return self.pipeline.lost_button

    @property
    def issues(self) -> RecordTable:
        """The Issues tab's table."""
        return self.issues_tab.issues

    @property
    def resolve_button(self) -> QPushButton:
        """Resolve the selected issues."""
        return self.issues_tab.resolve_button

    @property
    def contracts(self) -> RecordTable:
        """The Renewals tab's contracts."""
        return self.renewals_tab.contracts

    @property
    def renewals(self) -> RecordTable:
        """The Renewals tab's renewals."""
        return self.renewals_tab.renewals

    @property
    def close_renewal_button(self) -> QPushButton:
        """Close renewal…"""
        return self.renewals_tab.close_renewal_button

    @property
    def reopen_button(self) -> QPushButton:
        """Re-open a closed renewal."""
        return self.renewals_tab.reopen_button
