"""``coach eval check-data``: validate labelled files before they enter the eval.

Every problem is reported at once, with file and line, so a maintainer adding cases fixes them in
one pass. Errors (the eval would reject or mis-score the file) make the command exit non-zero;
warnings (legal but suspicious) do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from eval import metrics
from eval.data import Case, Question, describe, kind_of, read_lines
from ingest.errors import InvalidInput


class DataReport(BaseModel):
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    cases: int = 0
    questions: int = 0
    files: int = 0

    def lines(self) -> list[str]:
        out = [f"error: {e}" for e in self.errors] + [f"warning: {w}" for w in self.warnings]
        verdict = "FAILED" if self.errors else "ok"
        out.append(
            f"check-data {verdict}: {self.files} file(s), {self.cases} case(s), {self.questions} question(s), "
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )
        return out


def check_files(paths: Sequence[Path], corpus_dir: Path) -> DataReport:
    report = DataReport()
    seen_ids: dict[str, str] = {}
    seen_texts: dict[str, str] = {}
    haystack: str | None = None
    for path in paths:
        report.files += 1
        before = len(report.errors)
        try:
            lines = read_lines(path, report.errors)
        except InvalidInput as err:
            report.errors.append(err.message)
            continue
        if not lines and len(report.errors) == before:
            report.errors.append(f"{path}: no records")
            continue
        for line in lines:
            where = f"{path}:{line.number}"
            kind = kind_of(line.value)
            if kind == "unknown":
                report.errors.append(
                    f"{where}: neither a case (id, route, text, labels) nor a question (id, question, anchors)"
                )
                continue
            record_id = line.value.get("id") if isinstance(line.value, dict) else None
            if isinstance(record_id, str) and record_id:
                if record_id in seen_ids:
                    report.errors.append(f"{where}: id {record_id!r} already used at {seen_ids[record_id]}")
                else:
                    seen_ids[record_id] = where
            if kind == "case":
                if isinstance(line.value, dict) and "route" not in line.value:
                    report.warnings.append(f"{where}: no route (use null for a draft without one)")
                try:
                    case = Case.model_validate(line.value)
                except ValidationError as err:
                    report.errors.append(f"{where}: {describe(err)}")
                    continue
                report.cases += 1
                # Whitespace-insensitive but not NFKC: a full-width variant is a different draft
                # to the analyzer (the robustness set has such pairs on purpose).
                key = "".join(case.text.split())
                if key in seen_texts:
                    report.warnings.append(f"{where}: same draft text as {seen_texts[key]}")
                else:
                    seen_texts[key] = where
                if not case.rationale.strip():
                    report.warnings.append(f"{where}: no rationale (say why each label, one line each)")
            else:
                try:
                    question = Question.model_validate(line.value)
                except ValidationError as err:
                    report.errors.append(f"{where}: {describe(err)}")
                    continue
                report.questions += 1
                if haystack is None:
                    haystack = metrics.corpus_haystack(corpus_dir.resolve())
                    if not haystack:
                        report.errors.append(f"corpus {corpus_dir}: no text files, cannot check anchors")
                for anchor in question.anchors:
                    if haystack and metrics.norm(anchor) not in haystack:
                        report.errors.append(
                            f"{where}: anchor {anchor!r} is not in the corpus (after NFKC and removing whitespace)"
                        )
    return report
