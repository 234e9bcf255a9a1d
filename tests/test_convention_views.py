"""The convention's views on their own: content in, text and keyboard out (no Telegram, no database)."""

from __future__ import annotations

from datetime import date, time

from bot.services.convention import (
    Answer,
    Article,
    ContentError,
    ContentProblem,
    Convention,
    Match,
    Place,
    PlaceKind,
    QuizOutcome,
    QuizQuestion,
)
from handlers.convention import texts, views
from handlers.convention.callbacks import ArticleButton, PageButton, QuizAnswerButton


def article(number: int, *, rule: str | None = None, text: str = "文明出行。") -> Article:
    return Article(
        number=number,
        title=f"条目{number}",
        text=text,
        explanation="第一句解释。第二句解释。",
        do=("排队",),
        dont=("插队",),
        rule=rule,
        keywords=("出行",),
    )


def question(number: int) -> QuizQuestion:
    return QuizQuestion(
        id=f"{number}-1",
        article=number,
        question="应该怎么做？",
        options=("排队", "插队", "推挤", "喧哗"),
        answer=0,
        explanation="排队是文明行为。",
    )


CONVENTION = Convention(
    title="<测试>公约", articles=tuple(article(n) for n in range(1, 13)), questions=(question(1),)
)


def rows(view: views.View) -> list[list[tuple[str, str]]]:
    assert view.keyboard is not None
    return [[(b.text, str(b.callback_data)) for b in row] for row in view.keyboard.inline_keyboard]


def test_list_pages_ten_titles_two_to_a_row_and_clamps_the_page() -> None:
    first = views.list_view(CONVENTION, 1)
    assert "&lt;测试&gt;公约" in first.text and "第 1/2 页" in first.text
    layout = rows(first)
    assert layout[0] == [("1. 条目1", "conv:art:1"), ("2. 条目2", "conv:art:2")]
    assert sum(len(r) for r in layout[:5]) == 10
    assert layout[5] == [(texts.NEXT_PAGE, "conv:page:2")]
    assert layout[6] == [(texts.ASK_BUTTON, "conv:ask"), (texts.QUIZ_BUTTON, "conv:quiz")]
    assert layout[7] == [(texts.DAILY_BUTTON, "conv:daily")]
    last = views.list_view(CONVENTION, 99)  # an old button for a page that no longer exists
    assert "第 2/2 页" in last.text and (texts.PREV_PAGE, "conv:page:1") in rows(last)[1]


def test_a_convention_without_a_title_gets_the_default_one() -> None:
    untitled = Convention(title=None, articles=CONVENTION.articles, questions=CONVENTION.questions)
    assert texts.DEFAULT_TITLE in views.list_view(untitled, 1).text


def test_article_view_navigates_and_returns_to_its_page() -> None:
    first, eleventh, last = (views.article_view(CONVENTION, CONVENTION.articles[i]) for i in (0, 10, 11))
    assert rows(first)[0] == [(texts.NEXT, ArticleButton(number=2).data)]
    assert rows(last)[0] == [(texts.PREV, ArticleButton(number=11).data)]
    assert (texts.TO_LIST, PageButton(page=2).data) in rows(eleventh)[-1]
    assert "第 1 条" in first.text and texts.RULE.split("{")[0] not in first.text


def test_article_text_escapes_content_and_adds_the_rule() -> None:
    body = views.article_text(article(3, rule="罚款五元", text="不要<b>吐痰</b>"))
    assert "不要&lt;b&gt;吐痰&lt;/b&gt;" in body and "罚款五元" in body and "• 排队" in body


def test_bad_number_hint_offers_the_list() -> None:
    view = views.bad_number_view(CONVENTION, "<99>")
    assert "没有「&lt;99&gt;」这一条" in view.text and "1 到 12" in view.text
    assert rows(view) == rows(views.list_view(CONVENTION, 1))


def test_excerpt_ends_at_a_sentence_when_it_can() -> None:
    assert views.excerpt("短句。", 90) == "短句。"
    assert views.excerpt("第一句说了很多话。" * 5 + "第二句", 30) == "第一句说了很多话。" * 3
    assert views.excerpt("没有标点" * 30, 20) == ("没有标点" * 30)[:20] + "…"


