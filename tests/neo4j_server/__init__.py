"""Disposable Neo4j community server for tests and benchmarks.

Why this exists: the integration tests and benchmarks need a real Neo4j 5.26 LTS server,
but we do not want to depend on Docker, a system-wide installation or a shared database.
This module resolves the server jars once with Maven (cached outside the work tree, see
``cache_dir()``), then starts a private server per call to ``start_server()``:

* Bolt only, bound to 127.0.0.1 on a free port (HTTP/HTTPS disabled),
* authentication on, with a random password set before first start via ``neo4j-admin``'s
  ``AdminTool`` (no Cypher is sent by this module),
* data, logs and config in a temporary directory that is removed on ``stop()``,
* the JVM in its own process group, stopped with SIGTERM (then SIGKILL) by ``stop()``,
  by the context manager, or at interpreter exit as a safety net.

Requirements: ``java`` 17+ (``$JAVA_HOME/bin/java`` or on PATH) and, for the first fetch
only, ``mvn``. ``java_and_maven_available()`` tells a pytest fixture whether to skip.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

__all__ = [
    "NEO4J_VERSION",
    "Neo4jServer",
    "Neo4jStartError",
    "cache_dir",
    "ensure_jars",
    "java_and_maven_available",
    "start_server",
]

#: Neo4j version served; keep in sync with ``<neo4j.version>`` in pom.xml.
NEO4J_VERSION = "5.26.30"

START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0
LOG_TAIL_LINES = 40
_BIND_RETRIES = 3

_POM = Path(__file__).with_name("pom.xml")
_ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
_ADMIN_TOOL = "org.neo4j.cli.AdminTool"
_JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


class Neo4jStartError(RuntimeError):
    """The server jars could not be fetched or the server did not come up."""


# --------------------------------------------------------------------------- tools


def _java() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("java")


def _require_java() -> str:
    java = _java()
    if java is None:
        raise Neo4jStartError("java not found (set JAVA_HOME or put java 17+ on PATH)")
    return java


def java_and_maven_available() -> tuple[bool, str]:
    """Return ``(True, description)`` if a server can be started, else ``(False, reason)``.

    ``mvn`` is only needed while the jars for ``NEO4J_VERSION`` are not cached yet.
    """
    java = _java()
    if java is None:
        return False, "java not found (set JAVA_HOME or put java 17+ on PATH)"
    lib = _lib_dir()
    if lib.is_dir():
        return True, f"java={java}, Neo4j {NEO4J_VERSION} jars cached in {lib}"
    mvn = shutil.which("mvn")
    if mvn is None:
        return False, f"mvn not found on PATH and Neo4j {NEO4J_VERSION} jars not cached in {lib}"
    return True, f"java={java}, mvn={mvn} (jars will be fetched into {lib})"


# --------------------------------------------------------------------------- jar cache


def cache_dir() -> Path:
    """Root of the jar cache: ``$WEGWEISER_CACHE_DIR`` or ``~/.cache/wegweiser``."""
    root = os.environ.get("WEGWEISER_CACHE_DIR") or "~/.cache/wegweiser"
    return Path(root).expanduser()


def _version_dir() -> Path:
    return cache_dir() / f"neo4j-{NEO4J_VERSION}"


def _lib_dir() -> Path:
    return _version_dir() / "lib"


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_pom(target: Path) -> None:
    text, count = re.subn(
        r"<neo4j\.version>[^<]*</neo4j\.version>",
        f"<neo4j.version>{NEO4J_VERSION}</neo4j.version>",
        _POM.read_text(encoding="utf-8"),
    )
    if count != 1:
        raise Neo4jStartError(f"{_POM} must contain exactly one <neo4j.version> property")
    target.write_text(text, encoding="utf-8")


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _run_maven(workdir: Path, out_dir: Path) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jStartError(f"mvn not found on PATH; cannot fetch Neo4j {NEO4J_VERSION} jars")
    pom = workdir / "pom.xml"
    _write_pom(pom)
    log = workdir / "mvn.log"
    cmd = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={out_dir}",
    ]
    with log.open("wb") as out:
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise Neo4jStartError(
            f"mvn failed (exit {result.returncode}) fetching Neo4j {NEO4J_VERSION}:\n{_tail(log)}"
        )
    marker = out_dir / f"neo4j-{NEO4J_VERSION}.jar"
    if not marker.is_file():
        raise Neo4jStartError(f"mvn succeeded but {marker.name} is missing in {out_dir}")


def _fetch_jars(version_dir: Path, lib: Path) -> None:
    for stale in version_dir.glob(".fetch-*"):
        shutil.rmtree(stale, ignore_errors=True)
    print(
        f"fetching Neo4j {NEO4J_VERSION} server jars with Maven (once, ~125 MB) into {lib}",
        file=sys.stderr,
        flush=True,
    )
    tmp = Path(tempfile.mkdtemp(prefix=".fetch-", dir=version_dir))
    try:
        _run_maven(tmp, tmp / "lib")
        os.rename(tmp / "lib", lib)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ensure_jars() -> Path:
    """Return the directory holding the server jars, fetching them with Maven if needed."""
    lib = _lib_dir()
    if lib.is_dir():
        return lib
    version_dir = _version_dir()
    version_dir.mkdir(parents=True, exist_ok=True)
    with _file_lock(version_dir.with_name(version_dir.name + ".lock")):
        if not lib.is_dir():
            _fetch_jars(version_dir, lib)
    return lib


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(home: Path, port: int, heap: str, pagecache: str) -> str:
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "server.directories.data": str(home / "data"),
        "server.directories.logs": str(home / "logs"),
        "server.directories.run": str(home / "run"),
        "server.directories.import": str(home / "import"),
        "server.memory.heap.initial_size": heap,
        "server.memory.heap.max_size": heap,
        "server.memory.pagecache.size": pagecache,
        "dbms.usage_report.enabled": "false",
        # Netty's default 5 s quiet period, paid twice, makes shutdown take 10 s.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def _prepare_home(home: Path, port: int, heap: str, pagecache: str) -> None:
    for sub in ("conf", "data", "logs", "run", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(_config(home, port, heap, pagecache), "utf-8")


def _neo4j_env(home: Path) -> dict[str, str]:
    return {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}


def _set_initial_password(java: str, lib: Path, home: Path, password: str) -> None:
    cmd = [java, "-cp", f"{lib}/*", _ADMIN_TOOL, "dbms", "set-initial-password", password]
    result = subprocess.run(cmd, env=_neo4j_env(home), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).splitlines()[-LOG_TAIL_LINES:])
        raise Neo4jStartError(f"set-initial-password failed (exit {result.returncode}):\n{output}")


def _launch(java: str, lib: Path, home: Path, heap: str) -> subprocess.Popen[bytes]:
    cmd = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *_JVM_OPTIONS,
        "-cp",
        f"{lib}/*",
        _ENTRY_POINT,
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
    ]
    with (home / "logs" / "console.log").open("ab") as log:
        return subprocess.Popen(
            cmd,
            cwd=home,
            env=_neo4j_env(home),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM the JVM when the Python process that started it dies, so a
    test run killed with SIGKILL (no atexit) leaves no server behind."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _logs_tail(home: Path) -> str:
    parts = []
    for name in ("console.log", "neo4j.log"):
        tail = _tail(home / "logs" / name)
        if tail:
            parts.append(f"--- {name} (last {LOG_TAIL_LINES} lines) ---\n{tail}")
    return "\n".join(parts) or "(no log output)"


def _connects(uri: str, auth: tuple[str, str]) -> bool:
    """True once Bolt accepts an authenticated connection; raises on wrong credentials."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    # Bound the Bolt handshake too: a foreign listener on a stolen port never answers it.
    config = {"connection_timeout": 2.0, "connection_acquisition_timeout": 5.0}
    try:
        with GraphDatabase.driver(uri, auth=auth, **config) as driver:
            driver.verify_connectivity()
    except AuthError as exc:
        raise Neo4jStartError(f"Neo4j rejected the generated credentials: {exc}") from exc
    except Exception:  # not ready yet: any other driver error means "retry"
        return False
    return True


