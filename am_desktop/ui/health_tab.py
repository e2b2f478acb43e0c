"""An account's Health tab: the score, each component with its weight and its reason, the
trend, and the NPS/CSAT and usage history behind it (issue 7)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.health import LABELS
from am_desktop.domain.records import SurveyRecord, UsageRecord
from am_desktop.ui import format as fmt
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.context import AppContext
from am_desktop.ui.table_model import RIGHT, Column, ColumnTableModel
from am_desktop.ui.tasks import Lane

_BAND_COLOURS = {"healthy": "#1e8e3e", "watch": "#e37400", "at_risk": "#d93025"}
_BAND_LABELS = {"healthy": "Healthy", "watch": "Watch", "at_risk": "At risk"}
Component = dict[str, Any]
#: What the Health tab is worked out from.
HEALTH_FROM = (Entity.HEALTH_SNAPSHOT, Entity.SURVEY, Entity.USAGE)


def _component_value(part: Component, _env: None) -> str:
    return "no data" if part["value"] is None else f"{part['value']:.0f}"


def _adoption(sample: UsageRecord, _env: None) -> str:
    if not sample.licensed_seats:
        return "—"
    return f"{100 * sample.active_users / sample.licensed_seats:.0f} %"


COMPONENT_COLUMNS: tuple[Column[Component, None], ...] = (
    Column("Component", lambda p, _e: str(LABELS.get(p["key"], p["key"]))),
    Column("Value", _component_value),
    Column("Weight", lambda p, _e: f"{p['weight']:.0f}"),
    Column("Why", lambda p, _e: str(p["why"])),
)
SURVEY_COLUMNS: tuple[Column[SurveyRecord, None], ...] = (
    Column("Date", lambda s, _e: fmt.day(s.responded_on)),
    Column("Kind", lambda s, _e: s.kind.label),
    Column("Score", lambda s, _e: str(s.score), RIGHT),
    Column("Comment", lambda s, _e: s.comment or ""),
)
USAGE_COLUMNS: tuple[Column[UsageRecord, None], ...] = (
    Column("Date", lambda u, _e: fmt.day(u.sampled_on)),
    Column("Active users", lambda u, _e: str(u.active_users), RIGHT),
    Column("Licensed seats", lambda u, _e: str(u.licensed_seats), RIGHT),
    Column("Adoption", _adoption, RIGHT),
)


def _table(model: QAbstractItemModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setTabKeyNavigation(False)  # Tab leaves the table
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(
        model.columnCount() - 1, QHeaderView.ResizeMode.Stretch
    )
    return table


class HealthTab(QWidget):
    """The health of one account."""

    def __init__(self, context: AppContext, account_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.account_id = context, account_id
        self.score = QLabel("—", self)
        self.score.setObjectName("figure")
        self.explain = QLabel(self)
        self.explain.setObjectName("muted")
        self.explain.setWordWrap(True)
        self.recompute = QPushButton("Recompute now", self)
        self.recompute.setToolTip("Score this account again from what is stored now")
        self.component_model: ColumnTableModel[Component, str, None] = ColumnTableModel(
            COMPONENT_COLUMNS, lambda part: str(part["key"]), None
        )
        self.survey_model: ColumnTableModel[SurveyRecord, int, None] = ColumnTableModel(
            SURVEY_COLUMNS, lambda survey: survey.id, None
        )
        self.usage_model: ColumnTableModel[UsageRecord, int, None] = ColumnTableModel(
            USAGE_COLUMNS, lambda sample: sample.id, None
        )
        self.components = _table(self.component_model)
        self.trend = QLabel(self)
        self.trend.setWordWrap(True)
        self.surveys = _table(self.survey_model)
        self.usage = _table(self.usage_model)
        top = QHBoxLayout()
        top.addWidget(self.score)
        top.addWidget(self.explain, 1)
        top.addWidget(self.recompute)
        history = QHBoxLayout()
        self.import_buttons: dict[str, QPushButton] = {}
        for kind, title, table in (
            ("surveys", "NPS and CSAT answers", self.surveys),
            ("usage", "Usage", self.usage),
        ):
            box = QVBoxLayout()
            heading = QHBoxLayout()
            caption = QLabel(title, self)
            caption.setObjectName("sectionTitle")
            heading.addWidget(caption, 1)
            button = QPushButton("Import CSV…", self)
            button.setToolTip(f"Add {title.lower()} from a CSV file (each row names its account)")
            button.clicked.connect(lambda _c=False, k=kind: self.import_csv(k))
            self.import_buttons[kind] = button
            heading.addWidget(button)
            box.addLayout(heading)
            box.addWidget(table)
            history.addLayout(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addLayout(top)
        layout.addWidget(self.components)
        layout.addWidget(self.trend)
        layout.addLayout(history, 1)
        self.recompute.clicked.connect(self._on_recompute_clicked)
        self.follower = ChangeFollower(self, context.data, self.concerns, self.refresh)

    def import_csv(self, kind: str) -> None:
        """Open the import wizard for survey answers or usage samples."""
        from am_desktop.ui.dialogs.import_dialog import ImportDialog

        ImportDialog(self.context, parent=self, kind=kind).exec()

    def concerns(self, changes: ChangeSet) -> bool:
        """Whether ``changes`` touch this account's scores, surveys or usage."""
        return changes.touches(*HEALTH_FROM, account=self.account_id)

    def refresh(self, _changes: ChangeSet | None = None) -> None:
        """Read the latest score, its trend and the history (READ lane)."""
        store, account = self.context.store, self.account_id

        def read(_progress: object) -> Any:
            from am_desktop.services import catalog, health

            return (
                health.latest(store, account),
                health.trend(store, account, 12),
                catalog.surveys.find(store, account_id=account)[-20:],
                catalog.usage.find(store, account_id=account)[-20:],
            )

        self.context.tasks.submit(
            read, lane=Lane.READ, receiver=self, on_done=self._on_loaded, supersede=(self, "health")
        )

    def _on_loaded(self, loaded: Any) -> None:
        latest, trend, surveys, usage = loaded
        if latest is None:
            self.score.setText("—")
            self.explain.setText(
                "Not scored yet: the app scores every account once a day. Press Recompute "
                "now to score this one."
            )
            self.component_model.set_rows([])
        else:
            value, band, components = latest
            colour = _BAND_COLOURS.get(band, "#888")
            self.score.setText(
                f"<span style='color:{colour}'>{value:.0f} · {_BAND_LABELS.get(band, band)}</span>"
            )
            healthy, watch = self.context.settings.prefs.health_bands
            self.explain.setText(
                "A weighted mean of the components below (missing ones are left out and the "
                f"others reweighted); {healthy:g} and above is healthy, {watch:g} to under "
                f"{healthy:g} watch, under {watch:g} at risk."
            )
            self.component_model.set_rows(components)
            self.components.resizeColumnsToContents()
        points = " → ".join(f"{s:.0f}" for _when, s in trend)
        self.trend.setText(f"Trend (oldest to newest): {points}" if len(trend) > 1 else "")
        self.survey_model.set_rows(surveys[::-1])  # newest first
        self.usage_model.set_rows(usage[::-1])

    @Slot()
    def _on_recompute_clicked(self) -> None:
        store, account, today = self.context.store, self.account_id, self.context.today()
        weights, bands = (
            self.context.settings.prefs.health_weights,
            self.context.settings.prefs.health_bands,
        )

        def work(_progress: object) -> Any:
            from am_desktop.services import health

            return health.compute_all(
                store, today, account_ids=[account], weights=weights, bands=bands
            )

        self.context.tasks.submit(
            work,
            lane=Lane.WRITE,
            receiver=self,
        )
