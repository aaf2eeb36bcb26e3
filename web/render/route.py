"""The training route as a picture: candidate → courses → offer, left to right.

Two steps, so that the drawing never touches the store or the translator:

1. :func:`route_view` turns the planner's :class:`~graph.planning.types.RoutePlan` and
   the courses' facts (:class:`CourseInfo`) into a :class:`RouteView` — every text already
   translated and formatted, the prerequisite links between courses worked out.
2. :func:`route_graph_svg` draws a view: one row per route (the best first, then the
   alternatives), the candidate on the left, the offer on the right, one node per course
   in the order to take them with its title, weeks and dates, and below each course the
   missing items it closes. Arrows between courses are solid where the next course needs
   what the one before teaches, dashed where the order is only the schedule's; a dotted
   arc joins a course to an earlier, non-adjacent one it needs. A legend says so in words,
   so nothing rests on colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from graph.catalogue import ITEM_OF_REL, course_option
from graph.gap import Gap, display_level
from graph.planning.types import Item, Route, RoutePlan
from graph.records import NodeRecord, RelRecord
from web.render.formats import date_formatter
from web.render.svg import (
    ACCENT,
    INK,
    MUTED,
    PAPER,
    Canvas,
    Translate,
    identity,
    picture_prefix,
    text_width,
    wrap_text,
)

__all__ = [
    "CourseInfo",
    "RouteRow",
    "RouteStep",
    "RouteView",
    "course_info",
    "missing_labels",
    "route_graph_svg",
    "route_view",
]


@dataclass(frozen=True)
class CourseInfo:
    """What the picture needs to know about one course (see :func:`course_info`)."""

    id: str
    title: str
    weeks: int
    teaches: Mapping[Item, int] = field(default_factory=dict)
    requires: Mapping[Item, int] = field(default_factory=dict)
    """Levels on the planner's scales (CEFR ranks for languages)."""


@dataclass(frozen=True)
class RouteStep:
    course: str
    title: str
    weeks: str
    """Already translated, e.g. ``Wochen: 4``."""
    dates: str
    """``start – end`` in the reader's format; empty when the route has no schedule."""
    closes: tuple[str, ...]
    """Labels of the offer's missing items this course teaches."""
    needs: tuple[int, ...]
    """Positions of earlier steps of the same row whose teaching this course requires."""


@dataclass(frozen=True)
class RouteRow:
    heading: str
    steps: tuple[RouteStep, ...]


@dataclass(frozen=True)
class RouteView:
    """Everything :func:`route_graph_svg` draws, as plain translated text."""

    candidate: str
    offer: str
    candidate_caption: str
    offer_caption: str
    rows: tuple[RouteRow, ...]
    note: str
    """Shown when there is nothing to take: ready now, or which items cannot be reached."""
    legend: tuple[str, ...]
    title: str
    desc: str


def course_info(node: NodeRecord, relationships: Iterable[RelRecord]) -> CourseInfo:
    """A course from ``store.get_node(Label.COURSE, id)`` and ``store.relationships(...)``,
    with the same level conversion the planner uses (``graph.catalogue``)."""
    links = [
        (rel.type, rel.target_id, rel.props.get("level"))
        for rel in relationships
        if rel.source_id == node.id and rel.type in ITEM_OF_REL
    ]
    option = course_option(node.id, node.props, links)
    title = str(node.props.get("title") or node.id)
    return CourseInfo(node.id, title, option.weeks, option.teaches, option.requires)


def missing_labels(gap: Gap, lang: str = "de") -> dict[Item, str]:
    """The labels of the offer's unmet essential requirements in ``lang`` (German, then
    English, then the id where the taxonomy has no label in that language)."""
    return {
        (line.kind, line.id): line.labels.get(lang)
        or line.labels.get("de")
        or line.labels.get("en")
        or line.id
        for line in gap.missing_essential
    }


