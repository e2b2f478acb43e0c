"""Choose one account, or the whole portfolio, in a form: a search field over a short list.

A combo box with every account cannot be searched and is unusable at 10,000 accounts; this is
the account palette's matcher (:func:`am_desktop.domain.fuzzy.rank`) in a form. Each keystroke
ranks the names in memory and shows the best :data:`LIMIT`; the highlighted row is the choice,
so what the user sees highlighted is what the form uses.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from am_desktop.domain import fuzzy
from am_desktop.ui.palette import DOMAIN_ROLE, ID_ROLE, MatchDelegate
from am_desktop.ui.plain_text import tooltip_text

#: The first row: the review of every account together.
PORTFOLIO_LABEL = "The whole portfolio"
#: How many matches the list holds: more than it shows, so PageDown has somewhere to go.
LIMIT = 50
#: Rows the list shows at once (it scrolls for more): the form must fit a 720-pixel screen.
VISIBLE_ROWS = 6

#: The list's id of the portfolio row (account ids are positive).
_PORTFOLIO = -1
_LIST_KEYS = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown})
_ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})

Candidate = tuple[int, str, str | None]  # (account id, name, web domain)


class AccountPicker(QWidget):
    """A search field and the matching accounts, "The whole portfolio" first.

    Type to narrow, Up/Down (in the field) to move, Enter to settle on the highlighted row
    (Enter never reaches the dialog's default button from here).

    Args:
        accounts: ``(id, name, domain)`` of every account that can be chosen.
        chosen: the account highlighted at first; None for the portfolio.

    Signals:
        changed(): the choice changed (:meth:`account_id`, :meth:`has_choice` say to what).
        confirmed(): Enter or a double-click settled on the choice.
    """

    changed = Signal()
    confirmed = Signal()

    def __init__(
        self,
        accounts: Sequence[Candidate],
        chosen: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._accounts = list(accounts)
        self._with_portfolio = [(_PORTFOLIO, PORTFOLIO_LABEL, None), *self._accounts]
        self._names = {ident: name for ident, name, _domain in self._with_portfolio}
        self._domains = {ident: domain for ident, _name, domain in self._with_portfolio}
        self._settled_on: int | None = None  # the row Enter (or the caller) last settled on
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Type part of an account name or web domain")
        self.search.setAccessibleName("Account to review")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setAccessibleName("Matching accounts")
        self.results.setUniformItemSizes(True)
        self.results.setItemDelegate(MatchDelegate(self.results))
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing always goes to the field
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.installEventFilter(self)
        self.results.currentItemChanged.connect(self._on_results_current_item_changed)
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.choose(chosen if chosen in self._names else None)
        self._fit_rows()

    # ------------------------------------------------------------------------------ the choice

    def has_choice(self) -> bool:
        """Whether a row is highlighted (not when nothing matches what was typed)."""
        return self._current() is not None

    def account_id(self) -> int | None:
        """The chosen account; None for the portfolio (or no choice: see :meth:`has_choice`)."""
        current = self._current()
        return None if current is None or current == _PORTFOLIO else current

    def is_portfolio(self) -> bool:
        """Whether the whole portfolio is chosen."""
        return self._current() == _PORTFOLIO

    def chosen_name(self) -> str:
        """The chosen row's name ("" when there is none)."""
        current = self._current()
        return "" if current is None else self._names[current]

    def choose(self, account_id: int | None) -> None:
        """Highlight an account (None: the portfolio), its name in the field: settled on it, so
        the next Enter in the field goes to the dialog."""
        ident = _PORTFOLIO if account_id is None else account_id
        text = "" if ident == _PORTFOLIO else self._names[ident]
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)
        self._show_matches(keep=ident)
        self._settled_on = ident

    def matches(self) -> list[int | None]:
        """The listed choices, in order (None is the portfolio): what a test reads."""
        listed: list[int | None] = []
        for row in range(self.results.count()):
            value = self.results.item(row).data(ID_ROLE)
            if value is not None:
                listed.append(None if value == _PORTFOLIO else int(value))
        return listed

    def _current(self) -> int | None:
        item: QListWidgetItem | None = self.results.currentItem()  # None in an empty list
        value = None if item is None else item.data(ID_ROLE)
        return None if value is None else int(value)

    # ------------------------------------------------------------------------------ the list

    def ranked(self, query: str) -> list[int]:
        """The list's ids for ``query``, best first: the portfolio leads an empty query."""
        if not "".join(query.split()):
            return [_PORTFOLIO, *fuzzy.rank("", self._accounts, limit=LIMIT - 1)]
        return fuzzy.rank(query, self._with_portfolio, limit=LIMIT)

    def _show_matches(self, keep: int | None = None) -> None:
        """List the matches of the field's text; highlight ``keep`` (listed even when it ranks
        below the limit), else the best match."""
        ids = self.ranked(self.search.text())
        if keep is not None and keep not in ids:
            ids.insert(0, keep)
        self.results.setUpdatesEnabled(False)  # one repaint per keystroke, not one per row
        self.results.blockSignals(True)
        self.results.clear()
        for ident in ids:
            self.results.addItem(self._item(ident))
        if not ids:
            message = QListWidgetItem("No account matches")
            message.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(message)
        else:
            self.results.setCurrentRow(ids.index(keep) if keep is not None else 0)
        self.results.blockSignals(False)
        self.results.setUpdatesEnabled(True)
        self.changed.emit()

    def _item(self, ident: int) -> QListWidgetItem:
        name, domain = self._names[ident], self._domains[ident]
        item = QListWidgetItem(name)
        item.setData(ID_ROLE, ident)
        item.setData(DOMAIN_ROLE, domain)
        item.setToolTip(tooltip_text(f"{name} — {domain}" if domain else name))
        return item

    def _fit_rows(self) -> None:
        row = self.results.sizeHintForRow(0) if self.results.count() else 24
        frame = 2 * self.results.frameWidth()
        self.results.setFixedHeight(row * VISIBLE_ROWS + frame)

    def _confirm(self) -> None:
        """Settle on the highlighted row: its name goes into the field."""
        current = self._current()
        if current is None:
            return
        self.choose(None if current == _PORTFOLIO else current)
        self.confirmed.emit()

    # ------------------------------------------------------------------------------ events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the field, Up/Down/PageUp/PageDown move through the list and Enter settles."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.key() in _LIST_KEYS:
                copy = QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers())
                QCoreApplication.sendEvent(self.results, copy)
                return True
            if event.key() in _ENTER_KEYS:
                if self._settled_on is not None and self._settled_on == self._current():
                    return False  # settled already: this Enter is the dialog's (Export)
                self._confirm()
                return True  # settling on an account must not also press Export
        return super().eventFilter(watched, event)

    @Slot(str)
    def _on_search_text_changed(self, _text: str) -> None:
        self._settled_on = None  # typing again: the next Enter settles first
        self._show_matches()

    @Slot()
    def _on_results_current_item_changed(self) -> None:
        self.changed.emit()

    @Slot(QListWidgetItem)
    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        self.results.setCurrentItem(item)
        self._confirm()
