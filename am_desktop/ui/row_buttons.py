"""Buttons painted in a list's cells by a delegate, the way Qt lists show a control on every
row: a real widget per row (``setIndexWidget``) costs its creation, layout and paint, and
Today's fifty meetings with two buttons each were the largest part of its first paint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QHelpEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyleOptionToolButton,
    QStyleOptionViewItem,
    QToolTip,
)

from am_desktop.ui.column_fit import UncutDelegate

#: The gap between two buttons of a cell (what the widgets' layout had).
SPACING = 4

#: Anything a delegate is handed as an index.
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class RowButton:
    """One button of every row: its text, and its tooltip for a row."""

    text: str
    tooltip: Callable[[int], str]


class RowButtons(UncutDelegate):
    """Paints ``buttons`` side by side in each row's cell of one column, as tool buttons of the
    current style (palette, hover and pressed states included), and says which was clicked.

    A click is a press and a release on the same button of the same row; presses on a button
    neither select the row nor open it (as a real button's do). Rows the model has no item for
    (``row_ok`` false: the text of an empty list) get no buttons.

    Signals:
        clicked(row, button): the index of the button in ``buttons``.
    """

    clicked = Signal(int, int)

    def __init__(
        self,
        view: QAbstractItemView,
        buttons: Sequence[RowButton],
        row_ok: Callable[[int], bool] = lambda _row: True,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._buttons = tuple(buttons)
        self._row_ok = row_ok
        self._hovered: tuple[int, int] | None = None  # (row, button) under the mouse
        self._pressed: tuple[int, int] | None = None
        self._sizes: list[QSize] | None = None  # measured on first use (the font is known)
        viewport = view.viewport()
        viewport.setMouseTracking(True)  # hover: the button under the mouse lights up
        viewport.installEventFilter(self)

    # ------------------------------------------------------------------------------ geometry

    def button_sizes(self) -> list[QSize]:
        """Each button's size as a ``QToolButton`` of its text would ask for."""
        if self._sizes is None:
            view = self._view
            metrics, style = view.fontMetrics(), view.style()
            sizes = []
            for button in self._buttons:
                text = metrics.size(Qt.TextFlag.TextShowMnemonic, button.text)
                text.setWidth(text.width() + 2 * metrics.horizontalAdvance(" "))
                option = self._option(button.text, QRect(0, 0, text.width(), text.height()))
                sizes.append(
                    style.sizeFromContents(QStyle.ContentsType.CT_ToolButton, option, text, None)
                )
            self._sizes = sizes
        return self._sizes

    def buttons_size(self) -> QSize:
        """All the buttons side by side."""
        sizes = self.button_sizes()
        width = sum(size.width() for size in sizes) + SPACING * (len(sizes) - 1)
        return QSize(width, max(size.height() for size in sizes))

    def button_rects(self, cell: QRect) -> list[QRect]:
        """Where the buttons sit in a cell: from its left, centred in its height."""
        rects, left = [], cell.left()
        for size in self.button_sizes():
            top = cell.top() + (cell.height() - size.height()) // 2
            rects.append(QRect(left, top, size.width(), size.height()))
            left += size.width() + SPACING
        return rects

    def button_at(self, index: AnyIndex, cell: QRect, position: object) -> int | None:
        """The button of ``index``'s row at ``position`` in the viewport (None: none)."""
        if not index.isValid() or not self._row_ok(index.row()):
            return None
        for which, rect in enumerate(self.button_rects(cell)):
            if rect.contains(position):  # type: ignore[call-overload]
                return which
        return None

    # ------------------------------------------------------------------------------ delegate

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        """The buttons' size: the column fit keeps it whole, the rows are as tall."""
        return self.buttons_size()

    def uncut_width(self) -> int:
        """The width the column keeps whatever the view's width."""
        return self.buttons_size().width()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """The cell's background (selection, alternate rows), then the buttons."""
        super().paint(painter, option, index)  # the column's text is empty
        if not self._row_ok(index.row()):
            return
        style = self._view.style()
        row = index.row()
        for which, rect in enumerate(self.button_rects(option.rect)):
            button = self._option(self._buttons[which].text, rect)
            button.palette = option.palette
            button.state = self._state(option, (row, which))
            # No widget: a style sheet's rules for the list must not dress the buttons.
            style.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, button, painter, None)

    def _state(self, option: QStyleOptionViewItem, key: tuple[int, int]) -> QStyle.StateFlag:
        state = QStyle.StateFlag.State_Raised
        if option.state & QStyle.StateFlag.State_Enabled:
            state |= QStyle.StateFlag.State_Enabled
        if option.state & QStyle.StateFlag.State_Active:
            state |= QStyle.StateFlag.State_Active
        if self._pressed == key and self._hovered == key:
            state = (state & ~QStyle.StateFlag.State_Raised) | QStyle.StateFlag.State_Sunken
        if self._hovered == key:
            state |= QStyle.StateFlag.State_MouseOver
        return state

    @staticmethod
    def _option(text: str, rect: QRect) -> QStyleOptionToolButton:
        option = QStyleOptionToolButton()
        option.text = text
        option.rect = rect
        option.toolButtonStyle = Qt.ToolButtonStyle.ToolButtonTextOnly
        option.subControls = QStyle.SubControl.SC_ToolButton
        option.features = QStyleOptionToolButton.ToolButtonFeature.None_
        option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
        return option

    def editorEvent(
        self,
        event: QEvent,
        model: object,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        """A press on a button holds it down; the release on the same button clicks it."""
        kind = event.type()
        if kind not in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.MouseButtonRelease,
        ) or not isinstance(event, QMouseEvent):
            return False
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        which = self.button_at(index, option.rect, event.position().toPoint())
        key = None if which is None else (index.row(), which)
        if kind == QEvent.Type.MouseButtonRelease:
            pressed, self._pressed = self._pressed, None
            if pressed is not None:
                self._update_row(pressed[0])
            if pressed is not None and pressed == key:
                self.clicked.emit(*pressed)
            return pressed is not None
        if key is None:
            return False
        self._pressed = self._hovered = key  # a double click is a second press, as on a button
        self._update_row(index.row())
        return True

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        """Each button's own tooltip."""
        if event.type() == QEvent.Type.ToolTip:
            which = self.button_at(index, option.rect, event.pos())
            if which is not None:
                tip = self._buttons[which].tooltip(index.row())
                rect = self.button_rects(option.rect)[which]
                QToolTip.showText(event.globalPos(), tip, view.viewport(), rect)
                return True
            QToolTip.hideText()
        return super().helpEvent(event, view, option, index)

    # ------------------------------------------------------------------------------ hover

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the mouse over the viewport: the button under it shows hovered."""
        kind = event.type()
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self._hover(self._key_at(event.position().toPoint()))
        elif kind == QEvent.Type.Leave:
            self._hover(None)
        return False

    def _key_at(self, position: object) -> tuple[int, int] | None:
        view = self._view
        index = view.indexAt(position)  # type: ignore[arg-type]
        if not index.isValid() or view.itemDelegateForColumn(index.column()) is not self:
            return None
        which = self.button_at(index, view.visualRect(index), position)
        return None if which is None else (index.row(), which)

    def _hover(self, key: tuple[int, int] | None) -> None:
        if key == self._hovered:
            return
        before, self._hovered = self._hovered, key
        for changed in (before, key):
            if changed is not None:
                self._update_row(changed[0])

    def _update_row(self, row: int) -> None:
        view, column = self._view, self._column()
        if column is not None:
            view.viewport().update(view.visualRect(view.model().index(row, column)))

    def _column(self) -> int | None:
        view = self._view
        for column in range(view.model().columnCount()):
            if view.itemDelegateForColumn(column) is self:
                return column
        return None

    def button_rect(self, row: int, which: int) -> QRect:
        """Where a row's button is in the viewport (for tests and screen readers' geometry)."""
        column = self._column()
        assert column is not None, "the delegate is not set on a column"
        view = self._view
        return self.button_rects(view.visualRect(view.model().index(row, column)))[which]
