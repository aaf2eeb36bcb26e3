"""Server-side pictures for the web pages: accessible inline SVG strings.

Pure functions — no Flask, no store, no JavaScript, no CDN — so a template embeds the
result with ``|safe`` (everything inside is escaped here) and a test checks it as XML:

* :func:`route_graph_svg` — the training route as a graph (build its input with
  :func:`route_view` from a ``RoutePlan`` and :class:`CourseInfo` per course);
* :func:`timeline_svg` — a route's course dates up to the ready date;
* :func:`bar_chart_svg` and :func:`share_bar_svg` — the advisor dashboard's counts and
  shares (the page shows the same numbers as a table).

Each takes ``labels`` (a gettext-like callable for the picture's own words), ``locale``
(Babel, for dates and numbers) and ``rtl`` (mirror for Arabic and Farsi).
"""

from web.render.charts import bar_chart_svg, share_bar_svg
from web.render.route import (
    CourseInfo,
    RouteRow,
    RouteStep,
    RouteView,
    course_info,
    missing_labels,
    route_graph_svg,
    route_view,
)
from web.render.timeline import timeline_svg

__all__ = [
    "CourseInfo",
    "RouteRow",
    "RouteStep",
    "RouteView",
    "bar_chart_svg",
    "course_info",
    "missing_labels",
    "route_graph_svg",
    "route_view",
    "share_bar_svg",
    "timeline_svg",
]
