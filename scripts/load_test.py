#!/usr/bin/env python
"""Bounded load run against the coach's app on loopback; prints JSON figures (and Markdown).

What it measures: per kind of request, the count, the statuses and the p50/p95/p99 latency of N
concurrent clients sending traffic for D seconds, plus the overall throughput. Each client picks a
kind by the weights of ``--mix``:

- ``review``  POST /api/reviews with a development draft (``eval/cases-dev*.jsonl``) made unique by
              a marker line, so "stored exactly once" can be checked by content
- ``read``    GET /api/reviews/{token} of a submission this client made (the writer's private link)
- ``revise``  POST /api/reviews/{token}/revisions on one of the run's first ``HOT_SET`` submissions,
              whoever made them — a team editing one shared draft at once, so revisions of the same
              submission really race (the case that once stored two revisions with one number)
- ``chat``    POST /api/chat with a playbook question
- ``staff``   GET /api/staff/submissions, alternately with a session token and an API key
- ``probe``   what an intruder tries: another writer's *id* as a link token, a random token, the
              staff list with no credential and with a writer's link token as Bearer. Any 2xx
              answer is an unauthorised read.

Named mixes: ``writers`` = review=1 (the default), ``mixed`` =
review=0.45,read=0.15,chat=0.2,staff=0.1,probe=0.1 and ``editing`` = review=0.3,revise=0.5,read=0.2;
or give weights, e.g. ``review=0.6,chat=0.3,staff=0.1``.

What it checks afterwards: every submission answered 201 is in the SQLite file exactly once (by
the id returned, with the text sent — the last accepted revision's text when it was revised — no
other new row, no second row with the same text), it holds one review plus one per accepted
revision, numbered 1..n without gap or repeat and matching the numbers the API answered, the staff
API lists the same number of new submissions, and no probe was answered 2xx.
Exit status 1 on any unexpected status or transport error, any database mismatch or any
unauthorised read.

By default it starts its own ``coach serve`` on a free 127.0.0.1 port with a fresh temp data dir
(embedded SQLite, no index so BM25 over ``corpus/``, no LLM, rate limit raised because every
client is 127.0.0.1). ``--url`` targets a running server instead; it must be loopback and
otherwise idle, and needs ``--password`` (staff ``admin``) and ``--db`` (its SQLite file); its rate
limit must allow the load or the 429s count as errors. The run is bounded: 1-200 clients,
1-900 s, each request at most ``REQUEST_TIMEOUT_S``.

    python scripts/load_test.py --clients 20 --duration 60                       # writers only
    python scripts/load_test.py --clients 50 --duration 120 --mix mixed          # with probes
    python scripts/load_test.py --clients 5 --duration 10 --mix mixed --markdown -
    python scripts/load_test.py ... --markdown docs/benchmarks.md                # append figures to the Load section
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import secrets
import shlex
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
MAX_CLIENTS = 200
MAX_DURATION_S = 900.0
REQUEST_TIMEOUT_S = 120.0
SERVER_START_TIMEOUT_S = 180.0
QUESTIONS = ["提案する時期はいつがよいですか", "費用負担はどう考えればよいですか",
             "フリー型とテーマ型の違いは何ですか", "対話ではどんなことを話しますか"]
MIXES = {
    "writers": "review=1",
    "mixed": "review=0.45,read=0.15,chat=0.2,staff=0.1,probe=0.1",
    "editing": "review=0.3,revise=0.5,read=0.2",
}
# Revisions go to the run's first few submissions, so that many clients revise the same one at once.
HOT_SET = 5
# The statuses that are not errors, per kind; a probe is *supposed* to be refused.
EXPECTED_STATUSES = {
    "review": {"201"}, "read": {"200"}, "revise": {"201"}, "chat": {"200"}, "staff": {"200"},
    "probe": {"401", "404"},
}
Mix = list[tuple[str, float]]
Draft = tuple[str, str | None]


# --- options -------------------------------------------------------------------------------------

def parse_mix(spec: str) -> Mix:
    """A named mix or ``kind=weight,...``; a kind without a weight weighs 1."""
    mix: Mix = []
    for item in MIXES.get(spec, spec).split(","):
        kind, _, weight = item.strip().partition("=")
        if kind not in EXPECTED_STATUSES:
            raise SystemExit(f"unknown kind {kind!r} in --mix (kinds: {', '.join(EXPECTED_STATUSES)}; "
                             f"named mixes: {', '.join(MIXES)})")
        try:
            mix.append((kind, float(weight or 1)))
        except ValueError:
            raise SystemExit(f"bad weight {weight!r} for {kind} in --mix") from None
    if not any(weight > 0 for _, weight in mix):
        raise SystemExit("--mix needs at least one positive weight")
    return mix


def require_loopback(url: str) -> None:
    host = urlparse(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"only loopback targets are allowed, not {url!r}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20, help=f"concurrent clients, 1-{MAX_CLIENTS}")
    parser.add_argument("--duration", type=float, default=60.0, help=f"seconds of load, 1-{MAX_DURATION_S:g}")
    parser.add_argument("--mix", default="writers",
                        help=f"{' | '.join(MIXES)} | kind=weight,... with kinds {','.join(EXPECTED_STATUSES)}")
    parser.add_argument("--url", help="target a running loopback server instead of starting one")
    parser.add_argument("--password", help="staff admin password of --url")
    parser.add_argument("--db", type=Path, help="SQLite file of --url, for the exactly-once check")
    parser.add_argument("--markdown", help="also write the figures as a Markdown section: append to "
                                           "this file, or '-' for stdout")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= MAX_CLIENTS and 1 <= args.duration <= MAX_DURATION_S):
        parser.error(f"bounded run: 1-{MAX_CLIENTS} clients, 1-{MAX_DURATION_S:g} s")
    if args.url:
        require_loopback(args.url)
        if not (args.password and args.db):
            parser.error("--url needs --password and --db")
    args.mix_weights = parse_mix(args.mix)
    return args


# --- the server under load -----------------------------------------------------------------------

@dataclass
class Target:
    base: str
    password: str
    db: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("coach serve exited:\n" + log.read_text(encoding="utf-8", errors="replace"))
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"coach serve did not become healthy in {SERVER_START_TIMEOUT_S:g} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def own_server() -> Iterator[Target]:
    """`coach serve` on a free loopback port with a fresh data dir, stopped on exit."""
    data_dir = Path(tempfile.mkdtemp(prefix="coach-load-"))
    port, password = free_port(), "load-test-" + secrets.token_hex(8)
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "COACH_CORPUS_DIR": str(ROOT / "corpus"),
           "COACH_ADMIN_PASSWORD": password, "COACH_RATE_LIMIT_PER_MINUTE": "1000000",
           "COACH_LINK_READS_PER_MINUTE": "1000000"}
    for name in ("COACH_LLM", "COACH_DATABASE_URL", "COACH_CHROMA_URL"):
        env.pop(name, None)  # measure the embedded, offline configuration whatever the shell says
    base, log = f"http://127.0.0.1:{port}", data_dir / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "coach"), "serve", "--host", "127.0.0.1",
                                 "--port", str(port), "--log-level", "warning"],
                                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        started = time.perf_counter()
        wait_healthy(proc, base, log)
        print(f"coach serve healthy in {time.perf_counter() - started:.1f} s at {base} ({data_dir})",
              file=sys.stderr)
        yield Target(base, password, data_dir / "coach.db")
    finally:
        stop(proc)


@contextmanager
def target_of(args: argparse.Namespace) -> Iterator[Target]:
    if args.url:
        yield Target(args.url.rstrip("/"), args.password, args.db)
    else:
        with own_server() as target:
            yield target


def staff_credentials(base: str, password: str) -> tuple[str, str]:
    """A session token (password login) and an API key, so both staff auth paths are loaded."""
    login = httpx.post(f"{base}/api/staff/login", json={"username": "admin", "password": password}, timeout=60)
    login.raise_for_status()
    session = login.json()["token"]
    key = httpx.post(f"{base}/api/staff/api-keys", json={"name": "load-test"}, timeout=60,
                     headers={"Authorization": f"Bearer {session}"})
    key.raise_for_status()
    return session, key.json()["key"]


def staff_total(base: str, session: str) -> int:
    listed = httpx.get(f"{base}/api/staff/submissions", params={"limit": 1}, timeout=60,
                       headers={"Authorization": f"Bearer {session}"})
    listed.raise_for_status()
    return int(listed.json()["total"])


# --- the clients ---------------------------------------------------------------------------------

def load_drafts() -> list[Draft]:
    drafts: list[Draft] = []
    for path in sorted((ROOT / "eval").glob("cases-dev*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                drafts.append((case["text"], case.get("route")))
    if not drafts:
        raise SystemExit("no drafts in eval/cases-dev*.jsonl")
    return drafts


@dataclass
class Tally:
    """What all clients saw; shared between threads under one lock."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    status: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    accepted: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (link token, text sent)
    # id -> [(revision number answered, text sent)] of the accepted revisions
    revisions: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    unauthorised: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float, status: str) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.status[kind][status] += 1

    def accept(self, sub_id: str, token: str, text: str) -> None:
        with self.lock:
            self.accepted[sub_id] = (token, text)

    def accepted_ids(self) -> list[str]:
        with self.lock:
            return list(self.accepted)

    def hot_set(self) -> list[tuple[str, str]]:
        """(id, token) of the run's first ``HOT_SET`` submissions (dicts keep insertion order)."""
        with self.lock:
            return [(sub_id, token) for sub_id, (token, _) in list(self.accepted.items())[:HOT_SET]]

    def revised(self, sub_id: str, number: int, text: str) -> None:
        with self.lock:
            self.revisions[sub_id].append((number, text))

    def intruded(self, response: httpx.Response) -> None:
        with self.lock:
            self.unauthorised.append(f"{response.request.method} {response.request.url.path} "
                                     f"-> {response.status_code}")


