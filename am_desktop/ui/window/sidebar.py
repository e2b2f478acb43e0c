"""The sidebar: the views, and the saved filters under Accounts with their counts."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem, QWidget

from am_desktop.domain.portfolio import SavedFilter
from am_desktop.ui.window.views import ViewKey, ViewSpec

_ROLE_VIEW = Qt.ItemDataRole.UserRole + 1
_ROLE_FILTER = Qt.ItemDataRole.UserRole + 2
_ROLE_LABEL = Qt.ItemDataRole.UserRole + 3
#: Room beside the widest item, so its last letter never touches the splitter.
_SPARE_PX = 8


class Sidebar(QTreeWidget):
    """One item per view; the saved filters are children of Accounts.

    Args:
        specs: the views, in order.

    Signals:
        chosen(key, saved): the current item changed to a view (and, under Accounts, a saved
            filter: None for the Accounts item itself).
    """

    #: (ViewKey, SavedFilter | None)
    chosen = Signal(object, object)

    def __init__(self, specs: Sequence[ViewSpec[QWidget]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setObjectName("sidebar")
        self.setRootIsDecorated(False)
        self.setIndentation(14)
        # Never narrower than its labels and counts (see minimumSizeHint): no sideways scrolling.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._view_items: dict[ViewKey, QTreeWidgetItem] = {}
        self._filter_items: dict[SavedFilter, QTreeWidgetItem] = {}
        for spec in specs:
            item = QTreeWidgetItem(self, [spec.label])
            item.setData(0, _ROLE_VIEW, spec.key)
            item.setData(0, _ROLE_LABEL, spec.label)
            item.setToolTip(0, f"{spec.label} ({spec.shortcut})")
            self._view_items[spec.key] = item
            if spec.key is ViewKey.ACCOUNTS:
                for saved in SavedFilter:
                    child = QTreeWidgetItem(item, [saved.label])
                    child.setData(0, _ROLE_VIEW, spec.key)
                    child.setData(0, _ROLE_FILTER, saved.value)
                    self._filter_items[saved] = child
                item.setExpanded(True)
        self.currentItemChanged.connect(self._on_current_item_changed)

    def select(self, key: ViewKey, saved: SavedFilter | None = None) -> None:
        """Make a view (or a saved filter of Accounts) current; ``chosen`` follows if it
        changed."""
        self.setCurrentItem(
            self._filter_items[saved] if saved is not None else self._view_items[key]
        )

    def show_counts(self, counts: dict[SavedFilter, int]) -> None:
        """The number of accounts in each saved filter, beside its name."""
        for saved, item in self._filter_items.items():
            item.setText(0, f"{saved.label}  {counts.get(saved, 0):,}")
        self.updateGeometry()  # wider counts widen the sidebar

    def show_view_count(self, key: ViewKey, count: int) -> None:
        """A number beside a view's name ("Tasks  3"; none when 0)."""
        item = self._view_items[key]
        label = item.data(0, _ROLE_LABEL)
        item.setText(0, f"{label}  {count:,}" if count else label)
        self.updateGeometry()

    def view_text(self, key: ViewKey) -> str:
        """What a view's item reads (its name and count)."""
        return self._view_items[key].text(0)

    def content_width(self) -> int:
        """The width its widest item needs (indentation, padding, frame and a scroll bar's
        room included): the splitter never makes the sidebar narrower."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        widest = 0
        items = [(item, 0) for item in self._view_items.values()]
        items += [(item, 1) for item in self._filter_items.values()]  # under Accounts
        for item, depth in items:
            index = self.indexFromItem(item)
            hint = self.itemDelegateForIndex(index).sizeHint(option, index).width()
            widest = max(widest, hint + depth * self.indentation())
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        return widest + 2 * self.frameWidth() + scroll_bar + _SPARE_PX

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self.content_width()), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.content_width()), hint.height())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()  # a new font or theme: the labels' width changed
        super().changeEvent(event)

    def filter_text(self, saved: SavedFilter) -> str:
        """What a saved filter's item reads (its name and count)."""
        return self._filter_items[saved].text(0)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current_item_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if current is None:
            return
        saved = current.data(0, _ROLE_FILTER)
        self.chosen.emit(
            ViewKey(current.data(0, _ROLE_VIEW)), SavedFilter(saved) if saved else None
        )
