"""The server-side pictures (``web.render``): well-formed, accessible, escaped, mirrored.

Pictures are parsed back with ``xml.etree`` and checked for what a reader (or a screen
reader) gets: the title and text alternative, one node per course of a real route from
the planner on the sample district, bars in date order, user text kept as text.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from graph.model import Label
from graph.planning.types import Route, RoutePlan, ScheduledCourse, Unreachable
from graph.routes import route_for
from graph.stores import StoreSettings, open_store
from graph.world import import_world
from web.render import (
    CourseInfo,
    bar_chart_svg,
    course_info,
    missing_labels,
    route_graph_svg,
    route_view,
    share_bar_svg,
    timeline_svg,
)

SAMPLE = Path(__file__).parent.parent / "importers" / "data" / "sample_world.json"
SVG = "{http://www.w3.org/2000/svg}"
JAN_1 = dt.date(2027, 1, 1)
NASTY = '<script>alert("x")</script> & Co \x01'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def accessible_name(root: ET.Element) -> tuple[str, str]:
    """The picture's title and description, checked to be wired up for screen readers."""
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text and desc.text
    return title.text, desc.text


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def course_nodes(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("data-course")]


def contrast(foreground: str, background: str = "#ffffff") -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def common_checks(svg: str) -> ET.Element:
    """What every picture must satisfy: XML, accessible name, unique ids that resolve,
    real text with enough contrast, no script, no style."""
    root = parse(svg)
    accessible_name(root)
    ids = [node.get("id") for node in root.iter() if node.get("id")]
    assert len(ids) == len(set(ids))
    for reference in re.findall(r"url\(#([^)]+)\)", svg):
        assert reference in ids
    assert not any(node.tag in (f"{SVG}script", f"{SVG}style") for node in root.iter())
    assert not any(node.get("style") for node in root.iter())
    for node in root.iter(f"{SVG}text"):
        fill = node.get("fill")
        background = "#1d4f91" if fill == "#ffffff" else "#ffffff"  # white text sits on a bar
        assert contrast(fill, background) >= 4.5, (fill, "".join(node.itertext()))
    return root


# --- a real route from the planner on the sample district ---------------------------------


@pytest.fixture(scope="module")
def sample_route(tmp_path_factory):
    store = open_store(
        StoreSettings(kind="embedded", data_dir=tmp_path_factory.mktemp("render-store"))
    )
    try:
        import_world(store, SAMPLE)
        report = route_for(
            store,
            "p-rahel-tesfay",
            "of-staplerfahrer-rurtal",
            objective="ready_date",
            start=JAN_1,
            alternatives=2,
        )
        ids = {c for route in (report.plan.best, *report.plan.alternatives) for c in route.courses}
        courses = {
            c: course_info(store.get_node(Label.COURSE, c), store.relationships(Label.COURSE, c))
            for c in ids
        }
    finally:
        store.close()
    return report, courses


def test_route_picture_of_a_real_route_has_one_node_per_course_in_order(sample_route):
    report, courses = sample_route
    best = report.plan.best
    assert len(best.courses) == 5  # German A2, forklift licence, B1, practice, warehouse
    view = route_view(
        report.plan,
        courses,
        "Rahel Tesfay",
        "Staplerfahrer/in",
        missing=missing_labels(report.gap),
    )
    root = common_checks(route_graph_svg(view))
    title, desc = accessible_name(root)
    assert title == "Qualifizierungsweg von Rahel Tesfay zu Staplerfahrer/in"
    nodes = course_nodes(root)
    assert [node.get("data-course") for node in nodes] == list(best.courses)
    for course, when in zip(best.courses, best.schedule, strict=True):
        assert courses[course].title in desc
        assert f"{when.start.isoformat()} – {when.end.isoformat()}" in desc
    shown = texts(root)
    assert "Teilnehmer/in" in shown and "Angebot" in shown
    assert f"Beste Route — Wochen: {best.total_weeks}, bereit am {best.ready_date}" in shown
    # The German courses close the language gap step by step; the labels say so.
    assert "+ Deutsch A2" in shown and "+ Deutsch B1" in shown
    assert "+ Gabelstapler" in shown


def test_course_info_reads_levels_like_the_planner(sample_route):
    _, courses = sample_route
    b1 = courses["k-ik-b1"]
    assert b1.weeks == 15
    assert b1.teaches == {("language", "de"): 3}  # B1
    assert b1.requires == {("language", "de"): 2}  # A2


