"""Nothing owed is lost, on the real features: the losses issue 14 found, replayed with the fake
Bot API failing a call, and a ticket's life, a promotion and a supplement under random failures.

Each department has its own group here (城管局's and 环卫处's, as ``data/departments.yaml`` allows),
and the staff chat is set. The bot's own sender delivers what each change owes; a test waits for it
(``settled``) and then counts what arrived.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.botapi_emulator import BotApiError, Chaos, SentMessage
from bot.config import SHIPPED_DATA_DIR
from bot.database import transaction
from bot.flood import FloodGate
from bot.harness import ChatHarness
from bot.models import (
    BookingStatus,
    Nomination,
    NominationKind,
    NominationStatus,
    OutboxMessage,
    OutboxStatus,
    Role,
    ShiftBooking,
    Ticket,
    TicketStatus,
)
from bot.outbox import texts as outbox_texts
from bot.services import nominations, users
from bot.services import volunteers as vol
from bot.services.classifier import ComplaintClassifier, Department
from bot.timeutil import utcnow
from handlers.nominations import texts as nomination_texts
from handlers.tickets import texts as ticket_texts
from handlers.volunteers import texts as vol_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID, STAFF_ID
from tests.support.owed import settled

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

STAFF_CHAT = -100900
SANITATION_GROUP = -100701  # 市环境卫生管理处 (huanwei): litter goes here
ENFORCEMENT_GROUP = -100702  # 市城市管理综合执法局 (chengguan)
SANITATION = 700001  # a handler of huanwei
ENFORCER = 700002  # a handler of chengguan
VOLUNTEER, WAITLISTED = 300001, 300002
LITTER = "小区门口有人乱扔垃圾，垃圾成堆没人管"
TOO_MANY = BotApiError(429, "Too Many Requests: retry after 1", retry_after=1)

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"staff_chat_id": STAFF_CHAT})


@pytest.fixture(scope="module")
def loaded_classifier() -> ComplaintClassifier:
    return ComplaintClassifier.load(SHIPPED_DATA_DIR)


@pytest.fixture(autouse=True)
def department_groups(monkeypatch: pytest.MonkeyPatch, loaded_classifier: ComplaintClassifier) -> None:
    """The shipped taxonomy, with two departments that have their own group."""
    classifier = copy.copy(loaded_classifier)
    departments = dict(loaded_classifier.departments)
    for key, chat in (("huanwei", SANITATION_GROUP), ("chengguan", ENFORCEMENT_GROUP)):
        departments[key] = Department(key, departments[key].name, chat)
    classifier.departments = departments
    monkeypatch.setattr(ComplaintClassifier, "load", classmethod(lambda cls, *args, **kwargs: classifier))


@pytest.fixture(autouse=True)
async def handlers_and_no_flood_limit(harness: ChatHarness) -> None:
    harness.application.bot_data.flood = FloodGate(10_000, 10.0)  # the chaos test repeats steps
    async with transaction(harness.application.bot_data.sessions) as session:
        await users.set_role(session, SANITATION, Role.HANDLER, "huanwei")
        await users.set_role(session, ENFORCER, Role.HANDLER, "chengguan")


# ---------------------------------------------------------------- helpers
async def describe_litter(harness: ChatHarness) -> None:
    """A resident's report up to its summary (确认提交 is the next press)."""
    await harness.send(RESIDENT_ID, "/complain")
    await harness.send(RESIDENT_ID, LITTER)
    await harness.send(RESIDENT_ID, ticket_texts.SKIP)
    await harness.press(RESIDENT_ID, ticket_texts.NAMED)


async def the_ticket(sessions: Sessions) -> Ticket:
    async with sessions() as session:
        ticket = await session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    assert ticket is not None
    return ticket


def sent_to(harness: ChatHarness, chat: int, text: str, *, edits: bool = False) -> list[SentMessage]:
    """Messages to ``chat`` saying ``text`` (edited copies too when ``edits``), in the order sent."""
    return [
        m
        for m in harness.emulator.messages
        if m.chat_id == chat and text in m.body and (edits or not m.edited)
    ]


def group_message(harness: ChatHarness, chat: int, user: int, **content: Any) -> dict[str, Any]:
    """An update: ``user`` writes in the group ``chat`` (text=…, or photo=… with a caption)."""
    message = {
        "message_id": harness.emulator.next_message_id(),
        "date": int(time.time()),
        "chat": {"id": chat, "type": "supergroup", "title": "工作群"},
        "from": harness.emulator.user_json(user),
        **content,
    }
    return {"message": message}


async def open_rows(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(
            await session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED])
                )
            )
            or 0
        )


