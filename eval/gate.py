"""The regression gate: compare a result with the thresholds kept in ``eval/thresholds.toml``.

Thresholds name figures by their dotted path in ``coach eval --json`` (as score.py's ``--min``
does), under ``[min]`` (the figure must be at least this) or ``[max]`` (at most this). A figure
the run did not produce — say, retrieval with no index — fails the gate too: a gate that passes
because nothing was measured protects nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ingest.errors import InvalidInput

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"


class Thresholds(BaseModel):
    min: dict[str, float] = Field(default_factory=dict)
    max: dict[str, float] = Field(default_factory=dict)


class GateFailure(BaseModel):
    figure: str
    bound: str  # "min" or "max"
    threshold: float
    value: float | None  # None: the figure is missing from the result

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.figure}: missing from the result (needs {self.bound} {self.threshold})"
        sign = "<" if self.bound == "min" else ">"
        return f"{self.figure} = {self.value} {sign} {self.threshold} ({self.bound})"


def load_thresholds(path: Path = DEFAULT_THRESHOLDS) -> Thresholds:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InvalidInput(f"{path}: cannot read the gate thresholds ({err.strerror or err})") from err
    except tomllib.TOMLDecodeError as err:
        raise InvalidInput(f"{path}: not valid TOML ({err})") from err
    unknown = set(raw) - {"min", "max"}
    if unknown:
        raise InvalidInput(f"{path}: unknown section(s) {sorted(unknown)}; use [min] and [max]")
    try:
        return Thresholds.model_validate(raw)
    except ValueError as err:
        raise InvalidInput(f"{path}: thresholds must be numbers ({err})") from err


def dig(result: dict[str, Any], dotted: str) -> float | None:
    node: Any = result
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


def check(result: dict[str, Any], thresholds: Thresholds) -> list[GateFailure]:
    failures = []
    for bound, limits in (("min", thresholds.min), ("max", thresholds.max)):
        for figure, threshold in limits.items():
            value = dig(result, figure)
            if value is None or (value < threshold if bound == "min" else value > threshold):
                failures.append(GateFailure(figure=figure, bound=bound, threshold=threshold, value=value))
    return failures
