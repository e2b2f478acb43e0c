"""The contact map's reads and writes: graph, positions, influence links, finding an account."""

from __future__ import annotations

import pytest

from am_desktop.errors import NotFoundError, ValidationError
from am_desktop.services import catalog, contact_map, portfolio
from am_desktop.services.store import Store


@pytest.fixture
def acme(store: Store) -> int:
    return catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id


def add(store: Store, account_id: int, name: str, **values: object) -> int:
    return catalog.contacts.create(
        store, {"account_id": account_id, "last_name": name, **values}
    ).id


def test_the_graph_holds_live_contacts_their_managers_and_links(store: Store, acme: int) -> None:
    boss = add(store, acme, "Boss", first_name="Ada", role="economic_buyer")
    report = add(store, acme, "Report", reports_to_id=boss)
    gone = add(store, acme, "Gone")
    contact_map.link_contacts(store, acme, report, boss)
    contact_map.link_contacts(store, acme, gone, boss)
    catalog.contacts.archive(store, gone)

    graph = contact_map.contact_graph(store, acme)

    assert [n.name for n in graph] == ["Ada Boss", "Report"]
    assert graph.manager_of(report) == boss  # type: ignore[arg-type]
    assert [(e.from_id, e.to_id) for e in graph.links] == [(report, boss)]
    assert graph.account_name == "Acme" and graph.cadence_days == 30


def test_a_missing_account_is_explained(store: Store) -> None:
    with pytest.raises(NotFoundError):
        contact_map.contact_graph(store, 404)


def test_positions_are_pinned_and_unpinned_in_one_unit_of_work(store: Store, acme: int) -> None:
    a, b = add(store, acme, "A"), add(store, acme, "B")
    contact_map.place_contacts(store, {a: (10.0, 20.0), b: (30.0, 40.0)})
    graph = contact_map.contact_graph(store, acme)
    assert [n.pinned for n in graph] == [(10.0, 20.0), (30.0, 40.0)]

    contact_map.place_contacts(store, {a: None})
    assert [n.pinned for n in contact_map.contact_graph(store, acme)] == [None, (30.0, 40.0)]


def test_placing_a_contact_that_no_longer_exists_writes_nothing(store: Store, acme: int) -> None:
    a = add(store, acme, "A")
    with pytest.raises(NotFoundError):
        contact_map.place_contacts(store, {a: (1.0, 1.0), 999: (2.0, 2.0)})
    assert contact_map.contact_graph(store, acme).node(a).pinned is None  # type: ignore[arg-type]


def test_a_removed_link_comes_back_when_drawn_again(store: Store, acme: int) -> None:
    a, b = add(store, acme, "A"), add(store, acme, "B")
    first = contact_map.link_contacts(store, acme, a, b)
    contact_map.unlink_contacts(store, a, b)
    assert contact_map.contact_graph(store, acme).links == ()
    again = contact_map.link_contacts(store, acme, a, b)
    assert again.id == first.id and not again.archived


def test_a_link_to_oneself_or_another_account_is_refused(store: Store, acme: int) -> None:
    a = add(store, acme, "A")
    other = catalog.accounts.create(store, {"name": "Other"}).id
    stranger = add(store, other, "Stranger")
    with pytest.raises(ValidationError, match="themselves"):
        contact_map.link_contacts(store, acme, a, a)
    with pytest.raises(ValidationError, match="belong to the account"):
        contact_map.link_contacts(store, acme, a, stranger)


def test_a_reporting_loop_is_refused(store: Store, acme: int) -> None:
    boss = add(store, acme, "Boss")
    mid = add(store, acme, "Mid", reports_to_id=boss)
    low = add(store, acme, "Low", reports_to_id=mid)
    with pytest.raises(ValidationError, match="reporting loop"):
        catalog.contacts.update(store, boss, {"reports_to_id": low})
    assert catalog.contacts.get(store, boss).reports_to_id is None


def test_an_account_is_found_by_name_or_domain_in_any_case(store: Store, acme: int) -> None:
    assert portfolio.find_account(store, "acme") == acme
    assert portfolio.find_account(store, " ACME.COM ") == acme
    with pytest.raises(NotFoundError, match="No account"):
        portfolio.find_account(store, "Globex")


def test_an_ambiguous_account_name_asks_for_the_domain(store: Store, acme: int) -> None:
    catalog.accounts.create(store, {"name": "ACME", "domain": "acme.de"})
    with pytest.raises(ValidationError, match="web domain"):
        portfolio.find_account(store, "Acme")
