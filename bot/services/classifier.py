"""Complaint sorting by jieba keyword matching (谁主管、谁负责).

A complaint is tokenised with jieba (plus the civic user dictionary); each category scores the
weights of its keywords found among the tokens (phrases: their words next to each other). The
best category wins unless the score is too low or the runner-up too close: then the complaint goes
to 待分拣 (manual triage). Urgent one-vote-veto kinds are flagged independently of the category
(their words match anywhere in the text).

Learned files (``chuangwen complaints learn``, see complaint_learning.py) use the same format with
``settings.scoring: linear``: per category a bias plus the (possibly negative) keyword weights, scaled
by text length; the highest total wins and its softmax probability is the confidence.

Deterministic, no network, loaded once per process (``ComplaintClassifier.load``) and kept on
``bot_data.resources``; ``classify`` is a pure function of the text.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jieba
import yaml

from bot.segmentation import new_tokenizer

TRIAGE_ID = "triage"
MAX_PHRASE_WORDS = 4
SUM_SCORING = "sum"  # shipped taxonomy: positive weights, thresholds min_score / min_margin
LINEAR_SCORING = "linear"  # learned files: bias + Σ weights (may be negative), softmax confidence
TFIDF_SCORING = "tfidf"  # learned files: bias + Σ weight × unit-length tf-idf value of the keyword
SCORINGS = (SUM_SCORING, LINEAR_SCORING, TFIDF_SCORING)

log = logging.getLogger(__name__)
jieba.setLogLevel(logging.WARNING)


class TaxonomyError(ValueError):
    """The category or department file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    chat_id: int | None


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    department: str
    time_limit_hours: float
    keywords: Mapping[str, float] = field(default_factory=dict)
    bias: float = 0.0  # added to the score in linear scoring (learned files)


@dataclass(frozen=True)
class Classification:
    category_id: str
    category_name: str
    department: str
    department_name: str
    confidence: float
    urgent: bool
    urgent_kinds: tuple[str, ...]
    keywords: tuple[str, ...]  # the keywords that decided it, strongest first
    time_limit_hours: float
    scores: Mapping[str, float] = field(default_factory=dict)

    @property
    def needs_triage(self) -> bool:
        return self.category_id == TRIAGE_ID

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category_id,
            "category_name": self.category_name,
            "department": self.department,
            "department_name": self.department_name,
            "confidence": round(self.confidence, 4),
            "urgent": self.urgent,
            "urgent_kinds": list(self.urgent_kinds),
            "keywords": list(self.keywords),
            "time_limit_hours": self.time_limit_hours,
        }


@dataclass(frozen=True)
class UrgentKind:
    name: str
    keywords: tuple[str, ...]
    department: str | None = None  # takes 其他/待分拣 reports of this kind (e.g. 黄赌毒 → police)


