"""The inspections rules against a real database (SQLite or PostgreSQL): the content files, the walk,
rectification and its time limits, the period's figures, and personal data."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import SHIPPED_DATA_DIR
from bot.models import (
    RECTIFICATION_TRANSITIONS,
    Inspection,
    InspectionItem,
    InspectionStatus,
    ItemResult,
    RectificationAction,
    RectificationEvent,
    RectificationStatus,
    RectificationTask,
    Role,
    ScheduledTask,
    TaskStatus,
    User,
)
from bot.services.inspections import (
    ContentError,
    ContentProblem,
    Deadlines,
    InspectionContent,
    InspectionError,
    InspectionNotFound,
    InspectionProblem,
    NotAllowed,
    erase_user_data,
    export_user_data,
    load_content,
    scores,
)
from bot.services.inspections import rectification as rect
from bot.services.inspections import walk as service
from bot.services.reports import Period, PeriodKind
from bot.services.users import Actor, set_role
from bot.timeutil import utcnow
from handlers.inspections.views import content_error_text

INSPECTOR = Actor(500001, Role.INSPECTOR)
OTHER_INSPECTOR = Actor(500004, Role.INSPECTOR)
STAFF = Actor(500005, Role.STAFF)
HANDLER = Actor(500002, Role.HANDLER, "ja-binjiang")
OTHER_HANDLER = Actor(500003, Role.HANDLER, "jh-hualoujie")
RESIDENT = Actor(100001, Role.RESIDENT)
DEADLINES = Deadlines(negative_hours=24, other_hours=72)
SITE = "AL-001"  # 背街小巷, 12 items; AL04 and AL06 are 负面清单
JUNE = Period(PeriodKind.MONTH, 2026, 6)


@pytest.fixture(scope="module")
def content() -> InspectionContent:
    return load_content(SHIPPED_DATA_DIR)


@pytest.fixture
async def people(session: AsyncSession) -> None:
    for actor in (INSPECTOR, OTHER_INSPECTOR, STAFF, HANDLER, OTHER_HANDLER):
        await set_role(session, actor.user_id, actor.role, actor.department)
    await session.commit()


# ---------------------------------------------------------------- the content files
def test_the_shipped_standards_and_sites_are_complete(content: InspectionContent) -> None:
    standards = content.standards
    names = {kind.name for kind in standards.site_types.values()}
    assert names == {
        "主次干道",
        "背街小巷",
        "农贸市场",
        "商业街区",
        "公交站台",
        "公园广场",
        "居民小区",
        "学校周边",
        "医院",
        "窗口单位",
        "建筑工地",
        "车站",
    }
    assert standards.item_count >= 120 and len(standards.items) == standards.item_count  # ids unique
    assert any(item.negative for item in standards.items.values())
    assert all(len(kind.items) >= 10 for kind in standards.site_types.values())
    for site in content.sites.values():  # every site's every item has a unit, of the city's units
        assert {line.unit_id for line in content.checklist(site)} <= set(content.units)
    assert {site.type for site in content.sites.values()} == set(standards.site_types)
    departments = yaml.safe_load((SHIPPED_DATA_DIR / "departments.yaml").read_text(encoding="utf-8"))
    districts = yaml.safe_load((SHIPPED_DATA_DIR / "districts.yaml").read_text(encoding="utf-8"))
    communities = {(d["name"], c) for d in districts["districts"] for c in d["communities"]}
    for unit in content.units.values():
        if unit.district is None:
            assert unit.id in {d["id"] for d in departments["departments"]}
        else:
            assert (unit.district, unit.name.removeprefix(unit.district)) in communities


def _broken(tmp_path: Path, file: str, change: Callable[[dict[str, Any]], None]) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA_DIR, target)
    path = target / file
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return target


def _site(document: dict[str, Any], n: int = 0) -> dict[str, Any]:
    site: dict[str, Any] = document["sites"][n]
    return site


@pytest.mark.parametrize(
    ("file", "change", "problem", "where"),
    [
        (
            "standards.yaml",
            lambda d: d["site_types"][0]["items"][1].update(id="MR01"),
            ContentProblem.DUPLICATE_ID,
            "检查项第 2 项（MR01）",
        ),
        (
            "standards.yaml",
            lambda d: d["site_types"][1]["items"][0].update(points=0),
            ContentProblem.BAD_POINTS,
            "检查项第 1 项（AL01）",
        ),
        (
            "standards.yaml",
            lambda d: d["site_types"][0]["items"][0].update(unit="nobody"),
            ContentProblem.UNKNOWN_UNIT_KIND,
            "nobody",
        ),
        (
            "standards.yaml",
            lambda d: d["site_types"][2].update(items=[]),
            ContentProblem.NO_ITEMS,
            "第 3 类点位",
        ),
        (
            "standards.yaml",
            lambda d: d["site_types"][0]["items"][0].pop("check"),
            ContentProblem.MISSING_TEXT,
            "check",
        ),
        (
            "sites.yaml",
            lambda d: _site(d).update(district="火星区"),
            ContentProblem.UNKNOWN_DISTRICT,
            "火星区",
        ),
        (
            "sites.yaml",
            lambda d: _site(d).update(type="moon_base"),
            ContentProblem.UNKNOWN_SITE_TYPE,
            "moon_base",
        ),
        ("sites.yaml", lambda d: _site(d).update(unit="nobody"), ContentProblem.UNKNOWN_UNIT, "MR-001"),
        ("sites.yaml", lambda d: _site(d).update(latitude=95), ContentProblem.BAD_COORDINATES, "MR-001"),
        ("sites.yaml", lambda d: _site(d, 1).update(id="MR-001"), ContentProblem.DUPLICATE_ID, "MR-001"),
        (
            "sites.yaml",
            lambda d: d["units"][0].update(community="不存在社区"),
            ContentProblem.UNKNOWN_COMMUNITY,
            "不存在社区",
        ),
        (
            "sites.yaml",
            lambda d: d["units"][0].update(id="chengguan"),
            ContentProblem.UNIT_CLASH,
            "chengguan",
        ),
        ("sites.yaml", lambda d: d["units"][0].update(chat_id=12345), ContentProblem.BAD_CHAT, "12345"),
        ("sites.yaml", lambda d: d["responsible"].pop("traffic"), ContentProblem.UNRESOLVED_KIND, "traffic"),
    ],
)
def test_a_broken_file_is_named_in_one_line(
    tmp_path: Path, file: str, change: Callable[[dict[str, Any]], None], problem: ContentProblem, where: str
) -> None:
    with pytest.raises(ContentError) as raised:
        load_content(_broken(tmp_path, file, change))
    assert raised.value.problem is problem
    line = content_error_text(raised.value)
    assert "\n" not in line and file in line and where in line


def test_missing_and_unparsable_files(tmp_path: Path) -> None:
    target = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA_DIR, target)
    (target / "sites.yaml").write_text("sites: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(target)
    assert raised.value.problem is ContentProblem.YAML_SYNTAX
    (target / "standards.yaml").unlink()
    with pytest.raises(ContentError) as raised:
        load_content(target)
    assert raised.value.problem is ContentProblem.MISSING_FILE and "standards.yaml" in content_error_text(
        raised.value
    )


def test_sites_are_found_by_distance_and_by_words(content: InspectionContent) -> None:
    site = content.sites[SITE]
    nearest = content.nearest(site.latitude, site.longitude, 3)
    assert nearest[0][0].id == SITE and nearest[0][1] < 1 and nearest[1][1] <= nearest[2][1]
    assert [s.id for s in content.search("黎黄陂 支巷", 5)] == [SITE]
    assert content.search("   ", 5) == [] and content.search("不存在的地方", 5) == []
    market = content.sites["FM-002"]  # 月湖农贸市场: its sanitation items go to 月湖社区
    units = {line.item.unit_kind: line.unit_id for line in content.checklist(market)}
    assert (
        units["sanitation"] == "hy-yuehu" and units["site"] == "shijian" and units["chengguan"] == "chengguan"
    )


# ---------------------------------------------------------------- the walk
async def _walk(
    session: AsyncSession,
    content: InspectionContent,
    now: datetime,
    failed: dict[int, list[str]] | None = None,
    actor: Actor = INSPECTOR,
    site: str = SITE,
) -> service.Walk:
    walk = await service.start(session, content, actor, site, now)
    target = content.sites[site]
    await service.stamp_location(
        session, content, walk.inspection.id, actor, target.latitude, target.longitude, 300, now
    )
    failed = failed or {}
    for position in range(walk.total):
        result = ItemResult.FAIL if position in failed else ItemResult.PASS
        await service.answer(session, walk.inspection.id, actor, position, result, now)
        for photo in failed.get(position, []):
            await service.add_photo(session, walk.inspection.id, actor, position, photo, None)
    return await service.own_walk(session, walk.inspection.id, actor)


async def test_the_walk_refuses_what_it_should(
    session: AsyncSession, content: InspectionContent, people: None
) -> None:
    now = utcnow()
    with pytest.raises(NotAllowed):
        await service.start(session, content, RESIDENT, SITE, now)
    with pytest.raises(InspectionError) as raised:
        await service.start(session, content, INSPECTOR, "NOWHERE", now)
    assert raised.value.problem is InspectionProblem.UNKNOWN_SITE
    walk = await service.start(session, content, INSPECTOR, SITE, now)
    with pytest.raises(InspectionError) as raised:
        await service.start(session, content, INSPECTOR, "MR-001", now)
    assert raised.value.problem is InspectionProblem.DRAFT_EXISTS
    draft = walk.inspection.id
    with pytest.raises(InspectionError) as raised:  # not located yet
        await service.answer(session, draft, INSPECTOR, 0, ItemResult.PASS, now)
    assert raised.value.problem is InspectionProblem.NOT_LOCATED
    with pytest.raises(NotAllowed):  # another inspector's draft
        await service.own_walk(session, draft, OTHER_INSPECTOR)
    with pytest.raises(InspectionNotFound):
        await service.own_walk(session, draft + 999, INSPECTOR)
    far = await service.stamp_location(session, content, draft, INSPECTOR, 30.7, 114.5, 300, now)
    assert not far.near and far.distance_m > 10_000 and not far.walk.may_walk
    walk = await service.start_anyway(session, draft, INSPECTOR, now)
    assert walk.may_walk and walk.inspection.location_mismatch
    site = content.sites[SITE]
    near = await service.stamp_location(
        session, content, draft, INSPECTOR, site.latitude, site.longitude, 300, now
    )
    assert near.near and not near.walk.inspection.location_mismatch
    with pytest.raises(InspectionError) as raised:
        await service.answer(session, draft, INSPECTOR, 12, ItemResult.PASS, now)
    assert raised.value.problem is InspectionProblem.BAD_POSITION
    with pytest.raises(InspectionError) as raised:  # photos only for failed items
        await service.add_photo(session, draft, INSPECTOR, 0, "p", None)
    assert raised.value.problem is InspectionProblem.NOT_FAILED
    await service.answer(session, draft, INSPECTOR, 0, ItemResult.FAIL, now)
    for n in range(service.MAX_PHOTOS):
        await service.add_photo(session, draft, INSPECTOR, 0, f"p{n}", "堆物" if n == 0 else None)
    with pytest.raises(InspectionError) as raised:
        await service.add_photo(session, draft, INSPECTOR, 0, "one-too-many", None)
    assert raised.value.problem is InspectionProblem.TOO_MANY_PHOTOS
    with pytest.raises(InspectionError) as raised:
        await service.add_note(session, draft, INSPECTOR, 0, "长" * 301)
    assert raised.value.problem is InspectionProblem.NOTE_TOO_LONG
    changed = await service.answer(session, draft, INSPECTOR, 0, ItemResult.PASS, now)
    assert changed.changed and changed.item.photos == [] and changed.item.note is None  # evidence dropped
    with pytest.raises(InspectionError) as raised:
        await service.submit(session, draft, INSPECTOR, DEADLINES, now)
    assert raised.value.problem is InspectionProblem.UNFINISHED and raised.value.params == {"number": 2}
    discarded = await service.discard(session, draft, INSPECTOR, now)
    assert discarded.status is InspectionStatus.DISCARDED
    with pytest.raises(InspectionError) as raised:
        await service.answer(session, draft, INSPECTOR, 1, ItemResult.PASS, now)
    assert raised.value.problem is InspectionProblem.DISCARDED
    assert await service.open_draft(session, INSPECTOR.user_id) is None


async def test_submitting_scores_and_issues_tasks_by_severity(
    session: AsyncSession, content: InspectionContent, people: None
) -> None:
    now = utcnow()
    # AL04 (position 3) is 负面清单 and goes to 城管; AL02 (position 1) is the site's own unit's.
    walk = await _walk(session, content, now, {1: ["a"], 3: ["b", "c"]})
    submission = await service.submit(session, walk.inspection.id, INSPECTOR, DEADLINES, now)
    inspection = submission.inspection
    assert inspection.status is InspectionStatus.SUBMITTED and inspection.score == 100 - 3 - 5
    tasks = {task.item_id: task for task in submission.tasks}
    assert set(tasks) == {"AL02", "AL04"}
    assert tasks["AL02"].unit_id == "ja-binjiang" and tasks["AL02"].due_at == now + timedelta(hours=72)
    assert tasks["AL04"].unit_id == "chengguan" and tasks["AL04"].negative
    assert tasks["AL04"].due_at == now + timedelta(hours=24)
    keys = set(await session.scalars(select(ScheduledTask.key).where(ScheduledTask.key.startswith("rect-"))))
    assert keys == {
        f"{kind}:{t.id}:0" for t in tasks.values() for kind in (rect.WARN_KIND, rect.OVERDUE_KIND)
    }
    warn = await session.scalar(
        select(ScheduledTask).where(ScheduledTask.key == f"rect-warn:{tasks['AL04'].id}:0")
    )
    assert warn is not None and warn.due_at == now + timedelta(hours=18)  # 75 % of 24 h
    with pytest.raises(InspectionError) as raised:  # a submitted inspection never changes
        await service.answer(session, inspection.id, INSPECTOR, 0, ItemResult.FAIL, now)
    assert raised.value.problem is InspectionProblem.ALREADY_SUBMITTED
    with pytest.raises(InspectionError):
        await service.submit(session, inspection.id, INSPECTOR, DEADLINES, now)


async def test_the_score_never_goes_below_zero(
    session: AsyncSession, content: InspectionContent, people: None
) -> None:
    walk = await _walk(session, content, utcnow(), {n: ["p"] for n in range(12)})
    assert walk.deductions == sum(item.points for item in walk.items) and walk.score == max(
        0, 100 - walk.deductions
    )
    assert service.score_of(150) == 0


# ---------------------------------------------------------------- rectification
def test_the_transitions_are_written_down_once() -> None:
    assert RECTIFICATION_TRANSITIONS[RectificationAction.REPLY][1] is RectificationStatus.REVIEW
    assert {s for s in RectificationStatus if s.is_open} == {
        RectificationStatus.PENDING,
        RectificationStatus.RETURNED,
    }
    for action, (sources, target) in RECTIFICATION_TRANSITIONS.items():
        assert target not in sources or action is RectificationAction.REPLY, action
    assert RectificationStatus.PASSED not in {
        s for sources, _ in RECTIFICATION_TRANSITIONS.values() for s in sources
    }


async def _one_task(session: AsyncSession, content: InspectionContent, now: datetime) -> RectificationTask:
    walk = await _walk(session, content, now, {1: ["before"]})
    (task,) = (await service.submit(session, walk.inspection.id, INSPECTOR, DEADLINES, now)).tasks
    return task


async def test_answer_recheck_and_return(
    session: AsyncSession, content: InspectionContent, people: None
) -> None:
    now = utcnow()
    task = await _one_task(session, content, now)
    for actor in (OTHER_HANDLER, STAFF, INSPECTOR):  # only the unit's handlers answer
        with pytest.raises(NotAllowed):
            await rect.reply(session, task.id, actor, ["after"], "已整改", now)
    with pytest.raises(InspectionError) as raised:
        await rect.reply(session, task.id, HANDLER, [], "已整改", now)
    assert raised.value.problem is InspectionProblem.REPLY_PHOTO_REQUIRED
    with pytest.raises(InspectionError) as raised:
        await rect.reply(session, task.id, HANDLER, ["after"], "  ", now)
    assert raised.value.problem is InspectionProblem.NOTE_EMPTY
    with pytest.raises(InspectionError) as raised:  # nothing to re-check yet
        await rect.recheck_pass(session, task.id, 0, INSPECTOR, now)
    assert raised.value.problem is InspectionProblem.TASK_WRONG_STATUS
    answered = await rect.reply(session, task.id, HANDLER, ["after"], "已清理", now + timedelta(hours=1))
    assert answered.status is RectificationStatus.REVIEW and answered.replied_on_time
    pending = await session.scalars(
        select(ScheduledTask.status).where(ScheduledTask.key.startswith(f"rect-warn:{task.id}:"))
    )
    assert list(pending) == [TaskStatus.CANCELLED]  # answered: no more reminders this round
    with pytest.raises(NotAllowed):  # handlers do not re-check
        await rect.recheck_pass(session, task.id, 0, HANDLER, now)
    with pytest.raises(InspectionError) as raised:
        await rect.recheck_return(session, task.id, 0, INSPECTOR, "不彻底", 5, now)
    assert raised.value.problem is InspectionProblem.BAD_DEADLINE
    returned = await rect.recheck_return(session, task.id, 0, STAFF, "不彻底", 24, now + timedelta(hours=2))
    assert returned.status is RectificationStatus.RETURNED and returned.round == 1
    assert returned.due_at == now + timedelta(hours=26) and returned.first_due_at == now + timedelta(hours=72)
    with pytest.raises(InspectionError) as raised:  # the round-0 card is stale
        await rect.recheck_pass(session, task.id, 0, INSPECTOR, now)
    assert raised.value.problem is InspectionProblem.TASK_STALE
    late = await rect.reply(session, task.id, HANDLER, ["after2"], "重新清理", now + timedelta(hours=30))
    assert late.replied_on_time is False
    passed = await rect.recheck_pass(session, task.id, 1, INSPECTOR, now + timedelta(hours=31))
    assert passed.status is RectificationStatus.PASSED and passed.checked_by == INSPECTOR.user_id
    kinds = list(
        await session.scalars(
            select(RectificationEvent.kind)
            .where(RectificationEvent.task_id == task.id)
            .order_by(RectificationEvent.id)
        )
    )
    assert kinds == ["issued", "reply", "return", "reply", "pass"]


async def test_warning_and_escalation_fire_once_and_only_while_open(
    session: AsyncSession, content: InspectionContent, people: None
) -> None:
    now = utcnow()
    task = await _one_task(session, content, now)
    assert await rect.due_for_warning(session, task.id, 0, now + timedelta(hours=54)) is not None
    assert await rect.due_for_warning(session, task.id, 0, now + timedelta(hours=55)) is None  # once
    assert await rect.due_for_escalation(session, task.id, 0, now + timedelta(hours=71)) is None  # not due
    assert (
        await rect.due_for_escalation(session, task.id, 1, now + timedelta(hours=73)) is None
    )  # other round
    escalated = await rect.due_for_escalation(session, task.id, 0, now + timedelta(hours=73))
    assert escalated is not None and escalated.escalations == 1
    assert await rect.due_for_escalation(session, task.id, 0, now + timedelta(hours=74)) is None
    answered = await session.get(RectificationTask, (await _one_task(session, content, now)).id)
    assert answered is not None
    await rect.reply(session, answered.id, HANDLER, ["after"], "已整改", now)
    assert await rect.due_for_escalation(session, answered.id, 0, now + timedelta(hours=73)) is None


# ---------------------------------------------------------------- the period's figures
async def _inspection(
    session: AsyncSession,
    site: str,
    unit: str,
    district: str,
    score: float,
    when: datetime,
    failed: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> Inspection:
    inspection = Inspection(
        site_id=site,
        site_type="alley",
        district=district,
        unit_id=unit,
        inspector_id=INSPECTOR.user_id,
        status=InspectionStatus.SUBMITTED,
        deductions=100 - score,
        score=score,
        started_at=when,
        submitted_at=when,
        updated_at=when,
    )
    session.add(inspection)
    await session.flush()
    for position, (item_id, item_unit) in enumerate(failed):
        session.add(
            InspectionItem(
                inspection_id=inspection.id,
                position=position,
                item_id=item_id,
                points=3,
                negative=False,
                unit_id=item_unit,
                result=ItemResult.FAIL,
                photos=["p"],
            )
        )
    session.add(
        InspectionItem(
            inspection_id=inspection.id,
            position=len(failed),
            item_id="OK",
            points=2,
            negative=False,
            unit_id=unit,
            result=ItemResult.PASS,
            photos=[],
        )
    )
    await session.flush()
    return inspection


async def _task(
    session: AsyncSession,
    inspection: Inspection,
    unit: str,
    status: RectificationStatus,
    *,
    due: datetime,
    on_time: bool | None,
) -> None:
    position = 90 + int(
        await session.scalar(select(RectificationTask.id).order_by(RectificationTask.id.desc())) or 0
    )
    item = InspectionItem(
        inspection_id=inspection.id,
        position=position,
        item_id=f"T{position}",  # each task its own item: no repeat failures from these
        points=1,
        negative=False,
        unit_id=unit,
        result=ItemResult.FAIL,
        photos=["p"],
    )
    session.add(item)
    await session.flush()
    session.add(
        RectificationTask(
            inspection_id=inspection.id,
            inspection_item_id=item.id,
            site_id=inspection.site_id,
            district=inspection.district,
            unit_id=unit,
            item_id="T",
            negative=False,
            status=status,
            first_due_at=due,
            due_at=due,
            replied_on_time=on_time,
            reply_photos=[],
            created_at=inspection.submitted_at,
            updated_at=inspection.submitted_at,
        )
    )
    await session.flush()


async def test_the_period_figures_in_aggregate(session: AsyncSession, people: None) -> None:
    day = JUNE.start + timedelta(days=2)
    now = JUNE.start + timedelta(days=20)
    # Site A (unit a, 江岸区): 70 then 90 → its period score is the latest, 90; the same item failed twice.
    first = await _inspection(session, "A", "unit-a", "江岸区", 70, day, [("X1", "unit-a"), ("X2", "unit-b")])
    await _inspection(session, "A", "unit-a", "江岸区", 90, day + timedelta(days=3), [("X1", "unit-a")])
    # Site B (unit a, 江汉区): 60. Site C (unit b, 江汉区): 100.
    second = await _inspection(session, "B", "unit-a", "江汉区", 60, day)
    await _inspection(session, "C", "unit-b", "江汉区", 100, day)
    # May: not this period.
    await _inspection(session, "A", "unit-a", "江岸区", 10, JUNE.start - timedelta(days=3))
    # Tasks of unit a: passed on time, answered late, open past due, open not yet due (waits).
    await _task(
        session, first, "unit-a", RectificationStatus.PASSED, due=day + timedelta(days=3), on_time=True
    )
    await _task(
        session, first, "unit-a", RectificationStatus.REVIEW, due=day + timedelta(days=3), on_time=False
    )
    await _task(
        session, second, "unit-a", RectificationStatus.PENDING, due=now - timedelta(hours=1), on_time=None
    )
    await _task(
        session, second, "unit-a", RectificationStatus.RETURNED, due=now + timedelta(days=1), on_time=True
    )
    await _task(
        session, second, "unit-b", RectificationStatus.PASSED, due=day + timedelta(days=1), on_time=True
    )
    figures = await scores.period_figures(session, JUNE, now)
    assert figures.inspections == 4 and figures.overall.sites == 3
    assert figures.overall.score == pytest.approx((90 + 60 + 100) / 3)
    assert figures.by_unit["unit-a"].score == pytest.approx(75) and figures.by_unit["unit-a"].inspections == 3
    assert figures.by_district["江汉区"].score == pytest.approx(80)
    assert [s.site_id for s in figures.lowest_sites] == ["B", "A", "C"]
    assert [(r.site_id, r.item_id, r.times) for r in figures.repeats] == [("A", "X1", 2)]
    a = figures.tasks_by_unit["unit-a"]
    assert (a.issued, a.passed, a.on_time, a.late, a.open_now, a.overdue_now) == (4, 1, 1, 2, 2, 1)
    assert a.on_time_rate == pytest.approx(1 / 3)
    assert figures.tasks.issued == 5 and figures.tasks.on_time == 2
    assert figures.failed_items == 3 + 5 and figures.items == 8 + 4  # the tasks' items count too
    ranked = scores.rank_units(figures)
    assert [e.unit_id for e in ranked] == ["unit-b", "unit-a"]
    assert ranked[0].combined == pytest.approx(100) and ranked[1].combined == pytest.approx(
        (75 + 100 / 3) / 2
    )
    assert scores.boards(ranked) == (["unit-b"], ["unit-a"])
    may = await scores.period_figures(session, JUNE.previous(), now)
    assert may.inspections == 1 and may.overall.score == 10 and not may.tasks_by_unit


# ---------------------------------------------------------------- personal data
async def test_personal_data_is_exported_and_erased(
    session: AsyncSession, content: InspectionContent, people: None
) -> None:
    now = utcnow()
    task = await _one_task(session, content, now)
    await rect.reply(session, task.id, HANDLER, ["after"], "已清理", now)
    await rect.recheck_pass(session, task.id, 0, INSPECTOR, now)
    draft = await service.start(session, content, INSPECTOR, "MR-001", now)
    await session.commit()
    exported = await export_user_data(session, INSPECTOR.user_id)
    assert [i["site"] for i in exported["inspections"]] == [SITE, "MR-001"]
    assert [a["action"] for a in exported["rectification_actions"]] == ["pass"]
    assert [
        a["action"] for a in (await export_user_data(session, HANDLER.user_id))["rectification_actions"]
    ] == ["reply"]
    await erase_user_data(session, INSPECTOR.user_id)
    await erase_user_data(session, HANDLER.user_id)
    await session.commit()
    assert await session.get(Inspection, draft.inspection.id) is None  # the unfinished draft is gone
    (kept,) = (await session.scalars(select(Inspection))).all()
    assert kept.inspector_id is None and kept.latitude is None and kept.score is not None
    stored = await session.get(RectificationTask, task.id, populate_existing=True)
    assert stored is not None and stored.replied_by is None and stored.checked_by is None
    actors = set(await session.scalars(select(RectificationEvent.actor_id)))
    assert actors == {None}
    assert (await export_user_data(session, INSPECTOR.user_id)) == {
        "inspections": [],
        "rectification_actions": [],
    }
    assert await session.get(User, INSPECTOR.user_id) is not None  # the user row is the core's to delete
