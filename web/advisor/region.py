"""The region view: which missing essential skills, tools and languages block the most
candidates in the advisor's scope from the open offers, and which courses would unblock
the most (graph/region.py counts; the page shows charts and the same numbers as tables)."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from graph.region import region_view
from web.advisor import bp
from web.advisor.common import KIND_NAMES, current_lang, inline, pick, scope_ids
from web.i18n import RTL
from web.render import bar_chart_svg
from web.store import get_store

TOP = 10


@bp.get("/region")
def region() -> str:
    store = get_store()
    lang = current_lang()
    report = region_view(store, scope_ids(store))
    blockers = [
        {
            "label": pick(b.labels, lang, b.id),
            "kind": KIND_NAMES.get(b.kind, b.kind),
            "level": b.level,
            "candidates": b.candidates,
            "pairs": b.pairs,
        }
        for b in report.blockers
    ]
    common = {"labels": _, "locale": lang, "rtl": lang in RTL}
    charts = {
        "blockers": bar_chart_svg(
            _("Fehlende Anforderungen: betroffene Bewerberinnen und Bewerber"),
            [(row["label"], row["candidates"]) for row in blockers[:TOP]],
            **common,
        ),
        "courses": bar_chart_svg(
            _("Kurse: Bewerberinnen und Bewerber, die danach bereit wären"),
            [(c.title, c.candidates) for c in report.courses[:TOP]],
            **common,
        ),
    }
    charts = {name: inline(svg) for name, svg in charts.items()}
    return render_template(
        "advisor/region.html", report=report, blockers=blockers, charts=charts, top=TOP
    )
