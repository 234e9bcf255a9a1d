"""/forget is final, and cannot be used to vote twice.

The scan walks every table of the models (``Base.metadata``) and every column that can hold a user
id, a name, a phone number, a username or text a person wrote, so a table added later is scanned
too. A resident leaves data in every place a resident can reach, uses /forget, the bot restarts,
and nothing identifies them any more — on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, Integer, String, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import SystemClock
from bot.database import transaction
from bot.flood import FloodGate
from bot.harness import ChatHarness
from bot.models import Base, Nomination, OutboxMessage, Ticket, Vote, VotingRound
from bot.outbox import notify
from bot.timeutil import format_local, utcnow
from handlers.broadcasts import make_sender
from handlers.common import texts as common_texts
from handlers.kit import texts as kit_texts
from handlers.nominations import texts as nomination_texts
from handlers.tickets import routing
from handlers.tickets import texts as ticket_texts
from handlers.tickets import views as ticket_views
from handlers.tickets.callbacks import AcceptButton
from handlers.volunteers import texts as vol_texts
from tests.conftest import ADMIN_ID
from tests.support.eventually import eventually
from tests.test_convention_handlers import play
from tests.test_nominations_flow import STORY, nominate
from tests.test_volunteers_handlers import shift

Sessions = async_sessionmaker[AsyncSession]

FORGOTTEN = 7_310_042_977  # beyond 2³¹, as many Telegram ids are
FIRST_NAME, LAST_NAME, USERNAME = "甄隐私", "路人", "zhen_yinsi_77"
PHONE = "13987654321"
REAL_NAME = "甄小隐"
SKILLS = "手语翻译（隐私标记甲）"
DRAFT = "楼道里堆满杂物（隐私标记乙）"
COMPLAINT = "小区东门的路灯坏了一个星期，晚上很黑"
DEPARTMENT_GROUP = -100_777_0001
OTHER_VOTER = 100_005
# What identifies the person, as stored text: none of it may survive /forget anywhere.
NEEDLES = (str(FORGOTTEN), FIRST_NAME, LAST_NAME, USERNAME, PHONE, REAL_NAME, SKILLS, DRAFT)


@pytest.fixture(autouse=True)
def no_flood_limit(harness: ChatHarness) -> None:
    harness.application.bot_data.flood = FloodGate(10_000, 10.0)


@pytest.fixture
def identified(harness: ChatHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The person has a last name and a username, as Telegram sends them with every update."""
    plain = harness.emulator.user_json

    def user_json(user_id: int, first_name: str = "居民") -> dict[str, Any]:
        found = plain(user_id, first_name)
        if user_id == FORGOTTEN:
            found.update(first_name=FIRST_NAME, last_name=LAST_NAME, username=USERNAME)
        return found

    monkeypatch.setattr(harness.emulator, "user_json", user_json)


# ---------------------------------------------------------------- the scan
def scanned_columns() -> list[tuple[str, list[str]]]:
    """Every table with the columns that can hold a user id, a name, a phone, a username or free
    text: integers (Telegram ids), strings and texts, and JSON documents."""
    kinds = (Integer, String, Text, JSON)
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [c.name for c in table.columns if isinstance(c.type, kinds)]
        if columns:
            found.append((table.name, columns))
    return found


def identifies(value: object) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return value == FORGOTTEN
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return any(needle in text for needle in NEEDLES)


async def traces(sessions: Sessions) -> dict[str, list[str]]:
    """Table → "column: value" for every stored value that identifies the person."""
    found: dict[str, list[str]] = {}
    async with sessions() as session:
        for table_name, columns in scanned_columns():
            table = Base.metadata.tables[table_name]
            for row in (await session.execute(select(*(table.c[name] for name in columns)))).all():
                for name, value in zip(columns, row, strict=True):
                    if identifies(value):
                        found.setdefault(table_name, []).append(f"{name}: {str(value)[:120]}")
    return found


