"""What a write changed, as data: the change feed every screen follows (issue 13).

A :class:`ChangeSet` names the kinds of record a committed write touched, their ids and their
accounts. It is made once, centrally, by the store after each commit (from what the database
itself recorded, whatever code path wrote), never assembled by hand by a caller; screens ask
it whether it concerns what they show (:meth:`ChangeSet.touches`). A change made by another
process (a second window, the command line) is seen only as "something changed":
:meth:`ChangeSet.everything`.
"""

from __future__ import annotations

import contextvars
import enum
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType


class Entity(enum.Enum):
    """The kinds of record a change can touch (one per stored table of the product)."""

    ACCOUNT = "account"
    CONTACT = "contact"
    INFLUENCE_LINK = "influence link"
    NOTE = "note"
    ACTION_ITEM = "action item"
    OBJECTIVE = "objective"
    RISK = "risk"
    WHITESPACE = "whitespace"
    FEEDBACK = "product feedback"
    CONTRACT = "contract"
    RENEWAL = "renewal"
    OPPORTUNITY = "opportunity"
    ISSUE = "issue"
    LEDGER_MOVEMENT = "ledger movement"
    HEALTH_SNAPSHOT = "health snapshot"
    SURVEY = "survey response"
    USAGE = "usage"
    SYNC_STATE = "sync state"
    EXCHANGE_RATE = "exchange rate"


class Origin(enum.Enum):
    """Who made a change (screens may word things differently; none skips a refresh)."""

    USER = "user"
    IMPORT = "import"
    SYNC = "sync"
    JOB = "job"
    OTHER_PROCESS = "other process"
    #: Nothing was written: a write failed after a screen had shown it (a dragged card, a
    #: typed cell), so the screens read again what is really stored.
    REREAD = "re-read"


_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar(
    "change_origin", default=Origin.USER
)


@contextmanager
def origin(who: Origin) -> Iterator[None]:
    """Mark the writes made inside the block (on this thread) as made by ``who``."""
    token = _origin.set(who)
    try:
        yield
    finally:
        _origin.reset(token)


def current_origin() -> Origin:
    """Who the writes made now on this thread are attributed to."""
    return _origin.get()


_EMPTY: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """The records one or more committed writes touched.

    Attributes:
        ids: each touched kind with the ids of its records.
        places: each touched kind with the accounts its records belong to.
        everything: the whole database may have changed (another process wrote, a bulk load):
            every question answers yes.
        origins: who made the changes.
    """

    ids: Mapping[Entity, frozenset[int]] = field(default_factory=lambda: MappingProxyType({}))
    places: Mapping[Entity, frozenset[int]] = field(default_factory=lambda: MappingProxyType({}))
    everything: bool = False
    origins: frozenset[Origin] = frozenset()

    @classmethod
    def of_rows(cls, rows: Iterable[tuple[Entity, int, int | None]], who: Origin) -> ChangeSet:
        """A change set from ``(kind, id, account id or None)`` rows."""
        ids: dict[Entity, set[int]] = {}
        places: dict[Entity, set[int]] = {}
        for entity, record_id, account_id in rows:
            ids.setdefault(entity, set()).add(record_id)
            if account_id is not None:
                places.setdefault(entity, set()).add(account_id)
        return cls(_frozen(ids), _frozen(places), origins=frozenset({who}))

    @classmethod
    def whole(cls, who: Origin) -> ChangeSet:
        """Anything may have changed (a bulk load, another process)."""
        return cls(everything=True, origins=frozenset({who}))

    @property
    def entities(self) -> frozenset[Entity]:
        """The kinds of record touched."""
        return frozenset(self.ids)

    @property
    def accounts(self) -> frozenset[int]:
        """Every account a touched record belongs to."""
        return frozenset().union(*self.places.values())

    def __bool__(self) -> bool:
        return self.everything or bool(self.ids)

    def touches(self, *entities: Entity, account: int | None = None) -> bool:
        """Whether records of any of ``entities`` (any kind when none given) changed, limited
        to those of one account when ``account`` is given (records of no account, like sync
        state, then never match)."""
        if self.everything:
            return True
        kinds = [kind for kind in entities or self.ids if kind in self.ids]
        if account is None:
            return bool(kinds)
        return any(account in self.places.get(kind, _EMPTY) for kind in kinds)

    def ids_of(self, entity: Entity) -> frozenset[int]:
        """The ids of the ``entity`` records touched (empty when ``everything``: ask
        :meth:`touches` first)."""
        return self.ids.get(entity, _EMPTY)

    def merged(self, other: ChangeSet) -> ChangeSet:
        """Both change sets as one (screens refresh once for a burst of writes)."""
        if not other:
            return self
        if not self:
            return other
        return ChangeSet(
            _union(self.ids, other.ids),
            _union(self.places, other.places),
            self.everything or other.everything,
            self.origins | other.origins,
        )


def _frozen(sets: Mapping[Entity, set[int]]) -> Mapping[Entity, frozenset[int]]:
    return MappingProxyType({entity: frozenset(ids) for entity, ids in sets.items()})


def _union(
    first: Mapping[Entity, frozenset[int]], second: Mapping[Entity, frozenset[int]]
) -> Mapping[Entity, frozenset[int]]:
    kinds = {*first, *second}
    return MappingProxyType({k: first.get(k, _EMPTY) | second.get(k, _EMPTY) for k in kinds})


Listener = Callable[[ChangeSet], None]


class ChangeFeed:
    """Hands each committed change set to every listener, on the thread that committed.

    Listeners must be quick, thread-safe and must not raise (the window's listener only posts
    the set to the GUI thread): the write has already been committed when they run.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every change set from now on; returns how to stop."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, changes: ChangeSet) -> None:
        """Tell every listener (nothing is published for an empty change set)."""
        if not changes:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes)
