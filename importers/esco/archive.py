"""Unpacking an uploaded ESCO download (a .zip of its CSV files) without trusting it.

The web admin uploads ESCO as a zip; the importer reads directories. A zip from outside
can carry members that escape the target directory (``../x``, ``/etc/x``), symlinks, a
million tiny members, or a few kilobytes that inflate to gigabytes (a "zip bomb", also as
a ``.csv.gz`` inside the zip). So every member name is checked and the declared sizes are
summed *before* a byte is written, the real sizes are counted while writing (headers can
lie), and gzipped members are test-inflated against the same limit. Only ``.csv`` and
``.csv.gz`` members are written; everything else in the download is skipped. Any breach
raises ``ArchiveInvalid`` (an ``InvalidInput``) naming the member and the limit, in German
and English, and leaves nothing written in the target directory.
"""

from __future__ import annotations

import gzip
import shutil
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from graph.errors import InvalidInput

__all__ = [
    "MAX_MEMBERS",
    "MAX_UNPACKED_BYTES",
    "ArchiveInvalid",
    "Unpacked",
    "check_gzip",
    "csv_dirs",
    "extract_csv_zip",
]

MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
"""All CSV data of one upload, after unzipping and gunzipping (ESCO per language: ~150 MB)."""
MAX_MEMBERS = 2_000
"""Entries in the zip, directories and skipped files included (ESCO per language: ~20)."""
CSV_SUFFIXES = (".csv", ".csv.gz")
_CHUNK = 1024 * 1024

ExtractProgress = Callable[[int, int], None]
"""``progress(bytes_done, bytes_total)`` of the compressed members while unpacking."""


class ArchiveInvalid(InvalidInput):
    """The upload cannot be unpacked safely; ``de`` and ``en`` say why for a person."""

    def __init__(self, de: str, en: str, member: str = "") -> None:
        super().__init__(f"{en}; nothing was written")
        self.de = de
        self.en = en
        self.member = member


@dataclass(frozen=True)
class Unpacked:
    """What ``extract_csv_zip`` wrote: CSV files relative to the target, and what it skipped."""

    root: Path
    files: list[Path]
    unpacked_bytes: int
    skipped: list[str] = field(default_factory=list)


def size_text(size: int) -> str:
    """A limit as people read it: MB above 1 MB, else KB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{max(1, size // 1024)} KB"


def extract_csv_zip(
    archive: Path,
    target: Path,
    max_bytes: int = MAX_UNPACKED_BYTES,
    max_members: int = MAX_MEMBERS,
    progress: ExtractProgress | None = None,
) -> Unpacked:
    """Write the ``.csv``/``.csv.gz`` members of ``archive`` below ``target`` (a new
    directory); raises ``ArchiveInvalid`` and removes ``target`` again if anything is
    unsafe or over a limit."""
    target = Path(target)
    try:
        with zipfile.ZipFile(archive) as zf:
            members = _plan(zf, max_bytes, max_members)
            target.mkdir(parents=True, exist_ok=False, mode=0o700)
            try:
                return _write(zf, members, target, max_bytes, progress)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as e:
        raise ArchiveInvalid(
            f"Die Datei ist kein lesbares ZIP-Archiv ({e}).",
            f"the file is not a readable zip archive ({e})",
        ) from e


def csv_dirs(unpacked: Unpacked) -> list[Path]:
    """Every directory holding an unpacked CSV file, sorted: what ``import_esco`` reads
    (a download may sit at the top of the zip, in one folder, or one folder per language)."""
    return sorted({(unpacked.root / f).parent for f in unpacked.files})


def check_gzip(
    path: Path, max_bytes: int, name: str | None = None, budget: int | None = None
) -> int:
    """The inflated size of a gzip file; ``ArchiveInvalid`` if over ``budget`` (what is
    left of ``max_bytes``, the limit the message names) or broken. Reads in chunks and
    stops at the limit, so a gzip bomb costs neither memory nor disk."""
    shown = name or Path(path).name
    allowed = max_bytes if budget is None else budget
    size = 0
    try:
        with gzip.open(path, "rb") as inflated:
            while chunk := inflated.read(_CHUNK):
                size += len(chunk)
                if size > allowed:
                    raise _too_big(shown, max_bytes)
    except (OSError, EOFError, zlib.error) as e:
        raise ArchiveInvalid(
            f"{shown}: keine gültige gzip-Datei ({e}).",
            f"{shown}: not a valid gzip file ({e})",
            shown,
        ) from e
    return size


def _too_big(name: str, max_bytes: int) -> ArchiveInvalid:
    limit = size_text(max_bytes)
    return ArchiveInvalid(
        f"{name}: Entpackt wären die CSV-Dateien größer als die Grenze von {limit}. "
        "Laden Sie weniger Sprachen hoch oder importieren Sie über die Kommandozeile.",
        f"{name}: the CSV files would unpack to more than the limit of {limit}; upload fewer "
        "languages or import on the command line",
        name,
    )


def _safe_name(info: zipfile.ZipInfo) -> PurePosixPath | None:
    """The member's relative path, None for what is skipped; ``ArchiveInvalid`` if unsafe."""
    raw = info.filename
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        raise ArchiveInvalid(
            f"{raw}: Symbolische Verknüpfungen sind im Archiv nicht erlaubt.",
            f"{raw}: symbolic links are not allowed in the archive",
            raw,
        )
    name = raw.replace("\\", "/")
    parts = name.split("/")
    if (
        "\x00" in name
        or name.startswith("/")
        or (len(parts[0]) >= 2 and parts[0][1] == ":")
        or ".." in parts
    ):
        raise ArchiveInvalid(
            f"{raw}: Der Pfad zeigt aus dem Archiv hinaus (absolut oder mit „..“).",
            f"{raw}: the path points outside the archive (absolute or with '..')",
            raw,
        )
    clean = [p for p in parts if p not in ("", ".")]
    if info.is_dir() or not clean:
        return None
    if any(p.startswith(".") or p == "__MACOSX" for p in clean):
        return None  # hidden files and macOS resource forks
    if not clean[-1].lower().endswith(CSV_SUFFIXES):
        return None
    return PurePosixPath(*clean)


