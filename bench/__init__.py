"""Benchmarks of Wegweiser; each module runs with ``python -m bench.NAME`` (see README.md)."""
