"""A pre-call brief laid out once, as headed sections of paragraphs, lists and tables, so the
screen, Markdown, HTML and PDF say the same words (issue 19). Every figure goes through
``domain.formatting``; a missing one is a dash."""

from __future__ import annotations

from dataclasses import dataclass

from am_desktop.domain import formatting as fmt
from am_desktop.domain.brief import Brief, BriefAction
from am_desktop.domain.values import counted


@dataclass(frozen=True, slots=True)
class Facts:
    """Label–value pairs ("ARR: $120,000")."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    """A list; ``empty`` is said when it has no item."""

    items: tuple[str, ...]
    empty: str = ""
    numbered: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """Rows under column headers; ``empty`` is said when there is no row."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = ""


Block = Facts | Bullets | Table


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class BriefDocument:
    title: str
    subtitle: str
    sections: tuple[Section, ...]


def brief_document(brief: Brief) -> BriefDocument:
    """The brief's sections in reading order: agenda first (what to do), then the facts."""
    when = f"Prepared {fmt.day(brief.today)}"
    if brief.meeting is not None:
        starts = brief.meeting.starts_at.astimezone()
        when = f"Meeting {fmt.day(starts)} at {starts:%H:%M} · {when}"
    return BriefDocument(
        brief.title,
        when,
        (
            Section("Suggested agenda", (Bullets(brief.agenda, numbered=True),)),
            Section("Account", (_account_facts(brief),)),
            Section("Health", _health(brief)),
            Section(
                "Attendees" if brief.meeting is not None else "Key contacts", (_people(brief),)
            ),
            Section(
                "Open action items",
                (_actions("Theirs", brief.theirs, brief), _actions("Ours", brief.ours, brief)),
            ),
            Section("Open issues", (_issues(brief),)),
            Section("Coverage gaps", (_gaps(brief),)),
            Section("Open opportunities", (_opportunities(brief),)),
            Section("Last notes", (_notes(brief),)),
        ),
    )


def _account_facts(brief: Brief) -> Facts:
    renewal = brief.renewal
    return Facts(
        (
            ("Account", brief.account + (f" ({brief.domain})" if brief.domain else "")),
            ("ARR", fmt.money(brief.arr_cents, brief.currency)),
            ("Renewal date", fmt.day(renewal.end_date if renewal else None)),
            ("Notice deadline", fmt.day(renewal.notice_deadline if renewal else None)),
            (
                "Renewal stage",
                renewal.stage.replace("_", " ").capitalize() if renewal else fmt.NO_DATA,
            ),
        )
    )


def _health(brief: Brief) -> tuple[Block, ...]:
    band = brief.health_band.label if brief.health_band is not None else fmt.NO_DATA
    facts = Facts((("Score", fmt.score(brief.health_score)), ("Band", band)))
    why = Table(
        ("Factor", "Score", "Why"),
        tuple((f.label, fmt.score(f.value), f.why or fmt.NO_DATA) for f in brief.health_factors),
        empty="Not scored yet.",
    )
    return (facts, why)


def _people(brief: Brief) -> Table:
    return Table(
        ("Name", "Title", "Role", "Sentiment", "Last contact"),
        tuple(
            (
                p.name,
                p.title or fmt.NO_DATA,
                p.role.label if p.role else fmt.NO_DATA,
                p.sentiment.label if p.sentiment else fmt.NO_DATA,
                fmt.day(p.last_contact),
            )
            for p in brief.people
        ),
        empty="No attendee is a known contact."
        if brief.meeting is not None
        else "No contacts recorded.",
    )


def _actions(whose: str, items: tuple[BriefAction, ...], brief: Brief) -> Table:
    def due(item: BriefAction) -> str:
        shown = fmt.day(item.due)
        return f"{shown} (overdue)" if item.overdue(brief.today) else shown

    return Table(
        (whose, "Owner", "Due"),
        tuple((a.text, a.owner or fmt.NO_DATA, due(a)) for a in items),
        empty=f"{whose}: none open.",
    )


def _issues(brief: Brief) -> Table:
    return Table(
        ("Issue", "Severity", "Opened"),
        tuple((i.title, i.severity.label, fmt.day(i.opened)) for i in brief.issues),
        empty="No open issue.",
    )


def _gaps(brief: Brief) -> Bullets:
    return Bullets(
        tuple(f"{g.message} {g.advice}" for g in brief.gaps),
        empty="No coverage gap.",
    )


def _opportunities(brief: Brief) -> Table:
    return Table(
        ("Opportunity", "Kind", "Stage", "Amount", "Close"),
        tuple(
            (
                o.name,
                o.kind,
                o.stage.replace("_", " ").capitalize(),
                fmt.money(o.amount_cents, o.currency),
                fmt.day(o.close_date),
            )
            for o in brief.opportunities
        ),
        empty="No open opportunity.",
    )


def _notes(brief: Brief) -> Bullets:
    return Bullets(
        tuple(
            f"{fmt.day(n.occurred_at)} — {n.title}"
            + (f": {' / '.join(n.lines)}" if n.lines else "")
            for n in brief.notes
        ),
        empty="No notes yet.",
    )


def summary_line(brief: Brief) -> str:
    """One line for a status bar or the command line: what the brief holds."""
    return (
        f"{brief.title}: {counted(len(brief.agenda), 'agenda point')}, "
        f"{counted(len(brief.theirs) + len(brief.ours), 'open action item')}, "
        f"{counted(len(brief.issues), 'open issue')}"
    )
