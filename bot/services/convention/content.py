"""Load and validate ``data/convention.yaml`` and ``data/convention_quiz.yaml``.

A city replaces these files without touching code, so every mistake is reported as ONE line naming
the file and the entry: ``ContentError`` carries a ``ContentProblem`` code, the file and the place;
the face words it (``handlers.convention.views.content_error_text``), and ``chuangwen run`` and
``chuangwen convention check`` print that line and exit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from bot.services import DomainError
from bot.yaml_files import parse_yaml

CONVENTION_FILE = "convention.yaml"
QUIZ_FILE = "convention_quiz.yaml"
MAX_TITLE_CHARS = 8
OPTION_LETTERS = "ABCD"
MIN_QUESTIONS_PER_ARTICLE = 2


class ContentProblem(StrEnum):
    """What is wrong with a content file (the codes of ``ContentError``)."""

    MISSING_FILE = "convention.content.missing_file"
    UNREADABLE = "convention.content.unreadable"  # error
    YAML_SYNTAX = "convention.content.yaml_syntax"
    NO_LIST = "convention.content.no_list"  # key
    NOT_MAPPING = "convention.content.not_mapping"
    MISSING_TEXT = "convention.content.missing_text"  # key
    NOT_LIST = "convention.content.not_list"  # key
    BLANK_ITEM = "convention.content.blank_item"  # key
    WRONG_COUNT = "convention.content.wrong_count"  # key, count, actual
    BAD_NUMBER = "convention.content.bad_number"  # expected
    TITLE_TOO_LONG = "convention.content.title_too_long"  # title, limit
    NO_ARTICLES = "convention.content.no_articles"
    BAD_ARTICLE_REF = "convention.content.bad_article_ref"  # count
    BAD_ANSWER = "convention.content.bad_answer"  # letters
    DUPLICATE_OPTIONS = "convention.content.duplicate_options"
    TOO_FEW_QUESTIONS = "convention.content.too_few_questions"  # number, have, minimum


class PlaceKind(StrEnum):
    """Where in a file: the n-th list entry, the article numbered n, the n-th question, line n."""

    ENTRY = "entry"
    ARTICLE = "article"
    QUESTION = "question"
    LINE = "line"


@dataclass(frozen=True)
class Place:
    kind: PlaceKind
    number: int


class ContentError(DomainError):
    """A convention or quiz file is malformed: ``file`` (e.g. "data/convention.yaml"), ``place`` (or
    None for the whole file) and the problem's own parameters."""

    def __init__(self, problem: ContentProblem, file: str, place: Place | None = None, **params: Any) -> None:
        super().__init__(code=problem, **params)
        self.problem = problem
        self.file = file
        self.place = place


@dataclass(frozen=True)
class Article:
    number: int
    title: str
    text: str
    explanation: str
    do: tuple[str, ...]
    dont: tuple[str, ...]
    rule: str | None
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class QuizQuestion:
    id: str  # "<article>-<n>": stable while the file keeps its order; stored in quiz progress
    article: int
    question: str
    options: tuple[str, str, str, str]
    answer: int  # index into options
    explanation: str


@dataclass(frozen=True)
class Convention:
    title: str | None  # None: the file names none (the face has a default)
    articles: tuple[Article, ...]
    questions: tuple[QuizQuestion, ...]
    _by_id: dict[str, QuizQuestion] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({q.id: q for q in self.questions})

    @property
    def size(self) -> int:
        return len(self.articles)

    def article(self, number: int) -> Article | None:
        return self.articles[number - 1] if 1 <= number <= len(self.articles) else None

    def question(self, question_id: str) -> QuizQuestion | None:
        return self._by_id.get(question_id)

    def questions_for(self, number: int) -> list[QuizQuestion]:
        return [q for q in self.questions if q.article == number]

    def vocabulary(self) -> set[str]:
        """Titles and keywords: words the tokenizer must keep whole."""
        return {a.title for a in self.articles} | {k for a in self.articles for k in a.keywords}


