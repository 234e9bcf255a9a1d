"""The one sender's outbox source against the Bot API emulator (through PTB): order, retries,
unreachable people and groups, cards, parts, and priority over broadcasts."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select, update
from telegram import Bot

from bot.botapi_emulator import BotApiEmulator, BotApiError, BotApiTimeout, Chaos, OfflineRequest
from bot.broadcast_delivery import MemorySlotStore
from bot.clock import process_clock
from bot.config import Settings
from bot.database import transaction
from bot.models import Delivery, DeliveryStatus, OutboxCard, OutboxMessage, OutboxStatus, User
from bot.outbox import notify, service
from bot.outbox import texts as outbox_texts
from bot.outbox.service import Location
from bot.sending import Sender
from handlers.broadcasts import telegram_send
from tests.conftest import ADMIN_ID
from tests.support.broadcast_fixtures import add_users, notice_now
from tests.test_broadcast_pacer import max_in_any_window

TOKEN = "123456:TEST"
STAFF_CHAT = -100900
DEPARTMENT = -100101
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
async def emulator_bot():
    emulator = BotApiEmulator(token=TOKEN)
    bot = Bot(TOKEN, request=OfflineRequest(emulator))
    async with bot:
        yield emulator, bot


def one_sender(sessions: Any, settings: Settings, bot: Bot, **overrides: Any) -> Sender:
    """The bot's one sender (outbox, then broadcasts) with a fast pace and short backoff."""
    from bot.outbox.telegram import build_sender

    updates = {"broadcast_rate_per_second": 200.0, "staff_chat_id": STAFF_CHAT, **overrides}
    return build_sender(
        sessions,
        settings.model_copy(update=updates),
        bot,
        telegram_send(bot),
        clock=process_clock(),
        store=MemorySlotStore(),
        backoff_seconds=0.05,
    )


async def statuses(sessions: Any) -> Counter[OutboxStatus]:
    async with sessions() as session:
        return Counter(OutboxStatus(s) for s in await session.scalars(select(OutboxMessage.status)))


