"""CSV and JSON export of every KIND, in the same columns import reads.

An exported file imports back without change (kinds whose natural key can repeat carry
``uid``). CSV cells that a spreadsheet would run as a formula are neutralised; JSON is a list
of objects with the CSV columns plus ``uid``, its values raw, since it is data for programs.
Rows stream from the database, so a million notes never sit in memory at once.
"""

from __future__ import annotations

import csv
import enum
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from am_desktop import log
from am_desktop.db.models import (
    Account,
    ArrMovement,
    Contact,
    Contract,
    Note,
    NoteAttendee,
    SurveyResponse,
    UsageSample,
)
from am_desktop.domain.cancel import CancelToken
from am_desktop.domain.csv_formats import FORMATS, neutralise_formula
from am_desktop.domain.money import exponent
from am_desktop.domain.values import format_money
from am_desktop.errors import ValidationError
from am_desktop.services import summaries
from am_desktop.services.files import replacing
from am_desktop.services.ledger import arr_by_account
from am_desktop.services.store import Store

FORMATS_OUT = ("csv", "json")
#: Columns holding cents, written as decimal amounts.
_MONEY_COLUMNS = frozenset({"arr", "amount"})
_BATCH = 2000


def _account_ref() -> Any:
    """How rows name their account: the domain when it has one (unambiguous), else the name."""
    return func.coalesce(Account.domain, Account.name).label("account")


def _accounts_query(_today: date) -> Select[Any]:
    """Accounts with their id; the ``arr`` column is filled by :func:`_accounts_arr` (the one
    rule of ``services/summaries``), not here."""
    return (
        select(
            Account.id,
            Account.uid,
            Account.name,
            Account.domain,
            Account.industry,
            Account.segment,
            Account.tier,
            Account.owner,
            Account.customer_since,
            Account.checkin_cadence_days,
            Account.external_id,
            Account.currency,
        )
        .where(Account.archived_at.is_(None))
        .order_by(Account.id)
    )


def _contacts_query(_today: date) -> Select[Any]:
    manager = aliased(Contact)
    return (
        select(
            Contact.uid,
            _account_ref(),
            Contact.first_name,
            Contact.last_name,
            Contact.email,
            Contact.phone,
            Contact.title,
            Contact.role,
            Contact.sentiment,
            Contact.influence,
            manager.email.label("reports_to"),
        )
        .join(Account, Account.id == Contact.account_id)
        .outerjoin(manager, manager.id == Contact.reports_to_id)
        .where(Contact.archived_at.is_(None))
        .order_by(Contact.id)
    )


def _contracts_query(_today: date) -> Select[Any]:
    return (
        select(
            Contract.uid,
            _account_ref(),
            Contract.name,
            Contract.start_date,
            Contract.end_date,
            Contract.arr_cents.label("arr"),
            Contract.currency,
            Contract.auto_renew,
            Contract.notice_days,
        )
        .join(Account, Account.id == Contract.account_id)
        .where(Contract.archived_at.is_(None))
        .order_by(Contract.id)
    )


def _arr_query(_today: date) -> Select[Any]:
    return (
        select(
            ArrMovement.uid,
            _account_ref(),
            ArrMovement.occurred_on.label("date"),
            ArrMovement.type,
            ArrMovement.amount_cents.label("amount"),
            ArrMovement.currency,
        )
        .join(Account, Account.id == ArrMovement.account_id)
        .where(ArrMovement.archived_at.is_(None))
        .order_by(ArrMovement.occurred_on, ArrMovement.id)
    )


def _notes_query(_today: date) -> Select[Any]:
    attendee = aliased(Contact)
    attendees = (
        select(
            NoteAttendee.note_id,
            func.group_concat(func.coalesce(NoteAttendee.email, attendee.email), ";").label(
                "attendees"
            ),
        )
        .outerjoin(attendee, attendee.id == NoteAttendee.contact_id)
        .group_by(NoteAttendee.note_id)
        .subquery()
    )
    return (
        select(
            Note.uid,
            _account_ref(),
            Note.occurred_at,
            Note.kind,
            Note.title,
            Note.body,
            attendees.c.attendees,
        )
        .join(Account, Account.id == Note.account_id)
        .outerjoin(attendees, attendees.c.note_id == Note.id)
        .where(Note.archived_at.is_(None))
        .order_by(Note.occurred_at, Note.id)
    )


def _surveys_query(_today: date) -> Select[Any]:
    return (
        select(
            SurveyResponse.uid,
            _account_ref(),
            SurveyResponse.responded_on.label("date"),
            SurveyResponse.kind,
            SurveyResponse.score,
            SurveyResponse.contact_email,
            SurveyResponse.comment,
        )
        .join(Account, Account.id == SurveyResponse.account_id)
        .where(SurveyResponse.archived_at.is_(None))
        .order_by(SurveyResponse.responded_on, SurveyResponse.id)
    )