def _chain_world() -> tuple[RoutePlan, dict[str, CourseInfo]]:
    a2 = CourseInfo("k-a2", "Deutsch A2", 10, teaches={("language", "de"): 2})
    fork = CourseInfo(
        "k-fork",
        "Staplerschein",
        1,
        teaches={("tool", "w-fork"): 1},
        requires={("language", "de"): 2},
    )
    b1 = CourseInfo(
        "k-b1",
        "Deutsch B1",
        15,
        teaches={("language", "de"): 3},
        requires={("language", "de"): 2},
    )
    practice = CourseInfo(
        "k-practice",
        "Staplerpraxis",
        2,
        teaches={("tool", "w-fork"): 2},
        requires={("tool", "w-fork"): 1},
    )
    courses = {c.id: c for c in (a2, fork, b1, practice)}

    def route(ids, start):
        schedule, day = [], start
        for course in ids:
            end = day + dt.timedelta(weeks=courses[course].weeks)
            schedule.append(ScheduledCourse(course, day, end))
            day = end
        weeks = sum(courses[c].weeks for c in ids)
        return Route(tuple(ids), tuple(schedule), weeks, 0, day)

    plan = RoutePlan(
        "ready_date",
        True,
        route(["k-a2", "k-fork", "k-b1", "k-practice"], JAN_1),
        alternatives=(route(["k-a2", "k-b1", "k-fork", "k-practice"], JAN_1),),
    )
    return plan, courses


def test_alternatives_are_further_rows_and_edges_show_prerequisites():
    plan, courses = _chain_world()
    missing = {("language", "de"): "Deutsch", ("tool", "w-fork"): "Gabelstapler"}
    view = route_view(plan, courses, "Anna", "Lager", missing=missing)
    assert [step.needs for step in view.rows[0].steps] == [(), (0,), (0,), (1,)]
    root = common_checks(route_graph_svg(view))
    nodes = course_nodes(root)
    assert len(nodes) == 8  # two rows of four
    headings = [t for t in texts(root) if t.startswith(("Beste Route", "Alternative 1"))]
    assert len(headings) == 2
    classes = [line.get("class") for line in root.iter(f"{SVG}line") if line.get("class")]
    # Row 1 (A2, fork, B1, practice): fork needs A2 (solid); B1 after fork is order only
    # (dashed) and needs A2 two back (arc); practice after B1 (dashed) needs fork (arc).
    # Row 2 (A2, B1, fork, practice): each needs the one before it (solid): the fork
    # course's German comes from B1, the last course teaching it.
    assert classes.count("wg-edge-needs") == 4
    assert classes.count("wg-edge-order") == 2
    arcs = [p for p in root.iter(f"{SVG}path") if p.get("class") == "wg-edge-arc"]
    assert len(arcs) == 2
    legend = [
        t for t in texts(root) if t.startswith(("Durchgezogener", "Gestrichelter", "Gepunkteter"))
    ]
    assert len(legend) == 3  # the line styles are explained in words


def test_rtl_mirrors_every_x_position():
    plan, courses = _chain_world()
    view = route_view(plan, courses, "Anna", "Lager")
    ltr, rtl = parse(route_graph_svg(view)), parse(route_graph_svg(view, rtl=True))
    width = float(ltr.get("width"))
    ltr_rects, rtl_rects = list(ltr.iter(f"{SVG}rect")), list(rtl.iter(f"{SVG}rect"))
    assert len(ltr_rects) == len(rtl_rects) > 10
    for a, b in zip(ltr_rects, rtl_rects, strict=True):
        x, w = float(a.get("x", 0)), float(a.get("width"))
        if w == width:  # the page background
            continue
        assert float(b.get("x")) == pytest.approx(width - x - w)
    for a, b in zip(ltr.iter(f"{SVG}text"), rtl.iter(f"{SVG}text"), strict=True):
        assert float(b.get("x")) == pytest.approx(width - float(a.get("x")))
        swapped = {"start": "end", "end": "start", "middle": "middle"}
        assert b.get("text-anchor") == swapped[a.get("text-anchor")]

    # The candidate sits at the reading start: left in German, right in Arabic.
    def candidate_x(root):
        group = next(g for g in root.iter(f"{SVG}g") if "wg-candidate" in g.get("class", ""))
        return float(group.find(f"{SVG}rect").get("x"))

    def offer_x(root):
        group = next(g for g in root.iter(f"{SVG}g") if "wg-offer" in g.get("class", ""))
        return float(group.find(f"{SVG}rect").get("x"))

    assert candidate_x(ltr) < offer_x(ltr)
    assert candidate_x(rtl) > offer_x(rtl)


