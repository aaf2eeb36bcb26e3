"""The deterministic demo district of Kreis Heinsberg (see :mod:`importers.demo.generator`)."""

from importers.demo.esco_slice import build_esco_slice
from importers.demo.generator import generate_demo_world, write_demo_world

__all__ = ["build_esco_slice", "generate_demo_world", "write_demo_world"]
