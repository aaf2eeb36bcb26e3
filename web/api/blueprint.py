"""The API blueprint: ``/api/v1``, for signed-in advisors, employers, coaches and admins.

Made apart from the views so that every view module can register on it; the gate in
front of it (401 when not signed in, 403 for another role) is ``web.guard``'s, the same
as for the pages, and its errors are problem details (``web.api.problems``).
"""

from __future__ import annotations

from web.api.problems import PREFIX, init_problems
from web.guard import audience_blueprint

__all__ = ["bp"]

bp = audience_blueprint("api", __name__, PREFIX, roles=["advisor", "employer", "coach"], api=True)
init_problems(bp)
