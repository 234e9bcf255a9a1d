"""jieba's precise cut without HMM, and the dictionary words inside its long words, in one pass."""

from __future__ import annotations

import math

import jieba

_HAN = jieba.re_han_default  # jieba's blocks: runs of CJK, letters, digits and +#&._%-


def cut_with_pieces(text: str, dictionary: dict[str, int], log_total: float) -> tuple[list[str], list[str]]:
    """jieba's precise cut without HMM (``Tokenizer.cut(text, HMM=False)``, whitespace dropped)
    and, for every word of three or more characters, the dictionary words of two and three
    characters inside it, as jieba's search mode adds them (化工厂 → 化工、工厂; every keyword
    is in the dictionary). The same dictionary, graph and route as jieba, in one pass, so the
    classifier keeps pace with a bare cut. tests/test_classifier_taxonomy.py checks it against
    jieba word for word.

    ``dictionary`` is the tokenizer's FREQ (word → frequency, 0 for a prefix of a word),
    ``log_total`` the log of its total. Speed: the dictionary is some 580,000 words, so each look-up
    is likely a cache miss; the cut looks each fragment up once (log P is computed, not cached in a
    second table), and the pieces of a long word are looked up only when a long word is cut.
    """
    words: list[str] = []
    pieces: list[str] = []
    log = math.log
    unknown = -log_total  # an unknown character: a word of its own, frequency 1
    for block in _HAN.split(text):
        if not block:
            continue
        if not _HAN.match(block):  # punctuation and symbols one by one, whitespace dropped
            words.extend(ch for ch in block if not ch.isspace())
            continue
        size = len(block)
        # jieba's DAG and calc (the most probable cut from k on: log P of the word + the best
        # score after it; ties: the longer word), in one pass from the end, since the score after
        # a word is known by then.
        score = [0.0] * (size + 1)
        route = [0] * size
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
                        best, best_end = value, i
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
                    latin = ""
                words.append(block[k:end])
                if end - k > 2:  # the words of two and three characters inside, in jieba's order
                    for j in range(k, end):
                        for x in (j + 2, j + 3):
                            if x <= end and (j > k or x < end) and dictionary.get(block[j:x]):
                                pieces.append(block[j:x])
            k = end
        if latin:
            words.append(latin)
    return words, pieces