async def a_volunteer_and_one_waiting(sessions: Sessions) -> int:
    """A shift with one place: VOLUNTEER has it, WAITLISTED waits. Returns the shift's id."""
    for user_id, name in ((VOLUNTEER, "李小红"), (WAITLISTED, "王小明")):
        async with transaction(sessions) as session:
            await vol.register(
                session, user_id, real_name=name, phone="13912345678", district="江岸区", community="滨江社区"
            )
    start = utcnow() + timedelta(days=2)
    draft = vol.ShiftDraft(
        title="文明交通劝导",
        place="解放路与中山大道路口",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=1,
        district="江岸区",
        notes="",
    )
    async with transaction(sessions) as session:
        shift_id = (await vol.create_shifts(session, STAFF_ID, draft))[0].id
    for user_id in (VOLUNTEER, WAITLISTED):
        async with transaction(sessions) as session:
            await vol.book(session, user_id, shift_id)
    return shift_id


async def booking_status(sessions: Sessions, user_id: int) -> BookingStatus:
    async with sessions() as session:
        status = await session.scalar(select(ShiftBooking.status).where(ShiftBooking.user_id == user_id))
    assert status is not None
    return status


# ---------------------------------------------------------------- the losses issue 14 found
async def test_429_on_the_residents_filed_answer_still_sends_the_card_once(
    harness: ChatHarness, sessions: Sessions
) -> None:
    await describe_litter(harness)
    fault = harness.emulator.inject(TOO_MANY, chat_id=RESIDENT_ID, methods={"sendMessage"})
    await harness.press(RESIDENT_ID, ticket_texts.CONFIRM)
    assert fault.times == 0  # the resident's "filed, number …" answer was refused
    ticket = await the_ticket(sessions)
    await settled(harness)
    (card,) = sent_to(harness, SANITATION_GROUP, ticket.number)
    assert "投诉工单" in card.body and card.buttons()[0]["text"] == ticket_texts.BUTTON_ACCEPT
    assert not sent_to(harness, STAFF_CHAT, ticket.number)  # nothing rerouted, nothing doubled
    (mine,) = await harness.send(RESIDENT_ID, "/mycomplaints")
    assert ticket.number in mine.text  # the resident's next look shows the truth


async def test_429_on_the_edit_after_a_volunteer_cancels_still_tells_the_promoted_one(
    harness: ChatHarness, sessions: Sessions
) -> None:
    shift_id = await a_volunteer_and_one_waiting(sessions)
    await harness.send(VOLUNTEER, "/myshifts")
    await harness.press(VOLUNTEER, f"取消 #{shift_id}")
    fault = harness.emulator.inject(TOO_MANY, chat_id=VOLUNTEER, methods={"editMessageText"})
    await harness.press(VOLUNTEER, vol_texts.BTN_CONFIRM_CANCEL)
    assert fault.times == 0  # the volunteer's "cancelled" answer was refused
    assert await booking_status(sessions, WAITLISTED) is BookingStatus.CONFIRMED
    await settled(harness)
    (promoted,) = sent_to(harness, WAITLISTED, "候补成功")
    assert "文明交通劝导" in promoted.text


async def test_429_after_reassigning_still_sends_the_card_to_the_new_department(
    harness: ChatHarness, sessions: Sessions
) -> None:
    await describe_litter(harness)
    await harness.press(RESIDENT_ID, ticket_texts.CONFIRM)
    ticket = await the_ticket(sessions)
    await settled(harness)
    (card,) = sent_to(harness, SANITATION_GROUP, ticket.number)
    (menu,) = await harness.press(SANITATION, ticket_texts.BUTTON_REASSIGN, card)
    fault = harness.emulator.inject(TOO_MANY, chat_id=SANITATION_GROUP, methods={"editMessageText"})
    await harness.press(SANITATION, "市城市管理综合执法局", menu)
    assert fault.times == 0
    assert (await the_ticket(sessions)).department_id == "chengguan"
    await settled(harness)
    (moved,) = sent_to(harness, ENFORCEMENT_GROUP, ticket.number)
    assert "市城市管理综合执法局" in moved.body and moved.buttons()[0]["text"] == ticket_texts.BUTTON_ACCEPT
    (told,) = sent_to(harness, RESIDENT_ID, "已转交市城市管理综合执法局")
    assert ticket.number in told.text
    old_copy = harness.emulator.last_to(SANITATION_GROUP)
    assert old_copy.edited and "市城市管理综合执法局" in old_copy.body  # the old card shows where it went


