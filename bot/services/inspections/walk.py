"""The inspection walk: a draft in the database, item by item, then submitted with its score.

The draft is rows (``inspections`` with status draft, one ``inspection_items`` row per checklist
line), so it survives restarts and a lost conversation: every button names the inspection and the
item, and every call here checks that the inspection is the caller's own draft. Once submitted an
inspection never changes.

Location: the inspector stamps where they stand; within the radius of the site the walk may begin.
Farther away the stamp is kept with its distance, and the walk begins only when the inspector says
so (``start_anyway``): the inspection is then marked as a location mismatch for the staff to see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Inspection, InspectionItem, InspectionStatus, ItemResult, RectificationTask
from bot.services import audit
from bot.services.inspections.content import FULL_SCORE, InspectionContent
from bot.services.inspections.errors import (
    InspectionError,
    InspectionNotFound,
    InspectionProblem,
    NotAllowed,
)
from bot.services.inspections.rectification import Deadlines, issue_tasks
from bot.services.users import Actor, ensure_user

MAX_PHOTOS = 5  # per failed item
NOTE_LIMIT = 300  # characters of an item's note


@dataclass(frozen=True)
class Walk:
    """A draft and its checklist, in order."""

    inspection: Inspection
    items: Sequence[InspectionItem]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.result is not None)

    @property
    def current(self) -> InspectionItem | None:
        """The first item still to do: unanswered, or failed without a photo; None when all are done."""
        return next((item for item in self.items if not complete(item)), None)

    @property
    def failed(self) -> list[InspectionItem]:
        return [item for item in self.items if item.result is ItemResult.FAIL]

    @property
    def deductions(self) -> float:
        return sum(item.points for item in self.failed)

    @property
    def score(self) -> float:
        return score_of(self.deductions)

    @property
    def may_walk(self) -> bool:
        """The location is stamped (near the site, or far and accepted)."""
        return self.inspection.located_at is not None


@dataclass(frozen=True)
class Stamp:
    """Where the inspector stood: ``distance_m`` from the site; ``near`` when within the radius."""

    walk: Walk
    distance_m: float
    near: bool


@dataclass(frozen=True)
class Answer:
    walk: Walk
    item: InspectionItem
    changed: bool  # False for a second press of the same answer


@dataclass(frozen=True)
class Submission:
    inspection: Inspection
    items: Sequence[InspectionItem]
    tasks: Sequence[RectificationTask]


def complete(item: InspectionItem) -> bool:
    return item.result is not None and (item.result is not ItemResult.FAIL or bool(item.photos))


def score_of(deductions: float) -> float:
    return max(0.0, FULL_SCORE - deductions)


# ---------------------------------------------------------------- reading
async def open_draft(session: AsyncSession, inspector_id: int) -> Inspection | None:
    """The inspector's unfinished inspection, if any (there is at most one)."""
    found = await session.scalars(
        select(Inspection)
        .where(Inspection.inspector_id == inspector_id, Inspection.status == InspectionStatus.DRAFT)
        .order_by(Inspection.id.desc())
        .limit(1)
    )
    return found.first()


async def own_walk(session: AsyncSession, inspection_id: int, actor: Actor, *, lock: bool = False) -> Walk:
    """The caller's own draft with its items; refused for anyone else's, or once submitted."""
    _require_inspector(actor)
    inspection = await session.get(Inspection, inspection_id, with_for_update=lock, populate_existing=lock)
    if inspection is None:
        raise InspectionNotFound()
    if inspection.inspector_id != actor.user_id:
        raise NotAllowed(InspectionProblem.NOT_YOURS)
    if inspection.status is InspectionStatus.SUBMITTED:
        raise InspectionError(InspectionProblem.ALREADY_SUBMITTED)
    if inspection.status is InspectionStatus.DISCARDED:
        raise InspectionError(InspectionProblem.DISCARDED)
    return Walk(inspection, await items_of(session, inspection.id))