def test_user_text_stays_text():
    plan, courses = _chain_world()
    courses["k-a2"] = CourseInfo("k-a2", NASTY, 10, teaches={("language", "de"): 2})
    view = route_view(
        plan,
        courses,
        NASTY,
        "Lager & <Logistik>",
        missing={
            ("tool", "w-fork"): "<b>Stapler</b>",
        },
    )
    svg = route_graph_svg(view)
    root = common_checks(svg)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "\x01" not in svg
    title, _desc = accessible_name(root)
    assert title.startswith('Qualifizierungsweg von <script>alert("x")</script> & Co')
    assert title.endswith("zu Lager & <Logistik>")
    assert "+ <b>Stapler</b>" in texts(root)
    assert not any(node.tag in (f"{SVG}b",) for node in root.iter())


def test_ready_and_unreachable_routes_say_so():
    ready = RoutePlan("weeks", True, Route((), (), 0, 0, JAN_1))
    root = common_checks(route_graph_svg(route_view(ready, {}, "Ben", "Lager")))
    assert course_nodes(root) == []
    assert "Schon bereit: kein Kurs nötig." in texts(root)

    stuck = RoutePlan(
        "weeks",
        False,
        None,
        unreachable=(Unreachable(("skill", "s-xray"), 2, "no course teaches it"),),
    )
    view = route_view(stuck, {}, "Ben", "Lager", missing={("skill", "s-xray"): "Röntgen"})
    root = common_checks(route_graph_svg(view))
    assert course_nodes(root) == []
    _, desc = accessible_name(root)
    assert "Röntgen" in desc


def test_route_view_names_a_course_it_knows_nothing_about():
    plan, courses = _chain_world()
    del courses["k-b1"]
    with pytest.raises(KeyError, match="k-b1"):
        route_view(plan, courses, "Anna", "Lager")


def test_translation_and_locale_reach_the_picture():
    """German is the source language; ``labels`` (gettext) and ``locale`` give others."""
    plan, courses = _chain_world()
    english = {
        "Teilnehmer/in": "Candidate",
        "Angebot": "Offer",
        "Beste Route": "Best route",
        "Wochen: %(weeks)s": "weeks: %(weeks)s",
        "bereit am %(date)s": "ready on %(date)s",
    }
    view = route_view(plan, courses, "Anna", "Lager", lambda m: english.get(m, m), locale="en")
    shown = texts(parse(route_graph_svg(view)))
    assert "Candidate" in shown and "Offer" in shown
    assert "Best route — weeks: 28, ready on Jul 16, 2027" in shown


# --- timeline ------------------------------------------------------------------------------


def test_timeline_bars_in_date_order_with_ready_and_today(sample_route):
    report, courses = sample_route
    best = report.plan.best
    titles = {c: courses[c].title for c in best.courses}
    shuffled = tuple(reversed(best.schedule))
    svg = timeline_svg(shuffled, JAN_1, best.ready_date, titles=titles, today=dt.date(2026, 12, 20))
    root = common_checks(svg)
    assert root.get("viewBox") == f"0 0 400 {root.get('height')}"
    groups = course_nodes(root)
    assert [g.get("data-course") for g in groups] == list(best.courses)
    starts = [g.get("data-start") for g in groups]
    assert starts == sorted(starts)
    bars = [g.find(f"{SVG}rect") for g in groups]
    lefts = [float(bar.get("x")) for bar in bars]
    rights = [float(bar.get("x")) + float(bar.get("width")) for bar in bars]
    assert lefts == sorted(lefts)
    ready = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "wg-ready")
    today = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "wg-today")
    assert float(ready.get("x1")) == pytest.approx(max(rights), abs=0.01)
    assert float(today.get("x1")) < min(lefts)
    shown = texts(root)
    assert f"Bereit am {best.ready_date.isoformat()}" in shown
    assert "Heute: 2026-12-20" in shown
    months = [
        t
        for n, t in zip(root.iter(f"{SVG}text"), shown, strict=True)
        if n.get("class") == "wg-month"
    ]
    assert months[0] == "12" and len(months) >= 4
    assert "2027" in shown
    _, desc = accessible_name(root)
    assert desc.index(titles[best.courses[0]]) < desc.index(titles[best.courses[-1]])


def test_timeline_rtl_runs_right_to_left():
    plan, courses = _chain_world()
    best = plan.best
    titles = {c: courses[c].title for c in best.courses}
    root = common_checks(
        timeline_svg(best.schedule, JAN_1, best.ready_date, titles=titles, today=JAN_1, rtl=True)
    )
    lefts = [float(g.find(f"{SVG}rect").get("x")) for g in course_nodes(root)]
    assert lefts == sorted(lefts, reverse=True)


