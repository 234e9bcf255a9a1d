"""The civic convention (《市民文明公约20条》): editable content, its search index and its quiz bank.

Nothing here touches Telegram or the database: ``load_resources`` reads and validates the YAML files
once at start-up and builds the search index; handlers reach the result through
``context.bot_data.resources[RESOURCE_KEY]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.convention.content import (
    CONVENTION_FILE,
    QUIZ_FILE,
    Article,
    ContentError,
    Convention,
    QuizQuestion,
    load_convention,
)
from bot.convention.search import ConventionIndex, Match, make_tokenizer

RESOURCE_KEY = "convention"


@dataclass(frozen=True)
class ConventionResources:
    convention: Convention
    index: ConventionIndex


def load_resources(data_dir: Path) -> ConventionResources:
    """Read, validate and index the convention files in ``data_dir`` (raises ContentError)."""
    convention = load_convention(data_dir)
    tokenizer = make_tokenizer(data_dir / "userdict.txt", extra_words=convention.vocabulary())
    return ConventionResources(convention, ConventionIndex(convention.articles, tokenizer))


__all__ = [
    "CONVENTION_FILE",
    "QUIZ_FILE",
    "RESOURCE_KEY",
    "Article",
    "ContentError",
    "Convention",
    "ConventionIndex",
    "ConventionResources",
    "Match",
    "QuizQuestion",
    "load_convention",
    "load_resources",
]
