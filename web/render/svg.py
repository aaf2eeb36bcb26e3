"""The few drawing primitives every picture shares, written so that the pictures are safe
and accessible by construction rather than by care in each chart.

* Every piece of text goes through :func:`esc`: labels come from user data (course
  titles, town names, candidate names), so a ``<script>`` or ``&`` must stay text, and
  characters XML cannot hold are replaced instead of breaking the page.
* Every picture gets ``role="img"``, a ``<title>`` and a ``<desc>`` (the text
  alternative), referenced by ``aria-labelledby``, with ids under one prefix so several
  pictures can sit on one page.
* Right-to-left pages mirror the x axis in one place (:class:`Canvas`): callers draw in
  left-to-right coordinates and say which visual side a text hangs from. In RTL each
  text is a first-strong isolate (FSI…PDI): an Arabic or Farsi label mixed with numbers
  reads right to left, a German course title stays left to right, and ``text-anchor``
  keeps its plain left/right meaning in every browser.
* Only presentation attributes, no ``style`` and no script: the pictures work under a
  strict Content-Security-Policy, offline, and print as they look.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Literal

__all__ = [
    "ACCENT",
    "ACCENT_LIGHT",
    "GRID",
    "INK",
    "MUTED",
    "PAPER",
    "Canvas",
    "Translate",
    "esc",
    "fit_text",
    "identity",
    "picture_prefix",
    "text_width",
    "wrap_text",
]

Translate = Callable[[str], str]
"""A gettext-like callable: message id in, translated text out (``%(name)s`` kept)."""

Side = Literal["left", "middle", "right"]

# Colours: contrast against white (#fff) — text ≥ 4.5:1, graphic objects ≥ 3:1 (WCAG 1.4.3,
# 1.4.11). INK 17.4:1, MUTED 8.6:1, ACCENT 8.3:1, ACCENT_LIGHT 3.4:1 (fills with a dark
# outline). GRID is decoration only and carries no information.
INK = "#1a1a1a"
MUTED = "#484848"
ACCENT = "#1d4f91"
ACCENT_LIGHT = "#6b8fc4"
GRID = "#d6d6d6"
PAPER = "#ffffff"

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', sans-serif"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_FSI, _RLI, _PDI = "\u2068", "\u2067", "\u2069"


def identity(message: str) -> str:
    """The default translation: the message id itself (English)."""
    return message


def esc(value: object) -> str:
    """``value`` as XML text or attribute content: markup escaped, illegal characters
    replaced by U+FFFD so that user data can never make the document ill-formed."""
    text = _NOT_XML.sub("\ufffd", str(value))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def picture_prefix(kind: str, *parts: object) -> str:
    """A stable id prefix for one picture, from what it shows: the same picture gets the
    same ids on every render (cacheable, testable), different pictures differ."""
    digest = hashlib.sha1("\x1f".join(map(str, (kind, *parts))).encode()).hexdigest()[:8]
    return f"wg-{kind}-{digest}"


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of rendered width in user units (no font metrics on the
    server): average glyphs are at most about 0.6 em, bold 0.66 em, in DejaVu Sans, the
    widest common fallback font."""
    return len(text) * size * (0.66 if bold else 0.6)


