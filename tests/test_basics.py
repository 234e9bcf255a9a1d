"""Resident basics through the real Application and an offline Bot API."""

import json

from sqlalchemy import select

from bot.database import transaction
from bot.harness import ChatHarness
from bot.models import Role, Subscription, Topic, User
from handlers.common import texts as common_texts
from handlers.kit import texts as kit_texts
from tests.conftest import RESIDENT_ID
from tests.support.eventually import eventually


async def test_start_shows_welcome_and_main_menu(harness: ChatHarness) -> None:
    sent = await harness.send(RESIDENT_ID, "/start", first_name="王<阿姨>")
    assert len(sent) == 1
    assert "欢迎使用" in sent[0].text
    assert "王&lt;阿姨&gt;" in sent[0].text  # user-supplied names are escaped
    assert sent[0].keyboard() == ["投诉举报", "志愿报名", "文明公约", "好人推荐", "订阅通知"]


async def test_help_lists_resident_commands_only(harness: ChatHarness) -> None:
    (reply,) = await harness.send(RESIDENT_ID, "/help")
    assert "/subscribe" in reply.text and "/forget" in reply.text
    assert common_texts.HELP_STAFF_HEADER not in reply.text
    assert common_texts.CONSOLE_HELP not in reply.text


async def test_unknown_command_text_and_sticker_get_helpful_replies(harness: ChatHarness) -> None:
    (reply,) = await harness.send(RESIDENT_ID, "/frobnicate now")
    assert "/frobnicate" in reply.text and "/help" in reply.text
    (reply,) = await harness.send(RESIDENT_ID, "随便说点什么")
    assert reply.text == common_texts.UNKNOWN_TEXT
    (reply,) = await harness.send_sticker(RESIDENT_ID)
    assert reply.text == common_texts.NON_TEXT_NOT_EXPECTED
    (reply,) = await harness.send(RESIDENT_ID, "/cancel")
    assert reply.text == common_texts.NOTHING_TO_CANCEL


async def test_set_my_commands_published_with_scopes(harness: ChatHarness) -> None:
    default = harness.emulator.commands["default"]
    assert {c["command"] for c in default} >= {"start", "help", "subscribe", "mydata", "forget"}
    assert "chat:900001" in harness.emulator.commands  # the configured admin gets a chat-scoped menu


async def test_subscribe_toggle_and_double_tap(harness: ChatHarness, sessions) -> None:
    await harness.send(RESIDENT_ID, "订阅通知")
    message = harness.latest_with_buttons(RESIDENT_ID)
    await harness.press(RESIDENT_ID, "通知", message)
    async with sessions() as session:
        topics = set(
            await session.scalars(select(Subscription.topic).where(Subscription.user_id == RESIDENT_ID))
        )
    assert topics == {Topic.NOTICES}
    assert "当前订阅：通知" in harness.latest_with_buttons(RESIDENT_ID).text

    await harness.send(RESIDENT_ID, "/unsubscribe")
    off_message = harness.latest_with_buttons(RESIDENT_ID)
    await harness.press(RESIDENT_ID, "通知", off_message)
    await harness.press(RESIDENT_ID, "通知", off_message)  # an old button pressed twice stays unsubscribed
    async with sessions() as session:
        assert (await session.scalar(select(Subscription).where(Subscription.user_id == RESIDENT_ID))) is None


async def test_mydata_exports_json_and_forget_erases(harness: ChatHarness, sessions) -> None:
    await harness.send(RESIDENT_ID, "/start")
    await harness.send(RESIDENT_ID, "/subscribe")
    await harness.press(RESIDENT_ID, "每日公约")
    (document,) = await harness.send(RESIDENT_ID, "/mydata")
    assert document.method == "sendDocument"
    exported = json.loads(document.document_bytes or b"{}")
    assert exported["Telegram账号ID"] == RESIDENT_ID
    assert exported["订阅"] == ["每日公约"]

    await harness.send(RESIDENT_ID, "/forget")
    await harness.press(RESIDENT_ID, "确认删除")
    assert harness.emulator.last_to(RESIDENT_ID).text == common_texts.FORGET_DONE
    async with sessions() as session:
        assert await session.get(User, RESIDENT_ID) is None
        assert (await session.scalar(select(Subscription).where(Subscription.user_id == RESIDENT_ID))) is None


async def test_forget_cancel_keeps_data(harness: ChatHarness, sessions) -> None:
    await harness.send(RESIDENT_ID, "/start")
    await harness.send(RESIDENT_ID, "/forget")
    await harness.press(RESIDENT_ID, "取消")
    assert harness.emulator.last_to(RESIDENT_ID).text == common_texts.FORGET_KEPT

    async def stored() -> User | None:
        async with sessions() as session:
            return await session.get(User, RESIDENT_ID)

    await eventually(stored, timeout=3, what="the /start row, kept")


async def test_flood_control_notifies_once_and_drops(harness: ChatHarness) -> None:
    replies = []
    for _ in range(25):
        replies += await harness.send(RESIDENT_ID, "你好")
    notices = [m for m in replies if m.text == kit_texts.FLOOD_NOTICE]
    assert len(notices) == 1
    assert len(replies) == 21  # 20 answered, then one notice, the rest dropped


def test_flood_gate_forgets_quiet_users() -> None:
    from bot.flood import FloodGate, FloodVerdict

    gate = FloodGate(max_messages=2, window_seconds=10)
    assert [gate.check(1, now=t) for t in (0, 1, 2, 3)] == [
        FloodVerdict.ALLOW,
        FloodVerdict.ALLOW,
        FloodVerdict.NOTIFY,
        FloodVerdict.DROP,
    ]
    assert gate.check(1, now=20) is FloodVerdict.ALLOW  # a new window
    gate.forget_idle(now=100)
    assert gate._seen == {} and gate._notified == {}


async def test_every_main_menu_button_opens_its_feature(harness: ChatHarness) -> None:
    for label in [label for row in kit_texts.MENU_ROWS for label in row]:
        sent = await harness.send(RESIDENT_ID, label)
        assert sent, label
        assert all(m.text != common_texts.UNKNOWN_TEXT for m in sent), f"{label} fell through to the fallback"
        await harness.send(RESIDENT_ID, "/cancel")


async def test_start_records_the_user_behind_in_one_batch(harness: ChatHarness, sessions) -> None:
    from bot.services.users import Sighting
    from bot.timeutil import utcnow

    data = harness.application.bot_data
    buffer = data.sightings
    buffer.saw(Sighting(70001, "张大爷", None, utcnow()))
    buffer.saw(Sighting(70002, "李阿姨", "li", utcnow()))
    buffer.saw(Sighting(70001, "张大爷（新）", None, utcnow()))  # the latest name wins
    assert await buffer.flush(sessions) == 2
    assert await buffer.flush(sessions) == 0
    async with sessions() as session:
        first = await session.get(User, 70001)
        assert first is not None and first.display_name == "张大爷（新）"
    async with transaction(sessions) as session:
        first = await session.get(User, 70001)
        first.role = Role.STAFF
    buffer.saw(Sighting(70001, "张大爷", None, utcnow()))
    await buffer.flush(sessions)
    async with sessions() as session:
        again = await session.get(User, 70001)
        assert again is not None and again.role is Role.STAFF  # a sighting never touches the role
