"""How a keyword is written in the categories file: "A+B" (all parts anywhere), "A|B" (either word in
that place), "A B" (these words next to each other), and the "…" slot of an urgent kind's not_when
phrases; and the small text helpers the matching shares."""

from __future__ import annotations

CONJUNCTION = "+"  # "鱼+死光": all these words anywhere in the complaint
ALTERNATIVE = "|"  # "吃了|喝了+住院": any of these words in that place ("吃了+住院" or "喝了+住院")
EXCLUSION_SLOT = "…"  # in an urgent kind's not_when phrase: stands for each of the kind's keywords


def keyword_parts(keyword: str) -> list[str]:
    """The parts of an "A+B" keyword (the keyword itself otherwise)."""
    return [p.strip() for p in keyword.split(CONJUNCTION) if p.strip()] or [keyword]


def part_alternatives(part: str) -> list[str]:
    """The words of an "A|B" part (the part itself otherwise)."""
    return [a.strip() for a in part.split(ALTERNATIVE) if a.strip()]


def keyword_words(keyword: str) -> list[str]:
    """Every word an "A|B+C" keyword is made of (the keyword itself for a plain one)."""
    return [word for part in keyword_parts(keyword) for word in part_alternatives(part)]


def is_compound(keyword: str) -> bool:
    return CONJUNCTION in keyword or ALTERNATIVE in keyword


def without_spaces(text: str) -> str:
    """The text without whitespace: a phrase keyword "燃气 泄漏" is found as 燃气泄漏."""
    return "".join(text.split())


def occurrences(text: str, word: str) -> list[int]:
    """Where the word starts in the text, overlapping occurrences included."""
    starts: list[int] = []
    start = text.find(word)
    while start >= 0:
        starts.append(start)
        start = text.find(word, start + 1)
    return starts
