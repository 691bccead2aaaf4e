"""Labelled eval data: coaching cases and retrieval questions (formats in ``../shared/contract.md``).

Loading is strict: a malformed line stops the run with the file and line number, because a
silently skipped case would change every figure. ``coach eval check-data`` reports every
problem at once instead (``eval.data_check``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coach.models import CRITERIA, CriterionName, Route, Verdict
from ingest.errors import InvalidInput

FLAG_NAMES: tuple[str, ...] = ("to_g", "sales_pitch")

EVAL_DIR = Path(__file__).resolve().parent
DEFAULT_CASE_FILES: tuple[Path, ...] = (EVAL_DIR / "cases-dev.jsonl", EVAL_DIR / "cases-dev-b.jsonl")
DEFAULT_QUESTION_FILE: Path = EVAL_DIR / "questions-dev.jsonl"


class Labels(BaseModel):
    """Gold verdicts per the rubric, and the two screening flags."""

    model_config = ConfigDict(extra="forbid")

    issue_driven: Verdict
    why_this_city: Verdict
    one_solution: Verdict
    cost_split: Verdict
    to_g: bool
    sales_pitch: bool

    def verdict(self, criterion: CriterionName) -> Verdict:
        return getattr(self, criterion)

    def flag(self, name: str) -> bool:
        return getattr(self, name)


class Case(BaseModel):
    """One labelled draft."""

    id: str = Field(min_length=1)
    route: Route | None = None
    text: str = Field(min_length=1)
    labels: Labels
    rationale: str = ""
    source_file: str = Field("", exclude=True, description="Which file the case came from.")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value


class Question(BaseModel):
    """One retrieval question with the anchors that mark a relevant chunk."""

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    anchors: list[str] = Field(min_length=1)
    source_file: str = Field("", exclude=True)

    @field_validator("anchors")
    @classmethod
    def _anchors_not_blank(cls, value: list[str]) -> list[str]:
        if any(not a.strip() for a in value):
            raise ValueError("an anchor is blank")
        return value


class Line(BaseModel):
    """One non-blank line of a JSON Lines file, parsed."""

    number: int
    value: object


def read_lines(path: Path, problems: list[str] | None = None) -> list[Line]:
    """Parse a JSON Lines file; raise ``InvalidInput`` naming the file and line on bad JSON.

    With ``problems`` given, a bad line is recorded there and skipped instead, so a checker can
    report every bad line of a file at once.
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InvalidInput(f"{path}: cannot read ({err.strerror or err})") from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidInput(f"{path}: not UTF-8 (byte {err.start})") from err
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            lines.append(Line(number=number, value=json.loads(line)))
        except json.JSONDecodeError as err:
            message = f"{path}:{number}: not valid JSON ({err.msg} at column {err.colno})"
            if problems is None:
                raise InvalidInput(message) from err
            problems.append(message)
    return lines


def kind_of(value: object) -> Literal["case", "question", "unknown"]:
    """Tell a case line from a question line by its keys."""
    if isinstance(value, dict):
        if "labels" in value or "text" in value:
            return "case"
        if "question" in value or "anchors" in value:
            return "question"
    return "unknown"


def describe(err: ValidationError) -> str:
    """A one-line, human reading of a pydantic validation error."""
    parts = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or "line"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


def load_cases(paths: list[Path]) -> list[Case]:
    """All cases of the files, in order; ids must be unique across files."""
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in paths:
        for line in read_lines(path):
            try:
                case = Case.model_validate(line.value)
            except ValidationError as err:
                raise InvalidInput(f"{path}:{line.number}: {describe(err)}") from err
            case.source_file = path.name
            where = f"{path}:{line.number}"
            if case.id in seen:
                raise InvalidInput(f"{where}: id {case.id!r} already used at {seen[case.id]}")
            seen[case.id] = where
            cases.append(case)
    if not cases:
        raise InvalidInput("no cases in " + ", ".join(str(p) for p in paths))
    return cases


def load_questions(path: Path) -> list[Question]:
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for line in read_lines(path):
        try:
            question = Question.model_validate(line.value)
        except ValidationError as err:
            raise InvalidInput(f"{path}:{line.number}: {describe(err)}") from err
        if question.id in seen:
            raise InvalidInput(f"{path}:{line.number}: id {question.id!r} already used at line {seen[question.id]}")
        seen[question.id] = line.number
        question.source_file = path.name
        questions.append(question)
    return questions


__all__ = [
    "CRITERIA",
    "DEFAULT_CASE_FILES",
    "DEFAULT_QUESTION_FILE",
    "FLAG_NAMES",
    "Case",
    "Labels",
    "Question",
    "kind_of",
    "load_cases",
    "load_questions",
    "read_lines",
]
