"""Dashboard charts: horizontal bars for counts, one stacked bar for shares.

The functions only draw: the numbers come from the caller, who shows the same rows as a
table next to the picture. Every bar carries its label and its value as text, and the
parts of a share differ by pattern as well as by their labels, so no information rests on
colour. Horizontal bars keep long town names and translated labels readable on a phone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from web.render.formats import number_formatter, percent_formatter
from web.render.svg import (
    ACCENT,
    INK,
    MUTED,
    Canvas,
    Translate,
    fit_text,
    identity,
    picture_prefix,
    text_width,
    wrap_text,
)

__all__ = ["bar_chart_svg", "share_bar_svg"]

WIDTH = 400
PAD = 12
TITLE = 14
LABEL = 12
BAR_H = 18
ROW_H = 26
PATTERNS = ("solid", "diagonal", "dots", "cross")
"""Fills of a share's parts in order; a fifth part starts over (and is still labelled)."""


def _checked(rows: Sequence[tuple[str, float]], what: str) -> list[tuple[str, float]]:
    """Rows as (text, float); a negative, infinite or non-number value is a ValueError
    naming the row, because a chart cannot draw it honestly."""
    checked = []
    for index, (label, value) in enumerate(rows, start=1):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{what}: row {index} ({label!r}) has no number: {value!r}") from None
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"{what}: row {index} ({label!r}) must be ≥ 0, got {value!r}")
        checked.append((str(label), number))
    return checked


def bar_chart_svg(
    title: str,
    rows: Sequence[tuple[str, float]],
    *,
    desc: str | None = None,
    labels: Translate = identity,
    locale: str | None = None,
    number_format: Callable[[float], str] | None = None,
    rtl: bool = False,
    id_prefix: str | None = None,
) -> str:
    """One horizontal bar per ``(label, value)`` row, in the given order, each with its
    value written at its end. No rows gives a picture that says so. ``desc`` replaces
    the generated text alternative (``"Heinsberg: 12, Erkelenz: 8."``)."""
    _ = labels
    fmt = number_format or number_formatter(locale)
    data = _checked(rows, "bar_chart_svg")
    top = PAD + _title_height(title)
    height = top + max(1, len(data)) * ROW_H + PAD
    no_data = _("Keine Daten.")
    if desc is None:
        listed = ", ".join(f"{label}: {fmt(value)}" for label, value in data)
        desc = f"{title}. {listed}." if data else f"{title}. {no_data}"
    canvas = Canvas(
        WIDTH,
        height,
        title=title,
        desc=desc,
        prefix=id_prefix or picture_prefix("bars", title, desc, rtl),
        rtl=rtl,
        css_class="wg-svg wg-chart wg-bars",
    )
    _draw_title(canvas, title)
    if not data:
        canvas.text(PAD, top + 18, no_data, size=LABEL, fill=MUTED, class_="wg-empty")
        return canvas.render()

    label_w = min(
        max(text_width(label, LABEL) for label, _value in data) + 8, (WIDTH - 2 * PAD) * 0.42
    )
    value_w = max(text_width(fmt(value), LABEL) for _label, value in data) + 8
    bar_x = PAD + label_w
    bar_room = WIDTH - PAD - bar_x - value_w
    biggest = max(value for _label, value in data) or 1.0
    for index, (label, value) in enumerate(data):
        y = top + index * ROW_H
        shown = fmt(value)
        canvas.open_group(tooltip=f"{label}: {shown}", class_="wg-row")
        canvas.text(
            bar_x - 8,
            y + BAR_H - 4,
            fit_text(label, label_w - 8, LABEL),
            side="right",
            size=LABEL,
        )
        w = value / biggest * bar_room
        if value > 0:
            canvas.rect(
                bar_x,
                y,
                max(w, 1.5),
                BAR_H,
                fill=ACCENT,
                stroke=INK,
                stroke_width=1,
                class_="wg-bar",
            )
        canvas.line(bar_x, y - 3, bar_x, y + BAR_H + 3, stroke=INK, stroke_width=1)
        canvas.text(
            bar_x + w + 5,
            y + BAR_H - 4,
            shown,
            size=LABEL,
            bold=True,
            neutral=True,
            class_="wg-value",
        )
        canvas.close_group()
    return canvas.render()


def share_bar_svg(
    title: str,
    parts: Sequence[tuple[str, float]],
    *,
    desc: str | None = None,
    labels: Translate = identity,
    locale: str | None = None,
    number_format: Callable[[float], str] | None = None,
    rtl: bool = False,
    id_prefix: str | None = None,
) -> str:
    """Shares of a whole (women / men / diverse, internship / apprenticeship / job) as one
    stacked bar, each part with its own pattern, and a legend line per part with the
    pattern swatch, label, count and percentage. An empty or all-zero total says so."""
    _ = labels
    fmt = number_format or number_formatter(locale)
    pct = percent_formatter(locale)
    data = _checked(parts, "share_bar_svg")
    total = sum(value for _label, value in data)
    top = PAD + _title_height(title)
    legend_top = top + 34
    height = legend_top + max(1, len(data)) * 22 + PAD
    no_data = _("Keine Daten.")
    lines = (
        [f"{label}: {fmt(value)} ({pct(value / total)})" for label, value in data] if total else []
    )
    if desc is None:
        desc = f"{title}. {', '.join(lines)}." if total else f"{title}. {no_data}"
    canvas = Canvas(
        WIDTH,
        height,
        title=title,
        desc=desc,
        prefix=id_prefix or picture_prefix("share", title, desc, rtl),
        rtl=rtl,
        css_class="wg-svg wg-chart wg-share",
    )
    _draw_title(canvas, title)
    if not total:
        canvas.text(PAD, top + 18, no_data, size=LABEL, fill=MUTED, class_="wg-empty")
        return canvas.render()

    room = WIDTH - 2 * PAD
    x = float(PAD)
    fills = [canvas.hatch_pattern(str(i), PATTERNS[i % len(PATTERNS)]) for i in range(len(data))]
    for index, (_label, value) in enumerate(data):
        w = value / total * room
        if w > 0:
            canvas.open_group(tooltip=lines[index], class_="wg-part")
            canvas.rect(x, top, w, 24, fill=fills[index], stroke=INK, stroke_width=1.5)
            if w >= text_width(pct(value / total), LABEL, bold=True) + 10 and index == 0:
                canvas.text(
                    x + w / 2,
                    top + 17,
                    pct(value / total),
                    side="middle",
                    size=LABEL,
                    bold=True,
                    fill="#ffffff",
                    neutral=True,
                )
            canvas.close_group()
        x += w
    for index, line in enumerate(lines):
        y = legend_top + index * 22
        canvas.rect(PAD, y, 18, 16, fill=fills[index], stroke=INK, stroke_width=1.5)
        canvas.text(
            PAD + 26, y + 13, fit_text(line, room - 26, LABEL), size=LABEL, class_="wg-legend"
        )
    return canvas.render()


def _title_height(title: str) -> float:
    return len(wrap_text(title, WIDTH - 2 * PAD, TITLE, 2, bold=True)) * 18 + 8


def _draw_title(canvas: Canvas, title: str) -> None:
    for index, line in enumerate(wrap_text(title, WIDTH - 2 * PAD, TITLE, 2, bold=True)):
        canvas.text(PAD, PAD + 14 + index * 18, line, size=TITLE, bold=True, class_="wg-title")
