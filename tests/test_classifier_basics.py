from pathlib import Path

import pytest

from bot.config import SHIPPED_DATA_DIR
from bot.services.classifier import TRIAGE_ID, ComplaintClassifier, TaxonomyError


@pytest.fixture(scope="module")
def classifier() -> ComplaintClassifier:
    return ComplaintClassifier.load(SHIPPED_DATA_DIR)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("小区门口天天有人乱扔垃圾，臭气熏天", "sanitation"),
        ("十字路口很多人闯红灯，电动车还逆行", "traffic"),
        ("电线杆上贴满了牛皮癣小广告", "illegal_ads"),
        ("出租车司机拒载还要强行拼车", "taxi"),
    ],
)
def test_shipped_taxonomy_sorts_and_explains(
    classifier: ComplaintClassifier, text: str, category: str
) -> None:
    result = classifier.classify(text)
    assert result.category_id == category
    assert result.keywords, "the deciding keywords are reported"
    assert all(k in text for k in result.keywords)
    assert result.department in classifier.departments


def test_nothing_matching_goes_to_triage(classifier: ComplaintClassifier) -> None:
    result = classifier.classify("你好")
    assert result.category_id == TRIAGE_ID and result.needs_triage
    assert result.confidence == 0.0


def test_urgent_kind_flags_and_shortens_time_limit(classifier: ComplaintClassifier) -> None:
    result = classifier.classify("工地塔吊倒塌了，有人受伤")
    assert result.urgent and "重大安全事故" in result.urgent_kinds
    assert result.time_limit_hours == classifier.urgent_time_limit_hours


def test_malformed_taxonomy_names_file_and_entry(tmp_path: Path) -> None:
    (tmp_path / "departments.yaml").write_text("departments: [{id: a, name: A}]\n", encoding="utf-8")
    (tmp_path / "complaint_categories.yaml").write_text(
        "categories: [{id: x, name: X, department: nope}]\n", encoding="utf-8"
    )
    with pytest.raises(TaxonomyError, match=r"complaint_categories\.yaml.*nope"):
        ComplaintClassifier.load(tmp_path)
