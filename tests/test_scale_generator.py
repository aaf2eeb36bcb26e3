"""The scale generator, the JSON Lines world layout and ``GraphStore.import_batches``.

The worlds here use the demo's committed ESCO slice (``esco="slice"``), so the tests run
the same with or without /work/shared.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cli.main import main
from graph.errors import InvalidInput
from graph.model import Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore
from graph.world import dumps_world, import_world
from graph.world.jsonl import import_world_lines, validate_world_lines
from importers.scale import ScaleSize, generator, scale_context, write_scale_world

ROOT = Path(__file__).resolve().parent.parent
SMALL = ScaleSize(candidates=300, offers=60, courses=80)


def _write(path: Path, size: ScaleSize = SMALL, seed: int = 7) -> dict[str, int]:
    counts, _ = write_scale_world(path, scale_context(size, seed=seed, esco="slice"))
    return counts


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def _generate_in_subprocess(out: Path, candidates: int, hash_seed: str, seed: int = 7) -> int:
    """Generate in a fresh interpreter; returns its peak RSS in KiB."""
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from importers.scale import ScaleSize, scale_context, write_scale_world\n"
        f"ctx = scale_context(ScaleSize({candidates}, 300, 300), seed={seed}, esco='slice')\n"
        f"write_scale_world(Path({str(out)!r}), ctx)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip().splitlines()[-1])


# --- the generator ------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz", tmp_path / "c.jsonl.gz"
    _generate_in_subprocess(first, 400, hash_seed="1")
    _generate_in_subprocess(second, 400, hash_seed="2")
    _generate_in_subprocess(other, 400, hash_seed="1", seed=8)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_counts_follow_the_size_and_every_line_is_one_entity(tmp_path: Path) -> None:
    path = tmp_path / "world.jsonl"
    counts = _write(path)
    ctx = scale_context(SMALL, seed=7, esco="slice")
    assert counts["candidates"] == 300
    assert counts["offers"] == 60
    assert counts["courses"] == 80
    assert counts["companies"] == SMALL.companies == 20
    assert counts["coaches"] == 300 // 40
    assert counts["skills"] == len(ctx.taxonomy.skills) > 100
    assert sum(counts.values()) == ctx.entity_total()
    lines = _lines(path)
    header = json.loads(lines[0])
    assert header["format"] == "wegweiser-world/1"
    assert header["about"]["entities"] == sum(counts.values())
    assert len(lines) == 1 + sum(counts.values())
    assert validate_world_lines(path) == counts


def test_the_world_is_realistic_enough(tmp_path: Path) -> None:
    path = tmp_path / "world.jsonl"
    _write(path, ScaleSize(candidates=2_000, offers=300, courses=400))
    entities = [json.loads(line) for line in _lines(path)[1:]]
    by_section: dict[str, list[dict]] = {}
    for entity in entities:
        by_section.setdefault(entity["section"], []).append(entity)
    occupations = {o["id"]: o for o in by_section["occupations"]}
    for offer in by_section["offers"]:  # requirements come from the offer's occupation
        occupation = occupations[offer["occupation"]]
        allowed = set(occupation["essential"]) | set(occupation["optional"])
        essential = [s for s, r in offer["requires"]["skills"].items() if r["essential"]]
        assert essential and set(essential) <= set(occupation["essential"])
        assert set(offer["requires"]["skills"]) <= allowed
        assert offer["requires"]["languages"]["de"] in {"A1", "A2", "B1", "B2"}
    german = [c for c in by_section["courses"] if c["kind"] == "language"]
    levels = {c["teaches"]["languages"]["de"] for c in german}
    assert levels == {"A1", "A2", "B1", "B2", "C1"}
    for course in german:  # the German chain: each level needs the one before
        taught = course["teaches"]["languages"]["de"]
        needed = course.get("requires", {}).get("languages", {}).get("de")
        order = ["A1", "A2", "B1", "B2", "C1"]
        assert needed == (order[order.index(taught) - 1] if taught != "A1" else None)
    machines = [c for c in by_section["courses"] if c["kind"] == "machine"]
    assert any(c["requires"].get("tools") for c in machines)
    candidates = by_section["candidates"]
    speakers = sum("de" in c["languages"] for c in candidates) / len(candidates)
    assert 0.9 < speakers <= 1.0
    natives = sum(c["languages"].get("de") == "native" for c in candidates) / len(candidates)
    assert 0.15 < natives < 0.35  # the demo's share of German job seekers (25 %)
    skill_use: dict[str, int] = {}
    for candidate in candidates:
        for skill in candidate["skills"]:
            skill_use[skill] = skill_use.get(skill, 0) + 1
    ranked = sorted(skill_use.values(), reverse=True)
    assert ranked[0] > 10 * ranked[len(ranked) // 2]  # a long tail, not uniform
    assert len({c["name"] for c in candidates}) > 0.95 * len(candidates)


def test_memory_does_not_grow_with_the_number_of_candidates(tmp_path: Path) -> None:
    small = _generate_in_subprocess(tmp_path / "small.jsonl", 2_000, hash_seed="0")
    large = _generate_in_subprocess(tmp_path / "large.jsonl", 20_000, hash_seed="0")
    assert len(_lines(tmp_path / "large.jsonl")) > 20_000
    assert large - small < 8 * 1024, f"peak RSS {small} KiB for 2k, {large} KiB for 20k"


def test_one_json_document_is_refused_above_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "JSON_LIMIT", 100)
    with pytest.raises(InvalidInput, match=r"too many for one JSON document.*\.jsonl"):
        _write(tmp_path / "world.json")
    assert not list(tmp_path.iterdir())


def test_the_bare_generate_command_of_the_issue(tmp_path: Path, capsys) -> None:
    out = tmp_path / "w.jsonl.gz"
    args = ["--candidates", "50", "--offers", "10", "--courses", "10", "--seed", "3"]
    main(["generate", *args, "--esco", "slice", str(out)])
    assert "entities/s" in capsys.readouterr().out
    same = tmp_path / "same.jsonl.gz"
    main(["generate", "world", *args, "--esco", "slice", str(same)])
    assert out.read_bytes() == same.read_bytes()
    assert json.loads(_lines(out)[0])["format"] == "wegweiser-world/1"


# --- import into both stores ---------------------------------------------------------------


def test_a_generated_world_imports_like_its_json_document(
    tmp_path: Path, store: GraphStore, make_store: Callable[[str], GraphStore]
) -> None:
    lines, document = tmp_path / "world.jsonl.gz", tmp_path / "world.json"
    counts = _write(lines)
    _write(document)
    report = import_world(store, lines)
    assert report.entities == counts
    stored = store.counts()
    assert stored[Label.CANDIDATE] == 300
    assert stored[Label.OFFER] == 60
    assert sum(stored.values()) == sum(counts.values()) == report.nodes
    reference = make_store("embedded")
    import_world(reference, document)
    assert dumps_world(store) == dumps_world(reference)
    again = import_world(store, lines)  # idempotent: the same graph again
    assert again.nodes == report.nodes
    assert dumps_world(store) == dumps_world(reference)


def test_a_broken_line_is_named_and_nothing_is_written(tmp_path: Path, store: GraphStore) -> None:
    good = tmp_path / "world.jsonl"
    _write(good)
    lines = _lines(good)
    last = len(lines) - 10  # among the last candidates: after the first batches were written
    entity = json.loads(lines[last - 5])
    assert entity["section"] == "candidates"
    entity["skills"] = {"s-no-such-skill": 2}
    lines[last - 5] = json.dumps(entity)
    lines[last - 3] = lines[last - 3][:-7]  # cut off: not JSON
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        import_world_lines(store, bad, batch_size=50)
    problems = "\n".join(caught.value.problems)
    assert "nothing was imported" in str(caught.value)
    assert f"line {last - 2}: not JSON" in problems  # line numbers count from 1
    assert f"line {last - 4}: candidates[" in problems
    assert "unknown skill 's-no-such-skill'" in problems
    assert sum(store.counts().values()) == 0


def test_references_may_name_nodes_already_in_the_store(tmp_path: Path, store: GraphStore) -> None:
    world = tmp_path / "world.jsonl"
    _write(world)
    lines = _lines(world)
    people_sections = ('"section":"candidates"', '"section":"coaches"')
    taxonomy = [lines[0]] + [line for line in lines[1:] if not line.startswith(people_sections, 1)]
    people = [lines[0]] + [line for line in lines[1:] if '"section":"candidates"' in line]
    (tmp_path / "taxonomy.jsonl").write_text("\n".join(taxonomy) + "\n", encoding="utf-8")
    (tmp_path / "people.jsonl").write_text("\n".join(people) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown town"):
        import_world(store, tmp_path / "people.jsonl")
    import_world(store, tmp_path / "taxonomy.jsonl")
    report = import_world(store, tmp_path / "people.jsonl")
    assert report.entities["candidates"] == 300
    assert store.counts()[Label.CANDIDATE] == 300


def test_header_and_section_order_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_text(
        '{"format": "wegweiser-world/2", "extra": 1}\n'
        '{"section": "candidates", "id": "p-1", "name": "A", "town": "t-1"}\n'
        '{"section": "towns", "id": "t-1", "name": "T", "lat": 51, "lon": 6}\n'
        '{"section": "boats", "id": "b-1"}\n'
        '{"section": "towns", "id": "t-1", "name": "T", "lat": 51, "lon": 6}\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        validate_world_lines(path)
    problems = caught.value.problems
    assert "line 1: format: must be 'wegweiser-world/1', got 'wegweiser-world/2'" in problems
    assert any(p.startswith("line 1: extra: unknown key") for p in problems)
    assert any(p.startswith("line 3: section 'towns' after 'candidates'") for p in problems)
    assert any(p.startswith("line 4: section: unknown section 'boats'") for p in problems)
    assert any(p.startswith("line 5: towns[1].id: duplicate id 't-1'") for p in problems)


# --- GraphStore.import_batches (conformance: both stores) ---------------------------------


def test_import_batches_is_one_transaction(store: GraphStore) -> None:
    town = NodeRecord(Label.TOWN, "t-1", {"name": "T", "lat": 51.0, "lon": 6.0})
    skill = NodeRecord(Label.SKILL, "s-1", {"label_en": "one"})
    broader = NodeRecord(Label.SKILL, "s-2", {"label_en": "two"})
    forward = RelRecord(Rel.BROADER, Label.SKILL, "s-1", Label.SKILL, "s-2", {})

    def failing() -> Iterator[GraphData]:
        yield GraphData([town, skill], [])
        assert store.existing_ids(Label.TOWN, ["t-1", "t-0"]) <= {"t-1"}
        raise InvalidInput("a later line is broken")

    with pytest.raises(InvalidInput, match="later line"):
        store.import_batches(failing())
    assert sum(store.counts().values()) == 0

    # A relationship may come in a batch after the one of its end node.
    summary = store.import_batches(
        iter([GraphData([town, skill], []), GraphData([broader], []), GraphData([], [forward])])
    )
    assert (summary.nodes, summary.relationships) == (3, 1)
    assert [r.target_id for r in store.relationships(Label.SKILL, "s-1")] == ["s-2"]
    assert store.counts()[Label.SKILL] == 2