@dataclass
class Client:
    """One simulated user: a writer who also reads, asks, browses as staff or probes, by weight."""
    index: int
    http: httpx.Client
    drafts: list[Draft]
    creds: tuple[str, str]
    tally: Tally
    rng: random.Random
    sent: int = 0
    mine: list[str] = field(default_factory=list)  # link tokens of this client's own submissions

    def run(self, mix: Mix, until: float) -> None:
        kinds, weights = zip(*mix)
        actions = {"review": self.review, "read": self.read, "revise": self.revise, "chat": self.chat,
                   "staff": self.staff, "probe": self.probe}
        while time.monotonic() < until:
            self.sent += 1
            kind = self.rng.choices(kinds, weights)[0]
            if (kind == "read" and not self.mine) or (kind == "revise" and not self.tally.hot_set()):
                kind = "review"  # nothing to read or revise yet
            started = time.perf_counter()
            try:
                status = str(actions[kind]().status_code)
            except httpx.HTTPError as err:
                status = type(err).__name__
            self.tally.add(kind, time.perf_counter() - started, status)

    def review(self) -> httpx.Response:
        text, route = self.drafts[(self.index * 7919 + self.sent) % len(self.drafts)]
        text = f"{text}\n(load {self.index}-{self.sent}-{secrets.token_hex(4)})"
        response = self.http.post("/api/reviews", json={"text": text, "route": route})
        if response.status_code == 201:
            body = response.json()
            self.mine.append(body["token"])
            self.tally.accept(body["id"], body["token"], text)
        return response

    def read(self) -> httpx.Response:
        return self.http.get(f"/api/reviews/{self.rng.choice(self.mine)}")

    def revise(self) -> httpx.Response:
        sub_id, token = self.rng.choice(self.tally.hot_set())
        text, route = self.drafts[(self.index * 104729 + self.sent) % len(self.drafts)]
        text = f"{text}\n(revision {self.index}-{self.sent}-{secrets.token_hex(4)})"
        response = self.http.post(f"/api/reviews/{token}/revisions", json={"text": text, "route": route})
        if response.status_code == 201:
            self.tally.revised(sub_id, response.json()["revision"], text)
        return response

    def chat(self) -> httpx.Response:
        return self.http.post("/api/chat", json={"question": self.rng.choice(QUESTIONS)})

    def staff(self) -> httpx.Response:
        return self.http.get("/api/staff/submissions", params={"limit": 50},
                             headers={"Authorization": f"Bearer {self.creds[self.sent % 2]}"})

    def probe(self) -> httpx.Response:
        response = self._intrude(self.sent % 4)
        if response.is_success:
            self.tally.intruded(response)
        return response

    def _intrude(self, attempt: int) -> httpx.Response:
        others = self.tally.accepted_ids()
        if attempt == 0 and others:
            return self.http.get(f"/api/reviews/{self.rng.choice(others)}")  # an id is not a token
        if attempt == 2:
            return self.http.get("/api/staff/submissions")
        if attempt == 3 and self.mine:
            return self.http.get("/api/staff/submissions",
                                 headers={"Authorization": f"Bearer {self.rng.choice(self.mine)}"})
        return self.http.get(f"/api/reviews/{secrets.token_urlsafe(32)}")


