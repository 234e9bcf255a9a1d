"""The convention through the real Application and the offline Bot API: browse, ask, quiz."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot import texts
from bot.harness import ChatHarness
from bot.models import ConventionQuizRecord, Subscription, Topic
from bot.services.convention import QUESTION_LIMIT, Convention
from handlers.common import texts as common_texts
from handlers.convention import texts as convention_texts
from handlers.convention.quiz import QUIZ_KEY
from handlers.convention.resources import convention_of_app
from handlers.kit import texts as kit_texts
from tests.conftest import RESIDENT_ID

OTHER_ID = 100002


def convention(harness: ChatHarness) -> Convention:
    return convention_of_app(harness.application)


# ---------------------------------------------------------------- browse
async def test_menu_button_opens_paged_list_and_articles_navigate(harness: ChatHarness) -> None:
    (listing,) = await harness.send(RESIDENT_ID, kit_texts.MENU_CONVENTION)
    labels = [b["text"] for b in listing.buttons()]
    assert labels[:2] == ["1. 不随地吐痰", "2. 不乱扔垃圾"] and "11. 不喧哗吵闹" not in labels
    await harness.press(RESIDENT_ID, "下一页")
    page2 = harness.latest_with_buttons(RESIDENT_ID)
    assert "第 2/2 页" in page2.text and "20. 邻里互助" in [b["text"] for b in page2.buttons()]

    await harness.press(RESIDENT_ID, "20. 邻里互助")
    article = harness.latest_with_buttons(RESIDENT_ID)
    assert article.edited and "第 20 条" in article.text and "高空抛物" in article.text
    labels = [b["text"] for b in article.buttons()]
    assert convention_texts.PREV in labels and convention_texts.NEXT not in labels  # the last one
    await harness.press(RESIDENT_ID, convention_texts.PREV)
    assert "第 19 条" in harness.latest_with_buttons(RESIDENT_ID).text


async def test_convention_command_with_number_and_bad_numbers(harness: ChatHarness) -> None:
    (reply,) = await harness.send(RESIDENT_ID, "/convention 3")
    assert "第 3 条" in reply.text and "五元以上五十元以下罚款" in reply.text
    (reply,) = await harness.send(RESIDENT_ID, "/convention 第十二条")
    assert "文明养犬" in reply.text
    for bad in ("0", "21", "abc"):
        (reply,) = await harness.send(RESIDENT_ID, f"/convention {bad}")
        assert f"没有「{bad}」这一条" in reply.text and "1 到 20" in reply.text
        assert reply.buttons(), "the list is offered"
    (reply,) = await harness.send(RESIDENT_ID, "/convention <b>")
    assert "&lt;b&gt;" in reply.text  # user text is escaped


async def test_stale_browse_button_expires_politely(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/convention")
    await harness.press_data(RESIDENT_ID, "conv:art:99")
    assert harness.new_toasts() == [texts.BUTTON_EXPIRED]


async def test_daily_button_subscribes_once(harness: ChatHarness, sessions) -> None:  # type: ignore[no-untyped-def]
    await harness.send(RESIDENT_ID, "/convention")
    await harness.press(RESIDENT_ID, convention_texts.DAILY_BUTTON)
    await harness.press(RESIDENT_ID, convention_texts.DAILY_BUTTON)
    toasts = harness.new_toasts()
    assert "已订阅每日公约" in toasts[0] and "08:00" in toasts[0] and "您已订阅" in toasts[1]
    async with sessions() as session:
        topics = list(
            await session.scalars(select(Subscription.topic).where(Subscription.user_id == RESIDENT_ID))
        )
    assert topics == [Topic.DAILY_ARTICLE]


# ---------------------------------------------------------------- ask
async def test_ask_with_text_finds_the_article(harness: ChatHarness) -> None:
    (reply,) = await harness.send(RESIDENT_ID, "/ask 狗狗出门不拴绳可以吗")
    assert "最相关" in reply.text and "第 12 条" in reply.text and "文明养犬" in reply.text
    assert "查看第 12 条全文" in [b["text"] for b in reply.buttons()]
    await harness.press(RESIDENT_ID, "查看第 12 条全文")
    assert "不要这样做" in harness.latest_with_buttons(RESIDENT_ID).text


async def test_ask_button_then_question_with_bad_input_on_the_way(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/convention")
    (prompt,) = await harness.press(RESIDENT_ID, convention_texts.ASK_BUTTON)
    assert prompt.text.startswith("请用一句话")
    (reply,) = await harness.send_sticker(RESIDENT_ID)
    assert reply.text == convention_texts.ASK_REPROMPT
    (reply,) = await harness.send(RESIDENT_ID, "让" * 2000)
    assert "问题太长了（2000 字）" in reply.text and str(QUESTION_LIMIT) in reply.text
    (reply,) = await harness.send(RESIDENT_ID, "Can my dog go out without a leash?")
    assert "请用中文提问" in reply.text
    (reply,) = await harness.send(RESIDENT_ID, "公交车上要不要给老人让座")
    assert "第 9 条" in reply.text
    (reply,) = await harness.send(RESIDENT_ID, "随便说点什么")  # the conversation is over
    assert reply.text == common_texts.UNKNOWN_TEXT


async def test_ask_empty_off_topic_and_number(harness: ChatHarness) -> None:
    (reply,) = await harness.send(RESIDENT_ID, "/ask   ")
    assert reply.text == convention_texts.ASK_PROMPT
    (reply,) = await harness.send(RESIDENT_ID, "/cancel")
    assert reply.text == texts.CANCELLED
    (reply,) = await harness.send(RESIDENT_ID, "/ask 今天天气怎么样")
    assert "没有找到" in reply.text and "1. 不随地吐痰" in [b["text"] for b in reply.buttons()]
    (reply,) = await harness.send(RESIDENT_ID, "/ask 第5条")
    assert "第 5 条" in reply.text and "文明停车" in reply.text
    (reply,) = await harness.send(RESIDENT_ID, "/ask 21")
    assert "没有「21」这一条" in reply.text


async def test_menu_button_command_or_button_while_asking_goes_to_its_feature(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/ask")
    (reply,) = await harness.send(RESIDENT_ID, kit_texts.MENU_SUBSCRIBE)
    assert reply.text.startswith(common_texts.SUBSCRIBE_PROMPT)  # not read as a question

    await harness.send(RESIDENT_ID, "/ask")
    (reply,) = await harness.send(RESIDENT_ID, "/convention 4")
    assert "第 4 条" in reply.text  # passed on to its handler ...
    (reply,) = await harness.send(RESIDENT_ID, "随便说点什么")
    assert reply.text == common_texts.UNKNOWN_TEXT  # ... and no longer waiting for a question

    await harness.send(RESIDENT_ID, "/ask")
    (reply,) = await harness.send(RESIDENT_ID, kit_texts.MENU_CONVENTION)
    assert "请点击条目" in reply.text
    await harness.send(RESIDENT_ID, "/ask")
    await harness.press(RESIDENT_ID, "1. 不随地吐痰")  # an inline button (any feature's) also leaves
    assert "第 1 条" in harness.latest_with_buttons(RESIDENT_ID).text
    (reply,) = await harness.send(RESIDENT_ID, "随便说点什么")
    assert reply.text == common_texts.UNKNOWN_TEXT
    await harness.send(RESIDENT_ID, "/ask")
    (reply,) = await harness.send(RESIDENT_ID, "/ask 饭店包间里能抽烟吗")  # re-entry answers at once
    assert "第 10 条" in reply.text


# ---------------------------------------------------------------- quiz
def quiz_state(harness: ChatHarness, user_id: int) -> dict[str, Any]:
    return harness.application.user_data[user_id][QUIZ_KEY]  # type: ignore[no-any-return]


def right_choice(harness: ChatHarness, user_id: int) -> tuple[str, int, int]:
    """(token, index, shown option) of the right answer to the current question."""
    state = quiz_state(harness, user_id)
    index = len(state["answers"])
    question = convention(harness).question(state["ids"][index])
    assert question is not None
    return state["token"], index, state["orders"][index].index(question.answer)


async def play(harness: ChatHarness, user_id: int, right: int) -> list[Any]:
    """Answer five questions, the first ``right`` of them correctly; returns what the bot sent."""
    sent = await harness.send(user_id, "/quiz")
    for n in range(5):
        token, index, shown = right_choice(harness, user_id)
        choice = shown if n < right else (shown + 1) % 4
        sent += await harness.press_data(user_id, f"cq:{token}:{index}:{choice}")
    return sent


async def test_quiz_five_questions_explained_scored_and_best_kept(harness: ChatHarness, sessions) -> None:  # type: ignore[no-untyped-def]
    sent = await play(harness, RESIDENT_ID, right=5)
    questions = [m for m in sent if m.buttons() and "第 " in (m.text or "") and "题" in (m.text or "")]
    assert len({m.text for m in questions}) == 5
    articles = {m.text.split("（第 ")[1].split(" 条")[0] for m in questions}
    assert len(articles) == 5  # five different articles
    explained = [m for m in harness.emulator.sent_to(RESIDENT_ID) if m.edited and "📖" in (m.text or "")]
    assert len(explained) == 5 and all("✅ 回答正确" in m.text for m in explained)
    assert "5/5" in sent[-1].text and "刷新个人最好成绩" in sent[-1].text

    sent = await play(harness, RESIDENT_ID, right=2)
    assert "2/5" in sent[-1].text and "个人最好成绩：5/5（共测验 2 次）" in sent[-1].text
    wrong = [
        m
        for m in harness.emulator.sent_to(RESIDENT_ID)
        if m.edited and "❌ 回答错误，正确答案是" in (m.text or "")
    ]
    assert len(wrong) == 3
    async with sessions() as session:
        record = await session.get(ConventionQuizRecord, RESIDENT_ID)
    assert record is not None and (record.best_score, record.last_score, record.attempts) == (5, 2, 2)


async def test_second_press_and_old_quiz_buttons_change_nothing(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/quiz")
    token, _, shown = right_choice(harness, RESIDENT_ID)
    first_question = harness.latest_with_buttons(RESIDENT_ID)
    await harness.press_data(RESIDENT_ID, f"cq:{token}:0:{(shown + 1) % 4}", first_question)
    before = dict(quiz_state(harness, RESIDENT_ID))
    sent = await harness.press_data(RESIDENT_ID, f"cq:{token}:0:{shown}", first_question)  # change my mind?
    assert sent == [] and harness.new_toasts()[-1] == convention_texts.QUIZ_ALREADY
    assert quiz_state(harness, RESIDENT_ID) == before and before["score"] == 0

    await harness.send(RESIDENT_ID, "/quiz")  # a new quiz: the old one's buttons are dead
    sent = await harness.press_data(RESIDENT_ID, f"cq:{token}:1:0")
    assert sent == [] and harness.new_toasts()[-1] == convention_texts.QUIZ_OVER
    sent = await harness.press_data(RESIDENT_ID, "cq:nonsense")
    assert sent == [] and harness.new_toasts()[-1] == texts.BUTTON_EXPIRED


async def test_quiz_record_in_mydata_and_erased_by_forget(harness: ChatHarness, sessions) -> None:  # type: ignore[no-untyped-def]
    import json

    await play(harness, OTHER_ID, right=3)
    (document,) = await harness.send(OTHER_ID, "/mydata")
    exported = json.loads(document.document_bytes or b"{}")
    assert exported["文明公约"]["知识小测验"]["最好成绩"] == 3
    await harness.send(OTHER_ID, "/forget")
    await harness.press(OTHER_ID, "确认删除")
    async with sessions() as session:
        assert await session.get(ConventionQuizRecord, OTHER_ID) is None
