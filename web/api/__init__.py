"""The JSON API under ``/api/v1``: the same users, roles and scopes as the pages.

Read-only: candidates, offers, courses, coaches, and for one candidate the skill gap,
the training route and the matching offers; for one offer the matching candidates
(pseudonymised for employers). Every operation is declared once with
``web.api.registry.operation``, which serves it and describes it in the OpenAPI
document at ``/api/v1/openapi.json``; errors are RFC 9457 problem details.
"""

from __future__ import annotations

from web.api import advice, catalogue, meta, people  # noqa: F401  (registers the views)
from web.api.blueprint import bp

__all__ = ["bp"]
