"""The delivery engine against the Bot API emulator (through PTB): 429, 403, network errors, claims."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from telegram import Bot

from bot.botapi_emulator import BotApiEmulator, BotApiError, OfflineRequest
from bot.broadcast_delivery import BroadcastSender, MemorySlotStore, claim_batch, release_stale_claims
from bot.database import transaction
from bot.models import Broadcast, BroadcastStatus, Delivery, DeliveryStatus, Topic, User
from bot.timeutil import utcnow
from handlers.broadcasts import telegram_send
from tests.support.broadcast_fixtures import add_users, notice_now, statuses

TOKEN = "123456:TEST"
pytestmark = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)  # PTB reads retry_after itself


@pytest.fixture
async def emulator_bot():
    emulator = BotApiEmulator(token=TOKEN)
    bot = Bot(TOKEN, request=OfflineRequest(emulator))
    async with bot:
        yield emulator, bot


def sender(sessions, bot, **kwargs) -> BroadcastSender:
    kwargs.setdefault("rate", 500)
    kwargs.setdefault("store", MemorySlotStore())
    kwargs.setdefault("backoff_seconds", 0.01)
    return BroadcastSender(sessions, telegram_send(bot), **kwargs)


async def test_everyone_gets_exactly_one_copy_and_the_notice_finishes(sessions, emulator_bot) -> None:
    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        ids = await add_users(session, range(1000, 1120))
        await add_users(session, range(2000, 2010), topics=())  # not subscribed: never sent
        broadcast_id = await notice_now(session)
    await sender(sessions, bot).run_until_idle()
    received = Counter(m.chat_id for m in emulator.messages)
    assert received == Counter(ids)
    assert all(m.parse_mode == "HTML" and "<b>创文通知</b>" in (m.text or "") for m in emulator.messages)
    async with sessions() as session:
        assert await statuses(session, broadcast_id) == {DeliveryStatus.SENT: 120}
        assert (await session.get(Broadcast, broadcast_id)).status is BroadcastStatus.FINISHED
        ids_recorded = set(await session.scalars(select(Delivery.telegram_message_id)))
    assert None not in ids_recorded and len(ids_recorded) == 120


async def test_403_marks_unreachable_and_skips_them_from_then_on(sessions, emulator_bot) -> None:
    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        await add_users(session, range(1000, 1010), topics=(Topic.NOTICES, Topic.HONORS))
        first = await notice_now(session)
    emulator.blocked_chats.add(1003)
    await sender(sessions, bot).run_until_idle()
    async with transaction(sessions) as session:
        assert await statuses(session, first) == {DeliveryStatus.SENT: 9, DeliveryStatus.UNREACHABLE: 1}
        assert (await session.get(User, 1003)).unreachable_since is not None
        second = await notice_now(session, "好人榜发布", topic=Topic.HONORS)
    calls_before = len([c for c in emulator.calls if c[0] == "sendMessage"])
    await sender(sessions, bot).run_until_idle()
    calls = [c for c in emulator.calls if c[0] == "sendMessage"][calls_before:]
    assert len(calls) == 9 and all(int(p["chat_id"]) != 1003 for _, p in calls)
    async with sessions() as session:
        assert await statuses(session, second) == {DeliveryStatus.SENT: 9}  # not even materialised


async def test_429_pauses_everyone_for_retry_after_and_loses_nothing(sessions, emulator_bot) -> None:
    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        ids = await add_users(session, range(1000, 1020))
        broadcast_id = await notice_now(session)
    emulator.fail_next.append(BotApiError(429, "Too Many Requests: retry after 1", retry_after=1))
    store = MemorySlotStore()
    engine = sender(sessions, bot, store=store, concurrency=1)
    started = time.monotonic()
    await engine.run_until_idle()
    assert engine.stats.rate_limited == 1
    assert store.paused_until > 0  # shared with every process through the slot store
    assert min(m.sent_at for m in emulator.messages) - started >= 0.95  # nothing during retry_after
    assert Counter(m.chat_id for m in emulator.messages) == Counter(ids)
    async with sessions() as session:
        assert await statuses(session, broadcast_id) == {DeliveryStatus.SENT: 20}


async def test_network_errors_retry_with_backoff_then_give_up_as_failed(sessions, emulator_bot) -> None:
    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        await add_users(session, [1000, 1001])
        broadcast_id = await notice_now(session)
    for _ in range(2):
        emulator.fail_next.append(BotApiError(502, "Bad Gateway"))
    engine = sender(sessions, bot, concurrency=1, max_attempts=3)
    await engine.run_until_idle()
    async with sessions() as session:
        assert await statuses(session, broadcast_id) == {DeliveryStatus.SENT: 2}
        attempts = set(await session.scalars(select(Delivery.attempts)))
    assert engine.stats.retried == 2 and attempts >= {1}

    async with transaction(sessions) as session:
        await add_users(session, [1002])
        again = await notice_now(session, "第二条")
    for _ in range(10):
        emulator.fail_next.append(BotApiError(502, "Bad Gateway"))
    engine = sender(sessions, bot, concurrency=1, max_attempts=3)
    await engine.run_until_idle()
    async with sessions() as session:
        counts = await statuses(session, again)
    assert counts[DeliveryStatus.FAILED] >= 1 and sum(counts.values()) == 3
    assert engine.stats.failed >= 1


async def test_claims_are_disjoint_and_dead_claims_come_back(sessions) -> None:
    async with transaction(sessions) as session:
        await add_users(session, range(1000, 1030))
        await notice_now(session)
    async with transaction(sessions) as session:
        first = await claim_batch(session, "host:1:a", utcnow(), 20)
    async with transaction(sessions) as session:
        second = await claim_batch(session, "host:2:b", utcnow(), 20)
    assert len(first) == 20 and len(second) == 10
    assert not {o.delivery_id for o in first} & {o.delivery_id for o in second}
    async with transaction(sessions) as session:  # a live holder keeps its claims within the lease
        assert await release_stale_claims(session, utcnow(), 60) == 0
        await session.execute(
            update(Delivery)
            .where(Delivery.claimed_by == "host:1:a")
            .values(claimed_at=utcnow() - timedelta(seconds=120))
        )
        assert await release_stale_claims(session, utcnow(), 60) == 20


async def test_paused_notice_is_not_sent_until_resumed(sessions, emulator_bot) -> None:
    from bot.services import broadcasts as service
    from tests.support.broadcast_fixtures import ADMIN

    emulator, bot = emulator_bot
    async with transaction(sessions) as session:
        await add_users(session, range(1000, 1005))
        broadcast_id = await notice_now(session)
        await service.pause(session, ADMIN, broadcast_id)
    await sender(sessions, bot).run_until_idle()
    assert emulator.messages == []
    async with transaction(sessions) as session:
        resumed = await service.resume(session, ADMIN, broadcast_id)
        assert resumed.status is BroadcastStatus.RUNNING
    await sender(sessions, bot).run_until_idle()
    assert len(emulator.messages) == 5
