"""Which cases changed since a saved result: the list a reviewer reads before merging a change.

A criterion or flag of a case is *regressed* when it was right in the baseline and is wrong now,
*improved* when it was wrong and is right now, and *changed* when it moved from one wrong answer to
another. Cases present in only one of the two runs are listed as added or removed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingest.errors import InvalidInput


def load_result(path: Path) -> dict[str, Any]:
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InvalidInput(f"{path}: cannot read the baseline ({err.strerror or err})") from err
    except json.JSONDecodeError as err:
        raise InvalidInput(f"{path}: the baseline is not JSON ({err.msg} at line {err.lineno})") from err
    if not isinstance(result, dict) or not isinstance(result.get("per_case"), list):
        raise InvalidInput(f"{path}: not a saved `coach eval --json` result (no per_case list)")
    return result


def compare(baseline: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    before = {row["id"]: row for row in baseline.get("per_case", [])}
    now = {row["id"]: row for row in current.get("per_case", [])}
    changes: dict[str, list[dict[str, Any]]] = {"regressed": [], "improved": [], "changed": []}
    for case_id, row in now.items():
        old = before.get(case_id)
        if old is None:
            continue
        for name, gold in row["gold"].items():
            was, is_ = old["predicted"].get(name), row["predicted"].get(name)
            if was == is_:
                continue
            entry = {"case": case_id, "file": row.get("file", ""), "item": name, "gold": gold, "before": was, "after": is_}
            if was == gold:
                changes["regressed"].append(entry)
            elif is_ == gold:
                changes["improved"].append(entry)
            else:
                changes["changed"].append(entry)
    overall_before = baseline.get("overall", {})
    overall_now = current.get("overall", {})
    deltas = {
        key: round(overall_now[key] - overall_before[key], 3)
        for key in ("accuracy", "binary_accuracy", "macro_f1", "kappa", "citation_verbatim_rate")
        if isinstance(overall_now.get(key), int | float) and isinstance(overall_before.get(key), int | float)
    }
    return {
        "baseline_generated_at": baseline.get("generated_at"),
        **changes,
        "regressed_cases": sorted({e["case"] for e in changes["regressed"]}),
        "improved_cases": sorted({e["case"] for e in changes["improved"]}),
        "added": sorted(set(now) - set(before)),
        "removed": sorted(set(before) - set(now)),
        "overall_delta": deltas,
    }
