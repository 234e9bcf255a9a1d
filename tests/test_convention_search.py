"""Search quality on the labeled resident questions, and what 'nothing matches' looks like."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.config import SHIPPED_DATA_DIR
from bot.services.convention import WEAK_SCORE, ConventionResources, cached_resources

QUESTIONS = Path(__file__).parent / "data" / "convention_questions.yaml"
# Reached when the thresholds were set: top-1 72/77 = 0.935, top-3 75/77 = 0.974 (minus a margin).
TOP1_FLOOR = 0.90
TOP3_FLOOR = 0.95


@pytest.fixture(scope="module")
def resources() -> ConventionResources:
    return cached_resources(SHIPPED_DATA_DIR)


def labeled() -> list[dict[str, object]]:
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]  # type: ignore[no-any-return]


def test_labeled_questions_cover_every_article() -> None:
    questions = labeled()
    assert len(questions) >= 60
    assert {q["article"] for q in questions} == set(range(1, 21))


def test_top1_and_top3_accuracy_stay_above_the_floor(resources: ConventionResources) -> None:
    questions = labeled()
    top1 = top3 = 0
    for item in questions:
        numbers = [m.article.number for m in resources.index.search(str(item["q"]), limit=3)]
        top1 += numbers[:1] == [item["article"]]
        top3 += item["article"] in numbers
    assert top1 / len(questions) >= TOP1_FLOOR, f"top-1 {top1}/{len(questions)}"
    assert top3 / len(questions) >= TOP3_FLOOR, f"top-3 {top3}/{len(questions)}"


@pytest.mark.parametrize(
    "question", ["今天天气怎么样", "怎么交电费", "帮我查一下快递", "我家水管漏水了", "你好"]
)
def test_off_topic_questions_match_nothing_well(resources: ConventionResources, question: str) -> None:
    assert all(m.score < WEAK_SCORE for m in resources.index.search(question))


def test_userdict_is_used_when_present(tmp_path: Path, resources: ConventionResources) -> None:
    """The project's jieba user dictionary (data/userdict.txt) is loaded when a city ships one."""
    from bot.services.convention.search import make_tokenizer

    (tmp_path / "userdict.txt").write_text("拴狗绳子 20 n\n", encoding="utf-8")
    assert "拴狗绳子" in make_tokenizer(tmp_path / "userdict.txt").lcut("不用拴狗绳子吗")
    assert "拴狗绳子" not in resources.index.tokenizer.lcut("不用拴狗绳子吗")


def test_resources_are_built_once_per_file_version(resources: ConventionResources) -> None:
    assert cached_resources(SHIPPED_DATA_DIR) is resources
