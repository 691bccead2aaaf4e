#!/usr/bin/env python
"""Developer loop for the analyzer: score ``coach.analysis.analyze`` directly on case files.

    python scripts/score_analyzer.py [FILE ...] [--criterion NAME] [--show-errors]

Prints per-criterion accuracy, binary accuracy, 3-level macro-F1 and flag P/R/F1 per file and
for all files together (the outside scorer's definitions), and with --show-errors the cases a
criterion gets wrong with the gold rationale line, to read while changing a rule.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analysis import analyze
from coach.models import CRITERIA, VERDICTS

FLAGS = ("to_g", "sales_pitch")


def macro_f1(gold: list[str], pred: list[str]) -> float:
    f1s = []
    for lab in VERDICTS:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred) if g == lab and p != lab)
        if tp + fp + fn:
            f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s) if f1s else 0.0


def score(cases: list[dict], show: set[str]) -> None:
    preds = [analyze(c["text"], c.get("route")) for c in cases]
    for crit in CRITERIA:
        gold = [c["labels"][crit] for c in cases]
        pred = [p.findings[crit].verdict for p in preds]
        acc = sum(g == p for g, p in zip(gold, pred)) / len(cases)
        binary = sum((g == "pass") == (p == "pass") for g, p in zip(gold, pred)) / len(cases)
        print(f"  {crit:14s} acc {acc:.3f}  binary {binary:.3f}  macroF1 {macro_f1(gold, pred):.3f}")
        if crit in show:
            for c, g, p, a in zip(cases, gold, pred, preds):
                if g != p:
                    why = next((ln for ln in c.get("rationale", "").splitlines() if ln.startswith(crit)), "")
                    print(f"    {c['id']}: gold {g} pred {p} | {a.findings[crit].reason[:80]}\n      {why[:200]}")
    for flag in FLAGS:
        gold = [bool(c["labels"][flag]) for c in cases]
        pred = [getattr(p.flags, flag) for p in preds]
        tp = sum(g and p for g, p in zip(gold, pred))
        prec = tp / max(sum(pred), 1)
        rec = tp / max(sum(gold), 1)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"  {flag:14s} P {prec:.3f} R {rec:.3f} F1 {f1:.3f}")
        if flag in show:
            for c, g, p in zip(cases, gold, pred):
                if g != p:
                    print(f"    {c['id']}: gold {g} pred {p}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="*", default=[str(ROOT / "eval/cases-dev.jsonl"), str(ROOT / "eval/cases-dev-b.jsonl")])
    ap.add_argument("--show-errors", action="append", default=[], metavar="CRITERION_OR_FLAG")
    args = ap.parse_args()
    everything: list[dict] = []
    for f in args.files:
        cases = [json.loads(line) for line in Path(f).read_text(encoding="utf-8").splitlines() if line.strip()]
        everything += cases
        print(f"{f} ({len(cases)} cases)")
        score(cases, set(args.show_errors))
    if len(args.files) > 1:
        print(f"all ({len(everything)} cases)")
        score(everything, set())


if __name__ == "__main__":
    main()
