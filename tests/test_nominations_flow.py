"""好人推荐 through the real Application: a resident's nomination to the published 好人榜, and bad input.

Notices to nominators and alerts to staff are owed: the bot's sender delivers them shortly after
each action's commit, so the tests wait for it (``settled``) before looking at them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.botapi_emulator import SentMessage
from bot.clock import process_clock
from bot.flood import FloodGate
from bot.harness import ChatHarness
from bot.models import AuditEntry, Nomination, NominationStatus, Topic, Vote
from bot.services import users
from bot.timeutil import format_local, utcnow
from handlers.common import texts as common_texts
from handlers.kit import texts as kit_texts
from handlers.nominations import texts as nomination_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID
from tests.support.owed import settled

STAFF = ADMIN_ID
SECOND = 100002
VOTER = 100003
SUBSCRIBER = 100004
STORY = "王师傅在公交站台捡到一个装有三万元现金的钱包，在寒风中等了两个小时，终于把钱包还给了失主。"


@pytest.fixture(autouse=True)
def no_flood_limit(harness: ChatHarness) -> None:
    harness.application.bot_data.flood = FloodGate(10_000, 10.0)


async def nominate(harness: ChatHarness, user: int, name: str = "王建国", photos: int = 1) -> str:
    """Walk the whole conversation; returns the bot's final answer."""
    await harness.send(user, kit_texts.MENU_NOMINATE)
    await harness.press(user, "诚实守信")
    await harness.send(user, name)
    await harness.send(user, "幸福里社区")
    await harness.send(user, STORY)
    for _ in range(photos):
        await harness.send_photo(user)
    await harness.press(user, nomination_texts.PHOTOS_DONE)
    await harness.press(user, nomination_texts.SKIP)
    await harness.press(user, nomination_texts.CONSENT_YES)
    await harness.press(user, nomination_texts.SUBMIT)
    answer = harness.emulator.last_to(user).body
    await settled(harness)  # the staff's alert
    return answer


async def nomination_of(sessions: async_sessionmaker[AsyncSession], user: int) -> Nomination:
    async with sessions() as session:
        nomination = await session.scalar(select(Nomination).where(Nomination.nominator_id == user))
    assert nomination is not None
    return nomination


