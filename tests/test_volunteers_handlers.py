"""Volunteer flows through the real Application and the offline Bot API."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.clock import process_clock
from bot.database import transaction
from bot.harness import ChatHarness
from bot.models import (
    AuditEntry,
    BookingStatus,
    Role,
    Shift,
    ShiftBooking,
    ShiftStatus,
    User,
    VolunteerProfile,
)
from bot.services import volunteers as vol
from bot.services.users import set_role
from bot.timeutil import utcnow
from handlers.kit import texts as kit_texts
from handlers.volunteers import texts as vol_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID, STAFF_ID
from tests.support.owed import settled

Sessions = async_sessionmaker[AsyncSession]
PLACE = (30.5800, 114.2900)


async def volunteer(
    sessions: Sessions, user_id: int, name: str = "李小红", phone: str = "13912345678"
) -> None:
    async with transaction(sessions) as session:
        await vol.register(
            session, user_id, real_name=name, phone=phone, district="江岸区", community="滨江社区"
        )


async def shift(
    sessions: Sessions,
    *,
    capacity: int = 2,
    starts_in: timedelta = timedelta(days=2),
    coords: tuple[float, float] | None = None,
    title: str = "文明交通劝导",
) -> int:
    start = utcnow() + starts_in
    draft = vol.ShiftDraft(
        title=title,
        place="解放路与中山大道路口",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
        district="江岸区",
        notes="请穿志愿者马甲",
        latitude=coords[0] if coords else None,
        longitude=coords[1] if coords else None,
    )
    async with transaction(sessions) as session:
        return (await vol.create_shifts(session, STAFF_ID, draft))[0].id


async def test_registration_flow_with_bad_input_and_contact(harness: ChatHarness, sessions: Sessions) -> None:
    (consent,) = await harness.send(
        RESIDENT_ID, kit_texts.MENU_VOLUNTEER
    )  # the main-menu button enters the flow
    assert "同意" in consent.text
    async with sessions() as session:
        assert await session.get(VolunteerProfile, RESIDENT_ID) is None  # nothing stored before consent
    await harness.press(RESIDENT_ID, vol_texts.CONSENT_YES)
    assert harness.emulator.last_to(RESIDENT_ID).text == vol_texts.ASK_NAME
    (sticker_reply, *_rest) = await harness.send_sticker(RESIDENT_ID)
    assert sticker_reply.text == texts.TEXT_EXPECTED
    (bad,) = await harness.send(RESIDENT_ID, "12")
    assert bad.text == vol_texts.BAD_NAME.format(shortest=2, longest=20)
    await harness.send(RESIDENT_ID, "李小红")
    (bad_phone,) = await harness.send(RESIDENT_ID, "1234<b>")
    assert "不是有效的大陆手机号" in bad_phone.text and "&lt;b&gt;" in bad_phone.text
    (not_own,) = await harness.send_contact(RESIDENT_ID, "13800138000", own=False)
    assert not_own.text == vol_texts.NOT_OWN_CONTACT
    sent = await harness.send_contact(RESIDENT_ID, "+86 139 1234 5678")
    assert sent[-1].text == vol_texts.ASK_DISTRICT
    await harness.press(RESIDENT_ID, "汉阳区")
    await harness.press(RESIDENT_ID, "月湖社区")
    await harness.press(RESIDENT_ID, vol_texts.SKIP)
    await harness.send(RESIDENT_ID, "周末上午")
    done = await harness.press(RESIDENT_ID, vol_texts.HIDE_NAME)
    assert done[-2].text == vol_texts.REGISTERED
    assert "139****5678" in done[-1].text and "13912345678" not in done[-1].text
    async with sessions() as session:
        profile = await session.get(VolunteerProfile, RESIDENT_ID)
        user = await session.get(User, RESIDENT_ID)
    assert profile is not None and profile.phone == "13912345678" and profile.community == "月湖社区"
    assert profile.availability == "周末上午" and profile.skills == "" and not profile.show_on_leaderboard
    assert user is not None and user.role is Role.VOLUNTEER

    # Editing one field from the profile's buttons.
    await harness.send(RESIDENT_ID, "/volunteer")
    await harness.press(RESIDENT_ID, vol_texts.FIELD_LABELS["skills"])
    await harness.send(RESIDENT_ID, "急救、手语")
    async with sessions() as session:
        profile = await session.get(VolunteerProfile, RESIDENT_ID)
    assert profile is not None and profile.skills == "急救、手语" and profile.real_name == "李小红"


async def test_consent_declined_stores_nothing_and_cancel_leaves(
    harness: ChatHarness, sessions: Sessions
) -> None:
    await harness.send(RESIDENT_ID, "/volunteer")
    (declined,) = await harness.press(RESIDENT_ID, vol_texts.CONSENT_NO)
    assert declined.text == vol_texts.CONSENT_DECLINED
    await harness.send(RESIDENT_ID, "/volunteer")
    await harness.press(RESIDENT_ID, vol_texts.CONSENT_YES)
    await harness.send(RESIDENT_ID, "王五")
    (cancelled,) = await harness.send(RESIDENT_ID, "/cancel")
    assert cancelled.text == texts.CANCELLED
    async with sessions() as session:
        assert await session.get(VolunteerProfile, RESIDENT_ID) is None


async def test_shifts_book_waitlist_double_tap_and_promotion(
    harness: ChatHarness, sessions: Sessions
) -> None:
    for uid in (1, 2, 3):
        await volunteer(sessions, uid)
    shift_id = await shift(sessions, capacity=1)
    (page,) = await harness.send(1, "/shifts")
    assert f"#{shift_id}" in page.text and "剩余 1/1" in page.text
    booked, redrawn = await harness.press(1, f"报名 #{shift_id}")
    assert redrawn.edited and "您已报名" in redrawn.text and f"报名 #{shift_id}" not in str(redrawn.buttons())
    assert "报名成功" in booked.text
    await harness.press_data(1, f"vol:book:{shift_id}", page)  # the old button, pressed again
    assert vol_texts.ALREADY_BOOKED in harness.new_toasts()
    (page2,) = await harness.send(2, "/shifts")
    assert "已满" in page2.text
    waiting, _redrawn = await harness.press(2, f"候补 #{shift_id}")
    assert "候补第 1 位" in waiting.text
    await harness.send(3, "/shifts")
    await harness.press(3, f"候补 #{shift_id}")

    (mine,) = await harness.send(1, "/myshifts")
    assert "已报名" in mine.text
    await harness.press(1, f"取消 #{shift_id}")
    await harness.press(1, vol_texts.BTN_CONFIRM_CANCEL)
    assert "已取消报名" in harness.emulator.last_to(1).text
    await settled(harness)
    assert "候补成功" in harness.emulator.last_to(2).text  # the first in line is promoted and told
    assert "候补成功" not in harness.emulator.last_to(3).text
    async with sessions() as session:
        first_booking = await session.scalar(select(ShiftBooking.id).where(ShiftBooking.user_id == 1))
    await harness.press_data(1, f"vol:cancelyes:{first_booking}", mine)  # the old button again
    assert vol_texts.BOOKING_NOT_ACTIVE in harness.new_toasts()
    async with sessions() as session:
        statuses = dict(
            (
                await session.execute(
                    select(ShiftBooking.user_id, ShiftBooking.status).where(ShiftBooking.shift_id == shift_id)
                )
            ).all()
        )
    assert statuses == {1: BookingStatus.CANCELLED, 2: BookingStatus.CONFIRMED, 3: BookingStatus.WAITLISTED}


async def test_unregistered_user_and_filters(harness: ChatHarness, sessions: Sessions) -> None:
    shift_id = await shift(sessions)
    await harness.send(RESIDENT_ID, "/shifts")
    await harness.press(RESIDENT_ID, f"报名 #{shift_id}")
    assert vol_texts.NOT_REGISTERED in harness.new_toasts()
    await harness.press(RESIDENT_ID, "区域")
    (filtered,) = await harness.press(RESIDENT_ID, "汉阳区")
    assert vol_texts.SHIFTS_EMPTY in filtered.text and filtered.edited
    assert "汉阳区" in harness.emulator.last_to(RESIDENT_ID).text
    for _ in range(6):
        await shift(sessions, starts_in=timedelta(days=3))
    (old_page,) = await harness.send(RESIDENT_ID, "/shifts")
    assert "第 1/2 页" in old_page.text
    (last,) = await harness.press_data(
        RESIDENT_ID, "vol:list:-:all:7", old_page
    )  # a page that no longer exists
    assert "第 2/2 页" in last.text and "#" in last.text


async def test_reminders_fire_once_and_not_after_cancel(harness: ChatHarness, sessions: Sessions) -> None:
    await volunteer(sessions, 1)
    await volunteer(sessions, 2)
    shift_id = await shift(sessions, capacity=5, starts_in=timedelta(days=2))
    for uid in (1, 2):
        async with transaction(sessions) as session:
            result = await vol.book(session, uid, shift_id)
    async with transaction(sessions) as session:
        await vol.cancel_booking(session, 2, result.booking.id)
    runner = harness.application.bot_data.tasks
    due = utcnow() + timedelta(days=1, minutes=1)
    assert (
        await runner.run_due(sessions, now=due, kinds=[vol.REMINDER_KIND]) == 1
    )  # volunteer 1's 24 h reminder
    reminders = [m for m in await settled(harness) if "志愿服务提醒" in m.text]
    assert [m.chat_id for m in reminders] == [1] and "明天" in reminders[0].text
    assert await runner.run_due(sessions, now=due, kinds=[vol.REMINDER_KIND]) == 0  # nothing doubled
    assert not [m for m in await settled(harness) if "志愿服务提醒" in m.text]


async def test_checkin_by_location_and_checkout(harness: ChatHarness, sessions: Sessions) -> None:
    await volunteer(sessions, 1)
    shift_id = await shift(sessions, capacity=2, starts_in=timedelta(minutes=10), coords=PLACE)
    async with transaction(sessions) as session:
        await vol.book(session, 1, shift_id)
    await harness.send(1, "/myshifts")
    (ask,) = await harness.press(1, f"签到 #{shift_id}")
    assert "发送位置" in ask.text
    (wrong,) = await harness.send(1, "我到了")
    assert wrong.text == vol_texts.LOCATION_EXPECTED
    (far,) = await harness.send_location(1, 30.60, 114.29)
    assert "超出 500 米" in far.text
    (ok,) = await harness.send_location(1, 30.5805, 114.2902)
    assert "签到成功" in ok.text
    await harness.send(1, "/myshifts")
    await harness.press(1, f"签退 #{shift_id}")
    (out,) = await harness.send_location(1, *PLACE)
    assert "签退成功" in out.text
    async with sessions() as session:
        booking = await session.scalar(select(ShiftBooking).where(ShiftBooking.shift_id == shift_id))
    assert booking is not None and booking.status is BookingStatus.COMPLETED


async def test_button_checkin_without_coordinates_and_closing_marks_no_show(
    harness: ChatHarness, sessions: Sessions
) -> None:
    await volunteer(sessions, 1)
    await volunteer(sessions, 2)
    shift_id = await shift(sessions, starts_in=timedelta(minutes=5))
    for uid in (1, 2):
        async with transaction(sessions) as session:
            await vol.book(session, uid, shift_id)
    await harness.send(1, "/myshifts")
    (ok,) = await harness.press(1, f"签到 #{shift_id}")
    assert "签到成功" in ok.text
    await harness.press_data(1, ok and f"vol:in:{_booking_id_of(harness, 1)}")
    assert vol_texts.ALREADY_CHECKED_IN in harness.new_toasts()
    await harness.application.bot_data.tasks.run_due(sessions, now=utcnow() + timedelta(hours=4))
    await settled(harness)
    assert "未到岗" in harness.emulator.last_to(2).text
    async with sessions() as session:
        rows = dict(
            (
                await session.execute(
                    select(ShiftBooking.user_id, ShiftBooking.status).where(ShiftBooking.shift_id == shift_id)
                )
            ).all()
        )
    assert rows == {1: BookingStatus.COMPLETED, 2: BookingStatus.NO_SHOW}


def _booking_id_of(harness: ChatHarness, chat_id: int) -> str:
    for message in reversed(harness.emulator.sent_to(chat_id)):
        for button in message.buttons():
            if str(button.get("callback_data", "")).startswith("vol:in:"):
                return str(button["callback_data"]).split(":")[2]
    raise AssertionError("no check-in button")


async def test_staff_newshift_conversation_with_recurrence(harness: ChatHarness, sessions: Sessions) -> None:
    (denied,) = await harness.send(RESIDENT_ID, "/newshift")
    assert denied.text == texts.NOT_ALLOWED
    start = (utcnow() + timedelta(days=3)).astimezone(harness.settings.tz)
    await harness.send(ADMIN_ID, "/newshift")
    await harness.send(ADMIN_ID, "高铁站广场夜间秩序")
    await harness.send(ADMIN_ID, "高铁站东广场")
    (bad,) = await harness.send(ADMIN_ID, "不知道")
    assert vol_texts.BAD_COORDS in bad.text
    await harness.send_location(ADMIN_ID, *PLACE)
    await harness.press(ADMIN_ID, "高铁新城")
    (past,) = await harness.send(ADMIN_ID, "2020-01-01 08:00")
    assert past.text == vol_texts.TIME_IN_PAST
    await harness.send(ADMIN_ID, start.strftime("%Y-%m-%d 19:00"))
    (wrong_end,) = await harness.send(ADMIN_ID, "18:00")
    assert wrong_end.text == vol_texts.END_BEFORE_START
    await harness.send(ADMIN_ID, "22:00")
    (bad_cap,) = await harness.send(ADMIN_ID, "很多")
    assert bad_cap.text == vol_texts.BAD_CAPACITY.format(lowest=1, highest=vol.MAX_CAPACITY)
    await harness.send(ADMIN_ID, "20")
    await harness.send(ADMIN_ID, "穿马甲")
    created = await harness.press(ADMIN_ID, "4 周")
    assert "已发布 4 场活动" in created[0].text
    async with sessions() as session:
        shifts = (await session.scalars(select(Shift).order_by(Shift.starts_at))).all()
        audit_rows = (await session.scalars(select(AuditEntry.action))).all()
    assert len(shifts) == 4 and len({s.recurrence_group for s in shifts}) == 1
    assert shifts[0].latitude == PLACE[0] and shifts[0].district == "高铁新城" and shifts[0].capacity == 20
    assert shifts[1].starts_at - shifts[0].starts_at == timedelta(weeks=1)
    assert "volunteer.shift.create" in audit_rows


async def test_staff_edit_cancel_roster_and_exports(harness: ChatHarness, sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        await set_role(session, STAFF_ID, Role.STAFF)
    await volunteer(sessions, 1, phone="13800138000")
    await volunteer(sessions, 2, name="赵六")
    shift_id = await shift(sessions, capacity=1)
    for uid in (1, 2):
        async with transaction(sessions) as session:
            await vol.book(session, uid, shift_id)

    (roster,) = await harness.send(STAFF_ID, f"/roster {shift_id}")
    assert "138****8000" in roster.text and "13800138000" not in roster.text and "赵六" in roster.text
    (document,) = await harness.press(STAFF_ID, vol_texts.BTN_EXPORT_XLSX, roster)
    sheet = load_workbook(io.BytesIO(document.document_bytes or b"")).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["序号", "姓名", "手机号"] and values[1][2] == "138****8000"
    (csv_doc,) = await harness.press(STAFF_ID, vol_texts.BTN_EXPORT_CSV, roster)
    rows = list(csv.reader(io.StringIO((csv_doc.document_bytes or b"").decode("utf-8-sig"))))
    assert rows[2][1] == "赵六" and rows[2][5] == "候补"

    (refused,) = await harness.send(1, f"/roster {shift_id}")  # a volunteer is not staff
    assert refused.text == texts.NOT_ALLOWED
    async with transaction(sessions) as session:
        await set_role(session, 777, Role.HANDLER, department="城管局")
    (handler_refused,) = await harness.send(777, f"/cancelshift {shift_id}")  # nor is a department handler
    assert handler_refused.text == texts.NOT_ALLOWED

    # A resident pressing a staff button (or an old one) is refused every time.
    await harness.press_data(RESIDENT_ID, f"vol:export:{shift_id}:xlsx", roster)
    assert texts.NOT_ALLOWED in harness.new_toasts()

    await harness.send(STAFF_ID, f"/editshift {shift_id}")
    await harness.press(STAFF_ID, vol_texts.SHIFT_FIELD_LABELS["capacity"])
    (too_few,) = await harness.send(STAFF_ID, "0")
    assert too_few.text == vol_texts.BAD_CAPACITY.format(lowest=1, highest=vol.MAX_CAPACITY)
    (updated, _summary) = await harness.send(STAFF_ID, "2")
    assert "正在通知 2 位" in updated.text  # the booked one of the change, the waitlisted one of the place
    await settled(harness)
    assert "候补成功" in harness.emulator.last_to(2).text
    assert "有变动" in harness.emulator.last_to(1).text

    # Moving the shift: a new start, then an end given as HH:MM on the same day.
    new_start = (utcnow() + timedelta(days=5)).astimezone(harness.settings.tz)
    await harness.send(STAFF_ID, f"/editshift {shift_id}")
    await harness.press(STAFF_ID, vol_texts.SHIFT_FIELD_LABELS["time"])
    await harness.send(STAFF_ID, new_start.strftime("%Y-%m-%d 08:00"))
    await harness.send(STAFF_ID, "10:30")
    assert any("已更新" in m.text for m in harness.emulator.sent_to(STAFF_ID)[-2:])
    await settled(harness)
    assert "08:00–10:30" in harness.emulator.last_to(1).text
    async with sessions() as session:
        moved_shift = await session.get(Shift, shift_id)
    assert moved_shift is not None and moved_shift.ends_at - moved_shift.starts_at == timedelta(
        hours=2, minutes=30
    )

    await volunteer(sessions, 3)
    (page,) = await harness.send(3, "/shifts")
    await harness.send(STAFF_ID, f"/cancelshift {shift_id}")
    await harness.press(STAFF_ID, vol_texts.BTN_CANCEL_SHIFT)
    assert "正在通知 2 位" in harness.emulator.last_to(STAFF_ID).text
    await settled(harness)
    assert (
        "活动已取消" in harness.emulator.last_to(1).text and "活动已取消" in harness.emulator.last_to(2).text
    )
    await harness.press_data(STAFF_ID, f"vol:cshiftyes:{shift_id}")  # pressed twice
    assert vol_texts.SHIFT_ALREADY_CANCELLED in harness.new_toasts()
    async with sessions() as session:
        cancelled = await session.get(Shift, shift_id)
    assert cancelled is not None and cancelled.status is ShiftStatus.CANCELLED
    await harness.send(1, "/shifts")
    assert f"#{shift_id}" not in harness.emulator.last_to(1).text
    await harness.press(3, f"#{shift_id}", page)  # an old 候补 button of the cancelled shift
    assert vol_texts.SHIFT_CANCELLED in harness.new_toasts()


async def test_hours_leaderboard_certificate_and_hours_export(
    harness: ChatHarness, sessions: Sessions
) -> None:
    (empty,) = await harness.send(1, "/hours")
    assert empty.text == vol_texts.HOURS_EMPTY
    await volunteer(sessions, 1, name="王小明")
    shift_id = await shift(sessions, starts_in=timedelta(minutes=1))
    async with transaction(sessions) as session:
        booking = (await vol.book(session, 1, shift_id)).booking
        s = await vol.get_shift(session, shift_id)
        await vol.check_in(session, 1, booking.id, now=s.starts_at)
        await vol.check_out(session, 1, booking.id, now=s.starts_at + timedelta(minutes=90))
    (hours,) = await harness.send(1, "/hours")
    assert "<b>1.5</b>" in hours.text
    (board,) = await harness.send(RESIDENT_ID, "/leaderboard")
    assert "王*明" in board.text and "王小明" not in board.text
    (certificate,) = await harness.send(1, "/certificate")
    assert certificate.method == "sendDocument" and (certificate.document_bytes or b"").startswith(b"\x89PNG")
    xlsx, csv_doc = await harness.send(ADMIN_ID, "/hoursexport")
    assert (
        (csv_doc.document_bytes or b"").decode("utf-8-sig").splitlines()[1].startswith("王小明,139****5678")
    )
    assert xlsx.document_name is not None and xlsx.document_name.endswith(".xlsx")
    (bad,) = await harness.send(ADMIN_ID, "/hoursexport 2026-13")
    assert bad.text.startswith("用法")


async def test_registration_survives_a_restart(harness: ChatHarness, settings, sessions: Sessions) -> None:
    await harness.send(RESIDENT_ID, "/volunteer")
    await harness.press(RESIDENT_ID, vol_texts.CONSENT_YES)
    await harness.send(RESIDENT_ID, "周八")
    await harness.stop()  # the conversation state and the draft are flushed to the database

    async with ChatHarness(settings, clock=process_clock()) as restarted:
        sent = await restarted.send(RESIDENT_ID, "13800138000")
        assert sent[-1].text == vol_texts.ASK_DISTRICT  # carried on where it stopped
        await restarted.press(RESIDENT_ID, "江汉区")
        await restarted.press(RESIDENT_ID, "万松社区")
        await restarted.press(RESIDENT_ID, vol_texts.SKIP)
        await restarted.press(RESIDENT_ID, vol_texts.SKIP)
        await restarted.press(RESIDENT_ID, vol_texts.SHOW_NAME)
    async with sessions() as session:
        profile = await session.get(VolunteerProfile, RESIDENT_ID)
    assert profile is not None and profile.real_name == "周八" and profile.show_on_leaderboard


def test_conversation_names_fit_the_persistence_column(harness: ChatHarness) -> None:
    from telegram.ext import ConversationHandler

    from bot.models import PersistenceRecord

    limit = PersistenceRecord.__table__.c.kind.type.length
    names = [h.name for h in harness.application.handlers[0] if isinstance(h, ConversationHandler)]
    assert {"vol_registration", "vol_checkin", "vol_newshift", "vol_editshift"} <= set(names)
    assert all(len(f"conversation:{name}") <= limit for name in names)
