"""/broadcast and /broadcasts through the real Application (offline Bot API)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot import texts
from bot.database import transaction
from bot.harness import ChatHarness
from bot.models import AuditEntry, Broadcast, BroadcastStatus, Delivery, Role, ScheduledTask, ScheduleKind
from bot.services.users import set_role
from handlers.broadcasts import make_sender
from handlers.broadcasts import texts as broadcast_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID, STAFF_ID
from tests.support.broadcast_fixtures import add_users


@pytest.fixture
def settings(settings):
    """The bot's own sender polls rarely here: tests run the engine themselves, deterministically."""
    return settings.model_copy(update={"broadcast_poll_seconds": 3600.0})


async def _compose_to_when(harness: ChatHarness, text: str = "<b>周六</b>开展文明劝导") -> None:
    (prompt,) = await harness.send(ADMIN_ID, "/broadcast")
    assert "通知内容" in prompt.text
    (audience,) = await harness.send(ADMIN_ID, text)
    assert audience.text == broadcast_texts.CHOOSE_AUDIENCE
    await harness.press(ADMIN_ID, "订阅「通知」")


async def test_staff_sends_now_preview_then_everyone_subscribed_gets_it(
    harness: ChatHarness, sessions
) -> None:
    async with transaction(sessions) as session:
        ids = await add_users(session, range(1000, 1012))
        await add_users(session, range(2000, 2003), topics=())  # opted out
    await _compose_to_when(harness)
    when = harness.latest_with_buttons(ADMIN_ID)
    assert "约 12 人" in when.text
    sent = await harness.press(ADMIN_ID, broadcast_texts.WHEN_NOW)
    preview = [m for m in sent if m.text == "<b>周六</b>开展文明劝导"]
    assert len(preview) == 1 and preview[0].parse_mode == "HTML"  # exactly as recipients get it
    assert "确认发送吗" in sent[-1].text
    confirm_message = harness.latest_with_buttons(ADMIN_ID)
    done = await harness.press(ADMIN_ID, broadcast_texts.CONFIRM)
    assert "已开始发送，共 12 人" in done[-1].text
    again = await harness.press_data(ADMIN_ID, "bcw:ok:yes", confirm_message)  # old button pressed twice
    assert not [m for m in again if "已开始发送" in (m.text or "")]
    await make_sender(harness.application).run_until_idle()
    for chat in ids:
        (message,) = harness.emulator.sent_to(chat)
        assert message.text == "<b>周六</b>开展文明劝导"
    assert harness.emulator.sent_to(2000) == []
    async with sessions() as session:
        assert await session.scalar(select(func.count(Broadcast.id))) == 1
        assert await session.scalar(select(AuditEntry.action).where(AuditEntry.actor_id == ADMIN_ID)) == (
            "broadcast.create"
        )
    listing = (await harness.send(ADMIN_ID, "/broadcasts"))[-1]
    assert "已发送 12" in listing.text and "已完成" in listing.text


async def test_invalid_html_is_refused_before_anything_is_sent(harness: ChatHarness) -> None:
    await harness.send(ADMIN_ID, "/broadcast")
    (answer,) = await harness.send(ADMIN_ID, "<div>你好</div>")
    assert "格式有误" in answer.text and "div" in answer.text
    (answer,) = await harness.send(ADMIN_ID, "<b>没有结束")
    assert "没有结束" in answer.text
    # The refusal quotes the tag it did not accept, escaped (Telegram would refuse "<b&c>" in HTML).
    (answer,) = await harness.send(ADMIN_ID, "<b&c>文字</b&c>")
    assert "格式有误" in answer.text and "&lt;b&amp;c&gt;" in answer.text  # the emulator parsed it
    (answer,) = await harness.send_sticker(ADMIN_ID)
    assert answer.text == broadcast_texts.COMPOSE_AGAIN
    (answer,) = await harness.send(ADMIN_ID, "1 &lt; 2 <i>正确</i>")
    assert answer.text == broadcast_texts.CHOOSE_AUDIENCE


