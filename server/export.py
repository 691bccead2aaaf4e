"""A submission's pre-screening summary as Markdown and as PDF (fpdf2 with a Japanese font)."""

from __future__ import annotations

from pathlib import Path

from coach.models import Report
from ingest.errors import BackendUnavailable
from server.storage import STATUS_LABELS, Submission, as_utc

CRITERION_LABELS = {
    "issue_driven": "課題ドリブン",
    "why_this_city": "なぜこの自治体なのか",
    "one_solution": "1提案 = 1ソリューション",
    "cost_split": "役割分担・費用負担",
}
VERDICT_LABELS = {"pass": "充足", "partial": "一部不足", "fail": "不足"}
FLAG_LABELS = {"to_g": "To G(行政向け販売)", "sales_pitch": "営業色が強い"}

# Debian fonts-ipaexfont first, then other common Japanese TTFs. TTF/OTF with TrueType outlines
# only: fpdf2 cannot embed CFF-based OTFs such as Noto Sans CJK.
FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf",
)


def find_japanese_font() -> Path | None:
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path.resolve()
    return None


def summary_markdown(sub: Submission, report: Report | None) -> str:
    lines = [
        f"# 事前確認サマリー: {sub.title or sub.id}",
        "",
        f"- 受付ID: `{sub.id}`",
        f"- 受付日時: {as_utc(sub.created_at):%Y-%m-%d %H:%M} UTC",
        f"- ステータス: {STATUS_LABELS.get(sub.status, sub.status)}"
        + (f"(理由: {sub.status_reason})" if sub.status_reason else ""),
        f"- 提案区分: {_route_label(sub.route)}",
        f"- 改訂回数: {sub.revision_count}",
        "",
    ]
    if report is None:
        lines.append("(レビューはまだありません)")
        return "\n".join(lines) + "\n"
    lines += ["## 4つのポイント", "", "| ポイント | 判定 | 理由 |", "|---|---|---|"]
    for name, result in report.criteria.items():
        # Staff read the summary in Japanese whatever the draft's language.
        staff_reason = result.reason_bilingual.ja if result.reason_bilingual else result.reason
        reason = staff_reason.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {CRITERION_LABELS.get(name, name)} | {VERDICT_LABELS[result.verdict]} "
                     f"| {reason} |")
    lines += ["", "## フラグ", ""]
    for flag, label in FLAG_LABELS.items():
        raised = getattr(report.flags, flag)
        detail = report.flag_details.get(flag)
        text = (detail.reason_bilingual.ja if detail.reason_bilingual else detail.reason) if detail else ""
        note = f" — {text}" if text else ""
        lines.append(f"- {label}: {'あり' if raised else 'なし'}{note}")
    if report.injection and report.injection.evidence:
        lines.append(f"- 審査者への指示文: 検出({len(report.injection.evidence)}件、判定には不使用)")
    screening = report.screening
    if screening:
        lines += ["", "## 事前スクリーニング(STEP 2・4)", ""]
        if screening.first_check:
            lines.append(f"- 一次確認: {screening.first_check}")
        for point in screening.judgement_points:
            lines.append(f"- {point.label}: {point.assessment}")
        if screening.bureaus:
            names = "、".join(f"{b.name}" for b in screening.bureaus[:3])
            lines.append(f"- 想定される担当部署: {names}")
        if screening.timing:
            lines.append(f"- 時期: {screening.timing.period} — {screening.timing.advice}")
    missing = [(name, item) for name, r in report.criteria.items() for item in r.missing]
    if missing:
        lines += ["", "## 不足している項目", ""]
        for name, item in missing:
            lines.append(f"- {CRITERION_LABELS.get(name, name)}: {item}")
    lines += ["", "## 要約", "", report.summary, "",
              "---", "この要約は自動の事前確認です。最終判断は職員が行います。", ""]
    return "\n".join(lines)


def _route_label(route: str | None) -> str:
    return {"theme": "テーマ型", "free": "フリー型"}.get(route or "", "未選択")


def summary_pdf(sub: Submission, report: Report | None) -> bytes:
    """The Markdown summary laid out as a simple A4 PDF."""
    font = find_japanese_font()
    if font is None:
        raise BackendUnavailable(
            "PDF 出力に必要な日本語フォントがありません。`apt-get install fonts-ipaexfont` で導入するか、"
            "Markdown 出力をお使いください。",
            "No Japanese font for PDF export: install fonts-ipaexfont (Debian) or use the Markdown "
            "export.",
            code="font_missing",
        )
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("jp", "", str(font))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for raw in summary_markdown(sub, report).splitlines():
        line = raw.rstrip()
        if line.startswith("# "):
            pdf.set_font("jp", size=15)
            pdf.multi_cell(width, 9, line[2:], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif line.startswith("## "):
            pdf.ln(2)
            pdf.set_font("jp", size=12.5)
            pdf.multi_cell(width, 8, line[3:], new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("|---"):
            continue
        elif line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")]
            pdf.set_font("jp", size=10)
            pdf.multi_cell(width, 6, "  ".join(f"[{c}]" if i < 2 else c
                                               for i, c in enumerate(cells)),
                           new_x="LMARGIN", new_y="NEXT")
        elif line == "---":
            pdf.ln(3)
        else:
            pdf.set_font("jp", size=10)
            pdf.multi_cell(width, 6, line.replace("`", "") or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
