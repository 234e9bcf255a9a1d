"""What the convention shows: pure functions from content and results to text and keyboards.

Nothing here talks to Telegram or the database, so every view is unit-tested on its own
(tests/test_convention_views.py). User-supplied text is escaped here, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from bot.services.convention import (
    OPTION_LETTERS,
    Answer,
    Article,
    ContentError,
    Convention,
    ConventionResources,
    QuizOutcome,
    QuizQuestion,
)
from handlers.convention import texts
from handlers.convention.callbacks import (
    ArticleButton,
    AskButton,
    DailyButton,
    PageButton,
    QuizAnswerButton,
    QuizButton,
)
from handlers.kit.paging import page_containing, page_of
from handlers.kit.replies import View, button_rows, escape, inline_keyboard

PAGE_SIZE = 10  # article titles per page of the list
EXCERPT_CHARS = 90
RULE_EXCERPT_CHARS = 120


def title_of(convention: Convention) -> str:
    return convention.title or texts.DEFAULT_TITLE


# ---------------------------------------------------------------- browsing
def list_view(convention: Convention, page: int) -> View:
    """A page of article titles as buttons, with paging, 问公约, 小测验 and 每日一条."""
    shown = page_of(convention.articles, page, PAGE_SIZE)
    buttons = [(article_label(a), ArticleButton(number=a.number).data) for a in shown.items]
    rows = button_rows(buttons, 2)
    nav = []
    if shown.has_previous:
        nav.append((texts.PREV_PAGE, PageButton(page=shown.number - 1).data))
    if shown.has_next:
        nav.append((texts.NEXT_PAGE, PageButton(page=shown.number + 1).data))
    if nav:
        rows.append(nav)
    rows.append([(texts.ASK_BUTTON, AskButton().data), (texts.QUIZ_BUTTON, QuizButton().data)])
    rows.append([(texts.DAILY_BUTTON, DailyButton().data)])
    header = texts.LIST_HEADER.format(
        title=escape(title_of(convention)), page=shown.number, pages=shown.count
    )
    return View(header, inline_keyboard(rows))


def article_label(article: Article) -> str:
    return texts.ARTICLE_BUTTON.format(number=article.number, title=article.title)


def article_text(article: Article) -> str:
    def bullets(items: tuple[str, ...]) -> str:
        return "\n".join(texts.BULLET.format(item=escape(i)) for i in items)

    body = texts.ARTICLE.format(
        number=article.number,
        title=escape(article.title),
        text=escape(article.text),
        explanation=escape(article.explanation),
        do=bullets(article.do),
        dont=bullets(article.dont),
    )
    if article.rule:
        body += texts.RULE.format(rule=escape(article.rule))
    return body


def article_view(convention: Convention, article: Article) -> View:
    """One article in full, with 上一条/下一条, back to its page of the list, and 问公约."""
    nav = []
    if article.number > 1:
        nav.append((texts.PREV, ArticleButton(number=article.number - 1).data))
    if article.number < convention.size:
        nav.append((texts.NEXT, ArticleButton(number=article.number + 1).data))
    page = page_containing(article.number - 1, PAGE_SIZE)
    rows = [nav] if nav else []
    rows.append([(texts.TO_LIST, PageButton(page=page).data), (texts.ASK_BUTTON, AskButton().data)])
    return View(article_text(article), inline_keyboard(rows))


def bad_number_view(convention: Convention, value: str) -> View:
    """No such article: say how many there are, and offer the list."""
    hint = texts.BAD_NUMBER.format(value=escape(value), count=convention.size)
    return View(hint, list_view(convention, 1).keyboard)


def daily_subscription_text(added: bool, at: time) -> str:
    template = texts.DAILY_SUBSCRIBED if added else texts.DAILY_ALREADY
    return template.format(time=at.strftime("%H:%M"))


# ---------------------------------------------------------------- asking
def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first sentences of ``text`` up to about ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in texts.SENTENCE_ENDS)
    return text[: cut + 1] if cut > limit // 3 else text[:limit] + "…"


def answer_view(answer: Answer) -> View:
    """The best article for a question (sure or not), its gist, and related articles as buttons."""
    best = answer.best.article
    template = texts.ASK_BEST if answer.sure else texts.ASK_WEAK
    body = template.format(
        number=best.number,
        title=escape(best.title),
        text=escape(best.text),
        excerpt=escape(excerpt(best.explanation)),
    )
    if best.rule:
        body += texts.ASK_RULE.format(rule=escape(excerpt(best.rule, RULE_EXCERPT_CHARS)))
    if answer.related:
        body += texts.ASK_ALSO
    rows = [[(texts.ASK_FULL.format(number=best.number), ArticleButton(number=best.number).data)]]
    rows += [
        [(article_label(m.article), ArticleButton(number=m.article.number).data)] for m in answer.related
    ]
    rows.append([(texts.TO_LIST, PageButton(page=1).data), (texts.ASK_BUTTON, AskButton().data)])
    return View(body, inline_keyboard(rows))


def no_answer_view(convention: Convention, question: str) -> View:
    return View(texts.ASK_NONE.format(question=escape(question)), list_view(convention, 1).keyboard)


def not_chinese_view(convention: Convention) -> View:
    keyboard = inline_keyboard([[(texts.TO_LIST, PageButton(page=1).data)]])
    return View(texts.ASK_NOT_CHINESE.format(count=convention.size), keyboard)


# ---------------------------------------------------------------- the quiz
def question_view(
    question: QuizQuestion,
    convention: Convention,
    *,
    token: str,
    index: int,
    total: int,
    order: Sequence[int],
) -> View:
    """Question ``index`` (from 0) of ``total``; its options in this quiz's shuffled ``order``."""
    article = convention.article(question.article)
    text = texts.QUIZ_QUESTION.format(
        index=index + 1,
        total=total,
        article=question.article,
        title=escape(article.title if article else ""),
        question=escape(question.question),
    )
    rows = [
        [
            (
                texts.QUIZ_OPTION.format(letter=letter, option=question.options[original]),
                QuizAnswerButton(token=token, index=index, option=shown).data,
            )
        ]
        for shown, (letter, original) in enumerate(zip(OPTION_LETTERS, order, strict=True))
    ]
    return View(text, inline_keyboard(rows))


