"""The six losses of issue 14, replayed on the fake Bot API with one injected failure each.

A tiny fake feature plays the producer exactly as the real features will: it changes state and
writes every owed message in one transaction (``bot.outbox.notify``), then answers the person who
acted inline. The bot's own sender (started by the Application, woken by the commit) delivers.
In each scenario the fault clears and the owed message arrives exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import pytest
from sqlalchemy import select
from telegram.error import NetworkError, RetryAfter, TelegramError

from bot.app import BotApplication
from bot.botapi_emulator import BotApiEmulator, BotApiError, Chaos, SentMessage
from bot.database import transaction
from bot.harness import ChatHarness
from bot.models import AuditEntry
from bot.outbox import notify, service
from bot.outbox import texts as outbox_texts
from bot.services import audit
from tests.conftest import ADMIN_ID
from tests.support.owed import arrives, settled

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

STAFF_CHAT = -100900
CITY = -100101  # 城管局's group
TRAFFIC = -100102  # 交警大队's group
REPORTER, HANDLER, VOLUNTEER, WAITLISTED = 100001, 200001, 300001, 300002
TOO_MANY = BotApiError(429, "Too Many Requests: retry after 1", retry_after=1)


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"staff_chat_id": STAFF_CHAT})


# ---------------------------------------------------------------- the fake feature
def card_key(number: int) -> str:
    return f"fake:{number}"


def rating() -> list[list[tuple[str, str]]]:
    return [[(f"{n}⭐", f"fk:rate:1:{n}") for n in range(1, 6)]]


async def file_complaint(app: BotApplication, number: int, department: int = CITY) -> None:
    """A resident files: the card is owed to the department; the reply is the direct answer."""
    async with transaction(app.bot_data.sessions) as session:
        await audit.record(session, REPORTER, "fake.filed", card_key(number))
        await notify.card(
            session,
            department,
            card_key(number),
            f"工单 #{number} 待受理",
            kind="fake.card",
            label="城管局",
            keyboard=[[("受理", f"fk:acc:{number}")]],
        )
    await app.bot.send_message(REPORTER, f"已提交，编号 #{number}")


async def accept(app: BotApplication, number: int) -> None:
    async with transaction(app.bot_data.sessions) as session:
        await audit.record(session, HANDLER, "fake.accepted", card_key(number))
        await notify.person(session, REPORTER, f"#{number} 已受理", kind="fake.reporter")
        await notify.edit_card(
            session,
            card_key(number),
            f"工单 #{number} 办理中",
            kind="fake.card",
            keyboard=[[("转派", f"fk:fwd:{number}"), ("办结", f"fk:res:{number}")]],
        )
    await app.bot.send_message(HANDLER, f"已受理 #{number}")


async def reassign(app: BotApplication, number: int, department: int) -> None:
    async with transaction(app.bot_data.sessions) as session:
        await audit.record(session, HANDLER, "fake.reassigned", card_key(number))
        await notify.edit_card(session, card_key(number), f"工单 #{number} 已转派", kind="fake.card")
        await notify.card(
            session,
            department,
            card_key(number),
            f"工单 #{number} 转来待受理",
            kind="fake.card",
            label="交警大队",
            keyboard=[[("受理", f"fk:acc:{number}")]],
        )
        await notify.person(session, REPORTER, f"#{number} 已转交交警大队", kind="fake.reporter")
    await app.bot.send_message(HANDLER, f"已转派 #{number}")


async def resolve(app: BotApplication, number: int) -> None:
    async with transaction(app.bot_data.sessions) as session:
        await audit.record(session, HANDLER, "fake.resolved", card_key(number))
        await notify.person(
            session,
            REPORTER,
            f"#{number} 已办结，请评价",
            kind="fake.resolved",
            photos=["result-photo"],
            keyboard=rating(),
        )
        await notify.edit_card(session, card_key(number), f"工单 #{number} 已办结", kind="fake.card")
    await app.bot.send_message(HANDLER, f"已办结 #{number}，已通知投诉人")


async def cancel_shift(app: BotApplication, booking_message: SentMessage) -> None:
    """A volunteer cancels: the first on the waiting list is promoted and owed a notice."""
    async with transaction(app.bot_data.sessions) as session:
        await audit.record(session, VOLUNTEER, "fake.cancelled", "shift:1")
        await notify.person(session, WAITLISTED, "你已从候补转为正式报名", kind="fake.promoted")
    await app.bot.edit_message_text("已取消报名", VOLUNTEER, booking_message.message_id)


# ---------------------------------------------------------------- helpers
def count(emulator: BotApiEmulator, chat: int, predicate: Callable[[SentMessage], bool]) -> int:
    return sum(1 for m in emulator.messages if m.chat_id == chat and predicate(m))


# ---------------------------------------------------------------- the six scenarios
async def test_429_on_the_reporters_reply_still_delivers_the_card(harness: ChatHarness) -> None:
    app, emulator = harness.application, harness.emulator
    emulator.inject(TOO_MANY, chat_id=REPORTER, methods={"sendMessage"})
    with pytest.raises(RetryAfter):
        await file_complaint(app, 1)
    await arrives(harness, CITY, "工单 #1 待受理")
    await settled(harness)
    assert count(emulator, CITY, lambda m: m.body == "工单 #1 待受理") == 1
    async with app.bot_data.sessions() as session:
        assert await session.scalar(select(AuditEntry.action)) == "fake.filed"  # the ticket is stored


async def test_429_on_the_department_card_is_retried(harness: ChatHarness) -> None:
    app, emulator = harness.application, harness.emulator
    emulator.inject(TOO_MANY, chat_id=CITY)
    await file_complaint(app, 2)
    await arrives(harness, CITY, "工单 #2 待受理")
    await settled(harness)
    assert len([c for c in emulator.calls if c[0] == "sendMessage" and int(c[1]["chat_id"]) == CITY]) == 2
    assert count(emulator, CITY, lambda m: m.body == "工单 #2 待受理") == 1


async def test_502_on_the_staff_confirmation_after_resolving_still_tells_the_reporter(
    harness: ChatHarness,
) -> None:
    app, emulator = harness.application, harness.emulator
    await file_complaint(app, 3)
    await settled(harness)
    emulator.inject(BotApiError(502, "Bad Gateway"), chat_id=HANDLER)
    with pytest.raises(NetworkError):
        await resolve(app, 3)
    await arrives(harness, REPORTER, "#3 已办结")
    await settled(harness)
    (notice,) = [m for m in emulator.messages if m.chat_id == REPORTER and "#3 已办结" in m.body]
    assert notice.method == "sendPhoto" and len(notice.buttons()) == 5  # the photo and the rating
    assert emulator.sent_to(CITY)[-1].body == "工单 #3 已办结"


async def test_429_on_the_edit_after_a_volunteer_cancels_still_tells_the_promoted_one(
    harness: ChatHarness,
) -> None:
    app, emulator = harness.application, harness.emulator
    booking = await app.bot.send_message(VOLUNTEER, "你已报名：周六 9:00 文明劝导")
    emulator.inject(TOO_MANY, chat_id=VOLUNTEER, methods={"editMessageText"})
    with pytest.raises(RetryAfter):
        await cancel_shift(app, emulator.find_message(VOLUNTEER, booking.message_id))
    await arrives(harness, WAITLISTED, "候补转为正式")
    await settled(harness)
    assert count(emulator, WAITLISTED, lambda m: "候补转为正式" in m.body) == 1


async def test_429_after_reassigning_still_sends_the_card_to_the_new_department(harness: ChatHarness) -> None:
    app, emulator = harness.application, harness.emulator
    await file_complaint(app, 5)
    await settled(harness)
    emulator.inject(TOO_MANY, chat_id=HANDLER)
    with pytest.raises(RetryAfter):
        await reassign(app, 5, TRAFFIC)
    await arrives(harness, TRAFFIC, "工单 #5 转来待受理")
    await settled(harness)
    assert count(emulator, TRAFFIC, lambda m: m.body == "工单 #5 转来待受理") == 1
    assert emulator.sent_to(CITY)[-1].body == "工单 #5 已转派"
    assert count(emulator, REPORTER, lambda m: "已转交交警大队" in m.body) == 1


async def test_a_department_group_that_kicked_the_bot_sends_the_card_to_the_staff_chat(
    harness: ChatHarness,
) -> None:
    app, emulator = harness.application, harness.emulator
    emulator.blocked_chats.add(CITY)
    await file_complaint(app, 6)  # the resident is told at once, as before
    assert emulator.last_to(REPORTER).body == "已提交，编号 #6"
    await arrives(harness, STAFF_CHAT, "工单 #6 待受理")
    await settled(harness)
    (card,) = emulator.sent_to(STAFF_CHAT)
    assert card.body == outbox_texts.GROUP_UNREACHABLE.format(group="城管局") + "\n\n工单 #6 待受理"
    assert card.buttons()[0]["callback_data"] == "fk:acc:6"  # staff can act on it there
    async with app.bot_data.sessions() as session:
        assert await service.rerouted_cards(session, "fake:") == ["fake:6"]
    (listing,) = [m for m in await harness.send(ADMIN_ID, "/outbox") if m.chat_id == ADMIN_ID]
    assert "fake.card" in listing.body and "无法送达 1" in listing.body and "已发 1" in listing.body


async def test_a_lifecycle_and_a_promotion_under_20_percent_random_failures(harness: ChatHarness) -> None:
    """file → card → 受理 → 转派 → 办结 → rating buttons, and a promotion, while a fifth of all
    Bot API calls fail at random: every owed message once, per-chat order intact, nothing pending."""
    app, emulator = harness.application, harness.emulator
    emulator.chaos = Chaos(0.2, seed=5)
    booking = await _reliably(lambda: app.bot.send_message(VOLUNTEER, "你已报名"))
    for step in (
        lambda: file_complaint(app, 7),
        lambda: accept(app, 7),
        lambda: reassign(app, 7, TRAFFIC),
        lambda: resolve(app, 7),
        lambda: cancel_shift(app, emulator.find_message(VOLUNTEER, booking.message_id)),
    ):
        with contextlib.suppress(TelegramError):  # a failed direct answer: nothing owed depends on it
            await step()
    await settled(harness, timeout=90)  # retries back off 2 s, 4 s… as in production
    assert emulator.chaos.injected >= 2
    reporter = [m.body for m in emulator.messages if m.chat_id == REPORTER and m.body.startswith("#7")]
    assert reporter == ["#7 已受理", "#7 已转交交警大队", "#7 已办结，请评价"]
    city = [m.body for m in emulator.messages if m.chat_id == CITY]
    assert city == ["工单 #7 待受理", "工单 #7 办理中", "工单 #7 已转派", "工单 #7 已办结"]  # edited in order
    traffic = [m.body for m in emulator.messages if m.chat_id == TRAFFIC]
    assert traffic == ["工单 #7 转来待受理", "工单 #7 已办结"]
    assert count(emulator, WAITLISTED, lambda m: "候补转为正式" in m.body) == 1


async def _reliably(call: Callable[[], object]) -> SentMessage:
    for _ in range(20):
        try:
            return await call()  # type: ignore[misc]
        except TelegramError:
            await asyncio.sleep(0)
    raise AssertionError("the set-up message never went through")
