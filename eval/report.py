"""The human report of an eval run: ``report.md`` with PNG charts, beside ``result.json``.

Charts are drawn with matplotlib's Agg backend (no display needed). Japanese labels need a CJK
font; we pick the first one installed from a short list and fall back to English labels when
there is none, so the charts never show tofu boxes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.models import CRITERIA
from eval.data import FLAG_NAMES

REPORTS_DIR = Path(__file__).resolve().parent / "reports"

CRITERION_JA = {
    "issue_driven": "課題ドリブン",
    "why_this_city": "なぜ北九州市か",
    "one_solution": "1提案=1ソリューション",
    "cost_split": "役割分担・費用負担",
}
VERDICT_JA = {"fail": "fail 不十分", "partial": "partial 一部", "pass": "pass 合格"}
CJK_FONTS = ("Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "Noto Sans JP", "TakaoGothic", "VL Gothic")


def default_report_dir() -> Path:
    return REPORTS_DIR / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def _pyplot() -> tuple[Any, bool]:
    """pyplot on the Agg backend, and whether a CJK font is available."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = next((name for name in CJK_FONTS if name in installed), None)
    plt.rcParams["font.family"] = [cjk, "DejaVu Sans"] if cjk else ["DejaVu Sans"]
    return plt, cjk is not None


def _criterion_label(name: str, cjk: bool) -> str:
    return f"{name}\n{CRITERION_JA[name]}" if cjk else name


