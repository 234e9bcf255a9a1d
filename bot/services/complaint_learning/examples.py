"""The labelled history (a ``text,label`` CSV) and what the learner sees of each text: its candidate
keywords (useful words and adjacent pairs) and word counts."""

from __future__ import annotations

import csv
import itertools
import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.config import SHIPPED_DATA_DIR
from bot.yaml_files import parse_yaml

Tokenize = Callable[[str], list[str]]
# The learner's vocabulary rules (function words, message-board labels): wording, kept in data/.
VOCABULARY_FILE = SHIPPED_DATA_DIR / "complaint_learning.yaml"
_VOCABULARY = parse_yaml(VOCABULARY_FILE.read_text(encoding="utf-8"))


class LabeledDataError(ValueError):
    """The labeled CSV cannot be used; the message says why (file, line)."""


# ---------------------------------------------------------------------- data
@dataclass(frozen=True)
class Example:
    text: str
    label: str


def read_labeled_csv(path: Path) -> list[Example]:
    """Rows of a ``text,label`` CSV (UTF-8, BOM tolerated); blank rows skipped."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise LabeledDataError(f"{path}: file not found") from None
    examples: list[Example] = []
    with handle:
        reader = csv.DictReader(handle)
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "text" not in fields or "label" not in fields:
            raise LabeledDataError(f"{path}: needs the columns text,label (found: {', '.join(fields)})")
        reader.fieldnames = fields
        try:
            for row in reader:
                text, label = (row.get("text") or "").strip(), (row.get("label") or "").strip()
                if text and label:
                    examples.append(Example(text, label))
        except (csv.Error, UnicodeDecodeError) as error:
            raise LabeledDataError(f"{path}: line {reader.line_num}: {error}") from None
    if not examples:
        raise LabeledDataError(f"{path}: no labeled rows")
    return examples


# Function words say nothing about a complaint's subject: never keywords (readability).
STOPWORDS = frozenset(str(word) for word in _VOCABULARY["stopwords"])
# Common first-level labels of government message boards (留言板) → the department that usually
# handles them. Only a default for a learned file: the city edits `department:` lines as it likes.
LABEL_DEPARTMENT_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (str(department), tuple(map(str, hints)))
    for department, hints in _VOCABULARY["label_department_hints"].items()
)


def _useful(token: str) -> bool:
    """Words worth a keyword: some letter or CJK character, no digits (dates, numbers, ids)."""
    if token in STOPWORDS:
        return False
    has_letter = False
    for char in token:
        category = unicodedata.category(char)
        if category[0] == "N":
            return False
        if category[0] == "L":
            has_letter = True
    return has_letter


def features(tokens: Sequence[str]) -> set[str]:
    """The candidate keywords of one text: its useful tokens and adjacent useful pairs."""
    useful = [t if _useful(t) else "" for t in tokens]
    found = {t for t in useful if t}
    found.update(f"{a} {b}" for a, b in itertools.pairwise(useful) if a and b)
    return found


@dataclass(frozen=True)
class Doc:
    """A text as the model sees it: its candidate keywords, its length in words, and how often
    each useful word occurs (for tf-idf weighting)."""

    features: frozenset[str]
    n_words: int
    counts: tuple[tuple[str, int], ...] = ()

    def scale(self, length_norm_words: float) -> float:
        if not length_norm_words or not self.n_words:
            return 1.0
        return math.sqrt(length_norm_words / self.n_words)


def to_docs(examples: Iterable[Example], tokenize: Tokenize) -> list[Doc]:
    cache: dict[str, Doc] = {}
    docs = []
    for example in examples:
        doc = cache.get(example.text)
        if doc is None:
            tokens = tokenize(example.text)
            counts = Counter(t for t in tokens if _useful(t))
            doc = cache[example.text] = Doc(
                frozenset(features(tokens)), len(tokens), tuple(sorted(counts.items()))
            )
        docs.append(doc)
    return docs
