"""Broadcast rules: audiences, materialisation, schedules, transitions, HTML, personal data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.database import transaction
from bot.models import (
    AudienceKind,
    Broadcast,
    BroadcastStatus,
    Delivery,
    Role,
    ScheduledTask,
    ScheduleKind,
    Topic,
    User,
)
from bot.models.broadcasts import BROADCAST_TRANSITIONS
from bot.services import DomainError, PermissionDenied, personal_data
from bot.services import broadcasts as service
from bot.services.users import Actor, mark_unreachable, unsubscribe
from bot.timeutil import DEFAULT_TZ
from tests.support.broadcast_fixtures import ADMIN, add_users, notice_now


async def test_audiences_honour_opt_out_blocked_roles_and_departments(sessions) -> None:
    async with transaction(sessions) as session:
        await add_users(session, range(1, 11), topics=(Topic.NOTICES, Topic.HONORS))
        await add_users(session, [20, 21], role=Role.VOLUNTEER)
        await add_users(session, [22], role=Role.VOLUNTEER, topics=())  # volunteer who opted out
        await add_users(session, [30], role=Role.STAFF, topics=())
        await add_users(session, [31, 32], role=Role.HANDLER, department="城管局", topics=())
        await add_users(session, [33], role=Role.HANDLER, department="交警大队", topics=())
        await unsubscribe(session, 3, Topic.NOTICES)
        await mark_unreachable(session, 4)
        await mark_unreachable(session, 21)
    async with sessions() as session:
        assert await service.audience_size(session, AudienceKind.TOPIC, "notices") == 9  # 1..10 −3 −4, +20
        assert await service.audience_size(session, AudienceKind.TOPIC, "honors") == 9
        assert await service.audience_size(session, AudienceKind.VOLUNTEERS, None) == 1
        assert await service.audience_size(session, AudienceKind.STAFF, None) == 4
        assert await service.audience_size(session, AudienceKind.DEPARTMENT, "城管局") == 2
        assert await service.departments(session) == ["交警大队", "城管局"]
        assert (
            await service.audience_size(session, AudienceKind.DISTRICT, "西湖区") == 0
        )  # no volunteers there
        with pytest.raises(DomainError):
            await service.audience_size(session, AudienceKind.DISTRICT, "")
        with pytest.raises(DomainError):
            await service.audience_size(session, AudienceKind.TOPIC, "nonsense")


async def test_materialise_in_batches_is_idempotent(sessions, monkeypatch) -> None:
    monkeypatch.setattr(service, "MATERIALISE_BATCH", 7)
    async with transaction(sessions) as session:
        await add_users(session, range(100, 150))
        broadcast_id = await notice_now(session)
    async with transaction(sessions) as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        assert await service.materialise(session, broadcast, 0) == 0  # same occurrence: nothing twice
        assert await service.materialise(session, broadcast, 1) == 50
        counted = await session.scalar(select(func.count(Delivery.id)))
    assert counted == 100


async def test_recurring_daily_fires_once_per_occurrence_and_schedules_the_next(sessions) -> None:
    now = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai
    async with transaction(sessions) as session:
        await add_users(session, range(1, 4))
        broadcast = await service.create(
            session,
            ADMIN,
            text="每日公约",
            photo_file_id=None,
            audience_kind=AudienceKind.TOPIC,
            audience_param="notices",
            schedule=service.Schedule(ScheduleKind.DAILY, send_time="08:30"),
            now=now,
        )
        task = await session.scalar(select(ScheduledTask).where(ScheduledTask.key.startswith("broadcast:")))
    assert task.key == f"broadcast:{broadcast.id}:20261201"
    assert task.due_at == datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
    async with transaction(sessions) as session:
        assert await service.fire(session, broadcast.id, 20261201, now=task.due_at) == 3
        assert await service.fire(session, broadcast.id, 20261201, now=task.due_at) == 0  # once
        keys = set(await session.scalars(select(ScheduledTask.key)))
    assert keys == {f"broadcast:{broadcast.id}:20261201", f"broadcast:{broadcast.id}:20261202"}


def test_next_weekly_occurrence_and_time_parsing() -> None:
    schedule = service.Schedule(ScheduleKind.WEEKLY, send_time="09:00", weekday=0)
    after = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # Wednesday
    occurrence, due = service.next_occurrence(schedule, after, DEFAULT_TZ)
    assert occurrence == 20261207 and due == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    assert service.parse_hhmm("8：05") == "08:05"
    with pytest.raises(DomainError):
        service.parse_hhmm("24:00")
    when = service.parse_datetime("2026-12-05 09:30", DEFAULT_TZ, after)
    assert when == datetime(2026, 12, 5, 1, 30, tzinfo=UTC)
    for bad in ("2026-02-30 09:00", "下周 09:00", "2026-12-01 09:00"):
        with pytest.raises(DomainError):
            service.parse_datetime(bad, DEFAULT_TZ, after)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ('<b>加粗</b> <i>斜体</i> <a href="https://example.cn">链接</a>', True),
        ("<blockquote>引用</blockquote><code>x</code><pre>y</pre>", True),
        ("1 &lt; 2 &amp; 3 &gt; 2", True),
        ('<span class="tg-spoiler">剧透</span>', True),
        ("<div>块</div>", False),
        ("<b>没有结束", False),
        ("<b><i>交错</b></i>", False),
        ("1 < 2", False),
        ('<a href="javascript:alert(1)">x</a>', False),
        ("&nbsp;", False),
        ("<br/>", False),
        ("字" * 4097, False),
        ("   ", False),
    ],
)
def test_html_validation(text: str, ok: bool) -> None:
    if ok:
        assert service.validate_html(text)
    else:
        with pytest.raises(DomainError):
            service.validate_html(text)


async def test_a_notice_with_nobody_to_send_to_is_finished_at_once(sessions) -> None:
    async with transaction(sessions) as session:
        await add_users(session, [1], topics=())
        broadcast_id = await notice_now(session)
        assert (await session.get(Broadcast, broadcast_id)).status is BroadcastStatus.FINISHED


async def test_transitions_and_permissions(sessions) -> None:
    assert BROADCAST_TRANSITIONS[BroadcastStatus.CANCELLED] == frozenset()
    async with transaction(sessions) as session:
        await add_users(session, [1])
        broadcast_id = await notice_now(session)
    resident = Actor(1, Role.RESIDENT)
    async with transaction(sessions) as session:
        with pytest.raises(PermissionDenied):
            await service.pause(session, resident, broadcast_id)
        await service.cancel(session, ADMIN, broadcast_id)
        with pytest.raises(DomainError, match=r"bad_transition.*cancelled"):
            await service.resume(session, ADMIN, broadcast_id)
        with pytest.raises(DomainError):
            await service.pause(session, ADMIN, broadcast_id)


async def test_forget_drops_pending_and_anonymises_history(sessions) -> None:
    import handlers.broadcasts

    async with transaction(sessions) as session:
        await add_users(session, [1, 2])
        await notice_now(session)
    async with transaction(sessions) as session:
        exported = await personal_data.export_user_data(session, 1, handlers.personal_data_sections())
        assert exported["broadcasts"][0]["status"] == "pending"
        await personal_data.forget_user(session, 1, handlers.personal_data_sections())
    async with sessions() as session:
        assert await session.scalar(select(func.count(Delivery.id)).where(Delivery.user_id == 1)) == 0
        assert await session.scalar(select(func.count(Delivery.id))) == 1
        assert await session.get(User, 1) is None