class ComplaintClassifier:
    def __init__(
        self,
        categories: Iterable[Category],
        departments: Iterable[Department],
        *,
        urgent_kinds: Iterable[UrgentKind] = (),
        urgent_time_limit_hours: float = 2.0,
        min_score: float = 1.0,
        min_margin: float = 0.25,
        triage_name: str = "待分拣",
        triage_department: str | None = None,
        triage_time_limit_hours: float = 24.0,
        other_category: str | None = None,
        userdict: Path | None = None,
        scoring: str = SUM_SCORING,
        min_confidence: float = 0.0,
        length_norm_words: float = 0.0,
        idf: Mapping[str, float] | None = None,
    ) -> None:
        if scoring not in SCORINGS:
            raise TaxonomyError(f"unknown scoring {scoring!r} (expected one of {', '.join(SCORINGS)})")
        self.categories = {c.id: c for c in categories}
        self.idf = dict(idf or {})
        if scoring == TFIDF_SCORING:  # every weighted keyword needs its idf
            missing = sorted({k for c in self.categories.values() for k in c.keywords} - set(self.idf))
            if missing:
                raise TaxonomyError(f"scoring tfidf: keywords without an idf: {', '.join(missing[:5])}")
        self.departments = {d.id: d for d in departments}
        self.urgent_kinds = tuple(urgent_kinds)
        self.urgent_time_limit_hours = urgent_time_limit_hours
        self.min_score = min_score
        self.min_margin = min_margin
        self.scoring = scoring
        self.min_confidence = min_confidence
        self.length_norm_words = length_norm_words
        self.triage_name = triage_name
        self.triage_department = triage_department or next(iter(self.departments), "")
        self.triage_time_limit_hours = triage_time_limit_hours
        self.other_category = other_category
        # A private tokenizer: the user dictionary must not leak into other jieba users in-process.
        self.tokenizer = new_tokenizer()
        if userdict is not None and userdict.is_file():
            self.tokenizer.load_userdict(str(userdict))
        self.tokenizer.initialize()
        self._lcut = self.tokenizer.lcut
        self._cut = self.tokenizer.cut
        # keyword → [(category id, weight)]; word tuple → the keywords it spells. A keyword is
        # matched both as written with spaces ("垃圾 清运": these words next to each other) and as
        # jieba cuts it, so a city can type "垃圾清运" and a learned token is found as it was seen.
        self._weights: dict[str, list[tuple[str, float]]] = {}
        grams: dict[tuple[str, ...], set[str]] = {}
        for category in self.categories.values():
            for keyword, weight in category.keywords.items():
                self._weights.setdefault(keyword, []).append((category.id, float(weight)))
        # Urgent words match anywhere in the text, even inside a longer word ("卖淫嫖娼"): a false
        # alarm costs a look, a missed one-vote-veto report costs far more.
        self._urgent_by_word: dict[str, list[UrgentKind]] = {}
        for kind in self.urgent_kinds:
            for word in kind.keywords:
                if word and kind not in self._urgent_by_word.setdefault(word, []):
                    self._urgent_by_word[word].append(kind)
        # One regex scan (longest words first) instead of a loop of `in` tests.
        words = sorted(self._urgent_by_word, key=len, reverse=True)
        self._urgent_pattern = re.compile("|".join(map(re.escape, words))) if words else None
        for keyword in self._weights:
            for form in self._forms(keyword):
                grams.setdefault(form, set()).add(keyword)
        # Matching is set intersection per phrase length (C speed): {n: {word tuple or word: keywords}}.
        self._by_length: dict[int, dict[Any, tuple[str, ...]]] = {}
        for form, keywords in grams.items():
            if len(form) <= MAX_PHRASE_WORDS:
                key: Any = form[0] if len(form) == 1 else form
                self._by_length.setdefault(len(form), {})[key] = tuple(sorted(keywords))
        self._single = self._by_length.pop(1, {})
        self._pairs = self._by_length.pop(2, {})
        # frozenset.intersection(list) walks the short token list, not all the keywords.
        self._single_keys = frozenset(self._single)
        self._pair_keys = frozenset(self._pairs)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, data_dir: Path, categories_file: Path | None = None) -> ComplaintClassifier:
        """The shipped taxonomy (or a learned file instead of complaint_categories.yaml)."""
        departments = load_departments(data_dir / "departments.yaml")
        path = categories_file or data_dir / "complaint_categories.yaml"
        raw = _read_yaml(path)
        settings = raw.get("settings") or {}
        urgent = raw.get("urgent") or {}
        categories = [
            _category(path, i, entry, departments) for i, entry in enumerate(raw.get("categories") or [])
        ]
        if not categories:
            raise TaxonomyError(f"{path}: no categories")
        kinds = [
            UrgentKind(
                str(k["name"]),
                tuple(str(w) for w in k.get("keywords") or ()),
                str(k["department"]) if k.get("department") else None,
            )
            for k in urgent.get("kinds") or []
        ]
        for kind in kinds:
            if kind.department is not None and kind.department not in departments:
                raise TaxonomyError(
                    f"{path}: urgent kind {kind.name} names unknown department {kind.department!r}"
                )
        return cls(
            categories,
            departments.values(),
            urgent_kinds=kinds,
            urgent_time_limit_hours=float(urgent.get("time_limit_hours", 2)),
            min_score=float(settings.get("min_score", 1.0)),
            min_margin=float(settings.get("min_margin", 0.25)),
            triage_name=str(settings.get("triage_name", "待分拣")),
            triage_department=settings.get("triage_department"),
            triage_time_limit_hours=float(settings.get("triage_time_limit_hours", 24)),
            other_category=settings.get("other_category"),
            userdict=data_dir / "userdict.txt",
            scoring=str(settings.get("scoring", SUM_SCORING)),
            min_confidence=float(settings.get("min_confidence", 0.0)),
            length_norm_words=float(settings.get("length_norm_words", 0.0)),
            idf=_idf(path, raw.get("idf")),
        )

    # ------------------------------------------------------------------ classifying
    def tokens(self, text: str) -> list[str]:
        return list(filter(str.strip, self._cut(text)))

    def _forms(self, keyword: str) -> set[tuple[str, ...]]:
        spaced = tuple(keyword.split())
        cut = tuple(filter(str.strip, self._lcut("".join(spaced))))
        return {form for form in (spaced, cut) if form}

    def matched_keywords(self, tokens: list[str]) -> set[str]:
        """Every category keyword present in the token list, phrases included."""
        found: set[str] = set()
        single = self._single
        for hit in self._single_keys.intersection(tokens):
            found.update(single[hit])
        if self._pairs:
            pairs = self._pairs
            for hit in self._pair_keys.intersection(itertools.pairwise(tokens)):
                found.update(pairs[hit])
        for n, table in self._by_length.items():  # phrases of 3 words and more: rare
            for hit in table.keys() & set(zip(*(tokens[i:] for i in range(n)), strict=False)):
                found.update(table[hit])
        return found

    def classify(self, text: str) -> Classification:
        tokens = self.tokens(text)
        matched = self.matched_keywords(tokens)
        linear = self.scoring != SUM_SCORING
        scale = 1.0
        if self.scoring == LINEAR_SCORING and self.length_norm_words and tokens:
            scale = math.sqrt(self.length_norm_words / len(tokens))
        values = self.tfidf_values(tokens, matched) if self.scoring == TFIDF_SCORING else None
        scores: dict[str, float] = {}
        contributions: dict[str, list[tuple[float, str]]] = {}
        weights = self._weights
        for keyword in matched:
            if values is not None:
                scale = values.get(keyword, 0.0)
            for category_id, weight in weights.get(keyword, ()):
                if category_id in scores:
                    scores[category_id] += weight * scale
                    contributions[category_id].append((weight, keyword))
                else:
                    scores[category_id] = weight * scale
                    contributions[category_id] = [(weight, keyword)]
        kinds = self.urgent_kinds_in(text)
        urgent_kinds = [kind.name for kind in kinds]
        if linear:
            best_id, confidence, triage = self._decide_linear(scores, bool(contributions))
        else:
            best_id, confidence, triage = self._decide_sum(scores)
        urgent = bool(urgent_kinds)
        if triage:
            all_hits = [hit for hits in contributions.values() for hit in hits if hit[0] > 0]
            keywords = tuple(word for _, word in sorted(all_hits, reverse=True))
            department = self._urgent_department(kinds) or self.triage_department
            return Classification(
                TRIAGE_ID,
                self.triage_name,
                department,
                self._department_name(department),
                confidence,
                urgent,
                tuple(urgent_kinds),
                _unique(keywords),
                self.urgent_time_limit_hours if urgent else self.triage_time_limit_hours,
                scores,
            )
        category = self.categories[best_id]
        hits = [hit for hit in contributions.get(best_id, ()) if hit[0] > 0]
        keywords = tuple(word for _, word in sorted(hits, reverse=True))
        department = category.department
        if category.id == self.other_category:
            department = self._urgent_department(kinds) or department
        return Classification(
            category.id,
            category.name,
            department,
            self._department_name(department),
            confidence,
            urgent,
            tuple(urgent_kinds),
            keywords,  # unique: each keyword counts once per category
            self.urgent_time_limit_hours if urgent else category.time_limit_hours,
            scores,
        )

    def tfidf_values(self, tokens: list[str], matched: set[str]) -> dict[str, float]:
        """Each keyword found valued (1 + ln count) × idf, the vector scaled to unit length (what
        complaint_learning.tfidf_vector computed when the file was learned). A keyword found only
        as a phrase counts once."""
        counts = Counter(tokens)
        idf = self.idf
        raw = {k: (1.0 + math.log(counts.get(k) or 1)) * idf[k] for k in matched if k in idf}
        norm = math.sqrt(sum(v * v for v in raw.values()))
        return {k: v / norm for k, v in raw.items()} if norm else {}

    def urgent_kinds_in(self, text: str) -> list[UrgentKind]:
        """The one-vote-veto kinds the text mentions, in file order."""
        if self._urgent_pattern is None:
            return []
        words = set(self._urgent_pattern.findall(text))
        if not words:
            return []
        found = {kind for word in words for kind in self._urgent_by_word[word]}
        return [kind for kind in self.urgent_kinds if kind in found]

    def _urgent_department(self, kinds: list[UrgentKind]) -> str | None:
        return next((k.department for k in kinds if k.department in self.departments), None)

    def _decide_sum(self, scores: dict[str, float]) -> tuple[str, float, bool]:
        """Shipped taxonomy: the best sum wins unless too weak or the runner-up too close."""
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        best_id, best = ranked[0] if ranked else (TRIAGE_ID, 0.0)
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        confidence = best / (best + max(runner_up, 0.0) + 1.0) if best > 0 else 0.0
        too_weak = best < self.min_score
        too_close = best > 0 and (best - runner_up) / best < self.min_margin
        return best_id, confidence, too_weak or too_close or confidence < self.min_confidence

    def _decide_linear(self, scores: dict[str, float], any_match: bool) -> tuple[str, float, bool]:
        """Learned file: score = bias + Σ weights; confidence = softmax probability of the best."""
        totals = {c.id: c.bias + scores.get(c.id, 0.0) for c in self.categories.values()}
        for category_id, total in totals.items():
            scores[category_id] = total
        best_id = min(totals, key=lambda c: (-totals[c], c))
        top = totals[best_id]
        confidence = 1.0 / sum(math.exp(total - top) for total in totals.values())
        return best_id, confidence, not any_match or confidence < self.min_confidence

    def _department_name(self, department_id: str) -> str:
        department = self.departments.get(department_id)
        return department.name if department else department_id

    def category(self, category_id: str) -> Category | None:
        return self.categories.get(category_id)


