"""Shrink the ICU data library that Qt Core links (32 MB) to the parts Qt can use (issue 17).

Qt Core calls ICU only for collation (``ucol_*``), calendars and time-zone names (``ucal_*``),
legacy text encodings (``ucnv_*``) and case mapping (whose tables are inside libicuuc). The
data for everything else (line-break dictionaries, unit, currency, language and region
names, transliteration, spelled-out numbers, character names, spoof checks and the locale
data of languages other than English) is never read, so it is filtered out of the common data
package and the library is rebuilt with the same name and symbol, as ICU's own data build
tool does (its data filters); what Qt reads is byte for byte what it was.

Linux only; it needs ``readelf`` and ``cc`` (binutils and a C compiler). Without them the
library is left as it is.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

# Items of the common data package that Qt never reads (names inside the package).
_UNUSED_TREES = ("brkitr/", "unit/", "curr/", "lang/", "region/", "translit/", "rbnf/")
_UNUSED_ITEMS = ("unames.icu", "confusables.cfu", "confusablesWholeScript.cfu", "ulayout.icu")
# Top-level locale data Qt may read (calendar data for ucal_open): the root and English.
_KEPT_LOCALE = re.compile(r"(root|en(_[A-Za-z0-9]+)*|res_index|pool)\.res")
_LOCALE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]+)*\.res")
_ALIGN = 16


def shrink_icu_data(library: Path) -> int | None:
    """Rewrite ``libicudata.so.NN`` in place with the unused data filtered out; the bytes
    saved, or None when the tools are missing or the library is not what it should be."""
    readelf, cc = shutil.which("readelf"), shutil.which("cc")
    if readelf is None or cc is None:
        return None
    symbols = _read(readelf, "-sW", library)
    found = re.search(r":\s*([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\d+\s+"
                      r"(icudt\d+_dat)\b", symbols)  # fmt: skip
    if found is None:
        return None
    address, size, symbol = int(found[1], 16), int(found[2], 0), found[3]
    sections = _read(readelf, "-SW", library)
    rodata = re.search(r"\.rodata\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)", sections)
    if rodata is None:
        return None
    offset = address - int(rodata[1], 16) + int(rodata[2], 16)
    data = library.read_bytes()[offset : offset + size]
    kept = filter_common_data(data)
    with tempfile.TemporaryDirectory(prefix="icu-") as folder:
        work = Path(folder)
        (work / "data.bin").write_bytes(kept)
        (work / "data.S").write_text(
            f'.section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign {_ALIGN}\n'
            f'{symbol}:\n.incbin "data.bin"\n.size {symbol}, . - {symbol}\n'
            '.section .note.GNU-stack,"",@progbits\n'
        )  # fmt: skip
        built = work / library.name
        subprocess.run([cc, "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o",
                        str(built), "data.S"], cwd=work, check=True)  # fmt: skip
        shutil.copyfile(built, library)
    return size - len(kept)


def _read(readelf: str, flag: str, library: Path) -> str:
    return subprocess.run([readelf, flag, str(library)], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


def _is_unused(name: str) -> bool:
    if name.startswith(_UNUSED_TREES) or name in _UNUSED_ITEMS:
        return True
    return "/" not in name and bool(_LOCALE.fullmatch(name)) and not _KEPT_LOCALE.fullmatch(name)


def filter_common_data(data: bytes) -> bytes:
    """An ICU common data package (``CmnD``, little-endian) without the unused items; the
    header is kept, the table of contents (sorted by name, as ICU searches it) rebuilt."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD" or data[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    toc = header_size
    count = struct.unpack_from("<I", data, toc)[0]
    entries = [struct.unpack_from("<II", data, toc + 4 + 8 * i) for i in range(count)]
    items = []
    for index, (name_offset, data_offset) in enumerate(entries):
        name_end = data.index(b"\0", toc + name_offset)
        name = data[toc + name_offset : name_end].decode("ascii")
        end = entries[index + 1][1] if index + 1 < count else len(data) - toc
        short = name.split("/", 1)[1]  # "icudt73l/coll/root.res" -> "coll/root.res"
        if not _is_unused(short):
            items.append((name, data[toc + data_offset : toc + end]))
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    names_start = 4 + 8 * len(items)
    first_item = -(-(header_size + names_start + len(names)) // _ALIGN) * _ALIGN - header_size
    table, body, name_at, item_at = [], bytearray(), names_start, first_item
    for name, item in items:
        table.append(struct.pack("<II", name_at, item_at))
        name_at += len(name) + 1
        padded = item + b"\0" * (-len(item) % _ALIGN)
        body += padded
        item_at += len(padded)
    gap = b"\0" * (first_item - names_start - len(names))
    head = struct.pack("<I", len(items)) + b"".join(table) + names + gap
    return data[:header_size] + head + bytes(body)