async def test_residents_and_handlers_cannot_broadcast_or_press_staff_buttons(
    harness: ChatHarness, sessions
) -> None:
    async with transaction(sessions) as session:
        await set_role(session, STAFF_ID, Role.HANDLER, "城管局")
    for user in (RESIDENT_ID, STAFF_ID):
        (answer,) = await harness.send(user, "/broadcast")
        assert answer.text == texts.NOT_ALLOWED
        (answer,) = await harness.send(user, "/broadcasts")
        assert answer.text == texts.NOT_ALLOWED
    await _compose_to_when(harness)
    message = harness.latest_with_buttons(ADMIN_ID)
    await harness.press_data(RESIDENT_ID, "bcw:when:now", message)
    await harness.press_data(RESIDENT_ID, "bc:cancel:1", message)
    # Outside the conversation the first is a stale button; the staff action is refused by role.
    assert harness.new_toasts()[-2:] == [texts.BUTTON_EXPIRED, texts.NOT_ALLOWED]
    async with sessions() as session:
        assert await session.scalar(select(func.count(Broadcast.id))) == 0


async def test_schedule_weekly_then_pause_resume_cancel_from_the_list(harness: ChatHarness, sessions) -> None:
    await _compose_to_when(harness)
    await harness.press(ADMIN_ID, broadcast_texts.WHEN_WEEKLY)
    await harness.press(ADMIN_ID, "周三")
    (bad,) = await harness.send(ADMIN_ID, "25:99")
    assert bad.text == broadcast_texts.BAD_TIME
    sent = await harness.send(ADMIN_ID, "08:30")
    assert "每周三 08:30" in sent[-1].text
    done = await harness.press(ADMIN_ID, broadcast_texts.CONFIRM)
    assert "已预约" in done[-1].text
    async with sessions() as session:
        broadcast = await session.scalar(select(Broadcast))
        task = await session.scalar(select(ScheduledTask).where(ScheduledTask.key.startswith("broadcast:")))
    assert broadcast.schedule_kind is ScheduleKind.WEEKLY and broadcast.status is BroadcastStatus.SCHEDULED
    assert task.key.startswith(f"broadcast:{broadcast.id}:") and task.due_at.weekday() in (1, 2)

    await harness.send(ADMIN_ID, "/broadcasts")
    await harness.press(ADMIN_ID, broadcast_texts.PAUSE)
    assert "已暂停" in harness.latest_with_buttons(ADMIN_ID).text
    await harness.press(ADMIN_ID, broadcast_texts.RESUME)
    assert "待发送" in harness.latest_with_buttons(ADMIN_ID).text
    listing = harness.latest_with_buttons(ADMIN_ID)
    await harness.press(ADMIN_ID, broadcast_texts.CANCEL, listing)
    await harness.press(ADMIN_ID, broadcast_texts.CANCEL, listing)  # the stale button: refused politely
    assert any("不能执行" in t for t in harness.new_toasts())
    async with sessions() as session:
        assert (await session.scalar(select(Broadcast))).status is BroadcastStatus.CANCELLED
        assert (
            await session.scalar(select(ScheduledTask).where(ScheduledTask.key.startswith("broadcast:")))
        ).status.value == "cancelled"


async def test_scheduled_at_fires_once_per_occurrence_via_the_scheduler(
    harness: ChatHarness, sessions
) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from bot.timeutil import utcnow

    async with transaction(sessions) as session:
        await add_users(session, range(1000, 1005))
    await _compose_to_when(harness)
    await harness.press(ADMIN_ID, broadcast_texts.WHEN_AT)
    (bad,) = await harness.send(ADMIN_ID, "2001-01-01 09:00")
    assert bad.text == broadcast_texts.TIME_PAST
    await harness.send(ADMIN_ID, "明天 09:30")
    await harness.press(ADMIN_ID, broadcast_texts.CONFIRM)
    async with transaction(sessions) as session:
        await session.execute(
            update(ScheduledTask)
            .where(ScheduledTask.key.startswith("broadcast:"))
            .values(due_at=utcnow() - timedelta(seconds=1))
        )
    tasks = harness.application.bot_data.tasks
    assert await tasks.run_due(harness.application.bot_data.sessions) == 1
    assert await tasks.run_due(harness.application.bot_data.sessions) == 0  # once, even if asked again
    await make_sender(harness.application).run_until_idle()
    assert all(len(harness.emulator.sent_to(i)) == 1 for i in range(1000, 1005))
    async with sessions() as session:
        assert await session.scalar(select(func.count(Delivery.id))) == 5
        assert (await session.scalar(select(Broadcast))).status is BroadcastStatus.FINISHED


