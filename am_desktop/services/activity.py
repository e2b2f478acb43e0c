"""An account's activity timeline: notes, action items, renewals, opportunities and issues
in date order, each pointing at the record it came from (issue 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from am_desktop.db.models import ActionItem, Contract, Escalation, Note, Opportunity, Renewal
from am_desktop.domain.enums import ActionItemStatus
from am_desktop.domain.note_text import title_from_text
from am_desktop.domain.snippets import elide_words

#: How many of each kind the timeline reads (it shows the newest first).
PER_KIND = 60


@dataclass(frozen=True, slots=True)
class ActivityItem:
    """Something that happened at an account.

    Args:
        kind: "note", "action" (or "done"), "renewal", "opportunity" or "issue".
        ref_id: the record to open (for an action item, its note when it has one).
    """

    when: datetime
    kind: str
    title: str
    detail: str
    ref_id: int


def account_activity(session: Session, account_id: int, limit: int = 100) -> list[ActivityItem]:
    """The newest ``limit`` events at an account, newest first (inside a read)."""
    items: list[ActivityItem] = []
    for note in session.scalars(
        select(Note)
        .where(Note.account_id == account_id, Note.archived_at.is_(None))
        .order_by(Note.occurred_at.desc())
        .limit(PER_KIND)
    ):
        preview = elide_words(note.body, 100)
        items.append(
            ActivityItem(
                note.occurred_at,
                "note",
                note.title or title_from_text(note.body) or note.kind.label,
                preview,
                note.id,
            )
        )
    for action, noted_at in session.execute(
        select(ActionItem, Note.occurred_at)
        .outerjoin(Note, Note.id == ActionItem.note_id)
        .where(ActionItem.account_id == account_id, ActionItem.archived_at.is_(None))
        .order_by(ActionItem.created_at.desc())
        .limit(PER_KIND)
    ):
        done = action.status is ActionItemStatus.DONE and action.done_at is not None
        who = f" ({action.owner})" if action.owner else ""
        raised = noted_at or action.created_at  # an item from a meeting dates from the meeting
        items.append(
            ActivityItem(
                action.done_at if done and action.done_at else raised,
                "done" if done else "action",
                ("Done: " if done else "To do: ") + elide_words(action.text, 90) + who,
                f"due {action.due_date:%d %b %Y}" if action.due_date else "",
                action.note_id or 0,
            )
        )
    for renewal, contract in session.execute(
        select(Renewal, Contract)
        .join(Contract, Contract.id == Renewal.contract_id)
        .where(Contract.account_id == account_id, Renewal.archived_at.is_(None))
        .order_by(Renewal.updated_at.desc())
        .limit(PER_KIND)
    ):
        closed = renewal.stage.is_closed
        when = _moment(renewal.close_date) if closed and renewal.close_date else renewal.updated_at
        likelihood = f", {renewal.likelihood}% likely" if renewal.likelihood is not None else ""
        items.append(
            ActivityItem(
                when,
                "renewal",
                f"Renewal {renewal.stage.label.lower()}{likelihood}",
                contract.name or f"Contract ending {contract.end_date:%d %b %Y}",
                renewal.id,
            )
        )
    for opportunity in session.scalars(
        select(Opportunity)
        .where(Opportunity.account_id == account_id, Opportunity.archived_at.is_(None))
        .order_by(Opportunity.updated_at.desc())
        .limit(PER_KIND)
    ):
        stage = opportunity.stage
        when = (
            _moment(opportunity.close_date)
            if stage.is_closed and opportunity.close_date
            else opportunity.created_at
        )
        verb = stage.label if stage.is_closed else "Opportunity"
        items.append(
            ActivityItem(when, "opportunity", f"{verb}: {opportunity.name}", "", opportunity.id)
        )
    for issue in session.scalars(
        select(Escalation)
        .where(Escalation.account_id == account_id, Escalation.archived_at.is_(None))
        .order_by(Escalation.opened_on.desc())
        .limit(PER_KIND)
    ):
        items.append(
            ActivityItem(
                _moment(issue.opened_on), "issue", f"Issue opened: {issue.title}", "", issue.id
            )
        )
        if issue.resolved_on is not None:
            items.append(
                ActivityItem(
                    _moment(issue.resolved_on),
                    "issue",
                    f"Issue resolved: {issue.title}",
                    issue.resolution or "",
                    issue.id,
                )
            )
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


def _moment(day: date) -> datetime:
    """A day as a moment on the timeline (noon UTC, so it sorts within its day)."""
    return datetime.combine(day, time(12), UTC)
