"""The shipped taxonomy on realistic resident complaints (tests/data/complaints_examples.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import SHIPPED_DATA_DIR
from bot.services.classifier import TRIAGE_ID, ComplaintClassifier

EXAMPLES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "complaints_examples.yaml").read_text(encoding="utf-8")
)["examples"]
MIN_ACCURACY = 0.95  # reached: see README (Complaint sorting); a small margin for keyword edits


@pytest.fixture(scope="module")
def classifier() -> ComplaintClassifier:
    return ComplaintClassifier.load(SHIPPED_DATA_DIR)


def test_examples_cover_every_category_and_urgent_kind(classifier: ComplaintClassifier) -> None:
    assert len(EXAMPLES) >= 60
    covered = {e["category"] for e in EXAMPLES if "category" in e}
    assert set(classifier.categories) | {TRIAGE_ID} == covered
    urgent = [e for e in EXAMPLES if e.get("urgent")]
    flagged = {kind for e in urgent for kind in classifier.classify(e["text"]).urgent_kinds}
    assert flagged == {kind.name for kind in classifier.urgent_kinds}


def test_shipped_taxonomy_sorts_resident_complaints(classifier: ComplaintClassifier) -> None:
    labeled = [e for e in EXAMPLES if "category" in e]
    wrong = []
    for example in labeled:
        result = classifier.classify(example["text"])
        if result.category_id != example["category"]:
            wrong.append((example["text"], example["category"], result.category_id, result.keywords))
    accuracy = 1 - len(wrong) / len(labeled)
    assert accuracy >= MIN_ACCURACY, "\n".join(map(str, wrong))


@pytest.mark.parametrize("example", [e for e in EXAMPLES if "urgent" in e], ids=lambda e: e["text"][:12])
def test_urgent_reports_are_flagged(classifier: ComplaintClassifier, example: dict[str, Any]) -> None:
    result = classifier.classify(example["text"])
    assert result.urgent is example["urgent"]
    assert result.time_limit_hours == classifier.urgent_time_limit_hours


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if not e.get("urgent")][:40], ids=lambda e: e["text"][:12]
)
def test_ordinary_complaints_are_not_urgent(classifier: ComplaintClassifier, example: dict[str, Any]) -> None:
    assert not classifier.classify(example["text"]).urgent


def test_a_neighbourhood_is_not_a_property_complaint(classifier: ComplaintClassifier) -> None:
    """ "小区" only says where; what happened decides (赌博 in a 小区 is not 物业's business)."""
    result = classifier.classify("小区里有人聚众赌博")
    assert result.category_id != "property"
    assert "小区" not in result.keywords
    assert result.department == "gongan"


def test_urgent_words_inside_longer_words_still_flag(classifier: ComplaintClassifier) -> None:
    result = classifier.classify("路边足浴店晚上有卖淫嫖娼")
    assert result.urgent_kinds == ("黄赌毒",)
    assert result.department == "gongan"


def test_urgent_kind_department_does_not_override_a_real_category(classifier: ComplaintClassifier) -> None:
    result = classifier.classify("工地塔吊倒塌，砸伤了两个工人")
    assert result.category_id == "construction" and result.department == "zhujian"
    assert "重大安全事故" in result.urgent_kinds


def test_unknown_scoring_mode_is_refused(tmp_path: Path) -> None:
    from bot.services.classifier import TaxonomyError

    (tmp_path / "departments.yaml").write_text("departments: [{id: d, name: D}]\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        "settings: {scoring: magic}\ncategories: [{id: a, name: A, department: d}]\n", encoding="utf-8"
    )
    with pytest.raises(TaxonomyError, match="magic"):
        ComplaintClassifier.load(tmp_path, categories_file=tmp_path / "c.yaml")
