"""Complaint sorting by jieba keyword matching (谁主管、谁负责).

A complaint is cut into words (jieba with the civic user dictionary and every keyword taught to it;
dictionary words only: no HMM guessing of unknown words, so a one-character keyword such as 脏 is
never swallowed by a guessed word); every word of three or more characters also yields the
dictionary words of two and three characters inside it (jieba's search mode: 化工厂 → 化工、工厂),
so a keyword is found inside a compound jieba keeps whole. Phrases (keywords of several words) match
when their words stand next to each other, "A+B" keywords when each part is found anywhere. A
keyword found only inside a longer keyword found (垃圾 in 垃圾桶) counts once, through the longer.

Shipped taxonomy (``scoring: sum``): each category scores the weights of its event keywords found.
Place words (``places:``: 人行道, 小区, 外卖 …) say where, not what: they count only when no event
word matched at all, or to break a tie between the categories the event words left too close. The
best category wins unless its score is too low or the runner-up too close: then the complaint goes
to 待分拣 (manual triage).

Urgent one-vote-veto kinds are flagged independently of the category: their keywords are matched the
same way (words, never bare characters inside unrelated words), and an occurrence inside one of the
kind's ``not_when`` phrases (爆炸头, 消防演练, 容易着火 …) does not count.

Learned files (``chuangwen complaints learn``, see complaint_learning.py) use the same format with
``settings.scoring: linear``: per category a bias plus the (possibly negative) keyword weights, scaled
by text length; the highest total wins and its softmax probability is the confidence.

Deterministic, no network, loaded once per process (``ComplaintClassifier.load``) and kept on
``bot_data.resources``; ``classify`` is a pure function of the text.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import jieba
import yaml

from bot.segmentation import new_tokenizer
from bot.yaml_files import parse_yaml

TRIAGE_ID = "triage"
_HAN = jieba.re_han_default  # jieba's blocks: runs of CJK, letters, digits and +#&._%-
URGENT_LABEL_PREFIX = "urgent:"  # an urgent kind as an evaluation label: "urgent:重大安全事故"
MAX_PHRASE_WORDS = 6  # a keyword cut into more words than this is refused at load
EXCLUSION_SLOT = "…"  # in an urgent kind's not_when phrase: stands for each of the kind's keywords
# A space in a not_when phrase: any characters of the same clause (up to a punctuation mark).
_CLAUSE_GAP = "[^，。！？；：,.!?;:\\n]*?"
CONJUNCTION = "+"  # "鱼+死光": all these words anywhere in the complaint
ALTERNATIVE = "|"  # "吃了|喝了+住院": any of these words in that place ("吃了+住院" or "喝了+住院")
# How often jieba is told a keyword occurs (as the user dictionary does): enough to keep it whole
# against a split into single characters (拦污网上 → 拦污网/上, not 拦/污/网上), too little to
# break a real dictionary word around it (争吵得 stays 争吵/得 beside the keyword 吵得).
KEYWORD_FREQ = 20
COMMON_CHARACTER = 5000  # a character jieba counts more often than this keys no spelling alone
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
        words = {_compact(word) for keyword in self.keywords for word in _words_of(keyword)}
        found: dict[str, list[str]] = {}
        for phrase in self.not_when:
            for word in sorted(words):
                if EXCLUSION_SLOT in phrase:
                    found.setdefault(word, []).append(phrase.replace(EXCLUSION_SLOT, word))
                elif word in _compact(phrase):
                    found.setdefault(word, []).append(phrase)
        return found


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
        dictionary_words: Iterable[str] = (),
        spellings: Mapping[str, str] | None = None,
    ) -> None:
        if scoring not in SCORINGS:
            raise TaxonomyError(f"unknown scoring {scoring!r} (expected one of {', '.join(SCORINGS)})")
        self.categories = {c.id: c for c in categories}
        # Other spellings residents type (拉圾, 燥音, 冇) → the one the keywords use (垃圾, 噪音, 没):
        # replaced in the complaint and in every keyword and not_when phrase, longest first.
        self.spellings = _check_spellings(spellings or {})
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
        self._dictionary: dict[str, int] = self.tokenizer.FREQ
        # Each spelling is looked for only when the text holds its key: the rarest of its characters
        # that the right spelling lacks (燥 of 燥音, 冇), with the character before it when that one
        # is common (红路 of 红路灯, not 路): one regex scan, in C, for most complaints.
        self._respellings: dict[str, list[tuple[str, str]]] = {}
        for wrong, right in self.spellings.items():
            own = [i for i, ch in enumerate(wrong) if ch not in right] or list(range(len(wrong)))
            at = min(own, key=lambda i: (self._dictionary.get(wrong[i]) or 0, i))
            if (self._dictionary.get(wrong[at]) or 0) > COMMON_CHARACTER and len(wrong) > 1:
                at = min(max(at - 1, 0), len(wrong) - 2)
                signature = wrong[at : at + 2]
            else:
                signature = wrong[at]
            self._respellings.setdefault(signature, []).append((wrong, right))
        singles = "".join(sorted(k for k in self._respellings if len(k) == 1))
        scan = ([f"[{re.escape(singles)}]"] if singles else []) + [
            re.escape(k) for k in sorted(self._respellings) if len(k) > 1
        ]
        self._respelling_scan = re.compile("|".join(scan)).search
        self._log_p: dict[str, float] = {}  # log probability of a dictionary word (jieba's calc)
        # keyword → [(category id, weight)]: event words and, apart, place words (sum scoring only).
        self._weights: dict[str, list[tuple[str, float]]] = {}
        self._places: dict[str, list[tuple[str, float]]] = {}
        for category in self.categories.values():
            for keyword, weight in self._respelled(category.keywords).items():
                self._weights.setdefault(keyword, []).append((category.id, weight))
            for word, weight in self._respelled(category.places).items():
                self._places.setdefault(word, []).append((category.id, weight))
        if self._places and scoring != SUM_SCORING:
            raise TaxonomyError(f"places (tie-breaking place words) need scoring {SUM_SCORING!r}")
        self._urgent_by_word: dict[str, list[UrgentKind]] = {}
        respelled_kinds = [
            UrgentKind(
                kind.name,
                tuple(self.respell(word) for word in kind.keywords),
                kind.department,
                tuple(self.respell(phrase) for phrase in kind.not_when),
            )
            for kind in self.urgent_kinds
        ]
        for kind, respelled in zip(self.urgent_kinds, respelled_kinds, strict=True):
            for word in respelled.keywords:
                if word and kind not in self._urgent_by_word.setdefault(word, []):
                    self._urgent_by_word[word].append(kind)
        # (kind, word of a keyword) → its not_when phrases, ready to test one occurrence (_Mask).
        self._masks: dict[tuple[str, str], _Mask] = {}
        for kind in respelled_kinds:
            for word, phrases in kind.exclusions().items():
                self._masks[kind.name, word] = _Mask(word, phrases)
        self._urgent_keys = frozenset(self._urgent_by_word)
        # keyword → its parts, each the (word, word without spaces) of its alternatives.
        self._urgent_parts = {
            word: tuple(tuple((a, _compact(a)) for a in _alternatives(part)) for part in _parts(word))
            for word in self._urgent_by_word
        }
        vocabulary = list(dict.fromkeys(itertools.chain(self._weights, self._places, self._urgent_by_word)))
        # "A+B" keywords: found when each part is found; the parts are matched like keywords, and
        # a part "A|B" is found when either word is. Registered under each word of its rarest part
        # (by jieba's word frequency: 化粪池 rather than 小区), so a common word found in the text
        # does not make the matcher check every combination that holds it; the others are checked.
        self._conjunctions: dict[str, list[tuple[str, tuple[frozenset[str], ...]]]] = {}
        words: list[str] = []
        for keyword in vocabulary:
            if not _is_compound(keyword):
                words.append(keyword)
                continue
            parts = tuple(dict.fromkeys(tuple(_alternatives(part)) for part in _parts(keyword)))
            if (CONJUNCTION in keyword and len(parts) < 2) or not all(parts):
                raise TaxonomyError(
                    f"keyword {keyword!r}: {CONJUNCTION} and {ALTERNATIVE} need a word on each side"
                )
            trigger = min(parts, key=lambda words: max(self._dictionary.get(_compact(w)) or 0 for w in words))
            others = tuple(frozenset(words) for words in parts if words is not trigger)
            for word in trigger:
                self._conjunctions.setdefault(word, []).append((keyword, others))
            words.extend(word for alternatives in parts for word in alternatives)
        self._conjunction_keys = frozenset(self._conjunctions)
        # Every keyword written as one word is a word for jieba, so the text is cut around it.
        # dictionary_words: the shipped vocabulary when this is a learned file, so the text is cut
        # as it was when the file was learned.
        for word in itertools.chain(words, map(self.respell, dictionary_words)):
            if " " not in word and len(word) > 1 and not self._dictionary.get(word):
                self.tokenizer.add_word(word, KEYWORD_FREQ)
        self._log_total = math.log(self.tokenizer.total)
        # A category keyword inside a longer one found at the same place (垃圾 in 垃圾桶, 外卖 in
        # 外卖盒, 单车 in 共享单车) counts only through the longer one: keyword → the longer ones.
        plain = {_compact(k): k for k in itertools.chain(self._weights, self._places) if not _is_compound(k)}
        holds: dict[str, dict[str, tuple[str, str, int]]] = {}
        for compact, keyword in plain.items():
            for length in range(1, len(compact)):
                for start in range(len(compact) - length + 1):
                    piece = compact[start : start + length]
                    shorter = plain.get(piece)
                    if shorter is not None:  # (its text, the longer one's text, times inside it)
                        holds.setdefault(keyword, {})[shorter] = (piece, compact, compact.count(piece))
        self._holds = holds
        self._holders = frozenset(holds)
        self._held = {longer: frozenset(shorter) for longer, shorter in holds.items()}
        # word tuple → the keywords it spells. A keyword is matched as written with spaces ("垃圾 清运":
        # these words next to each other), as jieba cuts it, and as one word, so a city can type
        # "垃圾清运" and a learned token is found as it was seen.
        grams: dict[tuple[str, ...], set[str]] = {}
        for keyword in words:
            for form in self._forms(keyword):
                if len(form) > MAX_PHRASE_WORDS:
                    raise TaxonomyError(
                        f"keyword {keyword!r} is {len(form)} words ({' '.join(form)}); "
                        f"at most {MAX_PHRASE_WORDS}: shorten it"
                    )
                grams.setdefault(form, set()).add(keyword)
        # Matching is set intersection per phrase length (C speed): {n: {word tuple or word: keywords}}.
        self._by_length: dict[int, dict[Any, tuple[str, ...]]] = {}
        for form, keywords in grams.items():
            key: Any = form[0] if len(form) == 1 else form
            self._by_length.setdefault(len(form), {})[key] = tuple(sorted(keywords))
        self._single = self._by_length.pop(1, {})
        self._pairs = self._by_length.pop(2, {})
        # frozenset.intersection(list) walks the short token list, not all the keywords. Most words
        # spell only themselves: those are found by the intersection alone.
        self._single_keys = frozenset(self._single)
        self._self_spelling = frozenset(w for w, keywords in self._single.items() if keywords == (w,))
        self._other_spelling = {w: k for w, k in self._single.items() if k != (w,)}
        self._pair_keys = frozenset(self._pairs)
        self._pair_firsts = frozenset(first for first, _ in self._pairs)
        self._longer_firsts = {
            n: frozenset(form[0] for form in table) for n, table in self._by_length.items()
        }
        self._place_keys = frozenset(self._places)
        self._weight_keys = frozenset(self._weights)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, data_dir: Path, categories_file: Path | None = None) -> ComplaintClassifier:
        """The shipped taxonomy (or a learned file instead of complaint_categories.yaml)."""
        departments = load_departments(data_dir / "departments.yaml")
        shipped = data_dir / "complaint_categories.yaml"
        path = categories_file or shipped
        raw = _read_yaml(path)
        settings = raw.get("settings") or {}
        urgent = raw.get("urgent") or {}
        categories = [
            _category(path, i, entry, departments) for i, entry in enumerate(raw.get("categories") or [])
        ]
        if not categories:
            raise TaxonomyError(f"{path}: no categories")
        kinds = [_urgent_kind(path, i, entry) for i, entry in enumerate(urgent.get("kinds") or [])]
        for kind in kinds:
            if kind.department is not None and kind.department not in departments:
                raise TaxonomyError(
                    f"{path}: urgent kind {kind.name} names unknown department {kind.department!r}"
                )
        try:
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
                dictionary_words=_words(_read_yaml(shipped)) if path != shipped and shipped.is_file() else (),
                spellings=_spellings(path, raw.get("spellings")),
            )
        except TaxonomyError as error:
            raise TaxonomyError(f"{path}: {error}") from None

    # ------------------------------------------------------------------ classifying
    def respell(self, text: str) -> str:
        """The text with every spelling of ``spellings`` replaced by the keywords' spelling."""
        if not self._respellings or self._respelling_scan(text) is None:
            return text
        candidates = [pair for key, pairs in self._respellings.items() if key in text for pair in pairs]
        for wrong, right in sorted(candidates, key=lambda pair: -len(pair[0])):  # longest first
            if wrong in text:
                text = text.replace(wrong, right)
        return text

    def _respelled(self, weights: Mapping[str, float]) -> dict[str, float]:
        """Keywords respelled; two that become one (冇人清, 没人清) keep the larger weight."""
        respelled: dict[str, float] = {}
        for keyword, weight in weights.items():
            word = self.respell(keyword)
            respelled[word] = max(respelled.get(word, float(weight)), float(weight))
        return respelled

    def tokens(self, text: str) -> list[str]:
        """The words of the text (respelled), then the words inside its compounds (see segment)."""
        words, pieces = self.segment(self.respell(text))
        return words + pieces if pieces else words

    def segment(self, text: str) -> tuple[list[str], list[str]]:
        """jieba's precise cut without HMM (``Tokenizer.cut(text, HMM=False)``, whitespace dropped)
        and, for every word of three or more characters, the dictionary words of two and three
        characters inside it, as jieba's search mode adds them (化工厂 → 化工、工厂; every keyword
        is in the dictionary). The same dictionary, graph and route as jieba, in one pass: the
        pieces come from the graph already built, and the classifier keeps pace with a bare cut.
        tests/test_classifier_taxonomy.py checks it against jieba word for word."""
        words: list[str] = []
        pieces: list[str] = []
        dictionary = self._dictionary
        log_p = self._log_p
        log_total = self._log_total
        for block in _HAN.split(text):
            if not block:
                continue
            if not _HAN.match(block):  # punctuation and symbols one by one, whitespace dropped
                words.extend(ch for ch in block if not ch.isspace())
                continue
            size = len(block)
            # jieba's DAG (where each dictionary word from k ends) and its calc (the most probable
            # cut from k on: log P of the word + the best score after it; ties: the longer word),
            # in one pass from the end, since the score after a word is known by then.
            ends: list[list[int]] = [[]] * size
            score = [0.0] * (size + 1)
            route = [0] * size
            for k in range(size - 1, -1, -1):
                found = []
                best = -math.inf
                best_end = k
                i = k
                fragment = block[k]
                frequency = dictionary.get(fragment)
                while frequency is not None:  # a word or the prefix of one (frequency 0)
                    if frequency:
                        found.append(i)
                        value = log_p.get(fragment)
                        if value is None:
                            value = log_p[fragment] = math.log(frequency) - log_total
                        value += score[i + 1]
                        if value > best or (value == best and i > best_end):
                            best, best_end = value, i
                    i += 1
                    if i == size:
                        break
                    fragment = block[k : i + 1]
                    frequency = dictionary.get(fragment)
                if not found:  # an unknown character: a word of its own, frequency 1
                    found.append(k)
                    best = -log_total + score[k + 1]
                ends[k] = found
                score[k] = best
                route[k] = best_end + 1
            k = 0
            latin = ""
            while k < size:
                end = route[k]
                if end == k + 1 and block[k].isascii() and block[k].isalnum():
                    latin += block[k]  # letters and digits run together, as jieba joins them
                else:
                    if latin:
                        words.append(latin)
                        latin = ""
                    words.append(block[k:end])
                    if end - k > 2:
                        for j in range(k, end):
                            for x in ends[j]:
                                if 0 < x - j < 3 and x < end and (j > k or x < end - 1):
                                    pieces.append(block[j : x + 1])
                k = end
            if latin:
                words.append(latin)
        return words, pieces

    def _forms(self, keyword: str) -> set[tuple[str, ...]]:
        spaced = tuple(keyword.split())
        joined = "".join(spaced)
        cut = tuple(self.segment(joined)[0])
        return {form for form in (spaced, cut, (joined,)) if form and form[0]}

    def matched_keywords(self, tokens: list[str]) -> set[str]:
        """Every keyword (event, place or urgent) present in the token list, phrases included."""
        found = set(self._self_spelling.intersection(tokens))
        others = self._other_spelling
        if others:
            for hit in others.keys() & tokens:
                found.update(others[hit])
        if not self._pair_firsts.isdisjoint(tokens):
            pairs = self._pairs
            for hit in self._pair_keys.intersection(itertools.pairwise(tokens)):
                found.update(pairs[hit])
        for n, table in self._by_length.items():  # phrases of 3 words and more: rare
            if self._longer_firsts[n].isdisjoint(tokens):
                continue
            for hit in table.keys() & set(zip(*(tokens[i:] for i in range(n)), strict=False)):
                found.update(table[hit])
        for trigger in self._conjunction_keys.intersection(found):
            for keyword, rest in self._conjunctions[trigger]:
                for alternatives in rest:
                    if found.isdisjoint(alternatives):
                        break
                else:
                    found.add(keyword)
        return found

    def _outermost(self, text: str, matched: set[str]) -> set[str]:
        """The matched keywords less those found only inside a longer matched keyword: a shorter one
        counts when the text holds it more often than the longer ones found hold it."""
        holders = self._holders.intersection(matched)
        if not holders:
            return matched
        inside: dict[str, list[tuple[str, str, int]]] = {}
        for longer in holders:
            holds = self._holds[longer]
            for shorter in self._held[longer].intersection(matched):
                inside.setdefault(shorter, []).append(holds[shorter])
        if not inside:
            return matched
        compact = _compact(text)
        dropped = {
            shorter
            for shorter, hows in inside.items()
            if compact.count(hows[0][0]) <= sum(compact.count(whole) * times for _, whole, times in hows)
        }
        return matched - dropped if dropped else matched

    def event_keywords(self, text: str) -> set[str]:
        """The event keywords the shipped scoring counts in the text (respelled, each once, none
        found only inside a longer keyword found): what a category's score sums the weights of."""
        text = self.respell(text)
        matched = self.matched_keywords(self.tokens(text))
        return set(self._weight_keys.intersection(self._outermost(text, matched)))

    def keyword_weights(self) -> dict[str, dict[str, float]]:
        """Category id → event keyword (respelled) → weight, as the classifier scores them."""
        weights: dict[str, dict[str, float]] = {c: {} for c in self.categories}
        for keyword, pairs in self._weights.items():
            for category_id, weight in pairs:
                weights[category_id][keyword] = weight
        return weights

    def classify(self, text: str) -> Classification:
        if self._respellings and self._respelling_scan(text) is not None:
            text = self.respell(text)
        words, pieces = self.segment(text)
        tokens = words + pieces if pieces else words
        matched = self.matched_keywords(tokens)
        kinds = [] if self._urgent_keys.isdisjoint(matched) else self._urgent_kinds(text, matched)
        if self.scoring != SUM_SCORING:
            return self._classify_learned(tokens, matched, kinds)
        scored = self._outermost(text, matched)
        scores: dict[str, float] = {}
        hits: dict[str, list[tuple[float, str]]] = {}
        weights = self._weights
        for keyword in self._weight_keys.intersection(scored):
            for category_id, weight in weights[keyword]:
                if category_id in scores:
                    scores[category_id] += weight
                    hits[category_id].append((weight, keyword))
                else:
                    scores[category_id] = weight
                    hits[category_id] = [(weight, keyword)]
        places: dict[str, float] = {}
        place_hits: dict[str, list[tuple[float, str]]] = {}
        for word in self._place_keys.intersection(scored):
            for category_id, weight in self._places[word]:
                places[category_id] = places.get(category_id, 0.0) + weight
                place_hits.setdefault(category_id, []).append((weight, word))
        best_id, confidence, triage, placed = self._decide_sum(scores, places)
        for category_id in placed:
            hits.setdefault(category_id, []).extend(place_hits[category_id])
        return self._result(best_id, confidence, triage, kinds, hits, scores)

    def _classify_learned(
        self, tokens: list[str], matched: set[str], kinds: list[UrgentKind]
    ) -> Classification:
        """Learned files: bias + Σ weight (× length scale, or × tf-idf value), softmax confidence."""
        scale = 1.0
        if self.scoring == LINEAR_SCORING and self.length_norm_words and tokens:
            scale = math.sqrt(self.length_norm_words / len(tokens))
        values = self.tfidf_values(tokens, matched) if self.scoring == TFIDF_SCORING else None
        scores: dict[str, float] = {}
        hits: dict[str, list[tuple[float, str]]] = {}
        for keyword in self._weight_keys.intersection(matched):
            if values is not None:
                scale = values.get(keyword, 0.0)
            for category_id, weight in self._weights[keyword]:
                scores[category_id] = scores.get(category_id, 0.0) + weight * scale
                hits.setdefault(category_id, []).append((weight, keyword))
        best_id, confidence, triage = self._decide_linear(scores, bool(hits))
        return self._result(best_id, confidence, triage, kinds, hits, scores)

    def _result(
        self,
        best_id: str,
        confidence: float,
        triage: bool,
        kinds: list[UrgentKind],
        hits: dict[str, list[tuple[float, str]]],
        scores: dict[str, float],
    ) -> Classification:
        """The decision with its keywords (strongest first), department and time limit."""
        if triage:
            found = [hit for category_hits in hits.values() for hit in category_hits if hit[0] > 0]
        else:
            found = [hit for hit in hits.get(best_id, ()) if hit[0] > 0]
        found.sort(reverse=True)
        keywords = tuple(dict.fromkeys(word for _, word in found))
        urgent = bool(kinds)
        if triage:
            category_id, name = TRIAGE_ID, self.triage_name
            hours = self.triage_time_limit_hours
        else:
            category = self.categories[best_id]
            category_id, name = category.id, category.name
            hours = category.time_limit_hours
        department = self.department_for(category_id, [kind.name for kind in kinds])
        return Classification(
            category_id,
            name,
            department,
            self._department_name(department),
            confidence,
            urgent,
            tuple(kind.name for kind in kinds),
            keywords,
            self.urgent_time_limit_hours if urgent else hours,
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
        """The one-vote-veto kinds the text reports, in file order."""
        return self._urgent_kinds(self.respell(text), self.matched_keywords(self.tokens(text)))

    def _urgent_kinds(self, text: str, matched: set[str]) -> list[UrgentKind]:
        hits = self._urgent_keys.intersection(matched)
        if not hits:
            return []
        words: dict[str, list[str]] = {}
        for word in hits:
            for kind in self._urgent_by_word[word]:
                words.setdefault(kind.name, []).append(word)
        compact = "".join(text.split())
        found = []
        for kind in self.urgent_kinds:
            kind_words = words.get(kind.name)
            if kind_words and any(
                all(
                    any(self._unmasked(kind.name, compact, bare) for word, bare in part if word in matched)
                    for part in self._urgent_parts[keyword]
                )
                for keyword in kind_words
            ):
                found.append(kind)
        return found

    def _unmasked(self, kind: str, compact: str, word: str) -> bool:
        """Whether the word occurs outside every not_when phrase of the kind (another sense)."""
        mask = self._masks.get((kind, word))
        if mask is None:
            return True
        starts = _starts(compact, word)
        return not starts or any(not mask.covers(compact, start) for start in starts)

    def department_for(self, category_id: str, urgent_kinds: Sequence[str] = ()) -> str:
        """The department that handles a report of this category. A report of 其他 or 待分拣 goes to
        the first of its urgent kinds that names a department (黄赌毒 → police); any other category
        keeps its own department, urgent or not."""
        category = self.categories.get(category_id)
        if category is not None and category_id != self.other_category:
            return category.department
        by_name = {kind.name: kind for kind in self.urgent_kinds}
        for name in urgent_kinds:
            kind = by_name.get(name)
            if kind is not None and kind.department in self.departments:
                return kind.department
        return category.department if category is not None else self.triage_department

    def _decide_sum(
        self, scores: dict[str, float], places: dict[str, float]
    ) -> tuple[str, float, bool, list[str]]:
        """Shipped taxonomy: the best sum of event words wins unless too weak or the runner-up too
        close. Place words decide only when no event word matched, and otherwise only break a tie
        among the categories the event words left within the margin. Also returns the categories
        whose place words counted."""
        placed: list[str] = []
        if not scores and places:
            scores.update(places)
            placed = list(places)
        best_id, best, runner_up = _top_two(scores)
        if places and not placed and runner_up > best * (1 - self.min_margin):
            tied = [c for c, score in scores.items() if score > best * (1 - self.min_margin)]
            placed = [c for c in tied if c in places]
            for category_id in placed:
                scores[category_id] += places[category_id]
            best_id, best, runner_up = _top_two({c: scores[c] for c in tied})
        confidence = best / (best + max(runner_up, 0.0) + 1.0) if best > 0 else 0.0
        too_weak = best < self.min_score
        too_close = best > 0 and (best - runner_up) / best < self.min_margin
        return best_id, confidence, too_weak or too_close or confidence < self.min_confidence, placed

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


def _top_two(scores: Mapping[str, float]) -> tuple[str, float, float]:
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


class _Mask:
    """The not_when phrases of one word of an urgent kind. A phrase without a space is the word
    with fixed text before and after it: checked by looking at the text around an occurrence (one
    set lookup per length of that text). A phrase with spaces (anything within the clause) is a
    regex, tried only when its longest fixed part is in the text."""

    def __init__(self, word: str, phrases: Iterable[str]) -> None:
        self.size = len(word)
        self.around: dict[tuple[int, int], set[tuple[str, str]]] = {}
        self.gapped: list[tuple[str, str]] = []  # (anchor, regex), compiled when first needed
        for phrase in phrases:
            if phrase.split() == [phrase]:
                at = phrase.find(word)
                while at >= 0:
                    before, after = phrase[:at], phrase[at + self.size :]
                    self.around.setdefault((len(before), len(after)), set()).add((before, after))
                    at = phrase.find(word, at + 1)
            else:
                parts = phrase.split()
                pattern = _CLAUSE_GAP.join(map(re.escape, parts))
                anchor = max((part for part in parts if part != word), key=len, default=word)
                self.gapped.append((anchor, f"(?=({pattern}))"))

    def covers(self, text: str, start: int) -> bool:
        end = start + self.size
        for (before, after), pairs in self.around.items():
            if start >= before and (text[start - before : start], text[end : end + after]) in pairs:
                return True
        for anchor, pattern in self.gapped:
            if anchor in text:
                for m in _compiled(pattern).finditer(text):
                    if m.start() <= start and end <= m.start() + len(m.group(1)):
                        return True
        return False


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A not_when phrase's regex, compiled the first time a text holds its anchor: the taxonomy has
    some 18,000 of them ("差点 …" once per keyword) and compiling them all took seconds at load."""
    return re.compile(pattern)


def _parts(keyword: str) -> list[str]:
    """The parts of an "A+B" keyword (the keyword itself otherwise)."""
    return [p.strip() for p in keyword.split(CONJUNCTION) if p.strip()] or [keyword]


def _alternatives(part: str) -> list[str]:
    """The words of an "A|B" part (the part itself otherwise)."""
    return [a.strip() for a in part.split(ALTERNATIVE) if a.strip()]


def _words_of(keyword: str) -> list[str]:
    """Every word an "A|B+C" keyword is made of (the keyword itself for a plain one)."""
    return [word for part in _parts(keyword) for word in _alternatives(part)]


def _is_compound(keyword: str) -> bool:
    return CONJUNCTION in keyword or ALTERNATIVE in keyword


def _compact(text: str) -> str:
    """The text without whitespace: a phrase keyword "燃气 泄漏" is found as 燃气泄漏."""
    return "".join(text.split())


def _occurs_outside(text: str, word: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the word occurs in the text at least once outside every span (a word the text does
    not hold literally counts as outside: a report is never lost to this)."""
    starts = _starts(text, word)
    if not starts:
        return True
    return any(not any(a <= start and start + len(word) <= b for a, b in spans) for start in starts)


def _starts(text: str, word: str) -> list[int]:
    starts: list[int] = []
    start = text.find(word)
    while start >= 0:
        starts.append(start)
        start = text.find(word, start + 1)
    return starts


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
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


def _spellings(path: Path, raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    try:
        return {str(k): str(v) for k, v in raw.items()}
    except (TypeError, ValueError, AttributeError) as error:
        raise TaxonomyError(f"{path}: spellings is malformed ({error})") from None


def _check_spellings(spellings: Mapping[str, str]) -> dict[str, str]:
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


def _words(raw: dict[str, Any]) -> list[str]:
    """Every keyword, place word and urgent word of a categories file, "A+B" split into words."""
    keywords: list[str] = []
    for entry in raw.get("categories") or []:
        for group in (entry.get("covers") or {}).values():
            keywords.extend(map(str, group or {}))
        keywords.extend(map(str, entry.get("keywords") or {}))
        keywords.extend(map(str, entry.get("places") or {}))
    for kind in (raw.get("urgent") or {}).get("kinds") or []:
        keywords.extend(map(str, kind.get("keywords") or ()))
    return [word for keyword in keywords for word in _words_of(keyword)]


def _weights(raw: Any) -> dict[str, float]:
    return {str(k): float(v) for k, v in (raw or {}).items()}


def _category(path: Path, i: int, entry: Any, departments: Mapping[str, Department]) -> Category:
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


def _urgent_kind(path: Path, i: int, entry: Any) -> UrgentKind:
    try:
        kind = UrgentKind(
            str(entry["name"]),
            tuple(str(w) for w in entry.get("keywords") or ()),
            str(entry["department"]) if entry.get("department") else None,
            tuple(str(p) for p in entry.get("not_when") or ()),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise TaxonomyError(f"{path}: urgent kind #{i + 1} is malformed ({error})") from None
    words = [_compact(word) for k in kind.keywords for word in _words_of(k)]
    for phrase in kind.not_when:  # an exclusion masks the keywords inside it, so it must hold one
        if EXCLUSION_SLOT not in phrase and not any(w in _compact(phrase) for w in words):
            raise TaxonomyError(
                f"{path}: urgent kind {kind.name}: not_when {phrase!r} contains none of its keywords, "
                "so it would never exclude anything"
            )
    return kind
