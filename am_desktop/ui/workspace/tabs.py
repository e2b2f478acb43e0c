"""The tabs of an account's workspace, by key: code names a tab by its member, never by the
label the user reads."""

from __future__ import annotations

import enum


class WorkspaceTab(enum.Enum):
    """A tab of the workspace, in the order they are shown."""

    OVERVIEW = "overview"
    CONTACTS = "contacts"
    NOTES = "notes"
    OPPORTUNITIES = "opportunities"
    RENEWALS = "renewals"
    ISSUES = "issues"
    HEALTH = "health"

    @property
    def label(self) -> str:
        """The tab's text."""
        return _LABELS[self]


_LABELS = {
    WorkspaceTab.OVERVIEW: "Overview",
    WorkspaceTab.CONTACTS: "Contacts",
    WorkspaceTab.NOTES: "Notes",
    WorkspaceTab.OPPORTUNITIES: "Opportunities",
    WorkspaceTab.RENEWALS: "Renewals",
    WorkspaceTab.ISSUES: "Issues",
    WorkspaceTab.HEALTH: "Health",
}
