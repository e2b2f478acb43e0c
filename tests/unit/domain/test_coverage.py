"""Coverage warnings: one test per rule, each saying what to do."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from am_desktop.domain.contact_graph import ContactGraph, ContactNode
from am_desktop.domain.coverage import CoverageRule, Seniority, coverage_warnings, seniority
from am_desktop.domain.enums import ContactRole, Sentiment
from am_desktop.domain.ids import AccountId, ContactId

TODAY = date(2026, 11, 22)


def contacted(days_ago: int) -> datetime:
    """Noon, local time (days are counted by the local calendar, as the contact list shows)."""
    return datetime.combine(TODAY - timedelta(days=days_ago), time(12)).astimezone(UTC)


def node(contact_id: int, name: str, **fields: object) -> ContactNode:
    return ContactNode(ContactId(contact_id), name, **fields)  # type: ignore[arg-type]


def healthy() -> list[ContactNode]:
    """A committee with nothing to warn about."""
    return [
        node(1, "Eve Buyer", title="CFO", role=ContactRole.ECONOMIC_BUYER,
             sentiment=Sentiment.SUPPORTER, last_contacted_at=contacted(10)),
        node(2, "Cal Champion", title="IT Manager", role=ContactRole.CHAMPION,
             sentiment=Sentiment.ADVOCATE, last_contacted_at=contacted(5)),
    ]  # fmt: skip


def rules(nodes: list[ContactNode], cadence: int = 30, **kwargs: object) -> list[CoverageRule]:
    graph = ContactGraph(AccountId(1), "Acme", cadence, tuple(nodes))
    return [w.rule for w in coverage_warnings(graph, TODAY, **kwargs)]  # type: ignore[arg-type]


def test_a_well_covered_account_has_no_warnings() -> None:
    assert rules(healthy()) == []


def test_an_account_without_contacts_says_to_add_some() -> None:
    graph = ContactGraph(AccountId(1), "Acme", 30)
    (warning,) = coverage_warnings(graph, TODAY)
    assert warning.rule is CoverageRule.NO_CONTACTS
    assert "Add" in warning.advice


def test_no_economic_buyer() -> None:
    nodes = [healthy()[1], node(3, "Dee", title="VP Ops", last_contacted_at=contacted(3))]
    graph = ContactGraph(AccountId(1), "Acme", 30, tuple(nodes))
    warnings = coverage_warnings(graph, TODAY)
    assert [w.rule for w in warnings] == [CoverageRule.NO_ECONOMIC_BUYER]
    assert "introduction" in warnings[0].advice


def test_single_threaded_when_only_one_contact_is_engaged() -> None:
    nodes = healthy()
    nodes[0] = node(1, "Eve Buyer", title="CFO", role=ContactRole.ECONOMIC_BUYER,
                    last_contacted_at=contacted(200))  # fmt: skip
    graph = ContactGraph(AccountId(1), "Acme", 30, tuple(nodes))
    (warning,) = coverage_warnings(graph, TODAY)
    assert warning.rule is CoverageRule.SINGLE_THREADED
    assert "Cal Champion" in warning.message
    assert warning.contact_ids == (2,)


def test_nobody_engaged_is_single_threaded_too() -> None:
    nodes = [node(1, "Eve", title="CFO", role=ContactRole.ECONOMIC_BUYER)]
    graph = ContactGraph(AccountId(1), "Acme", 30, tuple(nodes))
    (warning,) = coverage_warnings(graph, TODAY)
    assert warning.rule is CoverageRule.SINGLE_THREADED
    assert warning.message.startswith("Nobody") and "champion" in warning.advice


def test_a_champion_quiet_for_longer_than_the_cadence() -> None:
    nodes = healthy()
    nodes[1] = node(2, "Cal Champion", title="IT Manager", role=ContactRole.CHAMPION,
                    last_contacted_at=contacted(45))  # fmt: skip
    nodes.append(node(3, "Dee", last_contacted_at=contacted(1)))
    graph = ContactGraph(AccountId(1), "Acme", 30, tuple(nodes))
    (warning,) = coverage_warnings(graph, TODAY)
    assert warning.rule is CoverageRule.CHAMPION_QUIET
    assert "30-day" in warning.message and warning.contact_ids == (2,)
    assert rules(nodes, cadence=60) == []  # within a longer cadence all is well
    nodes.append(node(4, "Chris Champion", title="Lead", role=ContactRole.CHAMPION))
    graph = ContactGraph(AccountId(1), "Acme", 30, tuple(nodes))
    (warning,) = coverage_warnings(graph, TODAY)
    assert warning.message.startswith("Champions Cal Champion and Chris Champion have")


@pytest.mark.parametrize(
    ("role", "sentiment", "influence"),
    [
        (ContactRole.ECONOMIC_BUYER, Sentiment.DETRACTOR, None),
        (ContactRole.DECISION_MAKER, Sentiment.DETRACTOR, None),
        (ContactRole.BLOCKER, Sentiment.SKEPTIC, 4),
    ],
)
def test_a_detractor_or_blocker_in_a_decision_role(
    role: ContactRole, sentiment: Sentiment, influence: int | None
) -> None:
    nodes = [*healthy(), node(9, "Hal Hostile", title="Director", role=role,
                              sentiment=sentiment, influence=influence)]  # fmt: skip
    assert CoverageRule.HOSTILE_DECISION_MAKER in rules(nodes)


def test_a_detractor_without_a_say_or_a_weak_blocker_is_no_threat() -> None:
    nodes = [*healthy(), node(8, "Ula", role=ContactRole.USER, sentiment=Sentiment.DETRACTOR),
             node(9, "Bo", role=ContactRole.BLOCKER, influence=2)]  # fmt: skip
    assert CoverageRule.HOSTILE_DECISION_MAKER not in rules(nodes)


def test_no_contact_at_the_expected_level() -> None:
    nodes = [
        node(1, "Eve", title="Finance Manager", role=ContactRole.ECONOMIC_BUYER,
             last_contacted_at=contacted(1)),
        node(2, "Cal", title="Analyst", role=ContactRole.CHAMPION, last_contacted_at=contacted(1)),
    ]  # fmt: skip
    graph = ContactGraph(AccountId(1), "Acme", 30, tuple(nodes))
    (warning,) = coverage_warnings(graph, TODAY)
    assert warning.rule is CoverageRule.NO_SENIOR_CONTACT
    assert warning.message == "No contact at vice-president level or above."
    assert rules(nodes, senior_level=Seniority.MANAGER) == []


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Chief Financial Officer", Seniority.EXECUTIVE),
        ("CEO", Seniority.EXECUTIVE),
        ("Vice President, Sales", Seniority.VP),
        ("SVP Engineering", Seniority.VP),
        ("Managing Director", Seniority.EXECUTIVE),
        ("Director of IT", Seniority.DIRECTOR),
        ("Head of Procurement", Seniority.DIRECTOR),
        ("Procurement Manager", Seniority.MANAGER),
        ("Data Analyst", Seniority.INDIVIDUAL),
        ("Product Owner", Seniority.INDIVIDUAL),
        ("Executive Assistant to the CEO", Seniority.INDIVIDUAL),
        ("Business Owner", Seniority.EXECUTIVE),
        ("", None),
        (None, None),
    ],
)
def test_seniority_is_read_from_the_title(title: str | None, level: Seniority | None) -> None:
    assert seniority(title) == level
