"""Commands of the `coach` layer, registered on the root `coach` CLI (see server/cli.py).

- ``coach review FILE|-`` — one draft; ``--json`` prints the REPORT (contract), otherwise a rich
  rendering; ``--staff`` adds the pre-screening summary.
- ``coach review --batch FILE.jsonl|FILE.csv`` — many drafts; ``--json`` prints one
  ``{"id", "report"}`` line per input line (a bad line gets ``{"id", "error"}`` and the batch goes
  on); ``--csv OUT`` writes one summary row per draft for staff.
- ``coach ask "…"`` — the playbook passages that answer a question (and an LLM answer when
  configured).

JSON goes to stdout only; logs and progress go to stderr. Heavy imports happen inside commands.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from ingest.errors import CoachError, InputTooLarge, InvalidInput

log = logging.getLogger("coach")


def register(app: typer.Typer) -> None:
    """Add this layer's commands to the root CLI."""
    app.command("review")(review_command)
    app.command("ask")(ask_command)


# --- coach review -------------------------------------------------------------------------------


def review_command(
    file: Annotated[str | None, typer.Argument(help="Draft file (UTF-8/Shift_JIS text), or - for stdin.")] = None,
    batch: Annotated[Path | None, typer.Option("--batch", help="JSON Lines (id, text[, route]) or CSV (id,text[,route]).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (one REPORT, or one line per batch item).")] = False,
    staff: Annotated[bool, typer.Option("--staff", help="Add the staff pre-screening summary.")] = False,
    route: Annotated[str | None, typer.Option("--route", help="theme (テーマ型) or free (フリー型).")] = None,
    today: Annotated[str | None, typer.Option("--today", help="Date for the timing advice, YYYY-MM-DD.")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="With --batch: write one summary row per draft to this CSV.")] = None,
) -> None:
    """Review a draft proposal against the playbook's four points."""
    _logging_to_stderr()
    on = _parse_date(today)
    if batch is not None:
        if file is not None:
            raise InvalidInput("FILE と --batch は同時に指定できません。", "Give either FILE or --batch, not both.")
        _review_batch(batch, as_json=as_json, csv_out=csv_out, route=route, today=on)
        return
    if file is None:
        raise InvalidInput("提案文のファイル(または - で標準入力)を指定してください。",
                           "Give a draft file, or - to read standard input.")
    from coach.intake import decode_draft_bytes
    from coach.review import ReviewService

    text = decode_draft_bytes(_read_bytes(file))
    report = ReviewService.from_settings().review(text, route=route, today=on)  # type: ignore[arg-type]
    if as_json:
        sys.stdout.write(report.model_dump_json() + "\n")
        return
    from coach.render import render_report

    render_report(report, text, staff=staff)


def _read_bytes(file: str) -> bytes:
    from ingest.settings import get_settings

    limit = get_settings().max_upload_bytes
    if file == "-":
        raw = sys.stdin.buffer.read(limit + 1)
    else:
        path = Path(file)
        if not path.is_file():
            raise InvalidInput(f"ファイルが見つかりません: {file}", f"No such file: {file}")
        try:
            with path.open("rb") as f:
                raw = f.read(limit + 1)
        except OSError as err:
            raise InvalidInput(f"ファイルを読めません: {file}", f"Cannot read {file}: {err.strerror}") from None
    if len(raw) > limit:
        raise InputTooLarge(f"ファイルが大きすぎます({limit:,}バイトまで)。",
                            f"The file is too large (limit {limit:,} bytes).")
    return raw


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--today は YYYY-MM-DD で指定してください(指定値: {value})。",
                           f"--today must be YYYY-MM-DD (got {value}).") from None


# --- batches ----------------------------------------------------------------------------------

SUMMARY_COLUMNS = ("id", "issue_driven", "why_this_city", "one_solution", "cost_split", "to_g",
                   "sales_pitch", "route", "bureau", "fiscal_burden", "resource_exclusivity",
                   "first_check", "summary", "error")


def _review_batch(path: Path, *, as_json: bool, csv_out: Path | None, route: str | None, today: date | None) -> None:
    from coach.intake import decode_draft_bytes
    from coach.review import ReviewService

    if not path.is_file():
        raise InvalidInput(f"バッチファイルが見つかりません: {path}", f"No such batch file: {path}")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InvalidInput(f"バッチファイルを読めません: {path}", f"Cannot read {path}: {err.strerror}") from None
    if path.suffix.lower() == ".csv":
        items = _csv_items(decode_draft_bytes(raw) if raw.strip() else "")
    else:
        items = _jsonl_items(_decoded_lines(raw))
    service = ReviewService.from_settings()

    rows: list[dict[str, Any]] = []
    table = None if as_json or csv_out else []
    out = sys.stdout
    n = 0
    for item_id, item, problem in items:
        n += 1
        if problem is None:
            try:
                report = service.review(item["text"], route=item.get("route") or route, today=today)
                result: dict[str, Any] = {"id": item_id, "report": report.model_dump(mode="json")}
            except CoachError as err:
                problem = err
            except Exception as err:
                log.exception("review of %s failed", item_id)
                problem = CoachError(f"内部エラー({type(err).__name__})", f"internal error ({type(err).__name__}: {err})",
                                     code="internal_error")
        if problem is not None:
            result = {"id": item_id, "error": {"code": problem.code, "message": problem.message}}
            log.warning("%s: %s", item_id, problem.message)
        if as_json:
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            out.flush()
        if csv_out is not None or table is not None:
            rows.append(summary_row(item_id, result))
    log.info("reviewed %d item(s) from %s", n, path)
    if csv_out is not None:
        write_summary_csv(csv_out, rows)
        log.info("wrote %s", csv_out)
    if table is not None:
        from coach.render import render_batch_table

        render_batch_table(rows)


