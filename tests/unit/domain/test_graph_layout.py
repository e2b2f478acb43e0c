"""The contact map's automatic layout: no overlaps, managers above reports, deterministic."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from am_desktop.domain.graph_layout import LayoutMetrics, reports_route, tidy_layout

METRICS = LayoutMetrics()


def _overlapping(positions: dict[int, tuple[float, float]]) -> list[tuple[int, int]]:
    w, h = METRICS.card_width, METRICS.card_height
    items = sorted(positions.items())
    clashes = []
    for index, (a, (ax, ay)) in enumerate(items):
        for b, (bx, by) in items[index + 1 :]:
            if ax < bx + w and bx < ax + w and ay < by + h and by < ay + h:
                clashes.append((a, b))
    return clashes


@st.composite
def forests(draw: st.DrawFn) -> dict[int, int | None]:
    """Random reporting lines: each contact reports to an earlier one, or to nobody."""
    size = draw(st.integers(1, 80))
    parents: dict[int, int | None] = {0: None}
    for node in range(1, size):
        parents[node] = draw(st.one_of(st.none(), st.integers(0, node - 1)))
    return parents


@settings(max_examples=150, deadline=None)
@given(forests())
def test_cards_never_overlap_and_reports_sit_below_their_manager(
    parents: dict[int, int | None],
) -> None:
    layout = tidy_layout(parents)
    assert set(layout.positions) == set(parents)
    assert _overlapping(layout.positions) == []
    for node, manager in parents.items():
        if manager is not None:
            assert layout.positions[node][1] >= layout.positions[manager][1] + METRICS.card_height


@settings(max_examples=50, deadline=None)
@given(forests())
def test_the_same_input_gives_the_same_layout_whatever_its_order(
    parents: dict[int, int | None],
) -> None:
    shuffled = dict(reversed(list(parents.items())))
    assert tidy_layout(parents).positions == tidy_layout(shuffled).positions


def test_a_manager_is_centred_above_two_reports() -> None:
    layout = tidy_layout({1: None, 2: 1, 3: 1})
    (x1, _), (x2, _), (x3, _) = (layout.positions[k] for k in (1, 2, 3))
    assert x1 == (x2 + x3) / 2


def test_siblings_follow_the_given_order() -> None:
    layout = tidy_layout({1: None, 2: 1, 3: 1}, order=lambda k: -k)
    assert layout.positions[3][0] < layout.positions[2][0]


def test_many_reports_who_manage_nobody_are_stacked_in_columns() -> None:
    parents: dict[int, int | None] = {0: None, **{i: 0 for i in range(1, 21)}}
    layout = tidy_layout(parents)
    xs = {layout.positions[i][0] for i in range(1, 21)}
    assert len(xs) == 3  # 20 reports, at most 8 a column
    assert layout.stacked == frozenset(range(1, 21))
    assert _overlapping(layout.positions) == []


def test_contacts_outside_every_reporting_line_go_in_a_grid_below_the_trees() -> None:
    layout = tidy_layout({1: None, 2: 1, 3: None, 4: None})
    assert layout.loose == (3, 4)
    assert layout.loose_origin is not None
    tree_bottom = layout.positions[2][1] + METRICS.card_height
    assert all(layout.positions[k][1] > tree_bottom for k in (3, 4))


def test_a_manager_not_on_the_map_counts_as_none() -> None:
    layout = tidy_layout({1: 99, 2: 1})
    assert layout.positions[2][1] > layout.positions[1][1]


def test_a_reporting_loop_from_bad_data_is_broken_not_fatal() -> None:
    layout = tidy_layout({1: 2, 2: 1, 3: 2, 4: None})
    assert set(layout.positions) == {1, 2, 3, 4}
    assert _overlapping(layout.positions) == []
    assert layout.positions[2][1] > layout.positions[1][1]  # 1 breaks the loop: 2 is below it


def test_a_long_chain_does_not_overflow_the_stack() -> None:
    parents: dict[int, int | None] = {0: None, **{i: i - 1 for i in range(1, 3000)}}
    layout = tidy_layout(parents)
    assert layout.positions[2999][1] > layout.positions[0][1]


def test_an_empty_map_has_no_positions() -> None:
    assert tidy_layout({}).positions == {}


def test_a_report_below_its_manager_is_joined_by_an_elbow() -> None:
    route = reports_route((0, 0, 200, 80), (300, 140, 200, 80), bus_drop=28, gutter=28, side=False)
    assert route == [(100, 80), (100, 108), (400, 108), (400, 140)]


def test_a_stacked_report_is_joined_from_the_side() -> None:
    route = reports_route((0, 0, 200, 80), (0, 300, 200, 80), bus_drop=28, gutter=28, side=True)
    assert route[-1] == (0, 340)  # enters the card's left edge at its middle
    assert route[-2] == (-14, 340)  # down the gutter


def test_a_report_dragged_above_its_manager_is_joined_straight() -> None:
    route = reports_route((0, 300, 200, 80), (0, 0, 200, 80), bus_drop=28, gutter=28, side=False)
    assert route == [(100, 340), (100, 40)]