def chart_confusion(result: dict[str, Any], path: Path) -> None:
    plt, cjk = _pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(9, 8.6), constrained_layout=True)
    for ax, name in zip(axes.flat, CRITERIA):
        conf = result["criteria"][name]["confusion"]
        labels, matrix = conf["labels"], conf["matrix"]
        peak = max(max(row) for row in matrix) or 1
        ax.imshow(matrix, cmap="Blues", vmin=0, vmax=peak)
        for i, row in enumerate(matrix):
            for j, count in enumerate(row):
                ax.text(j, i, str(count), ha="center", va="center", fontsize=13,
                        color="white" if count > peak * 0.6 else "black")
        ticks = [VERDICT_JA[v] if cjk else v for v in labels]
        ax.set_xticks(range(len(labels)), ticks, fontsize=8)
        ax.set_yticks(range(len(labels)), ticks, fontsize=8)
        ax.set_xlabel("predicted 予測" if cjk else "predicted")
        ax.set_ylabel("gold 正解" if cjk else "gold")
        crit = result["criteria"][name]
        ax.set_title(f"{_criterion_label(name, cjk)}\nacc {crit['accuracy']:.2f}  κ {crit['kappa']:.2f}", fontsize=10)
    fig.suptitle("Confusion matrices (rows: gold, columns: predicted)")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def chart_criteria(result: dict[str, Any], path: Path) -> None:
    plt, cjk = _pyplot()
    measures = [("accuracy", "accuracy"), ("binary_accuracy", "binary acc."), ("macro_f1", "macro-F1"), ("kappa", "QW kappa")]
    fig, ax = plt.subplots(figsize=(10, 4.8), constrained_layout=True)
    width = 0.8 / len(measures)
    for m, (key, label) in enumerate(measures):
        values = [result["criteria"][c][key] for c in CRITERIA]
        xs = [i + (m - (len(measures) - 1) / 2) * width for i in range(len(CRITERIA))]
        bars = ax.bar(xs, values, width, label=label)
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize=7, padding=2)
    ax.set_xticks(range(len(CRITERIA)), [_criterion_label(c, cjk) for c in CRITERIA])
    ax.set_ylim(min(0.0, *(result["criteria"][c]["kappa"] for c in CRITERIA)), 1.08)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel("score")
    ax.set_title(f"Per-criterion quality on {result['cases']} cases")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(measures), frameon=False)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def chart_flags(result: dict[str, Any], path: Path) -> None:
    plt, cjk = _pyplot()
    names = list(result["flags"])
    measures = ("precision", "recall", "f1")
    fig, ax = plt.subplots(figsize=(6.5, 4.4), constrained_layout=True)
    width = 0.8 / len(measures)
    for m, key in enumerate(measures):
        values = [result["flags"][f][key] for f in names]
        xs = [i + (m - 1) * width for i in range(len(names))]
        bars = ax.bar(xs, values, width, label=key)
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize=8, padding=2)
    pretty = {"to_g": "to_g\n行政が対価を払う" if cjk else "to_g", "sales_pitch": "sales_pitch\n営業目的" if cjk else "sales_pitch"}
    ax.set_xticks(range(len(names)), [pretty.get(f, f) for f in names])
    ax.set_ylim(0, 1.12)
    ax.set_title("Screening flags")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(measures), frameon=False)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def render_markdown(result: dict[str, Any]) -> str:
    services = result.get("services", {})
    out = [
        "# Coach eval report",
        "",
        (f"Generated {result['generated_at']} in {result['total_seconds']} s · review: `{services.get('review')}` · "
        f"retrieval: `{services.get('retrieval')}` · LLM: `{services.get('llm') or 'none (offline)'}`"),
        "",
        "Case files: " + ", ".join(f"`{Path(p).name}`" for p in result["case_files"])
        + (f" · questions: `{Path(result['question_file']).name}`" if result.get("question_file") else ""),
        "",
    ]
    for notice in services.get("notices", []):
        out += [f"> **Note:** {notice}", ""]
    gate = result.get("gate")
    if gate:
        out += ["## Gate", "", "**passed**" if gate["passed"] else "**FAILED**", ""]
        out += [f"- {f}" for f in gate["failures"]] + [""]

    overall = result["overall"]
    out += [
        "## Coaching quality",
        "",
        (f"{result['cases']} cases · accuracy {overall['accuracy']:.3f} · binary accuracy {overall['binary_accuracy']:.3f} · "
        f"macro-F1 {overall['macro_f1']:.3f} · quadratic weighted kappa {overall['kappa']:.3f} · "
        f"contract problems {overall['contract_problems']} · review errors {overall['errors']}"),
        "",
        _table(
            ["criterion", "accuracy", "binary acc.", "macro-F1", "QW kappa", "gold fail/partial/pass", "predicted fail/partial/pass"],
            [
                [
                    f"{c} ({CRITERION_JA[c]})",
                    f"{d['accuracy']:.3f}",
                    f"{d['binary_accuracy']:.3f}",
                    f"{d['macro_f1']:.3f}",
                    f"{d['kappa']:.3f}",
                    "/".join(str(d["gold_counts"][v]) for v in ("fail", "partial", "pass")),
                    "/".join(str(d["predicted_counts"][v]) for v in ("fail", "partial", "pass")),
                ]
                for c, d in result["criteria"].items()
            ],
        ),
        "",
        "![Per-criterion quality](criteria.png)",
        "",
        "![Confusion matrices](confusion.png)",
        "",
        "### Flags",
        "",
        _table(
            ["flag", "precision", "recall", "F1", "tp", "fp", "fn", "tn"],
            [[f, d["precision"], d["recall"], d["f1"], d["tp"], d["fp"], d["fn"], d["tn"]] for f, d in result["flags"].items()],
        ),
        "",
        "![Flags](flags.png)",
        "",
    ]
    if result.get("by_file"):
        out += ["### By case file", ""]
        out.append(
            _table(
                ["file", "cases", "accuracy", "binary acc.", "macro-F1", "kappa"],
                [
                    [name, d["cases"], d["overall"]["accuracy"], d["overall"]["binary_accuracy"], d["overall"]["macro_f1"], d["overall"]["kappa"]]
                    for name, d in result["by_file"].items()
                ],
            )
        )
        out.append("")
    if result.get("review_errors"):
        out += ["### Reviews that failed (first 20)", ""] + [f"- {e['case']}: `{e['error']}`" for e in result["review_errors"]] + [""]
    if result.get("problems"):
        out += ["### Contract problems (first 20)", ""] + [f"- `{p}`" for p in result["problems"]] + [""]

    g = result["grounding"]
    out += [
        "## Grounding",
        "",
        f"- Citations verbatim in the corpus: {g['verbatim_citations']}/{g['citations']} ({_pct(g['citation_verbatim_rate'])})",
        (f"- Failed/partial criteria with at least one suggestion and one citation: "
        f"{g['with_suggestion_and_citation']}/{g['criteria_needing_help']} ({_pct(g['help_rate'])}; "
        f"with a suggestion {_pct(g['suggestion_rate'])}, with a citation {_pct(g['citation_rate'])})"),
        f"- Evidence spans that match the draft: {_pct(g['evidence_valid_rate'])} of {g['evidence_spans']}",
        "",
    ]
    if g["non_verbatim_examples"]:
        out += ["Citations not found verbatim:", ""]
        out += [f"- {e['case']}.{e['criterion']} `{e['source']}`: {e['text'][:80]}" for e in g["non_verbatim_examples"]] + [""]

    rob = result.get("robustness")
    if rob:
        out += ["## Robustness", "", f"Variants of {rob['base_drafts']} drafts, compared with the system's verdicts on the unmodified draft.", ""]
        rows = []
        for fam in ("injection", "whitespace", "reorder"):
            if fam in rob:
                d = rob[fam]
                rows.append([fam, d["variants"], d["changed"], _pct(d["changed_rate"]), _pct(d["reported_rate"]) if "reported_rate" in d else ""])
        out += [_table(["family", "variants", "changed", "changed rate", "injection reported"], rows), ""]
        if rob["changes"]:
            out += ["Changed verdicts:", ""]
            out += [
                f"- {c['case']} · {c['variant']}: " + ", ".join(f"{k} {a}→{b}" for k, (a, b) in c["changed"].items())
                for c in rob["changes"][:40]
            ] + [""]

    if "mrr" in result:
        k = result["k"]
        recalls = " · ".join(f"recall@{key.rsplit('_', 1)[1]} {result[key]:.3f}" for key in result if key.startswith("recall_at_"))
        r = result["retrieval"]
        out += [
            "## Retrieval",
            "",
            (f"{result['questions']} questions, top {k} · {recalls} · MRR {result['mrr']:.3f} · "
            f"{r['ms_p50']} ms p50 / {r['ms_p95']} ms p95 per query · mode {', '.join(r['modes']) or '?'}"),
            "",
            f"Missed: {', '.join(result['missed']) or 'none'}",
            "",
        ]
        misses = [q for q in r.get("per_question", []) if not q["rank"]]
        if misses:
            out += [
                _table(
                    ["question", "anchors", "top 3 retrieved"],
                    [[f"{q['id']}: {q['question']}", " / ".join(q["anchors"]), "<br>".join(q["top"])] for q in misses],
                ),
                "",
            ]

    notices = result.get("report_notices") or {}
    if notices:
        out += ["## Notices in the reports", "", _table(["reports", "notice"], [[n, text] for text, n in notices.items()]), ""]

    s, llm = result["speed"], result["llm"]
    out += [
        "## Speed",
        "",
        (f"Per draft (in process, after one warm-up review of {s.get('warmup_ms', '?')} ms): p50 {s['ms_p50']} ms · "
        f"p95 {s['ms_p95']} ms · mean {s['ms_mean']} ms · max {s['ms_max']} ms"),
        "",
    ]
    if llm["configured"]:
        out += [
            "## LLM mode",
            "",
            (f"{llm['llm_reports']} of {llm['reports']} reports from the LLM · fallbacks {llm['fallbacks']} ({_pct(llm['fallback_rate'])}) · "
            f"malformed outputs {llm['malformed']} ({_pct(llm['malformed_rate'])})"),
            "",
        ]

    diff = result.get("baseline")
    if diff:
        out += [
            "## Changes since the baseline",
            "",
            f"Baseline generated {diff['baseline_generated_at']} · overall delta: "
            + (", ".join(f"{k} {v:+.3f}" for k, v in diff["overall_delta"].items()) or "n/a"),
            "",
        ]
        for kind in ("regressed", "improved", "changed"):
            entries = diff[kind]
            out += [f"### {kind.capitalize()} ({len(entries)})", ""]
            if entries:
                out += [_table(["case", "file", "item", "gold", "before", "after"],
                               [[e["case"], e["file"], e["item"], e["gold"], e["before"], e["after"]] for e in entries]), ""]
            else:
                out += ["none", ""]
        if diff["added"] or diff["removed"]:
            out += [f"Added cases: {', '.join(diff['added']) or 'none'} · removed: {', '.join(diff['removed']) or 'none'}", ""]

    wrong = [
        row for row in result["per_case"]
        if any(row["predicted"].get(n) != row["gold"][n] for n in (*CRITERIA, *FLAG_NAMES)) or row.get("error")
    ]
    out += ["## Cases with a wrong verdict or flag", "", f"{len(wrong)} of {len(result['per_case'])} cases.", ""]
    if wrong:
        out.append(
            _table(
                ["case", *CRITERIA, "to_g", "sales_pitch"],
                [
                    [row["id"]]
                    + [
                        ("✓ " if row["predicted"].get(n) == row["gold"][n] else "✗ ")
                        + f"{row['gold'][n]}→{row['predicted'].get(n)}"
                        for n in (*CRITERIA, *FLAG_NAMES)
                    ]
                    for row in wrong
                ],
            )
        )
        out.append("")
        explained = [(row["id"], m) for row in wrong for m in row.get("misses", [])]
        if explained:
            out += ["### Why (the coach's reason beside the label's rationale)", ""]
            for case_id, m in explained:
                out += [
                    f"- **{case_id} · {m['item']}**: gold {m['gold']}, coach {m['predicted']}",
                    f"  - coach: {m['reason'] or '—'}",
                    f"  - label: {m['rationale'] or '—'}",
                ]
            out.append("")
    return "\n".join(out)


def write_report(result: dict[str, Any], folder: Path) -> Path:
    """Write result.json, report.md and the charts into ``folder``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    chart_confusion(result, folder / "confusion.png")
    chart_criteria(result, folder / "criteria.png")
    chart_flags(result, folder / "flags.png")
    (folder / "report.md").write_text(render_markdown(result) + "\n", encoding="utf-8")
    return folder


def link_latest(folder: Path) -> None:
    """Point ``eval/reports/latest`` at ``folder``, so the last run is an easy ``--baseline``."""
    latest = folder.parent / "latest"
    try:
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        latest.symlink_to(folder.name, target_is_directory=True)
    except OSError:  # e.g. a file system without symlinks: the report itself is written
        pass
