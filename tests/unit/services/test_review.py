"""The business review's data and deck, and the Dashboard's ledger reads (issue 7)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from am_desktop.charts import review as charts
from am_desktop.domain.deck import Audience, TableSlide
from am_desktop.domain.review_deck import build_deck
from am_desktop.errors import AppError, Cancelled
from am_desktop.exports.review import ReviewRequest, export_review
from am_desktop.services import catalog
from am_desktop.services.dashboard import period_data, standing_data
from am_desktop.services.review import review_data
from am_desktop.services.store import Store

START, END = date(2026, 1, 1), date(2026, 6, 30)


def move(store: Store, account: int, on: date, kind: str, amount: int) -> None:
    catalog.movements.create(
        store, {"account_id": account, "occurred_on": on, "type": kind, "amount_cents": amount}
    )


def texts(figure: Figure) -> list[str]:
    """Every piece of text a figure draws (titles, annotations, placeholders)."""
    found = [t.get_text() for t in figure.texts]
    for axes in figure.axes:
        found += [t.get_text() for t in axes.texts] + [axes.get_title(loc="left")]
    return found


def test_arr_by_month_is_the_ledger_at_each_month_end(store: Store) -> None:
    a = catalog.accounts.create(store, {"name": "A"}).id
    b = catalog.accounts.create(store, {"name": "B"}).id
    move(store, a, date(2025, 12, 31), "new", 100_00)  # before the period: the opening ARR
    move(store, a, date(2026, 1, 31), "expansion", 10_00)  # a month's last day
    move(store, b, date(2026, 2, 1), "new", 5_00)
    move(store, b, date(2026, 4, 15), "churn", 5_00)
    move(store, a, date(2026, 6, 30), "contraction", 20_00)  # the period's last day
    move(store, a, date(2026, 7, 1), "expansion", 999_00)  # after: not shown
    data = period_data(store, START, END)
    assert data.arr_by_month == (
        (date(2026, 1, 31), 110_00),
        (date(2026, 2, 28), 115_00),
        (date(2026, 3, 31), 115_00),
        (date(2026, 4, 30), 110_00),
        (date(2026, 5, 31), 110_00),
        (date(2026, 6, 30), 90_00),
    )
    assert data.kpis.ending_arr == 90_00


def test_ending_arr_is_every_accounts_arr_even_below_zero(store: Store) -> None:
    a = catalog.accounts.create(store, {"name": "A"}).id
    b = catalog.accounts.create(store, {"name": "B"}).id
    move(store, a, date(2026, 2, 1), "new", 100_00)
    move(store, b, date(2026, 2, 1), "contraction", 30_00)  # bad data: B goes negative
    data = period_data(store, START, END)
    assert data.kpis.ending_arr == 70_00 == data.arr_by_month[-1][1]  # tile and chart agree
    assert data.kpis.accounts_at_end == 1


def test_standing_data_reads_each_accounts_newest_score(store: Store) -> None:
    a = catalog.accounts.create(store, {"name": "A"}).id
    with store.raw(write=True) as connection:
        connection.executemany(
            "INSERT INTO health_snapshot (account_id, computed_at, score, band, components) "
            "VALUES (?, ?, ?, ?, '[]')",
            [(a, "2026-05-01 09:00:00.000000", 80, "healthy"),
             (a, "2026-06-01 09:00:00.000000", 30, "at_risk")],
        )  # fmt: skip
    now = standing_data(store, date(2026, 6, 2))
    assert now.bands == {"healthy": 0, "watch": 0, "at_risk": 1}
    assert [r.account_id for r in now.at_risk] == [a]


def test_an_account_without_arr_says_so_instead_of_a_flat_line(store: Store) -> None:
    a = catalog.accounts.create(store, {"name": "Quiet"}).id
    deck = build_deck(review_data(store, START, END, account_id=a), Audience.INTERNAL)
    arr = next(s for s in deck.charts if s.name == "arr")
    assert not arr.chart.has_data
    assert "No ARR recorded up to the end of this period." in texts(charts.chart_figure(arr))
    summary = next(s for s in deck.slides if isinstance(s, TableSlide))
    assert dict(summary.rows)["Ending ARR"] == "—"  # no data is a dash, never $0
    assert dict(summary.rows)["NPS"] == "—"


def test_health_is_scored_again_at_each_months_end_from_what_was_known_then(
    store: Store,
) -> None:
    a = catalog.accounts.create(store, {"name": "A", "checkin_cadence_days": 30}).id
    for day, score in ((date(2026, 1, 10), 2), (date(2026, 4, 10), 10)):
        catalog.surveys.create(
            store, {"account_id": a, "responded_on": day, "kind": "nps", "score": score}
        )
    catalog.escalations.create(
        store,
        {"account_id": a, "title": "Outage", "severity": "critical",
         "opened_on": date(2026, 2, 1), "resolved_on": date(2026, 3, 15), "status": "resolved"},
    )  # fmt: skip
    data = review_data(store, START, END, account_id=a, bands=(80.0, 50.0))
    days = [day for day, _ in data.health_trend]
    assert days == [
        date(2026, m, d) for m, d in ((1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30))
    ]
    scores = [value for _, value in data.health_trend]
    assert None not in scores and len(set(scores)) > 2  # a line, not one dot
    assert scores[1] < scores[0]  # the critical issue open at February's end costs points
    assert scores[3] > scores[2]  # April's 10 of 10 lifts it
    slide = next(s for s in build_deck(data, Audience.INTERNAL).charts if s.name == "health")
    assert "healthy from 80, at risk below 50" in slide.subtitle  # the user's bands
    assert slide.chart.series[0].values == tuple(scores)


def test_cancelling_while_the_review_is_written_leaves_the_folder_as_it_was(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "deck"
    folder.mkdir()
    kept = folder / "Portfolio - internal review.pdf"
    kept.write_bytes(b"last quarter's deck")
    request = ReviewRequest(None, START, END, folder, Audience.INTERNAL, ("pdf", "png"))
    steps: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, stage: str) -> None:
        steps.append((done, total, stage))
        if stage == "Writing the PDF deck" and done > total - 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_review(store, request, progress=progress)
    assert sorted(p.name for p in folder.iterdir()) == [kept.name]  # no PNG, no temporary file
    assert kept.read_bytes() == b"last quarter's deck"
    written = export_review(store, request)
    assert written[-1] == kept and kept.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)


def test_the_output_folder_is_made_and_bad_inputs_are_refused_before_writing(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "new" / "reviews"
    request = ReviewRequest(None, START, END, folder, Audience.INTERNAL, ("pdf",))
    assert [p.name for p in export_review(store, request)] == ["Portfolio - internal review.pdf"]
    logo = tmp_path / "logo.png"
    logo.write_text("not a picture")
    cut = tmp_path / "cut.png"
    cut.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    for bad, message in (
        (replace(request, formats=("gif",)), "not gif"),
        (replace(request, formats=()), "at least one kind of file"),
        (replace(request, logo=logo), "is not a PNG or JPEG picture"),
        (replace(request, logo=cut), "is not a PNG or JPEG picture"),  # looks like one
        (replace(request, logo=tmp_path / "gone.png"), "There is no logo file"),
        (replace(request, end=date(2025, 1, 1)), "ends before it starts"),
        (replace(request, folder=logo), "is a file, not a folder"),
    ):
        with pytest.raises(AppError) as caught:
            export_review(store, bad)
        assert message in caught.value.user_message
    assert [p.name for p in folder.iterdir()] == ["Portfolio - internal review.pdf"]


def test_a_jpeg_logo_is_on_the_pdf_and_the_powerpoint_cover(store: Store, tmp_path: Path) -> None:
    from io import BytesIO

    from PIL import Image
    from pptx import Presentation

    account = catalog.accounts.create(store, {"name": "Logo Co"}).id
    logo = tmp_path / "logo.jpg"
    Image.new("RGB", (120, 40), "navy").save(logo, "JPEG")
    request = ReviewRequest(account, START, END, tmp_path / "out", formats=("pptx", "pdf"),
                            logo=logo)  # fmt: skip
    deck, pdf = export_review(store, request)
    assert pdf.read_bytes().startswith(b"%PDF")
    cover = Presentation(str(deck)).slides[0]
    pictures = [s for s in cover.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1
    assert Image.open(BytesIO(pictures[0].image.blob)).size == (120, 40)


def test_health_at_each_months_end_counts_the_last_touch_made_by_then(store: Store) -> None:
    """A touch before the period and one inside it: each month's engagement follows the last
    touch on or before that month's end, never a later one."""
    from datetime import UTC, datetime

    from am_desktop.services.health_history import month_end_scores
    from am_desktop.services.notes import create_note

    a = catalog.accounts.create(store, {"name": "A", "checkin_cadence_days": 30}).id
    for when in (datetime(2025, 12, 20, 15, tzinfo=UTC), datetime(2026, 4, 10, 9, tzinfo=UTC)):
        create_note(store, {"account_id": a, "occurred_at": when, "body": "Call"})
    days = [date(2026, 1, 31), date(2026, 3, 31), date(2026, 4, 30)]
    (jan, jan_score), (mar, mar_score), (apr, apr_score) = month_end_scores(
        store, days, account_id=a
    )
    assert (jan, mar, apr) == tuple(days)
    assert jan_score is not None and mar_score is not None and apr_score is not None
    # engagement (weight 25) and open issues (15, none: 100) are the parts with data
    assert jan_score == 87.5  # 42 days since December's call: engagement 80
    assert mar_score == 37.5  # 101 days without a touch: engagement 0
    assert apr_score == 100.0  # April's call counts at April's end, not before
    portfolio = month_end_scores(store, days)
    assert [v for _d, v in portfolio] == [jan_score, mar_score, apr_score]  # one account