def test_answer_view_is_sure_or_not_and_offers_related_articles() -> None:
    best, other = Match(article(5, rule="规定" * 100), 6.0, ("停车",)), Match(article(6), 3.5, ("车",))
    sure = views.answer_view(Answer(best, True, (other,)))
    assert sure.text.startswith("🔎") and texts.ASK_ALSO in sure.text and "⚖️" in sure.text
    assert rows(sure)[0] == [(texts.ASK_FULL.format(number=5), "conv:art:5")]
    assert rows(sure)[1] == [("6. 条目6", "conv:art:6")]
    unsure = views.answer_view(Answer(Match(article(6), 3.0, ()), False, ()))
    assert unsure.text.startswith("🤔") and texts.ASK_ALSO not in unsure.text and len(rows(unsure)) == 2


def test_nothing_found_and_not_chinese() -> None:
    none = views.no_answer_view(CONVENTION, "<天气>")
    assert "「&lt;天气&gt;」" in none.text and rows(none) == rows(views.list_view(CONVENTION, 1))
    english = views.not_chinese_view(CONVENTION)
    assert "12 条" in english.text and rows(english) == [[(texts.TO_LIST, "conv:page:1")]]


def test_question_view_shows_options_in_the_quiz_order() -> None:
    view = views.question_view(
        question(1), CONVENTION, token="0a1b2c3d", index=2, total=5, order=[3, 0, 1, 2]
    )
    assert "第 3/5 题" in view.text and "条目1" in view.text
    assert rows(view)[0] == [("A. 喧哗", QuizAnswerButton(token="0a1b2c3d", index=2, option=0).data)]
    assert rows(view)[1] == [("B. 排队", "cq:0a1b2c3d:2:1")]


def test_answered_text_says_right_or_wrong_with_the_right_option() -> None:
    order = [3, 0, 1, 2]  # the right answer (original 0) is shown as B
    right = views.answered_text("Q", question(1), order, 1)
    assert right.startswith("Q") and "您的选择：B. 排队" in right and texts.QUIZ_RIGHT in right
    wrong = views.answered_text("Q", question(1), order, 0)
    assert "A. 喧哗" in wrong and "正确答案是 B. 排队" in wrong and "排队是文明行为" in wrong


def test_quiz_done_tells_a_new_best_or_the_standing_one() -> None:
    new = views.quiz_done_view(QuizOutcome(5, 5, 5, 5, 1, True))
    assert (
        "5/5" in new.text
        and "刷新个人最好成绩" in new.text
        and rows(new) == [[(texts.QUIZ_AGAIN, "conv:quiz")]]
    )
    old = views.quiz_done_view(QuizOutcome(2, 5, 4, 5, 3, False))
    assert "2/5" in old.text and "个人最好成绩：4/5（共测验 3 次）" in old.text


def test_daily_notice_and_subscription_toast() -> None:
    notice = views.daily_text(article(1), date(2026, 3, 1))
    assert notice.startswith("📅 <b>每日公约</b>（03月01日）") and notice.endswith(texts.DAILY_FOOTER)
    assert "07:30" in views.daily_subscription_text(True, time(7, 30))
    assert views.daily_subscription_text(False, time(8, 0)).startswith("您已订阅")


def test_content_errors_are_one_line_naming_file_and_place() -> None:
    with_place = ContentError(
        ContentProblem.MISSING_TEXT, "data/convention.yaml", Place(PlaceKind.ARTICLE, 3), key="title"
    )
    assert (
        views.content_error_text(with_place)
        == "公约内容错误: data/convention.yaml 第 3 条 — 缺少字段 title（应为非空文字）"
    )
    whole_file = ContentError(ContentProblem.MISSING_FILE, "data/convention_quiz.yaml")
    assert views.content_error_text(whole_file) == "公约内容错误: data/convention_quiz.yaml — 文件不存在"


def test_every_content_problem_and_place_has_wording() -> None:
    assert set(texts.CONTENT_PROBLEMS) == set(ContentProblem)
    assert set(texts.CONTENT_PLACES) == set(PlaceKind)
