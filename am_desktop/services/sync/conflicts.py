"""Conflicts left by CRM sync, and settling them: keep mine, take theirs, or a value of the
account manager's own (SYNC.md 4.5; issue 8). Nothing is thrown away until they choose.

Settling needs no network: it changes the local record and what the next run sends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Literal

from am_desktop.errors import NotFoundError, StaleRecordError, ValidationError
from am_desktop.services.store import Store
from am_desktop.services.sync import state as st
from am_desktop.services.sync.fields import AMOUNTS, KINDS, stored

Take = Literal["local", "remote", "edit"]
_LABEL = {
    "account": "SELECT name FROM account WHERE id = ?",
    "contact": "SELECT trim(coalesce(first_name, '') || ' ' || last_name) FROM contact "
    "WHERE id = ?",
    "opportunity": "SELECT name FROM opportunity WHERE id = ?",
    "renewal": "SELECT a.name || ' renewal' FROM renewal r JOIN contract c ON c.id = r.contract_id "
    "JOIN account a ON a.id = c.account_id WHERE r.id = ?",
    "note": "SELECT coalesce(title, substr(body, 1, 40)) FROM note WHERE id = ?",
}


@dataclass(frozen=True, slots=True)
class Conflict:
    """One open conflict: a field both sides changed, or a record one side deleted."""

    id: int
    obj: str
    local_id: int
    record: str
    field: str | None
    kind: str
    base: Any
    local: Any
    remote: Any
    #: Each side's currency ("base", "local", "remote") for a record that has one: its amounts
    #: are minor units of it (each side's own while the currency itself is in conflict).
    currencies: dict[str, str] = dataclass_field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "record": self.record,
            "kind": self.obj,
            "local_id": self.local_id,
            "field": self.field,
            "conflict": self.kind,
            "base": self.base,
            "local": self.local,
            "remote": self.remote,
        }


def list_conflicts(
    store: Store, obj: str | None = None, local_id: int | None = None
) -> list[Conflict]:
    """Open conflicts, oldest first (of one record when given)."""
    where, params = "1", []  # type: tuple[str, list[Any]]
    if obj is not None and local_id is not None:
        where, params = "obj = ? AND local_id = ?", [obj, local_id]
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT id, obj, local_id, field, kind, base, local, remote FROM sync_conflict "
            f"WHERE {where} ORDER BY id",
            params,
        ).fetchall()
        found = []
        for cid, kind_of, local, field, kind, base, recorded, theirs in rows:
            label = connection.execute(_LABEL[kind_of], (local,)).fetchone()
            mine, money = recorded, {}
            if field is not None:  # "mine" as the record has it now (edited since, perhaps)
                record = st.local_records(connection, kind_of, [int(local)]).get(int(local))
                if record is not None and field in record.fields:
                    mine = json.dumps(record.fields[field])
                if record is not None:
                    money = _currencies(connection, record)
            found.append(
                Conflict(
                    int(cid),
                    kind_of,
                    int(local),
                    str(label[0]) if label else f"{kind_of} {local}",
                    field,
                    kind,
                    _load(base),
                    _load(mine),
                    _load(theirs),
                    money,
                )
            )
    return found


def _currencies(connection: Any, record: st.LocalRecord) -> dict[str, str]:
    """The currency of each side's amounts: mine in the record's; base and theirs in the
    agreed one (the CRM's amounts are read in it while a new currency waits to be sent), or
    each side's own while the currency itself is in conflict."""
    own = record.fields.get("currency")
    if not own:
        return {}
    clash = connection.execute(
        "SELECT base, remote FROM sync_conflict WHERE obj = ? AND local_id = ? "
        "AND field = 'currency'",
        (record.obj, record.local_id),
    ).fetchone()
    if clash is not None:
        base, theirs = (_load(value) for value in clash)
        return {"base": base or own, "local": own, "remote": theirs or own}
    agreed = st.changes_of(connection, record.obj, record.local_id).get("currency", (None, 0))[0]
    return {"base": agreed or own, "local": own, "remote": agreed or own}


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def resolve(
    store: Store,
    conflict_id: int,
    take: Take,
    value: Any = None,
    *,
    seen: Conflict | None = None,
) -> None:
    """Settle a conflict.

    Field conflicts: ``local`` keeps my value and sends it next time; ``remote`` takes theirs;
    ``edit`` stores ``value`` (canonical) and sends it. Record conflicts (``field`` None):
    after a remote deletion, ``local`` keeps the record and creates it in the CRM again,
    ``remote`` archives it here; after a local deletion, ``local`` archives it in the CRM,
    ``remote`` restores it here.

    An opportunity's stage that closes or reopens it goes through the app's own service, so
    the ARR ledger follows (a refused win stays open, with the service's reason).

    Args:
        seen: the conflict as the account manager saw it; if the CRM's value or the record
            changed since, nothing is settled (they should look again).

    Raises:
        NotFoundError: no such open conflict (settled elsewhere).
        StaleRecordError: ``seen`` is out of date.
        ValidationError: ``edit`` of a record conflict; a refused stage.
    """
    if seen is not None:
        now = next((c for c in list_conflicts(store, seen.obj, seen.local_id) if c.id == seen.id),
                   None)  # fmt: skip
        if now is None:
            raise NotFoundError("This conflict was settled elsewhere in the meantime.")
        if (now.local, now.remote) != (seen.local, seen.remote):
            raise StaleRecordError(
                "This record changed here or in the CRM since you looked: check the values "
                "again, then choose."
            )
    if _settle_stage(store, conflict_id, take, value):
        return
    with store.raw(write=True) as connection:
        row = connection.execute(
            "SELECT obj, local_id, field, kind, remote FROM sync_conflict WHERE id = ?",
            (conflict_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError("This conflict was settled elsewhere in the meantime.")
        obj, local_id, field, kind, remote_text = row
        remote = _load(remote_text)
        if field is None:
            if take == "edit":
                raise ValidationError("A deleted record can be kept or let go, not edited.")
            _resolve_record(connection, obj, local_id, kind, take)
        else:
            _resolve_field(connection, obj, local_id, field, take, remote=remote, value=value)
        connection.execute("DELETE FROM sync_conflict WHERE id = ?", (conflict_id,))


def _settle_stage(store: Store, conflict_id: int, take: Take, value: Any) -> bool:
    """An opportunity's stage conflict whose choice closes or reopens it: through the pipeline
    service (the ledger follows). False when the conflict is not that."""
    with store.raw() as connection:
        row = connection.execute(
            "SELECT obj, local_id, field, remote FROM sync_conflict WHERE id = ?", (conflict_id,)
        ).fetchone()
        if row is None or (row[0], row[2]) != ("opportunity", "stage"):
            return False
        local = st.local_records(connection, "opportunity", [int(row[1])]).get(int(row[1]))
    if local is None:
        return False
    chosen = _load(row[3]) if take == "remote" else value if take == "edit" else None
    closed = ("won", "lost")
    if chosen is None or (chosen in closed) == (local.fields.get("stage") in closed):
        return False
    from datetime import date

    from am_desktop.domain.enums import OpportunityStage
    from am_desktop.services.pipeline import close_opportunity, reopen_opportunity

    if chosen in closed:
        close_opportunity(store, local.local_id, won=chosen == "won", on=date.today())
    else:
        reopen_opportunity(store, local.local_id, OpportunityStage(chosen))
    with store.raw(write=True) as connection:
        st.clear_change(connection, "opportunity", local.local_id, "stage")
        connection.execute("DELETE FROM sync_conflict WHERE id = ?", (conflict_id,))
    return True


def _resolve_field(
    connection: Any, obj: str, local_id: int, field: str, take: Take, *, remote: Any, value: Any
) -> None:
    stored_remote = stored(obj, field, remote) if field in KINDS[obj] else remote
    if take == "remote":
        taken = {field: remote}
        if KINDS[obj].get(field) in AMOUNTS:
            taken.update(_their_currency(connection, obj, local_id))
        with st.applying(connection):
            st.write_fields(connection, obj, local_id, taken)
        for name in taken:
            st.clear_change(connection, obj, local_id, name)
        return
    if take == "edit":
        with st.applying(connection):
            st.write_fields(connection, obj, local_id, {field: value})
        if value == remote:
            st.clear_change(connection, obj, local_id, field)
            return
    st.set_base(connection, obj, local_id, field, stored_remote)  # theirs is the new base


def _their_currency(connection: Any, obj: str, local_id: int) -> dict[str, str]:
    """The currency theirs amount is in, when the record's is another (a currency changed
    here and not yet sent, or in conflict): taking their amount takes it too, or the amount
    would be read in the wrong currency (EUR 1,500.00 kept as JPY 150,000). A currency
    conflict of the record is then settled with it."""
    record = st.local_records(connection, obj, [local_id]).get(local_id)
    if record is None:
        return {}
    theirs = _currencies(connection, record).get("remote")
    if theirs is None or theirs == record.fields.get("currency"):
        return {}
    connection.execute(
        "DELETE FROM sync_conflict WHERE obj = ? AND local_id = ? AND field = 'currency'",
        (obj, local_id),
    )
    return {"currency": theirs}


def _resolve_record(connection: Any, obj: str, local_id: int, kind: str, take: Take) -> None:
    if kind == "deleted_remotely":
        if take == "local":  # create it again from my copy
            connection.execute(
                "DELETE FROM sync_link WHERE obj = ? AND local_id = ?", (obj, local_id)
            )
        else:
            with st.applying(connection):
                connection.execute(
                    f"UPDATE {obj} SET archived_at = ? WHERE id = ?", (st.now_text(), local_id)
                )
        connection.execute(
            "DELETE FROM sync_change WHERE obj = ? AND local_id = ?", (obj, local_id)
        )
        return
    # deleted locally while edited remotely
    if take == "local":  # archive it there too: agree on the remote's latest first
        connection.execute(
            "UPDATE sync_link SET remote_modified_ms = NULL WHERE obj = ? AND local_id = ?",
            (obj, local_id),
        )
    else:
        with st.applying(connection):
            connection.execute(f"UPDATE {obj} SET archived_at = NULL WHERE id = ?", (local_id,))
        connection.execute(
            "DELETE FROM sync_change WHERE obj = ? AND local_id = ?", (obj, local_id)
        )
        connection.execute(
            "UPDATE sync_link SET remote_modified_ms = NULL WHERE obj = ? AND local_id = ?",
            (obj, local_id),
        )
