"""Finding and reading the CSV files of a taxonomy download, plain or gzipped.

ESCO, the BA mapping tables and the KldB lists all come as CSV with their own quirks (a
byte-order mark, a metadata block above the header, cp850, ``;``). This module hides them
behind one reader that checks the header first, so that a renamed column is reported,
naming file and column, before a single row is read, let alone written.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from graph.errors import InvalidInput

__all__ = ["CsvFile", "FileProgress", "check_headers", "find_file", "find_files"]

FileProgress = Callable[[str, int, int], None]
"""Called as ``progress(file_name, bytes_done, bytes_total)`` while a file is read."""

_EVERY = 2_000
"""Rows between two progress reports."""


def find_files(dirs: Sequence[Path], pattern: str) -> list[Path]:
    """Files matching ``pattern`` (a glob without the ``.csv``/``.csv.gz`` suffix) in
    ``dirs``, in the order of ``dirs`` and then by name."""
    found: list[Path] = []
    for directory in dirs:
        for suffix in (".csv", ".csv.gz"):
            found.extend(sorted(Path(directory).glob(pattern + suffix)))
    return found


def find_file(dirs: Sequence[Path], pattern: str, what: str) -> Path:
    """The first file matching ``pattern``; a clear error naming the directories if none."""
    found = find_files(dirs, pattern)
    if not found:
        where = ", ".join(str(d) for d in dirs)
        raise InvalidInput(
            f"{what}: no file {pattern}.csv or {pattern}.csv.gz in {where}; nothing was written"
        )
    return found[0]


@dataclass(frozen=True)
class CsvFile:
    """One CSV file and how to read it."""

    path: Path
    required: tuple[str, ...]
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    header_prefix: str | None = None
    """Skip lines until one starts with this (the BA tables' metadata block)."""

    @property
    def name(self) -> str:
        return self.path.name

    def header(self) -> list[str]:
        """The column names; raises ``InvalidInput`` naming the file and missing column."""
        with self._open() as (text, _raw):
            header, _line = self._read_header(text)
        return header

    def rows(self, progress: FileProgress | None = None) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line, row)`` for every data row (``line`` is where the row ends, 1-based)."""
        total = os.path.getsize(self.path)
        with self._open() as (text, raw):
            header, skipped = self._read_header(text)
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                for count, record in enumerate(reader, start=1):
                    if progress is not None and count % _EVERY == 0:
                        progress(self.name, raw.tell(), total)
                    yield skipped + reader.line_num, dict(zip(header, record, strict=False))
            except (UnicodeDecodeError, csv.Error, EOFError, OSError) as e:
                line = skipped + reader.line_num
                raise InvalidInput(
                    f"{self.path}, line {line}: cannot be read as {self.encoding} CSV ({e}); "
                    "nothing was written"
                ) from e
            if progress is not None:
                progress(self.name, total, total)

    def _read_header(self, text: IO[str]) -> tuple[list[str], int]:
        skipped = 0
        while True:
            line = text.readline()
            if not line:
                raise InvalidInput(f"{self.path}: no header line; nothing was written")
            skipped += 1
            if self.header_prefix is None or line.startswith(self.header_prefix):
                break
        header = [name.strip() for name in next(csv.reader([line], delimiter=self.delimiter))]
        for column in self.required:
            if column not in header:
                shown = ", ".join(name for name in header if name)
                raise InvalidInput(
                    f"{self.path}: column {column!r} is missing (the header has: {shown}); "
                    "nothing was written"
                )
        return header, skipped

    def _open(self) -> _Opened:
        return _Opened(self.path, self.encoding)


class _Opened:
    """Context manager: the text stream and the raw file under it (for progress)."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.encoding = encoding
        self._handles: list[IO] = []

    def __enter__(self) -> tuple[IO[str], IO[bytes]]:
        try:
            raw = open(self.path, "rb")
        except OSError as e:
            raise InvalidInput(f"{self.path}: cannot read ({e.strerror})") from e
        self._handles.append(raw)
        binary: IO[bytes] = raw
        if self.path.suffix == ".gz":
            binary = gzip.GzipFile(fileobj=raw, mode="rb")
            self._handles.append(binary)
        text = io.TextIOWrapper(binary, encoding=self.encoding, newline="")
        self._handles.append(text)
        return text, raw

    def __exit__(self, *exc_info: object) -> None:
        for handle in reversed(self._handles):
            handle.close()


def check_headers(files: Iterable[CsvFile]) -> None:
    """Read every header first: a renamed column fails before any file is read whole."""
    for file in files:
        try:
            file.header()
        except (UnicodeDecodeError, EOFError, OSError) as e:
            raise InvalidInput(f"{file.path}: cannot be read as {file.encoding} CSV ({e})") from e
