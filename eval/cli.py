"""Commands of the `eval` layer, registered on the root `coach` CLI (see server/cli.py).

    coach eval [--cases FILE …] [--questions FILE] [--json] [--gate] [--baseline FILE] [--out DIR]
    coach eval check-data FILE …

Heavy imports (the review service, the index, matplotlib) happen inside the commands so that
``coach --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

eval_app = typer.Typer(
    help="Measure coaching quality, grounding, robustness, retrieval and speed on labelled data; "
    "write a report; gate on thresholds.",
    no_args_is_help=False,
)


def _progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


@eval_app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    cases: Annotated[
        list[Path] | None,
        typer.Option("--cases", help="Case file (JSON Lines); repeat for several. Default: both dev case files."),
    ] = None,
    questions: Annotated[
        Path | None,
        typer.Option("--questions", help="Question file (JSON Lines). Default: eval/questions-dev.jsonl."),
    ] = None,
    no_questions: Annotated[bool, typer.Option("--no-questions", help="Skip retrieval.")] = False,
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="Chunks retrieved per question (recall@k, MRR within k).")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object on stdout.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the report. Default: eval/reports/<timestamp>/.")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="A saved result (result.json) to list changed cases against.")
    ] = None,
    gate: Annotated[bool, typer.Option("--gate", help="Exit 1 when a figure is outside eval/thresholds.toml.")] = False,
    thresholds: Annotated[Path | None, typer.Option("--thresholds", help="Gate thresholds file (TOML).")] = None,
    robustness_drafts: Annotated[
        int, typer.Option("--robustness-drafts", min=0, help="Drafts to perturb for the robustness figures (0: skip).")
    ] = 15,
) -> None:
    """Run the eval on the dev data (or the files given) and write the report."""
    if ctx.invoked_subcommand is not None:
        return
    from eval import baseline as baseline_mod
    from eval import gate as gate_mod
    from eval.data import (
        DEFAULT_CASE_FILES,
        DEFAULT_QUESTION_FILE,
        load_cases,
        load_questions,
    )
    from eval.runner import RunOptions, evaluate
    from eval.services import (
        RETRIEVAL_SERVICE,
        REVIEW_SERVICE,
        open_retriever,
        open_reviewer,
    )
    from ingest.settings import get_settings

    settings = get_settings()
    case_files = list(cases) if cases else list(DEFAULT_CASE_FILES)
    question_file = None if no_questions else (questions or DEFAULT_QUESTION_FILE)
    # Read every input before the long run, so a typo fails in a second, not after two minutes.
    loaded_cases = load_cases(case_files)
    loaded_questions = load_questions(question_file) if question_file else []
    base = baseline_mod.load_result(baseline) if baseline else None
    limits = gate_mod.load_thresholds(thresholds or gate_mod.DEFAULT_THRESHOLDS) if gate else None

    reviewer = open_reviewer(settings)
    retriever = open_retriever(settings) if question_file else None
    info = {
        "review": REVIEW_SERVICE,
        "retrieval": RETRIEVAL_SERVICE if retriever is not None else "skipped",
        "llm": settings.llm,
        "corpus_dir": str(settings.corpus_dir),
        "data_dir": str(settings.data_dir),
    }
    options = RunOptions(
        case_files=case_files,
        question_file=question_file,
        k=k,
        robustness_drafts=robustness_drafts,
        corpus_dir=settings.corpus_dir,
    )
    result = evaluate(options, reviewer, retriever, loaded_cases, loaded_questions, info, bool(settings.llm), _progress)
    if base is not None:
        result["baseline"] = baseline_mod.compare(base, result)
    failures = gate_mod.check(result, limits) if limits is not None else []
    if limits is not None:
        result["gate"] = {"passed": not failures, "failures": [str(f) for f in failures]}

    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        if out is not None:
            from eval.report import write_report

            write_report(result, out)
    else:
        from eval.report import default_report_dir, link_latest, write_report

        folder = write_report(result, out or default_report_dir())
        if out is None:
            link_latest(folder)
        typer.echo(str(folder / "report.md"))
    if limits is not None:
        if failures:
            _progress("eval: gate FAILED:")
            for failure in failures:
                _progress(f"  {failure}")
            raise SystemExit(1)  # see check_data: typer.Exit's code would be lost
        _progress(f"eval: gate passed ({len(limits.min) + len(limits.max)} thresholds)")


@eval_app.command("check-data")
def check_data(
    files: Annotated[list[Path] | None, typer.Argument(help="Case and/or question files (JSON Lines).")] = None,
) -> None:
    """Validate case and question files: schema, verdicts, unique ids, anchors in the corpus."""
    from eval.data_check import check_files
    from ingest.errors import InvalidInput
    from ingest.settings import get_settings

    if not files:
        # Checked here rather than by click: the root CLI would report click's MissingParameter
        # as an internal error (it tests for the real click's exception class, typer vendors its own).
        raise InvalidInput(
            "確認するファイルを指定してください。", "Give one or more case or question files, e.g. eval/cases-dev.jsonl."
        )

    report = check_files(files, get_settings().corpus_dir)
    for line in report.lines():
        typer.echo(line)
    if report.errors:
        # SystemExit, not typer.Exit: the root CLI runs click with standalone_mode=False, where
        # typer.Exit's code is returned rather than used as the exit status.
        raise SystemExit(1)


@eval_app.command("export-robustness")
def export_robustness(
    out: Annotated[Path, typer.Argument(help="JSON Lines file to write.")],
    cases: Annotated[
        list[Path] | None, typer.Option("--cases", help="Case files to derive from. Default: both dev case files.")
    ] = None,
    drafts: Annotated[int, typer.Option("--drafts", min=1, help="Base drafts to perturb.")] = 15,
) -> None:
    """Write the injected and whitespace-perturbed drafts as a labelled case file (for score.py)."""
    from eval.data import DEFAULT_CASE_FILES, load_cases
    from eval.robustness import labelled_variants

    rows = labelled_variants(load_cases(list(cases) if cases else list(DEFAULT_CASE_FILES)), drafts)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    typer.echo(f"{out}: {len(rows)} cases")


def register(app: typer.Typer) -> None:
    """Add this layer's commands to the root CLI."""
    app.add_typer(eval_app, name="eval")
