"""The region view: what keeps the advisor's candidates from the open offers, and which
courses would help the most — to decide which courses to commission.

For every pair of a candidate (in scope) and an open offer whose essential requirements
the candidate does not all meet yet (a *blocked pair*):

- each missing essential item (skill, tool, German or another language at the level the
  offer needs) *blocks* that pair; an item's counts are the distinct candidates it blocks
  from at least one offer, and the pairs it blocks;
- a course *unblocks* the pair when the candidate can take it now (meets its
  requirements) and it alone closes every missing essential item of that pair.

:func:`region_report` is pure (profiles and catalogue in, counts out); :func:`region_view`
fetches its inputs from a store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from graph.model import Label
from graph.planning.types import CourseOption, Item
from graph.profiles import CandidateProfile, OfferProfile
from graph.routes import candidate_state
from graph.store import GraphStore

__all__ = ["Blocker", "CourseEffect", "RegionReport", "region_report", "region_view"]


@dataclass(frozen=True)
class Blocker:
    kind: str
    id: str
    level: int | str
    """The highest level an offer asks for (as people write it)."""
    labels: dict[str, str]
    candidates: int
    pairs: int


@dataclass(frozen=True)
class CourseEffect:
    id: str
    title: str
    weeks: int
    candidates: int
    pairs: int


@dataclass(frozen=True)
class RegionReport:
    candidates: int
    offers: int
    blocked_pairs: int
    ready_pairs: int
    blockers: tuple[Blocker, ...] = ()
    courses: tuple[CourseEffect, ...] = field(default_factory=tuple)


def region_report(
    candidates: Sequence[CandidateProfile],
    offers: Sequence[OfferProfile],
    courses: Iterable[CourseOption],
    titles: Mapping[str, str] | None = None,
) -> RegionReport:
    """Count blockers and unblocking courses (most candidates first, then most pairs, then
    kind and id)."""
    titles = titles or {}
    courses = list(courses)
    blocked_candidates: dict[Item, set[str]] = defaultdict(set)
    blocked_pairs: dict[Item, int] = defaultdict(int)
    level: dict[Item, tuple[int, int | str]] = {}
    labels: dict[Item, dict[str, str]] = {}
    unblocked_candidates: dict[str, set[str]] = defaultdict(set)
    unblocked_pairs: dict[str, int] = defaultdict(int)
    n_blocked = n_ready = 0
    for candidate in candidates:
        state = candidate_state(candidate)
        takeable = [
            c for c in courses if all(state.get(i, 0) >= lvl for i, lvl in c.requires.items())
        ]
        for offer in offers:
            missing = {
                (r.kind, r.id): r
                for r in offer.requirements
                if r.essential and state.get((r.kind, r.id), 0) < r.rank
            }
            if not missing:
                n_ready += 1
                continue
            n_blocked += 1
            for item, req in missing.items():
                blocked_candidates[item].add(candidate.id)
                blocked_pairs[item] += 1
                labels.setdefault(item, req.labels)
                if item not in level or level[item][0] < req.rank:
                    level[item] = (req.rank, req.level)
            for course in takeable:
                if all(course.teaches.get(i, 0) >= r.rank for i, r in missing.items()):
                    unblocked_candidates[course.id].add(candidate.id)
                    unblocked_pairs[course.id] += 1
    blockers = sorted(
        (
            Blocker(
                kind,
                item_id,
                level[(kind, item_id)][1],
                labels[(kind, item_id)],
                len(who),
                blocked_pairs[(kind, item_id)],
            )
            for (kind, item_id), who in blocked_candidates.items()
        ),
        key=lambda b: (-b.candidates, -b.pairs, b.kind, b.id),
    )
    weeks = {c.id: c.weeks for c in courses}
    effects = sorted(
        (
            CourseEffect(cid, titles.get(cid, cid), weeks[cid], len(who), unblocked_pairs[cid])
            for cid, who in unblocked_candidates.items()
        ),
        key=lambda e: (-e.candidates, -e.pairs, e.id),
    )
    return RegionReport(
        candidates=len(candidates),
        offers=len(offers),
        blocked_pairs=n_blocked,
        ready_pairs=n_ready,
        blockers=tuple(blockers),
        courses=tuple(effects),
    )


def region_view(store: GraphStore, candidate_ids: Iterable[str]) -> RegionReport:
    """The report for these candidates against every open offer of the region."""
    candidates = store.candidates_by_id(sorted(set(candidate_ids)))
    offers = store.offer_profiles(only_open=True)
    needed = sorted({(r.kind, r.id) for offer in offers for r in offer.requirements if r.essential})
    courses = store.courses_that_matter(needed, {}) if needed else []
    report = region_report(candidates, offers, courses)
    named = tuple(
        replace(e, title=str(store.get_node(Label.COURSE, e.id).props.get("title") or e.id))
        for e in report.courses
    )
    return replace(report, courses=named)