def fit_text(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` (the full text stays in the
    picture's description and the element's tooltip)."""
    if text_width(text, size, bold) <= width:
        return text
    chars = max(1, int(width / (size * (0.66 if bold else 0.6))) - 1)
    return text[:chars].rstrip() + "…"


def wrap_text(
    text: str, width: float, size: float, max_lines: int = 2, bold: bool = False
) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines of ``width``; the last line is
    cut with an ellipsis when the text does not fit (a word longer than a line is split)."""
    per_line = max(1, int(width / (size * (0.66 if bold else 0.6))))
    words = text.split()
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        joined = f"{current} {word}" if current else word
        if len(joined) <= per_line:
            current = joined
            continue
        if len(lines) == max_lines - 1:
            lines.append(fit_text(" ".join([joined, *words[index + 1 :]]), width, size, bold))
            return lines
        if current:
            lines.append(current)
        current = word
        while len(current) > per_line:
            if len(lines) == max_lines - 1:
                rest = " ".join([current, *words[index + 1 :]])
                lines.append(fit_text(rest, width, size, bold))
                return lines
            lines.append(current[:per_line])
            current = current[per_line:]
    if current:
        lines.append(current)
    return lines or [""]


def _attrs(attributes: dict[str, object]) -> str:
    return "".join(
        f' {key.rstrip("_").replace("_", "-")}="{esc(value)}"'
        for key, value in attributes.items()
        if value is not None
    )


class Canvas:
    """One SVG document under construction, drawn in left-to-right coordinates.

    With ``rtl`` every x coordinate is mirrored (``width - x``) and every text's visual
    side swapped, so one drawing routine serves both directions.
    """

    def __init__(
        self,
        width: float,
        height: float,
        *,
        title: str,
        desc: str,
        prefix: str,
        rtl: bool = False,
        css_class: str = "",
    ) -> None:
        self.width = width
        self.height = height
        self.title = title
        self.desc = desc
        self.prefix = prefix
        self.rtl = rtl
        self.css_class = css_class
        self.defs: list[str] = []
        self.body: list[str] = []

    # --- coordinates ---------------------------------------------------------------------

    def x(self, x: float) -> float:
        """The drawn x of a left-to-right x."""
        return round(self.width - x if self.rtl else x, 2)

    def id(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    # --- elements ------------------------------------------------------------------------

    def raw(self, markup: str) -> None:
        """Append markup built by the caller from escaped parts."""
        self.body.append(markup)

    def open_group(self, tooltip: str | None = None, **attributes: object) -> None:
        self.body.append(f"<g{_attrs(attributes)}>")
        if tooltip:
            self.body.append(f"<title>{esc(tooltip)}</title>")

    def close_group(self) -> None:
        self.body.append("</g>")

    def rect(self, x: float, y: float, w: float, h: float, **attributes: object) -> None:
        left = self.x(x + w) if self.rtl else self.x(x)
        self.body.append(
            f'<rect x="{left}" y="{round(y, 2)}" width="{round(w, 2)}" '
            f'height="{round(h, 2)}"{_attrs(attributes)}/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, **attributes: object) -> None:
        self.body.append(
            f'<line x1="{self.x(x1)}" y1="{round(y1, 2)}" x2="{self.x(x2)}" '
            f'y2="{round(y2, 2)}"{_attrs(attributes)}/>'
        )

    def curve(
        self,
        start: tuple[float, float],
        c1: tuple[float, float],
        c2: tuple[float, float],
        end: tuple[float, float],
        **attributes: object,
    ) -> None:
        """A cubic Bézier from ``start`` to ``end`` (all points mirrored as needed)."""
        points = " ".join(f"{self.x(px)},{round(py, 2)}" for px, py in (c1, c2, end))
        self.body.append(
            f'<path d="M{self.x(start[0])},{round(start[1], 2)} C{points}" '
            f'fill="none"{_attrs(attributes)}/>'
        )

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        side: Side = "left",
        size: float = 12,
        bold: bool = False,
        fill: str = INK,
        neutral: bool = False,
        **attributes: object,
    ) -> None:
        """Real ``<text>`` hanging from ``side`` at ``x`` (its baseline at ``y``).

        ``neutral`` marks text without letters of its own (a date range, a number): in an
        RTL picture it then reads right to left instead of taking its direction from its
        first letter."""
        if self.rtl and side != "middle":
            side = "right" if side == "left" else "left"
        anchor = {"left": "start", "middle": "middle", "right": "end"}[side]
        opening = _RLI if neutral else _FSI
        shown = f"{opening}{content}{_PDI}" if self.rtl and content else content
        weight = ' font-weight="bold"' if bold else ""
        self.body.append(
            f'<text x="{self.x(x)}" y="{round(y, 2)}" font-size="{size}" '
            f'text-anchor="{anchor}" fill="{fill}"{weight}'
            f"{_attrs(attributes)}>{esc(shown)}</text>"
        )

    def arrow_marker(self) -> str:
        """Define (once) an arrowhead following the line's direction; returns its url."""
        marker = self.id("arrow")
        if not any(marker in d for d in self.defs):
            self.defs.append(
                f'<marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" '
                f'markerWidth="7" markerHeight="7" orient="auto" markerUnits="strokeWidth">'
                f'<path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker>'
            )
        return f"url(#{marker})"

    def hatch_pattern(self, name: str, kind: str) -> str:
        """Define (once) a fill pattern so that parts differ by more than colour;
        ``kind`` is ``solid``, ``diagonal``, ``dots`` or ``cross``. Returns the fill."""
        if kind == "solid":
            return ACCENT
        pattern = self.id(f"pattern-{name}")
        if any(pattern in d for d in self.defs):
            return f"url(#{pattern})"
        shapes = {
            "diagonal": f'<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="{ACCENT}" '
            'stroke-width="2"/>',
            "dots": f'<circle cx="4" cy="4" r="1.8" fill="{ACCENT}"/>',
            "cross": f'<path d="M0,4 L8,4 M4,0 L4,8" stroke="{ACCENT}" stroke-width="1.5"/>',
        }[kind]
        self.defs.append(
            f'<pattern id="{pattern}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{PAPER}"/>{shapes}</pattern>'
        )
        return f"url(#{pattern})"

    # --- output --------------------------------------------------------------------------

    def render(self) -> str:
        """The finished ``<svg>`` element (no XML declaration: it is inlined in HTML)."""
        title_id, desc_id = self.id("title"), self.id("desc")
        width, height = round(self.width), round(self.height)
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        css = f' class="{esc(self.css_class)}"' if self.css_class else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" font-family="{esc(FONT)}"{css}>'
            f'<title id="{title_id}">{esc(self.title)}</title>'
            f'<desc id="{desc_id}">{esc(self.desc)}</desc>'
            f'{defs}<rect width="{width}" height="{height}" fill="{PAPER}"/>'
            f"{''.join(self.body)}</svg>"
        )
