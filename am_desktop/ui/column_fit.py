"""A list's columns sized to their contents while one text column keeps a fair share of the
width: on Today a long account name must not leave the action item itself three words wide."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView

#: The least share of the width the stretch column keeps when the others want more.
TEXT_SHARE = 0.45


class ColumnFit(QObject):
    """Keeps a view's columns fitted: the stretch column takes the spare width, the others
    their contents' width, cut down evenly (widest first) when they would leave the stretch
    column less than ``share`` of the view. Fits again when the view is resized; call
    :meth:`fit` after new rows.

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
        header = self._header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.viewport().installEventFilter(self)

    def _header(self) -> QHeaderView:
        view = self._view
        return view.header() if isinstance(view, QTreeView) else view.horizontalHeader()

    def fit(self) -> None:
        """Size the other columns to their contents within their part of the width."""
        view, header = self._view, self._header()
        model = view.model()
        others = [
            column
            for column in range(model.columnCount())
            if column != self.stretch and not header.isSectionHidden(column)
        ]
        wants = {
            column: max(_content_width(view, column), header.sectionSizeHint(column))
            for column in others
        }
        budget = max(0, round(view.viewport().width() * (1 - self.share)))
        for column, width in fair_widths(wants, budget).items():
            header.resizeSection(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Fit again when the view's width changes."""
        if event.type() == QEvent.Type.Resize:
            self.fit()
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


def _content_width(view: QAbstractItemView, column: int) -> int:
    return view.sizeHintForColumn(column)
