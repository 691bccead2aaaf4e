"""The eval harness: data checks, robustness variants, gate, baseline diff, report, command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eval import baseline, gate, metrics, robustness
from eval.data import Case, load_cases
from eval.data_check import check_files
from ingest.errors import InvalidInput
from server.cli import app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DEV_FILES = [ROOT / "eval" / "cases-dev.jsonl", ROOT / "eval" / "cases-dev-b.jsonl"]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows), encoding="utf-8")
    return path


# --- check-data ----------------------------------------------------------------------------------


def test_check_data_accepts_the_dev_files():
    report = check_files([*DEV_FILES, ROOT / "eval" / "questions-dev.jsonl"], CORPUS)
    assert report.errors == []
    assert (report.cases, report.questions) == (120, 30)


def test_check_data_reports_every_problem_with_its_line(tmp_path, dev_cases):
    good = dict(dev_cases[0], id="new-001")
    bad = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            good,
            dict(dev_cases[1], id="new-001"),  # duplicate within the file
            dict(dev_cases[2], id=dev_cases[3]["id"]),  # duplicate of a dev id
            {**dev_cases[4], "id": "new-002", "labels": {**dev_cases[4]["labels"], "cost_split": "ok"}},
            {**dev_cases[5], "id": "new-003", "route": "other"},
            "{not json",
            {"id": "q-new", "question": "いつ？", "anchors": ["10月頃までに", "どこにもない言い回し"]},
            {"id": "x"},
        ],
    )
    report = check_files([DEV_FILES[0], bad], CORPUS)
    text = "\n".join(report.errors)
    assert f"{bad}:2: id 'new-001' already used at {bad}:1" in text
    assert f"{bad}:3: id '{dev_cases[3]['id']}' already used" in text
    assert f"{bad}:4: labels.cost_split" in text
    assert f"{bad}:5: route" in text
    assert f"{bad}:6: not valid JSON" in text
    assert f"{bad}:7: anchor 'どこにもない言い回し' is not in the corpus" in text
    assert "10月頃までに" not in text  # the anchor that is in the corpus passes
    assert f"{bad}:8: neither a case" in text
    assert len(report.errors) == 7


def test_check_data_command_exit_codes(tmp_path, dev_cases):
    runner = CliRunner()
    ok = runner.invoke(app, ["eval", "check-data", str(ROOT / "eval" / "questions-dev.jsonl")])
    assert ok.exit_code == 0, ok.output
    assert "check-data ok" in ok.output
    bad = write_jsonl(tmp_path / "bad.jsonl", [dict(dev_cases[0], labels={"issue_driven": "great"})])
    failed = runner.invoke(app, ["eval", "check-data", str(bad)])
    assert failed.exit_code == 1
    assert "labels.issue_driven" in failed.output and "check-data FAILED" in failed.output


def test_loading_stops_at_a_bad_case_with_its_place(tmp_path, dev_cases):
    path = write_jsonl(tmp_path / "c.jsonl", [dev_cases[0], {**dev_cases[1], "text": "   "}])
    with pytest.raises(InvalidInput, match=r"c\.jsonl:2: text"):
        load_cases([path])


# --- robustness variants ---------------------------------------------------------------------------


@pytest.fixture()
def sample_case(dev_cases) -> Case:
    return Case.model_validate(dev_cases[0])


def test_injection_variants_keep_the_draft_and_add_the_instruction(sample_case):
    variants = robustness.injection_variants(sample_case, passing=True)
    names = [v.name for v in variants]
    assert names == ["ja-start", "ja-middle", "ja-end", "en-start", "en-middle", "en-end",
                     "en-fullwidth-middle", "ja-quoted-middle", "ja-polite-end", "en-system-start", "ja-demand-fail-end"]
    draft = metrics.norm(sample_case.text)
    for v in variants:
        body = metrics.norm(v.text)
        assert len(body) > len(draft)
    by_name = {v.name: v.text for v in variants}
    assert by_name["ja-start"].startswith(robustness.INJECTION_JA)
    assert by_name["en-end"].rstrip().endswith(robustness.INJECTION_EN)
    assert "ＡＩ\u3000ｒｅｖｉｅｗｅｒ" in by_name["en-fullwidth-middle"]
    assert f"「{robustness.INJECTION_JA}」" in by_name["ja-quoted-middle"]
    middle = by_name["ja-middle"].index(robustness.INJECTION_JA)
    assert 0.2 < middle / len(by_name["ja-middle"]) < 0.8
    # What surrounds the injection is the draft itself.
    assert metrics.norm(by_name["ja-middle"].replace(robustness.INJECTION_JA, "")) == draft


def test_whitespace_and_reorder_variants(sample_case):
    spaced = robustness.whitespace_variant(sample_case)
    assert "\r\n" in spaced.text and spaced.text != sample_case.text
    assert metrics.norm(spaced.text) == metrics.norm(sample_case.text)
    reordered = robustness.reorder_variant(sample_case)
    assert reordered is not None
    first = sample_case.text.strip().split("\n\n")[0]
    assert reordered.text.startswith(first)
    assert sorted(metrics.norm(reordered.text)) == sorted(metrics.norm(sample_case.text))
    assert robustness.reorder_variant(sample_case.model_copy(update={"text": "一段落だけ。"})) is None


def test_bases_are_passing_and_weak_drafts(dev_cases):
    cases = [Case.model_validate(c) for c in dev_cases]
    passing, weak = robustness.choose_bases(cases, 9)
    assert len(passing) == 6 and len(weak) == 3
    assert all(robustness.gold_passes(c) >= 3 for c in passing)
    assert all(robustness.gold_passes(c) == 0 for c in weak)
    assert [v.text for v in robustness.build_variants(cases, 9)] == [v.text for v in robustness.build_variants(cases, 9)]


# --- gate and baseline ----------------------------------------------------------------------------


def test_gate_reads_thresholds_and_flags_low_high_and_missing(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[min]\n"overall.binary_accuracy" = 0.8\n"mrr" = 0.5\n[max]\n"overall.contract_problems" = 0\n', encoding="utf-8")
    limits = gate.load_thresholds(path)
    result = {"overall": {"binary_accuracy": 0.75, "contract_problems": 2}}
    failures = {f.figure: f for f in gate.check(result, limits)}
    assert set(failures) == {"overall.binary_accuracy", "mrr", "overall.contract_problems"}
    assert failures["mrr"].value is None and "missing" in str(failures["mrr"])
    assert gate.check({"overall": {"binary_accuracy": 0.8, "contract_problems": 0}, "mrr": 0.9}, limits) == []


def test_gate_rejects_a_bad_thresholds_file(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text("[minimum]\nx = 1\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown section"):
        gate.load_thresholds(path)
    path.write_text("[min\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid TOML"):
        gate.load_thresholds(path)


def test_the_shipped_thresholds_load():
    limits = gate.load_thresholds()
    assert limits.min or limits.max


def _row(case_id, gold, predicted):
    return {"id": case_id, "file": "f.jsonl", "gold": gold, "predicted": predicted}


def test_baseline_diff_names_regressions_and_improvements():
    gold = {"issue_driven": "pass", "to_g": False}
    before = {"generated_at": "then", "overall": {"accuracy": 0.5}, "per_case": [
        _row("a", gold, {"issue_driven": "pass", "to_g": False}),
        _row("b", gold, {"issue_driven": "fail", "to_g": True}),
        _row("c", gold, {"issue_driven": "fail", "to_g": False}),
        _row("gone", gold, {"issue_driven": "pass", "to_g": False}),
    ]}
    after = {"overall": {"accuracy": 0.625}, "per_case": [
        _row("a", gold, {"issue_driven": "partial", "to_g": False}),  # regressed
        _row("b", gold, {"issue_driven": "pass", "to_g": False}),  # improved twice
        _row("c", gold, {"issue_driven": "partial", "to_g": False}),  # wrong to another wrong
        _row("new", gold, {"issue_driven": "pass", "to_g": False}),
    ]}
    diff = baseline.compare(before, after)
    assert [(e["case"], e["item"], e["before"], e["after"]) for e in diff["regressed"]] == [("a", "issue_driven", "pass", "partial")]
    assert {(e["case"], e["item"]) for e in diff["improved"]} == {("b", "issue_driven"), ("b", "to_g")}
    assert [(e["case"], e["item"]) for e in diff["changed"]] == [("c", "issue_driven")]
    assert diff["regressed_cases"] == ["a"] and diff["improved_cases"] == ["b"]
    assert diff["added"] == ["new"] and diff["removed"] == ["gone"]
    assert diff["overall_delta"] == {"accuracy": 0.125}


def test_baseline_must_be_a_saved_result(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"overall": {}}', encoding="utf-8")
    with pytest.raises(InvalidInput, match="per_case"):
        baseline.load_result(path)


# --- the command, in process ------------------------------------------------------------------------
# These run the real review service. The test's data dir has no index, so the service uses the
# lexical fallback it is built with (and says so in a notice); retrieval is skipped here and
# compared with score.py in test_eval_scorer_agreement.py.


@pytest.fixture()
def small_cases(tmp_path, dev_cases) -> Path:
    return write_jsonl(tmp_path / "small.jsonl", dev_cases[:3] + dev_cases[60:62])


def _eval(*args: str):
    result = CliRunner().invoke(app, ["eval", *args])
    return result


def test_eval_json_prints_one_object_with_the_scorer_names(small_cases, tmp_path):
    run = _eval("--cases", str(small_cases), "--no-questions", "--json", "--robustness-drafts", "2")
    assert run.exit_code == 0, run.output
    result = json.loads(run.stdout)
    assert result["cases"] == 5 and len(result["per_case"]) == 5
    for criterion in ("issue_driven", "why_this_city", "one_solution", "cost_split"):
        assert set(result["criteria"][criterion]) >= {"accuracy", "binary_accuracy", "macro_f1", "kappa", "confusion"}
    assert set(result["flags"]["to_g"]) >= {"precision", "recall", "f1"}
    assert set(result["overall"]) >= {"accuracy", "binary_accuracy", "macro_f1", "citation_verbatim_rate", "contract_problems"}
    assert result["services"]["review"] == "coach.review.ReviewService"
    assert result["robustness"]["base_drafts"] == 2
    assert result["robustness"]["injection"]["variants"] >= 16
    assert "mrr" not in result  # no questions asked for


def test_eval_writes_the_report_and_lists_changes_since_a_baseline(small_cases, tmp_path):
    first = _eval("--cases", str(small_cases), "--no-questions", "--robustness-drafts", "0", "--out", str(tmp_path / "r1"))
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == str(tmp_path / "r1" / "report.md")
    for name in ("report.md", "result.json", "confusion.png", "criteria.png", "flags.png"):
        assert (tmp_path / "r1" / name).stat().st_size > 500, name
    assert (tmp_path / "r1" / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # Pretend the baseline got one case right that is now wrong, and one wrong that is now right.
    saved = json.loads((tmp_path / "r1" / "result.json").read_text(encoding="utf-8"))
    row0, row1 = saved["per_case"][0], saved["per_case"][1]
    gold0 = row0["gold"]["cost_split"]
    now0 = row0["predicted"]["cost_split"]
    row0["predicted"]["cost_split"] = gold0 if now0 != gold0 else {"pass": "fail"}.get(gold0, "pass")
    row1["predicted"]["to_g"] = not row1["gold"]["to_g"]
    base = tmp_path / "baseline.json"
    base.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")

    second = _eval("--cases", str(small_cases), "--no-questions", "--robustness-drafts", "0", "--json", "--baseline", str(base))
    assert second.exit_code == 0, second.output
    diff = json.loads(second.stdout)["baseline"]
    moved = {(e["case"], e["item"]) for kind in ("regressed", "improved", "changed") for e in diff[kind]}
    assert moved == {(row0["id"], "cost_split"), (row1["id"], "to_g")}
    assert (row1["id"], "to_g") in {(e["case"], e["item"]) for e in diff["improved"]}

    # The human report lists the same moves.
    third = _eval("--cases", str(small_cases), "--no-questions", "--robustness-drafts", "0", "--baseline", str(base), "--out", str(tmp_path / "r2"))
    assert third.exit_code == 0, third.output
    markdown = (tmp_path / "r2" / "report.md").read_text(encoding="utf-8")
    assert "## Changes since the baseline" in markdown
    assert f"| {row1['id']} | " in markdown.split("### Improved")[1]


def test_gate_exits_non_zero_and_names_the_figure(small_cases, tmp_path):
    strict = tmp_path / "strict.toml"
    strict.write_text('[min]\n"overall.binary_accuracy" = 1.01\n[max]\n"overall.contract_problems" = 0\n', encoding="utf-8")
    run = _eval("--cases", str(small_cases), "--no-questions", "--robustness-drafts", "0", "--json", "--gate", "--thresholds", str(strict))
    assert run.exit_code == 1
    assert "overall.binary_accuracy" in run.stderr and "1.01" in run.stderr
    assert json.loads(run.stdout)["gate"]["passed"] is False

    lenient = tmp_path / "lenient.toml"
    lenient.write_text('[min]\n"overall.binary_accuracy" = 0.0\n', encoding="utf-8")
    run = _eval("--cases", str(small_cases), "--no-questions", "--robustness-drafts", "0", "--json", "--gate", "--thresholds", str(lenient))
    assert run.exit_code == 0, run.stderr
    assert "gate passed" in run.stderr


def test_eval_refuses_bad_input_with_a_clear_message(tmp_path, dev_cases):
    bad = write_jsonl(tmp_path / "bad.jsonl", [dev_cases[0], dev_cases[0]])
    run = _eval("--cases", str(bad), "--no-questions", "--json")
    assert run.exit_code != 0
    assert "already used" in str(run.exception)


def test_the_shipped_robustness_set_is_what_the_generator_makes(dev_cases):
    """eval/robustness/injection-dev.jsonl is generated (`coach eval export-robustness`); it must
    not drift from the code, or score.py would score a different set than `coach eval` builds."""
    shipped = [json.loads(line) for line in (ROOT / "eval" / "robustness" / "injection-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    made = robustness.labelled_variants([Case.model_validate(c) for c in dev_cases], 15)
    assert shipped == made, "regenerate with: coach eval export-robustness eval/robustness/injection-dev.jsonl"
    assert {row["id"].split("~")[1] for row in shipped} >= {"ja-middle", "en-fullwidth-middle", "ja-quoted-middle", "whitespace"}


# --- robustness and LLM counting, with stand-in reviewers ------------------------------------------
# The product never obeys an injection, so to prove the counting can see a change these tests use
# stand-in reviewers that do (a deliberately gullible one) — they test the eval, not the coach.


class _GullibleReviewer:
    """Says pass everywhere when the draft asks for it; fail otherwise. A stand-in, see above."""

    def review(self, text, route=None, today=None):
        from coach.models import CriterionResult, Flags, Report

        verdict = "pass" if ("合格" in text or "pass" in text.lower()) else "fail"
        criteria = {c: CriterionResult(verdict=verdict) for c in ("issue_driven", "why_this_city", "one_solution", "cost_split")}
        return Report(criteria=criteria, flags=Flags(), summary="")


def test_robustness_counts_and_lists_verdicts_that_move(dev_cases):
    from eval.runner import CaseOutcome, review_one, run_robustness

    cases = [Case.model_validate(c) for c in dev_cases]
    reviewer = _GullibleReviewer()
    base = {}
    for c in cases:
        report, _, _ = review_one(reviewer, c.text, c.route)
        base[c.id] = CaseOutcome(id=c.id, file="", gold=c.labels.model_dump(), report=report)
    result = run_robustness(reviewer, cases, base, drafts=3, progress=lambda _: None)
    moved = [ch for ch in result["changes"] if ch["family"] == "injection"]
    assert result["injection"]["changed"] == len(moved) > 0
    assert 0 < result["injection"]["changed_rate"] <= 1
    assert moved[0]["changed"]["issue_driven"] == ["fail", "pass"]
    assert result["whitespace"]["changed"] == 0  # the stand-in ignores whitespace


def test_llm_figures_count_fallbacks_and_malformed_answers():
    from eval.runner import CaseOutcome, llm_figures

    def outcome(mode, notices):
        return CaseOutcome(id="x", file="", gold={}, report={"mode": mode, "notices": notices})

    outcomes = [
        outcome("llm", []),
        outcome("llm", []),
        outcome("offline", ["… The LLM gave no usable answer after 2 attempt(s) (malformed answer (bad JSON)); this is the offline review."]),
        outcome("offline", ["… The LLM gave no usable answer after 2 attempt(s) (ReadTimeout: timed out); …"]),
    ]
    figures = llm_figures(outcomes, llm_configured=True)
    assert (figures["llm_reports"], figures["fallbacks"], figures["malformed"]) == (2, 2, 1)
    assert figures["fallback_rate"] == 0.5 and figures["malformed_rate"] == 0.25
    offline = llm_figures(outcomes, llm_configured=False)
    assert offline["fallbacks"] == 0 and offline["fallback_rate"] == 0.0


def test_a_review_that_fails_is_measured_not_fatal(dev_cases):
    from eval.runner import check_contract, coaching_figures, run_cases

    class _Flaky(_GullibleReviewer):  # a stand-in that refuses one draft
        def review(self, text, route=None, today=None):
            if text == dev_cases[1]["text"]:
                raise InvalidInput("読めません", "unreadable")
            return super().review(text, route, today)

    cases = [Case.model_validate(c) for c in dev_cases[:3]]
    outcomes = run_cases(_Flaky(), cases, progress=lambda _: None)
    assert [o.error for o in outcomes] == [None, "invalid_input: 読めません / unreadable", None]
    check = check_contract(outcomes, {c.id: c.text for c in cases}, haystack=None)
    figures = coaching_figures(outcomes, check)
    assert check.problems == [f"{cases[1].id}: no report"]
    assert figures["overall"]["errors"] == 1 and figures["overall"]["contract_problems"] == 1
    assert sum(figures["flags"]["to_g"][k] for k in ("tp", "fp", "fn", "tn")) == 2  # score.py skips it


def test_misses_pair_the_coach_reason_with_the_label_rationale():
    from eval.runner import CaseOutcome

    gold = {"issue_driven": "pass", "why_this_city": "fail", "one_solution": "pass", "cost_split": "pass",
            "to_g": True, "sales_pitch": False}
    report = {
        "criteria": {
            "issue_driven": {"verdict": "partial", "reason": "規模を示すデータがありません。"},
            "why_this_city": {"verdict": "fail", "reason": ""},
            "one_solution": {"verdict": "pass"},
            "cost_split": {"verdict": "pass"},
        },
        "flags": {"to_g": False, "sales_pitch": False},
        "flag_details": {"to_g": {"raised": False, "reason": "市の支払いは見当たりません。"}},
    }
    rationale = "issue_driven: pass — size given (312名)\nwhy_this_city: fail — generic\nto_g: true — 委託料"
    misses = CaseOutcome(id="c", file="f", gold=gold, report=report, rationale=rationale).misses()
    assert misses == [
        {"item": "issue_driven", "gold": "pass", "predicted": "partial", "reason": "規模を示すデータがありません。",
         "rationale": "issue_driven: pass — size given (312名)"},
        {"item": "to_g", "gold": True, "predicted": False, "reason": "市の支払いは見当たりません。", "rationale": "to_g: true — 委託料"},
    ]
