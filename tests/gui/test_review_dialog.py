"""File → Export business review: audience, files, template and logo remembered, an account
found among 10,000 by typing, and after the export Open and Show in folder.

The export itself (``exports.review.export_review``) is replaced by a fake that writes small
files: these tests are about the dialog, not the deck.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from am_desktop.domain.cancel import Progress
from am_desktop.domain.deck import Audience
from am_desktop.errors import ExportError
from am_desktop.exports import review
from am_desktop.exports.review import ReviewRequest
from am_desktop.services.store import Store
from am_desktop.ui import desktop
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.review_dialog import NO_CUSTOMER_PORTFOLIO, ReviewDialog

ACCOUNTS = [(1, "Acme", "acme.com"), (2, "Globex", None), (3, "Initech", "initech.example")]


class FakeExport:
    """Records each request and writes one small file per kind asked for."""

    def __init__(self) -> None:
        self.requests: list[ReviewRequest] = []

    def __call__(self, _store: Store, request: ReviewRequest, *, progress: Progress) -> list[Path]:
        self.requests.append(request)
        request.folder.mkdir(parents=True, exist_ok=True)
        written = []
        for number, kind in enumerate(request.formats):
            progress(number, len(request.formats), f"Writing the {kind} file")
            path = request.folder / f"Acme - business review.{kind}"
            path.write_bytes(b"x")
            written.append(path)
        return written


@pytest.fixture
def fake_export(monkeypatch: pytest.MonkeyPatch) -> FakeExport:
    fake = FakeExport()
    monkeypatch.setattr(review, "export_review", fake)
    return fake


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """What the dialog asked the desktop to open (nothing is launched)."""
    paths: list[Path] = []

    def open_path(path: Path) -> bool:
        paths.append(path)
        return True

    monkeypatch.setattr(desktop, "open_path", open_path)
    return paths


def _dialog(
    qtbot: QtBot, context: AppContext, account_id: int | None = 1, accounts: list = ACCOUNTS
) -> ReviewDialog:
    dialog = ReviewDialog(context, accounts, account_id)
    qtbot.addWidget(dialog)
    return dialog


def test_one_account_is_for_the_customer_and_the_portfolio_is_internal(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = _dialog(qtbot, context, account_id=1)
    customer = dialog.audiences[Audience.CUSTOMER]
    assert dialog.picker.account_id() == 1 and dialog.audience() is Audience.CUSTOMER
    dialog.picker.choose(None)
    assert dialog.picker.is_portfolio() and dialog.audience() is Audience.INTERNAL
    assert not customer.isEnabled() and customer.toolTip() == NO_CUSTOMER_PORTFOLIO
    dialog.picker.choose(2)
    assert customer.isEnabled() and dialog.audience() is Audience.CUSTOMER
    assert _dialog(qtbot, context, account_id=None).audience() is Audience.INTERNAL


def test_an_internal_choice_for_an_account_survives_a_visit_to_the_portfolio(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = _dialog(qtbot, context)
    dialog.audiences[Audience.INTERNAL].click()
    dialog.picker.choose(None)
    dialog.picker.choose(3)
    assert dialog.audience() is Audience.INTERNAL


def test_powerpoint_and_pdf_are_ticked_at_first(qtbot: QtBot, context: AppContext) -> None:
    dialog = _dialog(qtbot, context)
    assert dialog.chosen_formats() == ("pptx", "pdf")
    assert dialog.export_button.isDefault()
    dialog.formats["pptx"].setChecked(False)
    assert not dialog.template.isEnabled() and dialog.logo.isEnabled()  # the PDF has a logo
    dialog.formats["pdf"].setChecked(False)
    dialog.formats["png"].setChecked(True)
    assert not dialog.logo.isEnabled()


def test_template_logo_folder_and_files_are_remembered_for_the_next_export(
    qtbot: QtBot, context: AppContext, tmp_path: Path, fake_export: FakeExport
) -> None:
    template, logo = tmp_path / "corporate.pptx", tmp_path / "acme.png"
    template.write_bytes(b"pptx")
    logo.write_bytes(b"png")
    folder = tmp_path / "reviews"
    first = _dialog(qtbot, context)
    first.template.set_path(template)
    first.logo.set_path(logo)
    first.formats["svg"].setChecked(True)
    first.folder.setText(str(folder))
    first.export()
    assert len(fake_export.requests) == 1

    second = _dialog(qtbot, context)
    assert (second.template.path(), second.logo.path()) == (template, logo)
    assert second.folder.text() == str(folder)
    assert second.chosen_formats() == ("pptx", "pdf", "svg")

    template.unlink()  # moved away since: shown as none, not as an error
    third = _dialog(qtbot, context)
    assert third.template.path() is None and third.logo.path() == logo
    assert not third.template.clear_button.isEnabled() and third.error.text() == ""


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_an_account_is_found_among_ten_thousand_by_a_fuzzy_query(
    qtbot: QtBot, context: AppContext, fake_export: FakeExport, tmp_path: Path
) -> None:
    many = [(i, f"Customer {i:05d} Holdings", None) for i in range(1, 10_001)]
    many[4241] = (4242, "Pied Piper Labs", "piedpiper.example")
    dialog = _dialog(qtbot, context, account_id=None, accounts=many)
    dialog.show()  # shown, so an Enter the picker let through would reach the default button
    qtbot.waitExposed(dialog)
    assert dialog.picker.matches()[0] is None  # the whole portfolio leads
    qtbot.keyClicks(dialog.picker.search, "ppl")  # Pied Piper Labs' initials
    assert dialog.picker.matches()[0] == 4242
    assert len(dialog.picker.matches()) <= 50
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Down)  # to the second match…
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Up)  # …and back
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    assert dialog.picker.account_id() == 4242
    assert dialog.picker.search.text() == "Pied Piper Labs"
    assert dialog.audience() is Audience.CUSTOMER
    assert fake_export.requests == []  # Enter chose the account; it did not press Export
    dialog.folder.setText(str(tmp_path))
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)  # settled: this Enter exports
    qtbot.waitUntil(lambda: len(fake_export.requests) == 1)
    assert fake_export.requests[0].account_id == 4242


def test_export_asks_for_what_the_form_says(
    qtbot: QtBot, context: AppContext, tmp_path: Path, fake_export: FakeExport
) -> None:
    logo = tmp_path / "acme.png"
    logo.write_bytes(b"png")
    dialog = _dialog(qtbot, context)
    dialog.logo.set_path(logo)
    dialog.formats["pptx"].setChecked(False)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.start.setDate(date(2026, 1, 1))
    dialog.end.setDate(date(2026, 6, 30))
    dialog.export_button.click()
    assert fake_export.requests == [
        ReviewRequest(
            account_id=1,
            start=date(2026, 1, 1),
            end=date(2026, 6, 30),
            folder=tmp_path / "out",
            audience=Audience.CUSTOMER,
            formats=("pdf",),
            template=None,
            logo=logo,
            gross_margin=context.settings.prefs.gross_margin,
            bands=context.settings.prefs.health_bands,
            currency=context.settings.prefs.currency,
        )
    ]


def test_the_form_says_what_to_fix_before_exporting(
    qtbot: QtBot, context: AppContext, fake_export: FakeExport
) -> None:
    dialog = _dialog(qtbot, context)
    dialog.end.setDate(date(2020, 1, 1))
    dialog.export()
    assert "ends before it starts" in dialog.error.text()
    dialog.end.setDate(date(2026, 11, 22))
    qtbot.keyClicks(dialog.picker.search, "zzzz")
    dialog.export()
    assert "Choose an account" in dialog.error.text()
    assert fake_export.requests == []


def test_after_the_export_open_shows_the_deck_and_show_in_folder_the_folder(
    qtbot: QtBot,
    context: AppContext,
    tmp_path: Path,
    fake_export: FakeExport,
    opened: list[Path],
) -> None:
    folder = tmp_path / "out"
    dialog = _dialog(qtbot, context)
    dialog.formats["png"].setChecked(True)
    dialog.folder.setText(str(folder))
    dialog.export_button.click()
    assert dialog.pages.currentIndex() == 1
    assert dialog.done_message.text() == f"Exported 3 files to {folder}"
    dialog.open_button.click()
    dialog.show_folder_button.click()
    assert opened == [folder / "Acme - business review.pptx", folder]
    dialog.close_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_without_a_deck_open_shows_the_folder(
    qtbot: QtBot, context: AppContext, tmp_path: Path, fake_export: FakeExport, opened: list[Path]
) -> None:
    dialog = _dialog(qtbot, context)
    for kind, box in dialog.formats.items():
        box.setChecked(kind == "svg")
    dialog.folder.setText(str(tmp_path))
    dialog.export_button.click()
    dialog.open_button.click()
    assert opened == [tmp_path]


def test_a_failed_export_shows_its_sentence_and_can_be_tried_again(
    qtbot: QtBot, context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> list[Path]:
        raise ExportError("The template is a .potx: save it as a .pptx and choose that.")

    monkeypatch.setattr(review, "export_review", refuse)
    dialog = _dialog(qtbot, context)
    dialog.folder.setText(str(tmp_path))
    dialog.export_button.click()
    assert dialog.error.text() == "The template is a .potx: save it as a .pptx and choose that."
    assert "Traceback" not in dialog.error.text()
    assert dialog.pages.currentIndex() == 0 and dialog.export_button.isEnabled()


def test_cancel_stops_the_export_and_keeps_the_dialog_open(
    qtbot: QtBot, context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, context)

    def slow(store: Store, request: ReviewRequest, *, progress: Progress) -> list:
        progress(0, 3, "Drawing the charts")
        assert dialog.running() and not dialog.export_button.isEnabled()
        dialog.cancel_button.click()  # the user presses Cancel while the work runs
        progress(1, 3, "Writing the PowerPoint file")  # the next check stops it
        raise AssertionError("not cancelled")

    monkeypatch.setattr(review, "export_review", slow)
    dialog.folder.setText(str(tmp_path))
    dialog.setResult(-1)  # neither accepted nor rejected yet
    dialog.export_button.click()
    assert dialog.status.text() == "Cancelled: no file was kept."
    assert dialog.error.text() == "" and dialog.result() == -1 and not dialog.running()
    dialog.cancel_button.click()  # nothing runs now: Cancel closes
    assert dialog.result() == dialog.DialogCode.Rejected


def test_an_accounts_internal_review_carries_its_contact_map_and_the_customers_never(
    qtbot: QtBot, context: AppContext, fake_export: FakeExport, tmp_path: Path
) -> None:
    from am_desktop.services import catalog

    account = catalog.accounts.create(context.store, {"name": "Mapped"}).id
    catalog.contacts.create(
        context.store, {"account_id": account, "first_name": "Dana", "last_name": "Reyes"}
    )
    dialog = _dialog(qtbot, context, account_id=account, accounts=[(account, "Mapped", None)])
    dialog.folder.setText(str(tmp_path))
    dialog.export_button.click()  # for the customer: no map
    qtbot.waitUntil(lambda: len(fake_export.requests) == 1)
    assert fake_export.requests[0].contact_map is None
    dialog = _dialog(qtbot, context, account_id=account, accounts=[(account, "Mapped", None)])
    dialog.folder.setText(str(tmp_path))
    dialog.audiences[Audience.INTERNAL].click()
    dialog.export_button.click()
    qtbot.waitUntil(lambda: len(fake_export.requests) == 2)
    picture = fake_export.requests[1].contact_map
    assert picture is not None and picture.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_window_writes_a_real_review_and_opens_the_powerpoint(
    qtbot: QtBot, context: AppContext, tmp_path: Path, opened: list[Path]
) -> None:
    """End to end, no fake: the dialog, the worker, the export and the files."""
    from pptx import Presentation

    from am_desktop.services import catalog

    account = catalog.accounts.create(context.store, {"name": "Initech"}).id
    catalog.objectives.create(
        context.store, {"account_id": account, "title": "Roll out SSO", "status": "on_track"}
    )
    dialog = _dialog(qtbot, context, account_id=account, accounts=[(account, "Initech", None)])
    dialog.folder.setText(str(tmp_path / "reviews"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=30_000)
    written = sorted(p.name for p in (tmp_path / "reviews").iterdir())
    assert written == ["Initech - business review.pdf", "Initech - business review.pptx"]
    deck = Presentation(str(tmp_path / "reviews" / "Initech - business review.pptx"))
    assert "Roll out SSO" in "\n".join(
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )
    dialog.open_button.click()
    assert opened == [tmp_path / "reviews" / "Initech - business review.pptx"]
    dialog.close_button.click()
