"""Find the convention articles that answer a resident's question: jieba tokens scored with BM25.

Why hand-written: BM25 is a few lines, the corpus is 20 short articles, and we want per-field
weights (a keyword or title hit counts more than a word in the explanation), which the small
BM25 packages on PyPI do not offer. Fields are folded into one weighted bag of words per article
("BM25F-lite"): term frequency and document length are sums of field weight × count.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jieba

from bot.segmentation import new_tokenizer

if TYPE_CHECKING:
    from bot.services.convention.content import Article

log = logging.getLogger(__name__)

FIELD_WEIGHTS = {"title": 3.0, "keywords": 3.0, "text": 1.0, "explanation": 1.0, "examples": 1.0, "rule": 0.5}
K1 = 1.2
B = 0.75
# Character bigrams back off for words jieba splits differently ("缺斤少两" vs "缺斤短两"): a second
# BM25 over CJK bigrams, added with a small weight so whole-word matches still decide.
BIGRAM_WEIGHT = 0.3
# Question words and particles that say nothing about the topic (one per line in stopwords.txt).
STOPWORDS = frozenset(
    line.strip()
    for line in (Path(__file__).parent / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
# Scores of the best match: below STRONG the answer says "not sure, maybe this"; below WEAK nothing
# matches. Measured on tests/data/convention_questions.yaml (off-topic questions score 0–3).
STRONG_SCORE = 4.0
WEAK_SCORE = 2.5
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORDISH = re.compile(r"[\w\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Match:
    article: Article
    score: float
    terms: tuple[str, ...]  # query terms that matched this article


def make_tokenizer(userdict: Path | None = None, extra_words: Iterable[str] = ()) -> jieba.Tokenizer:
    """A private jieba tokenizer (never the global one, which other features tune for themselves)."""
    tokenizer = new_tokenizer()
    tokenizer.initialize()
    if userdict is not None and userdict.is_file():
        tokenizer.load_userdict(str(userdict))
    for word in sorted(extra_words):
        if len(word) > 1:
            tokenizer.add_word(word)
    return tokenizer


def has_chinese(text: str) -> bool:
    return _CJK.search(text) is not None


class _Bm25:
    """BM25 over weighted bags of terms, one bag per article."""

    def __init__(self, bags: list[Counter[str]]) -> None:
        self.bags = bags
        lengths = [float(sum(bag.values())) for bag in bags]
        average = sum(lengths) / max(len(lengths), 1) or 1.0
        self.norms = [K1 * (1 - B + B * length / average) for length in lengths]
        count = len(bags)
        document_frequency: Counter[str] = Counter(term for bag in bags for term in bag)
        self.idf = {
            term: math.log(1 + (count - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()
        }

    def scores(self, terms: Iterable[str]) -> list[tuple[float, list[str]]]:
        known = [t for t in dict.fromkeys(terms) if t in self.idf]
        result = []
        for bag, norm in zip(self.bags, self.norms, strict=True):
            hits = [t for t in known if t in bag]
            score = sum(self.idf[t] * bag[t] * (K1 + 1) / (bag[t] + norm) for t in hits)
            result.append((score, hits))
        return result


class ConventionIndex:
    """Built once at start-up; ``search`` is cheap enough to run on every question."""

    def __init__(self, articles: Sequence[Article], tokenizer: jieba.Tokenizer) -> None:
        self.articles = list(articles)
        self.tokenizer = tokenizer
        word_bags: list[Counter[str]] = []
        bigram_bags: list[Counter[str]] = []
        for article in self.articles:
            words: Counter[str] = Counter()
            bigrams: Counter[str] = Counter()
            for field_name, text in _fields(article):
                weight = FIELD_WEIGHTS[field_name]
                for token in self.tokens(text):
                    words[token] += weight  # type: ignore[assignment]
                for gram in bigrams_of(text):
                    bigrams[gram] += weight  # type: ignore[assignment]
            word_bags.append(words)
            bigram_bags.append(bigrams)
        self.words = _Bm25(word_bags)
        self.bigrams = _Bm25(bigram_bags)

    def tokens(self, text: str) -> list[str]:
        """Search-mode jieba tokens (long words and their parts), lower-cased, without stop words."""
        return [
            token
            for token in (t.strip().lower() for t in self.tokenizer.lcut_for_search(text))
            if token and token not in STOPWORDS and _WORDISH.search(token)
        ]

    def search(self, query: str, limit: int = 3) -> list[Match]:
        """Articles ranked by score, best first; only articles sharing a word with the query."""
        word_scores = self.words.scores(self.tokens(query))
        bigram_scores = self.bigrams.scores(bigrams_of(query))
        matches = [
            Match(article, score + BIGRAM_WEIGHT * gram_score, tuple(hits))
            for article, (score, hits), (gram_score, _) in zip(
                self.articles, word_scores, bigram_scores, strict=True
            )
            if hits or gram_score > 0
        ]
        matches.sort(key=lambda m: (-m.score, m.article.number))
        return matches[:limit]


def bigrams_of(text: str) -> list[str]:
    """Overlapping CJK character pairs, skipping pairs made only of stop characters."""
    grams = []
    for run in _CJK_RUN.findall(text):
        grams += [run[i : i + 2] for i in range(len(run) - 1)]
    return [g for g in grams if g not in STOPWORDS]


def _fields(article: Article) -> list[tuple[str, str]]:
    return [
        ("title", article.title),
        ("keywords", " ".join(article.keywords)),
        ("text", article.text),
        ("explanation", article.explanation),
        ("examples", " ".join((*article.do, *article.dont))),
        ("rule", article.rule or ""),
    ]