def route_view(
    plan: RoutePlan,
    courses: Mapping[str, CourseInfo],
    candidate_label: str,
    offer_label: str,
    labels: Translate = identity,
    *,
    missing: Mapping[Item, str] | None = None,
    locale: str | None = None,
    date_format: Callable[[dt.date], str] | None = None,
) -> RouteView:
    """The picture's content for one plan.

    ``courses`` must hold every course of the best route and the alternatives (a missing
    one is a ``KeyError`` naming it). ``labels`` translates the picture's own words (pass
    ``flask_babel.gettext``); ``missing`` labels the offer's unmet items (see
    :func:`missing_labels`); dates are formatted for ``locale`` (ISO without one) unless
    ``date_format`` is given.
    """
    _ = labels
    fmt = date_format or date_formatter(locale)
    missing = missing or {}
    for route in _routes(plan):
        unknown = [course for course in route.courses if course not in courses]
        if unknown:
            raise KeyError(f"route_view: no CourseInfo for course(s) {', '.join(unknown)}")

    rows = []
    sentences = []
    for index, route in enumerate(_routes(plan)):
        name = _("Beste Route") if index == 0 else _("Alternative %(number)s") % {"number": index}
        summary = _("Wochen: %(weeks)s") % {"weeks": route.total_weeks}
        if route.ready_date is not None:
            summary += ", " + _("bereit am %(date)s") % {"date": fmt(route.ready_date)}
        steps = tuple(_steps(route, courses, missing, _, fmt))
        rows.append(RouteRow(f"{name} — {summary}", steps))
        described = "; ".join(_describe(step, _) for step in steps)
        described = described or _("kein Kurs nötig")
        sentences.append(f"{name} ({summary}): {described}.")

    if plan.feasible and plan.best is not None and not plan.best.courses:
        note = _("Schon bereit: kein Kurs nötig.")
    elif not plan.feasible:
        items = ", ".join(missing.get(u.item, u.item[1]) for u in plan.unreachable)
        note = _("Kein Weg: Die angebotenen Kurse schließen diese Lücke nicht: %(items)s.") % {
            "items": items
        }
    else:
        note = ""

    title = _("Qualifizierungsweg von %(candidate)s zu %(offer)s") % {
        "candidate": candidate_label,
        "offer": offer_label,
    }
    desc = " ".join([*sentences, note]).strip()
    legend = (
        _("Durchgezogener Pfeil: Der nächste Kurs baut auf diesem auf."),
        _("Gestrichelter Pfeil: der nächste Kurs im Zeitplan."),
        _("Gepunkteter Bogen: Ein Kurs baut auf einem früheren auf."),
        _("+ nennt, was der Kurs von der fehlenden Anforderung abdeckt."),
    )
    return RouteView(
        candidate=candidate_label,
        offer=offer_label,
        candidate_caption=_("Teilnehmer/in"),
        offer_caption=_("Angebot"),
        rows=tuple(rows),
        note=note,
        legend=legend if any(row.steps for row in rows) else (),
        title=title,
        desc=desc or title,
    )


def _routes(plan: RoutePlan) -> list[Route]:
    return [plan.best, *plan.alternatives] if plan.best is not None else []


def _steps(
    route: Route,
    courses: Mapping[str, CourseInfo],
    missing: Mapping[Item, str],
    _: Translate,
    fmt: Callable[[dt.date], str],
) -> Iterable[RouteStep]:
    dates = {s.course: (s.start, s.end) for s in route.schedule}
    infos = [courses[course] for course in route.courses]
    for position, info in enumerate(infos):
        closes = tuple(
            _item_text(item, level, missing[item])
            for item, level in sorted(info.teaches.items())
            if item in missing
        )
        needs = tuple(
            sorted(
                {
                    latest
                    for item in info.requires
                    if (latest := _latest_teacher(infos[:position], item)) is not None
                }
            )
        )
        when = dates.get(info.id)
        yield RouteStep(
            course=info.id,
            title=info.title,
            weeks=_("Wochen: %(weeks)s") % {"weeks": info.weeks},
            dates=f"{fmt(when[0])} – {fmt(when[1])}" if when else "",
            closes=closes,
            needs=needs,
        )


