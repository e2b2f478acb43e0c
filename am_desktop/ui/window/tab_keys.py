"""Ctrl+PgUp / Ctrl+PgDn: the next or previous tab of the tab widget the focus is in.

The innermost tab widget holding the focus answers (an account's inner tabs while the focus is
in its workspace), so the keys never jump to a view the user is not looking at; outside any
(the sidebar, say) the window's own tabs do.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget


def tabs_holding(focus: QWidget | None, fallback: QTabWidget) -> QTabWidget:
    """The innermost tab widget with more than one tab that holds ``focus`` (else ``fallback``)."""
    widget = focus
    while widget is not None:
        if isinstance(widget, QTabWidget) and widget.count() > 1:
            return widget
        widget = widget.parentWidget()
    return fallback


def step_tab(tabs: QTabWidget, step: int) -> None:
    """Bring forward the tab ``step`` places on (wrapping around; disabled tabs are skipped)."""
    count = tabs.count()
    index = tabs.currentIndex()
    for _ in range(count):
        index = (index + step) % count
        if tabs.isTabEnabled(index):
            tabs.setCurrentIndex(index)
            return
