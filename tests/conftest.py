"""Shared fixtures: every test runs offscreen, on temporary files, with a fake keyring.

Nothing here touches the user's data folder, settings or keyring.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from am_desktop.services.store import Store, open_store

#: Fixtures that several test folders use: a fake Salesforce login service and its helpers.
pytest_plugins = ["tests.support.fake_salesforce_login"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a QApplication as ``gui`` (``-m "not gui"`` is the fast loop)."""
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the user data folder, $AM_DESKTOP_DB and its key away from the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("AM_DESKTOP_DB", raising=False)
    monkeypatch.delenv("AM_DESKTOP_DB_KEY", raising=False)
    return home


@pytest.fixture(autouse=True)
def fake_keyring() -> Iterator[object]:
    """An in-memory keyring backend, so no test reads or writes the user's secrets."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty database, copied for each test (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_store(path).close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _template_db: Path) -> Path:
    """A fresh, migrated, empty database file."""
    path = tmp_path / "am.sqlite3"
    shutil.copyfile(_template_db, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A Store on a fresh database."""
    opened = open_store(db_path)
    yield opened
    opened.close()
