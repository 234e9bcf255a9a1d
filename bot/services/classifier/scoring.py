"""How a category wins: the shipped taxonomy's sum of keyword weights with its thresholds, and the
learned files' bias + weights with a softmax confidence (or tf-idf values of the keywords)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from bot.services.classifier.taxonomy import TRIAGE_ID

COUNTER_TOKENS = 40  # above this many tokens, tfidf_values counts them all at once


def decide_sum(
    scores: dict[str, float],
    places: dict[str, float],
    *,
    min_score: float,
    min_margin: float,
    min_confidence: float,
) -> tuple[str, float, bool, list[str]]:
    """Shipped taxonomy: the best sum of event words wins unless too weak or the runner-up too
    close. Place words decide only when no event word matched, and otherwise only break a tie
    among the categories the event words left within the margin. Also returns the categories
    whose place words counted."""
    placed: list[str] = []
    if not scores and places:
        scores.update(places)
        placed = list(places)
    best_id, best, runner_up = top_two(scores)
    if places and not placed and runner_up > best * (1 - min_margin):
        tied = [c for c, score in scores.items() if score > best * (1 - min_margin)]
        placed = [c for c in tied if c in places]
        for category_id in placed:
            scores[category_id] += places[category_id]
        best_id, best, runner_up = top_two({c: scores[c] for c in tied})
    confidence = best / (best + max(runner_up, 0.0) + 1.0) if best > 0 else 0.0
    too_weak = best < min_score
    too_close = best > 0 and (best - runner_up) / best < min_margin
    return best_id, confidence, too_weak or too_close or confidence < min_confidence, placed


def decide_linear(
    biases: Iterable[tuple[str, float]], scores: dict[str, float], any_match: bool, *, min_confidence: float
) -> tuple[str, float, bool]:
    """Learned file: score = bias + Σ weights; confidence = softmax probability of the best.
    ``biases``: (category id, bias) of every category."""
    totals = {category_id: bias + scores.get(category_id, 0.0) for category_id, bias in biases}
    for category_id, total in totals.items():
        scores[category_id] = total
    best_id = min(totals, key=lambda c: (-totals[c], c))
    top = totals[best_id]
    confidence = 1.0 / sum(math.exp(total - top) for total in totals.values())
    return best_id, confidence, not any_match or confidence < min_confidence


def tfidf_values(tokens: list[str], found: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Each keyword found (with its idf) valued (1 + ln count) × idf, the vector scaled to unit
    length (what complaint_learning.tfidf_vector computed when the file was learned). A keyword
    found only as a phrase counts once."""
    # A short complaint's few keywords are counted in place; a Counter pays off on long texts.
    count = Counter(tokens).__getitem__ if len(tokens) > COUNTER_TOKENS else tokens.count
    raw: dict[str, float] = {}
    for keyword, weight in found:
        times = count(keyword)
        raw[keyword] = (1.0 + math.log(times)) * weight if times > 1 else weight
    norm = math.sqrt(sum(v * v for v in raw.values()))
    return {k: v / norm for k, v in raw.items()} if norm else {}


def top_two(scores: Mapping[str, float]) -> tuple[str, float, float]:
    """The best category (ties: the smaller id), its score and the runner-up's (0 if none)."""
    best_id, best, runner_up = TRIAGE_ID, 0.0, 0.0
    first = True
    for category_id, score in scores.items():
        if first or score > best or (score == best and category_id < best_id):
            if not first:
                runner_up = max(runner_up, best)
            best_id, best, first = category_id, score, False
        elif score > runner_up:
            runner_up = score
    return best_id, best, runner_up
