"""jieba's precise cut without HMM, and the dictionary words inside its long words, in one pass."""

from __future__ import annotations

import math

import jieba

_HAN = jieba.re_han_default  # jieba's blocks: runs of CJK, letters, digits and +#&._%-


def cut_with_pieces(
    text: str, dictionary: dict[str, int], log_p: dict[str, float], log_total: float
) -> tuple[list[str], list[str]]:
    """jieba's precise cut without HMM (``Tokenizer.cut(text, HMM=False)``, whitespace dropped)
    and, for every word of three or more characters, the dictionary words of two and three
    characters inside it, as jieba's search mode adds them (化工厂 → 化工、工厂; every keyword
    is in the dictionary). The same dictionary, graph and route as jieba, in one pass: the
    pieces come from the graph already built, and the classifier keeps pace with a bare cut.
    tests/test_classifier_taxonomy.py checks it against jieba word for word.

    ``dictionary`` is the tokenizer's FREQ (word → frequency, 0 for a prefix of a word),
    ``log_total`` the log of its total; ``log_p`` caches each word's log probability (filled here).
    """
    words: list[str] = []
    pieces: list[str] = []
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