def test_the_scan_covers_every_place_personal_data_is_kept() -> None:
    """Derived from the models, so it cannot miss a column; this pins that the derivation works."""
    scanned = {f"{table}.{column}" for table, columns in scanned_columns() for column in columns}
    assert {
        "users.id",
        "users.display_name",
        "users.username",
        "volunteer_profiles.phone",
        "volunteer_profiles.real_name",
        "nominations.nominator_contact",
        "tickets.text",
        "votes.voter_id",
        "audit_log.actor_id",
        "audit_log.details",
        "outbox.chat_id",
        "outbox.text",
        "broadcast_deliveries.user_id",
        "ptb_persistence.key",
        "ptb_persistence.data",
        "scheduled_tasks.payload",
    } <= scanned
    # The columns left out can hold no id, name or text: times, dates, numbers with a fraction, flags.
    # A column of any other type (bytes, arrays …) must be added to the scan.
    left_out = {
        type(column.type).__name__
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if f"{table.name}.{column.name}" not in scanned
    }
    assert left_out <= {"AwareDateTime", "Date", "Float", "Boolean"}


# ---------------------------------------------------------------- a resident everywhere
async def leave_data_everywhere(harness: ChatHarness, sessions: Sessions) -> Ticket:
    """Everything a resident can do that stores something, as they would do it."""
    r = FORGOTTEN
    await harness.send(r, "/start")
    await harness.send(r, "/subscribe")
    await harness.press(r, "通知")

    # A named complaint with a place; its card goes to the department through the outbox.
    await harness.send(r, "/complain")
    await harness.send(r, COMPLAINT)
    await harness.send_location(r, 30.2741, 120.1551)
    await harness.press(r, ticket_texts.NAMED)
    await harness.press(r, ticket_texts.CONFIRM)
    async with sessions() as session:
        ticket = await session.scalar(select(Ticket).where(Ticket.reporter_id == r))
    assert ticket is not None
    await post_card_through_outbox(harness, ticket)
    await harness.press_data(r, AcceptButton(ticket=ticket.id).data, harness.emulator.last_to(r))

    # A volunteer with their real name, phone (shared as a contact) and skills, booked on a shift.
    await harness.send(r, "/volunteer")
    await harness.press(r, vol_texts.CONSENT_YES)
    await harness.send(r, REAL_NAME)
    await harness.send_contact(r, PHONE)
    await harness.press(r, "汉阳区")
    await harness.press(r, "月湖社区")
    await harness.send(r, SKILLS)
    await harness.press(r, vol_texts.SKIP)
    await harness.press(r, vol_texts.SHOW_NAME)
    shift_id = await shift(sessions, starts_in=timedelta(days=3))
    await harness.send(r, "/shifts")
    await harness.press(r, f"报名 #{shift_id}")

    # A nomination with their phone, shortlisted; they vote in the open round, as does a neighbour.
    await harness.send(r, kit_texts.MENU_NOMINATE)
    await harness.press(r, "诚实守信")
    await harness.send(r, "王建国")
    await harness.send(r, "幸福里社区")
    await harness.send(r, STORY)
    await harness.send_photo(r)
    await harness.press(r, nomination_texts.PHOTOS_DONE)
    await harness.send(r, PHONE)
    await harness.press(r, nomination_texts.CONSENT_YES)
    await harness.press(r, nomination_texts.SUBMIT)
    await open_round_over_the_shortlist(harness)
    for voter in (r, OTHER_VOTER):
        await harness.press(voter, "👍", (await harness.send(voter, "/vote"))[-1])

    await play(harness, r, right=3)  # the quiz keeps a record

    # A notice to subscribers reaches them; one more message to them is still waiting to be sent.
    await harness.send(ADMIN_ID, "/broadcast")
    await harness.send(ADMIN_ID, "周六上午开展文明劝导")
    await harness.press(ADMIN_ID, "订阅「通知」")
    await harness.press(ADMIN_ID, "立即发送")
    await harness.press(ADMIN_ID, "确认发送")
    await make_sender(harness.application).run_until_idle()
    async with transaction(sessions) as session:
        waiting = await notify.person(session, r, f"{FIRST_NAME}，您好", kind="test.waiting")
        await session.flush()
        await session.execute(  # as after a failed attempt: tried again in an hour
            update(OutboxMessage)
            .where(OutboxMessage.id == waiting.id)
            .values(next_attempt_at=utcnow() + timedelta(hours=1))
        )

    # An unfinished report (its draft in user_data, its step in the persistence).
    await harness.send(r, "/complain")
    await harness.send(r, DRAFT)
    return ticket