async def test_department_and_district_audiences(harness: ChatHarness, sessions) -> None:
    async with transaction(sessions) as session:
        await add_users(session, [3001, 3002], role=Role.HANDLER, department="城管局", topics=())
        await add_users(session, [3003], role=Role.HANDLER, department="交警大队", topics=())
    await harness.send(ADMIN_ID, "/broadcast")
    await harness.send(ADMIN_ID, "请今天下班前处理完积压工单")
    await harness.press(ADMIN_ID, "某部门办理人员")
    await harness.press(ADMIN_ID, "城管局")
    assert "城管局的办理人员（当前约 2 人）" in harness.latest_with_buttons(ADMIN_ID).text
    await harness.press(ADMIN_ID, broadcast_texts.WHEN_NOW)
    await harness.press(ADMIN_ID, broadcast_texts.CONFIRM)
    await make_sender(harness.application).run_until_idle()
    assert len(harness.emulator.sent_to(3001)) == 1 and harness.emulator.sent_to(3003) == []


async def test_photo_notice_and_cancel_midway(harness: ChatHarness, sessions) -> None:
    async with transaction(sessions) as session:
        await add_users(session, [1000])
    await harness.send(ADMIN_ID, "/broadcast")
    await harness.send_photo(ADMIN_ID, caption="好人榜<b>发布</b>")
    await harness.press(ADMIN_ID, "订阅「通知」")
    (cancelled,) = await harness.send(ADMIN_ID, "/cancel")
    assert cancelled.text == texts.CANCELLED  # the one /cancel of every conversation
    await harness.send(ADMIN_ID, "/broadcast")
    await harness.send_photo(ADMIN_ID, caption="好人榜<b>发布</b>")
    await harness.press(ADMIN_ID, "订阅「通知」")
    sent = await harness.press(ADMIN_ID, broadcast_texts.WHEN_NOW)
    photo = [m for m in sent if m.method == "sendPhoto"]
    assert len(photo) == 1 and photo[0].caption == "好人榜<b>发布</b>"
    await harness.press(ADMIN_ID, broadcast_texts.CONFIRM)
    await make_sender(harness.application).run_until_idle()
    (received,) = harness.emulator.sent_to(1000)
    assert received.method == "sendPhoto" and received.caption == "好人榜<b>发布</b>"


async def test_district_audience_reaches_that_districts_subscribed_volunteers(
    harness: ChatHarness, sessions
) -> None:
    from bot.models import VolunteerProfile
    from bot.timeutil import utcnow

    async with transaction(sessions) as session:
        await add_users(session, [4001, 4002, 4003], role=Role.VOLUNTEER)  # subscribed to 通知
        await add_users(session, [4004], role=Role.VOLUNTEER, topics=())  # opted out
        for user_id, district in ((4001, "江岸区"), (4002, "江岸区"), (4003, "汉阳区"), (4004, "江岸区")):
            session.add(
                VolunteerProfile(
                    user_id=user_id,
                    real_name="张三",
                    phone="13800138000",
                    district=district,
                    consent_at=utcnow(),
                )
            )
    await harness.send(ADMIN_ID, "/broadcast")
    await harness.send(ADMIN_ID, "本周六江岸区文明劝导集合通知")
    await harness.press(ADMIN_ID, "按区县")
    await harness.press(ADMIN_ID, "江岸区")
    await harness.press(ADMIN_ID, broadcast_texts.WHEN_NOW)
    await harness.press(ADMIN_ID, broadcast_texts.CONFIRM)
    await make_sender(harness.application).run_until_idle()
    assert [len(harness.emulator.sent_to(i)) for i in (4001, 4002, 4003, 4004)] == [1, 1, 0, 0]
