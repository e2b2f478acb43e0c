"""The portfolio list: which accounts match a query, in what order, and their rows.

Filtering and sorting happen in SQL over ``account`` and its summary cache, so the list stays
within a keystroke at 10,000 accounts; rows are fetched by id, a page at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from am_desktop.db.connection import datetime_from_db
from am_desktop.domain.enums import HealthBand, Segment, Tier
from am_desktop.domain.portfolio import AccountRow, PortfolioQuery, SavedFilter, SortKey
from am_desktop.errors import NotFoundError, ValidationError
from am_desktop.services import summaries
from am_desktop.services.store import Store

_LATEST_HEALTH = (
    "(SELECT h.{column} FROM health_snapshot h WHERE h.account_id = a.id "
    "ORDER BY h.computed_at DESC LIMIT 1)"
)
_HEALTH_SCORE = _LATEST_HEALTH.format(column="score")
#: The score a week ago (the newest computed before the day given as the query's first value).
_HEALTH_BEFORE = (
    "(SELECT h.score FROM health_snapshot h WHERE h.account_id = a.id AND h.computed_at < ? "
    "ORDER BY h.computed_at DESC LIMIT 1)"
)
#: How many days back the health trend looks.
TREND_DAYS = 7
_HEALTH_BAND = _LATEST_HEALTH.format(column="band")
_NEXT_CHECKIN = "date(a.last_touch_at, 'localtime', '+' || a.checkin_cadence_days || ' days')"

#: How each column sorts: the value, and whether empty values must stay at the end.
_SORT_SQL: dict[SortKey, tuple[str, bool]] = {
    SortKey.NAME: ("a.name COLLATE NOCASE", False),
    SortKey.TIER: ("CASE a.tier WHEN 'strategic' THEN 0 WHEN 'key' THEN 1 ELSE 2 END", False),
    SortKey.SEGMENT: (
        "CASE a.segment WHEN 'enterprise' THEN 0 WHEN 'mid_market' THEN 1 WHEN 'smb' THEN 2 END",
        True,
    ),
    SortKey.OWNER: ("a.owner COLLATE NOCASE", True),
    SortKey.ARR: ("s.arr_cents", True),  # NULL: a movement's rate is missing
    SortKey.HEALTH: (_HEALTH_SCORE, True),
    SortKey.NEXT_RENEWAL: ("s.next_renewal_on", True),
    SortKey.LAST_TOUCH: ("a.last_touch_at", True),
    SortKey.NEXT_CHECKIN: (_NEXT_CHECKIN, True),
}

_FROM = "FROM account a LEFT JOIN account_summary s ON s.account_id = a.id"


def _saved_where(saved: SavedFilter) -> str:
    """The SQL condition of a saved filter (named parameters ``:today`` and ``:in90``)."""
    return {
        SavedFilter.ALL: "a.archived_at IS NULL",
        SavedFilter.STRATEGIC: "a.archived_at IS NULL AND a.tier = 'strategic'",
        SavedFilter.RENEWING_90: (
            "a.archived_at IS NULL AND s.next_renewal_on BETWEEN :today AND :in90"
        ),
        SavedFilter.AT_RISK: f"a.archived_at IS NULL AND {_HEALTH_BAND} = 'at_risk'",
        SavedFilter.CHECKIN_OVERDUE: (
            f"a.archived_at IS NULL AND (a.last_touch_at IS NULL OR {_NEXT_CHECKIN} < :today)"
        ),
        SavedFilter.ARCHIVED: "a.archived_at IS NOT NULL",
    }[saved]


def _params(today: date) -> dict[str, str]:
    return {"today": today.isoformat(), "in90": (today + timedelta(days=90)).isoformat()}


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_where(text: str) -> str:
    if not text.strip():
        return ""
    return (
        " AND (a.name LIKE :text ESCAPE '\\' OR a.domain LIKE :text ESCAPE '\\' "
        "OR a.industry LIKE :text ESCAPE '\\' OR a.owner LIKE :text ESCAPE '\\')"
    )


def refresh_if_stale(store: Store, today: date) -> bool:
    """Bring the summary cache to ``today`` (a write; ~0.1 s at 10,000 accounts)."""
    with store.raw() as connection:
        if not summaries.is_stale(connection, today):
            return False
    with store.raw(write=True) as connection:
        return summaries.ensure_fresh(connection, today)


def account_ids(
    store: Store,
    query: PortfolioQuery,
    today: date,
    arr_factors: Mapping[str, float] | None = None,
) -> list[int]:
    """The ids of the accounts ``query`` shows, in its order.

    ``arr_factors`` (reporting minor units per minor unit of each currency) sorts ARR on the
    reporting figure, so €100k and $100k do not tie; an account whose currency has no factor
    (no rate) sorts last, as a missing value does.
    """
    params: dict[str, Any] = {**_params(today), "text": _like(query.text.strip())}
    value, nulls_last = _SORT_SQL[query.sort]
    if query.sort is SortKey.ARR and arr_factors is not None:
        value, nulls_last = _converted_arr(arr_factors, params), True
    order = f"{value}{' DESC' if query.descending else ''}"
    if nulls_last:  # an empty value sorts last both ways: it is missing, not small
        order = f"{value} IS NULL, {order}"
    where = f"{_saved_where(query.saved)}{_text_where(query.text)}"
    tail = "" if query.sort is SortKey.NAME else ", a.name COLLATE NOCASE"
    # The summary join costs a third of the query; only ARR, renewal sorts and filters need it.
    source = _FROM if "s." in where + order else "FROM account a"
    sql = f"SELECT a.id {source} WHERE {where} ORDER BY {order}{tail}, a.id"
    with store.raw() as connection:
        return [row[0] for row in connection.execute(sql, params)]


def _converted_arr(factors: Mapping[str, float], params: dict[str, Any]) -> str:
    """ARR in the reporting currency as SQL (NULL without a factor); adds its parameters."""
    cases = []
    for index, (currency, factor) in enumerate(sorted(factors.items())):
        params[f"fx_code_{index}"], params[f"fx_factor_{index}"] = currency, factor
        cases.append(f"WHEN :fx_code_{index} THEN :fx_factor_{index}")
    if not cases:
        return "NULL"
    return f"(s.arr_cents * CASE a.currency {' '.join(cases)} END)"


def filter_counts(store: Store, today: date) -> dict[SavedFilter, int]:
    """How many accounts each saved filter shows (for the sidebar)."""
    parts = ", ".join(f"SUM(CASE WHEN {_saved_where(f)} THEN 1 ELSE 0 END)" for f in SavedFilter)
    with store.raw() as connection:
        found = connection.execute(f"SELECT {parts} {_FROM}", _params(today)).fetchone()
    return {saved: int(count or 0) for saved, count in zip(SavedFilter, found, strict=True)}


_ROW_SQL = (
    "SELECT a.id, a.name, a.domain, a.industry, a.tier, a.segment, a.owner, "
    "CASE WHEN s.account_id IS NULL THEN 0 ELSE s.arr_cents END, "  # NULL: a rate is missing
    f"{_HEALTH_SCORE}, {_HEALTH_BAND}, s.next_renewal_on, "
    f"a.last_touch_at, {_NEXT_CHECKIN}, a.archived_at IS NOT NULL, {_HEALTH_BEFORE}, a.currency "
    f"{_FROM} WHERE a.id IN "
)


def _row(record: Sequence[Any], today: date) -> AccountRow:
    renewal = date.fromisoformat(record[10]) if record[10] else None
    return AccountRow(
        id=record[0],
        name=record[1],
        domain=record[2],
        industry=record[3],
        tier=Tier(record[4]),
        segment=Segment(record[5]) if record[5] else None,
        owner=record[6],
        arr_cents=None if record[7] is None else int(record[7]),
        health_score=record[8],
        health_band=HealthBand(record[9]) if record[9] else None,
        next_renewal_on=renewal,
        days_to_renewal=(renewal - today).days if renewal else None,
        last_touch_at=datetime_from_db(record[11]) if record[11] else None,
        next_checkin_on=date.fromisoformat(record[12]) if record[12] else None,
        archived=bool(record[13]),
        health_change=record[8] - record[14] if None not in (record[8], record[14]) else None,
        currency=record[15],
    )


def account_rows(store: Store, ids: Sequence[int], today: date) -> dict[int, AccountRow]:
    """The rows of ``ids`` (any that no longer exist are left out)."""
    found: dict[int, AccountRow] = {}
    with store.raw() as connection:
        for start in range(0, len(ids), 500):
            chunk = [int(i) for i in ids[start : start + 500]]
            sql = _ROW_SQL + f"({', '.join('?' * len(chunk))})"
            week_ago = (today - timedelta(days=TREND_DAYS - 1)).isoformat()
            for record in connection.execute(sql, [week_ago, *chunk]):
                found[record[0]] = _row(record, today)
        for account_id, row in found.items():
            if row.arr_cents is None:  # rare: say why, as the workspace header does
                why = summaries.arr_problem(connection, account_id, today)
                found[account_id] = replace(row, arr_problem=why)
    return found


def account_names(store: Store) -> list[tuple[int, str, str | None]]:
    """``(id, name, domain)`` of every account not archived, by name: the palette's list.

    Only three short columns, so the palette can hold the whole portfolio and rank it on
    every keystroke without going back to the database.
    """
    sql = (
        "SELECT a.id, a.name, a.domain FROM account a WHERE a.archived_at IS NULL "
        "ORDER BY a.name COLLATE NOCASE, a.id"
    )
    with store.raw() as connection:
        return [(int(row[0]), str(row[1]), row[2]) for row in connection.execute(sql)]


def is_empty(store: Store) -> bool:
    """Whether the database holds no account at all, archived ones included: a new database,
    which the self-test fills with sample data."""
    with store.raw() as connection:
        return connection.execute("SELECT 1 FROM account LIMIT 1").fetchone() is None


def find_account(store: Store, text: str) -> int:
    """The account named ``text``, or whose web domain it is (any case).

    Raises:
        NotFoundError: no such account.
        ValidationError: several accounts have that name.
    """
    wanted = text.strip()
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT id, name, domain FROM account WHERE archived_at IS NULL "
            "AND (name = ?1 COLLATE NOCASE OR domain = ?1 COLLATE NOCASE) ORDER BY id",
            (wanted,),
        ).fetchall()
    if not rows:
        raise NotFoundError(f'No account is named "{wanted}" or has that web domain.')
    if len(rows) > 1:
        named = ", ".join(f"{name} ({domain or 'no domain'})" for _id, name, domain in rows[:5])
        raise ValidationError(
            f'Several accounts match "{wanted}": {named}. Give the web domain instead.'
        )
    return int(rows[0][0])