def bodies(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    return [m.body for m in emulator.messages if m.chat_id == chat_id]


async def test_each_chat_gets_its_messages_once_and_in_order_under_random_failures(
    sessions, settings, emulator_bot
) -> None:
    """20 % of calls fail at random (429 with retry_after, 502, timeouts); nothing is lost or doubled."""
    emulator, bot = emulator_bot
    groups, people = [-100201, -100202, -100203], [3001, 3002, 3003, 3004]
    async with transaction(sessions) as session:
        for n in range(8):
            for chat in groups:
                await notify.group(session, chat, f"{chat}:{n}", kind="test.group", label="部门")
        for n in range(3):
            for person in people:
                await notify.person(session, person, f"{person}:{n}", kind="test.person")
        await notify.card(session, groups[0], "ticket:1", "卡片 v0", kind="test.card")
    for version in (1, 2):  # edits committed later, in their own transactions, as staff act
        async with transaction(sessions) as session:
            await notify.edit_card(session, "ticket:1", f"卡片 v{version}", kind="test.card")
    emulator.chaos = Chaos(0.2, seed=14)
    sender = one_sender(sessions, settings, bot)
    await sender.run_until_idle()
    assert emulator.chaos.injected >= 5  # the faults really happened
    for chat in groups:
        assert bodies(emulator, chat)[:8] == [f"{chat}:{n}" for n in range(8)]
    for person in people:
        assert bodies(emulator, person) == [f"{person}:{n}" for n in range(3)]
    card_versions = [
        m.body for m in emulator.messages if m.chat_id == groups[0] and m.body.startswith("卡片")
    ]
    assert card_versions == ["卡片 v0", "卡片 v1", "卡片 v2"]  # sent, then edited twice, in order
    assert emulator.sent_to(groups[0])[-1].body == "卡片 v2"
    assert await statuses(sessions) == {OutboxStatus.SENT: 8 * 3 + 3 * 4 + 3}


async def test_retries_until_the_deadline_then_failed_and_the_chat_moves_on(
    sessions, settings, emulator_bot
) -> None:
    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        await notify.person(session, 3001, "发不出去", kind="test.doomed")
        await notify.person(session, 3001, "排在后面", kind="test.after")
        await notify.person(session, 3002, "别人的", kind="test.other")
    emulator.inject(BotApiError(502, "Bad Gateway"), chat_id=3001, times=1000)
    sender = one_sender(sessions, settings, bot, outbox_retry_deadline_hours=1.5 / 3600)
    await sender.run_until_idle()
    async with sessions() as session:
        rows = {r.kind: r for r in await session.scalars(select(OutboxMessage))}
        stats = await service.stats(session, process_clock().now())
    assert rows["test.doomed"].status is OutboxStatus.FAILED and rows["test.doomed"].attempts >= 3
    assert "Bad Gateway" in (rows["test.doomed"].error or "")
    assert rows["test.other"].status is OutboxStatus.SENT
    assert stats.by_kind["test.doomed"].failed == 1
    # The chat's next message waited for the failed one, then had its own (failing) turn.
    assert rows["test.after"].status is OutboxStatus.FAILED and rows["test.after"].attempts >= 1


async def test_a_person_who_blocked_the_bot_is_marked_unreachable_with_one_call(
    sessions, settings, emulator_bot
) -> None:
    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        await add_users(session, [3001, 3002])
        for n in range(3):
            await notify.person(session, 3001, f"第 {n} 条", kind="test.blocked")
        await notify.person(session, 3002, "照常送达", kind="test.fine")
    emulator.blocked_chats.add(3001)
    await one_sender(sessions, settings, bot).run_until_idle()
    assert len([c for c in emulator.calls if c[0] == "sendMessage" and int(c[1]["chat_id"]) == 3001]) == 1
    assert bodies(emulator, 3002) == ["照常送达"]
    async with sessions() as session:
        assert (await session.get(User, 3001)).unreachable_since is not None
        stats = await service.stats(session, process_clock().now())
    assert stats.by_kind["test.blocked"].unreachable == 3


@pytest.mark.parametrize("failure", ["kicked", "deleted"])
async def test_an_unreachable_group_falls_back_to_the_staff_chat_with_a_line(
    sessions, settings, emulator_bot, failure: str
) -> None:
    emulator, bot = emulator_bot
    (emulator.blocked_chats if failure == "kicked" else emulator.missing_chats).add(DEPARTMENT)
    async with transaction(sessions) as session:
        await notify.card(
            session,
            DEPARTMENT,
            "ticket:7",
            "工单 #7 待受理",
            kind="ticket.card",
            label="城管局",
            keyboard=[[("受理", "tk:acc:7")]],
        )
        await notify.group(session, DEPARTMENT, "城管局：今日待办 3 件", kind="ticket.digest", label="城管局")
        await notify.edit_card(session, "ticket:7", "工单 #7 已受理", kind="ticket.card")
    await one_sender(sessions, settings, bot).run_until_idle()
    line = outbox_texts.GROUP_UNREACHABLE.format(group="城管局")
    staff = bodies(emulator, STAFF_CHAT)
    # The card (in its latest state) and the digest, each once, each with the line above it.
    assert [b.split("\n\n", 1)[1] for b in staff] == [
        "工单 #7 待受理",
        "城管局：今日待办 3 件",
        "工单 #7 已受理",
    ]
    assert all(b.startswith(line) for b in staff)
    (card,) = [m for m in emulator.sent_to(STAFF_CHAT) if "工单 #7" in m.body]  # edited in place
    assert card.edited and card.buttons() == []  # the edit set no buttons
    async with transaction(sessions) as session:
        assert await service.card_chats(session, "ticket:7") == [STAFF_CHAT]
        assert await service.rerouted_cards(session, "ticket:") == ["ticket:7"]
        await notify.edit_card(session, "ticket:7", "工单 #7 已办结", kind="ticket.card")  # follows the card
    await one_sender(sessions, settings, bot).run_until_idle()
    (card,) = [m for m in emulator.sent_to(STAFF_CHAT) if "工单 #7" in m.body]
    assert card.body == f"{line}\n\n工单 #7 已办结"
    assert bodies(emulator, DEPARTMENT) == []


async def test_without_a_staff_chat_or_when_it_is_gone_every_admin_gets_it(
    sessions, settings, emulator_bot
) -> None:
    emulator, bot = emulator_bot
    emulator.blocked_chats.update({DEPARTMENT, STAFF_CHAT})
    async with transaction(sessions) as session:
        await notify.group(session, DEPARTMENT, "紧急：井盖缺失", kind="ticket.urgent", label="城管局")
    await one_sender(sessions, settings, bot).run_until_idle()  # department → staff chat → admins
    assert [b.endswith("紧急：井盖缺失") for b in bodies(emulator, ADMIN_ID)] == [True]
    async with transaction(sessions) as session:
        await notify.staff(session, settings, "新的好人推荐待审核", kind="nomination.staff")
    await one_sender(sessions, settings, bot, staff_chat_id=None).run_until_idle()
    assert bodies(emulator, ADMIN_ID)[-1] == "新的好人推荐待审核"  # no staff chat: the admins directly


async def test_card_edits_are_idempotent_and_a_vanished_card_is_sent_again(
    sessions, settings, emulator_bot
) -> None:
    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        await notify.card(
            session, DEPARTMENT, "ticket:3", "工单 #3", kind="ticket.card", keyboard=[[("受理", "tk:acc:3")]]
        )
    sender = one_sender(sessions, settings, bot)
    await sender.run_until_idle()
    (card,) = emulator.sent_to(DEPARTMENT)
    async with transaction(sessions) as session:  # the same content again: "message is not modified"
        await notify.edit_card(
            session, "ticket:3", "工单 #3", kind="ticket.card", keyboard=[[("受理", "tk:acc:3")]]
        )
    await sender.run_until_idle()
    assert any(c[0] == "editMessageText" for c in emulator.calls)
    assert emulator.sent_to(DEPARTMENT) == [card] and await statuses(sessions) == {OutboxStatus.SENT: 2}

    card.deleted = True  # someone deleted the card in the group
    async with transaction(sessions) as session:
        await notify.edit_card(session, "ticket:3", "工单 #3（已受理）", kind="ticket.card")
    await sender.run_until_idle()
    (again,) = emulator.sent_to(DEPARTMENT)
    assert again.message_id != card.message_id and again.body == "工单 #3（已受理）" and not again.edited
    async with sessions() as session:
        registry = await session.get(OutboxCard, ("ticket:3", DEPARTMENT))
    assert registry.message_id == again.message_id
    async with transaction(sessions) as session:
        await notify.edit_card(session, "ticket:3", "工单 #3（已办结）", kind="ticket.card")
    await sender.run_until_idle()
    (latest,) = emulator.sent_to(DEPARTMENT)
    assert latest.edited and latest.message_id == again.message_id


async def test_photos_text_buttons_and_places_become_the_right_calls(
    sessions, settings, emulator_bot
) -> None:
    emulator, bot = emulator_bot
    rating = [[("⭐⭐⭐⭐⭐", "tk:rate:1:5")]]
    async with transaction(sessions) as session:
        await notify.person(
            session, 3001, "已办结，请评价", kind="ticket.resolved", photos=["ph1"], keyboard=rating
        )
        await notify.person(
            session, 3002, "现场整改前后", kind="ticket.resolved", photos=["ph1", "ph2"], keyboard=rating
        )
        await notify.person(
            session,
            3003,
            "你的班次：周六 9:00",
            kind="volunteer.shift",
            location=Location(30.59, 114.30, "江岸区文明岗", "中山大道 1 号"),
        )
    emulator.inject(
        BotApiError(429, "Too Many Requests", retry_after=1), chat_id=3002, methods={"sendMessage"}
    )
    await one_sender(sessions, settings, bot).run_until_idle()
    (photo,) = emulator.sent_to(3001)
    assert photo.method == "sendPhoto" and photo.caption == "已办结，请评价" and photo.buttons()
    album = emulator.sent_to(3002)
    # Two photos then the text with the buttons; the 429 on the text did not send the album again.
    assert [m.method for m in album] == ["sendMediaGroup", "sendMediaGroup", "sendMessage"]
    assert album[-1].body == "现场整改前后" and album[-1].buttons()
    assert [m.method for m in emulator.sent_to(3003)] == ["sendMessage", "sendVenue"]
    assert await statuses(sessions) == {OutboxStatus.SENT: 3}


async def test_a_group_that_became_a_supergroup_gets_its_messages_at_the_new_id(
    sessions, settings, emulator_bot
) -> None:
    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        await notify.card(session, DEPARTMENT, "ticket:5", "工单 #5", kind="ticket.card", label="城管局")
    emulator.inject(
        BotApiError(400, "Bad Request: group chat was upgraded", migrate_to_chat_id=-100777),
        chat_id=DEPARTMENT,
    )
    await one_sender(sessions, settings, bot).run_until_idle()
    assert bodies(emulator, -100777) == ["工单 #5"]
    async with sessions() as session:
        assert await service.card_chats(session, "ticket:5") == [-100777]


async def test_owed_messages_go_before_a_running_broadcast_and_share_its_pace(
    sessions, settings, emulator_bot
) -> None:
    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        await add_users(session, range(5000, 5060))
        await notice_now(session)
        for person in range(6000, 6020):
            await notify.person(session, person, f"owed {person}", kind="test.owed")
    sender = one_sender(sessions, settings, bot, broadcast_rate_per_second=50.0)
    await sender.run_until_idle()
    order = [m.chat_id for m in emulator.messages]
    assert set(order[:20]) == set(range(6000, 6020))  # every owed message before any delivery
    assert len(order) == 80 and max_in_any_window(sender.stats.send_times) <= 50
    async with sessions() as session:
        sent = await session.scalars(select(Delivery.status))
        assert set(sent) == {DeliveryStatus.SENT}


async def test_a_timeout_is_retried_and_dead_claims_come_back(sessions, settings, emulator_bot) -> None:
    import socket

    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        await notify.person(session, 3001, "超时后重发", kind="test.timeout")
        await notify.person(session, 3002, "死进程留下的", kind="test.orphan")
        await session.flush()
        await session.execute(  # claimed by a process of this host that no longer exists
            update(OutboxMessage)
            .where(OutboxMessage.kind == "test.orphan")
            .values(status=OutboxStatus.CLAIMED, claimed_by=f"{socket.gethostname()[:30]}:999999999:x")
        )
    emulator.inject(BotApiTimeout("timed out"), chat_id=3001)
    await one_sender(sessions, settings, bot).run_until_idle()
    assert bodies(emulator, 3001) == ["超时后重发"] and bodies(emulator, 3002) == ["死进程留下的"]
    assert await statuses(sessions) == {OutboxStatus.SENT: 2}
