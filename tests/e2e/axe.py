"""axe-core for the accessibility checks: fetched once, cached, run inside the page.

Only the tests use axe-core; the app never loads it. ``npm pack axe-core@4`` fetches
the package tarball from the npm registry once into ``~/.cache/wegweiser/axe-core/``
(as ``tests/neo4j_server`` caches the Neo4j jars), and ``axe.min.js`` is taken out of it.
The script is evaluated through the browser's debugging protocol, which the page's
Content Security Policy does not govern, so the checks run against the real headers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["BLOCKING", "axe_source", "format_violations", "run_axe"]

CACHE = Path(os.environ.get("WEGWEISER_CACHE", Path.home() / ".cache" / "wegweiser"))
PACKAGE = "axe-core@4"
BLOCKING = frozenset({"serious", "critical"})
"""Impacts that fail a page (issue #5: 0 serious or critical violations)."""


def axe_source() -> str:
    """The text of axe.min.js, fetched with npm on first use."""
    target = CACHE / "axe-core" / "axe.min.js"
    if not target.is_file():
        _fetch(target)
    return target.read_text(encoding="utf-8")


def _fetch(target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed once to fetch axe-core (apt-get install npm)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [npm, "pack", PACKAGE, "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
            timeout=180,
            cwd=tmp,
        )
        tarballs = list(Path(tmp).glob("axe-core-*.tgz"))
        if done.returncode != 0 or not tarballs:
            raise RuntimeError(f"npm pack {PACKAGE} failed: {done.stderr.strip()[-500:]}")
        with tarfile.open(tarballs[0]) as archive:
            member = archive.extractfile("package/axe.min.js")
            if member is None:
                raise RuntimeError(f"{tarballs[0].name} holds no package/axe.min.js")
            partial = target.with_suffix(".part")
            partial.write_bytes(member.read())
            partial.replace(target)  # readers never see half a file


def run_axe(page: Any, source: str) -> list[dict[str, Any]]:
    """All violations axe-core finds on the page as it is now (WCAG 2.0/2.1 A and AA)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                resultTypes: ["violations"],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html,
                                          summary: n.failureSummary})),
            }));
        }"""
    )
    return list(result)


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    """One readable block per violation: id, impact, help, and each node."""
    lines = [f"{where}: {len(violations)} violation(s)"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']}")
        for node in v["nodes"][:10]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      ")[:400])
    return "\n".join(lines)
