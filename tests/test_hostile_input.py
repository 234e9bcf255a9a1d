"""Input from a modified client or a careless staff member: each gets a clear answer in Chinese and
changes nothing it should not — never an error code, never an admin alert."""

from __future__ import annotations

import math
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.botapi_emulator import SentMessage
from bot.database import transaction
from bot.flood import FloodGate
from bot.harness import ChatHarness
from bot.models import BookingStatus, Shift, ShiftBooking, TicketStatus
from bot.services import volunteers as vol
from bot.services.staff import AuditFilterProblem
from handlers.kit import texts as kit_texts
from handlers.kit.replies import escape
from handlers.nominations import texts as nomination_texts
from handlers.staff import texts as staff_texts
from handlers.tickets import texts as ticket_texts
from handlers.volunteers import texts as vol_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID
from tests.test_tickets_flow import (
    SANITATION,
    card_in,
    file_complaint,
    loaded_classifier,
    make_handlers,
    only_ticket,
    share_classifier,
)
from tests.test_volunteers_handlers import PLACE, shift, volunteer

__all__ = ["loaded_classifier", "share_classifier"]  # the tickets tests' fixtures, used here too

VOLUNTEER = 100_011
NEIGHBOUR = 100_002
THIRD = 100_003
STAFF_GROUP = -100_500
ERROR_CODE = re.compile(r"E-[0-9A-F]{6}")


@pytest.fixture(autouse=True)
def no_flood_limit(harness: ChatHarness) -> None:
    harness.application.bot_data.flood = FloodGate(10_000, 10.0)


def no_error_code(harness: ChatHarness) -> None:
    """Nothing the bot sent is the error handler's reply (with a code) or its alert to the admins."""
    for message in harness.emulator.messages:
        assert not ERROR_CODE.search(message.body), message.body


# ---------------------------------------------------------------- 7: check-in by location
async def test_check_in_refuses_forwarded_and_impossible_locations(harness: ChatHarness, sessions) -> None:
    await volunteer(sessions, VOLUNTEER)
    shift_id = await shift(sessions, starts_in=timedelta(minutes=10), coords=PLACE)
    async with transaction(sessions) as session:
        await vol.book(session, VOLUNTEER, shift_id)
    await harness.send(VOLUNTEER, "/myshifts")
    await harness.press(VOLUNTEER, f"签到 #{shift_id}")

    forwarded = harness.emulator.message_update(
        VOLUNTEER,
        location={"latitude": PLACE[0], "longitude": PLACE[1]},
        forward_origin={"type": "hidden_user", "sender_user_name": "现场的朋友", "date": int(time.time())},
    )
    (refused,) = await harness.process(forwarded)
    assert refused.text == vol_texts.LOCATION_FORWARDED
    for latitude, longitude in ((math.nan, PLACE[1]), (PLACE[0], math.inf), (91.0, PLACE[1]), (0.0, 181.0)):
        (bad,) = await harness.send_location(VOLUNTEER, latitude, longitude)
        assert bad.text == vol_texts.BAD_LOCATION, (latitude, longitude)
    async with sessions() as session:
        booking = await session.scalar(select(ShiftBooking).where(ShiftBooking.user_id == VOLUNTEER))
    assert booking is not None and booking.status is BookingStatus.CONFIRMED and booking.checked_in_at is None
    (ok,) = await harness.send_location(VOLUNTEER, 30.5805, 114.2902)  # still waiting: a real one counts
    assert "签到成功" in ok.text
    no_error_code(harness)


# ---------------------------------------------------------------- 8: duplicates across departments
async def group_says(harness: ChatHarness, user_id: int, text: str) -> list[SentMessage]:
    update = harness.emulator.message_update(user_id, text=text)
    update["message"]["chat"] = {"id": STAFF_GROUP, "type": "supergroup", "title": "创文办"}
    return await harness.process(update)


async def test_a_duplicate_needs_an_original_the_handler_may_see_that_is_still_open(
    harness: ChatHarness,
) -> None:
    harness.application.bot_data.settings.staff_chat_id = STAFF_GROUP  # cards without a group go here
    await make_handlers(harness)
    await file_complaint(harness)
    mine = await only_ticket(harness)
    await file_complaint(harness, NEIGHBOUR, "路口有人乱停车，堵住消防通道")
    theirs = await only_ticket(harness, reporter_id=NEIGHBOUR)
    await file_complaint(harness, THIRD, "垃圾桶满了好几天没人清运，臭气熏天")
    closed = await only_ticket(harness, reporter_id=THIRD)
    assert (mine.department_id, theirs.department_id, closed.department_id) == (
        "huanwei",
        "jiaojing",
        "huanwei",
    )
    await harness.press(SANITATION, "驳回", card_in(harness, STAFF_GROUP, closed.number))
    await group_says(harness, SANITATION, "不属于本部门职责")

    await harness.press(SANITATION, "重复", card_in(harness, STAFF_GROUP, mine.number))
    (missing,) = await group_says(harness, SANITATION, "TS-20991231-0001")
    (foreign,) = await group_says(harness, SANITATION, theirs.number)
    assert missing.text == foreign.text == ticket_texts.NOT_FOUND  # nothing about the other department
    (finished,) = await group_says(harness, SANITATION, closed.number)
    assert finished.text == ticket_texts.ORIGINAL_CLOSED.format(number=closed.number)
    assert (await only_ticket(harness, id=mine.id)).status is TicketStatus.RECEIVED  # still asked
    await group_says(harness, SANITATION, "/cancel")
    no_error_code(harness)


