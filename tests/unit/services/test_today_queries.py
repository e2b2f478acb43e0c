"""Today's cheaper reads (issue 17) list exactly what they listed: check-ins decided by the
local day at the cutoff (a zone with DST), and the renewals' count read apart from the rows."""

from __future__ import annotations

from datetime import date, timedelta

from am_desktop.services import catalog
from am_desktop.services.renewal_queries import first_upcoming, upcoming
from am_desktop.services.store import Store
from am_desktop.services.today import today_lists
from tests.support.local_clock import local, new_york_clock  # noqa: F401 - autouse

TODAY = date(2026, 12, 3)


def test_a_check_in_is_due_the_day_after_its_cadence_on_the_local_calendar(store: Store) -> None:
    """30 days' cadence: touched on 2 Nov (local) is due 2 Dec, overdue today; touched on 3 Nov
    is due today, not overdue, even at 00:30 local (05:30 UTC) or 23:59 on 2 Nov (04:59 UTC
    on the 3rd); never touched is listed last; an archived account is never listed."""
    touched = {
        "Late evening": local(2026, 11, 2, 23, 59),
        "Long ago": local(2026, 6, 1, 12, 0),
        "Just in time": local(2026, 11, 3, 0, 30),
        "Recent": local(2026, 11, 30, 9, 0),
    }
    for name, moment in touched.items():
        catalog.accounts.create(
            store, {"name": name, "last_touch_at": moment, "checkin_cadence_days": 30}
        )
    catalog.accounts.create(store, {"name": "Never", "checkin_cadence_days": 30})
    gone = catalog.accounts.create(
        store, {"name": "Archived", "last_touch_at": local(2026, 1, 1, 9, 0)}
    ).id
    catalog.accounts.archive(store, gone)

    lists = today_lists(store, TODAY)

    assert [(c.account, c.due) for c in lists.check_ins] == [
        ("Long ago", date(2026, 7, 1)),
        ("Late evening", date(2026, 12, 2)),
        ("Never", None),
    ]
    assert lists.totals["check_ins"] == 3
    assert [c.account for c in today_lists(store, TODAY, limit=1).check_ins] == ["Long ago"]
    assert today_lists(store, TODAY, limit=1).totals["check_ins"] == 3


def test_the_renewals_count_is_right_whether_the_page_is_short_full_or_cut(store: Store) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    for ends_in in (5, 20, 40):
        end = TODAY + timedelta(days=ends_in)
        made = catalog.contracts.create(
            store,
            {"account_id": acme, "start_date": end - timedelta(days=364), "end_date": end,
             "arr_cents": 100_000},
        )  # fmt: skip
        catalog.renewals.create(store, {"contract_id": made.id, "stage": "proposal"})
    soon = upcoming(store, TODAY, 90)
    assert len(soon) == 3
    for limit in (2, 3, 4):
        rows, total = first_upcoming(store, TODAY, 90, limit)
        assert (rows, total) == (soon[:limit], 3)