async def test_a_department_group_that_removed_the_bot_gets_its_card_through_the_staff_chat(
    harness: ChatHarness, sessions: Sessions
) -> None:
    harness.emulator.blocked_chats.add(SANITATION_GROUP)
    await describe_litter(harness)
    await harness.press(RESIDENT_ID, ticket_texts.CONFIRM)
    ticket = await the_ticket(sessions)
    assert ticket.number in harness.emulator.last_to(RESIDENT_ID).text  # told at once, as before
    await settled(harness)
    (card,) = sent_to(harness, STAFF_CHAT, ticket.number)
    assert card.body.startswith(outbox_texts.GROUP_UNREACHABLE.format(group="市环境卫生管理处") + "\n\n")
    assert card.buttons()[0]["text"] == ticket_texts.BUTTON_ACCEPT  # staff act on it there

    line = ticket_texts.QUEUE_REROUTED_LINE.format(
        number=ticket.number, status="待受理", department="市环境卫生管理处"
    )
    (queue,) = await harness.send(ADMIN_ID, "/complaints")
    assert ticket_texts.QUEUE_REROUTED.format(count=1) in queue.text and line in queue.text
    (handler_queue,) = await harness.send(SANITATION, "/complaints")  # their department's, too
    assert line in handler_queue.text
    (other_queue,) = await harness.send(ENFORCER, "/complaints")  # not another department's
    assert line not in other_queue.text

    await harness.press(ADMIN_ID, ticket_texts.BUTTON_ACCEPT, card)
    await settled(harness)
    redrawn = harness.emulator.last_to(STAFF_CHAT)
    assert redrawn.edited and "办理中" in redrawn.body and "无法送达市环境卫生管理处" in redrawn.body
    assert sent_to(harness, RESIDENT_ID, "已被市环境卫生管理处受理")


# ---------------------------------------------------------------- under random failures
async def until_answered(
    step: Callable[[], Awaitable[list[SentMessage]]], answered: Callable[[SentMessage], bool]
) -> SentMessage:
    """A person repeating a step whose answer did not come (a prompt, a menu: nothing changed yet)."""
    for _ in range(40):
        for message in await step():
            if answered(message):
                return message
    raise AssertionError("the step was never answered")


def card_statuses(harness: ChatHarness, chat: int, number: str) -> list[str]:
    """The status line of every version of the ticket's card in ``chat`` (sends and edits, in order)."""
    statuses = []
    for message in sent_to(harness, chat, f"投诉工单 {number}", edits=True):
        status = message.body.split(f"投诉工单 {number}</b>（", 1)[-1].split("）", 1)[0]
        department = "城管" if "承办部门：市城市管理综合执法局" in message.body else "环卫"
        statuses.append(f"{status}@{department}")
    return statuses


