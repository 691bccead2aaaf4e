"""`coach review` and `coach ask` as the contract and staff use them.

Happy paths run in-process through Typer's runner (fast, same code); exit codes and the
no-traceback promise are checked on the real `coach` console command in a subprocess. No index is
built: the data dir is empty, so the commands use the BM25 fallback over the real corpus.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from server.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _coach(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "coach"
    return subprocess.run([str(exe), *args], input=stdin, capture_output=True, cwd=ROOT, check=False,
                          env={**os.environ}, timeout=120)


@pytest.fixture
def draft_file(tmp_path: Path, dev_cases) -> tuple[Path, str]:
    text = dev_cases[0]["text"]
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_review_file_json_prints_one_report(draft_file) -> None:
    path, text = draft_file
    result = runner.invoke(app, ["review", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["criteria"]) == {"issue_driven", "why_this_city", "one_solution", "cost_split"}
    for crit in report["criteria"].values():
        for ev in crit["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["text"]
    assert isinstance(report["flags"]["to_g"], bool) and report["summary"]


def test_review_stdin_and_shift_jis(dev_cases) -> None:
    text = dev_cases[1]["text"]
    result = runner.invoke(app, ["review", "-", "--json", "--route", "theme"], input=text.encode("cp932"))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["route"] == "theme"
    for crit in report["criteria"].values():
        for ev in crit["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["text"]


def test_batch_jsonl_keeps_going_past_bad_lines(tmp_path: Path, dev_cases) -> None:
    lines = [
        json.dumps({"id": "a", "text": dev_cases[0]["text"], "route": "free"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "empty", "text": "  "}),
        json.dumps({"id": "huge", "text": "あ" * 100_000}),
        json.dumps({"id": "no-text"}),
        "",
        json.dumps({"id": "b", "text": dev_cases[2]["text"], "route": None}, ensure_ascii=False),
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["review", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "line-2", "empty", "huge", "no-text", "b"]
    assert "report" in rows[0] and "report" in rows[-1]
    codes = {r["id"]: r["error"]["code"] for r in rows if "error" in r}
    assert codes == {"line-2": "invalid_input", "empty": "empty_draft", "huge": "too_large", "no-text": "invalid_input"}
    assert all(r["error"]["message"] for r in rows if "error" in r)


def test_batch_csv_in_and_summary_csv_out(tmp_path: Path, dev_cases) -> None:
    src = tmp_path / "staff.csv"
    with src.open("w", encoding="cp932", newline="", errors="replace") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "route"])
        writer.writerow(["s1", dev_cases[0]["text"], "free"])
        writer.writerow(["s2", "", ""])
    out = tmp_path / "summary.csv"
    result = runner.invoke(app, ["review", "--batch", str(src), "--csv", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == ["s1", "s2"]
    assert rows[0]["issue_driven"] in {"pass", "partial", "fail"} and rows[0]["summary"]
    assert rows[0]["fiscal_burden"] and rows[1]["error"].startswith("empty_draft")


def test_terminal_rendering_with_staff_summary(draft_file) -> None:
    path, _ = draft_file
    result = runner.invoke(app, ["review", str(path), "--staff", "--today", "2026-11-29"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "課題ドリブン" in out and "役割分担・費用負担" in out
    assert "職員向け事前確認" in out and "市の財政負担の有無" in out and "11月～3月頃" in out


def test_ask_json_prints_passages_with_section_and_source() -> None:
    result = runner.invoke(app, ["ask", "新しいテーマの提案はいつまでにすればよいですか", "--json", "--k", "3"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["mode"] == "offline" and len(answer["citations"]) == 3
    assert all(c["source"] and c["section"] and c["text"] for c in answer["citations"])


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.png", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8, "not a text file"),
        ("huge.txt", ("課題" * 50_000).encode("utf-8"), "too long"),
        ("garbled.txt", b"\x80\x81\xff\xfe\xfd abc \xa0\xa1\xa2\xff", "encoding"),
    ],
)
def test_malformed_input_is_a_clear_message_and_nonzero_exit(tmp_path: Path, name, content, says) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    proc = _coach("review", str(path), "--json")
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert says in err and "Traceback" not in err
    assert proc.stdout == b""


def test_unreadable_batch_file_fails_the_whole_call(tmp_path: Path) -> None:
    proc = _coach("review", "--batch", str(tmp_path / "missing.jsonl"), "--json")
    assert proc.returncode == 2
    assert "missing.jsonl" in proc.stderr.decode("utf-8") and b"Traceback" not in proc.stderr
