"""The seed's random numbers: the same draws as :class:`random.Random`, in fewer steps.

A large seed draws tens of millions of small numbers; ``randrange`` reaches the generator
through three Python calls and checks each time, a third of the seed's time. These shortcuts
consume exactly the bits the standard methods do (so a seed's data does not change with
them), in one call.
"""

from __future__ import annotations

from random import Random
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

T = TypeVar("T")


class SeedRandom(Random):
    """:class:`random.Random` whose ``choice`` and ``randint`` skip the general-purpose path."""

    def below(self, n: int) -> int:
        """A number in ``[0, n)`` for ``n > 0``: what ``randrange(n)`` returns."""
        getrandbits = self.getrandbits
        bits = n.bit_length()
        drawn = getrandbits(bits)
        while drawn >= n:
            drawn = getrandbits(bits)
        return drawn

    def pick(self, items: SupportsLenAndGetItem[T]) -> T:
        """One of ``items`` (not empty): what ``choice(items)`` returns, in one call."""
        getrandbits = self.getrandbits
        size = len(items)
        bits = size.bit_length()
        drawn = getrandbits(bits)
        while drawn >= size:
            drawn = getrandbits(bits)
        return items[drawn]

    def below_each(self, sizes: tuple[int, ...]) -> list[int]:
        """``[below(n) for n in sizes]``, drawn in order, in one call (a note's filler draws
        nineteen numbers, most of them unused, for each of a million notes)."""
        getrandbits = self.getrandbits
        drawn_all = []
        for size in sizes:
            bits = size.bit_length()
            drawn = getrandbits(bits)
            while drawn >= size:
                drawn = getrandbits(bits)
            drawn_all.append(drawn)
        return drawn_all

    def choice(self, seq: SupportsLenAndGetItem[T]) -> T:
        if not len(seq):
            raise IndexError("Cannot choose from an empty sequence")
        return self.pick(seq)

    def randint(self, a: int, b: int) -> int:
        if b < a:
            raise ValueError(f"empty range in randint({a}, {b})")
        return a + self.below(b - a + 1)
