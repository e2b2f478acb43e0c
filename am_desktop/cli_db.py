"""``am-desktop db encrypt|decrypt`` (PRODUCT.md §1 "Data at rest", §2; issue 21).

Works on a closed database: the command refuses, in words, while a window or another program
has the file open. The key is the keyring's or ``$AM_DESKTOP_DB_KEY``; it is never printed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from am_desktop.errors import ValidationError


def add_commands(commands: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``db encrypt`` and ``db decrypt`` to the command line."""
    db = commands.add_parser("db", help="encrypt or decrypt the database file")
    actions = db.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    encrypt = actions.add_parser(
        "encrypt",
        help="encrypt the database (key: the keyring's, or $AM_DESKTOP_DB_KEY; made if none)",
    )
    add_db(encrypt)
    decrypt = actions.add_parser("decrypt", help="turn an encrypted database back into a plain one")
    add_db(decrypt)


def run_db(args: argparse.Namespace, progress: Any) -> int:
    """Encrypt or decrypt the database of ``--db`` in place, with progress on stderr."""
    from am_desktop.db.location import resolve_db_path
    from am_desktop.db.opener import KEY_ENV_VAR
    from am_desktop.services.encryption import decrypt_database, encrypt_database

    path = resolve_db_path(getattr(args, "db", None))
    if not path.is_file():
        raise ValidationError(f"There is no database {path}. Check --db (or $AM_DESKTOP_DB).")
    try:
        if args.db_action == "encrypt":
            encrypt_database(path, progress=progress)
        else:
            decrypt_database(path, progress=progress)
    finally:
        progress.finish()
    if args.db_action == "encrypt":
        import os

        where = (
            f"${KEY_ENV_VAR}" if os.environ.get(KEY_ENV_VAR, "").strip() else "the system keyring"
        )
        print(f"Encrypted {path}; its key is the one in {where}.")
    else:
        print(f"Decrypted {path}: it is a plain SQLite file again.")
    return 0
