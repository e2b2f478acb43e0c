"""Named loggers, one per area, so a log line says where it came from."""

from __future__ import annotations

import logging

db = logging.getLogger("am_desktop.db")
save = logging.getLogger("am_desktop.save")
io = logging.getLogger("am_desktop.io")
sync = logging.getLogger("am_desktop.sync")
ui = logging.getLogger("am_desktop.ui")
export = logging.getLogger("am_desktop.export")