async def items_of(session: AsyncSession, inspection_id: int) -> list[InspectionItem]:
    rows = await session.scalars(
        select(InspectionItem)
        .where(InspectionItem.inspection_id == inspection_id)
        .order_by(InspectionItem.position)
    )
    return list(rows)


# ---------------------------------------------------------------- starting and locating
async def start(
    session: AsyncSession, content: InspectionContent, actor: Actor, site_id: str, now: datetime
) -> Walk:
    """A new draft for ``site_id`` with the site type's checklist; one unfinished draft at a time."""
    _require_inspector(actor)
    site = content.site(site_id)
    if site is None:
        raise InspectionError(InspectionProblem.UNKNOWN_SITE)
    existing = await open_draft(session, actor.user_id)
    if existing is not None:
        raise InspectionError(InspectionProblem.DRAFT_EXISTS, site=existing.site_id)
    await ensure_user(session, actor.user_id)  # an admin from ADMIN_IDS may have no row yet
    inspection = Inspection(
        site_id=site.id,
        site_type=site.type,
        district=site.district,
        unit_id=site.unit,
        inspector_id=actor.user_id,
        status=InspectionStatus.DRAFT,
        started_at=now,
        updated_at=now,
    )
    session.add(inspection)
    await session.flush()
    items = [
        InspectionItem(
            inspection_id=inspection.id,
            position=line.position,
            item_id=line.item.id,
            points=line.item.points,
            negative=line.item.negative,
            unit_id=line.unit_id,
            photos=[],
        )
        for line in content.checklist(site)
    ]
    session.add_all(items)
    await session.flush()
    return Walk(inspection, items)


async def stamp_location(
    session: AsyncSession,
    content: InspectionContent,
    inspection_id: int,
    actor: Actor,
    latitude: float,
    longitude: float,
    radius_m: float,
    now: datetime,
) -> Stamp:
    """Record where the inspector stands; within ``radius_m`` of the site the walk may begin."""
    walk = await own_walk(session, inspection_id, actor, lock=True)
    inspection = walk.inspection
    site = content.site(inspection.site_id)
    if site is None:  # the sites file dropped it mid-walk: keep the stamp, measure nothing
        raise InspectionError(InspectionProblem.UNKNOWN_SITE)
    distance = site.distance_to(latitude, longitude)
    near = distance <= radius_m
    inspection.latitude, inspection.longitude, inspection.distance_m = latitude, longitude, distance
    if near:
        inspection.located_at, inspection.location_mismatch = now, False
    elif not inspection.location_mismatch:
        inspection.located_at = None  # a far stamp replaces a near one: the walk waits for a decision
    return Stamp(walk, distance, near)


async def start_anyway(session: AsyncSession, inspection_id: int, actor: Actor, now: datetime) -> Walk:
    """Walk though the stamped location is far from the site: recorded as a location mismatch."""
    walk = await own_walk(session, inspection_id, actor, lock=True)
    inspection = walk.inspection
    if inspection.distance_m is None:
        raise InspectionError(InspectionProblem.NOT_LOCATED)
    if inspection.located_at is not None:
        return walk  # near already, or accepted by an earlier press
    inspection.located_at, inspection.location_mismatch = now, True
    return walk


# ---------------------------------------------------------------- answering
async def answer(
    session: AsyncSession, inspection_id: int, actor: Actor, position: int, result: ItemResult, now: datetime
) -> Answer:
    """合格 / 不合格 / 不适用 for one item; the same answer again changes nothing (a double press)."""
    walk = await own_walk(session, inspection_id, actor, lock=True)
    if not walk.may_walk:
        raise InspectionError(InspectionProblem.NOT_LOCATED)
    item = _item_at(walk, position)
    if item.result is result:
        return Answer(walk, item, changed=False)
    if item.result is ItemResult.FAIL:  # no longer failed: its evidence no longer applies
        item.photos, item.note = [], None
    item.result, item.answered_at = result, now
    return Answer(walk, item, changed=True)