def test_timeline_without_courses():
    root = common_checks(timeline_svg((), JAN_1, JAN_1, today=JAN_1))
    assert course_nodes(root) == []
    assert "Kein Kurs nötig." in texts(root)
    root = common_checks(timeline_svg((), JAN_1, None, today=JAN_1))
    assert any("Kein Bereitschaftsdatum" in t for t in texts(root))


# --- dashboard charts ---------------------------------------------------------------------


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "wg-bar"]


def test_bar_chart_draws_every_row_with_its_value():
    rows = [("Heinsberg", 12), ("Erkelenz", 8), ("Hückelhoven", 0), (NASTY, 3.5)]
    svg = bar_chart_svg("Vermittlungen seit 1. Januar nach Ort", rows, locale="de")
    root = common_checks(svg)
    title, desc = accessible_name(root)
    assert title == "Vermittlungen seit 1. Januar nach Ort"
    assert "Heinsberg: 12" in desc and "Hückelhoven: 0" in desc and "3,5" in desc
    widths = [float(bar.get("width")) for bar in bars_of(root)]
    assert len(widths) == 3  # a zero draws no bar, but its label and 0 are written
    assert widths[0] == max(widths)
    assert widths[1] == pytest.approx(widths[0] * 8 / 12, abs=0.02)  # rounded to 0.01
    values = [
        t
        for n, t in zip(root.iter(f"{SVG}text"), texts(root), strict=True)
        if n.get("class") == "wg-value"
    ]
    assert values == ["12", "8", "0", "3,5"]
    assert "&lt;script&gt;" in svg and "<script" not in svg


def test_bar_chart_with_zero_and_with_many_rows():
    root = common_checks(bar_chart_svg("Offene Angebote", []))
    assert bars_of(root) == [] and "Keine Daten." in texts(root)

    many = [(f"Ort {i} mit einem recht langen Namen am Niederrhein", i + 1) for i in range(200)]
    root = common_checks(bar_chart_svg("Viele Orte", many))
    assert len(bars_of(root)) == 200
    tooltips = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")]
    assert tooltips[0] == f"{many[0][0]}: 1" and len(tooltips) == 200
    small = common_checks(bar_chart_svg("Wenige", many[:3]))
    assert float(root.get("height")) > float(small.get("height"))


def test_charts_refuse_values_they_cannot_draw():
    with pytest.raises(ValueError, match=r"row 2 \('Erkelenz'\)"):
        bar_chart_svg("x", [("Heinsberg", 1), ("Erkelenz", -3)])
    with pytest.raises(ValueError, match="row 1"):
        share_bar_svg("x", [("Frauen", float("nan"))])


def test_share_bar_labels_every_part_and_uses_patterns():
    svg = share_bar_svg("Anteil Frauen", [("Frauen", 7), ("Männer", 12), ("divers", 1)])
    root = common_checks(svg)
    _, desc = accessible_name(root)
    assert "Frauen: 7 (35 %)" in desc and "Männer: 12 (60 %)" in desc and "divers: 1 (5 %)" in desc
    parts = [g.find(f"{SVG}rect") for g in root.iter(f"{SVG}g") if g.get("class") == "wg-part"]
    fills = [part.get("fill") for part in parts]
    assert len(set(fills)) == 3  # three parts, three different fills (solid, hatched, dots)
    assert sum(float(p.get("width")) for p in parts) == pytest.approx(400 - 24)
    legend = [
        t
        for n, t in zip(root.iter(f"{SVG}text"), texts(root), strict=True)
        if n.get("class") == "wg-legend"
    ]
    assert legend == ["Frauen: 7 (35 %)", "Männer: 12 (60 %)", "divers: 1 (5 %)"]

    empty = common_checks(share_bar_svg("Anteil Frauen", [("Frauen", 0), ("Männer", 0)]))
    assert "Keine Daten." in texts(empty)


def test_two_pictures_on_one_page_do_not_share_ids():
    first = parse(share_bar_svg("Anteil Frauen", [("Frauen", 1), ("Männer", 2)]))
    second = parse(share_bar_svg("Angebotsarten", [("Praktikum", 1), ("Job", 2)]))
    ids = lambda root: {n.get("id") for n in root.iter() if n.get("id")}  # noqa: E731
    assert not ids(first) & ids(second)


def test_render_is_pure():
    """No Flask, no request context, no store: the pictures are plain functions."""
    import ast

    for path in (Path(__file__).parent.parent / "web" / "render").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names]
                for name in names:
                    assert not name.startswith(("flask", "web.store", "graph.stores")), (
                        path.name,
                        name,
                    )