async def post_card_through_outbox(harness: ChatHarness, ticket: Ticket) -> None:
    """The department's card as an outbox card under the ticket's card key (how owed cards go),
    delivered by the bot's own sender."""
    text = await routing.card_text(harness.application, ticket)
    assert FIRST_NAME in text
    async with transaction(harness.application.bot_data.sessions) as session:
        await notify.card(
            session,
            DEPARTMENT_GROUP,
            routing.card_key(ticket.id),
            text,
            keyboard=ticket_views.card_keyboard(ticket),
            kind="ticket.card",
            label="城管局",
        )

    async def delivered() -> bool:
        return any(FIRST_NAME in m.body for m in harness.emulator.sent_to(DEPARTMENT_GROUP))

    await eventually(delivered, what="the card in the department's group")


async def open_round_over_the_shortlist(harness: ChatHarness) -> None:
    await harness.press(
        ADMIN_ID, nomination_texts.BTN_SHORTLIST, (await harness.send(ADMIN_ID, "/nominations"))[-1]
    )
    now = utcnow()
    start, end = format_local(now - timedelta(minutes=5)), format_local(now + timedelta(days=2))
    (opened,) = await harness.send(ADMIN_ID, f"/openround 十一月好人评选 {start} {end}")
    assert "十一月好人评选" in opened.text


async def forget(harness: ChatHarness, user_id: int) -> None:
    await harness.send(user_id, "/forget")
    (done,) = await harness.press(user_id, common_texts.FORGET_YES)
    assert done.text == common_texts.FORGET_DONE


# ---------------------------------------------------------------- the tests
@pytest.mark.usefixtures("identified")
async def test_nothing_identifies_a_forgotten_resident_after_a_restart(
    harness: ChatHarness, sessions: Sessions, clock: SystemClock
) -> None:
    ticket = await leave_data_everywhere(harness, sessions)
    before = await traces(sessions)
    assert {
        "users",
        "subscriptions",
        "tickets",
        "ticket_events",
        "volunteer_profiles",
        "shift_bookings",
        "nominations",
        "votes",
        "convention_quiz_records",
        "audit_log",
        "outbox",
        "broadcast_deliveries",
        "ptb_persistence",
    } <= set(before), sorted(before)

    await harness.send(FORGOTTEN, "/start")  # written a second later, unless /forget comes first
    await forget(harness, FORGOTTEN)
    await harness.stop()  # the persistence and the sightings are flushed, as on a real restart
    restarted = ChatHarness(harness.settings, clock=clock)
    async with restarted:
        clock.advance(timedelta(days=4))  # past the shift: every task that was due has run
        await restarted.application.bot_data.tasks.run_due(sessions)
        await make_sender(restarted.application).run_until_idle()
    assert await traces(sessions) == {}

    # What stays, stays without them: the report for the department, the neighbour's vote.
    async with sessions() as session:
        kept = await session.get(Ticket, ticket.id)
        votes = (await session.scalars(select(Vote))).all()
    assert kept is not None and kept.text == COMPLAINT and kept.reporter_id is None
    assert [v.voter_id for v in votes] == [OTHER_VOTER]


