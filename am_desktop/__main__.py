"""``python -m am_desktop`` runs the same entry point as the ``am-desktop`` command."""

from __future__ import annotations

from am_desktop.cli import main

raise SystemExit(main())
