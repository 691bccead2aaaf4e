"""`coach serve` as users start it: a real uvicorn process on loopback, real HTTP, real logs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.server_helpers import ROOT, dev_case, free_port


def test_coach_serve_reviews_over_http_and_keeps_tokens_out_of_its_log(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path), "COACH_CORPUS_DIR": str(ROOT / "corpus")}
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "coach"), "serve", "--host", "127.0.0.1",
             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                assert proc.poll() is None, log_path.read_text()
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "not healthy in 90 s"
                time.sleep(0.3)
            created = httpx.post(base + "/api/reviews", json={"text": dev_case(7)["text"]},
                                 timeout=30)
            assert created.status_code == 201
            token = created.json()["token"]
            assert created.json()["link"] == f"{base}/r/{token}"
            assert httpx.get(f"{base}/api/reviews/{token}", timeout=30).status_code == 200
            assert httpx.get(f"{base}/r/{token}", timeout=30).status_code == 200
            missing = httpx.get(base + "/nowhere", timeout=30)
            assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    text = log_path.read_text()
    assert "POST /api/reviews" in text  # the access log is on …
    assert token not in text and "[redacted]" in text  # … and the private token is not in it
    assert (tmp_path / "coach.db").exists()