def _plan(
    zf: zipfile.ZipFile, max_bytes: int, max_members: int
) -> list[tuple[zipfile.ZipInfo, PurePosixPath | None]]:
    """Check every name, the member count and the declared sizes; nothing is written yet."""
    infos = zf.infolist()
    if len(infos) > max_members:
        raise ArchiveInvalid(
            f"Das Archiv hat {len(infos)} Einträge; erlaubt sind höchstens {max_members}.",
            f"the archive has {len(infos)} entries; at most {max_members} are allowed",
        )
    plan = [(info, _safe_name(info)) for info in infos]
    seen: set[str] = set()
    declared = 0
    for info, name in plan:
        if name is None:
            continue
        key = str(name).lower()
        if key in seen:
            raise ArchiveInvalid(
                f"{info.filename}: Die Datei steht zweimal im Archiv.",
                f"{info.filename}: the file is in the archive twice",
                info.filename,
            )
        seen.add(key)
        if info.flag_bits & 0x1:
            raise ArchiveInvalid(
                f"{info.filename}: Verschlüsselte Dateien können nicht gelesen werden.",
                f"{info.filename}: encrypted files cannot be read",
                info.filename,
            )
        declared += info.file_size
        if declared > max_bytes:
            raise _too_big(info.filename, max_bytes)
    if not seen:
        raise ArchiveInvalid(
            "Das Archiv enthält keine .csv- oder .csv.gz-Datei.",
            "the archive holds no .csv or .csv.gz file",
        )
    return plan


def _write(
    zf: zipfile.ZipFile,
    plan: list[tuple[zipfile.ZipInfo, PurePosixPath | None]],
    target: Path,
    max_bytes: int,
    progress: ExtractProgress | None,
) -> Unpacked:
    root = target.resolve()
    wanted = [(info, name) for info, name in plan if name is not None]
    total = sum(info.compress_size for info, _ in wanted) or 1
    done = unpacked = 0
    files: list[Path] = []
    for info, name in wanted:
        out = (root / name).resolve()
        if not out.is_relative_to(root):  # defence in depth; _safe_name already refused
            raise ArchiveInvalid(
                f"{info.filename}: Der Pfad zeigt aus dem Archiv hinaus.",
                f"{info.filename}: the path points outside the archive",
                info.filename,
            )
        before = unpacked
        try:
            out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with zf.open(info) as source, open(out, "xb") as sink:
                while chunk := source.read(_CHUNK):
                    unpacked += len(chunk)
                    if unpacked > max_bytes:
                        raise _too_big(info.filename, max_bytes)
                    sink.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
            raise ArchiveInvalid(
                f"{info.filename}: kann nicht entpackt werden ({e}).",
                f"{info.filename}: cannot be unpacked ({e})",
                info.filename,
            ) from e
        except OSError as e:  # a member named like a folder of another one
            raise ArchiveInvalid(
                f"{info.filename}: kann nicht geschrieben werden ({e.strerror}).",
                f"{info.filename}: cannot be written ({e.strerror})",
                info.filename,
            ) from e
        if out.name.lower().endswith(".gz"):
            inflated = check_gzip(out, max_bytes, info.filename, budget=max_bytes - before)
            unpacked = before + inflated
        files.append(out.relative_to(root))
        done += info.compress_size
        if progress is not None:
            progress(done, total)
    skipped = [info.filename for info, name in plan if name is None and not info.is_dir()]
    return Unpacked(root, files, unpacked, skipped)
