"""What every part of an account's workspace has in common: it names the kinds of record it
shows, reads its own part of the account, and keeps itself current with the change feed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from PySide6.QtWidgets import QWidget

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

T = TypeVar("T")


class WorkspacePart(QWidget):
    """One part of an account's workspace (the header, a tab).

    It refreshes itself when a change to one of its :attr:`kinds` at its account comes in:
    at once while shown, else when next shown (a hidden tab costs nothing). Subclasses read
    in :meth:`refresh`, through :meth:`read`.
    """

    #: The kinds of record, at this part's account, that it shows.
    kinds: ClassVar[tuple[Entity, ...]]

    def __init__(self, context: AppContext, account_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.account_id = context, account_id
        self.follower = ChangeFollower(self, context.data, self.concerns, self.refresh)

    def concerns(self, changes: ChangeSet) -> bool:
        """Whether ``changes`` touch what this part shows."""
        return changes.touches(*self.kinds, account=self.account_id)

    def refresh(self, changes: ChangeSet | None = None) -> None:
        """Read again what ``changes`` touched (everything when None) and show it."""
        raise NotImplementedError

    def read(self, what: str, work: Callable[[], T], on_done: Callable[[T], Any]) -> None:
        """Read ``what`` on the READ lane; a newer read of the same ``what`` supersedes it
        (reads run on a pool: an older answer must not replace a newer one), and a read of
        another part never drops this one."""
        self.context.tasks.submit(
            lambda _p: work(),
            lane=Lane.READ,
            receiver=self,
            on_done=on_done,
            supersede=(self, what),
        )
