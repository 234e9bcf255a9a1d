"""An urgent kind's not_when phrases (爆炸头, 消防演练, "差点 …"), ready to tell whether one occurrence
of a keyword stands inside one of them: the word used in another sense, no emergency."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# A space in a not_when phrase: any characters of the same clause (up to a punctuation mark: the
# full-width ，。！？；： or their ASCII forms, or a line break).
CLAUSE_GAP = "[^\uff0c\u3002\uff01\uff1f\uff1b\uff1a,.!?;:\\n]*?"


class ExclusionMask:
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
                pattern = CLAUSE_GAP.join(map(re.escape, parts))
                anchor = max((part for part in parts if part != word), key=len, default=word)
                self.gapped.append((anchor, f"(?=({pattern}))"))
        # The gapped phrases' anchors, looked for with one regex search before any phrase is tried.
        # The words of a kind share their gapped phrases ("差点 …" for each keyword), so the
        # whole taxonomy has a handful of anchor sets (18, ~12 ms to compile): each once (_any_of).
        anchors = tuple(sorted({anchor for anchor, _ in self.gapped}, key=lambda a: (-len(a), a)))
        self._anchor_search = _any_of(anchors).search if anchors else None

    def covers(self, text: str, start: int) -> bool:
        end = start + self.size
        for (before, after), pairs in self.around.items():
            if start >= before and (text[start - before : start], text[end : end + after]) in pairs:
                return True
        if self._anchor_search is None or self._anchor_search(text) is None:
            return False
        for anchor, pattern in self.gapped:
            if anchor in text:
                for m in _compiled(pattern).finditer(text):
                    if m.start() <= start and end <= m.start() + len(m.group(1)):
                        return True
        return False


@functools.cache
def _any_of(anchors: tuple[str, ...]) -> re.Pattern[str]:
    """One search for any of these anchors (one per anchor set in the taxonomy)."""
    return re.compile("|".join(map(re.escape, anchors)))


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A not_when phrase's regex, compiled the first time a text holds its anchor: the taxonomy has
    some 18,000 of them ("差点 …" once per keyword) and compiling them all took seconds at load."""
    return re.compile(pattern)
