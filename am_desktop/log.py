"""Named loggers, one per area, so a log line says where it came from."""

from __future__ import annotations

import logging
import re
from typing import ClassVar

db = logging.getLogger("am_desktop.db")
save = logging.getLogger("am_desktop.save")
io = logging.getLogger("am_desktop.io")
sync = logging.getLogger("am_desktop.sync")
ui = logging.getLogger("am_desktop.ui")
export = logging.getLogger("am_desktop.export")


class Redact(logging.Filter):
    """Takes secrets out of every log record: any ``Bearer …`` value, and each token the app
    was given this session (``remember``). On the handlers, so tracebacks (crash reports)
    are cleaned too."""

    _BEARER = re.compile(r"(Bearer\s+)[^\s'\",]+", re.IGNORECASE)
    secrets: ClassVar[set[str]] = set()

    @classmethod
    def remember(cls, secret: str) -> None:
        """Keep ``secret`` out of the log from now on."""
        if len(secret) >= 6:
            cls.secrets.add(secret)

    @classmethod
    def clean(cls, text: str) -> str:
        text = cls._BEARER.sub(r"\1[hidden]", text)
        for secret in cls.secrets:
            text = text.replace(secret, "[hidden]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            import traceback

            message += "\n" + "".join(traceback.format_exception(*record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = self.clean(message), None
        return True


def install_redaction() -> None:
    """Put :class:`Redact` on every handler of the root logger (call after adding handlers)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, Redact) for f in handler.filters):
            handler.addFilter(Redact())
