"""Preferences → CRM: which of the Salesforce org's stages each of the app's stages is sent as
(issue 18). The org's StageName picklist is the one the last sync read; the rows start at what
the AM chose before, else at the proposal (standard names, then the org's order).

A stage of the org stands for one of ours only: a stage read back from Salesforce must say
which of ours it is, so choosing one twice in a kind is refused in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.enums import OpportunityStage, RenewalStage
from am_desktop.services.sync.salesforce_mapping import STAGE_CHOICES, stage_map

#: Local kind -> its stages' enum and the word shown before them.
_KINDS = {"opportunity": (OpportunityStage, "Expansion"), "renewal": (RenewalStage, "Renewal")}
#: The combo entry that leaves a stage to the proposal at each sync.
PROPOSED = "(proposed at sync)"
VISIBLE_ROWS = 6


class StageMapEditor(QWidget):
    """A small table: our stage → the org's stage (a combo per row).

    Args:
        values: the org's StageName values, in its order ([]: not read yet).
        chosen: the map chosen before (kind → our stage → theirs).
    """

    def __init__(
        self,
        values: Sequence[str],
        chosen: Mapping[str, Mapping[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.values = list(values)
        proposed = stage_map(self.values, chosen)
        self.rows: list[tuple[str, str, QComboBox]] = []
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Stage here", "Stage in Salesforce"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for obj, (stages, word) in _KINDS.items():
            for stage in STAGE_CHOICES[obj]:
                self._add_row(obj, stage, f"{word}: {stages(stage).label.lower()}", proposed)
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(header.sizeHint().height() + row_height * VISIBLE_ROWS + 4)
        self.table.setToolTip("Which of your org's stages each stage here is sent as")
        self.note = QLabel(
            "Sync once with Salesforce to read your org's stages; until then the standard "
            "stage names are used."
        )
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        self.table.setVisible(bool(self.values))
        self.note.setVisible(not self.values)

    def _add_row(
        self, obj: str, stage: str, label: str, proposed: Mapping[str, Mapping[str, str]]
    ) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(label))
        combo = QComboBox(self.table)
        combo.addItem(PROPOSED, "")
        for value in self.values:
            combo.addItem(value, value)
        combo.setCurrentIndex(max(0, combo.findData(proposed.get(obj, {}).get(stage, ""))))
        combo.setAccessibleName(f"Salesforce stage for {label}")
        self.table.setCellWidget(row, 1, combo)
        self.rows.append((obj, stage, combo))

    def value(self) -> dict[str, dict[str, str]]:
        """The map as chosen (rows left to the proposal are left out); {} before the org's
        stages are known, so nothing is fixed blind."""
        chosen: dict[str, dict[str, str]] = {}
        for obj, stage, combo in self.rows:
            theirs = str(combo.currentData() or "")
            if theirs and self.values:
                chosen.setdefault(obj, {})[stage] = theirs
        return chosen

    def problem(self) -> str:
        """Words for an org stage chosen for two of ours in one kind, else ""."""
        for obj, stages in self.value().items():
            seen: dict[str, str] = {}
            for stage, theirs in stages.items():
                if theirs in seen:
                    word = _KINDS[obj][1].lower()
                    return (
                        f"“{theirs}” is chosen for two {word} stages ({seen[theirs]} and "
                        f"{stage.replace('_', ' ')}); each Salesforce stage can stand for one "
                        "only, so a stage read back says which one it is."
                    )
                seen[theirs] = stage.replace("_", " ")
        return ""