def _latest_teacher(earlier: list[CourseInfo], item: Item) -> int | None:
    """The last earlier course that teaches ``item``: the one a later course builds on
    (a B1 course needs the A2 course before it, not also the A1 course before that)."""
    for position in range(len(earlier) - 1, -1, -1):
        if item in earlier[position].teaches:
            return position
    return None


def _item_text(item: Item, level: int, label: str) -> str:
    """A language shows the CEFR level the course reaches (``Deutsch B1``)."""
    kind = item[0]
    if kind == "language":
        return f"{label} {display_level(kind, level)}"
    return label


def _describe(step: RouteStep, _: Translate) -> str:
    parts = [step.weeks]
    if step.dates:
        parts.append(step.dates)
    if step.closes:
        parts.append(_("deckt ab: %(items)s") % {"items": ", ".join(step.closes)})
    return f"{step.title} ({', '.join(parts)})"


# --- drawing -----------------------------------------------------------------------------

PAD = 12
END_W = 132  # candidate and offer nodes
NODE_W = 184
NODE_H = 100
TITLE_LINES = 3
GAP = 44  # room for an arrow between two nodes
HEADING_H = 22
ARC_STEP = 9  # each dotted arc over one more node rises this much higher
CHIP_H = 15
ROW_GAP = 18
LEGEND_H = 16
TITLE_SIZE = 12.5
SMALL = 11


def route_graph_svg(view: RouteView, *, rtl: bool = False, id_prefix: str | None = None) -> str:
    """The route picture as an inline ``<svg>`` string (``viewBox`` scalable; wrap it in a
    horizontally scrollable box on narrow screens). ``rtl`` mirrors it for Arabic and
    Farsi: the candidate on the right, the offer on the left."""
    columns = max((len(row.steps) for row in view.rows), default=0)
    course_x0 = PAD + END_W + GAP
    offer_x = course_x0 + columns * (NODE_W + GAP) if columns else course_x0 + NODE_W
    width = offer_x + END_W + PAD
    note_lines = wrap_text(view.note, width - 2 * PAD, TITLE_SIZE, 3, bold=True)

    # Geometry first: each row's heading baseline and node top.
    rows: list[tuple[RouteRow, float, float]] = []
    y: float = PAD
    for row in view.rows:
        spans = [j - k for j, step in enumerate(row.steps) for k in step.needs if k < j - 1]
        heading_y = y + HEADING_H - 8
        node_top = y + HEADING_H + (_arc_height(max(spans)) + 4 if spans else 0)
        rows.append((row, heading_y, node_top))
        chips = max((len(step.closes) for step in row.steps), default=0)
        y = node_top + NODE_H + chips * CHIP_H + ROW_GAP
    mids = [top + NODE_H / 2 for _, _, top in rows] or [y + NODE_H / 2]
    if not rows:
        y += NODE_H + ROW_GAP
    note_y = y
    if view.note:
        y += len(note_lines) * 17 + 6
    legend_y = y
    height = legend_y + len(view.legend) * LEGEND_H + PAD

    canvas = Canvas(
        width,
        height,
        title=view.title,
        desc=view.desc,
        prefix=id_prefix or picture_prefix("route", view.title, view.desc, rtl),
        rtl=rtl,
        css_class="wg-svg wg-route",
    )
    arrow = canvas.arrow_marker()
    end_mid = sum(mids) / len(mids)
    end_h = 62
    end_top = end_mid - end_h / 2
    _end_node(canvas, PAD, end_top, end_h, view.candidate_caption, view.candidate, "candidate")
    _end_node(canvas, offer_x, end_top, end_h, view.offer_caption, view.offer, "offer")
    line = {"stroke": INK, "stroke_width": 1.5, "marker_end": arrow}

    for row, heading_y, top in rows:
        mid = top + NODE_H / 2
        canvas.text(
            course_x0 if row.steps else PAD,
            heading_y,
            row.heading,
            size=SMALL + 1,
            bold=True,
            class_="wg-heading",
        )
        if not row.steps:
            canvas.line(PAD + END_W, end_mid, offer_x, end_mid, **line)
            continue
        canvas.line(PAD + END_W, end_mid, course_x0, mid, **line)
        for j, step in enumerate(row.steps):
            x = course_x0 + j * (NODE_W + GAP)
            _course_node(canvas, x, top, step)
            if j > 0:
                needed = (j - 1) in step.needs
                canvas.line(
                    x - GAP,
                    mid,
                    x,
                    mid,
                    stroke_dasharray=None if needed else "6 4",
                    class_="wg-edge-needs" if needed else "wg-edge-order",
                    **line,
                )
            for k in step.needs:
                if k < j - 1:
                    x1 = course_x0 + k * (NODE_W + GAP) + NODE_W / 2 + 10
                    x2 = x + NODE_W / 2 - 10
                    rise = top - _arc_height(j - k) * 4 / 3  # a cubic peaks at 3/4 of it
                    canvas.curve(
                        (x1, top),
                        (x1, rise),
                        (x2, rise),
                        (x2, top),
                        stroke=INK,
                        stroke_width=1.2,
                        stroke_dasharray="1.5 3",
                        stroke_linecap="round",
                        marker_end=arrow,
                        class_="wg-edge-arc",
                    )
        last_x = course_x0 + (len(row.steps) - 1) * (NODE_W + GAP) + NODE_W
        canvas.line(last_x, mid, offer_x, end_mid, **line)

    if view.note:
        for index, text in enumerate(note_lines):
            canvas.text(
                PAD, note_y + 13 + index * 17, text, size=TITLE_SIZE, bold=True, class_="wg-note"
            )
    for index, entry in enumerate(view.legend):
        canvas.text(
            PAD,
            legend_y + (index + 1) * LEGEND_H - 4,
            entry,
            size=SMALL,
            fill=MUTED,
            class_="wg-legend",
        )
    return canvas.render()


