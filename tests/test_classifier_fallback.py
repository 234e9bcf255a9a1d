"""The learned fallback (settings.fallback): it decides only the close calls the shipped words leave
open, among the categories they left open, and a broken fallback file is refused at load."""

from pathlib import Path

import pytest

from bot.config import SHIPPED_DATA_DIR
from bot.services.classifier import TRIAGE_ID, ComplaintClassifier, TaxonomyError

DEPARTMENTS = "departments: [{id: a, name: A部门}, {id: b, name: B部门}, {id: c, name: C部门}]\n"

CATEGORIES = """
settings:
  scoring: sum
  min_score: 1.0
  min_margin: 0.1
  fallback: learned.yaml
  fallback_margin: 0.3
  fallback_min_confidence: {confidence}
categories:
  - {{id: garbage, name: 垃圾, department: a, keywords: {{垃圾: 4}}}}
  - {{id: noise, name: 噪音, department: b, keywords: {{吵: 4, 音响: 3.5}}}}
  - {{id: parking, name: 停车, department: c, keywords: {{停车: 4}}}}
"""

# What `complaints learn --categories-only` writes, cut down: 大妈 speaks for noise, 臭 for
# garbage; the parking category is the learned words' favourite whenever 车位 is found, and an
# urgent label (no category of the shipped file) would win on 大妈 if it counted.
LEARNED = """
settings: {scoring: tfidf}
categories:
  - {id: garbage, name: garbage, department: a, bias: 0.0, keywords: {臭: 3.0, 车位: -1.0}}
  - {id: noise, name: noise, department: b, bias: 0.0, keywords: {大妈: 2.0}}
  - {id: parking, name: parking, department: c, bias: 0.0, keywords: {车位: 9.0}}
  - {id: "urgent:火灾", name: fire, department: a, bias: 5.0, keywords: {大妈: 9.0}}
idf: {臭: 3.0, 车位: 3.0, 大妈: 3.0}
"""


def data_dir(tmp_path: Path, *, confidence: float = 0.3, learned: str | None = LEARNED) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "departments.yaml").write_text(DEPARTMENTS, encoding="utf-8")
    (tmp_path / "complaint_categories.yaml").write_text(
        CATEGORIES.format(confidence=confidence), encoding="utf-8"
    )
    if learned is not None:
        (tmp_path / "learned.yaml").write_text(learned, encoding="utf-8")
    return tmp_path


def test_a_tie_is_decided_by_the_learned_words_and_they_are_shown(tmp_path: Path) -> None:
    classifier = ComplaintClassifier.load(data_dir(tmp_path))
    result = classifier.classify("楼下很吵，垃圾也多，跳舞的大妈")  # 吵 4 and 垃圾 4: a tie
    assert result.category_id == "noise" and result.department == "b"
    assert result.keywords == ("吵", "大妈")  # its own word, then the learned one that decided
    # A label that is no category of the shipped file (an urgent kind) never wins.
    assert not result.urgent


def test_a_message_without_a_keyword_is_left_to_staff(tmp_path: Path) -> None:
    classifier = ComplaintClassifier.load(data_dir(tmp_path))
    # 大妈 speaks for noise, but no word of any category matched: no guess.
    assert classifier.classify("每天晚上那些大妈在跳").category_id == TRIAGE_ID
    shipped = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    assert shipped.classify("你好，我想反映个情况").category_id == TRIAGE_ID


def test_a_clear_winner_is_not_overruled(tmp_path: Path) -> None:
    classifier = ComplaintClassifier.load(data_dir(tmp_path))
    # 垃圾 (4) alone: the shipped words decide although the learned words favour parking.
    assert classifier.classify("车位旁边的垃圾没人收").category_id == "garbage"


def test_a_close_call_is_decided_among_the_close_categories_only(tmp_path: Path) -> None:
    classifier = ComplaintClassifier.load(data_dir(tmp_path))
    text = "楼下垃圾堆旁边有音响，臭，车位都占了"  # 垃圾 4 against 音响 3.5: within 30 %
    result = classifier.classify(text)
    # The learned words like parking best (车位), but parking was not among the close ones.
    assert result.category_id == "garbage"
    assert "臭" in result.keywords


def test_without_the_fallback_close_calls_go_to_triage(tmp_path: Path) -> None:
    classifier = ComplaintClassifier.load(data_dir(tmp_path))
    classifier.fallback = None
    assert classifier.classify("楼下垃圾堆旁边有音响，臭").category_id == "garbage"  # 4 vs 3.5: > 10 %
    assert classifier.classify("楼下很吵，垃圾也多").category_id == TRIAGE_ID  # 4 vs 4


def test_an_unsure_fallback_leaves_the_complaint_to_triage(tmp_path: Path) -> None:
    sure = ComplaintClassifier.load(data_dir(tmp_path / "sure"))
    unsure = ComplaintClassifier.load(data_dir(tmp_path / "unsure", confidence=0.99))
    text = "楼下很吵，垃圾也多，大妈"  # a tie: the learned words say noise, with probability 0.88
    assert sure.classify(text).category_id == "noise"
    assert sure.classify("楼下很吵，垃圾也多").category_id == TRIAGE_ID  # no learned word: the margin rules
    assert unsure.classify(text).category_id == TRIAGE_ID
    assert unsure.classify("楼下很吵，垃圾也多").category_id == TRIAGE_ID  # no learned word either


@pytest.mark.parametrize(
    ("learned", "error"),
    [
        (None, r"learned\.yaml: file not found"),
        ("settings: {scoring: sum}\ncategories: []\n", r"learned\.yaml: a fallback must be a learned file"),
        ("settings: {scoring: tfidf}\ncategories: [{id: other, bias: 0}]\n", r"at least two of the shipped"),
        ("settings: {scoring: tfidf}\ncategories: [{id: noise, bias: x}]\n", r"learned\.yaml: a category"),
    ],
)
def test_a_broken_fallback_is_refused_at_load(tmp_path: Path, learned: str | None, error: str) -> None:
    with pytest.raises(TaxonomyError, match=error):
        ComplaintClassifier.load(data_dir(tmp_path, learned=learned))


def test_an_urgent_report_left_open_goes_to_its_kind_not_to_a_guess() -> None:
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    result = classifier.classify("我家楼下起火了，有人被困")  # no event word of any category
    assert result.urgent_kinds == ("重大安全事故",)
    assert result.category_id == TRIAGE_ID and result.department == "yingji"
