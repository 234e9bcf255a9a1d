"""The convention's content and search index, loaded from ``DATA_DIR`` (no Telegram, no database).

``load_convention`` reads and validates the YAML files at start-up; ``load_resources`` adds the search
index (jieba: seconds), which the bot builds in a background thread at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.services.convention.content import CONVENTION_FILE, QUIZ_FILE, Convention, load_convention
from bot.services.convention.search import ConventionIndex, make_tokenizer

USER_DICTIONARY = "userdict.txt"


@dataclass(frozen=True)
class ConventionResources:
    convention: Convention
    index: ConventionIndex


def load_resources(data_dir: Path) -> ConventionResources:
    """Read, validate and index the convention files in ``data_dir`` (raises ContentError)."""
    convention = load_convention(data_dir)
    tokenizer = make_tokenizer(data_dir / USER_DICTIONARY, extra_words=convention.vocabulary())
    return ConventionResources(convention, ConventionIndex(convention.articles, tokenizer))


_loaded: dict[tuple[Any, ...], ConventionResources] = {}


def cached_resources(data_dir: Path) -> ConventionResources:
    """``load_resources`` memoised per directory and file version (size, mtime).

    jieba takes seconds to start and the test suite builds an Application per test; a changed file
    is loaded afresh, so a city's replacement takes effect at the next start.
    """
    files = [data_dir / name for name in (CONVENTION_FILE, QUIZ_FILE, USER_DICTIONARY)]
    stamp = (
        str(data_dir.resolve()),
        *((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else None for f in files),
    )
    if stamp not in _loaded:
        resources = load_resources(data_dir)
        _loaded.clear()
        _loaded[stamp] = resources
    return _loaded[stamp]