def _arc_height(span: int) -> float:
    return ARC_STEP * span


def _end_node(
    canvas: Canvas, x: float, y: float, h: float, caption: str, name: str, kind: str
) -> None:
    canvas.open_group(tooltip=f"{caption}: {name}", class_=f"wg-node wg-{kind}")
    canvas.rect(x, y, END_W, h, rx=h / 2, fill=PAPER, stroke=INK, stroke_width=2)
    canvas.text(x + END_W / 2, y + 17, caption, side="middle", size=SMALL, fill=MUTED)
    lines = wrap_text(name, END_W - 20, TITLE_SIZE, max_lines=2, bold=True)
    for index, line in enumerate(lines):
        canvas.text(
            x + END_W / 2,
            y + (35 if len(lines) > 1 else 40) + index * 15,
            line,
            side="middle",
            size=TITLE_SIZE,
            bold=True,
        )
    canvas.close_group()


def _course_node(canvas: Canvas, x: float, top: float, step: RouteStep) -> None:
    canvas.open_group(
        tooltip=" — ".join(p for p in (step.title, step.weeks, step.dates) if p),
        class_="wg-node wg-course",
        data_course=step.course,
    )
    canvas.rect(x, top, NODE_W, NODE_H, rx=6, fill=PAPER, stroke=ACCENT, stroke_width=2)
    canvas.rect(x, top, 6, NODE_H, fill=ACCENT)  # a bar on the reading-start side
    inner = NODE_W - 20
    for index, line in enumerate(wrap_text(step.title, inner, TITLE_SIZE, TITLE_LINES, True)):
        canvas.text(x + 14, top + 18 + index * 15, line, size=TITLE_SIZE, bold=True)
    canvas.text(x + 14, top + 70, step.weeks, size=SMALL, fill=MUTED)
    if step.dates:
        canvas.text(x + 14, top + 88, step.dates, size=SMALL, fill=MUTED, neutral=True)
    for index, item in enumerate(step.closes):
        label = f"+ {item}"
        shown = (
            label
            if text_width(label, SMALL) <= NODE_W + GAP - 8
            else wrap_text(label, NODE_W + GAP - 8, SMALL, 1)[0]
        )
        canvas.text(
            x + 4,
            top + NODE_H + 13 + index * CHIP_H,
            shown,
            size=SMALL,
            fill=INK,
            class_="wg-closes",
        )
    canvas.close_group()
