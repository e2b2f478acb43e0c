"""Coverage warnings: where an account's relationship is thin, and what to do about it (issue 4).

Each rule reads the contact graph only, so the map, the account header and later the health
score can all show the same warnings.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from am_desktop.domain.contact_graph import ContactGraph, ContactNode
from am_desktop.domain.enums import ContactRole, Sentiment
from am_desktop.domain.ids import ContactId

#: A contact counts as engaged when contacted within this many days (or the cadence, if longer).
ENGAGED_WITHIN_DAYS = 90

#: Roles that decide the deal; a detractor in one of them puts the renewal at risk.
DECISION_ROLES = frozenset(
    {ContactRole.ECONOMIC_BUYER, ContactRole.DECISION_MAKER, ContactRole.TECHNICAL_BUYER}
)

#: A blocker this influential (1-5) acts as a decision maker whatever the org chart says.
BLOCKER_DECIDES_AT = 4


class Seniority(enum.IntEnum):
    """How senior a job title reads, from individual contributor up to the executive team."""

    INDIVIDUAL = 0
    MANAGER = 1
    DIRECTOR = 2
    VP = 3
    EXECUTIVE = 4

    @property
    def phrase(self) -> str:
        """As a sentence names the level: "No contact at vice-president level or above"."""
        return {
            Seniority.INDIVIDUAL: "any level",
            Seniority.MANAGER: "manager level",
            Seniority.DIRECTOR: "director level",
            Seniority.VP: "vice-president level",
            Seniority.EXECUTIVE: "C-level",
        }[self]

    @property
    def label(self) -> str:
        return {
            Seniority.INDIVIDUAL: "Individual contributor",
            Seniority.MANAGER: "Manager",
            Seniority.DIRECTOR: "Director",
            Seniority.VP: "Vice president",
            Seniority.EXECUTIVE: "Executive (C-level)",
        }[self]


# Checked in this order: an assistant to the CEO is not the CEO, "Vice President" is a VP
# before it is a president, "Managing Director" an executive before it is a director.
_TITLE_LEVELS: tuple[tuple[Seniority, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE))
    for level, pattern in (
        (
            Seniority.INDIVIDUAL,
            r"\b(executive|personal|administrative) assistant\b|\bassistant to\b",
        ),
        (Seniority.VP, r"\b(vice[\s-]+president|[sea]?vp)\b"),
        (
            Seniority.EXECUTIVE,
            r"\b(chief|c[a-z]?[eiotfmrps]o|president|founder|co-founder|business owner|"
            r"managing director|general manager|managing partner)\b",
        ),
        (Seniority.DIRECTOR, r"\b(director|head of|head)\b"),
        (Seniority.MANAGER, r"\b(manager|lead|supervisor|team leader)\b"),
    )
)


def seniority(title: str | None) -> Seniority | None:
    """How senior a title reads (None: no title to judge by)."""
    if not title or not title.strip():
        return None
    for level, pattern in _TITLE_LEVELS:
        if pattern.search(title):
            return level
    return Seniority.INDIVIDUAL


class CoverageRule(enum.Enum):
    """The coverage checks, each with its own warning."""

    NO_CONTACTS = "no_contacts"
    NO_ECONOMIC_BUYER = "no_economic_buyer"
    SINGLE_THREADED = "single_threaded"
    CHAMPION_QUIET = "champion_quiet"
    HOSTILE_DECISION_MAKER = "hostile_decision_maker"
    NO_SENIOR_CONTACT = "no_senior_contact"


@dataclass(frozen=True, slots=True)
class CoverageWarning:
    """One gap in coverage.

    Args:
        message: what is wrong, in a sentence.
        advice: what to do about it.
        contact_ids: the contacts concerned (to highlight on the map).
    """

    rule: CoverageRule
    message: str
    advice: str
    contact_ids: tuple[ContactId, ...] = ()


def coverage_warnings(
    graph: ContactGraph, today: date, senior_level: Seniority = Seniority.VP
) -> list[CoverageWarning]:
    """Every coverage warning for an account, most serious first.

    Args:
        graph: the account's contacts; ``graph.cadence_days`` is its check-in cadence.
        today: the day the warnings are for.
        senior_level: a contact at this level or above should be known.
    """
    # Who left the company covers nothing any more (issue 19).
    contacts = sorted(
        (node for node in graph.nodes if node.left_on is None), key=lambda node: node.sort_key
    )
    if not contacts:
        return [
            CoverageWarning(
                CoverageRule.NO_CONTACTS,
                "No contacts yet.",
                "Add the people you work with, starting with whoever signs the renewal.",
            )
        ]
    checks = (
        _no_economic_buyer(contacts),
        _hostile_decision_makers(contacts),
        _single_threaded(contacts, today, graph.cadence_days),
        _quiet_champions(contacts, today, graph.cadence_days),
        _no_senior_contact(contacts, senior_level),
    )
    return [warning for warning in checks if warning is not None]


def _names(nodes: list[ContactNode]) -> str:
    names = [node.name for node in nodes]
    if len(names) > 3:
        return f"{', '.join(names[:3])} and {len(names) - 3} more"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _ids(nodes: list[ContactNode]) -> tuple[ContactId, ...]:
    return tuple(node.id for node in nodes)


def _no_economic_buyer(contacts: list[ContactNode]) -> CoverageWarning | None:
    if any(node.role is ContactRole.ECONOMIC_BUYER for node in contacts):
        return None
    return CoverageWarning(
        CoverageRule.NO_ECONOMIC_BUYER,
        "No economic buyer identified.",
        "Find out who signs off the budget and ask your champion for an introduction.",
    )


def _hostile_decision_makers(contacts: list[ContactNode]) -> CoverageWarning | None:
    hostile = [
        node
        for node in contacts
        if (node.role in DECISION_ROLES and node.sentiment is Sentiment.DETRACTOR)
        or (node.role is ContactRole.BLOCKER and (node.influence or 0) >= BLOCKER_DECIDES_AT)
    ]
    if not hostile:
        return None
    verb = "is" if len(hostile) == 1 else "are"
    return CoverageWarning(
        CoverageRule.HOSTILE_DECISION_MAKER,
        f"{_names(hostile)} {verb} against you and {verb} in a position to decide.",
        "Learn their objections, and plan with your champion who can answer each one.",
        _ids(hostile),
    )


def _single_threaded(
    contacts: list[ContactNode], today: date, cadence_days: int
) -> CoverageWarning | None:
    window = max(ENGAGED_WITHIN_DAYS, cadence_days)
    engaged = [
        node
        for node in contacts
        if (days := node.days_since_contact(today)) is not None and days <= window
    ]
    if len(engaged) > 1:
        return None
    if engaged:
        message = (
            f"Single-threaded: only {engaged[0].name} was contacted in the last {window} days."
        )
        advice = (
            "Meet a second stakeholder before the next renewal step, so one departure "
            "cannot cost you the account."
        )
    else:
        message = f"Nobody at the account was contacted in the last {window} days."
        advice = "Book a check-in with your champion, and ask who else should join it."
    return CoverageWarning(CoverageRule.SINGLE_THREADED, message, advice, _ids(engaged))


def _quiet_champions(
    contacts: list[ContactNode], today: date, cadence_days: int
) -> CoverageWarning | None:
    quiet = [
        node
        for node in contacts
        if node.role is ContactRole.CHAMPION and node.is_quiet(today, cadence_days)
    ]
    if not quiet:
        return None
    noun, verb = ("Champion", "has") if len(quiet) == 1 else ("Champions", "have")
    return CoverageWarning(
        CoverageRule.CHAMPION_QUIET,
        f"{noun} {_names(quiet)} {verb} not been contacted within the {cadence_days}-day cadence.",
        "Book a check-in: a champion who goes quiet may have changed priorities or left.",
        _ids(quiet),
    )


def _no_senior_contact(contacts: list[ContactNode], level: Seniority) -> CoverageWarning | None:
    if any((seniority(node.title) or Seniority.INDIVIDUAL) >= level for node in contacts):
        return None
    return CoverageWarning(
        CoverageRule.NO_SENIOR_CONTACT,
        f"No contact at {level.phrase} or above.",
        "Ask your champion or economic buyer to introduce you to their leadership, "
        "so the account is known at the top.",
    )
