"""The classifier: the taxonomy turned into lookup tables at load, then each complaint respelled,
cut, matched against them and scored (the package docstring says how it sorts)."""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jieba

from bot.segmentation import new_tokenizer
from bot.services.classifier.fallback import LearnedFallback
from bot.services.classifier.keywords import (
    ALTERNATIVE,
    CONJUNCTION,
    is_compound,
    keyword_parts,
    occurrences,
    part_alternatives,
    without_spaces,
)
from bot.services.classifier.masks import ExclusionMask
from bot.services.classifier.matching import Found, Keyword, KeywordMatcher, Lead, counted, keywords_inside
from bot.services.classifier.scoring import decide_linear, decide_sum, tfidf_values
from bot.services.classifier.segmenter import Marked, cut_with_pieces
from bot.services.classifier.taxonomy import (
    LINEAR_SCORING,
    SCORINGS,
    SUM_SCORING,
    TFIDF_SCORING,
    TRIAGE_ID,
    Category,
    Classification,
    Department,
    TaxonomyError,
    UrgentKind,
    check_spellings,
    load_departments,
    read_category,
    read_idf,
    read_spellings,
    read_urgent_kind,
    read_yaml,
    shipped_words,
)

MAX_PHRASE_WORDS = 6  # a keyword cut into more words than this is refused at load
# How often jieba is told a keyword occurs (as the user dictionary does): enough to keep it whole
# against a split into single characters (拦污网上 → 拦污网/上, not 拦/污/网上), too little to
# break a real dictionary word around it (争吵得 stays 争吵/得 beside the keyword 吵得).
KEYWORD_FREQ = 20
COMMON_CHARACTER = 5000  # a character jieba counts more often than this keys no spelling alone

