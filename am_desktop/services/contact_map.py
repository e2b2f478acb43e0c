"""The contact map's reads and writes: the graph, card positions and influence links (issue 4).

Reports-to edits go through ``catalog.contacts.update`` (whose guard refuses loops); what is
specific to the map lives here, each function one unit of work.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from am_desktop.db.base import utcnow
from am_desktop.db.models import Account, Contact, InfluenceLink
from am_desktop.domain.contact_graph import ContactGraph, ContactNode, InfluenceEdge
from am_desktop.domain.ids import AccountId, ContactId
from am_desktop.domain.records import InfluenceLinkRecord
from am_desktop.errors import NotFoundError
from am_desktop.services import catalog
from am_desktop.services.store import Store

#: A card's position, or None to let the automatic layout place it.
Position = tuple[float, float] | None


def contact_graph(store: Store, account_id: int) -> ContactGraph:
    """An account's live contacts and the influence links between them."""
    with store.read() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFoundError("That account no longer exists.")
        contacts = session.scalars(
            select(Contact)
            .where(Contact.account_id == account_id, Contact.archived_at.is_(None))
            .order_by(Contact.id)
        ).all()
        links = session.scalars(
            select(InfluenceLink)
            .where(InfluenceLink.account_id == account_id, InfluenceLink.archived_at.is_(None))
            .order_by(InfluenceLink.id)
        ).all()
        nodes = tuple(_node(contact) for contact in contacts)
        live = {node.id for node in nodes}
        edges = tuple(
            InfluenceEdge(
                link.id, ContactId(link.from_contact_id), ContactId(link.to_contact_id), link.note
            )
            for link in links
            if link.from_contact_id in live and link.to_contact_id in live
        )
        return ContactGraph(
            AccountId(account.id), account.name, account.checkin_cadence_days, nodes, edges
        )


def _node(contact: Contact) -> ContactNode:
    name = f"{contact.first_name} {contact.last_name}" if contact.first_name else contact.last_name
    pinned = (
        (contact.map_x, contact.map_y)
        if contact.map_x is not None and contact.map_y is not None
        else None
    )
    return ContactNode(
        id=ContactId(contact.id),
        name=name,
        title=contact.title,
        role=contact.role,
        sentiment=contact.sentiment,
        influence=contact.influence,
        relationship_strength=contact.relationship_strength,
        last_contacted_at=contact.last_contacted_at,
        reports_to_id=ContactId(contact.reports_to_id) if contact.reports_to_id else None,
        email=contact.email,
        phone=contact.phone,
        pinned=pinned,
        version=contact.version,
        added_at=contact.created_at,
        left_on=contact.left_on,
    )


def place_contacts(store: Store, positions: Mapping[int, Position]) -> None:
    """Pin cards where the user dropped them (None: back to the automatic layout).

    One unit of work, so a multi-card drag or a re-layout is one step to undo.
    """
    if not positions:
        return
    with store.write() as session:
        rows = session.scalars(select(Contact).where(Contact.id.in_(list(positions)))).all()
        if len(rows) != len(positions):
            raise NotFoundError("A contact on the map no longer exists; the map was reloaded.")
        for row in rows:
            position = positions[row.id]
            x, y = position if position is not None else (None, None)
            if (row.map_x, row.map_y) != (x, y):
                row.map_x, row.map_y = x, y


def link_contacts(
    store: Store, account_id: int, from_id: int, to_id: int, note: str | None = None
) -> InfluenceLinkRecord:
    """Record that ``from_id`` sways ``to_id`` (bringing back an archived link if there is one)."""
    with store.read() as session:
        existing = session.scalar(
            select(InfluenceLink.id).where(
                InfluenceLink.from_contact_id == from_id, InfluenceLink.to_contact_id == to_id
            )
        )
    if existing is not None:
        return catalog.influence_links.restore(store, existing)
    values: dict[str, object] = {
        "account_id": account_id,
        "from_contact_id": from_id,
        "to_contact_id": to_id,
    }
    if note:
        values["note"] = note
    return catalog.influence_links.create(store, values)


def unlink_contacts(store: Store, from_id: int, to_id: int) -> None:
    """Remove the influence link from ``from_id`` to ``to_id`` (archived: undo brings it back)."""
    with store.write() as session:
        link = session.scalar(
            select(InfluenceLink).where(
                InfluenceLink.from_contact_id == from_id, InfluenceLink.to_contact_id == to_id
            )
        )
        if link is not None and link.archived_at is None:
            link.archived_at = utcnow()
