"""Ticket rules on both databases: transitions, numbering, permissions, duplicates, time limits, erasure."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
from bot.config import SHIPPED_DATA_DIR
from bot.database import transaction
from bot.models import (
    TICKET_TRANSITIONS,
    AuditEntry,
    Role,
    ScheduledTask,
    TaskStatus,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketStatus,
)
from bot.models.tickets import allowed, target_status
from bot.services import NotFound, PermissionDenied, personal_data, tickets, users
from bot.services.classifier import ComplaintClassifier
from bot.services.users import Actor

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
REPORTER = 100001
OTHER = 100002
STAFF = Actor(900002, Role.STAFF)
SANITATION_HANDLER = Actor(700001, Role.HANDLER, "huanwei")
TRAFFIC_HANDLER = Actor(700002, Role.HANDLER, "jiaojing")
LITTER = "小区门口有人乱扔垃圾，垃圾成堆没人管"


@pytest.fixture(scope="module")
def classifier() -> ComplaintClassifier:
    return ComplaintClassifier.load(SHIPPED_DATA_DIR)


async def file(
    session: AsyncSession, classifier: ComplaintClassifier, text: str = LITTER, **kwargs: object
) -> tickets.Filed:
    now = kwargs.pop("now", NOW)
    reporter = kwargs.pop("reporter", REPORTER)
    return await tickets.file_ticket(
        session,
        classifier,
        reporter,
        tickets.Report(text=text, **kwargs),
        now=now,  # type: ignore[arg-type]
    )


def test_transition_table() -> None:
    assert target_status(TicketAction.ACCEPT, TicketStatus.RECEIVED) is TicketStatus.ACCEPTED
    assert target_status(TicketAction.RESOLVE, TicketStatus.ACCEPTED) is TicketStatus.RESOLVED
    assert target_status(TicketAction.RATE, TicketStatus.RESOLVED) is TicketStatus.CLOSED
    assert target_status(TicketAction.REASSIGN, TicketStatus.ACCEPTED) is TicketStatus.RECEIVED
    assert target_status(TicketAction.REOPEN, TicketStatus.CLOSED) is TicketStatus.RECEIVED
    assert target_status(TicketAction.TRIAGE, TicketStatus.ACCEPTED) is TicketStatus.ACCEPTED
    assert not allowed(TicketAction.ACCEPT, TicketStatus.ACCEPTED)  # double press
    for final in (TicketStatus.REJECTED, TicketStatus.DUPLICATE):
        assert not any(allowed(action, final) for action in TicketAction)
    assert {a for a in TicketAction if allowed(a, TicketStatus.CLOSED)} == {TicketAction.REOPEN}
    assert set(TICKET_TRANSITIONS) == set(TicketAction)


async def test_numbers_are_per_local_day_and_sequential(session, classifier) -> None:
    first = (await file(session, classifier, "路口有人乱停车")).ticket
    second = (await file(session, classifier, "广场噪音太大，跳舞音响扰民")).ticket
    late = NOW.replace(hour=17)  # 01:00 next day in Shanghai
    third = (await file(session, classifier, "公交站台广告牌损坏", now=late)).ticket
    await session.commit()
    assert first.number == "TS-20261127-0001"
    assert second.number == "TS-20261127-0002"
    assert third.number == "TS-20261128-0001"


async def test_concurrent_filing_gets_distinct_numbers(sessions, classifier) -> None:
    async def one(i: int) -> str:
        async with transaction(sessions) as session:
            filed = await file(session, classifier, f"第{i}号路灯不亮了，晚上很黑", reporter=200000 + i)
            return filed.ticket.number

    numbers = await asyncio.gather(*(one(i) for i in range(8)))
    assert len(set(numbers)) == 8


async def test_filing_stores_text_exactly_and_schedules_limits(session, classifier) -> None:
    raw = "  <b>乱扔垃圾</b> & 垃圾成堆  "
    filed = await file(session, classifier, raw, photo_file_ids=("p1",), address="人民路 1 号")
    await session.commit()
    ticket = filed.ticket
    assert ticket.text == raw
    assert ticket.category_id == "sanitation" and ticket.department_id == "huanwei"
    assert "乱扔垃圾" in ticket.keywords
    assert ticket.due_at == NOW + timedelta(hours=48)
    keys = {t.key: t.due_at for t in await session.scalars(select(ScheduledTask))}
    assert keys == {
        f"ticket-warn:{ticket.id}": NOW + timedelta(hours=36),
        f"ticket-overdue:{ticket.id}": NOW + timedelta(hours=48),
    }


async def test_urgent_report_uses_short_limit(session, classifier) -> None:
    filed = await file(session, classifier, "工地塔吊旁边起火了，有人受伤")
    assert filed.ticket.urgent and filed.ticket.time_limit_hours == 2
    assert filed.ticket.due_at == NOW + timedelta(hours=2)


async def test_lifecycle_accept_resolve_rate_with_permissions(session, classifier) -> None:
    ticket = (await file(session, classifier)).ticket
    with pytest.raises(PermissionDenied):
        await tickets.accept(session, ticket.id, TRAFFIC_HANDLER, now=NOW)
    with pytest.raises(PermissionDenied):
        await tickets.accept(session, ticket.id, Actor(REPORTER, Role.RESIDENT), now=NOW)
    await tickets.accept(session, ticket.id, SANITATION_HANDLER, now=NOW)
    with pytest.raises(tickets.InvalidTransition):
        await tickets.accept(session, ticket.id, STAFF, now=NOW)  # the same button, pressed again
    later = NOW + timedelta(hours=5)
    await tickets.resolve(session, ticket.id, SANITATION_HANDLER, "已清理完毕", now=later)
    assert ticket.status is TicketStatus.RESOLVED and ticket.resolved_at == later
    with pytest.raises(PermissionDenied):
        await tickets.rate(session, ticket.id, OTHER, 5, now=later)
    with pytest.raises(tickets.TicketError):
        await tickets.rate(session, ticket.id, REPORTER, 6, now=later)
    await tickets.rate(session, ticket.id, REPORTER, 4, now=later)
    assert ticket.status is TicketStatus.CLOSED and ticket.rating == 4
    with pytest.raises(tickets.InvalidTransition):
        await tickets.rate(session, ticket.id, REPORTER, 5, now=later)
    await session.commit()
    kinds = [e.kind for e in await tickets.history(session, ticket.id)]
    assert kinds == ["created", "accept", "resolve", "rate"]
    actions = set(await session.scalars(select(AuditEntry.action)))
    assert {"ticket.accept", "ticket.resolve"} <= actions
    pending = await session.scalars(
        select(ScheduledTask.key).where(ScheduledTask.status == TaskStatus.PENDING)
    )
    assert set(pending) == {f"ticket-close:{ticket.id}:0"}  # warn and overdue were cancelled


async def test_reassign_reject_and_reopen_window(session, classifier) -> None:
    ticket = (await file(session, classifier)).ticket
    await tickets.reassign(session, classifier, ticket.id, SANITATION_HANDLER, "chengguan", now=NOW)
    assert ticket.department_id == "chengguan" and ticket.status is TicketStatus.RECEIVED
    with pytest.raises(PermissionDenied):  # no longer theirs
        await tickets.reject(session, ticket.id, SANITATION_HANDLER, "不属实", now=NOW)
    with pytest.raises(tickets.TicketError):
        await tickets.reassign(session, classifier, ticket.id, STAFF, "nowhere", now=NOW)
    await tickets.resolve(session, ticket.id, STAFF, "已处理", now=NOW)
    with pytest.raises(tickets.TicketError):
        await tickets.reopen(session, classifier, ticket.id, REPORTER, now=NOW + timedelta(days=8))
    reopened = await tickets.reopen(session, classifier, ticket.id, REPORTER, now=NOW + timedelta(days=2))
    assert reopened.status is TicketStatus.RECEIVED and reopened.reopen_count == 1
    assert reopened.due_at == NOW + timedelta(days=2, hours=48)
    await tickets.reject(session, ticket.id, STAFF, "经核实不属实", now=NOW + timedelta(days=3))
    assert ticket.status is TicketStatus.REJECTED
    await session.commit()
    keys = set(await session.scalars(select(ScheduledTask.key)))
    assert f"ticket-warn:{ticket.id}:1" in keys


async def test_duplicate_detection_links_similar_nearby_report(session, classifier) -> None:
    original = (await file(session, classifier, LITTER, latitude=30.2741, longitude=120.1551)).ticket
    same = await file(
        session,
        classifier,
        "小区门口乱扔垃圾，垃圾成堆",
        latitude=30.2745,
        longitude=120.1553,
        reporter=OTHER,
    )
    assert same.original is not None and same.original.id == original.id
    assert same.ticket.status is TicketStatus.DUPLICATE and same.ticket.duplicate_of_id == original.id
    far = await file(
        session,
        classifier,
        "小区门口乱扔垃圾，垃圾成堆",
        latitude=30.3500,
        longitude=120.1553,
        reporter=OTHER,
    )
    assert far.original is None  # ~8 km away: another place
    different = await file(session, classifier, "公园里有人随地吐痰", reporter=OTHER)
    assert different.original is None
    old = await file(session, classifier, LITTER, reporter=OTHER, now=NOW + timedelta(days=8))
    assert old.original is None or old.original.id != original.id
    await session.commit()
    assert await tickets.linked_reporters(session, original.id) == [OTHER]


async def test_staff_duplicate_and_triage(session, classifier) -> None:
    first = (await file(session, classifier)).ticket
    vague = (await file(session, classifier, "你好，我想反映个情况", reporter=OTHER)).ticket
    assert vague.category_id == "triage" and vague.department_id == "wenmingban"
    await tickets.triage(session, classifier, vague.id, STAFF, "noise", now=NOW)
    assert vague.category_id == "noise" and vague.department_id != "wenmingban"
    with pytest.raises(NotFound):
        await tickets.mark_duplicate(session, vague.id, STAFF, "TS-20991231-0001", now=NOW)
    with pytest.raises(tickets.TicketError):
        await tickets.mark_duplicate(session, vague.id, STAFF, "not a number", now=NOW)
    await tickets.mark_duplicate(session, vague.id, STAFF, first.number.lower(), now=NOW)
    assert vague.status is TicketStatus.DUPLICATE and vague.duplicate_of_id == first.id


async def test_queue_filters_and_department_scope(session, classifier) -> None:
    litter = (await file(session, classifier)).ticket
    await file(session, classifier, "路口有人乱停车，堵住消防通道", reporter=OTHER)
    await file(session, classifier, "你好，我想反映个情况", reporter=OTHER)
    await session.commit()
    rows, total = await tickets.queue(session, STAFF, tickets.QueueFilter(open_only=True), now=NOW)
    assert total == 3
    rows, total = await tickets.queue(
        session, SANITATION_HANDLER, tickets.QueueFilter(open_only=True), now=NOW
    )
    assert [t.id for t in rows] == [litter.id]
    rows, _ = await tickets.queue(session, STAFF, tickets.QueueFilter(triage=True), now=NOW)
    assert [t.category_id for t in rows] == ["triage"]
    later = NOW + timedelta(hours=30)
    rows, _ = await tickets.queue(session, STAFF, tickets.QueueFilter(overdue=True), now=later)
    assert [t.category_id for t in rows] == ["triage"]  # 24 h triage limit passed, 48 h ones not
    with pytest.raises(PermissionDenied):
        await tickets.queue(session, Actor(REPORTER, Role.RESIDENT), tickets.QueueFilter(), now=NOW)


async def test_warning_and_escalation_fire_once_and_respect_status(
    sessions: async_sessionmaker[AsyncSession], classifier
) -> None:
    async with transaction(sessions) as session:
        open_one = (await file(session, classifier)).ticket
        done = (await file(session, classifier, "路口有人乱停车", reporter=OTHER)).ticket
        await tickets.resolve(session, done.id, STAFF, "已处理", now=NOW)
    async with transaction(sessions) as session:
        assert await tickets.open_for_warning(session, open_one.id, NOW + timedelta(hours=36)) is not None
        assert await tickets.open_for_warning(session, done.id, NOW + timedelta(hours=36)) is None
        assert await tickets.overdue_for_escalation(session, open_one.id, NOW + timedelta(hours=47)) is None
        assert (
            await tickets.overdue_for_escalation(session, open_one.id, NOW + timedelta(hours=49)) is not None
        )
        assert await tickets.overdue_for_escalation(session, done.id, NOW + timedelta(hours=49)) is None


async def test_erase_keeps_text_anonymised_and_export(sessions, classifier) -> None:
    async with transaction(sessions) as session:
        await users.ensure_user(session, REPORTER, "王阿姨")
        ticket = (await file(session, classifier)).ticket
    async with transaction(sessions) as session:
        exported = await personal_data.export_user_data(session, REPORTER, handlers.personal_data_sections())
    assert exported["complaints"][0]["number"] == ticket.number
    assert exported["complaints"][0]["text"] == LITTER
    async with transaction(sessions) as session:
        await personal_data.forget_user(session, REPORTER, handlers.personal_data_sections())
    async with sessions() as session:
        kept = await session.get(Ticket, ticket.id)
        assert kept is not None and kept.text == LITTER
        assert kept.reporter_id is None and kept.anonymous
        actors = set(
            await session.scalars(select(TicketEvent.actor_id).where(TicketEvent.ticket_id == ticket.id))
        )
        assert actors == {None}


async def test_urgent_reports_are_never_folded_and_reassign_keeps_the_clock(session, classifier) -> None:
    first = (await file(session, classifier, "工地塔吊旁边起火了，有人受伤")).ticket
    second = await file(session, classifier, "工地塔吊旁边起火了，有人受伤", reporter=OTHER)
    assert second.original is None and second.ticket.status is TicketStatus.RECEIVED
    due = first.due_at
    await tickets.reassign(session, classifier, first.id, STAFF, "yingji", now=NOW + timedelta(hours=1))
    assert first.due_at == due


async def test_triage_moves_the_time_limit_and_unrated_tickets_close(session, classifier) -> None:
    vague = (await file(session, classifier, "你好，我想反映个情况")).ticket
    assert vague.due_at == NOW + timedelta(hours=24)
    await tickets.triage(session, classifier, vague.id, STAFF, "sanitation", now=NOW)
    assert vague.due_at == NOW + timedelta(hours=48)
    await session.flush()
    overdue_due = await session.scalar(
        select(ScheduledTask.due_at).where(ScheduledTask.key == f"ticket-overdue:{vague.id}")
    )
    assert overdue_due == NOW + timedelta(hours=48)
    await tickets.resolve(session, vague.id, STAFF, "已处理", now=NOW)
    assert await tickets.close_unrated(session, vague.id, NOW + timedelta(days=7)) is not None
    assert vague.status is TicketStatus.CLOSED and vague.rating is None
    assert await tickets.close_unrated(session, vague.id, NOW + timedelta(days=8)) is None