def _unique(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise TaxonomyError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: expected a mapping at the top level")
    return data


def _idf(path: Path, raw: Any) -> dict[str, float]:
    if raw is None:
        return {}
    try:
        return {str(k): float(v) for k, v in raw.items()}
    except (TypeError, ValueError, AttributeError) as error:
        raise TaxonomyError(f"{path}: idf is malformed ({error})") from None


def load_departments(path: Path) -> dict[str, Department]:
    raw = _read_yaml(path)
    departments: dict[str, Department] = {}
    for i, entry in enumerate(raw.get("departments") or []):
        try:
            chat_id = entry.get("chat_id")
            departments[str(entry["id"])] = Department(
                str(entry["id"]), str(entry["name"]), int(chat_id) if chat_id is not None else None
            )
        except (KeyError, TypeError, ValueError) as error:
            raise TaxonomyError(f"{path}: department #{i + 1} is malformed ({error})") from None
    if not departments:
        raise TaxonomyError(f"{path}: no departments")
    return departments


def _category(path: Path, i: int, entry: Any, departments: Mapping[str, Department]) -> Category:
    try:
        keywords = {str(k): float(v) for k, v in (entry.get("keywords") or {}).items()}
        category = Category(
            bias=float(entry.get("bias", 0.0)),
            id=str(entry["id"]),
            name=str(entry["name"]),
            department=str(entry["department"]),
            time_limit_hours=float(entry.get("time_limit_hours", 72)),
            keywords=keywords,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise TaxonomyError(f"{path}: category #{i + 1} is malformed ({error})") from None
    if category.department not in departments:
        raise TaxonomyError(
            f"{path}: category {category.id} names unknown department {category.department!r}"
        )
    return category
