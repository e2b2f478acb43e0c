"""The workspace's header: the account's name and facts, its figures (ARR, health, next
renewal), the coverage line, where it stands with the CRM, and Edit/Archive."""

from __future__ import annotations

import html
from typing import ClassVar

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.coverage import CoverageWarning
from am_desktop.services import catalog
from am_desktop.services.workspace import AccountFigures, account_figures
from am_desktop.ui import format as fmt
from am_desktop.ui.commands import ArchiveCommand
from am_desktop.ui.context import AppContext
from am_desktop.ui.plain_text import plain
from am_desktop.ui.workspace.part import WorkspacePart


class WorkspaceHeader(WorkspacePart):
    """The top of an account's workspace.

    The coverage line shows the warnings it is given (:meth:`show_coverage`): the workspace
    reads the contact graph once, for this line and the Contacts tab.

    Signals:
        title_changed(text): the account's name (for the window's tab).
        conflicts_requested(obj, local_id): the "Conflict — resolve…" link was clicked.
        contacts_requested(): the coverage line's "See the contact map" was clicked.
    """

    #: The account, and what its ARR, health and next renewal are worked out from.
    kinds: ClassVar[tuple[Entity, ...]] = (
        Entity.ACCOUNT,
        Entity.LEDGER_MOVEMENT,
        Entity.CONTRACT,
        Entity.RENEWAL,
        Entity.HEALTH_SNAPSHOT,
    )

    title_changed = Signal(str)
    #: (obj, local_id)
    conflicts_requested = Signal(str, int)
    contacts_requested = Signal()

    def __init__(
        self,
        context: AppContext,
        account_id: int,
        undo: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, parent)
        self.undo = undo
        self.data: AccountFigures | None = None
        self.title = "…"
        self.name_label = plain(QLabel("…", self))
        self.name_label.setObjectName("accountName")
        self.facts_label = plain(QLabel(self))
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
        self.brief_button = QPushButton("Pre-call brief", self)
        self.brief_button.setToolTip("The account's pre-call brief (Ctrl+Shift+P)")
        self._build()
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.archive_button.clicked.connect(self._on_archive_clicked)
        self.brief_button.clicked.connect(self.show_brief)
        self.coverage_label.linkActivated.connect(lambda _link: self.contacts_requested.emit())
        self.sync_state_label.linkActivated.connect(self._on_sync_state_link_activated)

    def _build(self) -> None:
        header = QGridLayout(self)
        header.setContentsMargins(0, 0, 0, 0)
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
        buttons.addWidget(self.brief_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.archive_button)
        header.addLayout(buttons, 0, 4, 2, 1)
        header.addWidget(self.sync_state_label, 2, 4, Qt.AlignmentFlag.AlignRight)
        header.setColumnStretch(0, 1)
        header.setHorizontalSpacing(28)

    def show_brief(self) -> None:
        """The account's pre-call brief, in its own window (issue 19)."""
        from am_desktop.ui.brief.window import show_brief  # loaded on first use

        show_brief(self.context, self.account_id, None, self.window())

    # ------------------------------------------------------------------------------ data

    def _figures_concern(self, changes: ChangeSet) -> bool:
        return changes.touches(*self.kinds, account=self.account_id)

    def _sync_state_concerns(self, changes: ChangeSet) -> bool:
        # Sync state rows belong to no account: any of them may be this account's.
        return changes.touches(Entity.SYNC_STATE) or changes.touches(
            Entity.ACCOUNT, account=self.account_id
        )

    def concerns(self, changes: ChangeSet) -> bool:
        return self._figures_concern(changes) or self._sync_state_concerns(changes)

    def refresh(self, changes: ChangeSet | None = None) -> None:
        """Read the figures and the sync state again, each only if ``changes`` touch it."""
        store, account_id = self.context.store, self.account_id
        if changes is None or self._figures_concern(changes):
            today = self.context.today()
            self.read(
                "figures",
                lambda: account_figures(store, account_id, today),
                self._on_figures_loaded,
            )
        if changes is None or self._sync_state_concerns(changes):
            from am_desktop.services.sync.record_state import record_state

            self.read(
                "sync state",
                lambda: record_state(store, "account", account_id),
                self._on_sync_state_loaded,
            )

    def _on_figures_loaded(self, data: AccountFigures) -> None:
        self.data = data
        account = data.account
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
        self.figures["ARR"].setText(fmt.money(data.arr_cents, account.currency))
        self.figures["ARR"].setToolTip(data.arr_problem or f"ARR in {account.currency}")
        health = "—"
        if data.health_score is not None:
            band = f" · {data.health_band.label}" if data.health_band else ""
            health = f"{data.health_score:.0f}{band}{fmt.trend(data.health_change)}"
        self.figures["Health"].setText(health)
        self.figures["Health"].setToolTip(
            f"{fmt.trend_words(data.health_change)} See the Health tab for each component and why."
        )
        today = self.context.today()
        self.figures["Renewal"].setText(
            f"{fmt.days_from(today, data.next_renewal_on)}" if data.next_renewal_on else "—"
        )
        self.figures["Renewal"].setToolTip(fmt.day(data.next_renewal_on))
        self.archive_button.setText("Restore" if account.archived else "Archive")

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

    def show_coverage(self, warnings: list[CoverageWarning]) -> None:
        """The coverage line: the first warning and how many more (hidden when none)."""
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

    # ------------------------------------------------------------------------------ actions

    @Slot(str)
    def _on_sync_state_link_activated(self, _link: str) -> None:
        self.conflicts_requested.emit("account", self.account_id)

    @Slot()
    def _on_edit_clicked(self) -> None:
        from am_desktop.ui.dialogs.account_dialog import AccountDialog

        if self.data is not None:
            AccountDialog(self.context, self.data.account, self.undo, parent=self).exec()

    @Slot()
    def _on_archive_clicked(self) -> None:
        if self.data is not None:
            archive = not self.data.account.archived
            self.undo.push(
                ArchiveCommand(self.context, catalog.accounts, [self.account_id], archive)
            )
