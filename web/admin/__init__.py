"""Admins: organisations, users and roles, imports with progress, taxonomy browsing.

Every view hangs off one blueprint (``web.admin.blueprint``) whose gate lets only admins
in; the modules below only register their views on it.
"""

from web.admin import audit, imports, organisations, retention, taxonomy, users
from web.admin.blueprint import bp

__all__ = ["audit", "bp", "imports", "organisations", "retention", "taxonomy", "users"]