async def add_photo(
    session: AsyncSession,
    inspection_id: int,
    actor: Actor,
    position: int,
    file_id: str,
    caption: str | None,
) -> InspectionItem:
    """A photo of a failed item (a caption becomes its note)."""
    walk = await own_walk(session, inspection_id, actor, lock=True)
    item = _failed_item(walk, position)
    if len(item.photos) >= MAX_PHOTOS:
        raise InspectionError(InspectionProblem.TOO_MANY_PHOTOS, limit=MAX_PHOTOS)
    item.photos = [*item.photos, file_id]
    if caption and caption.strip():
        _set_note(item, caption)
    return item


async def add_note(
    session: AsyncSession, inspection_id: int, actor: Actor, position: int, text: str
) -> InspectionItem:
    """The note of a failed item (what exactly was wrong); a second note replaces the first."""
    walk = await own_walk(session, inspection_id, actor, lock=True)
    item = _failed_item(walk, position)
    _set_note(item, text)
    return item


async def finish_item(session: AsyncSession, inspection_id: int, actor: Actor, position: int) -> Walk:
    """下一项 after a failed item: it needs at least one photo."""
    walk = await own_walk(session, inspection_id, actor)
    item = _failed_item(walk, position)
    if not item.photos:
        raise InspectionError(InspectionProblem.PHOTO_REQUIRED, number=item.position + 1)
    return walk


def check_note(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InspectionError(InspectionProblem.NOTE_EMPTY)
    if len(cleaned) > NOTE_LIMIT:
        raise InspectionError(InspectionProblem.NOTE_TOO_LONG, length=len(cleaned), limit=NOTE_LIMIT)
    return cleaned


def _set_note(item: InspectionItem, text: str) -> None:
    item.note = check_note(text)


def _item_at(walk: Walk, position: int) -> InspectionItem:
    if not 0 <= position < walk.total:
        raise InspectionError(InspectionProblem.BAD_POSITION)
    return walk.items[position]


def _failed_item(walk: Walk, position: int) -> InspectionItem:
    item = _item_at(walk, position)
    if item.result is not ItemResult.FAIL:
        raise InspectionError(InspectionProblem.NOT_FAILED)
    return item


# ---------------------------------------------------------------- ending
async def discard(session: AsyncSession, inspection_id: int, actor: Actor, now: datetime) -> Inspection:
    """作废: the draft is kept as discarded (it never counts)."""
    walk = await own_walk(session, inspection_id, actor, lock=True)
    walk.inspection.status = InspectionStatus.DISCARDED
    walk.inspection.updated_at = now
    return walk.inspection


async def submit(
    session: AsyncSession,
    inspection_id: int,
    actor: Actor,
    deadlines: Deadlines,
    now: datetime,
) -> Submission:
    """Score the inspection and turn each failed item into a rectification task for its unit."""
    walk = await own_walk(session, inspection_id, actor, lock=True)
    if not walk.may_walk:
        raise InspectionError(InspectionProblem.NOT_LOCATED)
    current = walk.current
    if current is not None:
        if current.result is ItemResult.FAIL:
            raise InspectionError(InspectionProblem.PHOTO_REQUIRED, number=current.position + 1)
        raise InspectionError(InspectionProblem.UNFINISHED, number=current.position + 1)
    inspection = walk.inspection
    inspection.deductions = walk.deductions
    inspection.score = walk.score
    inspection.status = InspectionStatus.SUBMITTED
    inspection.submitted_at = inspection.updated_at = now
    tasks = await issue_tasks(session, inspection, walk.failed, deadlines, now)
    await audit.record(
        session,
        actor.user_id,
        "inspection.submitted",
        str(inspection.id),
        site=inspection.site_id,
        score=inspection.score,
        tasks=len(tasks),
    )
    return Submission(inspection, walk.items, tasks)


def _require_inspector(actor: Actor) -> None:
    if not actor.is_inspector:
        raise NotAllowed(InspectionProblem.NOT_INSPECTOR)
