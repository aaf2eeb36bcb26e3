"""The course dates of a route on a time axis, up to the day the candidate is ready.

Built to be read on a phone (320 px: a 400-unit ``viewBox`` keeps 12-unit text at about
10 px) and on paper: one row per course — its title on a line of its own, a bar from its
start to its end with the dates written beside it — month ticks along the top, a dashed
line for today and a solid one for the ready date, each named in words below the axis.
Course order, dates and markers are all text too, so the ``<desc>`` reads the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from graph.planning.types import ScheduledCourse
from web.render.formats import date_formatter, month_names
from web.render.svg import (
    ACCENT,
    GRID,
    INK,
    MUTED,
    PAPER,
    Canvas,
    Translate,
    fit_text,
    identity,
    picture_prefix,
    text_width,
)

__all__ = ["timeline_svg"]

WIDTH = 400
PAD = 12
AXIS_TOP = 34  # month labels above, year labels above them
ROW_H = 40  # title line + bar
BAR_H = 14
LABEL = 12
SMALL = 11
HALO = {"stroke": PAPER, "stroke_width": 3, "paint_order": "stroke", "stroke_linejoin": "round"}
"""A white outline behind text so that grid and marker lines never cut through letters."""


def timeline_svg(
    schedule: Sequence[ScheduledCourse],
    start: dt.date,
    ready_date: dt.date | None,
    *,
    titles: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    labels: Translate = identity,
    locale: str | None = None,
    date_format: Callable[[dt.date], str] | None = None,
    rtl: bool = False,
    id_prefix: str | None = None,
) -> str:
    """The schedule as an inline ``<svg>``.

    ``schedule`` is a route's ``schedule`` (in the order to take the courses); ``titles``
    maps course ids to titles (the id is shown otherwise); ``start`` is the day the plan
    starts from and ``ready_date`` the day the last course ends (``None`` when no route
    exists). ``today`` defaults to the real today. ``rtl`` lets time run right to left.
    """
    _ = labels
    plain = date_format or date_formatter(locale)
    # In RTL a date is isolated inside a sentence, so an untranslated (LTR) sentence
    # cannot scramble an Arabic date's digits and marks.
    fmt = (lambda day: f"\u2068{plain(day)}\u2069") if rtl else plain
    dates_fmt = plain  # a date range on its own is isolated as a whole (``neutral``)
    months = month_names(locale)
    titles = titles or {}
    today = today or dt.date.today()
    courses = sorted(schedule, key=lambda s: (s.start, s.end))

    first = min([start, today, *(s.start for s in courses)])
    last = max([start, today, *(s.end for s in courses), *([ready_date] if ready_date else [])])
    axis_from = first.replace(day=1)
    axis_to = _next_month(last)
    span = (axis_to - axis_from).days
    left, right = PAD, WIDTH - PAD

    def px(day: dt.date) -> float:
        return left + (day - axis_from).days / span * (right - left)

    rows_top = AXIS_TOP + 10
    rows_h = max(1, len(courses)) * ROW_H
    markers_y = rows_top + rows_h + 8
    height = markers_y + 2 * 16 + PAD

    sentences = [
        f"{titles.get(s.course, s.course)}: {fmt(s.start)} – {fmt(s.end)}" for s in courses
    ]
    ready_text = (
        _("Bereit am %(date)s") % {"date": fmt(ready_date)}
        if ready_date
        else _("Kein Bereitschaftsdatum: Die angebotenen Kurse schließen die Lücke nicht.")
    )
    today_text = _("Heute: %(date)s") % {"date": fmt(today)}
    title = _("Kurstermine bis zur Bereitschaft")
    desc = ". ".join([*sentences, ready_text.rstrip("."), today_text]) + "."
    canvas = Canvas(
        WIDTH,
        height,
        title=title,
        desc=desc,
        prefix=id_prefix or picture_prefix("timeline", desc, rtl),
        rtl=rtl,
        css_class="wg-svg wg-timeline",
    )

    # Month grid and ticks: label every k-th month so that labels never collide.
    month_starts = _month_starts(axis_from, axis_to)
    widest = max(text_width(name, SMALL) for name in months) + 6
    per_month = (right - left) / max(1, len(month_starts))
    step = next((k for k in (1, 2, 3, 4, 6, 12) if per_month * k >= widest), 12)
    for index, day in enumerate(month_starts):
        x = px(day)
        canvas.line(x, AXIS_TOP, x, rows_top + rows_h, stroke=GRID, stroke_width=1)
        name = months[day.month - 1]
        if index % step == 0 and x + 2 + text_width(name, SMALL) <= WIDTH - 2:
            canvas.line(x, AXIS_TOP - 4, x, AXIS_TOP + 2, stroke=INK, stroke_width=1)
            canvas.text(x + 2, AXIS_TOP - 6, name, size=SMALL, fill=INK, class_="wg-month")
    for x, year in _year_labels([(px(day), day) for day in month_starts]):
        canvas.text(x + 2, AXIS_TOP - 20, year, size=SMALL, bold=True, class_="wg-year")
    canvas.line(left, AXIS_TOP, right, AXIS_TOP, stroke=INK, stroke_width=1)

    # One row per course: the title, then the bar with its dates beside it.
    for index, course in enumerate(courses):
        y = rows_top + index * ROW_H
        name = titles.get(course.course, course.course)
        canvas.open_group(
            tooltip=sentences[index],
            class_="wg-course",
            data_course=course.course,
            data_start=course.start.isoformat(),
        )
        canvas.text(
            left, y + 13, fit_text(name, right - left, LABEL, True), size=LABEL, bold=True, **HALO
        )
        x0, x1 = px(course.start), max(px(course.end), px(course.start) + 2)
        bar_y = y + 18
        canvas.rect(
            x0, bar_y, x1 - x0, BAR_H, fill=ACCENT, stroke=INK, stroke_width=1, class_="wg-bar"
        )
        dates = f"{dates_fmt(course.start)} – {dates_fmt(course.end)}"
        need = text_width(dates, SMALL) + 6
        after, before, inside = right - x1, x0 - left, x1 - x0
        base = bar_y + BAR_H - 3
        if after >= need or (after >= before and after >= inside):
            canvas.text(x1 + 4, base, dates, size=SMALL, fill=MUTED, neutral=True, **HALO)
        elif before >= need or before >= inside:
            canvas.text(
                x0 - 4, base, dates, side="right", size=SMALL, fill=MUTED, neutral=True, **HALO
            )
        else:
            canvas.text(x0 + 4, base, dates, size=SMALL, fill=PAPER, neutral=True)
        canvas.close_group()
    if not courses:
        note = _("Kein Kurs nötig.") if ready_date else ready_text
        canvas.text(
            left + 6, rows_top + 24, fit_text(note, right - left - 6, LABEL), size=LABEL, **HALO
        )

    # Markers: today dashed, ready solid; both named in words below the axis.
    marks = [(today, today_text, "6 3", 1.5, "wg-today")]
    if ready_date:
        marks.append((ready_date, ready_text, None, 2.5, "wg-ready"))
    for line_no, (day, text, dash, stroke, css) in enumerate(marks):
        x = px(day)
        label_y = markers_y + 12 + line_no * 16
        canvas.line(
            x,
            AXIS_TOP,
            x,
            label_y - 10,
            stroke=INK,
            stroke_width=stroke,
            stroke_dasharray=dash,
            class_=css,
        )
        side = "right" if x > (left + right) / 2 else "left"
        canvas.text(
            x + (-3 if side == "right" else 3),
            label_y,
            text,
            side=side,
            size=SMALL,
            bold=css == "wg-ready",
            class_=f"{css}-label",
            **HALO,
        )
    return canvas.render()


def _year_labels(ticks: list[tuple[float, dt.date]]) -> list[tuple[float, str]]:
    """Each January gets its year; the first month too when it is not a January and
    there is room before the next one (so ``2026`` over December, ``2027`` over January)."""
    year_w = text_width("0000", SMALL, bold=True) + 6
    januaries = [(x, str(day.year)) for x, day in ticks if day.month == 1]
    labels = [item for item in januaries if item[0] + year_w <= WIDTH]
    x0, first = ticks[0]
    if first.month != 1 and (not januaries or x0 + year_w <= januaries[0][0]):
        labels.insert(0, (x0, str(first.year)))
    return labels


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_starts(first: dt.date, stop: dt.date) -> list[dt.date]:
    days = []
    day = first
    while day < stop:
        days.append(day)
        day = _next_month(day)
    return days
