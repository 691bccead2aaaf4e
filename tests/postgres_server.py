"""A real, throwaway PostgreSQL cluster (Debian's server binaries) on a free loopback port, for
the tests that prove the storage works on PostgreSQL and not only on SQLite.

``initdb`` refuses to run as root, so when the tests run as root the server runs as the
``postgres`` system user (``runuser -u postgres --``); otherwise as the current user. The cluster
lives in a temp dir (data, log and unix socket) that is removed afterwards, also on failure.
Durability is switched off (``fsync=off``): the cluster is discarded, and it keeps start-up and
every commit fast; it changes nothing about locking or transaction semantics, which is what the
tests are about.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.server_helpers import free_port

MISSING = ("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; install the Debian "
           "package `postgresql` (scripts/setup.sh --dev does) to run the PostgreSQL storage tests")


def _bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str], what: str, log_path: Path | None = None) -> None:
    done = subprocess.run(_as_server_user(argv), check=False, capture_output=True, text=True,
                          timeout=60)
    if done.returncode != 0:
        log = log_path.read_text(errors="replace")[-2000:] if log_path and log_path.exists() else ""
        pytest.fail(f"{what} failed ({done.returncode}): {done.stderr[-2000:]}{done.stdout[-500:]}\n{log}")


def create_database(server_url: str, name: str) -> str:
    """Create an empty database ``name`` on the server and return its SQLAlchemy URL."""
    from sqlalchemy import create_engine

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def running_postgres(port: int | None = None) -> Iterator[str]:
    """Start a fresh cluster, wait until it accepts connections, yield the SQLAlchemy URL of its
    ``postgres`` database (user ``postgres``, trust auth, loopback only) and stop and delete it
    afterwards. Skips (naming the Debian package) when the server binaries are not installed."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip(MISSING)
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.fail("running as root but `runuser` is missing; initdb refuses to run as root")
    workdir = Path(tempfile.mkdtemp(prefix="coach-pg-"))
    data, log_path = workdir / "data", workdir / "postgres.log"
    started = False
    try:
        if os.geteuid() == 0:
            shutil.chown(workdir, "postgres", "postgres")
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
              "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"], "initdb")
        port = port or free_port()
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        started = True  # from here on, always try to stop it
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log_path), "-o", options,
              "-w", "-t", "30", "start"], "pg_ctl start", log_path)
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        # pg_ctl -w already waited on the socket; this proves the TCP address and driver work.
        engine = create_engine(url)
        deadline = time.monotonic() + 30
        try:
            while True:
                try:
                    with engine.connect() as conn:
                        conn.execute(text("SELECT 1"))
                    break
                except OperationalError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
        finally:
            engine.dispose()
        yield url
    finally:
        if started:
            subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                            "-w", "-t", "30", "stop"]),
                           check=False, capture_output=True, timeout=60)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """One throwaway cluster per test module (start ~1–2 s); see :func:`running_postgres`."""
    with running_postgres() as url:
        yield url
