"""The categories file (data/complaint_categories.yaml, or a learned one) and data/departments.yaml:
the types they describe, and reading them with errors that name the file and the entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from bot.services.classifier.keywords import (
    ALTERNATIVE,
    CONJUNCTION,
    EXCLUSION_SLOT,
    keyword_words,
    without_spaces,
)
from bot.yaml_files import parse_yaml

TRIAGE_ID = "triage"
URGENT_LABEL_PREFIX = "urgent:"  # an urgent kind as an evaluation label: "urgent:重大安全事故"
SUM_SCORING = "sum"  # shipped taxonomy: positive weights, thresholds min_score / min_margin
LINEAR_SCORING = "linear"  # learned files: bias + Σ weights (may be negative), softmax confidence
TFIDF_SCORING = "tfidf"  # learned files: bias + Σ weight × unit-length tf-idf value of the keyword
SCORINGS = (SUM_SCORING, LINEAR_SCORING, TFIDF_SCORING)


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
    keywords: Mapping[str, float] = field(default_factory=dict)  # event words (all of covers, too)
    bias: float = 0.0  # added to the score in linear scoring (learned files)
    places: Mapping[str, float] = field(default_factory=dict)  # tie-breakers only (sum scoring)
    # The standard's event kinds and component classes this category takes (GB/T 30428.2, or a 创文
    # kind the standard lacks) → the keywords residents use for each.
    covers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class Classification(NamedTuple):  # a tuple: built for every complaint, cheaper than a dataclass
    category_id: str
    category_name: str
    department: str
    department_name: str
    confidence: float
    urgent: bool
    urgent_kinds: tuple[str, ...]
    keywords: tuple[str, ...]  # the keywords that decided it, strongest first
    time_limit_hours: float
    scores: Mapping[str, float]

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
    # Phrases in which a keyword is used in another sense (爆炸头, 容易着火): an occurrence inside one
    # of them does not count. "…" stands for each keyword ("容易…" = 容易爆炸, 容易着火 …); a space
    # stands for anything within the same clause ("差点 …" = 差点 and, later before any
    # punctuation, a keyword: 差点摔下来受伤).
    not_when: tuple[str, ...] = ()

    def exclusions(self) -> dict[str, list[str]]:
        """Each word of the kind's keywords → its not_when phrases, "…" replaced by the word."""
        words = {without_spaces(word) for keyword in self.keywords for word in keyword_words(keyword)}
        found: dict[str, list[str]] = {}
        for phrase in self.not_when:
            for word in sorted(words):
                if EXCLUSION_SLOT in phrase:
                    found.setdefault(word, []).append(phrase.replace(EXCLUSION_SLOT, word))
                elif word in without_spaces(phrase):
                    found.setdefault(word, []).append(phrase)
        return found


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise TaxonomyError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: expected a mapping at the top level")
    return data


def read_idf(path: Path, raw: Any) -> dict[str, float]:
    if raw is None:
        return {}
    try:
        return {str(k): float(v) for k, v in raw.items()}
    except (TypeError, ValueError, AttributeError) as error:
        raise TaxonomyError(f"{path}: idf is malformed ({error})") from None


def read_spellings(path: Path, raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    try:
        return {str(k): str(v) for k, v in raw.items()}
    except (TypeError, ValueError, AttributeError) as error:
        raise TaxonomyError(f"{path}: spellings is malformed ({error})") from None


def check_spellings(spellings: Mapping[str, str]) -> dict[str, str]:
    """Refuse spellings that would loop or split a keyword: one that respells to itself or to
    another respelled spelling, or holds whitespace or the + of "A+B" keywords."""
    for wrong, right in spellings.items():
        if (
            not wrong
            or wrong == right
            or any(ch.isspace() or ch in (CONJUNCTION, ALTERNATIVE) for ch in wrong + right)
        ):
            raise TaxonomyError(f"spellings: {wrong!r} → {right!r} is not a respelling of one word")
        if any(other in right for other in spellings):
            raise TaxonomyError(
                f"spellings: {right!r} (for {wrong!r}) holds a spelling that is respelled too"
            )
    return dict(spellings)


def load_departments(path: Path) -> dict[str, Department]:
    raw = read_yaml(path)
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


def shipped_words(raw: dict[str, Any]) -> list[str]:
    """Every keyword, place word and urgent word of a categories file, "A+B" split into words."""
    keywords: list[str] = []
    for entry in raw.get("categories") or []:
        for group in (entry.get("covers") or {}).values():
            keywords.extend(map(str, group or {}))
        keywords.extend(map(str, entry.get("keywords") or {}))
        keywords.extend(map(str, entry.get("places") or {}))
    for kind in (raw.get("urgent") or {}).get("kinds") or []:
        keywords.extend(map(str, kind.get("keywords") or ()))
    return [word for keyword in keywords for word in keyword_words(keyword)]


def _weights(raw: Any) -> dict[str, float]:
    return {str(k): float(v) for k, v in (raw or {}).items()}


def read_category(path: Path, i: int, entry: Any, departments: Mapping[str, Department]) -> Category:
    """One category. Its keywords are those of ``covers`` (grouped by the standard's class) and of
    ``keywords`` (not tied to one class); ``places`` are tie-breaking place words."""
    try:
        name = f"category {entry.get('id', '#' + str(i + 1))}"
        covers: dict[str, tuple[str, ...]] = {}
        groups: list[tuple[str, dict[str, float]]] = []
        for kind, words in (entry.get("covers") or {}).items():
            group = _weights(words)
            covers[str(kind)] = tuple(group)
            groups.append((f"covers {kind}", group))
        groups.append(("keywords", _weights(entry.get("keywords"))))
        keywords: dict[str, float] = {}
        for group_name, group in groups:
            for word, weight in group.items():
                if keywords.setdefault(word, weight) != weight:
                    raise TaxonomyError(
                        f"{name}: {word} has two weights ({keywords[word]:g}, {group_name}: {weight:g})"
                    )
        places = _weights(entry.get("places"))
        both = sorted(set(places) & set(keywords))
        if both:
            raise TaxonomyError(f"{name}: {', '.join(both)} is both a keyword and a place word")
        category = Category(
            bias=float(entry.get("bias", 0.0)),
            id=str(entry["id"]),
            name=str(entry["name"]),
            department=str(entry["department"]),
            time_limit_hours=float(entry.get("time_limit_hours", 72)),
            keywords=keywords,
            places=places,
            covers=covers,
        )
    except TaxonomyError as error:
        raise TaxonomyError(f"{path}: {error}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise TaxonomyError(f"{path}: category #{i + 1} is malformed ({error})") from None
    if category.department not in departments:
        raise TaxonomyError(
            f"{path}: category {category.id} names unknown department {category.department!r}"
        )
    return category


def read_urgent_kind(path: Path, i: int, entry: Any) -> UrgentKind:
    try:
        kind = UrgentKind(
            str(entry["name"]),
            tuple(str(w) for w in entry.get("keywords") or ()),
            str(entry["department"]) if entry.get("department") else None,
            tuple(str(p) for p in entry.get("not_when") or ()),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise TaxonomyError(f"{path}: urgent kind #{i + 1} is malformed ({error})") from None
    words = [without_spaces(word) for k in kind.keywords for word in keyword_words(k)]
    for phrase in kind.not_when:  # an exclusion masks the keywords inside it, so it must hold one
        if EXCLUSION_SLOT not in phrase and not any(w in without_spaces(phrase) for w in words):
            raise TaxonomyError(
                f"{path}: urgent kind {kind.name}: not_when {phrase!r} contains none of its keywords, "
                "so it would never exclude anything"
            )
    return kind
