"""The per-field three-way merge of CRM sync: every row of SYNC.md's table (issue 8)."""

from __future__ import annotations

import pytest

from am_desktop.domain.sync_merge import Action, merge_field, merge_record


@pytest.mark.parametrize(
    ("dirty", "base", "local", "remote", "action"),
    [
        (False, None, "a", "a", Action.SAME),  # nothing happened
        (False, None, "a", "b", Action.TAKE_REMOTE),  # only the CRM changed it
        (True, "a", "b", "a", Action.KEEP_LOCAL),  # only I changed it: mine goes out
        (True, "a", "b", "b", Action.CONVERGED),  # both made the same change
        (True, "a", "b", "c", Action.CONFLICT),  # both changed it differently
        (True, None, "b", None, Action.KEEP_LOCAL),  # I filled an empty field
        (True, "a", None, "c", Action.CONFLICT),  # I cleared it, they changed it
    ],
)
def test_each_row_of_the_merge_table(
    dirty: bool, base: str | None, local: str | None, remote: str | None, action: Action
) -> None:
    merged = merge_field("name", local, remote, dirty=dirty, base=base)
    assert merged.action is action
    assert (merged.local, merged.remote) == (local, remote)


def test_a_record_merges_field_by_field() -> None:
    merged = merge_record(
        {"name": "Mine", "domain": "a.com", "industry": "Retail"},
        {"name": "Theirs", "domain": "b.com", "industry": "Retail"},
        bases={"name": "Old"},
    )
    actions = {m.field: m.action for m in merged}
    assert actions == {
        "name": Action.CONFLICT,
        "domain": Action.TAKE_REMOTE,
        "industry": Action.SAME,
    }
    (conflict,) = [m for m in merged if m.action is Action.CONFLICT]
    assert (conflict.base, conflict.local, conflict.remote) == ("Old", "Mine", "Theirs")
