"""Prove a category the way a challenge is proven: its reference passes every split, a
blank file passes none (``gradrill validate``)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import grading
from ..catalog import Catalog
from ..results import Verdict
from .bundle import bundle_for, split_results
from .categories import Category


@dataclass
class CategoryReport:
    category: Category
    problems: list[str] = field(default_factory=list)
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # "reference", "blank"

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def slowest_ms(self) -> float:
        return max((v.duration_ms for v in self.verdicts.values()), default=0.0)


def prove_category(category: Category, catalog: Catalog, cache: Path | None = None) -> CategoryReport:
    report = CategoryReport(category)
    bundle = bundle_for(category, catalog, cache)
    scratch = Path(tempfile.mkdtemp(prefix="gradrill-prove-"))
    try:
        reference = scratch / "reference" / f"{category.id}-1.py"
        blank = scratch / "blank" / f"{category.id}-1.py"
        for path, text in ((reference, category.reference_text), (blank, "")):
            path.parent.mkdir(parents=True)
            path.write_text(text, encoding="utf-8")
        v = report.verdicts["reference"] = grading.grade(bundle, reference)
        for r in split_results(category, v):
            if not r.passed:
                why = f"{r.first_failure.name}: {r.first_failure.message}" if r.first_failure else v.message
                report.problems.append(f"the reference ({category.reference.name}) does not pass split "
                                       f"'{r.name}': {why}")
                break
        v = report.verdicts["blank"] = grading.grade(bundle, blank)
        passed = [r.name for r in split_results(category, v) if r.passed]
        if passed:
            report.problems.append(f"a blank file passes split(s) {', '.join(passed)}: their checks test nothing "
                                   "the runner has to write")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return report
