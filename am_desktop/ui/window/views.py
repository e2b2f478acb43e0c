"""The sidebar's views as a registry: a key, a label, a shortcut and a typed lazy factory each.

Adding a view is one :class:`ViewSpec` in :data:`VIEWS` (the sidebar, the Go menu and Ctrl+1…6
follow). Each factory imports its view's module itself, so nothing heavy (SQLAlchemy,
matplotlib) loads before the first paint: a view is built the first time it is shown.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, cast, runtime_checkable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStackedWidget, QWidget

from am_desktop.ui.context import AppContext

if TYPE_CHECKING:
    from am_desktop.ui.accounts_view import AccountsView
    from am_desktop.ui.dashboard import DashboardView
    from am_desktop.ui.notes.panel import NotesPanel
    from am_desktop.ui.renewals.view import RenewalsView
    from am_desktop.ui.tasks_view.view import TasksView
    from am_desktop.ui.today import TodayView
    from am_desktop.ui.window.workspace_tabs import WorkspaceTabs


class ViewKey(enum.StrEnum):
    """A view of the sidebar (its value is what the settings remember)."""

    TODAY = "today"
    ACCOUNTS = "accounts"
    RENEWALS = "renewals"
    NOTES = "notes"
    DASHBOARD = "dashboard"
    TASKS = "tasks"


class ViewHost(Protocol):
    """What the views are given and ask of the window (it routes their requests)."""

    @property
    def context(self) -> AppContext: ...

    @property
    def undo_stack(self) -> QUndoStack: ...

    @property
    def accounts(self) -> AccountsView: ...

    @property
    def tabs(self) -> WorkspaceTabs: ...

    @property
    def demo(self) -> bool: ...

    def open_demo(self) -> None: ...

    def import_csv(self) -> None: ...

    def show_view(self, key: ViewKey) -> None: ...


@runtime_checkable
class ShowsItself(Protocol):
    """A view that reads again each time it is shown (beyond its ChangeFollower's catch-up)."""

    def on_shown(self) -> None: ...


W_co = TypeVar("W_co", bound=QWidget, covariant=True)


@dataclass(frozen=True)
class ViewSpec(Generic[W_co]):
    """One view of the sidebar.

    Attributes:
        key: how code and settings name it.
        label: the sidebar's and the Go menu's text.
        shortcut: the Go menu's key sequence.
        build: makes the view (importing its module: called on first show only).
    """

    key: ViewKey
    label: str
    shortcut: str
    build: Callable[[ViewHost], W_co]


def _today(host: ViewHost) -> TodayView:
    from am_desktop.ui.today import TodayView

    view = TodayView(host.context)
    view.open_requested.connect(host.tabs.open_from_today)
    view.demo_requested.connect(host.open_demo)
    view.demo_button.setVisible(not host.demo)  # the demo's own welcome, while it is seeded
    view.import_requested.connect(host.import_csv)
    view.tasks_requested.connect(lambda: host.show_view(ViewKey.TASKS))
    return view


def _accounts(host: ViewHost) -> AccountsView:
    return host.accounts  # made with the window: the list is queried at start, shown or not


def _renewals(host: ViewHost) -> RenewalsView:
    from am_desktop.ui.renewals.view import RenewalsView

    view = RenewalsView(host.context)
    view.renewal_activated.connect(host.tabs.open_renewal)
    return view


def _notes(host: ViewHost) -> NotesPanel:
    from am_desktop.ui.notes.panel import NotesPanel  # loads the ORM

    return NotesPanel(host.context, None, undo=host.undo_stack)


def _dashboard(host: ViewHost) -> DashboardView:
    from am_desktop.ui.dashboard import DashboardView  # loads matplotlib

    return DashboardView(host.context)


def _tasks(host: ViewHost) -> TasksView:
    from am_desktop.ui.tasks_view.view import TasksView

    view = TasksView(host.context)
    view.open_requested.connect(host.tabs.open_from_today)
    return view


TODAY: ViewSpec[TodayView] = ViewSpec(ViewKey.TODAY, "Today", "Ctrl+1", _today)
ACCOUNTS: ViewSpec[AccountsView] = ViewSpec(ViewKey.ACCOUNTS, "Accounts", "Ctrl+2", _accounts)
RENEWALS: ViewSpec[RenewalsView] = ViewSpec(ViewKey.RENEWALS, "Renewals", "Ctrl+3", _renewals)
NOTES: ViewSpec[NotesPanel] = ViewSpec(ViewKey.NOTES, "Notes", "Ctrl+4", _notes)
DASHBOARD: ViewSpec[DashboardView] = ViewSpec(ViewKey.DASHBOARD, "Dashboard", "Ctrl+5", _dashboard)
TASKS: ViewSpec[TasksView] = ViewSpec(ViewKey.TASKS, "Tasks", "Ctrl+6", _tasks)
#: The sidebar's views, in its order.
VIEWS: tuple[ViewSpec[QWidget], ...] = (TODAY, ACCOUNTS, RENEWALS, NOTES, DASHBOARD, TASKS)


class ViewStack(QStackedWidget):
    """The views of the first tab, each built the first time it is shown (or asked for).

    Args:
        host: what the views' factories are given.
        specs: the views (tests pass their own).
    """

    def __init__(
        self,
        host: ViewHost,
        specs: Sequence[ViewSpec[QWidget]] = VIEWS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._specs = {spec.key: spec for spec in specs}
        self._built: dict[ViewKey, QWidget] = {}

    def specs(self) -> list[ViewSpec[QWidget]]:
        """The views, in the sidebar's order."""
        return list(self._specs.values())

    def spec(self, key: ViewKey) -> ViewSpec[QWidget]:
        """The view named ``key``."""
        return self._specs[key]

    def view(self, spec: ViewSpec[W_co]) -> W_co:
        """The view of ``spec``, built now if it never was (not shown)."""
        if self._specs.get(spec.key) is not spec:
            raise KeyError(f"{spec.key} is not a view of this stack")
        if spec.key not in self._built:
            widget = spec.build(self._host)
            self._built[spec.key] = widget
            self.addWidget(widget)
        return cast(W_co, self._built[spec.key])  # built by this very spec

    def built(self, spec: ViewSpec[W_co]) -> W_co | None:
        """The view of ``spec`` if it was built, else None (building nothing)."""
        return cast(W_co, self._built[spec.key]) if spec.key in self._built else None

    def show_view(self, key: ViewKey) -> QWidget:
        """Bring a view forward (building it first if needed) and let it read again."""
        widget = self.view(self._specs[key])
        self.setCurrentWidget(widget)
        if isinstance(widget, ShowsItself):
            widget.on_shown()
        return widget

    def current_key(self) -> ViewKey | None:
        """The key of the view in front (None before the first is shown)."""
        current = self.currentWidget()
        return next((key for key, widget in self._built.items() if widget is current), None)
