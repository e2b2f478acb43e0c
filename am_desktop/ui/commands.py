"""Undoable edits (Ctrl+Z / Ctrl+Shift+Z): each command calls a service on the WRITE lane.

Commands announce nothing: the store's change feed tells every screen what was written.

A command's first ``redo`` may be skipped when the change was already written (a dialog saves
before it closes, so a refused value never lands on the undo stack).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from am_desktop.errors import ValidationError
from am_desktop.services.entities import EntityService
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane


class ServiceCommand(QUndoCommand):
    """An undo step whose redo and undo are service calls.

    Args:
        already_done: the change was written before the command was pushed.
    """

    def __init__(self, context: AppContext, text: str, *, already_done: bool = False):
        super().__init__(text)
        self.context = context
        self._skip_redo = already_done
        #: Where a refused value is explained (next to the field); else the MessageBus.
        self.explain: Callable[[ValidationError], None] | None = None

    def run(self, work: Callable[[], Any], on_done: Callable[[], None] | None = None) -> None:
        """Write on the WRITE lane (the change feed announces it); ``on_done`` once written."""
        self.context.tasks.submit(
            lambda _p: work(),
            lane=Lane.WRITE,
            on_error=self._on_failed,
            on_done=(lambda _result: on_done()) if on_done is not None else None,
        )

    def _on_failed(self, error: BaseException) -> None:
        self.setObsolete(True)
        if isinstance(error, ValidationError) and self.explain is not None:
            self.explain(error)
        else:
            self.context.messages.failure(error)
        self.context.data.reread()  # the views show what is really stored, not the attempt

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self.apply()

    def apply(self) -> None:
        """Do the change (redo)."""
        raise NotImplementedError


class EditCommand(ServiceCommand):
    """Change some fields of one record; undo writes the old values back."""

    def __init__(
        self,
        context: AppContext,
        service: EntityService[Any, Any],
        record_id: int,
        before: Mapping[str, object],
        after: Mapping[str, object],
        *,
        already_done: bool = False,
    ) -> None:
        noun = service.kind.noun
        super().__init__(context, f"Edit {noun}", already_done=already_done)
        self.service, self.record_id = service, record_id
        self.before, self.after = dict(before), dict(after)

    def apply(self) -> None:
        self.run(lambda: self.service.update(self.context.store, self.record_id, self.after))

    def undo(self) -> None:
        self.run(lambda: self.service.update(self.context.store, self.record_id, self.before))


class CreateCommand(ServiceCommand):
    """A record was created; undo archives it, redo restores it."""

    def __init__(
        self, context: AppContext, service: EntityService[Any, Any], record_id: int
    ) -> None:
        noun = service.kind.noun
        super().__init__(context, f"Add {noun}", already_done=True)
        self.service, self.record_id = service, record_id

    def apply(self) -> None:
        self.run(lambda: self.service.restore(self.context.store, self.record_id))

    def undo(self) -> None:
        self.run(lambda: self.service.archive(self.context.store, self.record_id))


class ArchiveCommand(ServiceCommand):
    """Archive (or restore) records; undo does the opposite."""

    def __init__(
        self,
        context: AppContext,
        service: EntityService[Any, Any],
        ids: Sequence[int],
        archive: bool,
    ) -> None:
        noun = service.kind.noun
        count = f"{len(ids)} {noun}s" if len(ids) > 1 else noun
        super().__init__(context, f"{'Archive' if archive else 'Restore'} {count}")
        self.service, self.ids, self.archive = service, list(ids), archive

    def _set(self, archive: bool) -> None:
        action = self.service.archive if archive else self.service.restore
        self.run(lambda: [action(self.context.store, i) for i in self.ids])

    def apply(self) -> None:
        self._set(self.archive)

    def undo(self) -> None:
        self._set(not self.archive)


class CallCommand(ServiceCommand):
    """Any pair of service calls (close an opportunity / reopen it)."""

    def __init__(
        self,
        context: AppContext,
        text: str,
        do: Callable[[], Any],
        undo: Callable[[], Any],
    ) -> None:
        super().__init__(context, text)
        self._do, self._undo = do, undo
        #: Called each time ``do`` has been written (to confirm it in the status bar).
        self.done: Callable[[], None] | None = None

    def apply(self) -> None:
        self.run(self._do, self.done)

    def undo(self) -> None:
        self.run(self._undo)
