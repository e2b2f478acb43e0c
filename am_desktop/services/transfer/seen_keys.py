"""The rows' keys an import has seen, each with the first row that had it, held compactly.

Telling a file's repeated rows apart ("repeats row N (…)") needs every earlier row's key. A
dictionary of the keys themselves takes about 150 bytes a row (a 500,000-row file, 75 MB,
most of what the import grows by). Here each key is kept as its canonical bytes in one
buffer, found through an array-backed hash table of its digest: about 70 bytes a row. A
digest hit is confirmed against the earlier key's bytes, so two different keys whose
digests collide are never taken for a repeat.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Sequence
from itertools import accumulate, count, islice

#: Slots of a new table (a power of two); it doubles whenever it is half full.
_FIRST_SLOTS = 1 << 10
#: Types whose ``repr`` is equal exactly when the values are (``bool`` is left out: True ==
#: 1, but their reprs differ).
_PLAIN = frozenset({str, int, type(None)})
#: Starts a tuple's bytes: no string's UTF-8 has this byte, so no string has a tuple's bytes.
_TUPLE = b"\xff"


#: A key's 64-bit digest (within this process): where its slot search starts. The builtin
#: itself, not a function around it: this runs for every row of a file.
digest: Callable[[bytes], int] = hash


def canonical(key: Hashable) -> bytes | None:
    """Bytes equal exactly when the keys are equal; None for a key that has none here.

    Keys are strings or tuples of strings, whole numbers and None (a tuple subclass such as
    a NamedTuple counts as the tuple it equals).
    """
    if type(key) is str:
        return key.encode("utf-8", "surrogatepass")
    if not isinstance(key, tuple):
        return None
    for part in key:
        if type(part) not in _PLAIN:
            return None
    plain = key if type(key) is tuple else tuple(key)
    return _TUPLE + repr(plain).encode("utf-8", "surrogatepass")


class SeenKeys:
    """Key -> number of the first row that had it.

    A batch of keys is added at once: their bytes, digests and row numbers are appended in
    bulk and only the slot search runs key by key. A repeat's entry stays in the arrays
    unreferenced (repeats are rare; a file of them is refused or skipped).
    """

    def __init__(self) -> None:
        #: Open addressing, linear probing: entry index + 1, or 0 for an empty slot.
        self._slots = array("i", bytes(4 * _FIRST_SLOTS))
        self._placed = 0
        self._digests = array("q")
        self._rows = array("q")
        #: Where each entry's bytes end in ``_blob`` (they start where the previous end).
        self._ends = array("Q")
        self._blob = bytearray()
        #: Keys without canonical bytes, kept as they are (none of the import's kinds).
        self._other: dict[Hashable, int] = {}

    def __len__(self) -> int:
        return self._placed + len(self._other)

    def repeat_of(self, key: Hashable, number: int) -> int | None:
        """The row that had ``key`` first; None when no row did (row ``number`` now has it)."""
        return self.first_rows([key], [number])[0]

    def first_rows(self, keys: Sequence[Hashable], numbers: Sequence[int]) -> list[int | None]:
        """For each key in turn, :meth:`repeat_of` it with its row number."""
        datas = [
            k.encode("utf-8", "surrogatepass") if type(k) is str else canonical(k) for k in keys
        ]
        if None in datas:
            return [self._other_first(k, n) for k, n in zip(keys, numbers, strict=True)]
        plain: list[bytes] = datas  # type: ignore[assignment]  # no None, checked above
        codes = list(map(digest, plain))
        while 2 * (self._placed + len(plain)) > len(self._slots):
            self._grow()
        slots, digests, ends, blob = self._slots, self._digests, self._ends, self._blob
        first_entry = len(digests) + 1
        digests.extend(codes)
        self._rows.extend(numbers)
        ends.extend(islice(accumulate(map(len, plain), initial=len(blob)), 1, None))
        blob += b"".join(plain)
        rows = self._rows
        mask = len(slots) - 1
        found: list[int | None] = []
        for entry, code, data in zip(count(first_entry), codes, plain, strict=False):
            slot = code & mask
            while other := slots[slot]:
                other -= 1
                if (
                    digests[other] == code
                    and blob[ends[other - 1] if other else 0 : ends[other]] == data
                ):
                    found.append(rows[other])
                    break
                slot = (slot + 1) & mask
            else:
                slots[slot] = entry
                found.append(None)
        self._placed += found.count(None)
        return found

    def _other_first(self, key: Hashable, number: int) -> int | None:
        data = canonical(key)
        if data is not None:
            return self.first_rows([key], [number])[0]
        earlier = self._other.get(key)
        if earlier is None:
            self._other[key] = number
        return earlier

    def _grow(self) -> None:
        """Double the table and place every placed entry again."""
        digests = self._digests
        slots = array("i", bytes(8 * len(self._slots)))
        mask = len(slots) - 1
        for entry in self._slots:
            if entry:
                slot = digests[entry - 1] & mask
                while slots[slot]:
                    slot = (slot + 1) & mask
                slots[slot] = entry
        self._slots = slots