jieba.setLogLevel(logging.WARNING)


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
        triage_name: str = TRIAGE_ID,
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
        fallback: LearnedFallback | None = None,
    ) -> None:
        if scoring not in SCORINGS:
            raise TaxonomyError(f"unknown scoring {scoring!r} (expected one of {', '.join(SCORINGS)})")
        self.categories = {c.id: c for c in categories}
        # Other spellings residents type (拉圾, 燥音, 冇) → the one the keywords use (垃圾, 噪音, 没):
        # replaced in the complaint and in every keyword and not_when phrase, longest first.
        self.spellings = check_spellings(spellings or {})
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
        self.fallback = fallback
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
        self._masks: dict[tuple[str, str], ExclusionMask] = {}
        for kind in respelled_kinds:
            for word, phrases in kind.exclusions().items():
                self._masks[kind.name, word] = ExclusionMask(word, phrases)
        # keyword → its parts, each the (word, word without spaces) of its alternatives.
        self._urgent_parts = {
            word: tuple(
                tuple((a, without_spaces(a)) for a in part_alternatives(part)) for part in keyword_parts(word)
            )
            for word in self._urgent_by_word
        }
        vocabulary = list(dict.fromkeys(itertools.chain(self._weights, self._places, self._urgent_by_word)))
        # "A+B" keywords: found when each part is found; the parts are matched like keywords, and
        # a part "A|B" is found when either word is. Registered under each word of its rarest part
        # (by jieba's word frequency: 化粪池 rather than 小区), so a common word found in the text
        # does not make the matcher check every combination that holds it; the others are checked.
        conjunctions: dict[str, list[tuple[str, tuple[frozenset[str], ...]]]] = {}
        words: list[str] = []
        for keyword in vocabulary:
            if not is_compound(keyword):
                words.append(keyword)
                continue
            parts = tuple(dict.fromkeys(tuple(part_alternatives(part)) for part in keyword_parts(keyword)))
            if (CONJUNCTION in keyword and len(parts) < 2) or not all(parts):
                raise TaxonomyError(
                    f"keyword {keyword!r}: {CONJUNCTION} and {ALTERNATIVE} need a word on each side"
                )
            trigger = min(
                parts, key=lambda words: max(self._dictionary.get(without_spaces(w)) or 0 for w in words)
            )
            others = tuple(frozenset(words) for words in parts if words is not trigger)
            for word in trigger:
                conjunctions.setdefault(word, []).append((keyword, others))
            words.extend(word for alternatives in parts for word in alternatives)
        # Every keyword written as one word is a word for jieba, so the text is cut around it.
        # dictionary_words: the shipped vocabulary when this is a learned file, so the text is cut
        # as it was when the file was learned.
        for word in itertools.chain(words, map(self.respell, dictionary_words)):
            if " " not in word and len(word) > 1 and not self._dictionary.get(word):
                self.tokenizer.add_word(word, KEYWORD_FREQ)
        self._log_total = math.log(self.tokenizer.total)
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
        inside = keywords_inside(itertools.chain(self._weights, self._places))
        records = {
            keyword: Keyword(
                keyword,
                tuple(self._weights.get(keyword, ())),
                tuple(self._places.get(keyword, ())),
                keyword in self._urgent_by_word,
                inside.get(keyword),
                idf=self.idf.get(keyword),
            )
            for keyword in vocabulary
        }
        self._matcher = KeywordMatcher(grams, records, conjunctions)
        # Each first word of a keyword carries its entry on its dictionary frequency, so classify
        # finds the keywords while cutting (the frequency is unchanged: jieba cuts as before).
        for word, entry in self._matcher.entries():
            frequency = self._dictionary.get(word)
            if frequency:
                self._dictionary[word] = Marked(frequency, entry)
        self._biases = tuple((c.id, c.bias) for c in self.categories.values())  # learned files
        # What a decision without urgent kinds comes to: category id → (id, name, department, its
        # name, time limit), the fields of a Classification around the confidence.
        self._outcomes = {
            category_id: (category_id, name, department, self._department_name(department), hours)
            for category_id, name, hours in itertools.chain(
                ((TRIAGE_ID, self.triage_name, self.triage_time_limit_hours),),
                ((c.id, c.name, c.time_limit_hours) for c in self.categories.values()),
            )
            for department in (self.department_for(category_id),)
        }

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(
        cls, data_dir: Path, categories_file: Path | None = None, *, fallback: bool = True
    ) -> ComplaintClassifier:
        """The shipped taxonomy (or a learned file instead of complaint_categories.yaml); without
        its learned fallback when ``fallback`` is false (learning one needs only the cut)."""
        departments = load_departments(data_dir / "departments.yaml")
        shipped = data_dir / "complaint_categories.yaml"
        path = categories_file or shipped
        raw = read_yaml(path)
        # A learned file is read with the shipped one beside it: its vocabulary cuts the text as it
        # was cut when the file was learned, and its triage name (the city's wording) is the default.
        reference = read_yaml(shipped) if path != shipped and shipped.is_file() else None
        shipped_settings = (reference if reference is not None else raw).get("settings") or {}
        settings = raw.get("settings") or {}
        urgent = raw.get("urgent") or {}
        categories = [
            read_category(path, i, entry, departments) for i, entry in enumerate(raw.get("categories") or [])
        ]
        if not categories:
            raise TaxonomyError(f"{path}: no categories")
        kinds = [read_urgent_kind(path, i, entry) for i, entry in enumerate(urgent.get("kinds") or [])]
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
                triage_name=str(settings.get("triage_name", shipped_settings.get("triage_name", TRIAGE_ID))),
                triage_department=settings.get("triage_department"),
                triage_time_limit_hours=float(settings.get("triage_time_limit_hours", 24)),
                other_category=settings.get("other_category"),
                userdict=data_dir / "userdict.txt",
                scoring=str(settings.get("scoring", SUM_SCORING)),
                min_confidence=float(settings.get("min_confidence", 0.0)),
                length_norm_words=float(settings.get("length_norm_words", 0.0)),
                idf=read_idf(path, raw.get("idf")),
                dictionary_words=shipped_words(reference) if reference is not None else (),
                spellings=read_spellings(path, raw.get("spellings")),
                fallback=cls._read_fallback(data_dir, settings, [c.id for c in categories])
                if fallback
                else None,
            )
        except TaxonomyError as error:
            raise TaxonomyError(f"{path}: {error}") from None

    @staticmethod
    def _read_fallback(
        data_dir: Path, settings: Mapping[str, Any], category_ids: list[str]
    ) -> LearnedFallback | None:
        """settings.fallback: a learned file in the data directory that decides the close calls."""
        name = settings.get("fallback")
        if not name or settings.get("scoring", SUM_SCORING) != SUM_SCORING:
            return None
        return LearnedFallback.read(
            data_dir / str(name),
            category_ids,
            margin=float(settings.get("fallback_margin", 0.3)),
            min_confidence=float(settings.get("fallback_min_confidence", 0.3)),
        )

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
        """The text's words as jieba cuts them (no HMM) and the dictionary words inside its long
        words (化工厂 → 化工、工厂): see ``segmenter.cut_with_pieces``."""
        return cut_with_pieces(text, self._dictionary, self._log_total)

    def _forms(self, keyword: str) -> set[tuple[str, ...]]:
        spaced = tuple(keyword.split())
        joined = "".join(spaced)
        cut = tuple(self.segment(joined)[0])
        return {form for form in (spaced, cut, (joined,)) if form and form[0]}

    def matched_keywords(self, tokens: list[str]) -> set[str]:
        """Every keyword (event, place or urgent) present in the token list, phrases included."""
        return set(self._matcher.match(tokens))

    def event_keywords(self, text: str) -> set[str]:
        """The event keywords the shipped scoring counts in the text (respelled, each once, none
        found only inside a longer keyword found): what a category's score sums the weights of."""
        text = self.respell(text)
        found = counted(text, self._cut_and_find(text)[1])
        return {keyword for keyword, record in found.items() if record.weights}

    def _cut_and_find(self, text: str) -> tuple[list[str], Found]:
        """The (respelled) text's tokens and the keywords in them, found through the cut's marks."""
        marked: list[Keyword | Lead] = []
        unlooked: list[str] = []
        words, pieces = cut_with_pieces(text, self._dictionary, self._log_total, marked, unlooked)
        tokens = words + pieces if pieces else words
        return tokens, self._matcher.match_cut(tokens, marked, unlooked)

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
        tokens, found = self._cut_and_find(text)
        urgent = any(record.urgent for record in found.values())
        kinds = self._urgent_kinds(text, found) if urgent else []
        if self.scoring != SUM_SCORING:
            return self._classify_learned(tokens, found, kinds)
        scores: dict[str, float] = {}
        hits: dict[str, list[tuple[float, str]]] = {}
        places: dict[str, float] = {}
        place_hits: dict[str, list[tuple[float, str]]] = {}
        for keyword, record in counted(text, found).items():
            for category_id, weight in record.weights:
                if category_id in scores:
                    scores[category_id] += weight
                    hits[category_id].append((weight, keyword))
                else:
                    scores[category_id] = weight
                    hits[category_id] = [(weight, keyword)]
            for category_id, weight in record.places:
                places[category_id] = places.get(category_id, 0.0) + weight
                place_hits.setdefault(category_id, []).append((weight, keyword))
        best_id, confidence, triage, placed = decide_sum(
            scores,
            places,
            min_score=self.min_score,
            min_margin=self.min_margin,
            min_confidence=self.min_confidence,
        )
        for category_id in placed:
            hits.setdefault(category_id, []).extend(place_hits[category_id])
        # An urgent report is routed by its kind when the words leave it open (其他, 待分拣): a
        # learned guess must not send 起火了，有人被困 to the environment bureau.
        if self.fallback is not None and not kinds:
            open_ids = self.fallback.open_categories(scores)
            choice = self.fallback.choose(tokens, open_ids) if open_ids else None
            if choice is not None:
                best_id, confidence, triage = choice.category_id, choice.confidence, False
                hits.setdefault(best_id, []).extend(choice.keywords)
        return self._result(best_id, confidence, triage, kinds, hits, scores)

    def _classify_learned(self, tokens: list[str], found: Found, kinds: list[UrgentKind]) -> Classification:
        """Learned files: bias + Σ weight (× length scale, or × tf-idf value), softmax confidence."""
        scale = 1.0
        if self.scoring == LINEAR_SCORING and self.length_norm_words and tokens:
            scale = math.sqrt(self.length_norm_words / len(tokens))
        values = None
        if self.scoring == TFIDF_SCORING:
            values = tfidf_values(tokens, ((k, r.idf) for k, r in found.items() if r.idf is not None))
        scores: dict[str, float] = {}
        hits: dict[str, list[tuple[float, str]]] = {}
        for keyword, record in found.items():
            if not record.weights:
                continue
            if values is not None:
                scale = values.get(keyword, 0.0)
            for category_id, weight in record.weights:
                scores[category_id] = scores.get(category_id, 0.0) + weight * scale
                hits.setdefault(category_id, []).append((weight, keyword))
        best_id, confidence, triage = decide_linear(
            self._biases, scores, bool(hits), min_confidence=self.min_confidence
        )
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
        category_id, name, department, department_name, hours = self._outcomes[
            TRIAGE_ID if triage else best_id
        ]
        if kinds:  # urgent: its time limit, and 其他 or 待分拣 go to the kind's department
            department = self.department_for(category_id, [kind.name for kind in kinds])
            department_name = self._department_name(department)
            hours = self.urgent_time_limit_hours
        return Classification(
            category_id,
            name,
            department,
            department_name,
            confidence,
            bool(kinds),
            tuple(kind.name for kind in kinds),
            keywords,
            hours,
            scores,
        )

    def tfidf_values(self, tokens: list[str], matched: Iterable[str]) -> dict[str, float]:
        """The unit-length tf-idf values of the keywords found (see ``scoring.tfidf_values``)."""
        return tfidf_values(tokens, ((k, self.idf[k]) for k in matched if k in self.idf))

    def urgent_kinds_in(self, text: str) -> list[UrgentKind]:
        """The one-vote-veto kinds the text reports, in file order."""
        return self._urgent_kinds(self.respell(text), self.matched_keywords(self.tokens(text)))

    def _urgent_kinds(self, text: str, matched: Collection[str]) -> list[UrgentKind]:
        hits = [word for word in matched if word in self._urgent_by_word]
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
        starts = occurrences(compact, word)
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

    def _department_name(self, department_id: str) -> str:
        department = self.departments.get(department_id)
        return department.name if department else department_id

    def category(self, category_id: str) -> Category | None:
        return self.categories.get(category_id)
