"""Scale worlds for benchmarks, from a district to all of Germany (see ``generator``)."""

from importers.scale.context import ScaleSize
from importers.scale.generator import JSON_LIMIT, scale_context, scale_world, write_scale_world

__all__ = ["JSON_LIMIT", "ScaleSize", "scale_context", "scale_world", "write_scale_world"]
