"""The ICU data filter of the bundle (packaging/icu_subset.py) keeps what Qt reads, intact."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))

from icu_subset import filter_common_data


def _package(items: dict[str, bytes]) -> bytes:
    """A little-endian ICU common data package (header, sorted table, names, 16-aligned items)."""
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0)
    header += b"CmnD" + bytes([1, 0, 0, 0]) + bytes(4)
    header += bytes(32 - len(header))
    names = sorted(items)
    blob = b"".join(f"icudt73l/{n}".encode() + b"\0" for n in names)
    start = 4 + 8 * len(names)
    first = -(-(32 + start + len(blob)) // 16) * 16 - 32
    table, body, name_at, item_at = b"", b"", start, first
    for name in names:
        table += struct.pack("<II", name_at, item_at)
        name_at += len(f"icudt73l/{name}") + 1
        item = items[name] + bytes(-len(items[name]) % 16)
        body += item
        item_at += len(item)
    gap = bytes(first - start - len(blob))
    return header + struct.pack("<I", len(names)) + table + blob + gap + body


def _items(package: bytes) -> dict[str, bytes]:
    count = struct.unpack_from("<I", package, 32)[0]
    entries = [struct.unpack_from("<II", package, 36 + 8 * i) for i in range(count)]
    found = {}
    for index, (name_at, item_at) in enumerate(entries):
        end = entries[index + 1][1] if index + 1 < count else len(package) - 32
        name = package[32 + name_at : package.index(b"\0", 32 + name_at)].decode()
        assert (32 + item_at) % 16 == 0
        found[name.split("/", 1)[1]] = package[32 + item_at : 32 + end].rstrip(b"\0")
    return found


def test_keeps_what_qt_reads_byte_for_byte_and_drops_the_rest() -> None:
    items = {
        "coll/de.res": b"collation-de",
        "zone/de.res": b"zone-names-de",
        "cnvalias.icu": b"aliases",
        "windows-1252-2000.cnv": b"cp1252",
        "root.res": b"root",
        "en_GB.res": b"english",
        "supplementalData.res": b"weeks",
        "de.res": b"german-locale",
        "brkitr/cjdict.dict": b"dictionary",
        "curr/en.res": b"currencies",
        "unames.icu": b"character-names",
    }
    kept = _items(filter_common_data(_package(items)))
    assert kept == {name: items[name] for name in (
        "coll/de.res", "zone/de.res", "cnvalias.icu", "windows-1252-2000.cnv", "root.res",
        "en_GB.res", "supplementalData.res",
    )}  # fmt: skip
    assert list(kept) == sorted(kept)  # ICU searches the table by name
