"""The learned fallback: a learned keyword file (``chuangwen complaints learn``, tf-idf scoring) that
decides when the shipped words leave no clear winner — the runner-up close to the best. The readable
vocabulary decides every complaint it can; the fallback only picks among the categories it left
open, so a city that edits a keyword still sees the effect."""

from __future__ import annotations

import math
from array import array
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.services.classifier.scoring import tfidf_values
from bot.services.classifier.taxonomy import TFIDF_SCORING, TaxonomyError, read_idf, read_yaml


@dataclass(frozen=True)
class FallbackChoice:
    category_id: str
    confidence: float  # softmax probability among the categories that were open
    keywords: tuple[tuple[float, str], ...]  # (weight, keyword) of the learned words that spoke for it


class LearnedFallback:
    """Bias + Σ weight × tf-idf value per category, as the learned file was fitted."""

    def __init__(
        self,
        bias: Mapping[str, float],
        weights: Mapping[str, Mapping[str, float]],
        idf: Mapping[str, float],
        *,
        margin: float,
        min_confidence: float,
    ) -> None:
        self.bias = dict(bias)
        self.margin = margin
        self.min_confidence = min_confidence
        # keyword → [its idf, then its weight for each category in the order of bias, 0 where the
        # file has none], one array of doubles: a close call reads a few rows that are likely out of
        # the processor's caches, so each row is one object (not a tuple of float objects).
        self._ids = list(self.bias)
        self._column = {category_id: i + 1 for i, category_id in enumerate(self._ids)}
        self._rows: dict[str, array[float]] = {
            keyword: array(
                "d", [idf[keyword], *(float(weights.get(c, {}).get(keyword, 0.0)) for c in self._ids)]
            )
            for keyword in idf
            if any(keyword in weights.get(c, {}) for c in self._ids)
        }

    @classmethod
    def read(
        cls, path: Path, category_ids: Collection[str], *, margin: float, min_confidence: float
    ) -> LearnedFallback:
        """A learned file's categories that are shipped categories (labels such as urgent kinds
        or 待分拣 are left out); its spellings and urgent kinds are the shipped file's business."""
        raw = read_yaml(path)
        scoring = (raw.get("settings") or {}).get("scoring")
        if scoring != TFIDF_SCORING:
            raise TaxonomyError(f"{path}: a fallback must be a learned file in tfidf scoring")
        bias: dict[str, float] = {}
        weights: dict[str, dict[str, float]] = {}
        try:
            for entry in raw.get("categories") or []:
                category_id = str(entry["id"])
                if category_id in category_ids:
                    bias[category_id] = float(entry.get("bias", 0.0))
                    weights[category_id] = {
                        str(k): float(v) for k, v in (entry.get("keywords") or {}).items()
                    }
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise TaxonomyError(f"{path}: a category is malformed ({error})") from None
        if len(bias) < 2:
            raise TaxonomyError(f"{path}: a fallback needs at least two of the shipped categories")
        return cls(
            bias, weights, read_idf(path, raw.get("idf")), margin=margin, min_confidence=min_confidence
        )

    def open_categories(self, scores: Mapping[str, float]) -> list[str]:
        """The categories the shipped words left open: those within the margin of the best (none
        when the best stands alone, or when no word matched: a message without one event word,
        "你好，我想反映个情况", is for staff to read, not for a guess)."""
        if not scores:
            return []
        best = max(scores.values())
        close = [c for c, score in scores.items() if score > 0 and score >= best * (1 - self.margin)]
        return close if len(close) > 1 else []

    def choose(self, tokens: list[str], open_ids: list[str]) -> FallbackChoice | None:
        """The open category the learned words favour, if any learned word was found and the
        choice is confident enough."""
        rows = self._rows
        found = {keyword: rows[keyword] for keyword in rows.keys() & tokens}
        columns = [self._column[c] for c in open_ids if c in self._column]
        if not found or not columns:
            return None
        values = tfidf_values(tokens, ((keyword, row[0]) for keyword, row in found.items()))
        if not values:
            return None
        totals: dict[str, float] = {}
        for column in columns:
            category_id = self._ids[column - 1]
            totals[category_id] = self.bias[category_id] + sum(
                found[keyword][column] * value for keyword, value in values.items()
            )
        best_id = min(totals, key=lambda c: (-totals[c], c))
        top = totals[best_id]
        confidence = 1.0 / sum(math.exp(total - top) for total in totals.values())
        if confidence < self.min_confidence:
            return None
        best = self._column[best_id]
        spoke = sorted(((found[k][best], k) for k in values if found[k][best] > 0), reverse=True)
        return FallbackChoice(best_id, confidence, tuple(spoke[:5]))
