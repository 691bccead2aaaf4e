#!/usr/bin/env python
"""Bounded load run against the app on loopback; prints JSON figures and checks the database.

By default it starts its own `coach serve` on a free 127.0.0.1 port with a fresh data dir, runs
N concurrent clients for D seconds (reviews, optionally mixed with chat and the staff list),
then verifies that every submission the server accepted (201) is in the database exactly once
with the text that was sent. It refuses any non-loopback target.

    python scripts/load_test.py --clients 20 --duration 60                      # writers only
    python scripts/load_test.py --clients 50 --duration 120 --mix review=0.6,chat=0.3,staff=0.1
    python scripts/load_test.py ... --markdown docs/benchmarks-load.md          # also write figures
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password-" + uuid.uuid4().hex[:8]
QUESTIONS = ["提案する時期はいつがよいですか", "費用負担はどう考えればよいですか",
             "フリー型とテーマ型の違いは何ですか", "対話ではどんなことを話しますか"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def load_drafts() -> list[tuple[str, str | None]]:
    drafts = []
    for name in ("cases-dev.jsonl", "cases-dev-b.jsonl"):
        path = ROOT / "eval" / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    case = json.loads(line)
                    drafts.append((case["text"], case.get("route")))
    return drafts


def parse_mix(spec: str) -> list[tuple[str, float]]:
    parts = []
    for item in spec.split(","):
        kind, _, weight = item.partition("=")
        if kind not in ("review", "chat", "staff"):
            raise SystemExit(f"unknown kind in --mix: {kind}")
        parts.append((kind, float(weight or 1)))
    return parts


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.accepted: list[tuple[str, str]] = []  # (id, text sent)

    def add(self, kind: str, seconds: float, status: str) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.status[kind][status] += 1


def client_loop(index: int, base: str, stop: float, mix: list[tuple[str, float]],
                drafts: list[tuple[str, str | None]], staff_token: str | None,
                rec: Recorder) -> None:
    import random

    rng = random.Random(index)
    kinds = [k for k, _ in mix]
    weights = [w for _, w in mix]
    with httpx.Client(base_url=base, timeout=60) as http:
        n = 0
        while time.monotonic() < stop:
            kind = rng.choices(kinds, weights)[0]
            n += 1
            started = time.perf_counter()
            try:
                if kind == "review":
                    text, route = drafts[(index * 7919 + n) % len(drafts)]
                    # A unique line per request, so "exactly once" can be checked by content.
                    text = f"{text}\n(load {index}-{n}-{uuid.uuid4().hex[:8]})"
                    response = http.post("/api/reviews", json={"text": text, "route": route})
                    if response.status_code == 201:
                        with rec.lock:
                            rec.accepted.append((response.json()["id"], text))
                elif kind == "chat":
                    response = http.post("/api/chat", json={"question": rng.choice(QUESTIONS)})
                else:
                    response = http.get("/api/staff/submissions", params={"limit": 50},
                                        headers={"Authorization": f"Bearer {staff_token}"})
                status = str(response.status_code)
            except httpx.HTTPError as err:
                status = type(err).__name__
            rec.add(kind, time.perf_counter() - started, status)


def start_server(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "COACH_CORPUS_DIR": str(ROOT / "corpus"),
           "COACH_ADMIN_PASSWORD": PASSWORD, "COACH_RATE_LIMIT_PER_MINUTE": "1000000"}
    for name in ("COACH_LLM", "COACH_DATABASE_URL", "COACH_CHROMA_URL"):
        env.pop(name, None)
    coach = str(Path(sys.executable).parent / "coach")
    log = (data_dir / "serve.log").open("w")
    proc = subprocess.Popen([coach, "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--log-level", "warning"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("coach serve exited:\n" + (data_dir / "serve.log").read_text())
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("coach serve did not become healthy in 120 s")


def check_database(db_path: Path, accepted: list[tuple[str, str]]) -> dict[str, object]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT id, text FROM submissions").fetchall()
        reviews = conn.execute("SELECT submission_id, count(*) FROM reviews GROUP BY submission_id").fetchall()
    finally:
        conn.close()
    by_id: dict[str, list[str]] = defaultdict(list)
    for sub_id, text in rows:
        by_id[sub_id].append(text)
    texts = defaultdict(int)
    for _sub_id, text in rows:
        texts[text] += 1
    missing = [i for i, _ in accepted if i not in by_id]
    wrong_text = [i for i, t in accepted if i in by_id and by_id[i] != [t]]
    duplicated = [i for i, t in accepted if texts.get(t, 0) > 1]
    review_counts = dict(reviews)
    without_review = [i for i, _ in accepted if review_counts.get(i) != 1]
    return {
        "accepted": len(accepted),
        "rows_in_db": len(rows),
        "missing": len(missing),
        "duplicated": len(duplicated),
        "text_mismatch": len(wrong_text),
        "without_exactly_one_review": len(without_review),
        "ok": not (missing or wrong_text or duplicated or without_review) and len(rows) == len(accepted),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--mix", default="review=1", help="e.g. review=0.6,chat=0.3,staff=0.1")
    parser.add_argument("--markdown", type=Path, help="append the figures as a Markdown section")
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 1 <= args.duration <= 600):
        raise SystemExit("bounded run: 1–200 clients, 1–600 s")
    mix = parse_mix(args.mix)
    drafts = load_drafts()

    data_dir = Path(tempfile.mkdtemp(prefix="coach-load-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    assert urlparse(base).hostname in ("127.0.0.1", "localhost")
    proc = start_server(data_dir, port)
    try:
        staff_token = None
        if any(kind == "staff" for kind, _ in mix):
            login = httpx.post(base + "/api/staff/login", json={"username": "admin", "password": PASSWORD})
            login.raise_for_status()
            staff_token = login.json()["token"]
        rec = Recorder()
        started = time.monotonic()
        stop = started + args.duration
        threads = [threading.Thread(target=client_loop,
                                    args=(i, base, stop, mix, drafts, staff_token, rec))
                   for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()

    per_kind = {}
    errors = 0
    for kind, values in rec.latency.items():
        statuses = dict(rec.status[kind])
        expected_ok = "201" if kind == "review" else "200"
        errors += sum(count for status, count in statuses.items() if status != expected_ok)
        per_kind[kind] = {
            "requests": len(values),
            "statuses": statuses,
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1),
            "p99_ms": round(percentile(values, 99) * 1000, 1),
            "mean_ms": round(statistics.fmean(values) * 1000, 1),
        }
    total = sum(len(v) for v in rec.latency.values())
    result = {
        "clients": args.clients, "requested_s": args.duration, "duration_s": round(elapsed, 1),
        "mix": args.mix,
        "throughput_rps": round(total / elapsed, 2), "errors": errors, "per_kind": per_kind,
        "database": check_database(data_dir / "coach.db", rec.accepted),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.markdown:
        write_markdown(args.markdown, result)
    if errors or not result["database"]["ok"]:
        sys.exit(1)


def write_markdown(path: Path, result: dict) -> None:
    lines = [
        f"### {result['clients']} clients × {result['duration_s']} s, mix `{result['mix']}`",
        "",
        f"Command: `python scripts/load_test.py --clients {result['clients']} "
        f"--duration {result['requested_s']:g} --mix {result['mix']}` "
        f"({result['machine']['cpus']} CPUs, Python {result['machine']['python']}, "
        "embedded SQLite, no LLM).",
        "",
        "| kind | requests | p50 ms | p95 ms | p99 ms | statuses |",
        "|---|---|---|---|---|---|",
    ]
    for kind, row in result["per_kind"].items():
        lines.append(f"| {kind} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | "
                     f"{row['p99_ms']} | {json.dumps(row['statuses'])} |")
    db = result["database"]
    lines += ["", f"Throughput {result['throughput_rps']} req/s; errors {result['errors']}. "
              f"Database afterwards: {db['accepted']} accepted, {db['rows_in_db']} rows, "
              f"missing {db['missing']}, duplicated {db['duplicated']}, text mismatches "
              f"{db['text_mismatch']} → {'every accepted submission stored exactly once' if db['ok'] else 'CHECK FAILED'}.",
              ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
