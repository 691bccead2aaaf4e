#!/usr/bin/env python
"""Bounded mixed load on loopback, with an intruder in the crowd; prints JSON figures.

Starts its own ``coach serve`` on a free 127.0.0.1 port with a temp data dir (or targets --url,
which must be loopback), then runs N concurrent clients for D seconds. Each client picks, by weight:

- ``review``  POST /api/reviews with a dev draft made unique by a marker line
- ``read``    GET /api/reviews/{own token} of a submission this client made (business link)
- ``chat``    POST /api/chat with a playbook question
- ``staff``   GET /api/staff/submissions, alternately with a session token (password login) and an
              API key
- ``probe``   what an intruder tries: another writer's *id* as a link token, a random token, the
              staff list with no credential and with a business token. Any 2xx here is an
              unauthorised read.

Afterwards it opens the SQLite file and checks that every submission answered 201 is stored exactly
once (by the ids returned, with the text sent and one review), and that the staff API lists the same
total. Exit status 1 on any error, lost/duplicated submission or unauthorised read.

    python scripts/load_mixed.py                              # 50 clients, 120 s
    python scripts/load_mixed.py --clients 10 --duration 20   # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-mixed-" + secrets.token_hex(8)
QUESTIONS = ["提案する時期はいつがよいですか", "費用負担はどう考えればよいですか",
             "フリー型とテーマ型の違いは何ですか", "対話ではどんなことを話しますか"]
DEFAULT_MIX = "review=0.45,read=0.15,chat=0.2,staff=0.1,probe=0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def drafts() -> list[tuple[str, str | None]]:
    out = []
    for name in ("cases-dev.jsonl", "cases-dev-b.jsonl"):
        for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                out.append((case["text"], case.get("route")))
    return out


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.accepted: dict[str, tuple[str, str]] = {}  # id -> (token, text sent)
        self.unauthorised: list[str] = []

    def add(self, kind: str, seconds: float, status: str) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.status[kind][status] += 1


def client(index: int, base: str, stop: float, mix: list[tuple[str, float]], texts, creds, tally: Tally) -> None:
    rng = random.Random(index)
    kinds, weights = zip(*mix)
    mine: list[str] = []  # tokens of this client's own submissions
    with httpx.Client(base_url=base, timeout=120) as http:
        n = 0
        while time.monotonic() < stop:
            n += 1
            kind = rng.choices(kinds, weights)[0]
            if kind == "read" and not mine:
                kind = "review"
            started = time.perf_counter()
            try:
                if kind == "review":
                    text, route = texts[(index * 7919 + n) % len(texts)]
                    text = f"{text}\n(load {index}-{n}-{secrets.token_hex(4)})"
                    r = http.post("/api/reviews", json={"text": text, "route": route})
                    if r.status_code == 201:
                        body = r.json()
                        mine.append(body["token"])
                        with tally.lock:
                            tally.accepted[body["id"]] = (body["token"], text)
                elif kind == "read":
                    r = http.get(f"/api/reviews/{rng.choice(mine)}")
                elif kind == "chat":
                    r = http.post("/api/chat", json={"question": rng.choice(QUESTIONS)})
                elif kind == "staff":
                    r = http.get("/api/staff/submissions", params={"limit": 50},
                                 headers={"Authorization": f"Bearer {creds[n % 2]}"})
                else:
                    with tally.lock:
                        others = list(tally.accepted)
                    attempt = n % 4
                    if attempt == 0 and others:
                        r = http.get(f"/api/reviews/{rng.choice(others)}")  # an id is not a token
                    elif attempt == 1:
                        r = http.get(f"/api/reviews/{secrets.token_urlsafe(32)}")
                    elif attempt == 2:
                        r = http.get("/api/staff/submissions")
                    else:
                        token = rng.choice(mine) if mine else secrets.token_urlsafe(32)
                        r = http.get("/api/staff/submissions", headers={"Authorization": f"Bearer {token}"})
                    if r.is_success:
                        with tally.lock:
                            tally.unauthorised.append(f"{r.request.method} {r.request.url.path} -> {r.status_code}")
                status = str(r.status_code)
            except httpx.HTTPError as err:
                status = type(err).__name__
            tally.add(kind, time.perf_counter() - started, status)


def start_server(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "COACH_CORPUS_DIR": str(ROOT / "corpus"),
           "COACH_ADMIN_PASSWORD": PASSWORD, "COACH_RATE_LIMIT_PER_MINUTE": "1000000"}
    for name in ("COACH_LLM", "COACH_DATABASE_URL", "COACH_CHROMA_URL"):
        env.pop(name, None)
    log = (data_dir / "serve.log").open("w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "coach"), "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("coach serve exited:\n" + (data_dir / "serve.log").read_text())
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("coach serve did not become healthy in 180 s")


def check_database(db: Path, accepted: dict[str, tuple[str, str]]) -> dict[str, object]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT id, text FROM submissions").fetchall()
        reviews = dict(conn.execute("SELECT submission_id, COUNT(*) FROM reviews GROUP BY submission_id"))
    count: dict[str, int] = defaultdict(int)
    text_of: dict[str, str] = {}
    for sub_id, text in rows:
        count[sub_id] += 1
        text_of[sub_id] = text
    missing = [i for i in accepted if count[i] == 0]
    duplicated = [i for i in accepted if count[i] > 1]
    mismatched = [i for i, (_, sent) in accepted.items() if i in text_of and text_of[i] != sent]
    not_one_review = [i for i in accepted if reviews.get(i) != 1]
    return {"accepted": len(accepted), "rows": len(rows), "missing": len(missing), "duplicated": len(duplicated),
            "text_mismatch": len(mismatched), "not_exactly_one_review": len(not_one_review),
            "unexpected_rows": len(set(text_of) - set(accepted))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--mix", default=DEFAULT_MIX)
    parser.add_argument("--url", help="target a running loopback server instead (needs --password, --db)")
    parser.add_argument("--password", help="staff admin password of --url")
    parser.add_argument("--db", type=Path, help="SQLite file of --url, for the exactly-once check")
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 1 <= args.duration <= 900):
        raise SystemExit("bounded run: 1-200 clients, 1-900 s")
    mix = [(k, float(w)) for k, _, w in (item.partition("=") for item in args.mix.split(","))]
    if {k for k, _ in mix} - {"review", "read", "chat", "staff", "probe"}:
        raise SystemExit(f"unknown kind in --mix {args.mix}")

    proc = None
    if args.url:
        if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("only loopback targets are allowed")
        base, password, db = args.url.rstrip("/"), args.password, args.db
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="coach-load-mixed-"))
        port = free_port()
        base, password, db = f"http://127.0.0.1:{port}", PASSWORD, data_dir / "coach.db"
        started = time.perf_counter()
        proc = start_server(data_dir, port)
        print(f"coach serve healthy in {time.perf_counter() - started:.1f} s at {base} ({data_dir})", file=sys.stderr)
    try:
        login = httpx.post(base + "/api/staff/login", json={"username": "admin", "password": password}, timeout=60)
        login.raise_for_status()
        session = login.json()["token"]
        key = httpx.post(base + "/api/staff/api-keys", json={"name": "load"}, timeout=60,
                         headers={"Authorization": f"Bearer {session}"})
        key.raise_for_status()
        creds = (session, key.json()["key"])

        tally = Tally()
        texts = drafts()
        began = time.monotonic()
        stop = began + args.duration
        threads = [threading.Thread(target=client, args=(i, base, stop, mix, texts, creds, tally))
                   for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began

        listed = httpx.get(base + "/api/staff/submissions", params={"limit": 1}, timeout=60,
                           headers={"Authorization": f"Bearer {session}"}).json()["total"]
        database = check_database(db, tally.accepted) if db else None
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    expected_fail = {"probe": {"401", "404"}}
    kinds = {}
    errors = 0
    for kind, values in sorted(tally.latency.items()):
        statuses = dict(tally.status[kind])
        ok = {"review": {"201"}}.get(kind, {"200"}) if kind != "probe" else expected_fail["probe"]
        bad = sum(n for s, n in statuses.items() if s not in ok)
        errors += bad
        kinds[kind] = {"requests": len(values), "p50_ms": round(pct(values, 50) * 1000, 1),
                       "p95_ms": round(pct(values, 95) * 1000, 1), "p99_ms": round(pct(values, 99) * 1000, 1),
                       "statuses": statuses, "errors": bad}
    total = sum(len(v) for v in tally.latency.values())
    result = {
        "clients": args.clients, "duration_s": round(elapsed, 1), "mix": args.mix,
        "requests": total, "throughput_rps": round(total / elapsed, 2), "errors": errors,
        "kinds": kinds, "unauthorised_reads": len(tally.unauthorised), "unauthorised_examples": tally.unauthorised[:5],
        "staff_api_total": listed, "database": database,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    lost = database is None or any(database[k] for k in ("missing", "duplicated", "text_mismatch",
                                                         "not_exactly_one_review", "unexpected_rows"))
    return 1 if errors or tally.unauthorised or lost or listed != len(tally.accepted) else 0


if __name__ == "__main__":
    sys.exit(main())
