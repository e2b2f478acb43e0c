"""Ctrl+F: search every note as you type; Enter opens the note in its account.

Results are ranked by relevance and recency (services.note_search), matched words in bold,
a page at a time: the next page joins the list as it is scrolled to its end.
A query is never an error: stray quotes or operators are read as words.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.services import portfolio
from am_desktop.services.note_search import MARK_END, MARK_START, Ranking, SearchHit, rank_notes
from am_desktop.ui import format as fmt
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.context import AppContext
from am_desktop.ui.contrast import background_for, secondary_on
from am_desktop.ui.dialogs.form import OptionalDate
from am_desktop.ui.table_model import Column, ColumnTableModel, SortKeyRole
from am_desktop.ui.tasks import Lane

Index = QModelIndex | QPersistentModelIndex
HtmlRole = SortKeyRole + 1
#: Searching waits this long after a keystroke (typing fast searches once).
DEBOUNCE_MS = 150
#: Results shown at first, and added each time the list is scrolled to its end.
PAGE = 20


def hit_html(hit: SearchHit) -> str:
    """A result as rich text: title and where, then the snippet with matches in bold."""
    snippet = html.escape(hit.snippet).replace(MARK_START, "<b>").replace(MARK_END, "</b>")
    title = html.escape(hit.title or hit.kind.label)
    where = html.escape(f"{hit.account_name} · {hit.kind.label} · {fmt.day(hit.occurred_at)}")
    return f"<b>{title}</b> <span class='where'>{where}</span><br>{snippet}"


RESULT_COLUMNS: tuple[Column[SearchHit, None], ...] = (
    Column(
        "Note",
        lambda hit, _env: f"{hit.title or hit.kind.label} — {hit.snippet_text('', '')}",
        roles={HtmlRole: lambda hit, _env: hit_html(hit)},
    ),
)


@dataclass(frozen=True, slots=True)
class ResultColours:
    """What a result is painted with: its background, its text and its quieter "where" line."""

    background: QColor
    text: QColor
    secondary: QColor


def result_colours(option: QStyleOptionViewItem) -> ResultColours:
    """Readable colours for a result (WCAG AA, 4.5:1), selected or not, in any palette.

    A selected result is white (HighlightedText) on the selection made dark enough for it;
    the "where" words are a quieter tone that still reads at 4.5:1.
    """
    palette, role = option.palette, QPalette.ColorRole
    if option.state & QStyle.StateFlag.State_Selected:
        text = palette.color(role.HighlightedText)
        background = background_for(text, palette.color(role.Highlight))
    else:
        text = palette.color(role.Text)
        alternate = option.features & QStyleOptionViewItem.ViewItemFeature.Alternate
        background = palette.color(role.AlternateBase if alternate else role.Base)
    return ResultColours(background, text, secondary_on(text, background))


class HtmlDelegate(QStyledItemDelegate):
    """Draws an item's HtmlRole as rich text, readable on the selection as off it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        colours = result_colours(option)
        option.palette.setColor(QPalette.ColorRole.Highlight, colours.background)
        style = option.widget.style() if option.widget else None
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        document = self._document(option, index, colours)
        painter.save()
        painter.translate(option.rect.topLeft())
        document.drawContents(painter, QRectF(0, 0, option.rect.width(), option.rect.height()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        document = self._document(option, index, result_colours(option))
        return QSize(int(document.idealWidth()), int(document.size().height()) + 4)

    def _document(
        self, option: QStyleOptionViewItem, index: Index, colours: ResultColours
    ) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDefaultStyleSheet(
            f"body {{ color: {colours.text.name()}; }} "
            f".where {{ color: {colours.secondary.name()}; }}"
        )
        document.setHtml(f"<body>{index.data(HtmlRole) or ''}</body>")
        document.setTextWidth(max(200, option.rect.width()))
        return document


class SearchDialog(QDialog):
    """The note search window (the main window keeps one between uses).

    Signals:
        note_chosen(account_id, note_id): open this note.
    """

    note_chosen = Signal(int, int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Search notes")
        self.resize(760, 560)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText('Words, "a phrase", budg* or renewal OR churn')
        self.search.setClearButtonEnabled(True)
        self.account = QComboBox(self)
        self.account.addItem("All accounts", None)
        self.since = OptionalDate(known_text="", parent=self)
        self.until = OptionalDate(known_text="", parent=self)
        self.results = QListView(self)
        self.model: ColumnTableModel[SearchHit, int, None] = ColumnTableModel(
            RESULT_COLUMNS, lambda hit: hit.note_id, None
        )
        self.results.setModel(self.model)
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setAlternatingRowColors(True)
        self.results.setWordWrap(True)
        self.status = QLabel("Type to search every note.", self)
        self._ranking = Ranking()
        self.status.setObjectName("muted")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        filters = QHBoxLayout()
        filters.addWidget(self.account, 1)
        for label, field in (("From", self.since), ("to", self.until)):
            caption = QLabel(label, self)
            caption.setObjectName("muted")
            filters.addWidget(caption)
            filters.addWidget(field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self._connect_signals()
        self._load_accounts()
        self.follower = ChangeFollower(
            self, context.data, lambda c: c.touches(Entity.NOTE, Entity.ACCOUNT), self._on_changes
        )

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._debounce.start)
        self.account.currentIndexChanged.connect(self.run)
        for field in (self.since, self.until):
            field.known.toggled.connect(self.run)
            field.date.dateChanged.connect(self._debounce.start)
        self._debounce.timeout.connect(self.run)
        self.model.rowsInserted.connect(self._show_count)  # a page more was scrolled into view
        self.results.activated.connect(self._on_results_activated)
        self.search.returnPressed.connect(self._open_first)

    def _load_accounts(self) -> None:
        self.context.tasks.submit(
            lambda _p: portfolio.account_names(self.context.store),
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_accounts_loaded,
        )

    def _on_accounts_loaded(self, names: list[tuple[int, str, str | None]]) -> None:
        chosen = self.account.currentData()
        self.account.blockSignals(True)  # the same choice: no new search
        while self.account.count() > 1:  # "All accounts" stays
            self.account.removeItem(1)
        for account_id, name, _domain in sorted(names, key=lambda n: n[1].casefold()):
            self.account.addItem(name, account_id)
        self.account.setCurrentIndex(max(0, self.account.findData(chosen)))
        self.account.blockSignals(False)

    def _on_changes(self, changes: ChangeSet) -> None:
        """Notes written or archived elsewhere while the results show: search again."""
        if changes.touches(Entity.ACCOUNT):
            self._load_accounts()
        if changes.touches(Entity.NOTE) and self.search.text().strip():
            self.run()

    @Slot()
    def run(self) -> None:
        """Search now with what is typed and chosen."""
        self._debounce.stop()
        query, account_id = self.search.text(), self.account.currentData()
        since, until = self.since.value(), self.until.value()
        today = self.context.today()
        self.context.tasks.submit(
            lambda _p: rank_notes(
                self.context.store,
                query,
                account_id=account_id,
                since=since,
                until=until,
                prefix_last=True,
                today=today,
            ),
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_ranking,
            supersede=(self, "search"),  # an older, slower answer must not replace a newer one
        )

    def _on_ranking(self, ranking: Ranking) -> None:
        self._ranking = ranking
        hits = ranking.page(0, PAGE)
        self.model.set_rows(hits, more=lambda offset: ranking.page(offset, PAGE), page_size=PAGE)
        self._show_count()
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))

    def _show_count(self) -> None:
        """Say how many results show, of how many matched."""
        ranking, shown = self._ranking, self.model.rowCount()
        if ranking.message:
            self.status.setText(ranking.message)
        elif not shown:
            self.status.setText("No note matches. Try fewer words, or a prefix such as budg*.")
        elif shown >= ranking.total:
            self.status.setText(
                f"{shown} best match{'es' if shown > 1 else ''}, most relevant and recent first. "
                "Enter opens the note."
            )
        else:
            of = f"the {ranking.total} newest" if ranking.capped else f"{ranking.total}"
            self.status.setText(
                f"Showing {shown} of {of} matches, most relevant and recent first; "
                "scroll for more. Enter opens the note."
            )

    @Slot(QModelIndex)
    def _on_results_activated(self, index: QModelIndex) -> None:
        hit = self.model.rows[index.row()]
        self.note_chosen.emit(hit.account_id, hit.note_id)
        self.hide()

    @Slot()
    def _open_first(self) -> None:
        index = self.results.currentIndex()
        if index.isValid():
            self._on_results_activated(index)
