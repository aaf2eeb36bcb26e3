"""Small deterministic helpers shared by the demo generator's parts."""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TypeVar

from graph.model import cefr_rank

__all__ = [
    "choose",
    "monday_on_or_after",
    "quotas",
    "slug",
    "split_items",
    "weekday_between",
]

T = TypeVar("T")


def choose(rng: random.Random, weights: Mapping[T, float]) -> T:
    """One key of ``weights``, drawn with probability proportional to its weight (in the
    mapping's own order, which callers keep fixed)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def quotas(total: int, shares: Sequence[float]) -> list[int]:
    """Split ``total`` by ``shares`` into integers that add up exactly (largest remainder),
    so that proportions hold for every seed, not just on average."""
    scale = sum(shares)
    raw = [total * share / scale for share in shares]
    counts = [int(value) for value in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def weekday_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A working day (Mon–Fri) in [first, last]; ``last`` itself if there is none."""
    span = (last - first).days
    for _ in range(20):
        day = first + dt.timedelta(days=rng.randint(0, max(span, 0)))
        if day.weekday() < 5:
            return day
    return last


def slug(text: str, limit: int = 48) -> str:
    """'Spedition Müller GmbH & Co. KG' → 'spedition-mueller'."""
    text = re.sub(r"\b(gmbh|co|kg|ohg|ggmbh|gbr|e\.? ?k|e\.? ?v)\b\.?", " ", text.lower())
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].strip("-")


def split_items(
    items: Mapping[str, int | str],
) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
    """A mixed requirement map → (skills, tools, languages), each sorted by id."""
    skills = {k: v for k, v in sorted(items.items()) if k.startswith("s-")}
    tools = {k: v for k, v in sorted(items.items()) if k.startswith("w-")}
    languages = {k: v for k, v in sorted(items.items()) if not k.startswith(("s-", "w-"))}
    return skills, tools, languages  # type: ignore[return-value]


def satisfied(state: Mapping[str, int | str], needs: Mapping[str, int | str]) -> bool:
    """Whether a person's levels (skill/tool ids → 1–3, language ids → CEFR) meet ``needs``."""
    for key, level in needs.items():
        have = state.get(key)
        if isinstance(level, str):
            if not isinstance(have, str) or cefr_rank(have) < cefr_rank(level):
                return False
        elif not isinstance(have, int) or have < level:
            return False
    return True