def _usage_query(_today: date) -> Select[Any]:
    return (
        select(
            UsageSample.uid,
            _account_ref(),
            UsageSample.sampled_on.label("date"),
            UsageSample.active_users,
            UsageSample.licensed_seats,
        )
        .join(Account, Account.id == UsageSample.account_id)
        .where(UsageSample.archived_at.is_(None))
        .order_by(UsageSample.sampled_on, UsageSample.id)
    )


QUERIES: dict[str, Callable[[date], Select[Any]]] = {
    "accounts": _accounts_query,
    "contacts": _contacts_query,
    "contracts": _contracts_query,
    "arr": _arr_query,
    "notes": _notes_query,
    "surveys": _surveys_query,
    "usage": _usage_query,
}


def _cell(column: str, value: object, currency: object = "USD") -> str:  # noqa: PLR0911
    """A value as CSV text (the form import reads back); amounts in ``currency``'s units."""
    if value is None:
        return ""
    if column in _MONEY_COLUMNS:
        return format_money(int(value), exponent(str(currency)))  # type: ignore[call-overload]
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json_value(column: str, value: object, currency: object = "USD") -> str:
    """A value as a JSON literal: amounts exact as decimal numbers, attendees as a list."""
    if value is None:
        return "null"
    if column in _MONEY_COLUMNS:
        return format_money(int(value), exponent(str(currency)))  # type: ignore[call-overload]
    if column == "attendees":
        return json.dumps(str(value).split(";"), ensure_ascii=False)
    if isinstance(value, bool | int):
        return json.dumps(value)
    return json.dumps(_cell(column, value), ensure_ascii=False)


def _rows(store: Store, kind: str, today: date) -> Iterator[Mapping[Any, Any]]:
    arrs = arr_by_account(store, today) if kind == "accounts" else {}
    with store.read() as session:
        result = session.execute(QUERIES[kind](today).execution_options(yield_per=_BATCH))
        for row in result:
            if kind != "accounts":
                yield row._mapping
                continue
            account = dict(row._mapping)
            account["arr"] = _accounts_arr(session, account, arrs, today)
            yield account


def _accounts_arr(
    session: Session, account: Mapping[str, Any], arrs: Mapping[int, int | None], today: date
) -> int | None:
    """An account's ARR by the one rule (``ledger.arr_by_account``: its own currency, foreign
    movements converted); None (an empty cell) when a rate is missing, with fx's sentence in
    the export log, never a raw sum."""
    arr = arrs.get(account["id"], 0)
    if arr is None:
        why = summaries.arr_problem(session, account["id"], today)
        log.export.warning("ARR of account %s left empty: %s", account["name"], why)
    return arr


def export_records(
    store: Store,
    kind: str,
    out: IO[str],
    *,
    fmt: str = "csv",
    today: date | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Write every live record of ``kind`` to ``out`` as CSV or JSON.

    Returns:
        How many records were written.

    Raises:
        ValidationError: unknown kind or format.
    """
    if kind not in QUERIES:
        raise ValidationError(f"Unknown kind '{kind}'. Choose one of: {', '.join(QUERIES)}.")
    if fmt not in FORMATS_OUT:
        raise ValidationError(f"Unknown format '{fmt}'. Choose csv or json.")
    columns = [c.name for c in FORMATS[kind]]
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for count, row in enumerate(_rows(store, kind, today or date.today()), start=1):
            code = row.get("currency", "USD")
            writer.writerow([neutralise_formula(_cell(c, row[c], code)) for c in columns])
            if cancel and count % _BATCH == 0:
                cancel.raise_if_cancelled()
        return count
    json_columns = ["uid", *(c for c in columns if c != "uid")]
    out.write("[")
    for count, row in enumerate(_rows(store, kind, today or date.today()), start=1):
        code = row.get("currency", "USD")
        fields = ", ".join(f"{json.dumps(c)}: {_json_value(c, row[c], code)}" for c in json_columns)
        out.write(("\n  " if count == 1 else ",\n  ") + "{" + fields + "}")
        if cancel and count % _BATCH == 0:
            cancel.raise_if_cancelled()
    out.write("\n]\n" if count else "]\n")
    return count


def export_to_file(
    store: Store,
    kind: str,
    path: Path,
    *,
    fmt: str = "csv",
    cancel: CancelToken | None = None,
) -> int:
    """Export to ``path``; the file appears only once complete (a failure leaves no half file).

    Raises:
        ExportError: the folder is missing or the file cannot be written.
    """
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as out:
        count = export_records(store, kind, out, fmt=fmt, cancel=cancel)
    return count