# ---------------------------------------------------------------- 10: numbers and dates in range
@pytest.mark.parametrize(
    ("command", "hint"),
    [
        ("/audit 0001-01-01", staff_texts.ERRORS[AuditFilterProblem.BAD_DATE].format(value="0001-01-01")),
        ("/audit 9999-12-31", staff_texts.ERRORS[AuditFilterProblem.BAD_DATE].format(value="9999-12-31")),
        ("/hoursexport 9999-12", vol_texts.HOURSEXPORT_USAGE),
        ("/hoursexport 0001-01", vol_texts.HOURSEXPORT_USAGE),
        ("/openround 评选 0001-01-01 08:00 0001-01-02 08:00", nomination_texts.ROUND_USAGE),
        ("/openround 评选 2026-06-16 08:00 9999-12-31 23:59", nomination_texts.ROUND_USAGE),
        ("/votestats 2147483648", nomination_texts.STATS_NO_ROUND),
        ("/votestats 99999999999999999999", nomination_texts.STATS_NO_ROUND),
        ("/votestats ²", nomination_texts.STATS_NO_ROUND),
        ("/voidvotes 2147483648 100001", nomination_texts.VOID_USAGE),
        ("/voidvotes 1 9223372036854775808", nomination_texts.VOID_USAGE),
        ("/voidvotes 1 ²", nomination_texts.VOID_USAGE),
    ],
)
async def test_numbers_and_dates_out_of_range_get_a_hint(
    harness: ChatHarness, command: str, hint: str
) -> None:
    (answer,) = await harness.send(ADMIN_ID, command)
    assert answer.text == escape(hint)
    no_error_code(harness)


async def test_a_weekly_shift_from_the_last_day_of_9999_is_refused_with_a_hint(
    harness: ChatHarness, sessions
) -> None:
    await harness.send(ADMIN_ID, "/newshift")
    await harness.send(ADMIN_ID, "跨年夜秩序维护")
    await harness.send(ADMIN_ID, "市民广场")
    await harness.send_location(ADMIN_ID, *PLACE)
    await harness.press(ADMIN_ID, "高铁新城")
    (refused,) = await harness.send(ADMIN_ID, "9999-12-31 20:00")
    assert refused.text == vol_texts.BAD_TIME
    (still_asked,) = await harness.send(ADMIN_ID, "0001-01-01 20:00")
    assert still_asked.text == vol_texts.BAD_TIME
    async with sessions() as session:
        assert (await session.scalars(select(Shift))).all() == []
    no_error_code(harness)


async def test_forged_buttons_with_huge_or_odd_numbers_are_expired(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/start")
    message = harness.emulator.last_to(RESIDENT_ID)
    for data in ("tk:rate:9223372036854775808:5", "tk:rate:²:5", "tk:rate:2147483648:5", "tk:reopen:-1"):
        assert await harness.press_data(RESIDENT_ID, data, message) == []
        assert harness.new_toasts()[-1] == kit_texts.BUTTON_EXPIRED
    await harness.send(ADMIN_ID, "/start")
    message = harness.emulator.last_to(ADMIN_ID)
    for data in ("bc:pause:99999999999999999999", "bc:cancel:²", "bc:resume:2147483648", "bcw:dep:²"):
        assert await harness.press_data(ADMIN_ID, data, message) == []
        assert harness.new_toasts()[-1] == kit_texts.BUTTON_EXPIRED, data
    no_error_code(harness)


# ---------------------------------------------------------------- 12: the broadcast HTML checker
@pytest.mark.parametrize(
    ("html", "echoed"),
    [
        ("<b&x>周六劝导</b&x>", "&lt;b&amp;x&gt;"),
        ('<b on<x="1">周六劝导</b>', "on&lt;x"),
        ("<i>周六劝导</i&y>", "&lt;/i&amp;y&gt;"),
        ("<u<v>周六劝导", "&lt;u&lt;v&gt;"),
    ],
)
async def test_the_broadcast_checker_escapes_the_names_it_echoes(
    harness: ChatHarness, html: str, echoed: str
) -> None:
    await harness.send(ADMIN_ID, "/broadcast")
    (refusal,) = await harness.send(ADMIN_ID, html)
    assert refusal.text.startswith("格式有误：") and echoed in refusal.text
    no_error_code(harness)
