"""Asking the convention a question: what a question may be, and which articles answer it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.services import DomainError, checked_text
from bot.services.convention.search import STRONG_SCORE, WEAK_SCORE, ConventionIndex, Match

QUESTION_LIMIT = 200  # characters: a question is a sentence or two, not a letter
RELATED_SHARE = 0.5  # other matches are offered when they score at least this share of the best


class QuestionProblem(StrEnum):
    EMPTY = "convention.question_empty"
    TOO_LONG = "convention.question_too_long"  # length, limit


class QuestionRefused(DomainError):
    def __init__(self, problem: QuestionProblem, **params: object) -> None:
        super().__init__(code=problem, **params)


def check_question(text: str) -> str:
    """The question, stripped; QuestionRefused when it is empty or too long."""
    return checked_text(
        text,
        QUESTION_LIMIT,
        refuse=QuestionRefused,
        empty=QuestionProblem.EMPTY,
        too_long=QuestionProblem.TOO_LONG,
    )


@dataclass(frozen=True)
class Answer:
    """The best match, whether it is a confident one, and other articles worth offering."""

    best: Match
    sure: bool
    related: tuple[Match, ...]


def find_answer(index: ConventionIndex, question: str, limit: int = 3) -> Answer | None:
    """The articles that answer ``question``; None when nothing scores as a match."""
    matches = [m for m in index.search(question, limit=limit) if m.score >= WEAK_SCORE]
    if not matches:
        return None
    best = matches[0]
    related = tuple(m for m in matches[1:] if m.score >= best.score * RELATED_SHARE)
    return Answer(best, best.score >= STRONG_SCORE, related)