def _home_note(server: Neo4jServer) -> str:
    return f"files in {server.home}" + ("" if server.keep else ", removed; keep=True retains them")


def _wait_ready(server: Neo4jServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        code = server.process.poll()
        if code is not None:
            raise Neo4jStartError(
                f"Neo4j exited with code {code} during start-up ({_home_note(server)}):\n"
                f"{_logs_tail(server.home)}"
            )
        if _connects(server.uri, server.auth):
            return
        if time.monotonic() > deadline:
            raise Neo4jStartError(
                f"Neo4j did not accept Bolt connections on {server.uri} within {timeout:.0f} s "
                f"({_home_note(server)}):\n{_logs_tail(server.home)}"
            )
        time.sleep(0.25)


_LIVE: set[Neo4jServer] = set()


@dataclass(eq=False)
class Neo4jServer:
    """A running disposable Neo4j server; stop it with ``stop()`` or ``with server:``."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    port: int
    home: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    keep: bool = False
    started_in_s: float = 0.0

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    def env(self) -> dict[str, str]:
        """``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE`` for this server."""
        return {
            "NEO4J_URI": self.uri,
            "NEO4J_USER": self.user,
            "NEO4J_PASSWORD": self.password,
            "NEO4J_DATABASE": self.database,
        }

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL after 30 s; delete ``home`` unless ``keep``."""
        _LIVE.discard(self)
        _terminate(self.process)
        if not self.keep:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)  # start_new_session=True: pgid == pid


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return  # already reaped: its pid (== pgid) may belong to someone else by now
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait()