def run_clients(base: str, clients: int, duration: float, mix: Mix, creds: tuple[str, str],
                tally: Tally) -> float:
    """Run the clients until the deadline; returns the seconds it really took."""
    drafts = load_drafts()

    def work(index: int) -> None:
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as http:
            Client(index, http, drafts, creds, tally, random.Random(index)).run(mix, until)

    began = time.monotonic()
    until = began + duration
    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


# --- checks and figures --------------------------------------------------------------------------

def submission_rows(db: Path) -> tuple[list[tuple[str, str]], dict[str, list[tuple[int, str]]]]:
    """(id, text) of every submission and each one's reviews as (number, text), read-only."""
    reviews: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT id, text FROM submissions").fetchall()
        for sub_id, seq, text in conn.execute("SELECT submission_id, seq, text FROM reviews ORDER BY id"):
            reviews[sub_id].append((seq, text))
    return rows, reviews


def existing_ids(db: Path) -> set[str]:
    return {sub_id for sub_id, _ in submission_rows(db)[0]} if db.exists() else set()


def check_database(db: Path, accepted: dict[str, tuple[str, str]], before: set[str],
                   revisions: dict[str, list[tuple[int, str]]] | None = None) -> dict[str, int | bool]:
    """Every 201 stored exactly once with its text and its reviews; nothing else new."""
    revisions = revisions or {}
    all_rows, reviews = submission_rows(db)
    rows = [(sub_id, text) for sub_id, text in all_rows if sub_id not in before]
    text_of = dict(rows)
    rows_with_text: dict[str, int] = defaultdict(int)
    for _, text in rows:
        rows_with_text[text] += 1
    # The submission's text is its newest revision's (the highest number the API answered).
    sent = {sub_id: max(revisions[sub_id])[1] if revisions.get(sub_id) else text
            for sub_id, (_, text) in accepted.items()}
    figures: dict[str, int | bool] = {
        "accepted": len(accepted),
        "rows": len(rows),
        "missing": sum(sub_id not in text_of for sub_id in sent),
        # A retried request stored twice would have a second id with the same (unique) text.
        "duplicated": sum(rows_with_text[text] > 1 for text in sent.values()),
        "text_mismatch": sum(sub_id in text_of and text_of[sub_id] != text for sub_id, text in sent.items()),
        # One review per accepted request: the first, plus one per accepted revision.
        "wrong_review_count": sum(len(reviews.get(sub_id, [])) != 1 + len(revisions.get(sub_id, []))
                                  for sub_id in sent),
        # Numbers 1..n, each once, and each revision stored under the number the API answered.
        "misnumbered": sum(
            sorted(seq for seq, _ in reviews.get(sub_id, [])) != list(range(1, len(reviews.get(sub_id, [])) + 1))
            or not set(revisions.get(sub_id, [])) <= set(reviews.get(sub_id, []))
            for sub_id in sent),
        "revisions_accepted": sum(len(v) for v in revisions.values()),
        "unexpected_rows": len(set(text_of) - set(sent)),
    }
    figures["ok"] = not any(figures[k] for k in ("missing", "duplicated", "text_mismatch",
                                                  "wrong_review_count", "misnumbered", "unexpected_rows"))
    return figures