async def test_nomination_to_published_honour_roll(
    harness: ChatHarness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # A resident nominates, with a refused oversize photo, a bad phone then a good one.
    (prompt,) = await harness.send(RESIDENT_ID, kit_texts.MENU_NOMINATE)
    assert [b["text"] for b in prompt.buttons()] == list(nomination_texts.KIND_NAMES.values())
    await harness.press(RESIDENT_ID, "诚实守信")
    await harness.send(RESIDENT_ID, "王建国")
    await harness.send(RESIDENT_ID, "幸福里社区")
    await harness.send(RESIDENT_ID, STORY)
    (too_big,) = await harness.send_photo(RESIDENT_ID, size=12 * 1024 * 1024)
    assert "太大" in too_big.text
    (added,) = await harness.send_photo(RESIDENT_ID)
    assert "第 1 张" in added.text
    await harness.press(RESIDENT_ID, nomination_texts.PHOTOS_DONE)
    (bad_phone,) = await harness.send(RESIDENT_ID, "12345")
    assert bad_phone.text == nomination_texts.BAD_PHONE
    await harness.send(RESIDENT_ID, "13800138000")
    (summary,) = await harness.press(RESIDENT_ID, nomination_texts.CONSENT_YES)
    assert "王建国" in summary.text and "照片：1 张" in summary.text
    await harness.press(RESIDENT_ID, nomination_texts.SUBMIT)
    first = await nomination_of(sessions, RESIDENT_ID)
    assert first.number and first.number in harness.emulator.last_to(RESIDENT_ID).body
    assert len(first.photos) == 1 and first.nominator_contact == "13800138000"
    (alert,) = await settled(harness)
    assert alert.chat_id == STAFF and "新的好人推荐" in alert.text and first.number in alert.text

    # A second resident nominates the same person: it joins the first and says so.
    answer = await nominate(harness, SECOND, name="王 建国")
    assert first.number in answer and "补充材料" in answer
    assert first.number in harness.emulator.last_to(STAFF).text  # staff hear of the second one too
    supporting = await nomination_of(sessions, SECOND)
    assert supporting.parent_id == first.id and supporting.status is NominationStatus.SUPPORTING

    # Staff review: the queue shows one card (contact masked, one supporter); 入围 notifies both.
    sent = await harness.send(STAFF, "/nominations")
    card = sent[-1]
    assert "138****8000" in card.text and "13800138000" not in card.text and "补充推荐：1 条" in card.text
    material = await harness.press(STAFF, nomination_texts.BTN_MATERIAL, card)
    assert "补充推荐 1 条" in material[0].text and "三万元现金" in material[1].text
    assert [m.method for m in material[2:]] == ["sendPhoto", "sendPhoto"]  # one photo from each nominator
    await harness.press(STAFF, nomination_texts.BTN_SHORTLIST, card)
    await settled(harness)
    assert "已入围" in harness.emulator.last_to(RESIDENT_ID).body
    assert first.number in harness.emulator.last_to(SECOND).body
    assert "已入围" in harness.emulator.last_to(STAFF).body  # the card, redrawn

    # A voting round around now; a resident votes, a second vote is refused, counts are live.
    now = utcnow()
    start, end = format_local(now - timedelta(minutes=5)), format_local(now + timedelta(hours=1))
    (opened,) = [
        m for m in await harness.send(STAFF, f"/openround 十一月好人评选 {start} {end}") if m.chat_id == STAFF
    ]
    assert "已开启投票" in opened.text
    await settled(harness)  # the nominators of the candidates hear the vote has begun
    assert "「十一月好人评选」投票" in harness.emulator.last_to(RESIDENT_ID).text
    assert first.number not in harness.emulator.last_to(SECOND).text  # their own nomination's number
    assert "「十一月好人评选」投票" in harness.emulator.last_to(SECOND).text
    sent = await harness.send(VOTER, "/vote")
    vote_card = sent[-1]
    assert "王建国" in vote_card.text and "（0）" in vote_card.buttons()[0]["text"]
    await harness.press(VOTER, "👍", vote_card)
    assert harness.new_toasts()[-1] == nomination_texts.VOTED
    edited = harness.emulator.last_to(VOTER)
    assert edited.edited and "（1）" in edited.buttons()[0]["text"]
    await harness.press(VOTER, "👍", edited)
    assert harness.new_toasts()[-1] == nomination_texts.ALREADY_VOTED
    (closed,) = await harness.send(STAFF, "/closeround")
    assert "1 票" in closed.text
    await harness.press(VOTER, "👍", edited)
    assert harness.new_toasts()[-1] == nomination_texts.VOTE_ENDED
    async with sessions() as session:
        assert len((await session.scalars(select(Vote))).all()) == 1

    # 审定, then publish: nominators and 好人榜 subscribers are told; /honors shows the story.
    async with sessions() as session, session.begin():
        await users.subscribe(session, SUBSCRIBER, Topic.HONORS)
    sent = await harness.send(STAFF, "/nominations 已入围")
    await harness.press(STAFF, nomination_texts.BTN_APPROVE, sent[-1])
    await settled(harness)
    assert "已审定" in harness.emulator.last_to(RESIDENT_ID).body
    await harness.send(STAFF, "/publishhonors")
    published = harness.emulator.last_to(STAFF)
    assert "共 1 人" in published.text and "1 位订阅者" in published.text
    # The announcement goes through the broadcast engine (rate-limited, crash-safe).
    from handlers.broadcasts import make_sender

    await make_sender(harness.application).run_until_idle()
    assert "好人榜" in harness.emulator.last_to(SUBSCRIBER).body
    assert len([m for m in harness.emulator.sent_to(SUBSCRIBER) if "好人榜" in m.body]) == 1
    assert "已上榜" in harness.emulator.last_to(RESIDENT_ID).body
    assert "已上榜" in harness.emulator.last_to(SECOND).body
    harness.new_messages()  # the engine's sends are not replies to the next update
    (roll,) = await harness.send(VOTER, "/honors")
    assert "诚实守信" in roll.text and "王建国" in roll.text and "三万元现金" in roll.text

    (mine,) = await harness.send(SECOND, "/mynominations")
    assert f"已并入 {first.number}" in mine.text and "已上榜" in mine.text
    async with sessions() as session:
        actions = set(await session.scalars(select(AuditEntry.action)))
    assert {"nomination.shortlisted", "nomination.approved", "nomination.publish"} <= actions
    assert {"nomination.round_open", "nomination.round_close"} <= actions


async def test_reject_and_more_info_reasons_reach_the_nominator(
    harness: ChatHarness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await nominate(harness, RESIDENT_ID)
    sent = await harness.send(STAFF, "/nominations")
    await harness.press(STAFF, nomination_texts.BTN_MORE_INFO, sent[-1])
    await harness.send(STAFF, "请补充失主的联系方式<核实>")
    await settled(harness)
    notice = harness.emulator.last_to(RESIDENT_ID).body
    assert "待补充材料" in notice and "请补充失主的联系方式&lt;核实&gt;" in notice  # escaped

    (mine,) = await harness.send(RESIDENT_ID, "/mynominations")
    await harness.press(RESIDENT_ID, "补充材料", mine)
    (thanks,) = [
        m for m in await harness.send(RESIDENT_ID, "失主李女士，电话已告知社区") if m.chat_id == RESIDENT_ID
    ]
    assert "重新进入审核" in thanks.text
    await settled(harness)
    assert "已补充材料" in harness.emulator.last_to(STAFF).text  # back in the staff's queue
    nomination = await nomination_of(sessions, RESIDENT_ID)
    assert nomination.status is NominationStatus.SUBMITTED and "失主李女士" in nomination.story

    sent = await harness.send(STAFF, "/nominations")
    await harness.press(STAFF, nomination_texts.BTN_REJECT, sent[-1])
    (reask,) = await harness.send_sticker(STAFF)
    assert reask.text == texts.TEXT_EXPECTED
    await harness.send(STAFF, "事迹无法核实")
    await settled(harness)
    assert "事迹无法核实" in harness.emulator.last_to(RESIDENT_ID).body
    nomination = await nomination_of(sessions, RESIDENT_ID)
    assert nomination.status is NominationStatus.REJECTED
    # The old card's 入围 button pressed afterwards: a clear refusal, nothing changes.
    await harness.press(STAFF, nomination_texts.BTN_SHORTLIST, sent[-1])
    assert "不能改为" in harness.new_toasts()[-1]
    assert (await nomination_of(sessions, RESIDENT_ID)).status is NominationStatus.REJECTED


async def test_commands_are_listed_by_audience(harness: ChatHarness) -> None:
    default = {c["command"] for c in harness.emulator.commands["default"]}
    assert {"nominate", "mynominations", "vote", "honors"} <= default and "nominations" not in default
    staff = {c["command"] for c in harness.emulator.commands[f"chat:{STAFF}"]}
    assert {"nominations", "openround", "votestats", "voidvotes", "publishhonors"} <= staff
    (help_text,) = await harness.send(STAFF, "/help")
    assert "/publishhonors" in help_text.text


async def test_residents_cannot_use_staff_commands_or_buttons(harness: ChatHarness) -> None:
    await nominate(harness, RESIDENT_ID)
    card = (await harness.send(STAFF, "/nominations"))[-1]
    for command in ("/nominations", "/openround a 2026-01-01 08:00 2026-01-02 08:00", "/publishhonors"):
        (refusal,) = await harness.send(RESIDENT_ID, command)
        assert refusal.text == texts.NOT_ALLOWED
    for label in (nomination_texts.BTN_SHORTLIST, nomination_texts.BTN_REJECT, nomination_texts.BTN_MATERIAL):
        await harness.press(RESIDENT_ID, label, card)
        assert harness.new_toasts()[-1] == texts.NOT_ALLOWED
    (after,) = await harness.send(RESIDENT_ID, "/mynominations")
    assert "待审核" in after.text


async def test_bad_input_is_explained_and_nothing_is_lost(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/nominate")
    reask = (await harness.send(RESIDENT_ID, "随便打字"))[-1]
    assert reask.buttons()  # the kind buttons again
    await harness.press(RESIDENT_ID, "见义勇为")
    sent = await harness.send_sticker(RESIDENT_ID)
    assert sent[0].text == texts.TEXT_EXPECTED and sent[-1].text == nomination_texts.ASK_NAME
    # A main-menu button leaves the unfinished nomination and opens its own feature.
    (other,) = await harness.send(RESIDENT_ID, kit_texts.MENU_COMPLAIN)
    assert nomination_texts.ASK_NAME not in other.text
    (again,) = await harness.send(RESIDENT_ID, "李勇")  # no longer read as the nominee's name
    assert again.text != nomination_texts.ASK_COMMUNITY
    await harness.send(RESIDENT_ID, "/nominate")
    await harness.press(RESIDENT_ID, "见义勇为")
    await harness.send(RESIDENT_ID, "李勇")
    await harness.send(RESIDENT_ID, "市第一人民医院")
    (short,) = await harness.send(RESIDENT_ID, "他很好")
    assert "太简短" in short.text
    (long,) = await harness.send(RESIDENT_ID, "好" * 5000)
    assert "太长" in long.text
    await harness.send(RESIDENT_ID, STORY)
    for _ in range(3):
        await harness.send_photo(RESIDENT_ID)
    (limit,) = await harness.send_photo(RESIDENT_ID)
    assert "最多上传 3 张" in limit.text
    await harness.press(RESIDENT_ID, nomination_texts.PHOTOS_DONE)
    await harness.press(RESIDENT_ID, nomination_texts.SKIP)
    (summary,) = await harness.press(RESIDENT_ID, nomination_texts.CONSENT_NO)
    assert "李勇" in summary.text and "照片：3 张" in summary.text
    # 修改 the name only: straight back to the summary with everything else kept.
    await harness.press(RESIDENT_ID, nomination_texts.EDIT)
    await harness.press(RESIDENT_ID, "姓名")
    (summary,) = await harness.send(RESIDENT_ID, "李勇军")
    assert "李勇军" in summary.text and "照片：3 张" in summary.text and "市第一人民医院" in summary.text
    await harness.press(RESIDENT_ID, nomination_texts.EDIT)
    await harness.press(RESIDENT_ID, "可否联系")
    (summary,) = await harness.press(RESIDENT_ID, nomination_texts.CONSENT_YES)
    assert "可联系被推荐人：是" in summary.text and "李勇军" in summary.text
    await harness.press(RESIDENT_ID, nomination_texts.SUBMIT)
    assert "HR-" in harness.emulator.last_to(RESIDENT_ID).body
    await settled(harness)
    (vote,) = await harness.send(RESIDENT_ID, "/vote")
    assert vote.text == nomination_texts.VOTE_NONE
    (honors,) = await harness.send(RESIDENT_ID, "/honors")
    assert honors.text == nomination_texts.HONORS_EMPTY


async def test_cancel_drops_the_draft(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/nominate")
    await harness.press(RESIDENT_ID, "孝老爱亲")
    (cancelled,) = await harness.send(RESIDENT_ID, "/cancel")
    assert cancelled.text == nomination_texts.CANCELLED
    (stray,) = await harness.send(RESIDENT_ID, "赵大妈")
    assert stray.text == common_texts.UNKNOWN_TEXT
    (mine,) = await harness.send(RESIDENT_ID, "/mynominations")
    assert mine.text == nomination_texts.MINE_EMPTY


async def test_vote_stats_and_voiding(
    harness: ChatHarness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await nominate(harness, RESIDENT_ID)
    await harness.press(
        STAFF, nomination_texts.BTN_SHORTLIST, (await harness.send(STAFF, "/nominations"))[-1]
    )
    now = utcnow()
    start, end = format_local(now - timedelta(minutes=5)), format_local(now + timedelta(hours=1))
    await harness.send(STAFF, f"/openround 测试轮 {start} {end}")
    await settled(harness)
    card = (await harness.send(VOTER, "/vote"))[-1]
    await harness.press(VOTER, "👍", card)
    (stats,) = await harness.send(STAFF, "/votestats")
    assert "有效 1 票" in stats.text and str(VOTER) in stats.text  # a brand-new account
    async with sessions() as session:
        voting_round_id = (await session.scalars(select(Vote.round_id))).one()
    (voided,) = await harness.send(STAFF, f"/voidvotes {voting_round_id} {VOTER}")
    assert "已作废 1 票" in voided.text
    (stats,) = await harness.send(STAFF, "/votestats")
    assert "有效 0 票" in stats.text and "已作废 1 票" in stats.text
    (usage,) = await harness.send(STAFF, "/voidvotes abc")
    assert usage.text == nomination_texts.VOID_USAGE


async def test_a_half_written_nomination_survives_a_restart(
    harness: ChatHarness, settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await harness.send(RESIDENT_ID, "/nominate")
    await harness.press_data(RESIDENT_ID, "nom:kind:no-such-kind")
    assert harness.new_toasts()[-1] == texts.BUTTON_EXPIRED
    await harness.press(RESIDENT_ID, "敬业奉献")
    await harness.send(RESIDENT_ID, "陈医生")
    await harness.stop()

    async with ChatHarness(settings, clock=process_clock()) as restarted:
        (prompt,) = await restarted.send(RESIDENT_ID, "市第一人民医院")
        assert prompt.text.startswith("请讲讲TA的事迹")
        await restarted.send(RESIDENT_ID, STORY)
        await restarted.press(RESIDENT_ID, nomination_texts.PHOTOS_DONE)
        await restarted.press(RESIDENT_ID, nomination_texts.SKIP)
        await restarted.press(RESIDENT_ID, nomination_texts.CONSENT_YES)
        await restarted.press(RESIDENT_ID, nomination_texts.SUBMIT)
    nomination = await nomination_of(sessions, RESIDENT_ID)
    assert nomination.nominee_name == "陈医生" and nomination.community == "市第一人民医院"
    assert nomination.kind.value == "dedication"


async def reach_summary(harness: ChatHarness, user: int) -> SentMessage:
    await harness.send(user, "/nominate")
    await harness.press(user, "助人为乐")
    await harness.send(user, "周阿姨")
    await harness.send(user, "光明社区")
    await harness.send(user, STORY)
    await harness.press(user, nomination_texts.PHOTOS_DONE)
    await harness.press(user, nomination_texts.SKIP)
    (summary,) = await harness.press(user, nomination_texts.CONSENT_NO)
    return summary


async def test_changing_a_field_is_a_sub_flow_that_old_buttons_cannot_cut_short(
    harness: ChatHarness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    summary = await reach_summary(harness, RESIDENT_ID)
    await harness.press(RESIDENT_ID, nomination_texts.EDIT, summary)
    # While a field is being chosen or changed, the old summary's 提交 is stale: nothing is stored.
    assert await harness.press(RESIDENT_ID, nomination_texts.SUBMIT, summary) == []
    assert harness.new_toasts()[-1] == texts.BUTTON_EXPIRED
    (reask, picker) = await harness.send(RESIDENT_ID, "随便打字")
    assert reask.text == nomination_texts.REASK_BUTTONS and picker.text == nomination_texts.EDIT_WHICH
    (prompt,) = await harness.press(RESIDENT_ID, "事迹", picker)
    assert prompt.text.startswith("请讲讲TA的事迹")
    (short,) = await harness.send(RESIDENT_ID, "太短")
    assert "太简短" in short.text  # a refused answer stays in the sub-flow
    (summary,) = await harness.send(RESIDENT_ID, STORY + "她还教孩子们读书。")
    assert "她还教孩子们读书" in summary.text and "周阿姨" in summary.text
    async with sessions() as session:
        assert (await session.scalars(select(Nomination))).all() == []
    # Back at the summary, 提交 works again.
    await harness.press(RESIDENT_ID, nomination_texts.SUBMIT, summary)
    assert "HR-" in harness.emulator.last_to(RESIDENT_ID).body
    assert "她还教孩子们读书" in (await nomination_of(sessions, RESIDENT_ID)).story


async def test_cancel_inside_the_sub_flow_ends_the_nomination(harness: ChatHarness) -> None:
    summary = await reach_summary(harness, RESIDENT_ID)
    await harness.press(RESIDENT_ID, nomination_texts.EDIT, summary)
    await harness.press(RESIDENT_ID, "姓名")
    (cancelled,) = await harness.send(RESIDENT_ID, "/cancel")
    assert cancelled.text == nomination_texts.CANCELLED
    (stray,) = await harness.send(RESIDENT_ID, "周大妈")
    assert stray.text == common_texts.UNKNOWN_TEXT  # neither the sub-flow nor the nomination reads it
    # A fresh start asks the questions from the first again.
    await harness.send(RESIDENT_ID, "/nominate")
    (reask, prompt) = await harness.send(RESIDENT_ID, "周大妈")
    assert reask.text == nomination_texts.REASK_BUTTONS and prompt.buttons()


async def test_a_field_being_changed_survives_a_restart(
    harness: ChatHarness, settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    summary = await reach_summary(harness, RESIDENT_ID)
    await harness.press(RESIDENT_ID, nomination_texts.EDIT, summary)
    await harness.press(RESIDENT_ID, "社区/单位")
    await harness.stop()

    async with ChatHarness(settings, clock=process_clock()) as restarted:
        (summary,) = await restarted.send(RESIDENT_ID, "幸福里社区")
        assert "幸福里社区" in summary.text and "周阿姨" in summary.text
        await restarted.press(RESIDENT_ID, nomination_texts.SUBMIT, summary)
    assert (await nomination_of(sessions, RESIDENT_ID)).community == "幸福里社区"
