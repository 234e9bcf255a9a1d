"""Complaint sorting by jieba keyword matching (谁主管、谁负责).

A complaint is tokenised with jieba (plus the civic user dictionary); each category scores the
weights of its keywords found among the tokens (phrases: their words next to each other). The
best category wins unless the score is too low or the runner-up too close: then the complaint goes
to 待分拣 (manual triage). Urgent one-vote-veto kinds are flagged independently of the category.

Deterministic, no network, loaded once per process (``ComplaintClassifier.load``) and kept on
``bot_data.resources``; ``classify`` is a pure function of the text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jieba
import yaml

TRIAGE_ID = "triage"
MAX_PHRASE_WORDS = 4

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
        userdict: Path | None = None,
    ) -> None:
        self.categories = {c.id: c for c in categories}
        self.departments = {d.id: d for d in departments}
        self.urgent_kinds = tuple(urgent_kinds)
        self.urgent_time_limit_hours = urgent_time_limit_hours
        self.min_score = min_score
        self.min_margin = min_margin
        self.triage_name = triage_name
        self.triage_department = triage_department or next(iter(self.departments), "")
        self.triage_time_limit_hours = triage_time_limit_hours
        # A private tokenizer: the user dictionary must not leak into other jieba users in-process.
        self.tokenizer = jieba.Tokenizer()
        if userdict is not None and userdict.is_file():
            self.tokenizer.load_userdict(str(userdict))
        self.tokenizer.initialize()
        # keyword (as a tuple of its words) → [(category id, weight)]
        self._index: dict[tuple[str, ...], list[tuple[str, float]]] = {}
        for category in self.categories.values():
            for keyword, weight in category.keywords.items():
                self._index.setdefault(self._words(keyword), []).append((category.id, float(weight)))
        self._urgent_index: dict[tuple[str, ...], list[str]] = {}
        for kind in self.urgent_kinds:
            for keyword in kind.keywords:
                self._urgent_index.setdefault(self._words(keyword), []).append(kind.name)
        self._max_words = max((len(k) for k in [*self._index, *self._urgent_index]), default=1)
        self._max_words = min(self._max_words, MAX_PHRASE_WORDS)

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
            UrgentKind(str(k["name"]), tuple(str(w) for w in k.get("keywords") or ()))
            for k in urgent.get("kinds") or []
        ]
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
            userdict=data_dir / "userdict.txt",
        )

    # ------------------------------------------------------------------ classifying
    def tokens(self, text: str) -> list[str]:
        return [t for t in self.tokenizer.lcut(text) if t.strip()]

    def _words(self, keyword: str) -> tuple[str, ...]:
        return tuple(t for t in self.tokenizer.lcut(keyword.strip()) if t.strip())

    def _matches(self, tokens: list[str]) -> set[tuple[str, ...]]:
        """Every keyword (as word tuples) present in the token list, phrases included."""
        found: set[tuple[str, ...]] = set()
        index, urgent = self._index, self._urgent_index
        for n in range(1, self._max_words + 1):
            for i in range(len(tokens) - n + 1):
                gram = tuple(tokens[i : i + n])
                if gram in index or gram in urgent:
                    found.add(gram)
        return found

    def classify(self, text: str) -> Classification:
        tokens = self.tokens(text)
        matched = self._matches(tokens)
        scores: dict[str, float] = {}
        contributions: dict[str, list[tuple[float, str]]] = {}
        urgent_kinds: list[str] = []
        for gram in matched:
            for category_id, weight in self._index.get(gram, ()):
                scores[category_id] = scores.get(category_id, 0.0) + weight
                contributions.setdefault(category_id, []).append((weight, "".join(gram)))
            for kind in self._urgent_index.get(gram, ()):
                if kind not in urgent_kinds:
                    urgent_kinds.append(kind)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        best_id, best = ranked[0] if ranked else (TRIAGE_ID, 0.0)
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        confidence = best / (best + runner_up + 1.0) if best > 0 else 0.0
        too_weak = best < self.min_score
        too_close = best > 0 and (best - runner_up) / best < self.min_margin
        urgent = bool(urgent_kinds)
        if too_weak or too_close:
            all_hits = [hit for hits in contributions.values() for hit in hits]
            keywords = tuple(word for _, word in sorted(all_hits, reverse=True))
            department = self.triage_department
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
                dict(scores),
            )
        category = self.categories[best_id]
        keywords = tuple(word for _, word in sorted(contributions[best_id], reverse=True))
        return Classification(
            category.id,
            category.name,
            category.department,
            self._department_name(category.department),
            confidence,
            urgent,
            tuple(urgent_kinds),
            _unique(keywords),
            self.urgent_time_limit_hours if urgent else category.time_limit_hours,
            dict(scores),
        )

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