@atexit.register
def _stop_all() -> None:
    for server in list(_LIVE):
        server.stop()


def _is_bind_failure(exc: Neo4jStartError) -> bool:
    """The port picked by ``_free_port`` was taken by someone else before Neo4j bound it."""
    return re.search(r"already in use|BindException", str(exc)) is not None


def _start_once(
    java: str, lib: Path, base: Path, heap: str, pagecache: str, timeout: float, keep: bool
) -> Neo4jServer:
    home = Path(tempfile.mkdtemp(prefix="neo4j-", dir=base))
    port = _free_port()
    password = "p" + secrets.token_urlsafe(24)  # never starts with '-' (CLI option)
    started = time.monotonic()
    server: Neo4jServer | None = None
    try:
        _prepare_home(home, port, heap, pagecache)
        _set_initial_password(java, lib, home, password)
        server = Neo4jServer(
            uri=f"bolt://127.0.0.1:{port}",
            user="neo4j",
            password=password,
            database="neo4j",
            port=port,
            home=home,
            process=_launch(java, lib, home, heap),
            keep=keep,
        )
        _LIVE.add(server)
        _wait_ready(server, timeout)
    except BaseException:
        if server is not None:
            server.stop()
        elif not keep:
            shutil.rmtree(home, ignore_errors=True)
        raise
    server.started_in_s = time.monotonic() - started
    return server


def start_server(
    workdir: Path | None = None,
    *,
    heap: str = "1g",
    pagecache: str = "256m",
    timeout: float = START_TIMEOUT_S,
    keep: bool = False,
) -> Neo4jServer:
    """Start a private Neo4j server on 127.0.0.1 and wait until Bolt accepts the credentials.

    The server's files live in a new ``neo4j-*`` directory under ``workdir`` (default: the
    system temp dir), removed by ``stop()`` unless ``keep``. ``heap`` and ``pagecache`` take
    JVM/Neo4j sizes such as ``"512m"``/``"1g"``. Raises ``Neo4jStartError`` with the log
    tail if the jars cannot be fetched or the server exits or times out.
    """
    java = _require_java()
    lib = ensure_jars()
    base = Path(workdir) if workdir is not None else Path(tempfile.gettempdir())
    base.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, _BIND_RETRIES + 1):
        try:
            return _start_once(java, lib, base, heap, pagecache, timeout, keep)
        except Neo4jStartError as exc:
            if attempt == _BIND_RETRIES or not _is_bind_failure(exc):
                raise
    raise AssertionError("unreachable")
