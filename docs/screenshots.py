"""Render each view of the demo portfolio at 1366×768, light and dark, for the README.

    .venv/bin/python docs/screenshots.py            # writes docs/screenshots/*.png

Runs offscreen on a fresh seeded database in a temporary folder, with the same window code the
app uses; nothing of the user's (data, settings) is read or written.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

OUT = Path(__file__).parent / "screenshots"
TODAY = date(2026, 11, 22)
SIZE = (1366, 768)
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


def at_size(window: QWidget, width: int = SIZE[0], height: int = SIZE[1]) -> None:
    """The window at the README's size (not maximised as on a small screen's first start)."""
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(width, height)


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
    from am_desktop.ui.window.views import ViewKey
    from am_desktop.ui.workspace.tabs import WorkspaceTab

    for key in ViewKey:
        window.show_view(key)
        pause(app)
        if key is ViewKey.DASHBOARD:
            _wait(app, window.dashboard_view.ready)
            pause(app, 1.0)
        if key is ViewKey.RENEWALS:
            _wait(app, lambda: window.renewals_view.model.rowCount() > 0)
            pause(app)
        window.grab().save(str(OUT / f"{key}-{theme}.png"))
    window.show_view(ViewKey.ACCOUNTS)
    window.open_account(window.model.ids()[0])
    workspace = window.tabs.currentWidget()
    _wait(app, lambda: workspace.overview is not None)
    pause(app)
    window.grab().save(str(OUT / f"workspace-{theme}.png"))
    workspace.show_tab(WorkspaceTab.OPPORTUNITIES)
    pause(app)
    window.grab().save(str(OUT / f"opportunities-{theme}.png"))
    workspace.show_tab(WorkspaceTab.HEALTH)
    _wait(app, lambda: workspace.health.component_model.rowCount() > 0)
    pause(app)
    window.grab().save(str(OUT / f"health-{theme}.png"))
    workspace.show_tab(WorkspaceTab.RENEWALS)
    pause(app)
    window.grab().save(str(OUT / f"account-renewals-{theme}.png"))
    workspace.show_tab(WorkspaceTab.NOTES)
    _wait(app, lambda: workspace.notes.model.rowCount() > 0)
    workspace.notes.list.setCurrentIndex(workspace.notes.model.index(0, 0))
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
        workspace.show_tab(WorkspaceTab.CONTACTS)
        pause(app)
        window.grab().save(str(OUT / f"{key}-{theme}.png"))


def palette(app: QApplication, window: Any, theme: str) -> None:
    """Ctrl+K with a fuzzy query typed."""
    from am_desktop.ui.window.views import ViewKey

    window.show_view(ViewKey.ACCOUNTS)
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


def add_rates(store: Any) -> None:
    """A few exchange rates, as an AM with euro and sterling contracts keeps them."""
    from am_desktop.services import rates

    for day, base, rate in (
        ("2026-09-30", "EUR", "1.0841"),
        ("2026-09-30", "GBP", "1.2712"),
        ("2026-06-30", "EUR", "1.0712"),
        ("2026-06-30", "GBP", "1.2650"),
    ):
        rates.add_rate(store, day, base, "USD", rate)


def currencies(app: QApplication, window: Any) -> None:
    """Preferences → Currencies: the reporting currency and the rate table."""
    from am_desktop.app import _wait
    from am_desktop.ui.dialogs.preferences import PreferencesDialog

    dialog = PreferencesDialog(window.context, window, section="currencies")
    dialog.show()
    _wait(app, lambda: dialog.currencies.model.rowCount() > 0)
    pause(app)
    dialog.grab().save(str(OUT / "preferences-currencies.png"))
    dialog.close()


def add_conflict(store: Any) -> None:
    """CRM sync in use: every record linked to a CRM record, one account's industry changed both
    here and in the CRM (one conflict), one contact's title changed here (one change to send)."""
    from datetime import UTC, datetime, timedelta

    from am_desktop.services.sync import state as st

    with store.raw(write=True) as connection:
        for obj in ("account", "contact", "opportunity", "renewal", "note"):
            connection.execute(
                "INSERT INTO sync_link (obj, local_id, remote_id, remote_modified_ms) "
                f"SELECT '{obj}', id, '{obj[0]}' || (1000 + id), 1 FROM {obj}"
            )
        account_id, industry = connection.execute(
            "SELECT id, industry FROM account WHERE name = ?", (CONFLICT_ACCOUNT,)
        ).fetchone()
        st.set_state(connection, "tracking", "1")
        last = datetime.now(UTC) - timedelta(minutes=12)
        st.set_state(connection, "last_sync", last.strftime("%Y-%m-%d %H:%M:%S.%f"))
        st.set_base(connection, "account", account_id, "industry", industry)
        connection.execute("UPDATE account SET industry = 'Logistics' WHERE id = ?", (account_id,))
        st.add_conflict(connection, "account", account_id, "industry", base=industry,
                        local="Logistics", remote="Retail and wholesale")  # fmt: skip
        contact_id = connection.execute(
            "SELECT id FROM contact WHERE account_id = ? ORDER BY id LIMIT 1", (account_id,)
        ).fetchone()[0]
        connection.execute("UPDATE contact SET title = 'Head of Operations' WHERE id = ?",
                           (contact_id,))  # fmt: skip
        ACCOUNT_IDS[CONFLICT_ACCOUNT] = account_id


