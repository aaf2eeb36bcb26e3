"""Advisors (Jobcenter, Agentur, DRK): the candidates of their own organisation.

One blueprint, one module per page group: ``dashboard`` (the numbers of the year),
``candidates`` (search and profile), ``casework`` (matching offers, gap, route, propose,
enrol), ``interpreter`` (German and the candidate's language side by side) and ``region``
(what blocks the most candidates), ``coaches`` (suggest and assign, who accompanies
whom), ``placements`` (status changes, pipeline), ``edit`` (the profile, with a
conflict check), ``contacts`` (employers' contact requests), ``sharing`` (sharing a
candidate with another organisation) and ``gdpr`` (export and erasure of a candidate).
Every candidate is fetched through ``web.guard.find_or_404``, every list through
``graph.access.candidate_scope``.
"""

from __future__ import annotations

from web.guard import audience_blueprint

bp = audience_blueprint("advisor", __name__, "/advisor", roles=["advisor"])

from web.advisor import (  # noqa: E402,F401  (the modules register their views on bp)
    access_report,
    candidates,
    casework,
    coaches,
    contacts,
    dashboard,
    edit,
    gdpr,
    interpreter,
    placements,
    region,
    sharing,
)

__all__ = ["bp"]