@pytest.mark.usefixtures("identified")
async def test_old_department_cards_are_edited_to_anonymised(
    harness: ChatHarness, sessions: Sessions
) -> None:
    await harness.send(FORGOTTEN, "/complain")
    await harness.send(FORGOTTEN, COMPLAINT)
    await harness.send(FORGOTTEN, ticket_texts.SKIP)
    await harness.press(FORGOTTEN, ticket_texts.NAMED)
    await harness.press(FORGOTTEN, ticket_texts.CONFIRM)
    async with sessions() as session:
        ticket = await session.scalar(select(Ticket).where(Ticket.reporter_id == FORGOTTEN))
    assert ticket is not None
    await post_card_through_outbox(harness, ticket)
    (card,) = [m for m in harness.emulator.sent_to(DEPARTMENT_GROUP) if FIRST_NAME in m.body]

    await forget(harness, FORGOTTEN)

    async def anonymised() -> bool:
        shown = harness.emulator.find_message(DEPARTMENT_GROUP, card.message_id)
        return shown is not None and ticket_texts.REPORTER_GONE in shown.body

    await eventually(anonymised, what="the card edited to 已匿名")
    shown = harness.emulator.find_message(DEPARTMENT_GROUP, card.message_id)
    assert shown is not None and shown.edited and FIRST_NAME not in shown.body and COMPLAINT in shown.body
    assert [b["text"] for b in shown.buttons()] == [
        "受理",
        "转派",
        "办结",
        "驳回",
        "重复",
    ]  # still actionable


async def test_cycling_forget_never_counts_a_second_vote(harness: ChatHarness, sessions: Sessions) -> None:
    """/vote → 👍 → /forget → 确认删除, again and again: one account, one vote per nominee per round."""
    await nominate(harness, OTHER_VOTER)
    await open_round_over_the_shortlist(harness)
    for _ in range(4):
        card = (await harness.send(FORGOTTEN, "/vote"))[-1]
        await harness.press(FORGOTTEN, "👍", card)
        await forget(harness, FORGOTTEN)
    card = (await harness.send(FORGOTTEN, "/vote"))[-1]
    await harness.press(FORGOTTEN, "👍", card)
    async with sessions() as session:
        counted = (await session.scalars(select(Vote).where(Vote.voided.is_(False)))).all()
    assert [v.voter_id for v in counted] == [FORGOTTEN]
    (stats,) = await harness.send(ADMIN_ID, "/votestats")
    assert "有效 1 票" in stats.text


async def test_votes_in_a_closed_round_stay_counted_without_the_voter(
    harness: ChatHarness, sessions: Sessions
) -> None:
    await nominate(harness, OTHER_VOTER)
    await open_round_over_the_shortlist(harness)
    await harness.press(FORGOTTEN, "👍", (await harness.send(FORGOTTEN, "/vote"))[-1])
    (closed,) = await harness.send(ADMIN_ID, "/closeround")
    assert "1 票" in closed.text
    await forget(harness, FORGOTTEN)
    async with sessions() as session:
        votes = (await session.scalars(select(Vote))).all()
        round_closed = await session.scalar(select(VotingRound.closed_at))
        nomination = await session.scalar(select(Nomination))
    assert [(v.voter_id, v.voided) for v in votes] == [(None, False)] and round_closed is not None
    assert nomination is not None and nomination.nominator_id == OTHER_VOTER


async def test_refused_presses_of_a_resident_lose_their_id_staff_keep_theirs(
    harness: ChatHarness, sessions: Sessions
) -> None:
    from bot.models import AuditEntry

    await harness.send(FORGOTTEN, "/start")
    await harness.press_data(FORGOTTEN, AcceptButton(ticket=1).data, harness.emulator.last_to(FORGOTTEN))
    await harness.send(ADMIN_ID, "/start")
    await harness.press_data(ADMIN_ID, "tk:acc:99999", harness.emulator.last_to(ADMIN_ID))
    await forget(harness, FORGOTTEN)
    async with sessions() as session:
        refused = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.refused"))
        ).all()
    assert sorted((e.actor_id or 0) for e in refused) == [0, ADMIN_ID]