def conflicts(app: QApplication, path: Path, theme: str) -> None:
    """The account with a conflict (its header and the status bar), then the conflicts dialog."""
    from am_desktop.app import _wait, build_window

    window = build_window(path)
    window.context.today = lambda: TODAY
    window.context.settings.prefs.crm = "hubspot"
    at_size(window)
    window.show()
    window.start()
    _wait(app, lambda: window.model.rowCount() > 0)
    _wait(app, lambda: window.alerts_panel is not None)
    window.alerts_panel.hide()
    window.open_account(ACCOUNT_IDS[CONFLICT_ACCOUNT])
    workspace = window.tabs.currentWidget()
    _wait(app, lambda: workspace.sync_state is not None)
    _wait(app, lambda: not window.conflicts_button.isHidden())
    pause(app)
    window.grab().save(str(OUT / f"sync-status-{theme}.png"))
    workspace.sync_state_label.linkActivated.emit("conflicts")
    dialog = window.conflict_dialog
    _wait(app, lambda: dialog.loaded)
    pause(app)
    dialog.grab().save(str(OUT / f"conflicts-{theme}.png"))
    dialog.close()
    window.context.settings.prefs.crm = ""  # the settings file is shared
    window.close()
    window.context.close()


#: The account of the conflict scene (one of the seeded portfolio's).
CONFLICT_ACCOUNT = ""
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


def review(app: QApplication, window: Any, theme: str) -> None:
    """File → Export business review… on one account, and (light only) the decks it writes."""
    from am_desktop.services.portfolio import account_names
    from am_desktop.ui.dialogs.review_dialog import ReviewDialog

    names = account_names(window.context.store)
    account_id = next(i for i, name, _d in names if name == CONFLICT_ACCOUNT)
    dialog = ReviewDialog(window.context, names, account_id, parent=window)
    dialog.show()
    pause(app)
    dialog.grab().save(str(OUT / f"review-dialog-{theme}.png"))
    dialog.close()
    if theme == "light":
        for audience in ("customer", "internal"):
            deck_sheet(window.context.store, account_id, audience)


def deck_sheet(store: Any, account_id: int, audience: str) -> None:
    """The deck's pages side by side, three a row, as the PDF draws them."""
    from io import BytesIO

    from PySide6.QtGui import QColor, QImage, QPainter

    from am_desktop.charts.review import slide_figures
    from am_desktop.domain.deck import Audience
    from am_desktop.domain.kpis import default_period
    from am_desktop.exports.review import ReviewRequest, review_deck

    start, end = default_period(TODAY)
    request = ReviewRequest(account_id, start, end, OUT, Audience(audience))
    pages = []
    for slide in review_deck(store, request).slides:
        for figure in slide_figures(slide):
            buffer = BytesIO()
            figure.savefig(buffer, format="png", dpi=48)
            pages.append(QImage.fromData(buffer.getvalue()))
    columns, gap = 3, 12
    width, height = pages[0].width(), pages[0].height()
    rows = -(-len(pages) // columns)
    sheet = QImage(columns * (width + gap) + gap, rows * (height + gap) + gap,
                   QImage.Format.Format_RGB32)  # fmt: skip
    sheet.fill(QColor("#d9dde3"))
    painter = QPainter(sheet)
    for index, page in enumerate(pages):
        row, column = divmod(index, columns)
        painter.drawImage(gap + column * (width + gap), gap + row * (height + gap), page)
    painter.end()
    sheet.save(str(OUT / f"review-{audience}.png"))


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
    add_rates(store)
    global CONFLICT_ACCOUNT  # noqa: PLW0603 - chosen from the seeded data, read by the scenes
    with store.raw() as connection:
        CONFLICT_ACCOUNT = connection.execute(
            "SELECT name FROM account WHERE industry IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()[0]
    store.close()
    sync_path = folder / "synced.sqlite3"  # the sync scene, apart: the other views show no sync
    shutil.copyfile(path, sync_path)
    synced = open_store(sync_path)
    add_conflict(synced)
    synced.close()
    OUT.mkdir(exist_ok=True)
    for theme, dark in (("light", False), ("dark", True)):
        apply_theme(app, dark=dark)
        window = build_window(path)
        window.context.today = lambda: TODAY
        at_size(window)
        window.show()
        window.start()
        _wait(app, lambda w=window: w.model.rowCount() > 0)
        _wait(app, lambda w=window: w.alerts_panel is not None)
        window.alerts.show_panel()  # the bell (the light pass has seen these alerts already)
        _wait(app, lambda w=window: w.alerts_panel.isVisible())
        pause(app)
        window.grab().save(str(OUT / f"alerts-{theme}.png"))
        window.alerts_panel.hide()  # out of the way of the other views
        views(app, window, theme)
        palette(app, window, theme)
        if not dark:
            import_preview(app, window, folder)
            currencies(app, window)
        review(app, window, theme)
        window.close()
        window.context.close()
        conflicts(app, sync_path, theme)
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
