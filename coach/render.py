"""Terminal rendering (rich) of a Report, of a batch, and of an answer. Writes to stdout.

Only the CLI imports this module, so ``rich`` is never loaded for ``--json`` runs or the API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coach.models import CRITERIA, Report, ScreeningSummary
from coach.review import CRITERION_LABELS, VERDICT_LABELS, AnswerEvent

_STYLE = {"pass": "bold green", "partial": "bold yellow", "fail": "bold red"}
_MARK = {"pass": "○", "partial": "△", "fail": "×"}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def render_report(report: Report, text: str, *, staff: bool = False, console: Console | None = None) -> None:
    console = console or _console()
    ja = report.language == "ja"
    mode = "LLM" if report.mode == "llm" else ("オフライン" if ja else "offline")
    quote = "  「{}」" if ja else "  “{}”"  # the draft's words, marked as its language marks a quote
    console.print(Panel(escape(report.summary), title="講評 / Review" if ja else "Review",
                        subtitle=f"{mode}", border_style="cyan"))
    for notice in report.notices:
        console.print(f"[yellow]![/yellow] {escape(notice)}")
    for name in CRITERIA:
        result = report.criteria[name]
        label = CRITERION_LABELS[name][0 if ja else 1]
        verdict = VERDICT_LABELS[result.verdict][0 if ja else 1]
        body: list[Text | Table] = []
        if result.reason:
            body.append(Text(result.reason))
        for ev in result.evidence[:4]:
            body.append(Text(quote.format(_clip(ev.text, 90)), style="dim"))
        if result.missing:
            from coach.checklist import ITEMS

            names = [ITEMS[k].label_ja if ja else ITEMS[k].label_en for k in result.missing if k in ITEMS]
            if names:
                body.append(Text(("足りないもの: " if ja else "Missing: ") + ("、" if ja else "; ").join(names),
                                 style="yellow"))
        for fix in result.fixes:
            body.append(Text(f"→ {fix.label}: {fix.advice}", style="bold"))
            if fix.example:
                body.append(Text(("   こう書くと伝わります: " if ja else "   For example: ") + fix.example, style="green"))
        for cit in result.citations:
            body.append(Text(f"📖 {cit.section} ({cit.source})", style="blue"))
            body.append(Text("   " + _clip(cit.text, 160), style="dim"))
        console.print(Panel(Group(*body), title=f"{_MARK[result.verdict]} {label} — {verdict}",
                            title_align="left", border_style=_STYLE[result.verdict]))
    if report.injection is not None:
        body = [Text(report.injection.note or "")]
        body += [Text(quote.format(_clip(e.text, 90)), style="dim") for e in report.injection.evidence]
        console.print(Panel(Group(*body), title="審査者への指示文 / text addressed to the reviewer" if ja else "Text addressed to the reviewer",
                            border_style="magenta"))
    if staff and report.screening is not None:
        render_screening(report, report.screening, console=console)
    elif report.screening is not None and report.screening.timing is not None:
        timing = report.screening.timing
        period, advice = timing.in_language(report.language)
        title = f"提案の時期 ({timing.on.isoformat()}: {period})" if ja else f"Timing ({timing.on.isoformat()}: {period})"
        console.print(Panel(Text(advice), title=title, title_align="left", border_style="cyan"))


def render_screening(report: Report, screening: ScreeningSummary, *, console: Console | None = None) -> None:
    console = console or _console()
    table = Table(title="職員向け事前確認 / staff pre-screening", show_lines=True, expand=True)
    table.add_column("項目", style="bold", overflow="fold", ratio=1)
    table.add_column("見立て", overflow="fold", ratio=3)
    for name in CRITERIA:
        result = report.criteria[name]
        table.add_row(CRITERION_LABELS[name][0],
                      Text(f"{_MARK[result.verdict]} {VERDICT_LABELS[result.verdict][0]}", style=_STYLE[result.verdict]))
    table.add_row("toG(市の支払いが主な収益)", _flag(report.flags.to_g, report, "to_g"))
    table.add_row("営業活動の疑い", _flag(report.flags.sales_pitch, report, "sales_pitch"))
    table.add_row("一次確認(STEP 2)", screening.first_check)
    for point in screening.judgement_points:
        cell = point.assessment
        if point.evidence:
            cell += "\n" + "\n".join(f"「{_clip(e.text, 70)}」" for e in point.evidence[:2])
        table.add_row(point.label, cell)
    bureaus = "\n".join(f"{b.name}(根拠: {'、'.join(b.because)})" for b in screening.bureaus) or "見立てられませんでした"
    table.add_row("想定される担当部署", bureaus)
    table.add_row("提案の入口", screening.route_label)
    if screening.timing is not None:
        table.add_row(f"時期({screening.timing.on.isoformat()}: {screening.timing.period})", screening.timing.advice)
    console.print(table)


def _flag(raised: bool, report: Report, key: str) -> Text:
    detail = report.flag_details.get(key)
    # the staff view is in Japanese whatever the draft's language
    text = (detail.reason_bilingual.ja if detail.reason_bilingual else detail.reason) if detail else ""
    reason = f" — {text}" if text else ""
    return Text(("あり" if raised else "なし") + reason, style="bold red" if raised else "green")


def render_batch_table(rows: Iterable[dict[str, str]], console: Console | None = None) -> None:
    console = console or _console()
    table = Table(title="一括講評 / batch review", show_lines=False)
    for col in ("id", "issue_driven", "why_this_city", "one_solution", "cost_split", "to_g", "sales_pitch", "bureau", "error"):
        table.add_column(col, overflow="fold")
    for row in rows:
        cells = []
        for col in ("id", "issue_driven", "why_this_city", "one_solution", "cost_split", "to_g", "sales_pitch", "bureau", "error"):
            value = row.get(col, "")
            style = _STYLE.get(value, "")
            cells.append(Text(value, style=style))
        table.add_row(*cells)
    console.print(table)


def render_answer_stream(events: Iterator[AnswerEvent], console: Console | None = None) -> None:
    console = console or _console()
    final = None
    for event in events:
        if event.kind == "token":
            console.print(event.text, end="", markup=False)
        else:
            final = event.answer
    console.print()
    if final is None:
        return
    if final.mode == "llm":
        console.print()
        for i, cit in enumerate(final.citations, 1):
            console.print(Text(f"[{i}] {cit.section} ({cit.source})", style="blue"))
            console.print(Text("    " + _clip(cit.text, 240), style="dim"))
    for notice in final.notices:
        console.print(f"[yellow]![/yellow] {escape(notice)}")


def _clip(text: str, n: int) -> str:
    # Line breaks inside Japanese sentences come from the PDF's layout: drop them, keep the rest.
    text = re.sub(r"(?<=[^\x00-\x7f])\s*\n\s*(?=[^\x00-\x7f])", "", text)
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
