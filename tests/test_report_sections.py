"""The report's domain sections against real rows: complaints, 红黑榜, volunteers, nominations, notices."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest

import handlers
from bot.models import (
    BookingStatus,
    Nomination,
    NominationKind,
    NominationStatus,
    Shift,
    ShiftBooking,
    Ticket,
    TicketStatus,
    User,
    VolunteerProfile,
    Vote,
    VotingRound,
)
from bot.models.broadcasts import AudienceKind, Broadcast, Delivery, DeliveryStatus, ScheduleKind
from bot.models.outbox import OutboxMessage, OutboxStatus
from bot.services import reports
from bot.services.reports import Period, PeriodKind
from bot.timeutil import utcnow
from handlers.staff.rendering import render_text, render_xlsx

OCTOBER = Period(PeriodKind.MONTH, 2026, 10)
numbers = count(1)


def ticket(category: str, department: str, created, status=TicketStatus.CLOSED, **fields) -> Ticket:
    return Ticket(
        number=f"TS-{next(numbers):06d}",
        text="测试",
        category_id=category,
        department_id=department,
        status=status,
        created_at=created,
        updated_at=created,
        **fields,
    )


@pytest.fixture
async def complaints(session) -> None:
    day = OCTOBER.start + timedelta(days=1)
    due = day + timedelta(hours=5)
    for hours, rating in [(2, 5), (4, 4), (6, None), (8, 2)]:  # 市环卫处: 2 of 4 on time
        session.add(
            ticket(
                "sanitation",
                "huanwei",
                day,
                resolved_at=day + timedelta(hours=hours),
                due_at=due,
                rating=rating,
            )
        )
    for hours in (1, 2, 3):  # 交警: all on time, all rated 5
        session.add(
            ticket(
                "traffic",
                "jiaojing",
                day,
                resolved_at=day + timedelta(hours=hours),
                due_at=day + timedelta(hours=10),
                rating=5,
            )
        )
    session.add(ticket("traffic", "jiaojing", day, TicketStatus.DUPLICATE))  # not counted as received
    session.add(
        ticket("sanitation", "huanwei", day, TicketStatus.ACCEPTED, due_at=utcnow() - timedelta(hours=1))
    )
    session.add(
        ticket("sanitation", "huanwei", day, TicketStatus.RECEIVED, due_at=utcnow() + timedelta(days=30))
    )
    september = OCTOBER.previous().start + timedelta(days=2)
    session.add(
        ticket(
            "sanitation",
            "huanwei",
            september,
            resolved_at=september + timedelta(hours=1),
            due_at=september + timedelta(hours=2),
        )
    )
    session.add(ticket("sanitation", "huanwei", september, TicketStatus.REJECTED))
    session.add(
        ticket("sanitation", "huanwei", OCTOBER.end, resolved_at=OCTOBER.end + timedelta(hours=1))
    )  # November
    await session.commit()


async def test_complaints_by_category_and_department(session, complaints) -> None:
    report = await reports.build_report(
        session,
        OCTOBER,
        handlers.report_sections(),
        only=["complaints_by_category", "complaints_by_department"],
    )
    by_category, by_department = report.sections
    metrics = {m.label: (m.current, m.previous) for m in by_category.metrics}
    assert metrics["受理投诉"] == (9, 2)
    assert metrics["办结"] == (7, 1)
    assert metrics["按时办结"] == (5, 1)
    assert metrics["按时办结率"] == (pytest.approx(5 / 7), 1.0)
    assert metrics["当前超时未办结"] == (1, None)
    assert metrics["办理时长中位数"][0] == pytest.approx(3.0)  # 1,2,2,3,4,6,8
    assert metrics["平均满意度（5分制）"][0] == pytest.approx(26 / 6)

    rows = {row[0]: row for row in by_category.tables[0].rows}
    sanitation = rows["市容环境卫生"]
    assert sanitation[1:4] == [6, 2, 4]  # received now, received before, resolved
    assert sanitation[4] == pytest.approx(0.5) and sanitation[5] == pytest.approx(1.0)
    assert sanitation[6] == 1  # overdue now
    assert sanitation[7] == pytest.approx(5.0)  # median of 2,4,6,8
    assert sanitation[8] == pytest.approx(11 / 3)
    traffic = rows["交通秩序"]
    assert traffic[1:4] == [3, 0, 3] and traffic[7] == pytest.approx(2.0) and traffic[8] == pytest.approx(5.0)
    department_rows = {row[0]: row for row in by_department.tables[0].rows}
    assert set(department_rows) == {"市环境卫生管理处", "市公安局交通警察支队"}
    assert department_rows["市环境卫生管理处"][1:4] == [6, 2, 4]


async def test_honor_board_ranks_departments(session, complaints) -> None:
    report = await reports.build_report(session, OCTOBER, handlers.report_sections(), only=["honor_board"])
    (board,) = report.sections
    rows = board.tables[0].rows
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "市公安局交通警察支队", "红榜"),
        (2, "市环境卫生管理处", "黑榜"),
    ]
    assert board.highlights[0].endswith("市公安局交通警察支队")
    assert board.highlights[1].endswith("市环境卫生管理处")
    text = render_text(report)
    assert "红榜：市公安局交通警察支队" in text and "黑榜：市环境卫生管理处" in text


async def user(session, user_id: int) -> None:
    session.add(User(id=user_id, display_name=f"志愿者{user_id}"))


async def test_volunteer_shifts_hours_and_turnout(session) -> None:
    start = OCTOBER.start + timedelta(days=5)
    for user_id in range(1, 6):
        await user(session, user_id)
        session.add(
            VolunteerProfile(
                user_id=user_id,
                real_name="张三",
                phone="13800138000",
                district="西湖区",
                consent_at=start,
                created_at=start,
                updated_at=start,
            )
        )
    await session.flush()
    shifts = [
        Shift(
            title="文明劝导",
            place="路口",
            district="西湖区",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=4,
        ),
        Shift(
            title="文明劝导",
            place="广场",
            district="上城区",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=2,
        ),
        Shift(
            title="上月",
            place="路口",
            district="西湖区",
            starts_at=OCTOBER.previous().start,
            ends_at=OCTOBER.previous().start + timedelta(hours=1),
            capacity=1,
        ),
    ]
    session.add_all(shifts)
    await session.flush()
    plan = [
        (shifts[0], 1, BookingStatus.COMPLETED, 120),
        (shifts[0], 2, BookingStatus.COMPLETED, 90),
        (shifts[0], 3, BookingStatus.NO_SHOW, 0),
        (shifts[0], 4, BookingStatus.CANCELLED, 0),
        (shifts[0], 5, BookingStatus.WAITLISTED, 0),
        (shifts[1], 1, BookingStatus.COMPLETED, 60),
        (shifts[1], 2, BookingStatus.CONFIRMED, 0),
        (shifts[2], 1, BookingStatus.COMPLETED, 60),
    ]
    for position, (shift, user_id, status, minutes) in enumerate(plan, 1):
        checked_in = shift.starts_at if status is BookingStatus.COMPLETED else None
        session.add(
            ShiftBooking(
                shift_id=shift.id,
                user_id=user_id,
                status=status,
                position=position,
                booked_at=start,
                checked_in_at=checked_in,
                service_minutes=minutes,
                updated_at=start,
            )
        )
    await session.commit()
    (section,) = (
        await reports.build_report(session, OCTOBER, handlers.report_sections(), only=["volunteers"])
    ).sections
    metrics = {m.label: (m.current, m.previous) for m in section.metrics}
    assert metrics["志愿岗位"] == (2, 1)
    assert metrics["报名（占名额）"] == (5, 1)  # completed, no-show and confirmed hold a place
    assert metrics["签到"] == (3, 1)
    assert metrics["到岗率"] == (pytest.approx(3 / 5), 1.0)
    assert metrics["服务时长"] == (pytest.approx(4.5), 1.0)
    assert metrics["上岗志愿者"] == (2, 1)
    assert metrics["新注册志愿者"] == (5, 0)
    rows = {row[0]: row for row in section.tables[0].rows}
    assert rows["西湖区"][1:6] == [1, 4, 3, 2, pytest.approx(2 / 3)]
    assert rows["上城区"][1:5] == [1, 2, 2, 1]


async def test_nominations_by_kind_and_stage(session) -> None:
    inside = OCTOBER.start + timedelta(days=3)
    plan = [
        (NominationKind.BRAVERY, NominationStatus.SUBMITTED, inside),
        (NominationKind.BRAVERY, NominationStatus.PUBLISHED, inside),
        (NominationKind.HONESTY, NominationStatus.REJECTED, inside),
        (NominationKind.HONESTY, NominationStatus.SUBMITTED, OCTOBER.previous().start),
    ]
    for n, (kind, status, created) in enumerate(plan):
        session.add(
            Nomination(
                kind=kind,
                status=status,
                nominee_name=f"好人{n}",
                community="幸福里",
                nominee_key=f"k{n}",
                story="事迹",
                created_at=created,
                updated_at=created,
                published_at=inside if status is NominationStatus.PUBLISHED else None,
            )
        )
    await session.flush()
    voting = VotingRound(title="十月", starts_at=inside, ends_at=inside + timedelta(days=3))
    session.add(voting)
    await session.flush()
    first = (await session.execute(Nomination.__table__.select().limit(1))).first()
    assert first is not None
    nomination_id = first.id
    session.add_all(
        [
            Vote(round_id=voting.id, nomination_id=nomination_id, created_at=inside),
            Vote(round_id=voting.id, nomination_id=nomination_id, created_at=inside),
            Vote(round_id=voting.id, nomination_id=nomination_id, created_at=inside, voided=True),
        ]
    )
    await session.commit()
    (section,) = (
        await reports.build_report(session, OCTOBER, handlers.report_sections(), only=["nominations"])
    ).sections
    metrics = {m.label: (m.current, m.previous) for m in section.metrics}
    assert metrics == {"收到推荐": (3, 1), "上榜": (1, 0), "有效投票": (2, 0)}
    table = section.tables[0]
    rows = {row[0]: dict(zip(table.columns, row, strict=True)) for row in table.rows}
    assert (
        rows["见义勇为"]["待审核"] == 1
        and rows["见义勇为"]["已上榜"] == 1
        and rows["见义勇为"]["本期合计"] == 2
    )
    assert rows["诚实守信"]["未通过"] == 1 and rows["诚实守信"]["上期合计"] == 1


async def test_broadcasts_sent_and_reach(session) -> None:
    inside = OCTOBER.start + timedelta(days=2)
    notices = [
        Broadcast(
            text="通知一",
            audience_kind=AudienceKind.VOLUNTEERS,
            schedule_kind=ScheduleKind.NOW,
            created_at=inside,
            updated_at=inside,
        ),
        Broadcast(
            text="通知二",
            audience_kind=AudienceKind.TOPIC,
            audience_param="notices",
            schedule_kind=ScheduleKind.DAILY,
            created_at=inside,
            updated_at=inside,
        ),
    ]
    session.add_all(notices)
    await session.flush()
    plan = [
        (notices[0], 0, 1, DeliveryStatus.SENT),
        (notices[0], 0, 2, DeliveryStatus.SENT),
        (notices[0], 0, 3, DeliveryStatus.UNREACHABLE),
        (notices[1], 0, 1, DeliveryStatus.SENT),
        (notices[1], 1, 1, DeliveryStatus.SENT),  # the daily notice again: the same person reached once
        (notices[1], 1, 4, DeliveryStatus.FAILED),
    ]
    for notice, occurrence, user_id, status in plan:
        session.add(
            Delivery(
                broadcast_id=notice.id,
                occurrence=occurrence,
                user_id=user_id,
                chat_id=user_id,
                status=status,
                created_at=inside,
            )
        )
    await session.commit()
    (section,) = (
        await reports.build_report(session, OCTOBER, handlers.report_sections(), only=["broadcasts"])
    ).sections
    metrics = {m.label: (m.current, m.previous) for m in section.metrics}
    assert metrics["发出的通知"] == (2, 0)
    assert metrics["送达条数"] == (4, 0)
    assert metrics["触达人数"] == (2, 0)
    assert metrics["送达率"][0] == pytest.approx(4 / 6)
    assert metrics["已屏蔽机器人"] == (1, 0)
    rows = {row[0]: row for row in section.tables[0].rows}
    assert rows["全体志愿者"][1:7] == [1, 3, 2, 0, 1, 2]
    assert rows["订阅居民"][1:7] == [1, 3, 2, 1, 0, 1]


async def test_owed_messages_by_kind_with_what_still_waits(session) -> None:
    inside, before = OCTOBER.start + timedelta(days=3), OCTOBER.start - timedelta(days=3)
    plan = [
        ("ticket.card", OutboxStatus.SENT, inside),
        ("ticket.card", OutboxStatus.UNREACHABLE, inside),  # a group that removed the bot
        ("ticket.card", OutboxStatus.SENT, before),
        ("ticket.accepted", OutboxStatus.SENT, inside),
        ("ticket.accepted", OutboxStatus.FAILED, inside),
        ("volunteer.promoted", OutboxStatus.PENDING, inside),
    ]
    for chat, (kind, status, created) in enumerate(plan, start=1):
        session.add(OutboxMessage(chat_id=chat, kind=kind, text="…", status=status, created_at=created))
    await session.commit()
    (section,) = (
        await reports.build_report(session, OCTOBER, handlers.report_sections(), only=["owed_messages"])
    ).sections
    metrics = {m.label: (m.current, m.previous) for m in section.metrics}
    assert metrics["应送达的卡片与通知"] == (5, 1)
    assert metrics["已送达"] == (2, 1)
    assert metrics["送达率"] == (pytest.approx(2 / 5), 1.0)
    assert metrics["发送失败"] == (1, 0) and metrics["无法送达（对方已屏蔽或群不可用）"] == (1, 0)
    assert metrics["当前待发（含重试中）"] == (1, None)
    waited = metrics["最早待发消息已等待"][0]
    assert waited is not None and waited >= (utcnow() - inside).total_seconds() / 3600 - 0.01
    table = section.tables[0]
    rows = {row[0]: dict(zip(table.columns, row, strict=True)) for row in table.rows}
    assert rows["工单卡片（部门群）"] == {
        "类别": "工单卡片（部门群）",
        "本期总数": 2,
        "已送达": 1,
        "待发/重试": 0,
        "失败": 0,
        "无法送达": 1,
        "上期总数": 1,
    }
    assert rows["候补转正通知"]["待发/重试"] == 1 and rows["投诉受理通知"]["失败"] == 1
    assert section.highlights  # failures are pointed out for staff to follow up by hand


async def test_full_report_has_every_section_in_all_forms(session, complaints) -> None:
    import io

    from openpyxl import load_workbook

    report = await reports.build_report(session, OCTOBER, handlers.report_sections())
    assert [s.key for s in report.sections] == [
        "complaints_by_category",
        "complaints_by_department",
        "honor_board",
        "inspections",
        "inspection_board",
        "volunteers",
        "nominations",
        "broadcasts",
        "owed_messages",
        "staff_activity",
    ]
    workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    assert workbook.sheetnames == [s.title for s in report.sections]
    assert len(render_text(report)) < 4096


def test_table_chart_takes_labels_and_named_columns_of_the_top_rows() -> None:
    rows = [["甲", 1, 2], ["乙", 3, 4], ["丙", 5, 6]]
    chart = reports.core.table_chart("图", rows, {"本期": 1, "上期": -1}, limit=2)
    assert chart is not None
    assert (chart.title, list(chart.categories)) == ("图", ["甲", "乙"])
    assert chart.series == {"本期": [1.0, 3.0], "上期": [2.0, 4.0]}
    assert reports.core.table_chart("图", rows, {"本期": 1}) is not None
    assert reports.core.table_chart("图", [], {"本期": 1}) is None
