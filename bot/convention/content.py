"""Load and validate ``data/convention.yaml`` and ``data/convention_quiz.yaml``.

A city replaces these files without touching code, so every mistake is reported as ONE line naming
the file and the entry (``ContentError``, a ``ConfigError``: ``chuangwen run`` prints it and exits).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.config import ConfigError

CONVENTION_FILE = "convention.yaml"
QUIZ_FILE = "convention_quiz.yaml"
MAX_TITLE_CHARS = 8
OPTION_LETTERS = "ABCD"
# libyaml's parser when PyYAML has it (4× faster; the content is read at every start)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(ConfigError):
    """A convention or quiz file is malformed; the message names the file and the entry."""


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
    title: str
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

    def fail(self, where: str, problem: str) -> ContentError:
        return ContentError(f"公约内容错误: {self.name} {where} — {problem}")

    def load(self, list_key: str) -> tuple[dict[str, Any], list[Any]]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ContentError(f"公约内容错误: {self.name} — 文件不存在") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ContentError(f"公约内容错误: {self.name} — 无法读取（{error}）") from None
        try:
            document = yaml.load(raw, Loader=SAFE_LOADER)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f"第 {mark.line + 1} 行" if mark is not None else ""
            raise ContentError(f"公约内容错误: {self.name} {line} — YAML 格式错误") from None
        if not isinstance(document, dict) or not isinstance(document.get(list_key), list):
            raise ContentError(f"公约内容错误: {self.name} — 顶层应有列表字段 {list_key}")
        return document, document[list_key]

    def text(self, entry: dict[str, Any], key: str, where: str, *, optional: bool = False) -> str | None:
        value = entry.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str | int | float) or not str(value).strip():
            raise self.fail(where, f"缺少字段 {key}（应为非空文字）")
        return str(value).strip()

    def texts(self, entry: dict[str, Any], key: str, where: str, *, count: int | None = None) -> list[str]:
        value = entry.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(where, f"字段 {key} 应为非空列表")
        items = [str(v).strip() for v in value if isinstance(v, str | int | float) and str(v).strip()]
        if len(items) != len(value):
            raise self.fail(where, f"字段 {key} 中有空白或非文字的项")
        if count is not None and len(items) != count:
            raise self.fail(where, f"字段 {key} 应有 {count} 项，实际 {len(items)} 项")
        return items


def _entries(checker: _Checker, items: list[Any], label: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for position, entry in enumerate(items, 1):
        where = f"第 {position} 个{label}"
        if not isinstance(entry, dict):
            raise checker.fail(where, "应为键值对（字段: 值）")
        yield where, entry


def _load_articles(path: Path) -> tuple[str, list[Article]]:
    checker = _Checker(path)
    document, items = checker.load("articles")
    articles: list[Article] = []
    for where, entry in _entries(checker, items, "条目"):
        number = entry.get("number")
        expected = len(articles) + 1
        if not isinstance(number, int) or isinstance(number, bool) or number != expected:
            raise checker.fail(where, f"number 应为 {expected}（条目须从 1 起连续编号）")
        where = f"第 {number} 条"
        title = checker.text(entry, "title", where) or ""
        if len(title) > MAX_TITLE_CHARS:
            raise checker.fail(where, f"title「{title}」超过 {MAX_TITLE_CHARS} 个字")
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
        raise checker.fail("", "articles 列表为空")
    title = str(document.get("title") or "市民文明公约").strip()
    return title, articles


def _load_questions(path: Path, article_count: int) -> list[QuizQuestion]:
    checker = _Checker(path)
    _, items = checker.load("questions")
    questions: list[QuizQuestion] = []
    per_article: dict[int, int] = {}
    for where, entry in _entries(checker, items, "题目"):
        article = entry.get("article")
        if not isinstance(article, int) or isinstance(article, bool) or not 1 <= article <= article_count:
            raise checker.fail(where, f"article 应为 1 到 {article_count} 之间的条目编号")
        options = checker.texts(entry, "options", where, count=len(OPTION_LETTERS))
        answer = str(entry.get("answer", "")).strip().upper()
        if answer not in OPTION_LETTERS or not answer:
            raise checker.fail(where, "answer 应为 A、B、C 或 D")
        if len(set(options)) != len(options):
            raise checker.fail(where, "options 中有重复的选项")
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
    missing = [n for n in range(1, article_count + 1) if per_article.get(n, 0) < 2]
    if missing:
        raise checker.fail(
            "", f"每条公约至少需要 2 道题，第 {missing[0]} 条只有 {per_article.get(missing[0], 0)} 道"
        )
    return questions


def load_convention(data_dir: Path) -> Convention:
    """Read both files from ``data_dir``; raises ContentError naming the file and entry on any mistake."""
    title, articles = _load_articles(data_dir / CONVENTION_FILE)
    questions = _load_questions(data_dir / QUIZ_FILE, len(articles))
    return Convention(title=title, articles=tuple(articles), questions=tuple(questions))
