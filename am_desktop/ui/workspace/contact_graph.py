"""The account's contact graph, read once for the whole workspace: the Contacts tab draws it
and the header's coverage line sums it up, so the line follows the contacts even while the
tab is hidden (a quick note's attendee clears "gone quiet" at once)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.services import contact_map
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

#: What the graph is made of (a note's attendee is a contact's "last contacted").
GRAPH_FROM = (Entity.CONTACT, Entity.INFLUENCE_LINK)


class ContactGraphReader(QObject):
    """Reads an account's contact graph whenever its contacts or links change.

    Args:
        shown_in: the widget whose visibility decides when to read (the workspace: the header
            is shown whenever it is).

    Signals:
        loaded(graph): a :class:`ContactGraph` was read.
    """

    loaded = Signal(object)

    def __init__(self, context: AppContext, account_id: int, shown_in: QWidget) -> None:
        super().__init__(shown_in)
        self.context, self.account_id = context, account_id
        self.follower = ChangeFollower(shown_in, context.data, self.concerns, self.refresh)

    def concerns(self, changes: ChangeSet) -> bool:
        """Whether ``changes`` touch this account's contacts or influence links."""
        return changes.touches(*GRAPH_FROM, account=self.account_id)

    def refresh(self, _changes: ChangeSet | None = None) -> None:
        """Read the graph again (the newest read wins)."""
        store, account_id = self.context.store, self.account_id
        self.context.tasks.submit(
            lambda _p: contact_map.contact_graph(store, account_id),
            lane=Lane.READ,
            receiver=self,
            on_done=self.loaded.emit,
            supersede=(self, "graph"),
        )