def _decoded_lines(raw: bytes) -> list[str | CoachError]:
    """Each line of a JSONL batch decoded on its own, so that one line saved in another encoding
    (a Shift_JIS draft pasted into a UTF-8 file) becomes an error row instead of sinking the batch."""
    from coach.intake import decode_draft_bytes

    try:
        return list(raw.decode("utf-8-sig").splitlines())
    except UnicodeDecodeError:
        pass
    lines: list[str | CoachError] = []
    for chunk in raw.split(b"\n"):
        chunk = chunk.rstrip(b"\r")
        if not chunk.strip():
            lines.append("")
            continue
        try:
            lines.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                lines.append(decode_draft_bytes(chunk))
            except CoachError as err:
                lines.append(err)
    return lines


def _jsonl_items(lines: list[str | CoachError]) -> Iterator[tuple[str, dict, CoachError | None]]:
    for lineno, line in enumerate(lines, 1):
        fallback_id = f"line-{lineno}"
        if isinstance(line, CoachError):
            yield fallback_id, {}, InvalidInput(f"{lineno}行目の文字コードを読めません: {line.message_ja}",
                                                f"Line {lineno}: {line.message_en}")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield fallback_id, {}, InvalidInput(f"{lineno}行目が JSON として読めません。",
                                                f"Line {lineno} is not valid JSON ({err.msg}).")
            continue
        if not isinstance(obj, dict):
            yield fallback_id, {}, InvalidInput(f"{lineno}行目が JSON オブジェクトではありません。",
                                                f"Line {lineno} is not a JSON object.")
            continue
        yield _checked(obj, fallback_id, lineno)


def _csv_items(content: str) -> Iterator[tuple[str, dict, CoachError | None]]:
    reader = csv.DictReader(io.StringIO(content))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "text" not in fields:
        raise InvalidInput("CSV に text 列がありません(列: id,text[,route])。",
                           "The CSV has no 'text' column (expected id,text[,route]).")
    for n, row in enumerate(reader, 1):
        obj = {(k or "").strip().lower(): v for k, v in row.items()}
        yield _checked(obj, f"row-{n}", n + 1)


def _checked(obj: dict, fallback_id: str, lineno: int) -> tuple[str, dict, CoachError | None]:
    raw_id = obj.get("id")
    item_id = str(raw_id) if raw_id not in (None, "") else fallback_id
    text = obj.get("text")
    if not isinstance(text, str):
        return item_id, obj, InvalidInput(f"{lineno}行目に text(提案文)がありません。",
                                          f"Line {lineno} has no 'text' string.")
    route = obj.get("route")
    if route is not None and not isinstance(route, str):
        return item_id, obj, InvalidInput(f"{lineno}行目の route が不正です。", f"Line {lineno}: bad 'route'.")
    return item_id, obj, None


def summary_row(item_id: str, result: dict[str, Any]) -> dict[str, str]:
    """One CSV/table row for a batch item (a report or an error)."""
    row = {c: "" for c in SUMMARY_COLUMNS}
    row["id"] = item_id
    if "error" in result:
        row["error"] = f"{result['error']['code']}: {result['error']['message']}"
        return row
    report = result["report"]
    for name, crit in report["criteria"].items():
        row[name] = crit["verdict"]
    row["to_g"] = str(report["flags"]["to_g"]).lower()
    row["sales_pitch"] = str(report["flags"]["sales_pitch"]).lower()
    row["route"] = report.get("route") or ""
    row["summary"] = report["summary"]
    screening = report.get("screening") or {}
    bureaus = screening.get("bureaus") or []
    row["bureau"] = " / ".join(b["name"] for b in bureaus[:2])
    for point in screening.get("judgement_points") or []:
        if point["key"] in row:
            row[point["key"]] = point["assessment"]
    row["first_check"] = screening.get("first_check", "")
    return row


def write_summary_csv(path: Path, rows: list[dict[str, str]]) -> None:
    # UTF-8 with BOM so that Excel (staff's usual tool) opens the Japanese text correctly.
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=SUMMARY_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as err:
        raise InvalidInput(f"CSV を書き込めません: {path}", f"Cannot write {path}: {err.strerror}") from None


# --- coach ask ------------------------------------------------------------------------------


def ask_command(
    question: Annotated[str, typer.Argument(help="A question about the playbook or the city's plans.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    draft: Annotated[str | None, typer.Option("--draft", help="A draft file the answer should take into account (LLM mode).")] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=20, help="How many passages.")] = 5,
) -> None:
    """Answer a question from the playbook and the city's documents, with sources."""
    _logging_to_stderr()
    from coach.review import ReviewService

    draft_text = None
    if draft is not None:
        from coach.intake import decode_draft_bytes

        draft_text = decode_draft_bytes(_read_bytes(draft))
    service = ReviewService.from_settings()
    if as_json:
        answer = service.answer(question, draft=draft_text, k=k)
        sys.stdout.write(answer.model_dump_json() + "\n")
        return
    from coach.render import render_answer_stream

    render_answer_stream(service.stream_answer(question, draft=draft_text, k=k))


def _logging_to_stderr() -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="coach: %(message)s")

