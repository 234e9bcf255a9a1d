"""Finding the keywords in a cut complaint: one table keyed by the words a keyword can start with,
each entry holding what the classifier needs to know of the keywords found there.

Speed: ``classify`` runs beside jieba's dictionary (some 580,000 words), so its own tables are
mostly out of the processor's caches when a complaint arrives. A token is therefore looked up at
most once, in one table (``classify`` gets most entries from the cut itself, which finds them on
the dictionary's marked words: ``segmenter.Marked``); a keyword found comes with its record
(weights, place weights, urgency, the keywords inside it, the "A+B" keywords it may complete) and
needs no further look-up.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from bot.services.classifier.keywords import is_compound, without_spaces


class Keyword(NamedTuple):
    """What the classifier knows of one keyword (the defaults: a word only other keywords use)."""

    word: str  # the keyword as the categories file writes it (respelled)
    weights: tuple[tuple[str, float], ...] = ()  # (category id, weight): an event word
    places: tuple[tuple[str, float], ...] = ()  # (category id, weight): a place word
    urgent: bool = False  # a word of an urgent kind
    # shorter category keyword inside it → (its text, this one's text, times inside): see counted
    inside: Mapping[str, tuple[str, str, int]] | None = None
    # the "A+B" keywords this word triggers: (its record, the other parts' alternatives)
    conjunctions: tuple[tuple[Keyword, tuple[frozenset[str], ...]], ...] = ()
    idf: float | None = None  # its idf in a learned file (scoring tfidf)


class Lead(NamedTuple):
    """A token that spells several keywords, one other than itself, or starts a phrase."""

    alone: tuple[Keyword, ...]  # the keywords the token spells by itself
    starts: int  # bit n set when it starts a phrase of n words


Found = dict[str, Keyword]  # keyword → its record, in the order found


class KeywordMatcher:
    """Every form of every keyword (a word, or several words next to each other) by its first word.

    ``forms``: word tuple → the keywords it spells; ``records``: keyword → its record (a keyword
    without one gets a record of its word alone); ``conjunctions``: trigger word → the "A+B"
    keywords it starts, each with the alternatives of its other parts.
    """

    def __init__(
        self,
        forms: Mapping[tuple[str, ...], Iterable[str]],
        records: Mapping[str, Keyword],
        conjunctions: Mapping[str, Iterable[tuple[str, tuple[frozenset[str], ...]]]],
    ) -> None:
        complete = dict(records)

        def record(keyword: str) -> Keyword:
            return complete.get(keyword) or Keyword(keyword)

        for word, combinations in conjunctions.items():
            complete[word] = record(word)._replace(
                conjunctions=tuple((record(keyword), others) for keyword, others in combinations)
            )
        alone: dict[str, dict[str, Keyword]] = {}
        starts: dict[str, int] = {}
        self._phrases: dict[int, dict[tuple[str, ...], tuple[Keyword, ...]]] = {}
        for form, keywords in forms.items():
            spelled = [record(keyword) for keyword in sorted(keywords)]
            if len(form) == 1:
                alone.setdefault(form[0], {}).update((r.word, r) for r in spelled)
            else:
                self._phrases.setdefault(len(form), {})[form] = tuple(spelled)
                starts[form[0]] = starts.get(form[0], 0) | 1 << len(form)
        # first word → its record when it spells only itself (most words: one object to read once
        # the token is found), else a Lead.
        self._lead: dict[str, Keyword | Lead] = {}
        for word in alone.keys() | starts.keys():
            own = tuple(alone.get(word, {}).values())
            if word not in starts and len(own) == 1 and own[0].word == word:
                self._lead[word] = own[0]
            else:
                self._lead[word] = Lead(own, starts.get(word, 0))

    def entries(self) -> Iterable[tuple[str, Keyword | Lead]]:
        """(first word, its entry): what a cut may carry on the dictionary's words (``Marked``)."""
        return self._lead.items()

    def match(self, tokens: list[str]) -> Found:
        """Every keyword present in the token list: words, phrases (their words next to each other)
        and "A+B" keywords (each part found anywhere)."""
        lead = self._lead
        return self._found(tokens, [lead[token] for token in lead.keys() & tokens])

    def match_cut(self, tokens: list[str], marked: list[Keyword | Lead], unlooked: list[str]) -> Found:
        """The same as ``match`` for a cut that carried the entries of its marked words: only the
        words the cut never looked up are looked up here."""
        if unlooked:
            lead = self._lead
            marked.extend(lead[token] for token in lead.keys() & unlooked)
        return self._found(tokens, marked)

    def _found(self, tokens: list[str], entries: Iterable[Keyword | Lead]) -> Found:
        found: Found = {}
        starts = 0
        for entry in entries:
            if isinstance(entry, Keyword):
                found[entry.word] = entry
            else:
                for record in entry.alone:
                    found[record.word] = record
                starts |= entry.starts
        if starts:
            for n, table in self._phrases.items():
                if starts & (1 << n):
                    grams = (
                        itertools.pairwise(tokens)
                        if n == 2
                        else zip(*(tokens[i:] for i in range(n)), strict=False)
                    )
                    for form in table.keys() & set(grams):
                        for record in table[form]:
                            found[record.word] = record
        triggered = [record.conjunctions for record in found.values() if record.conjunctions]
        for combinations in triggered:
            for record, others in combinations:
                if all(not found.keys().isdisjoint(alternatives) for alternatives in others):
                    found[record.word] = record
        return found


def keywords_inside(keywords: Iterable[str]) -> dict[str, dict[str, tuple[str, str, int]]]:
    """A category keyword inside a longer one found at the same place (垃圾 in 垃圾桶, 外卖 in
    外卖盒, 单车 in 共享单车) counts only through the longer one: longer keyword → shorter keyword →
    (the shorter one's text, the longer one's text, times inside it)."""
    plain = {without_spaces(k): k for k in keywords if not is_compound(k)}
    inside: dict[str, dict[str, tuple[str, str, int]]] = {}
    for compact, keyword in plain.items():
        for length in range(1, len(compact)):
            for start in range(len(compact) - length + 1):
                piece = compact[start : start + length]
                shorter = plain.get(piece)
                if shorter is not None:
                    inside.setdefault(keyword, {})[shorter] = (piece, compact, compact.count(piece))
    return inside


def counted(text: str, found: Found) -> Found:
    """The keywords found less those found only inside a longer keyword found: a shorter one
    counts when the text holds it more often than the longer ones found hold it."""
    inside: dict[str, list[tuple[str, str, int]]] = {}
    for record in found.values():
        if record.inside:
            for shorter, how in record.inside.items():
                if shorter in found:
                    inside.setdefault(shorter, []).append(how)
    if not inside:
        return found
    compact = without_spaces(text)
    dropped = {
        shorter
        for shorter, hows in inside.items()
        if compact.count(hows[0][0]) <= sum(compact.count(whole) * times for _, whole, times in hows)
    }
    return {k: record for k, record in found.items() if k not in dropped} if dropped else found
