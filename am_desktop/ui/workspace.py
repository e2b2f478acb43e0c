"""An account's workspace: its header and tabs (overview, pipeline, issues, and those to come)."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.domain.coverage import CoverageWarning
from am_desktop.domain.enums import (
    EscalationStatus,
    ObjectiveStatus,
    OpportunityKind,
    OpportunityStage,
    RenewalStage,
    RiskStatus,
    Severity,
    WhitespaceStatus,
)
from am_desktop.services import catalog, contact_map, pipeline, renewals
from am_desktop.services.activity import ActivityItem
from am_desktop.services.entities import EntityService
from am_desktop.services.renewals import RenewalLine
from am_desktop.services.workspace import AccountOverview, account_overview
from am_desktop.ui import format as fmt
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.commands import ArchiveCommand, CallCommand, CreateCommand, EditCommand
from am_desktop.ui.contact_map.contacts_tab import ContactsTab
from am_desktop.ui.context import AppContext
from am_desktop.ui.health_tab import HealthTab
from am_desktop.ui.notes.panel import NotesPanel
from am_desktop.ui.record_table import Field, RecordTable
from am_desktop.ui.tasks import Lane

OBJECTIVE_FIELDS = (
    Field("title", "Objective", width=360),
    Field("status", "Status", "choice", ObjectiveStatus, width=110),
    Field("due_date", "Due", "date", width=110),
)
RISK_FIELDS = (
    Field("description", "Risk", width=280),
    Field("mitigation", "Mitigation", width=260),
    Field("owner", "Owner", width=110),
    Field("severity", "Severity", "choice", Severity, width=90),
    Field("status", "Status", "choice", RiskStatus, width=90),
)
WHITESPACE_FIELDS = (
    Field("product", "Product", width=220),
    Field("status", "Status", "choice", WhitespaceStatus, width=120),
    Field("estimated_arr_cents", "Estimated ARR", "money", width=120),
    Field("notes", "Notes", width=240),
)
OPPORTUNITY_FIELDS = (
    Field("name", "Opportunity", width=250),
    Field("kind", "Type", "choice", OpportunityKind, width=90),
    Field("product", "Product", width=150),
    Field("amount_cents", "Amount", "money", width=100),
    Field("stage", "Stage", "choice", OpportunityStage, width=100, editable=False),
    Field("close_date", "Close date", "date", width=110),
    Field("probability", "Probability", "percent", width=90),
)
ISSUE_FIELDS = (
    Field("title", "Issue", width=260),
    Field("severity", "Severity", "choice", Severity, width=90),
    Field("status", "Status", "choice", EscalationStatus, width=100),
    Field("internal_owner", "Internal owner", width=120),
    Field("opened_on", "Opened", "date", width=100),
    Field("resolved_on", "Resolved", "date", width=100),
    Field("resolution", "Resolution", width=220),
)

CONTRACT_FIELDS = (
    Field("name", "Contract", width=200),
    Field("start_date", "Starts", "date", width=105),
    Field("end_date", "Ends", "date", width=105),
    Field("arr_cents", "ARR", "money", width=110),
    Field("currency", "Currency", width=70),
    Field("auto_renew", "Auto-renew", "bool", width=85),
    Field("notice_days", "Notice (days)", "number", width=95),
)
RENEWAL_FIELDS = (
    Field("contract", "Contract", width=190, editable=False),
    Field("ends", "Ends", "date", width=100, editable=False),
    Field("notice_by", "Notice by", "date", width=100, editable=False),
    Field("stage", "Stage", "choice", RenewalStage, width=110),
    Field("likelihood", "Likelihood", "percent", width=85),
    Field("proposed_arr_cents", "Proposed ARR", "money", width=110),
    Field("risk_notes", "Risk notes", width=200),
    Field("outcome_arr_cents", "Outcome ARR", "money", width=110, editable=False),
    Field("close_date", "Closed", "date", width=100, editable=False),
    Field("days_to_renewal", "Days early", "number", width=85, editable=False),
)

#: What the Health tab is worked out from.
HEALTH_FROM = (Entity.HEALTH_SNAPSHOT, Entity.SURVEY, Entity.USAGE)


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
        self.context = context
        self.account_id = account_id
        self.undo = undo
        self.overview: AccountOverview | None = None
        self._reads = 0
        self.title = "…"
        self.name_label = QLabel("…", self)
        self.name_label.setObjectName("accountName")
        self.facts_label = QLabel(self)
        self.facts_label.setObjectName("muted")
        self.coverage_label = QLabel(self)
        self.coverage_label.setTextFormat(Qt.TextFormat.RichText)
        self.coverage_label.hide()
        self.sync_state_label = QLabel(self)
        self.sync_state_label.setTextFormat(Qt.TextFormat.RichText)
        self.sync_state_label.setTextInteractionFlags(  # the link by Tab and Enter too
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.sync_state_label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.sync_state_label.hide()
        self.sync_state: object = None
        self.figures = {key: QLabel("—", self) for key in ("ARR", "Health", "Renewal")}
        self.edit_button = QPushButton("Edit account…", self)
        self.archive_button = QPushButton("Archive", self)
        self.tabs = QTabWidget(self)
        self.objectives = RecordTable(
            "Objectives",
            OBJECTIVE_FIELDS,
            "No objectives yet: what does the customer want to achieve this year?",
            "Add objective",
        )
        self.risks = RecordTable(
            "Risks",
            RISK_FIELDS,
            "No open risks. Add one with its mitigation, or tag a note line with #risk.",
            "Add risk",
        )
        self.whitespace = RecordTable(
            "Whitespace",
            WHITESPACE_FIELDS,
            "No whitespace listed: which products could this customer still use?",
            "Add product",
        )
        self.opportunities = RecordTable(
            "Expansion pipeline",
            OPPORTUNITY_FIELDS,
            "No expansion opportunities yet. Add an upsell or cross-sell to track it to close.",
            "Add opportunity",
        )
        self.won_button = self.opportunities.add_button_for("Mark won")
        self.lost_button = self.opportunities.add_button_for("Mark lost")
        self.issues = RecordTable(
            "Issues and escalations",
            ISSUE_FIELDS,
            "No issues recorded. Log escalations here to track them to resolution.",
            "Log issue",
        )
        self.resolve_button = self.issues.add_button_for("Resolve")
        self.contracts = RecordTable(
            "Contracts",
            CONTRACT_FIELDS,
            "No contracts yet. Add the current term so its renewal shows on the timeline.",
            "Add contract",
        )
        self.renewals = RecordTable(
            "Renewals",
            RENEWAL_FIELDS,
            "Each contract's renewal appears here once the contract is added.",
            "",
        )
        self.close_renewal_button = self.renewals.add_button_for("Close renewal…")
        self.reopen_button = self.renewals.add_button_for("Re-open")
        self.contacts = ContactsTab(context, account_id, undo)
        self.notes = NotesPanel(context, account_id, undo=undo)
        self.health = HealthTab(context, account_id)
        self.timeline = QListWidget(self)
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setToolTip("Double-click an entry to open it")
        self._tables: dict[RecordTable, EntityService[Any, Any]] = {
            self.objectives: catalog.objectives,
            self.risks: catalog.risks,
            self.whitespace: catalog.whitespace,
            self.opportunities: catalog.opportunities,
            self.issues: catalog.escalations,
            self.contracts: catalog.contracts,
            self.renewals: catalog.renewals,
        }
        self._build()
        self._connect_signals()
        self.follower = ChangeFollower(self, context.data, self._concerns, self.refresh)
        self.refresh()

    def _build(self) -> None:
        header = QGridLayout()
        header.addWidget(self.name_label, 0, 0)
        header.addWidget(self.facts_label, 1, 0)
        header.addWidget(self.coverage_label, 2, 0, 1, 4)
        for column, (key, label) in enumerate(self.figures.items(), start=1):
            caption = QLabel(key, self)
            caption.setObjectName("muted")
            label.setObjectName("figure")
            header.addWidget(caption, 0, column, Qt.AlignmentFlag.AlignRight)
            header.addWidget(label, 1, column, Qt.AlignmentFlag.AlignRight)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.archive_button)
        header.addLayout(buttons, 0, 4, 2, 1)
        header.addWidget(self.sync_state_label, 2, 4, Qt.AlignmentFlag.AlignRight)
        header.setColumnStretch(0, 1)
        header.setHorizontalSpacing(28)

        self.tabs.addTab(self._overview_page(), "Overview")
        self.tabs.addTab(self.contacts, "Contacts")
        self.tabs.addTab(self.notes, "Notes")
        self.tabs.addTab(_padded(self.opportunities), "Opportunities")
        renewals_page = QWidget()
        renewals_layout = QVBoxLayout(renewals_page)
        renewals_layout.setContentsMargins(10, 10, 10, 10)
        renewals_layout.addWidget(self.contracts, 2)
        renewals_layout.addWidget(self.renewals, 3)
        self.tabs.addTab(renewals_page, "Renewals")
        self.tabs.addTab(_padded(self.issues), "Issues")
        self.tabs.addTab(self.health, "Health")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

    def _overview_page(self) -> QSplitter:
        """The account plan (scrolling) beside the activity timeline."""
        overview = QWidget()
        overview_layout = QVBoxLayout(overview)
        for table in (self.objectives, self.risks, self.whitespace):
            table.setMinimumHeight(150)
            overview_layout.addWidget(table)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(overview)
        timeline = QWidget()
        timeline_layout = QVBoxLayout(timeline)
        timeline_layout.setContentsMargins(4, 10, 0, 0)
        caption = QLabel("Activity", timeline)
        caption.setObjectName("sectionTitle")
        timeline_layout.addWidget(caption)
        timeline_layout.addWidget(self.timeline, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(timeline)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([760, 360])
        return split

    def _connect_signals(self) -> None:
        for table, service in self._tables.items():
            table.edit_requested.connect(
                lambda record_id, name, value, s=service, t=table: self._edit(
                    s, t, record_id, name, value
                )
            )
            table.archive_requested.connect(
                lambda ids, s=service: self.undo.push(
                    ArchiveCommand(self.context, s, ids, True)
                )
            )
        self.objectives.add_requested.connect(self._on_objectives_add_requested)
        self.risks.add_requested.connect(self._on_risks_add_requested)
        self.whitespace.add_requested.connect(self._on_whitespace_add_requested)
        self.opportunities.add_requested.connect(self._on_opportunities_add_requested)
        self.issues.add_requested.connect(self._on_issues_add_requested)
        self.won_button.clicked.connect(lambda: self._close_opportunities(won=True))
        self.lost_button.clicked.connect(lambda: self._close_opportunities(won=False))
        self.resolve_button.clicked.connect(self._on_resolve_clicked)
        self.contracts.add_requested.connect(self._on_contracts_add_requested)
        self.close_renewal_button.clicked.connect(self._on_close_renewal_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.archive_button.clicked.connect(self._on_archive_clicked)
        self.contacts.warnings_changed.connect(self._on_contacts_warnings_changed)
        self.timeline.itemActivated.connect(self._on_timeline_item_activated)
        self.coverage_label.linkActivated.connect(lambda _link: self.show_tab("Contacts"))
        self.sync_state_label.linkActivated.connect(self._on_sync_state_link_activated)

    # ------------------------------------------------------------------------------ data

    def _concerns(self, changes: ChangeSet) -> bool:
        return changes.touches(account=self.account_id) or changes.touches(Entity.SYNC_STATE)

    def refresh(self, changes: ChangeSet | None = None) -> None:
        """Read the account again: all of it (``changes`` None), or what ``changes`` touched
        (the header and overview always: they sum up everything)."""
        today = self.context.today()
        self._reads += 1
        read = self._reads  # reads run on a pool: an older answer must not replace a newer one
        self.context.tasks.submit(
            lambda _p: account_overview(self.context.store, self.account_id, today),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda overview: self._latest(read, self._on_overview_loaded, overview),
        )
        if changes is None:
            self.notes.refresh()  # then it follows the feed itself
        if changes is None or changes.touches(Entity.SYNC_STATE, Entity.ACCOUNT):
            self._read_sync_state(read)
        if changes is None or changes.touches(*HEALTH_FROM, account=self.account_id):
            self.health.refresh()
        contacts_from = (Entity.CONTACT, Entity.INFLUENCE_LINK)
        if changes is not None and not changes.touches(*contacts_from, account=self.account_id):
            return
        self.context.tasks.submit(
            lambda _p: contact_map.contact_graph(self.context.store, self.account_id),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda graph: self._latest(read, self._on_contacts_loaded, graph),
        )

    def _read_sync_state(self, read: int) -> None:
        """Where the account stands with the CRM (shown once sync has been used)."""
        from am_desktop.services.sync.record_state import record_state

        store, account_id = self.context.store, self.account_id
        self.context.tasks.submit(
            lambda _p: record_state(store, "account", account_id),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda state: self._latest(read, self._on_sync_state_loaded, state),
        )

    def _on_sync_state_loaded(self, state: object) -> None:
        from am_desktop.services.sync.record_state import RecordState

        self.sync_state = state
        words = {
            RecordState.IN_CRM: ("✓ In the CRM", "The CRM has this account as it is here."),
            RecordState.CHANGED: (
                "Changes not yet sent",
                "Changes made here go to the CRM with the next sync (File → Sync now).",
            ),
            RecordState.NEW: (
                "Not in the CRM yet",
                "The next sync creates this account in the CRM (File → Sync now).",
            ),
            RecordState.CONFLICT: (
                "<span style='color:#b3261e'>⚠</span> <a href='conflicts'>Conflict — resolve…</a>",
                "This account was changed both here and in the CRM: choose what to keep.",
            ),
        }
        if not isinstance(state, RecordState):
            self.sync_state_label.hide()
            return
        text, tip = words[state]
        self.sync_state_label.setObjectName("" if state is RecordState.CONFLICT else "muted")
        self.sync_state_label.style().unpolish(self.sync_state_label)  # the name's style
        self.sync_state_label.style().polish(self.sync_state_label)
        self.sync_state_label.setText(text)
        self.sync_state_label.setToolTip(tip)
        self.sync_state_label.show()

    @Slot(str)
    def _on_sync_state_link_activated(self, _link: str) -> None:
        self.conflicts_requested.emit("account", self.account_id)

    def _latest(self, read: int, deliver: Callable[[Any], None], result: object) -> None:
        """Hand over a read's result unless a newer read was asked for since."""
        if read == self._reads:
            deliver(result)

    def new_note(self) -> None:
        """Ctrl+N: a new note for this account, in its Notes tab."""
        self.show_tab("Notes")
        self.notes.new_note()

    def open_note(self, note_id: int) -> None:
        """Show one of the account's notes (from search or the timeline)."""
        self.show_tab("Notes")
        self.notes.open_after_refresh(note_id)

    def show_tab(self, name: str) -> None:
        """Bring a tab forward by its name."""
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == name:
                self.tabs.setCurrentIndex(index)

    @Slot(object)
    def _on_contacts_loaded(self, graph: ContactGraph) -> None:
        self.contacts.set_graph(graph, self.context.today())

    @Slot(object)
    def _on_contacts_warnings_changed(self, warnings: list[CoverageWarning]) -> None:
        if not warnings:
            self.coverage_label.hide()
            return
        count = f"{len(warnings)} coverage warnings" if len(warnings) > 1 else "Coverage warning"
        first = html.escape(warnings[0].message)
        more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
        self.coverage_label.setText(
            f"<span style='color:#b3261e'>⚠ {count}:</span> {first}{more} "
            "<a href='contacts'>See the contact map</a>"
        )
        self.coverage_label.setToolTip(
            "<br>".join(
                f"<b>{html.escape(w.message)}</b> {html.escape(w.advice)}" for w in warnings
            )
        )
        self.coverage_label.show()

    @Slot(object)
    def _on_overview_loaded(self, overview: AccountOverview) -> None:
        self.overview = overview
        account = overview.account
        currency = self.context.settings.prefs.currency
        self.title = account.name
        self.title_changed.emit(account.name)
        self.name_label.setText(account.name + ("  (archived)" if account.archived else ""))
        facts = [
            account.tier.label,
            account.segment.label if account.segment else None,
            account.industry,
            account.domain,
            f"Owner: {account.owner}" if account.owner else None,
        ]
        self.facts_label.setText("  ·  ".join(f for f in facts if f))
        self.figures["ARR"].setText(fmt.money(overview.arr_cents, currency))
        health = "—"
        if overview.health_score is not None:
            band = f" · {overview.health_band.label}" if overview.health_band else ""
            health = f"{overview.health_score:.0f}{band}{fmt.trend(overview.health_change)}"
        self.figures["Health"].setText(health)
        self.figures["Health"].setToolTip(
            f"{fmt.trend_words(overview.health_change)} See the Health tab for each component "
            "and why."
        )
        today = self.context.today()
        self.figures["Renewal"].setText(
            f"{fmt.days_from(today, overview.next_renewal_on)}" if overview.next_renewal_on else "—"
        )
        self.figures["Renewal"].setToolTip(fmt.day(overview.next_renewal_on))
        self.archive_button.setText("Restore" if account.archived else "Archive")
        for table in self._tables:
            table.model.currency = currency
        self.objectives.set_records(overview.objectives)
        self.risks.set_records(overview.risks)
        self.whitespace.set_records(overview.whitespace)
        self.opportunities.set_records(overview.opportunities)
        self.issues.set_records(overview.escalations)
        self.contracts.set_records(overview.contracts)
        self.renewals.set_records(overview.renewals)
        self._show_activity(overview.activity)

    def _show_activity(self, activity: tuple[ActivityItem, ...]) -> None:
        self.timeline.clear()
        if not activity:
            empty = QListWidgetItem("Nothing yet: notes, action items, renewals, opportunities "
                                    "and issues appear here as they happen.")  # fmt: skip
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.timeline.addItem(empty)
            return
        for event in activity:
            when = fmt.day(event.when)
            detail = f" · {event.detail}" if event.detail else ""
            item = QListWidgetItem(f"{_ACTIVITY_MARKS[event.kind]} {event.title}\n{when}{detail}")
            item.setData(Qt.ItemDataRole.UserRole, (event.kind, event.ref_id))
            item.setToolTip(f"{event.title}\n{when}{detail}")
            self.timeline.addItem(item)

    @Slot(QListWidgetItem)
    def _on_timeline_item_activated(self, item: QListWidgetItem) -> None:
        reference = item.data(Qt.ItemDataRole.UserRole)
        if not reference:
            return
        kind, ref_id = reference
        if kind in ("note", "action", "done") and ref_id:
            self.open_note(ref_id)
        elif kind == "opportunity":
            self.show_tab("Opportunities")
            self.opportunities.select_id(ref_id)
        elif kind == "issue":
            self.show_tab("Issues")
            self.issues.select_id(ref_id)
        elif kind == "renewal":
            self.show_tab("Renewals")

    # ------------------------------------------------------------------------------ edits

    def _edit(
        self,
        service: EntityService[Any, Any],
        table: RecordTable,
        record_id: int,
        name: str,
        value: object,
    ) -> None:
        if service is catalog.renewals and name == "stage" and RenewalStage(str(value)).is_closed:
            table.show_error(
                "Use Close renewal… to mark it renewed or churned: closing writes the ARR ledger."
            )
            self.refresh()
            return
        current = self._current_value(service, record_id, name)
        command = EditCommand(self.context, service, record_id, {name: current}, {name: value})
        command.explain = lambda error: table.show_error(error.user_message)  # beside the table
        self.undo.push(command)

    def _current_value(self, service: EntityService[Any, Any], record_id: int, name: str) -> object:
        for table, table_service in self._tables.items():
            if table_service is service:
                for row in range(table.model.rowCount()):
                    record = table.model.record_at(row)
                    if record.id == record_id:
                        return getattr(record, name)
        return None

    def _create(self, service: EntityService[Any, Any], values: dict[str, object]) -> None:
        values = {"account_id": self.account_id, **values}
        self.context.tasks.submit(
            lambda _p: service.create(self.context.store, values),
            lane=Lane.WRITE,
            receiver=self,
            on_done=lambda record: self._on_created(service, record.id),
        )

    def _on_created(self, service: EntityService[Any, Any], record_id: int) -> None:
        self.undo.push(CreateCommand(self.context, service, record_id))

    @Slot()
    def _on_objectives_add_requested(self) -> None:
        self._create(catalog.objectives, {"title": "New objective"})

    @Slot()
    def _on_risks_add_requested(self) -> None:
        self._create(catalog.risks, {"description": "New risk"})

    @Slot()
    def _on_whitespace_add_requested(self) -> None:
        self._create(catalog.whitespace, {"product": "New product"})

    @Slot()
    def _on_opportunities_add_requested(self) -> None:
        self._create(catalog.opportunities, {"name": "New opportunity"})

    @Slot()
    def _on_issues_add_requested(self) -> None:
        self._create(catalog.escalations, {"title": "New issue", "opened_on": self.context.today()})

    def _close_opportunities(self, *, won: bool) -> None:
        today = self.context.today()
        store = self.context.store
        for record_id in self.opportunities.selected_ids():
            stage = self._current_value(catalog.opportunities, record_id, "stage")
            if not isinstance(stage, OpportunityStage) or stage.is_closed:
                continue
            self.undo.push(
                CallCommand(
                    self.context,
                    "Mark opportunity won" if won else "Mark opportunity lost",
                    partial(pipeline.close_opportunity, store, record_id, won=won, on=today),
                    partial(pipeline.reopen_opportunity, store, record_id, stage),
                )
            )

    def open_renewal(self, renewal_id: int) -> None:
        """Show a renewal in the Renewals tab (from the timeline or the upcoming list)."""
        self.show_tab("Renewals")
        self.renewals.select_id(renewal_id)

    @Slot()
    def _on_contracts_add_requested(self) -> None:
        today, store = self.context.today(), self.context.store
        self.context.tasks.submit(
            lambda _p: renewals.add_contract(store, self.account_id, today),
            lane=Lane.WRITE,
            receiver=self,
            on_done=lambda contract_id: self._on_created(catalog.contracts, contract_id),
        )

    def _selected_renewal(self) -> RenewalLine | None:
        ids = self.renewals.selected_ids()
        if len(ids) != 1 or self.overview is None:
            self.renewals.show_error("Select one renewal first.")
            return None
        return next((r for r in self.overview.renewals if r.id == ids[0]), None)

    @Slot()
    def _on_close_renewal_clicked(self) -> None:
        from am_desktop.ui.renewals.close_dialog import CloseRenewalDialog

        line = self._selected_renewal()
        if line is None or self.overview is None:
            return
        if line.stage.is_closed:
            self.renewals.show_error("This renewal is closed already; Re-open it to change it.")
            return
        contract = next(c for c in self.overview.contracts if c.id == line.contract_id)
        dialog = CloseRenewalDialog(
            line.contract, contract.arr_cents, contract.currency, self.context.today(), self
        )
        if not dialog.exec():
            return
        renewed, arr, on, next_term = dialog.outcome()
        store = self.context.store
        command = CallCommand(
            self.context,
            "Close renewal",
            partial(
                renewals.close_renewal,
                store,
                line.id,
                renewed=renewed,
                on=on,
                outcome_arr_cents=arr,
                next_term=next_term,
            ),
            partial(renewals.reopen_renewal, store, line.id, line.stage, line.likelihood),
        )
        command.explain = lambda error: self.renewals.show_error(error.user_message)
        self.undo.push(command)

    @Slot()
    def _on_reopen_clicked(self) -> None:
        line = self._selected_renewal()
        if line is None:
            return
        if not line.stage.is_closed:
            self.renewals.show_error("This renewal is still open.")
            return
        store = self.context.store
        undone: dict[str, renewals.Reopened] = {}

        def reopen() -> None:
            undone["close"] = renewals.reopen_renewal(store, line.id)

        command = CallCommand(
            self.context,
            "Re-open renewal",
            reopen,
            lambda: renewals.restore_close(store, undone["close"]),
        )
        command.explain = lambda error: self.renewals.show_error(error.user_message)
        self.undo.push(command)

    @Slot()
    def _on_resolve_clicked(self) -> None:
        for record_id in self.issues.selected_ids():
            before = {
                name: self._current_value(catalog.escalations, record_id, name)
                for name in ("status", "resolved_on")
            }
            after = {"status": EscalationStatus.RESOLVED, "resolved_on": self.context.today()}
            self.undo.push(EditCommand(self.context, catalog.escalations, record_id, before, after))

    @Slot()
    def _on_edit_clicked(self) -> None:
        from am_desktop.ui.dialogs.account_dialog import AccountDialog

        if self.overview is not None:
            AccountDialog(self.context, self.overview.account, self.undo, parent=self).exec()

    @Slot()
    def _on_archive_clicked(self) -> None:
        if self.overview is not None:
            archive = not self.overview.account.archived
            self.undo.push(
                ArchiveCommand(
                    self.context, catalog.accounts, [self.account_id], archive
                )
            )


#: A sign for each kind of event on the timeline.
_ACTIVITY_MARKS = {
    "note": "✎",
    "action": "☐",
    "done": "☑",
    "renewal": "↻",
    "opportunity": "↗",
    "issue": "⚠",
}


def _padded(widget: QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(10, 10, 10, 10)
    layout.addWidget(widget)
    return page
