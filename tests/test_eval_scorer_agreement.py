"""The eval's shared figures agree with the outside scorer, ``../shared/tools/score.py``.

Two levels:

- *Same reports*: score.py's own code scores a set of hand-made REPORTs, including broken ones
  (an invalid verdict, a missing report, a non-boolean flag, an evidence span that does not match,
  a citation that is not in the corpus), and the eval scores the very same REPORTs. score.py reads
  reports from a command's stdout, so the command here is a tiny script that prints them: a
  stand-in for ``coach review --batch`` that only replays fixed output, so that the edge cases
  are certain to occur.
- *Same data, real product*: score.py drives the installed ``coach`` command, ``coach eval
  --json`` drives the review and retrieval services in process, both on the same small case and
  question files, and every shared figure must be equal.

In CI the repository is a fresh clone with a read-only ``shared/`` beside it; score.py is looked
up at ``<repo root>/../shared/tools/score.py`` and these tests skip, saying so, without it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eval import metrics
from eval.data import Question
from eval.runner import CaseOutcome, check_contract, coaching_figures, run_questions

ROOT = Path(__file__).resolve().parent.parent
SCORE_PY = ROOT.parent / "shared" / "tools" / "score.py"
COACH = Path(sys.executable).parent / "coach"

pytestmark = pytest.mark.skipif(
    not SCORE_PY.exists(), reason=f"outside scorer not found at {SCORE_PY} (shared/ is not beside the repo)"
)

SHARED_CASE_FIGURES = ("accuracy", "binary_accuracy", "macro_f1")
SHARED_FLAG_FIGURES = ("precision", "recall", "f1")
SHARED_OVERALL = ("accuracy", "binary_accuracy", "macro_f1", "citations", "citation_verbatim_rate", "contract_problems")


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def replay_command(tmp_path: Path, rows: list[dict]) -> str:
    """A command that prints ``rows`` as JSON Lines whatever its arguments (see module doc)."""
    out = write_jsonl(tmp_path / "replayed.jsonl", rows)
    script = tmp_path / "replay.py"
    script.write_text(
        f"import sys\nsys.stdout.write(open({str(out)!r}, encoding='utf-8').read())\n", encoding="utf-8"
    )
    return f"{sys.executable} {script}"


def run_score(kind: str, path: Path, cmd: str, env: dict | None = None, k: int = 5, corpus: Path = ROOT / "corpus") -> dict:
    proc = subprocess.run(
        [sys.executable, str(SCORE_PY), kind, str(path), "--cmd", cmd, "--k", str(k), "--corpus", str(corpus)],
        check=False, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def assert_same_shared_figures(ours: dict, theirs: dict) -> None:
    for c, figures in theirs["criteria"].items():
        for name in SHARED_CASE_FIGURES:
            assert ours["criteria"][c][name] == figures[name], f"criteria.{c}.{name}"
    for f, figures in theirs["flags"].items():
        for name in SHARED_FLAG_FIGURES:
            assert ours["flags"][f][name] == figures[name], f"flags.{f}.{name}"
    for name in SHARED_OVERALL:
        assert ours["overall"][name] == theirs["overall"][name], f"overall.{name}"


def _criterion(verdict, evidence=(), citations=()):
    return {"verdict": verdict, "evidence": list(evidence), "suggestions": ["…"], "citations": list(citations)}


def test_same_reports_give_the_same_figures(tmp_path):
    corpus_line = "行政と民間が対等なパートナーとして未来を「共に創り出す」官民共創への挑戦です。"
    verbatim = {"source": "playbook", "section": "はじめに", "text": corpus_line}
    invented = {"source": "playbook", "section": "?", "text": "この文は本のどこにも書かれていません。"}
    labels = [
        {"issue_driven": "pass", "why_this_city": "partial", "one_solution": "pass", "cost_split": "fail", "to_g": False, "sales_pitch": False},
        {"issue_driven": "fail", "why_this_city": "fail", "one_solution": "partial", "cost_split": "fail", "to_g": True, "sales_pitch": True},
        {"issue_driven": "partial", "why_this_city": "pass", "one_solution": "pass", "cost_split": "partial", "to_g": True, "sales_pitch": False},
        {"issue_driven": "pass", "why_this_city": "pass", "one_solution": "fail", "cost_split": "pass", "to_g": False, "sales_pitch": True},
    ]
    cases = [
        {"id": f"t-{i}", "route": None, "text": f"下書き{i}：八幡東区の斜面地で高齢者の外出が減っています。", "labels": lab}
        for i, lab in enumerate(labels)
    ]
    text0 = cases[0]["text"]
    reports = {
        "t-0": {
            "criteria": {
                "issue_driven": _criterion("pass", [{"start": 4, "end": 9, "text": text0[4:9]}], [verbatim]),
                "why_this_city": _criterion("partial", [], [verbatim, invented]),
                "one_solution": _criterion("pass"),
                "cost_split": _criterion("partial"),
            },
            "flags": {"to_g": True, "sales_pitch": False},
            "summary": "",
        },
        "t-1": {  # broken on purpose: invalid verdict, bad span, string flag
            "criteria": {
                "issue_driven": _criterion("maybe"),
                "why_this_city": _criterion("fail", [{"start": 0, "end": 3, "text": "違う文"}]),
                "one_solution": _criterion("partial", [{"start": 5, "end": 999, "text": ""}]),
                "cost_split": _criterion("fail"),
            },
            "flags": {"to_g": "yes", "sales_pitch": True},
            "summary": "",
        },
        # t-2: no report at all
        "t-3": {
            "criteria": {c: _criterion(v) for c, v in
                         {"issue_driven": "pass", "why_this_city": "partial", "one_solution": "fail", "cost_split": "pass"}.items()},
            "flags": {"to_g": False, "sales_pitch": True},
            "summary": "",
        },
    }
    case_file = write_jsonl(tmp_path / "cases.jsonl", cases)
    theirs = run_score("cases", case_file, replay_command(tmp_path, [{"id": i, "report": r} for i, r in reports.items()]))

    outcomes = [CaseOutcome(id=c["id"], file="cases.jsonl", gold=c["labels"], report=reports.get(c["id"])) for c in cases]
    check = check_contract(outcomes, {c["id"]: c["text"] for c in cases}, metrics.corpus_haystack(ROOT / "corpus"))
    ours = coaching_figures(outcomes, check)

    assert theirs["overall"]["contract_problems"] >= 5  # the broken parts were really exercised
    assert 0 < theirs["overall"]["citation_verbatim_rate"] < 1
    assert_same_shared_figures(ours, theirs)
    assert check.problems == theirs["problems"]


class _Passage:
    def __init__(self, text: str):
        self.text, self.source, self.section = text, "replayed.md", ""


class _Retrieval:
    def __init__(self, texts: list[str]):
        self.passages, self.mode, self.notices = [_Passage(t) for t in texts], "replayed", []


class _ReplayRetriever:
    """Answers each question with fixed chunks: the same ones the replay command prints."""

    def __init__(self, by_question: dict[str, list[str]]):
        self.by_question = by_question

    def retrieve(self, query: str, k: int) -> _Retrieval:
        return _Retrieval(self.by_question[query])


def test_same_chunks_give_the_same_retrieval_figures(tmp_path):
    questions = [
        {"id": "q1", "question": "いつ提案する？", "anchors": ["10月頃までに"]},
        {"id": "q2", "question": "お金は？", "anchors": ["直接的な資金提供", "原則として、本市は"]},
        {"id": "q3", "question": "誰に？", "anchors": ["所管課"]},
        {"id": "q4", "question": "何を？", "anchors": ["課題ドリブン"]},
    ]
    chunks = {
        "いつ提案する？": ["無関係", "無関係", "新テーマは １０月頃\nまでに 決まります"],
        "お金は？": ["原則として、 本市は……"],
        "誰に？": ["無関係"] * 5 + ["所管課"],  # a hit at rank 6 is outside the top 5
        "何を？": [],
    }
    q_file = write_jsonl(tmp_path / "q.jsonl", questions)
    rows = [{"id": q["id"], "chunks": [{"text": t, "source": "s", "section": "", "score": 0.0} for t in chunks[q["question"]]]}
            for q in questions]
    theirs = run_score("questions", q_file, replay_command(tmp_path, rows))
    ours = run_questions(_ReplayRetriever(chunks), [Question(**q) for q in questions], k=5)
    assert theirs["recall_at_5"] == ours["recall_at_5"] == 0.5
    assert theirs["mrr"] == ours["mrr"]
    assert theirs["missed"] == ours["missed"] == ["q3", "q4"]


# --- the real product, end to end ------------------------------------------------------------


def _commands_available() -> str | None:
    """Why the end-to-end comparison cannot run, or None when it can."""
    if not COACH.exists():
        return f"the coach command is not installed at {COACH}"
    help_text = subprocess.run([str(COACH), "--help"], check=False, capture_output=True, text=True).stdout
    missing = [name for name in ("review", "retrieve", "ingest") if name not in help_text]
    return f"coach has no {', '.join(missing)} command yet" if missing else None


AGREEMENT_QUESTIONS = 6


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, dev_questions) -> tuple[Path, Path]:
    """(corpus, data dir): the playbook paragraphs that answer a few dev questions, with their
    neighbours, indexed once for this module by the real `coach ingest` (the whole corpus takes
    a minute or more on this machine)."""
    why = _commands_available()
    if why:
        pytest.fail(why)
    playbook = (ROOT / "corpus" / "playbook" / "kanmin-kyoso-playbook.txt").read_text(encoding="utf-8")
    paragraphs = playbook.split("\n\n")
    keep: set[int] = set()
    for q in dev_questions[:AGREEMENT_QUESTIONS]:
        anchors = [metrics.norm(a) for a in q["anchors"]]
        hits = [i for i, p in enumerate(paragraphs) if any(a in metrics.norm(p) for a in anchors)]
        for i in hits[:1]:
            keep.update(range(max(i - 2, 0), min(i + 3, len(paragraphs))))
    base = tmp_path_factory.mktemp("eval-agreement")
    corpus = base / "corpus"
    (corpus / "playbook").mkdir(parents=True)
    excerpt = "\n\n".join(paragraphs[i] for i in sorted(keep))
    (corpus / "playbook" / "kanmin-kyoso-playbook.txt").write_text(excerpt + "\n", encoding="utf-8")
    data = base / "data"
    proc = subprocess.run([str(COACH), "ingest"], check=False, capture_output=True, text=True, env=_env(corpus, data), cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return corpus, data


def _env(corpus: Path, data: Path) -> dict:
    env = {**os.environ, "COACH_DATA_DIR": str(data), "COACH_CORPUS_DIR": str(corpus)}
    for name in ("COACH_LLM", "COACH_CHROMA_URL"):
        env.pop(name, None)
    return env


@pytest.mark.slow
def test_coach_eval_agrees_with_score_py_on_the_same_files(tmp_path, small_index, dev_cases, dev_questions):
    corpus, data = small_index
    # A small slice of both dev files, with adversarial ones: injection, very short, English.
    wanted = {"dev-007", "dev-011", "dev-015", "devb-046"}
    cases = dev_cases[:5] + dev_cases[60:65] + [c for c in dev_cases if c["id"] in wanted]
    case_file = write_jsonl(tmp_path / "cases.jsonl", cases)
    # Questions the small corpus can answer, and two it cannot.
    haystack = metrics.corpus_haystack(corpus)
    answerable = [q for q in dev_questions if any(metrics.norm(a) in haystack for a in q["anchors"])]
    unanswerable = [q for q in dev_questions if q not in answerable]
    assert len(answerable) >= 3
    q_file = write_jsonl(tmp_path / "questions.jsonl", answerable[:AGREEMENT_QUESTIONS] + unanswerable[:2])
    env = _env(corpus, data)

    theirs_cases = run_score("cases", case_file, str(COACH), env, corpus=corpus)
    theirs_q = run_score("questions", q_file, str(COACH), env, corpus=corpus)
    proc = subprocess.run(
        [str(COACH), "eval", "--cases", str(case_file), "--questions", str(q_file), "--json", "--robustness-drafts", "0"],
        check=False, capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    ours = json.loads(proc.stdout)

    assert ours["cases"] == theirs_cases["cases"] == len(cases)
    assert theirs_cases["overall"]["citations"] > 0  # grounding was really compared
    assert_same_shared_figures(ours, theirs_cases)
    assert ours["problems"] == theirs_cases["problems"]
    assert theirs_q["recall_at_5"] > 0
    assert ours["recall_at_5"] == theirs_q["recall_at_5"]
    assert ours["mrr"] == theirs_q["mrr"]
    assert ours["missed"] == theirs_q["missed"]