def percentile_ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000, 1)


def per_kind(tally: Tally) -> dict[str, dict[str, object]]:
    figures: dict[str, dict[str, object]] = {}
    for kind, values in sorted(tally.latency.items()):
        statuses = dict(tally.status[kind])
        figures[kind] = {
            "requests": len(values), "statuses": statuses,
            "errors": sum(n for status, n in statuses.items() if status not in EXPECTED_STATUSES[kind]),
            "p50_ms": percentile_ms(values, 50), "p95_ms": percentile_ms(values, 95),
            "p99_ms": percentile_ms(values, 99),
        }
    return figures


def passed(result: dict) -> bool:
    return (result["errors"] == 0 and result["unauthorised_reads"] == 0 and result["database"]["ok"]
            and result["staff_api_new"] == result["database"]["accepted"])


def to_markdown(result: dict) -> str:
    db = result["database"]
    lines = [
        f"### {result['clients']} clients × {result['duration_s']} s, mix `{result['mix']}`",
        "",
        (f"Command: `{result['command']}` ({result['machine']['cpus']} CPUs, Python "
         f"{result['machine']['python']}, {result['server']})."),
        "",
        "| kind | requests | p50 ms | p95 ms | p99 ms | statuses |",
        "|---|---|---|---|---|---|",
    ]
    for kind, row in result["kinds"].items():
        statuses = ", ".join(f"{status} × {n}" for status, n in row["statuses"].items())
        lines.append(f"| {kind} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} "
                     f"| {statuses} |")
    verdict = "every accepted submission stored exactly once" if db["ok"] else "CHECK FAILED"
    lines += [
        "",
        (f"{result['requests']} requests, throughput {result['throughput_rps']} req/s; errors "
         f"{result['errors']}; unauthorised reads {result['unauthorised_reads']}. Database afterwards: "
         f"{db['accepted']} accepted, {db['rows']} new rows, missing {db['missing']}, duplicated "
         f"{db['duplicated']}, text mismatches {db['text_mismatch']}; {db['revisions_accepted']} "
         f"revisions accepted, wrong review counts {db['wrong_review_count']}, misnumbered "
         f"{db['misnumbered']}; unexpected rows {db['unexpected_rows']} → {verdict}; "
         f"the staff API listed {result['staff_api_new']} new."),
        "",
    ]
    return "\n".join(lines)