async def test_a_ticket_a_promotion_and_a_supplement_under_20_percent_random_failures(
    harness: ChatHarness, sessions: Sessions
) -> None:
    """file → card → 受理 → 转派 → 办结 (photo) → rating; a cancellation promoting the waitlisted; a
    nomination returned for supplements and supplemented — while a fifth of all sends and edits fail
    at random (429 with retry_after, 502, timeouts). People repeat a step whose answer did not come,
    as people do; a step that changed something is never repeated. Every owed message arrives once,
    in order per chat, and nothing is left to send."""
    emulator = harness.emulator
    shift_id = await a_volunteer_and_one_waiting(sessions)
    async with transaction(sessions) as session:
        submission = await nominations.submit_nomination(
            session,
            RESIDENT_ID,
            kind=NominationKind.HONESTY,
            nominee_name="王建国",
            community="幸福里社区",
            story="王师傅在公交站台捡到一个装有三万元现金的钱包，在寒风中等了两个小时，终于还给了失主。",
        )
    number = submission.nomination.number
    await describe_litter(harness)
    emulator.chaos = Chaos(0.2, seed=14)

    # The ticket's life.
    await harness.press(RESIDENT_ID, ticket_texts.CONFIRM)
    ticket = await the_ticket(sessions)
    await settled(harness, timeout=120)
    (card,) = sent_to(harness, SANITATION_GROUP, ticket.number)
    await harness.press(SANITATION, ticket_texts.BUTTON_ACCEPT, card)
    menu = await until_answered(
        lambda: harness.press(SANITATION, ticket_texts.BUTTON_REASSIGN, card),
        lambda m: (
            m.chat_id == SANITATION_GROUP and bool(m.buttons()) and "市城市管理综合执法局" in str(m.buttons())
        ),
    )
    await harness.press(SANITATION, "市城市管理综合执法局", menu)
    await settled(harness, timeout=120)
    (moved,) = sent_to(harness, ENFORCEMENT_GROUP, ticket.number)
    await until_answered(
        lambda: harness.press(ENFORCER, ticket_texts.BUTTON_RESOLVE, moved),
        lambda m: m.chat_id == ENFORCEMENT_GROUP and "force_reply" in str(m.params.get("reply_markup")),
    )
    photo = [{"file_id": "work-done", "file_unique_id": "w1", "width": 1280, "height": 960}]
    await harness.process(
        group_message(harness, ENFORCEMENT_GROUP, ENFORCER, photo=photo, caption="垃圾已清运，已安排每日巡查")
    )
    assert (await the_ticket(sessions)).status is TicketStatus.RESOLVED
    await settled(harness, timeout=120)
    (resolved,) = sent_to(harness, RESIDENT_ID, "已办结")
    await harness.press(RESIDENT_ID, "5分", resolved)
    assert (await the_ticket(sessions)).status is TicketStatus.CLOSED

    # A cancellation that promotes the first on the waiting list.
    await until_answered(
        lambda: harness.send(VOLUNTEER, "/myshifts"), lambda m: m.chat_id == VOLUNTEER and bool(m.buttons())
    )
    confirm = await until_answered(
        lambda: harness.press(VOLUNTEER, f"取消 #{shift_id}"),
        lambda m: m.chat_id == VOLUNTEER and vol_texts.BTN_CONFIRM_CANCEL in str(m.buttons()),
    )
    await harness.press(VOLUNTEER, vol_texts.BTN_CONFIRM_CANCEL, confirm)
    assert await booking_status(sessions, WAITLISTED) is BookingStatus.CONFIRMED

    # A nomination returned for supplements, and supplemented.
    queue_card = await until_answered(
        lambda: harness.send(ADMIN_ID, "/nominations"),
        lambda m: m.chat_id == ADMIN_ID and nomination_texts.BTN_MORE_INFO in str(m.buttons()),
    )
    await until_answered(
        lambda: harness.press(ADMIN_ID, nomination_texts.BTN_MORE_INFO, queue_card),
        lambda m: m.chat_id == ADMIN_ID and number in m.body and not m.buttons(),
    )
    await harness.send(ADMIN_ID, "请补充失主的联系方式")
    await settled(harness, timeout=120)
    assert len(sent_to(harness, RESIDENT_ID, "状态更新：<b>待补充材料</b>")) == 1
    mine = await until_answered(
        lambda: harness.send(RESIDENT_ID, "/mynominations"),
        lambda m: m.chat_id == RESIDENT_ID and "补充材料" in str(m.buttons()),
    )
    await until_answered(
        lambda: harness.press(RESIDENT_ID, "补充材料", mine),
        lambda m: m.chat_id == RESIDENT_ID and number in m.body and "补充" in m.body and not m.buttons(),
    )
    await harness.send(RESIDENT_ID, "失主李女士，电话已告知社区")
    async with sessions() as session:
        nomination = await session.get(Nomination, submission.nomination.id)
    assert nomination is not None and nomination.status is NominationStatus.SUBMITTED

    await settled(harness, timeout=120)
    assert emulator.chaos.injected >= 5
    assert await open_rows(sessions) == 0
    async with sessions() as session:
        outcomes = set(await session.scalars(select(OutboxMessage.status)))
    assert outcomes == {OutboxStatus.SENT}  # nothing failed, nothing unreachable
    # The reporter: each notice once, in the order of the changes.
    notices = [
        m.body
        for m in emulator.messages
        if m.chat_id == RESIDENT_ID and ticket.number in m.body and not m.edited and "您的投诉" in m.body
    ]
    assert [n.split("</b>", 1)[1][:4] for n in notices] == [" 已被市", " 已转交", " 已办结"]
    assert sent_to(harness, RESIDENT_ID, "已办结")[0].method == "sendPhoto"  # the photo of the work
    # Each department's card once, its versions in the order of the changes.
    assert len(sent_to(harness, SANITATION_GROUP, f"投诉工单 {ticket.number}")) == 1
    assert len(sent_to(harness, ENFORCEMENT_GROUP, f"投诉工单 {ticket.number}")) == 1
    assert card_statuses(harness, SANITATION_GROUP, ticket.number) == [
        "待受理@环卫",
        "办理中@环卫",
        "待受理@城管",
        "已办结@城管",
        "已关闭@城管",
    ]
    assert card_statuses(harness, ENFORCEMENT_GROUP, ticket.number) == [
        "待受理@城管",
        "已办结@城管",
        "已关闭@城管",
    ]
    assert len(sent_to(harness, WAITLISTED, "候补成功")) == 1
    assert len(sent_to(harness, RESIDENT_ID, "状态更新：<b>待补充材料</b>")) == 1
    assert len(sent_to(harness, RESIDENT_ID, "状态更新：<b>待审核</b>")) == 0  # the one who supplemented
    assert len(sent_to(harness, STAFF_CHAT, f"{number}</b>（王建国）已补充材料")) == 1