class _Checker:
    """Reads one YAML file and checks its fields, failing with a one-line message."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"{path.parent.name}/{path.name}"

    def fail(self, where: Place | None, problem: ContentProblem, **params: Any) -> ContentError:
        return ContentError(problem, self.name, where, **params)

    def load(self, list_key: str) -> tuple[dict[str, Any], list[Any]]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise self.fail(None, ContentProblem.MISSING_FILE) from None
        except (OSError, UnicodeDecodeError) as error:
            raise self.fail(None, ContentProblem.UNREADABLE, error=str(error)) from None
        try:
            document = parse_yaml(raw)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = Place(PlaceKind.LINE, mark.line + 1) if mark is not None else None
            raise self.fail(line, ContentProblem.YAML_SYNTAX) from None
        if not isinstance(document, dict) or not isinstance(document.get(list_key), list):
            raise self.fail(None, ContentProblem.NO_LIST, key=list_key)
        return document, document[list_key]

    def text(self, entry: dict[str, Any], key: str, where: Place, *, optional: bool = False) -> str | None:
        value = entry.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str | int | float) or not str(value).strip():
            raise self.fail(where, ContentProblem.MISSING_TEXT, key=key)
        return str(value).strip()

    def texts(self, entry: dict[str, Any], key: str, where: Place, *, count: int | None = None) -> list[str]:
        value = entry.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(where, ContentProblem.NOT_LIST, key=key)
        items = [str(v).strip() for v in value if isinstance(v, str | int | float) and str(v).strip()]
        if len(items) != len(value):
            raise self.fail(where, ContentProblem.BLANK_ITEM, key=key)
        if count is not None and len(items) != count:
            raise self.fail(where, ContentProblem.WRONG_COUNT, key=key, count=count, actual=len(items))
        return items


def _entries(checker: _Checker, items: list[Any], kind: PlaceKind) -> Iterator[tuple[Place, dict[str, Any]]]:
    for position, entry in enumerate(items, 1):
        where = Place(kind, position)
        if not isinstance(entry, dict):
            raise checker.fail(where, ContentProblem.NOT_MAPPING)
        yield where, entry


def _load_articles(path: Path) -> tuple[str | None, list[Article]]:
    checker = _Checker(path)
    document, items = checker.load("articles")
    articles: list[Article] = []
    for position, entry in _entries(checker, items, PlaceKind.ENTRY):
        number = entry.get("number")
        expected = len(articles) + 1
        if not isinstance(number, int) or isinstance(number, bool) or number != expected:
            raise checker.fail(position, ContentProblem.BAD_NUMBER, expected=expected)
        where = Place(PlaceKind.ARTICLE, number)
        title = checker.text(entry, "title", where) or ""
        if len(title) > MAX_TITLE_CHARS:
            raise checker.fail(where, ContentProblem.TITLE_TOO_LONG, title=title, limit=MAX_TITLE_CHARS)
        articles.append(
            Article(
                number=number,
                title=title,
                text=checker.text(entry, "text", where) or "",
                explanation=checker.text(entry, "explanation", where) or "",
                do=tuple(checker.texts(entry, "do", where)),
                dont=tuple(checker.texts(entry, "dont", where)),
                rule=checker.text(entry, "rule", where, optional=True),
                keywords=tuple(checker.texts(entry, "keywords", where)),
            )
        )
    if not articles:
        raise checker.fail(None, ContentProblem.NO_ARTICLES)
    convention_title = str(document.get("title") or "").strip() or None
    return convention_title, articles


def _load_questions(path: Path, article_count: int) -> list[QuizQuestion]:
    checker = _Checker(path)
    _, items = checker.load("questions")
    questions: list[QuizQuestion] = []
    per_article: dict[int, int] = {}
    for where, entry in _entries(checker, items, PlaceKind.QUESTION):
        article = entry.get("article")
        if not isinstance(article, int) or isinstance(article, bool) or not 1 <= article <= article_count:
            raise checker.fail(where, ContentProblem.BAD_ARTICLE_REF, count=article_count)
        options = checker.texts(entry, "options", where, count=len(OPTION_LETTERS))
        answer = str(entry.get("answer", "")).strip().upper()
        if answer not in OPTION_LETTERS or not answer:
            raise checker.fail(where, ContentProblem.BAD_ANSWER, letters=OPTION_LETTERS)
        if len(set(options)) != len(options):
            raise checker.fail(where, ContentProblem.DUPLICATE_OPTIONS)
        per_article[article] = per_article.get(article, 0) + 1
        questions.append(
            QuizQuestion(
                id=f"{article}-{per_article[article]}",
                article=article,
                question=checker.text(entry, "question", where) or "",
                options=(options[0], options[1], options[2], options[3]),
                answer=OPTION_LETTERS.index(answer),
                explanation=checker.text(entry, "explanation", where) or "",
            )
        )
    missing = [n for n in range(1, article_count + 1) if per_article.get(n, 0) < MIN_QUESTIONS_PER_ARTICLE]
    if missing:
        raise checker.fail(
            None,
            ContentProblem.TOO_FEW_QUESTIONS,
            number=missing[0],
            have=per_article.get(missing[0], 0),
            minimum=MIN_QUESTIONS_PER_ARTICLE,
        )
    return questions


def load_convention(data_dir: Path) -> Convention:
    """Read both files from ``data_dir``; raises ContentError naming the file and the place of a mistake."""
    title, articles = _load_articles(data_dir / CONVENTION_FILE)
    questions = _load_questions(data_dir / QUIZ_FILE, len(articles))
    return Convention(title=title, articles=tuple(articles), questions=tuple(questions))
