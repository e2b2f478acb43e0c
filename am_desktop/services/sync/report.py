"""What a sync run did, for the status bar and the command line (issue 8)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncReport:
    """Counts of a run, and the problems worth telling the account manager about."""

    pulled: int = 0
    created_locally: int = 0
    pushed: int = 0
    created_remotely: int = 0
    archived: int = 0
    conflicts: int = 0
    problems: list[str] = field(default_factory=list)
    #: The CRM's own stage names (Salesforce's StageName picklist; [] for a fixed map), kept
    #: by the caller for the stage map Preferences edits.
    stage_values: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"pulled {self.pulled + self.created_locally}, pushed "
            f"{self.pushed + self.created_remotely}, {self.conflicts} in conflict"
        )
