"""``python -m tests.neo4j_server``: run a disposable Neo4j until Ctrl-C or SIGTERM.

Prints ``NEO4J_URI=...``, ``NEO4J_USER=...``, ``NEO4J_PASSWORD=...`` and ``NEO4J_DATABASE=...``
lines on stdout (``eval``-able / ``export``-able) for manual use and benchmarks.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from . import NEO4J_VERSION, Neo4jStartError, start_server


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.neo4j_server",
        description=f"Run a disposable Neo4j {NEO4J_VERSION} community server on 127.0.0.1.",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="parent directory for the server files (default: system temp)",
    )
    parser.add_argument("--heap", default="1g", help="JVM heap, e.g. 512m, 2g (default 1g)")
    parser.add_argument("--pagecache", default="256m", help="page cache size (default 256m)")
    parser.add_argument("--keep", action="store_true", help="keep data and logs after stopping")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        server = start_server(
            args.workdir, heap=args.heap, pagecache=args.pagecache, keep=args.keep
        )
    except Neo4jStartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    with server:
        for key, value in server.env().items():
            print(f"{key}={shlex.quote(value)}", flush=True)
        print(
            f"# Neo4j {NEO4J_VERSION} up in {server.started_in_s:.1f} s, files in "
            f"{server.home}; Ctrl-C to stop",
            file=sys.stderr,
            flush=True,
        )
        while not stop.wait(1.0):
            if server.process.poll() is not None:
                print(f"error: Neo4j exited with code {server.process.returncode}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
