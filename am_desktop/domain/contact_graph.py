"""An account's buying committee as a graph: who reports to whom, and who sways whom.

The contact map draws this; the coverage rules read it. It is plain data, so both can be
tested without Qt or a database (issue 4).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from am_desktop.domain.enums import ContactRole, Sentiment
from am_desktop.domain.ids import AccountId, ContactId

#: Roles listed from the top of a buying decision down; the map orders siblings this way.
ROLE_ORDER: tuple[ContactRole, ...] = (
    ContactRole.ECONOMIC_BUYER,
    ContactRole.DECISION_MAKER,
    ContactRole.TECHNICAL_BUYER,
    ContactRole.CHAMPION,
    ContactRole.COACH,
    ContactRole.INFLUENCER,
    ContactRole.PROCUREMENT,
    ContactRole.BLOCKER,
    ContactRole.USER,
)


@dataclass(frozen=True, slots=True)
class ContactNode:
    """One contact as the map shows it.

    ``pinned`` is where the user dragged the card (None: the automatic layout places it).
    """

    id: ContactId
    name: str
    title: str | None = None
    role: ContactRole | None = None
    sentiment: Sentiment | None = None
    influence: int | None = None
    relationship_strength: int | None = None
    last_contacted_at: datetime | None = None
    reports_to_id: ContactId | None = None
    email: str | None = None
    phone: str | None = None
    pinned: tuple[float, float] | None = None
    version: int = 1
    #: When the contact was added: a contact never contacted yet is "new", not "quiet",
    #: until a cadence has passed since then (None: unknown, counts as long ago).
    added_at: datetime | None = None
    #: The day the contact left the company: kept on the map for the history, out of the
    #: coverage rules (issue 19).
    left_on: date | None = None

    def days_since_contact(self, today: date) -> int | None:
        """Whole days since the last contact, by the local calendar as the list shows it
        (None: never contacted)."""
        if self.last_contacted_at is None:
            return None
        return (today - self.last_contacted_at.astimezone().date()).days

    def is_quiet(self, today: date, cadence_days: int) -> bool:
        """Not contacted within the account's check-in cadence; a contact never contacted
        counts from when it was added (one added this week is new, not overdue)."""
        days = self.days_since_contact(today)
        if days is None and self.added_at is not None:
            days = (today - self.added_at.astimezone().date()).days
        return days is None or days > cadence_days

    def is_new(self, today: date, cadence_days: int) -> bool:
        """Never contacted, and added within the cadence: nothing is overdue yet."""
        return self.last_contacted_at is None and not self.is_quiet(today, cadence_days)

    @property
    def sort_key(self) -> tuple[int, str, int]:
        """Siblings in order of role, then name: deterministic for the layout."""
        rank = ROLE_ORDER.index(self.role) if self.role else len(ROLE_ORDER)
        return (rank, self.name.casefold(), self.id)


@dataclass(frozen=True, slots=True)
class InfluenceEdge:
    """``from_id`` sways ``to_id`` outside the reporting line."""

    id: int
    from_id: ContactId
    to_id: ContactId
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ContactGraph:
    """An account's live contacts and influence links.

    Args:
        cadence_days: the account's check-in cadence; a card is marked when its last contact
            is older than this.
    """

    account_id: AccountId
    account_name: str
    cadence_days: int
    nodes: tuple[ContactNode, ...] = ()
    links: tuple[InfluenceEdge, ...] = ()
    _by_id: dict[ContactId, ContactNode] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {node.id: node for node in self.nodes})

    def __iter__(self) -> Iterator[ContactNode]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, contact_id: object) -> bool:
        return contact_id in self._by_id

    def node(self, contact_id: ContactId) -> ContactNode:
        """The contact with this id (KeyError when it is not on the map)."""
        return self._by_id[contact_id]

    def manager_of(self, contact_id: ContactId) -> ContactId | None:
        """The manager on the map (a manager archived or at another account counts as none)."""
        manager = self._by_id[contact_id].reports_to_id
        return manager if manager in self._by_id else None

    def managers(self) -> dict[ContactId, ContactId | None]:
        """Every contact's manager on the map: the tree the layout draws."""
        return {node.id: self.manager_of(node.id) for node in self.nodes}

    def reports_of(self, contact_id: ContactId) -> list[ContactId]:
        """Direct reports, in sibling order."""
        return [
            node.id
            for node in sorted(self.nodes, key=lambda n: n.sort_key)
            if self.manager_of(node.id) == contact_id
        ]

    def would_loop(self, contact_id: ContactId, manager_id: ContactId) -> bool:
        """Whether making ``manager_id`` the manager of ``contact_id`` closes a reporting loop."""
        seen: set[ContactId] = set()
        current: ContactId | None = manager_id
        while current is not None and current not in seen:
            if current == contact_id:
                return True
            seen.add(current)
            current = self.manager_of(current)
        return False

    def has_link(self, from_id: ContactId, to_id: ContactId) -> bool:
        """Whether ``from_id`` is already drawn as swaying ``to_id``."""
        return any(link.from_id == from_id and link.to_id == to_id for link in self.links)
