"""Commands of the `ingest` layer, registered on the root `coach` CLI (see server/cli.py).

JSON goes to stdout and nothing else does; progress bars, notices and logs go to stderr.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from ingest.errors import InvalidInput


def register(app: typer.Typer) -> None:
    """Add this layer's commands to the root CLI."""
    app.command("ingest")(ingest)
    app.command("retrieve")(retrieve)


def ingest(
    json_output: bool = typer.Option(False, "--json", help="Print the ingest report as JSON on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Build or refresh the search index from the corpus folder (idempotent)."""
    from ingest.index import build_index
    from ingest.settings import get_settings

    settings = get_settings()
    report = build_index(settings, progress=not quiet)
    if json_output:
        sys.stdout.write(report.model_dump_json() + "\n")
        return
    err = sys.stderr
    err.write(
        f"indexed {report.files_indexed} file(s), unchanged {report.files_unchanged}, removed "
        f"{report.files_removed}; chunks +{report.chunks_added} -{report.chunks_removed} = "
        f"{report.chunks_total} ({report.seconds:.1f} s, {report.embedding.backend if report.embedding else '?'})\n"
    )
    for skipped in report.skipped:
        err.write(f"skipped {skipped.path}: {skipped.reason}\n")


def retrieve(
    query: str = typer.Argument(None, help="The question (omit with --batch)."),
    batch: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional here
        "--batch", help="JSON Lines file of {\"id\", \"question\"}; '-' for stdin.")] = None,
    k: int = typer.Option(5, "--k", "-k", min=1, max=100, help="Passages per question."),
    json_output: bool = typer.Option(False, "--json", help="JSON on stdout (one line per question)."),
    source: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--source", help="Only these corpus files (repeatable).")] = None,
    lexical_fallback: bool = typer.Option(
        True, "--lexical-fallback/--no-lexical-fallback",
        help="With no index, search the corpus by keywords instead of failing.",
    ),
) -> None:
    """Find the best passages of the corpus for a question, or for each line of a batch file."""
    from ingest.index import open_retriever
    from ingest.settings import get_settings

    if (query is None) == (batch is None):
        raise InvalidInput("質問か --batch のどちらか一方を指定してください。",
                           "give either a question or --batch FILE, not both")
    started = time.perf_counter()
    retriever = open_retriever(get_settings(), allow_lexical_fallback=lexical_fallback)
    sources = list(source) if source else None
    if batch is not None:
        rows = _read_batch(batch)
        results = retriever.retrieve_many([_question(r, n) for n, r in enumerate(rows, 1)], k, sources=sources)
        for row, result in zip(rows, results):
            sys.stdout.write(json.dumps({"id": row.get("id"), "chunks": _chunks(result)}, ensure_ascii=False) + "\n")
        notices = results[0].notices if results else []
    else:
        result = retriever.retrieve(query, k, sources=sources)
        notices = result.notices
        if json_output:
            sys.stdout.write(json.dumps({"query": query, "mode": result.mode, "chunks": _chunks(result),
                                         "notices": result.notices}, ensure_ascii=False) + "\n")
        else:
            _print_passages(result)
    for notice in notices:
        sys.stderr.write(f"coach: {notice}\n")
    sys.stderr.write(f"coach: retrieved in {time.perf_counter() - started:.2f} s ({retriever.mode})\n")


def _chunks(result) -> list[dict]:
    return [{"text": p.text, "source": p.source, "section": p.section, "score": p.score,
             "start": p.start, "end": p.end} for p in result.passages]


def _read_batch(path: Path) -> list[dict]:
    try:
        lines = sys.stdin.read().splitlines() if str(path) == "-" else path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InvalidInput(f"バッチファイル「{path}」を読めません。", f"cannot read batch file '{path}' ({err})") from err
    except UnicodeDecodeError as err:
        raise InvalidInput(
            f"バッチファイル「{path}」が UTF-8 ではありません。UTF-8 で保存し直してください。",
            f"batch file '{path}' is not UTF-8 (byte {err.start}); please save it as UTF-8",
        ) from err
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InvalidInput(f"{path} の {n} 行目が JSON ではありません。", f"{path} line {n} is not JSON ({err.msg})") from err
        if not isinstance(row, dict):
            raise InvalidInput(f"{path} の {n} 行目がオブジェクトではありません。", f"{path} line {n} is not a JSON object")
        rows.append(row)
    return rows


def _question(row: dict, n: int) -> str:
    text = row.get("question") or row.get("query") or row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"{n} 件目に question がありません。", f"row {n} has no 'question'")
    return text


def _print_passages(result) -> None:
    from rich.console import Console
    from rich.panel import Panel

    console = Console()
    for n, p in enumerate(result.passages, 1):
        console.print(Panel(p.text, title=f"{n}. {p.section or '(no section)'}",
                            subtitle=f"{p.source} [{p.start}:{p.end}] score {p.score:.4f}", title_align="left"))
