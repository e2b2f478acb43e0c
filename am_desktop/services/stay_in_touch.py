"""A contact who left the company: the successor, the account-plan risk, coverage again
(issue 19). The overdue list itself is one of Today's (``services.today``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from am_desktop.db.models import Account, AccountRisk, Contact
from am_desktop.domain.coverage import DECISION_ROLES, CoverageWarning, coverage_warnings
from am_desktop.domain.enums import ContactRole, Severity
from am_desktop.domain.formatting import day as format_day
from am_desktop.domain.records import ContactRecord, RiskRecord
from am_desktop.errors import NotFoundError, ValidationError
from am_desktop.services import catalog
from am_desktop.services.contact_map import contact_graph
from am_desktop.services.store import Store

#: Roles whose departure puts the renewal itself at risk (the rest: a medium risk).
_KEY_ROLES = DECISION_ROLES | {ContactRole.CHAMPION}


@dataclass(frozen=True, slots=True)
class Departure:
    """What marking a contact as left did.

    Attributes:
        contact: the contact, with its ``left_on``.
        successor: who takes over (None: nobody known yet).
        risk: the risk added to the account plan.
        coverage: the account's coverage warnings without the contact who left.
    """

    contact: ContactRecord
    successor: ContactRecord | None
    risk: RiskRecord
    coverage: tuple[CoverageWarning, ...]


def successor_candidates(store: Store, contact_id: int) -> tuple[tuple[int, str], ...]:
    """(id, name) of the account's other present contacts, by name: who may take over."""
    with store.read() as session:
        leaver = session.get(Contact, contact_id)
        if leaver is None:
            raise NotFoundError("That contact no longer exists.")
        rows = session.execute(
            select(Contact.id, Contact.first_name, Contact.last_name).where(
                Contact.account_id == leaver.account_id,
                Contact.id != contact_id,
                Contact.archived_at.is_(None),
                Contact.left_on.is_(None),
            )
        ).all()
    return tuple(sorted(((i, _name(f, last)) for i, f, last in rows), key=lambda r: r[1]))


def mark_contact_left(
    store: Store,
    contact_id: int,
    left_on: date,
    successor_id: int | None,
    today: date | None = None,
) -> Departure:
    """Record that a contact left, in one unit of work, and the coverage without them.

    The successor (a present contact of the same account) takes the role of the one who left
    when it has none. The risk names who left and who takes over, or says to find out.
    """
    with store.write() as session:
        leaver = session.get(Contact, contact_id)
        if leaver is None:
            raise NotFoundError("That contact no longer exists.")
        if leaver.left_on is not None:
            raise ValidationError(
                f"{_name(leaver.first_name, leaver.last_name)} is already marked as left.",
                "left_on",
            )
        successor = session.get(Contact, successor_id) if successor_id is not None else None
        if successor_id is not None and (
            successor is None
            or successor.account_id != leaver.account_id
            or successor.id == leaver.id
            or successor.left_on is not None
        ):
            raise ValidationError(
                "The successor must be another present contact of the account.", "successor"
            )
        leaver.left_on = left_on
        if successor is not None and successor.role is None and leaver.role is not None:
            successor.role = leaver.role
        description, mitigation = _risk_text(leaver, successor, left_on)
        account = session.get(Account, leaver.account_id)
        risk = AccountRisk(
            account_id=leaver.account_id,
            description=description,
            mitigation=mitigation,
            owner=account.owner if account else None,
            severity=Severity.HIGH if leaver.role in _KEY_ROLES else Severity.MEDIUM,
        )
        session.add(risk)
        session.flush()
        result = (
            catalog.CONTACT.to_record(leaver),
            catalog.CONTACT.to_record(successor) if successor is not None else None,
            catalog.RISK.to_record(risk),
        )
    graph = contact_graph(store, result[0].account_id)
    return Departure(*result, tuple(coverage_warnings(graph, today or date.today())))


def _risk_text(leaver: Contact, successor: Contact | None, left_on: date) -> tuple[str, str]:
    """The risk's description and mitigation, in words."""
    who = _name(leaver.first_name, leaver.last_name)
    role = f" ({leaver.role.label})" if leaver.role else ""
    description = f"{who}{role} left the company on {format_day(left_on)}."
    if successor is None:
        description += " No successor known yet."
        mitigation = (
            "Find out who takes over their part, and ask for an introduction before the "
            "next renewal step."
        )
    else:
        heir = _name(successor.first_name, successor.last_name)
        description += f" {heir} takes over."
        mitigation = f"Meet {heir} soon, and go over what {who} knew and had agreed."
    return description, mitigation


def _name(first: str | None, last: str) -> str:
    return f"{first} {last}" if first else last
