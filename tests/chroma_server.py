"""A real Chroma server (`chroma run` from the chromadb package) on a free loopback port, for
the tests that exercise the server path and its failure."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.server_helpers import free_port

CHROMA = Path(sys.executable).parent / "chroma"


@contextmanager
def running_chroma(workdir: Path, port: int | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """Start the server with its data and log under ``workdir``, wait for its heartbeat, yield
    ``(process, url)`` and stop it afterwards (tests may kill it earlier themselves). Pass the
    ``port`` of a killed server to bring it back at the same address, with the same data."""
    import httpx

    port = port or free_port()
    log_path = workdir / "chroma.log"
    with open(log_path, "ab") as log:  # the child keeps its own handle; a restart appends
        proc = subprocess.Popen([str(CHROMA), "run", "--path", str(workdir / "chroma-data"),
                                 "--host", "127.0.0.1", "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"chroma server did not start: {log_path.read_text(errors='replace')[-2000:]}")
        time.sleep(0.3)
    try:
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