def answered_text(question_text: str, question: QuizQuestion, order: Sequence[int], choice: int) -> str:
    """The question as answered: the choice, right or wrong (with the right answer), the explanation."""
    correct = order[choice] == question.answer
    right_shown = order.index(question.answer)
    wrong = texts.QUIZ_WRONG.format(
        letter=OPTION_LETTERS[right_shown], option=escape(question.options[question.answer])
    )
    return texts.QUIZ_ANSWERED.format(
        question=question_text,
        letter=OPTION_LETTERS[choice],
        option=escape(question.options[order[choice]]),
        verdict=texts.QUIZ_RIGHT if correct else wrong,
        explanation=escape(question.explanation),
    )


def quiz_done_view(outcome: QuizOutcome) -> View:
    best = (
        texts.QUIZ_NEW_BEST.format(attempts=outcome.attempts)
        if outcome.new_best
        else texts.QUIZ_BEST.format(
            best=outcome.best_score, best_total=outcome.best_total, attempts=outcome.attempts
        )
    )
    text = texts.QUIZ_DONE.format(score=outcome.score, total=outcome.total, best=best)
    return View(text, inline_keyboard([[(texts.QUIZ_AGAIN, QuizButton().data)]]))


# ---------------------------------------------------------------- the daily article
def daily_text(article: Article, day: date) -> str:
    """The notice of one day (HTML; broadcasts carry no buttons, so the footer names the commands)."""
    header = texts.DAILY_HEADER.format(date=texts.DAILY_DATE.format(month=day.month, day=day.day))
    return header + article_text(article) + texts.DAILY_FOOTER


# ---------------------------------------------------------------- content files (operators)
def content_error_text(error: ContentError) -> str:
    """One line naming the file, the place and the problem."""
    place = texts.CONTENT_PLACES[error.place.kind].format(number=error.place.number) if error.place else ""
    problem = texts.CONTENT_PROBLEMS[error.problem].format(**error.params)
    return texts.CONTENT_ERROR.format(file=error.file, place=place, problem=problem)


def check_report(resources: ConventionResources, question: str | None) -> list[str]:
    """What `chuangwen convention check` prints: a summary, and what ``question`` would find."""
    convention = resources.convention
    lines = [
        texts.CHECK_SUMMARY.format(
            title=title_of(convention), articles=convention.size, questions=len(convention.questions)
        )
    ]
    if question:
        lines += [
            texts.CHECK_MATCH.format(
                number=m.article.number, title=m.article.title, score=m.score, terms=" ".join(m.terms)
            )
            for m in resources.index.search(question)
        ]
    return lines
