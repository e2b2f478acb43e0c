"""An account's workspace: a header and one class per tab, each following the change feed
for what it shows (issue 13). Tabs are addressed by :class:`WorkspaceTab`."""

from am_desktop.ui.workspace.frame import AccountWorkspace
from am_desktop.ui.workspace.tabs import WorkspaceTab

__all__ = ["AccountWorkspace", "WorkspaceTab"]
