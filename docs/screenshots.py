"""Render each view of the demo portfolio at 1366×768, light and dark, for the README.

    .venv/bin/python docs/screenshots.py            # writes docs/screenshots/*.png

Runs offscreen on a fresh seeded database in a temporary folder, with the same window code the
app uses; nothing of the user's (data, settings) is read or written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

OUT = Path(__file__).parent / "screenshots"
TODAY = date(2026, 11, 22)
IMPORT_SAMPLE = (
    "Company Name,First Name,Last Name,Email Address,Job Title,Shoe size\n"
    "Northwind Media,Ada,Byron,ada.byron@northwind.example,CFO,38\n"
    "Nowhere Inc,Bo,Chen,bo@nowhere.example,CTO,41\n"
    "Northwind Media,Cy,Dee,not-an-email,VP Sales,44\n"
)


def pause(app: QApplication, seconds: float = 0.3) -> None:
    """Let the window settle (layouts, pending paints)."""
    from am_desktop.app import _wait

    _wait(app, lambda: False, seconds)


def composite(window: QWidget, popup: QWidget) -> QPixmap:
    """The window with a popup drawn where it sits (grabbing a window misses its popups)."""
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(popup.pos() - window.pos(), popup.grab())
    painter.end()
    return shot


def views(app: QApplication, window: Any, theme: str) -> None:
    """The sidebar's views and an account workspace."""
    from am_desktop.app import _wait

    for key in ("today", "accounts", "renewals", "notes", "dashboard"):
        window.show_view(key)
        pause(app)
        if key == "dashboard":
            _wait(app, window.dashboard_view.ready)
            pause(app, 1.0)
        if key == "renewals":
            _wait(app, lambda: window.renewals_view.model.rowCount() > 0)
            pause(app)
        window.grab().save(str(OUT / f"{key}-{theme}.png"))
    window.show_view("accounts")
    window.open_account(window.model.ids()[0])
    workspace = window.tabs.currentWidget()
    _wait(app, lambda: workspace.overview is not None)
    pause(app)
    window.grab().save(str(OUT / f"workspace-{theme}.png"))
    workspace.show_tab("Opportunities")
    pause(app)
    window.grab().save(str(OUT / f"opportunities-{theme}.png"))
    workspace.show_tab("Health")
    _wait(app, lambda: workspace.health.components.rowCount() > 0)
    pause(app)
    window.grab().save(str(OUT / f"health-{theme}.png"))
    workspace.show_tab("Renewals")
    pause(app)
    window.grab().save(str(OUT / f"account-renewals-{theme}.png"))
    workspace.show_tab("Notes")
    _wait(app, lambda: workspace.notes.model.rowCount() > 0)
    workspace.notes.list.setCurrentIndex(workspace.notes.model.index(0))
    _wait(app, lambda: workspace.notes.editor.note is not None)
    pause(app)
    window.grab().save(str(OUT / f"account-notes-{theme}.png"))
    window.search_notes()
    dialog = window._search_dialog
    dialog.search.setText("renewal budg*")
    _wait(app, lambda: dialog.model.rowCount() > 0)
    pause(app)
    dialog.grab().save(str(OUT / f"search-{theme}.png"))
    dialog.hide()

    for name, key in (
        ("Big Committee Inc", "contact-map-60"),
        ("Small Committee Ltd", "contact-map-5"),
    ):
        window.open_account(ACCOUNT_IDS[name])
        workspace = window.tabs.currentWidget()
        _wait(app, lambda w=workspace: w.contacts.graph is not None)
        workspace.show_tab("Contacts")
        pause(app)
        window.grab().save(str(OUT / f"{key}-{theme}.png"))


def palette(app: QApplication, window: Any, theme: str) -> None:
    """Ctrl+K with a fuzzy query typed."""
    window.show_view("accounts")
    window.show_palette()
    popup = next(w for w in app.topLevelWidgets() if type(w).__name__ == "AccountPalette")
    pause(app)
    popup.search.setText("nwm")
    pause(app)
    composite(window, popup).save(str(OUT / f"palette-{theme}.png"))
    popup.close()


def import_preview(app: QApplication, window: Any, folder: Path) -> None:
    """File → Import CSV with a HubSpot-style file holding two invalid rows."""
    from am_desktop.app import _wait
    from am_desktop.ui.dialogs.import_dialog import ImportDialog

    source = folder / "contacts.csv"
    source.write_text(IMPORT_SAMPLE)
    dialog = ImportDialog(window.context, source, parent=window)
    dialog.show()
    _wait(app, lambda: dialog.preview is not None)
    pause(app)
    dialog.grab().save(str(OUT / "import-preview.png"))
    dialog.close()


#: Accounts added to the demo portfolio to show the contact map at two sizes.
ACCOUNT_IDS: dict[str, int] = {}


def add_committees(store: Any) -> None:
    """A 60-contact and a 5-contact buying committee, as the issue asks to look at."""
    sys.path.insert(0, str(Path(__file__).parent.parent))
    from am_desktop.services import catalog
    from benchmarks.map_figures import add_committee

    for name, size in (("Big Committee Inc", 60), ("Small Committee Ltd", 5)):
        account = catalog.accounts.create(store, {"name": name, "tier": "strategic"}).id
        add_committee(store, account, size, seed=3)
        ACCOUNT_IDS[name] = account


def main() -> None:
    """Seed a demo portfolio and photograph the window in both themes."""
    folder = Path(tempfile.mkdtemp(prefix="am-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    from am_desktop.app import _wait, build_window
    from am_desktop.services.seed import SCALES, seed_database
    from am_desktop.services.store import open_store
    from am_desktop.ui.theme import apply_theme

    app = QApplication(sys.argv)
    path = folder / "demo.sqlite3"
    store = open_store(path)
    seed_database(store, SCALES["small"], seed=1, today=TODAY)
    add_committees(store)
    store.close()
    OUT.mkdir(exist_ok=True)
    for theme, dark in (("light", False), ("dark", True)):
        apply_theme(app, dark=dark)
        window = build_window(path)
        window.context.today = lambda: TODAY
        window.resize(1366, 768)
        window.show()
        window.start()
        _wait(app, lambda w=window: w.model.rowCount() > 0)
        _wait(app, lambda w=window: w.alerts_panel is not None and w.alerts_panel.isVisible())
        pause(app)
        window.grab().save(str(OUT / f"alerts-{theme}.png"))
        window.alerts_panel.hide()  # out of the way of the other views
        views(app, window, theme)
        palette(app, window, theme)
        if not dark:
            import_preview(app, window, folder)
        window.close()
        window.context.store.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
