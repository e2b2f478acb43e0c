"""A list's columns sized to their contents while one text column keeps a fair share of the
width: on Today a long account name must not leave the action item itself three words wide."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QTableView,
    QTreeView,
)

#: The least share of the width the stretch column keeps when the others want more.
TEXT_SHARE = 0.45


class UncutDelegate(QStyledItemDelegate):
    """A delegate painting controls (buttons) that cannot shorten as text does: a column it
    paints keeps :meth:`uncut_width` whatever the view's width, as a column of widgets does."""

    def uncut_width(self) -> int:
        """The width the column never goes below."""
        raise NotImplementedError


class ColumnFit(QObject):
    """Keeps a view's columns fitted: the stretch column takes the spare width, the others
    their contents' width, cut down evenly (widest first) when they would leave the stretch
    column less than ``share`` of the view. Call :meth:`fit` after new rows; a resize shares
    the new width out again from the contents' widths measured then (measuring asks every
    row for its size: on a busy Today, dozens of resizes at start-up cost a tenth of a second).

    Args:
        view: a tree or table view with a horizontal header.
        stretch: the column that takes the spare width (the text people read).
        share: the least share of the width it keeps.
    """

    def __init__(self, view: QTreeView | QTableView, stretch: int, share: float = TEXT_SHARE):
        super().__init__(view)
        self._view = view
        self.stretch = stretch
        self.share = share
        self._wants: dict[int, int] | None = None  # the contents' widths, until new rows
        self._whole: set[int] = set()  # columns holding widgets: never cut
        header = self._header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.viewport().installEventFilter(self)

    def _header(self) -> QHeaderView:
        view = self._view
        return view.header() if isinstance(view, QTreeView) else view.horizontalHeader()

    def fit(self) -> None:
        """Measure the other columns' contents and size them within their part of the width."""
        view, header = self._view, self._header()
        model = view.model()
        others = [
            column
            for column in range(model.columnCount())
            if column != self.stretch and not header.isSectionHidden(column)
        ]
        self._wants = {
            column: max(_content_width(view, column), header.sectionSizeHint(column))
            for column in others
        }
        # Widgets in cells and buttons painted by a delegate cannot shorten their text as
        # cells do: they keep their width whatever the budget.
        self._whole = {column for column in others if _placed_width(view, column)}
        self._share_width()

    def _share_width(self) -> None:
        if self._wants is None:
            return
        header = self._header()
        budget = max(0, round(self._view.viewport().width() * (1 - self.share)))
        whole = {c: w for c, w in self._wants.items() if c in self._whole}
        rest = {c: w for c, w in self._wants.items() if c not in self._whole}
        widths = {**fair_widths(rest, max(0, budget - sum(whole.values()))), **whole}
        for column, width in widths.items():
            header.resizeSection(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Share the width out again when the view's width changes (the contents' widths are
        those :meth:`fit` measured: a resize does not change them)."""
        if event.type() == QEvent.Type.Resize:
            if self._wants is None:
                self.fit()
            else:
                self._share_width()
        return False


def fair_widths(wants: dict[int, int], budget: int) -> dict[int, int]:
    """Each column's wanted width, or an equal cap on the widest ones when they all want more
    than ``budget`` (the narrow ones keep theirs)."""
    given: dict[int, int] = {}
    left, remaining = budget, sorted(wants.items(), key=lambda item: item[1])
    while remaining:
        fair = left // len(remaining)
        column, want = remaining[0]
        if want > fair:
            given.update((c, fair) for c, _w in remaining)
            break
        given[column] = want
        left -= want
        remaining.pop(0)
    return given


#: How many of a column's widest-looking texts are measured as the view draws them.
_CANDIDATES = 3


def _content_width(view: QAbstractItemView, column: int) -> int:
    """The column's widest cell as the view draws it (text, icon, check box and margins), or
    the widest widget placed in its first rows (buttons in a cell).

    Qt's own ``sizeHintForColumn`` asks every row for every role through Python; here every
    row is asked only for its text, and just the few widest-looking cells are measured whole
    (their font, icon and check box included)."""
    if isinstance(view.itemDelegateForColumn(column), UncutDelegate):
        return _placed_width(view, column)  # the cells hold no text
    return max(_placed_width(view, column), _cells_width(view, column))


def _placed_width(view: QAbstractItemView, column: int) -> int:
    """The width of the controls a delegate paints in the column, or of the widest widget
    placed in its first rows (0: none)."""
    delegate = view.itemDelegateForColumn(column)
    if isinstance(delegate, UncutDelegate):
        return delegate.uncut_width()
    model = view.model()
    widgets = (view.indexWidget(model.index(row, column)) for row in range(_CANDIDATES))
    return max((widget.sizeHint().width() for widget in widgets if widget), default=0)


def _cells_width(view: QAbstractItemView, column: int) -> int:
    model = view.model()
    rows = model.rowCount()
    tree = isinstance(view, QTreeView)
    if rows <= _CANDIDATES or (tree and (column == 0 or model.rowCount(model.index(0, 0)) > 0)):
        return view.sizeHintForColumn(column)  # few rows, a tree's indentation or its children
    metrics = view.fontMetrics()
    advances = []
    for row in range(rows):
        text = model.index(row, column).data()
        advances.append((metrics.horizontalAdvance(str(text)) if text is not None else 0, row))
    widest = sorted(advances, reverse=True)[:_CANDIDATES]
    return max(view.sizeHintForIndex(model.index(row, column)).width() for _w, row in widest)
