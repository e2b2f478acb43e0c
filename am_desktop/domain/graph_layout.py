"""The contact map's automatic layout: a tidy org chart, as a pure function (issue 4).

Each subtree is laid out as a block: children side by side under their manager, who is
centred above them. A manager with many direct reports who manage nobody gets them stacked in
columns (as printed org charts do), so a flat team of sixty stays readable. Contacts outside
every reporting line are placed in a grid under the trees. Blocks never overlap, so cards
never do; the same input always gives the same positions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class LayoutMetrics:
    """Card size and spacing, in scene units (pixels at 100 %)."""

    card_width: float = 210.0
    card_height: float = 78.0
    sibling_gap: float = 28.0
    level_gap: float = 56.0
    stack_gap: float = 14.0
    tree_gap: float = 64.0
    #: A top-level manager's reports who manage nobody are stacked in columns when there are
    #: more than this many; deeper in the tree, as soon as there are two.
    stack_after: int = 4
    #: Cards in one stacked column, at most.
    stack_rows: int = 8

    @property
    def column_pitch(self) -> float:
        return self.card_width + self.sibling_gap


@dataclass(frozen=True, slots=True)
class Layout(Generic[K]):
    """Where each card goes (its top-left corner).

    Args:
        loose: the contacts outside every reporting line, placed in a grid under the trees.
        loose_origin: the grid's top-left corner, for a caption above it (None: no grid).
        stacked: the reports stacked in columns, whose line to their manager runs down the
            gutter beside them (see :func:`reports_route`).
    """

    positions: dict[K, Point]
    loose: tuple[K, ...] = ()
    loose_origin: Point | None = None
    stacked: frozenset[K] = frozenset()


@dataclass(slots=True)
class _Block(Generic[K]):
    """A laid-out subtree: its size and its cards relative to its top-left corner."""

    width: float
    height: float
    positions: dict[K, Point] = field(default_factory=dict)

    def place_into(self, target: dict[K, Point], dx: float, dy: float) -> None:
        for key, (x, y) in self.positions.items():
            target[key] = (x + dx, y + dy)


def tidy_layout(
    parents: Mapping[K, K | None],
    order: Callable[[K], Any] | None = None,
    metrics: LayoutMetrics | None = None,
) -> Layout[K]:
    """Lay out a forest of reporting lines.

    Args:
        parents: every node and its manager; a manager that is not a node counts as none, and
            a reporting loop (bad imported data) is broken at its first node in ``order``.
        order: sorts siblings and trees (default: the nodes' own order).
        metrics: card size and spacing.

    Returns:
        The top-left corner of every node's card.
    """
    metrics = metrics or LayoutMetrics()
    sort_key: Callable[[K], Any] = order or (lambda key: key)
    nodes = sorted(parents, key=sort_key)
    children: dict[K, list[K]] = {node: [] for node in nodes}
    roots: list[K] = []
    for node in nodes:
        manager = parents[node]
        if manager is None or manager not in children or manager == node:
            roots.append(node)
        else:
            children[manager].append(node)
    roots.extend(_loop_breakers(nodes, parents, children, roots))
    for loop_root in roots:
        parent = parents[loop_root]
        if parent is not None and parent in children and loop_root in children[parent]:
            children[parent].remove(loop_root)

    trees = [root for root in roots if children[root]]
    loose = tuple(root for root in roots if not children[root])
    positions: dict[K, Point] = {}
    stacked: set[K] = set()
    x = 0.0
    forest_height = 0.0
    for root in trees:
        block = _subtree(root, children, metrics, stacked)
        block.place_into(positions, x, 0.0)
        x += block.width + metrics.tree_gap
        forest_height = max(forest_height, block.height)
    forest_width = max(0.0, x - metrics.tree_gap)

    loose_origin: Point | None = None
    if loose:
        top = forest_height + metrics.tree_gap if trees else 0.0
        columns = _loose_columns(len(loose), forest_width, metrics)
        grid = _grid(loose, columns, metrics, metrics.level_gap / 2)
        grid.place_into(positions, 0.0, top)
        loose_origin = (0.0, top)
    return Layout(positions, loose, loose_origin, frozenset(stacked))


def _loop_breakers(
    nodes: Sequence[K],
    parents: Mapping[K, K | None],
    children: Mapping[K, list[K]],
    roots: Sequence[K],
) -> list[K]:
    """One node of each reporting loop, to serve as its root: the loop's first in order."""
    rank = {node: index for index, node in enumerate(nodes)}
    reached: set[K] = set()
    breakers: list[K] = []

    def reach(start: K) -> None:
        stack = [start]
        while stack:
            node = stack.pop()
            if node not in reached:
                reached.add(node)
                stack.extend(c for c in children[node] if c not in breakers)

    for root in roots:
        reach(root)
    for node in nodes:
        if node in reached:
            continue
        path: list[K] = []
        current: K = node
        while current not in path:  # unreached, so every step up has a manager on the map
            path.append(current)
            current = parents[current]  # type: ignore[assignment]
        loop = path[path.index(current) :]
        breakers.append(min(loop, key=rank.__getitem__))
        reach(breakers[-1])
    return breakers


def _subtree(
    root: K, children: Mapping[K, list[K]], metrics: LayoutMetrics, stacked: set[K]
) -> _Block[K]:
    """Lay out ``root`` and everyone under it (iteratively: a long chain cannot overflow)."""
    order: list[K] = []
    depth = {root: 0}
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(children[node])
        depth.update((child, depth[node] + 1) for child in children[node])
    blocks: dict[K, _Block[K]] = {}
    for node in reversed(order):  # children before their manager
        child_blocks = [blocks.pop(c) for c in children[node]]
        blocks[node] = _place_under(
            node, child_blocks, children, metrics, stacked=stacked, depth=depth[node]
        )
    return blocks[root]


def _place_under(
    node: K,
    child_blocks: list[_Block[K]],
    children: Mapping[K, list[K]],
    metrics: LayoutMetrics,
    *,
    stacked: set[K],
    depth: int,
) -> _Block[K]:
    """``node``'s card centred above its children's blocks (adds stacked reports to ``stacked``)."""
    width, height = metrics.card_width, metrics.card_height
    if not child_blocks:
        return _Block(width, height, {node: (0.0, 0.0)})
    managers = [b for c, b in zip(children[node], child_blocks, strict=True) if children[c]]
    leaves = [c for c in children[node] if not children[c]]
    if len(leaves) > (metrics.stack_after if depth == 0 else 1):
        columns = math.ceil(len(leaves) / metrics.stack_rows)
        row_blocks = [*managers, _grid(leaves, columns, metrics, metrics.stack_gap)]
        stacked.update(leaves)
    else:
        row_blocks = child_blocks
    row_width = sum(b.width for b in row_blocks) + metrics.sibling_gap * (len(row_blocks) - 1)
    total_width = max(width, row_width)
    row_left = (total_width - row_width) / 2
    top = height + metrics.level_gap
    block = _Block[K](total_width, height)
    x = row_left
    for child in row_blocks:
        child.place_into(block.positions, x, top)
        block.height = max(block.height, top + child.height)
        x += child.width + metrics.sibling_gap
    block.positions[node] = ((total_width - width) / 2, 0.0)
    return block


def _grid(keys: Sequence[K], columns: int, metrics: LayoutMetrics, row_gap: float) -> _Block[K]:
    """``keys`` in a grid ``columns`` wide, filled column by column (each column reads down)."""
    rows = math.ceil(len(keys) / columns)
    columns = math.ceil(len(keys) / rows)
    block = _Block[K](
        width=columns * metrics.card_width + (columns - 1) * metrics.sibling_gap,
        height=rows * metrics.card_height + (rows - 1) * row_gap,
    )
    for index, key in enumerate(keys):
        column, row = divmod(index, rows)
        block.positions[key] = (
            column * metrics.column_pitch,
            row * (metrics.card_height + row_gap),
        )
    return block


def _loose_columns(count: int, forest_width: float, metrics: LayoutMetrics) -> int:
    """How wide the grid of unplaced contacts is: as wide as the trees, or roughly square."""
    fitting = int((forest_width + metrics.sibling_gap) // metrics.column_pitch)
    square = math.ceil(math.sqrt(count * 2))
    return max(1, min(count, max(fitting, square, 4)))


Rect = tuple[float, float, float, float]


def reports_route(
    manager: Rect, report: Rect, *, bus_drop: float, gutter: float, side: bool
) -> list[Point]:
    """The reporting line from a manager's card to a report's, as a polyline.

    Args:
        manager, report: the cards as (x, y, width, height).
        bus_drop: how far under the manager the line turns sideways.
        gutter: the gap between stacked columns; a side route runs down its middle.
        side: the report is stacked in a column: the line runs down beside the column and
            enters the card from the left, so it never crosses the cards above it.

    Returns:
        Points from the manager's bottom edge to the report's card; a straight line between
        centres when the report was dragged level with or above its manager.
    """
    mx, my, mw, mh = manager
    rx, ry, rw, rh = report
    start = (mx + mw / 2, my + mh)
    if ry < start[1] + 8:
        return [(mx + mw / 2, my + mh / 2), (rx + rw / 2, ry + rh / 2)]
    bus_y = start[1] + min(bus_drop, (ry - start[1]) / 2)
    if side:
        lane_x = rx - gutter / 2
        return [start, (start[0], bus_y), (lane_x, bus_y), (lane_x, ry + rh / 2), (rx, ry + rh / 2)]
    end = (rx + rw / 2, ry)
    return [start, (start[0], bus_y), (end[0], bus_y), end]