def write_markdown(destination: str, result: dict) -> None:
    text = to_markdown(result)
    if destination == "-":
        print(text)
        return
    path = Path(destination)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(text + "\n")


def command_line(args: argparse.Namespace) -> str:
    parts = ["python", "scripts/load_test.py", "--clients", str(args.clients),
             "--duration", f"{args.duration:g}", "--mix", args.mix]
    if args.url:
        parts += ["--url", args.url, "--db", str(args.db), "--password", "…"]
    return shlex.join(parts)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tally = Tally()
    with target_of(args) as target:
        before = existing_ids(target.db)
        session, api_key = staff_credentials(target.base, target.password)
        total_before = staff_total(target.base, session)
        elapsed = run_clients(target.base, args.clients, args.duration, args.mix_weights,
                              (session, api_key), tally)
        staff_new = staff_total(target.base, session) - total_before
        database = check_database(target.db, tally.accepted, before, tally.revisions)
    kinds = per_kind(tally)
    requests = sum(row["requests"] for row in kinds.values())
    result = {
        "command": command_line(args), "clients": args.clients, "duration_s": round(elapsed, 1),
        "mix": args.mix, "weights": dict(args.mix_weights),
        "server": f"running server at {args.url}" if args.url else "own coach serve, embedded SQLite, no LLM",
        "requests": requests, "throughput_rps": round(requests / elapsed, 2),
        "errors": sum(row["errors"] for row in kinds.values()), "kinds": kinds,
        "unauthorised_reads": len(tally.unauthorised), "unauthorised_examples": tally.unauthorised[:5],
        "staff_api_new": staff_new, "database": database,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.markdown:
        write_markdown(args.markdown, result)
    return 0 if passed(result) else 1


if __name__ == "__main__":
    sys.exit(main())
