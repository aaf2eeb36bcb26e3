"""World files (``wegweiser-world/1``): the whole graph as one JSON document."""

from graph.world.files import ImportReport, dumps_world, export_world, import_world, read_world
from graph.world.schema import FORMAT
from graph.world.validate import ValidWorld, parse_json, validate_world

__all__ = [
    "FORMAT",
    "ImportReport",
    "ValidWorld",
    "dumps_world",
    "export_world",
    "import_world",
    "parse_json",
    "read_world",
    "validate_world",
]
