"""Fast weighted and Zipf-like choices for the scale generator.

``random.choices`` rebuilds its cumulative weights on every call; at millions of draws
over thousands of skills that dominates. A :class:`Weighted` keeps them once and draws
with a binary search.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, TypeVar

__all__ = ["Weighted", "distinct", "stable_unit", "zipf"]

T = TypeVar("T")


class Weighted(Generic[T]):
    """Draw items with fixed weights (each draw O(log n))."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights):
            raise ValueError("need as many weights as items, and at least one item")
        self.items = list(items)
        self._cumulative = list(accumulate(weights))
        self._total = self._cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.at(rng.random())

    def at(self, unit: float) -> T:
        """The item at ``unit`` ∈ [0, 1) of the cumulative weight."""
        index = bisect_right(self._cumulative, unit * self._total)
        return self.items[min(index, len(self.items) - 1)]


def zipf(items: Sequence[T], exponent: float = 1.0) -> Weighted[T]:
    """Popularity by rank: the k-th item is drawn ∝ 1 / k^exponent."""
    return Weighted(items, [1 / (rank**exponent) for rank in range(1, len(items) + 1)])


def distinct(rng: random.Random, pool: Sequence[T], count: int) -> list[T]:
    """Up to ``count`` different items of ``pool``, in pool order (stable output)."""
    if count >= len(pool):
        return list(pool)
    return [pool[i] for i in sorted(rng.sample(range(len(pool)), count))]


def stable_unit(*key: object) -> float:
    """A number in [0, 1) that depends only on ``key``: the same town for firm 17 whether
    or not firms 1–16 were generated, without keeping any per-firm state."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
