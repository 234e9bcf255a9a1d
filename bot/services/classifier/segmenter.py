"""jieba's precise cut without HMM, and the dictionary words inside its long words, in one pass."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import jieba

_HAN = jieba.re_han_default  # jieba's blocks: runs of CJK, letters, digits and +#&._%-


class Marked(float):
    """A word's dictionary frequency (the same number, so jieba cuts exactly as before) that also
    carries what the classifier knows of the word: the cut that looks the word up finds it too, so
    a keyword costs no second look-up in a table of its own (see ``cut_with_pieces``)."""

    __slots__ = ("entry",)
    entry: Any

    def __new__(cls, frequency: float, entry: Any) -> Marked:
        marked = super().__new__(cls, frequency)
        marked.entry = entry
        return marked


def cut_with_pieces(
    text: str,
    dictionary: Mapping[str, float],
    log_total: float,
    marked: list[Any] | None = None,
    unlooked: list[str] | None = None,
) -> tuple[list[str], list[str]]:
    """jieba's precise cut without HMM (``Tokenizer.cut(text, HMM=False)``, whitespace dropped)
    and, for every word of three or more characters, the dictionary words of two and three
    characters inside it, as jieba's search mode adds them (化工厂 → 化工、工厂; every keyword
    is in the dictionary). The same dictionary, graph and route as jieba, in one pass, so the
    classifier keeps pace with a bare cut. tests/test_classifier_taxonomy.py checks it against
    jieba word for word.

    ``dictionary`` is the tokenizer's FREQ (word → frequency, 0 for a prefix of a word),
    ``log_total`` the log of its total. With ``marked`` and ``unlooked`` (both or neither), the
    entries of the marked words cut (and pieces) are added to ``marked``, and the words that were
    never looked up (unknown characters, letters and digits run together, punctuation) to
    ``unlooked``: any other word is a dictionary word without a mark.

    Speed: the dictionary is some 580,000 words, so each look-up is likely a cache miss; the cut
    looks each fragment up once (log P is computed, not cached in a second table), and the pieces
    of a long word are looked up only when a long word is cut.
    """
    words: list[str] = []
    pieces: list[str] = []
    log = math.log
    unknown = -log_total  # an unknown character: a word of its own, frequency 1
    for block in _HAN.split(text):
        if not block:
            continue
        if not _HAN.match(block):  # punctuation and symbols one by one, whitespace dropped
            symbols = [ch for ch in block if not ch.isspace()]
            words.extend(symbols)
            if unlooked is not None:
                unlooked.extend(symbols)
            continue
        size = len(block)
        # jieba's DAG and calc (the most probable cut from k on: log P of the word + the best
        # score after it; ties: the longer word), in one pass from the end, since the score after
        # a word is known by then.
        score = [0.0] * (size + 1)
        route = [0] * size
        chosen: list[float | None] = [None] * size  # the chosen word's frequency (None: unknown)
        for k in range(size - 1, -1, -1):
            best = -math.inf
            best_end = -1
            i = k
            fragment = block[k]
            frequency = dictionary.get(fragment)
            while frequency is not None:  # a word or the prefix of one (frequency 0)
                if frequency:
                    value = log(frequency) - log_total + score[i + 1]
                    if value > best or (value == best and i > best_end):
                        best, best_end, chosen[k] = value, i, frequency
                i += 1
                if i == size:
                    break
                fragment = block[k : i + 1]
                frequency = dictionary.get(fragment)
            if best_end < 0:
                best, best_end = unknown + score[k + 1], k
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
                    if unlooked is not None:
                        unlooked.append(latin)
                    latin = ""
                words.append(block[k:end])
                if marked is not None and unlooked is not None:
                    frequency = chosen[k]
                    if frequency.__class__ is Marked:
                        marked.append(frequency.entry)
                    elif frequency is None:
                        unlooked.append(block[k:end])
                if end - k > 2:  # the words of two and three characters inside, in jieba's order
                    for j in range(k, end):
                        for x in (j + 2, j + 3):
                            if x <= end and (j > k or x < end):
                                frequency = dictionary.get(block[j:x])
                                if frequency:
                                    pieces.append(block[j:x])
                                    if marked is not None and frequency.__class__ is Marked:
                                        marked.append(frequency.entry)
            k = end
        if latin:
            words.append(latin)
            if unlooked is not None:
                unlooked.append(latin)
    return words, pieces
