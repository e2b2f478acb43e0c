"""Ctrl+K: jump to any account by typing a few letters of its name or web domain.

The names are loaded once, off the GUI thread, when the palette opens; each keystroke then
re-ranks them in memory with :func:`am_desktop.domain.fuzzy.rank`, which stays within a few
milliseconds at 10,000 accounts, so typing never waits on the database.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain import fuzzy
from am_desktop.services import portfolio
from am_desktop.ui.context import AppContext
from am_desktop.ui.plain_text import tooltip_text
from am_desktop.ui.tasks import Lane

#: How many matches the list shows: more than fit, so PageDown has somewhere to go.
LIMIT = 50
#: The palette's size when it pops up (logical pixels).
SIZE = (560, 420)

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DOMAIN_ROLE = Qt.ItemDataRole.UserRole + 2

#: Keys typed in the search field that move the selection in the list instead.
_LIST_KEYS = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown})

Index = QModelIndex | QPersistentModelIndex
Candidate = tuple[int, str, str | None]


class MatchDelegate(QStyledItemDelegate):
    """Draws a match as its name, then its web domain muted: the name is what people scan for.

    Rows without a domain (and the message rows) are drawn as plain items.
    """

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + 10)  # room to aim with the mouse

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        domain = index.data(DOMAIN_ROLE)
        if not domain:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        name, item.text = item.text, ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, widget)
        area = area.adjusted(margin, 0, -margin, 0)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        strong = item.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        if selected:  # placeholder grey can vanish on the highlight: dim the highlight text
            muted = QColor(strong)
            muted.setAlphaF(0.75)
        else:
            muted = item.palette.color(QPalette.ColorRole.PlaceholderText)
        metrics = item.fontMetrics
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, area.width())
        rest = area.adjusted(metrics.horizontalAdvance(shown + "   "), 0, 0, 0)
        painter.save()
        painter.setFont(item.font)
        painter.setPen(strong)
        painter.drawText(area, align, shown)
        if rest.width() > 0:
            painter.setPen(muted)
            painter.drawText(
                rest, align, metrics.elidedText(domain, Qt.TextElideMode.ElideRight, rest.width())
            )
        painter.restore()


class AccountPalette(QDialog):
    """A search field over a list of matching accounts; Enter opens the one selected.

    Args:
        context: the shared services (the store the names come from, the task runner).
        parent: the window the palette pops up over.
    """

    #: (account id) the user picked this account; the palette then closes.
    account_chosen = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._candidates: list[Candidate] | None = None  # None until loaded
        self._by_id: dict[int, Candidate] = {}
        self.setObjectName("accountPalette")
        self.setWindowTitle("Go to account")
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        # Opened afresh on every Ctrl+K: a closed palette must not linger under the window.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Type part of an account name or web domain")
        self.search.setAccessibleName("Account to go to")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setAccessibleName("Matching accounts")
        self.results.setUniformItemSizes(True)
        self.results.setItemDelegate(MatchDelegate(self.results))
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing always goes to the search
        self._lay_out()
        self._connect_signals()
        self._show_message("Loading accounts…")
        store = context.store
        context.tasks.submit(
            lambda _p: portfolio.account_names(store),
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_names_loaded,
        )

    def _lay_out(self) -> None:
        # A frameless window draws no edge of its own: a styled frame gives the popup one.
        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(8, 8, 8, 8)
        inner.setSpacing(6)
        self.heading = QLabel(frame)  # what the choice is for, when it is not "go to"
        self.heading.setObjectName("sectionTitle")
        self.heading.hide()
        inner.addWidget(self.heading)
        inner.addWidget(self.search)
        inner.addWidget(self.results, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.search.installEventFilter(self)
        self.results.itemActivated.connect(self._on_results_item_activated)

    # ------------------------------------------------------------------------------ showing

    def set_heading(self, text: str) -> None:
        """Say above the search field what the account is chosen for."""
        self.setWindowTitle(text)
        self.heading.setText(text)
        self.heading.setVisible(bool(text))
        self.search.setAccessibleName(text)

    def popup(self) -> None:
        """Show the palette centred over its parent window, ready for typing."""
        self.resize(*SIZE)
        parent = self.parentWidget()
        if parent is not None:
            area = parent.window().frameGeometry()
        else:
            screen = QGuiApplication.primaryScreen()
            area = screen.availableGeometry() if screen is not None else self.geometry()
        self.move(area.center() - QPoint(self.width() // 2, self.height() // 2))
        self.show()
        self.activateWindow()
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)

    def chosen_id(self) -> int | None:
        """The id of the selected match, if any."""
        item: QListWidgetItem | None = self.results.currentItem()  # None in an empty list
        if item is None:
            return None
        value = item.data(ID_ROLE)
        return int(value) if value is not None else None

    def _show_message(self, text: str) -> None:
        """Replace the list with one line that cannot be chosen."""
        self.results.clear()
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.results.addItem(item)

    def _show_matches(self) -> None:
        if self._candidates is None:
            return
        if not self._candidates:
            self._show_message("No accounts yet")
            return
        ids = fuzzy.rank(self.search.text(), self._candidates, limit=LIMIT)
        if not ids:
            self._show_message("No account matches")
            return
        self.results.setUpdatesEnabled(False)  # one repaint per keystroke, not one per row
        self.results.clear()
        for account_id in ids:
            _, name, domain = self._by_id[account_id]
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, account_id)
            item.setData(DOMAIN_ROLE, domain)
            item.setToolTip(tooltip_text(f"{name} — {domain}" if domain else name))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}, {domain or 'no domain'}")
            self.results.addItem(item)
        self.results.setCurrentRow(0)
        self.results.setUpdatesEnabled(True)

    def _choose(self) -> None:
        account_id = self.chosen_id()
        if account_id is None:
            return
        self.account_chosen.emit(account_id)
        self.accept()

    # ------------------------------------------------------------------------------ events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up, Down, PageUp and PageDown in the search field move through the list."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _LIST_KEYS
        ):
            copy = QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers())
            QCoreApplication.sendEvent(self.results, copy)
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        """Close when the user clicks elsewhere, as a popup does."""
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isVisible()
            and not self.isActiveWindow()
        ):
            self.reject()

    # ------------------------------------------------------------------------------ slots

    @Slot(object)
    def _on_names_loaded(self, names: list[Candidate]) -> None:
        self._candidates = names
        self._by_id = {candidate[0]: candidate for candidate in names}
        self._show_matches()

    @Slot(str)
    def _on_search_text_changed(self, _text: str) -> None:
        self._show_matches()

    @Slot()
    def _on_search_return_pressed(self) -> None:
        self._choose()

    @Slot(QListWidgetItem)
    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        self.results.setCurrentItem(item)
        self._choose()
