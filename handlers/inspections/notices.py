"""What a change owes others, written to the outbox in the change's own transaction
(``bot.outbox.notify``; docs/outbox.md): the unit's task cards and their edits, the re-check cards
for the inspector and the staff, the unit's notices, the 75 % warning and 督办.

Where a unit's messages go: its group (``chat_id`` in departments.yaml or sites.yaml); a unit
without one has its cards in the campaign staff chat. Nothing sent to a unit names who inspected.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.models import InspectionItem, Priority, RectificationTask
from bot.outbox import notify
from bot.services.inspections import InspectionContent
from handlers.inspections import task_cards, texts
from handlers.kit.replies import View

CARD_KIND = "rect.card"
CHECK_KIND = "rect.check"


def task_card_key(task_id: int) -> str:
    return f"rect:{task_id}"


def check_card_key(task_id: int, round_: int) -> str:
    """One re-check card per answer: a returned task answered again gets a fresh card."""
    return f"rectcheck:{task_id}:{round_}"


async def _to_unit(
    session: AsyncSession,
    settings: Settings,
    content: InspectionContent,
    unit_id: str,
    view: View,
    *,
    kind: str,
    card_key: str | None = None,
    photos: Sequence[str] = (),
    priority: Priority = Priority.OWED,
) -> None:
    unit = content.units.get(unit_id)
    label = texts.UNIT_GROUP.format(unit=content.unit_name(unit_id))
    if unit is None or unit.chat_id is None:
        await notify.staff(
            session,
            settings,
            view.text,
            kind=kind,
            keyboard=view.keyboard,
            photos=photos,
            card_key=card_key,
            priority=priority,
        )
    elif card_key is not None:
        await notify.card(
            session,
            unit.chat_id,
            card_key,
            view.text,
            kind=kind,
            keyboard=view.keyboard,
            label=label,
            photos=photos,
            priority=priority,
        )
    else:
        await notify.group(
            session,
            unit.chat_id,
            view.text,
            kind=kind,
            label=label,
            keyboard=view.keyboard,
            photos=photos,
            priority=priority,
        )


async def issue_cards(
    session: AsyncSession,
    settings: Settings,
    content: InspectionContent,
    tasks: Sequence[RectificationTask],
    items: Sequence[InspectionItem],
) -> None:
    """A submitted inspection's tasks: one card each to its unit, with the inspector's photos."""
    by_id = {item.id: item for item in items}
    for task in tasks:
        item = by_id[task.inspection_item_id]
        card = task_cards.task_card(task, item, content, settings.tz)
        await _to_unit(
            session,
            settings,
            content,
            task.unit_id,
            card,
            kind=CARD_KIND,
            card_key=task_card_key(task.id),
            photos=item.photos,
        )


async def redraw_card(
    session: AsyncSession,
    settings: Settings,
    content: InspectionContent,
    task: RectificationTask,
    item: InspectionItem,
) -> None:
    card = task_cards.task_card(task, item, content, settings.tz)
    await notify.edit_card(session, task_card_key(task.id), card.text, keyboard=card.keyboard, kind=CARD_KIND)


async def after_reply(
    session: AsyncSession,
    settings: Settings,
    content: InspectionContent,
    task: RectificationTask,
    item: InspectionItem,
    inspector_id: int | None,
) -> None:
    """The unit answered: its card says 待复查; the inspector and the staff get the re-check card."""
    await redraw_card(session, settings, content, task, item)
    card = task_cards.check_card(task, item, content, settings.tz)
    chats = notify.staff_chats(settings)
    if inspector_id is not None and inspector_id not in chats:
        chats = [inspector_id, *chats]
    photos = task_cards.check_photos(task, item)
    for chat_id in chats:
        await notify.card(
            session,
            chat_id,
            check_card_key(task.id, task.round),
            card.text,
            kind=CHECK_KIND,
            keyboard=card.keyboard,
            label=texts.UNIT_GROUP.format(unit=content.unit_name(task.unit_id)) if chat_id < 0 else None,
            photos=photos,
        )


async def after_pass(
    session: AsyncSession,
    settings: Settings,
    content: InspectionContent,
    task: RectificationTask,
    item: InspectionItem,
    checker: str,
) -> None:
    """Passed: the unit's card and notice, and every copy of the re-check card."""
    await redraw_card(session, settings, content, task, item)
    await _to_unit(
        session,
        settings,
        content,
        task.unit_id,
        View(task_cards.passed_notice(task, content)),
        kind="rect.passed",
    )
    check = task_cards.check_card(task, item, content, settings.tz, checker)
    await notify.edit_card(
        session, check_card_key(task.id, task.round), check.text, keyboard=check.keyboard, kind=CHECK_KIND
    )


async def after_return(
    session: AsyncSession,
    settings: Settings,
    content: InspectionContent,
    task: RectificationTask,
    item: InspectionItem,
    checker: str,
    answered_round: int,
) -> None:
    """Returned: the unit's card asks again, a notice says why and until when; the re-check card of
    the answered round shows the outcome."""
    await redraw_card(session, settings, content, task, item)
    notice = View(task_cards.returned_notice(task, content, settings.tz))
    await _to_unit(session, settings, content, task.unit_id, notice, kind="rect.returned")
    check = task_cards.check_card(task, item, content, settings.tz, checker)
    key = check_card_key(task.id, answered_round)
    await notify.edit_card(session, key, check.text, keyboard=check.keyboard, kind=CHECK_KIND)


async def warn(
    session: AsyncSession, settings: Settings, content: InspectionContent, task: RectificationTask
) -> None:
    """The 75 % warning, to the unit."""
    await _to_unit(
        session,
        settings,
        content,
        task.unit_id,
        View(task_cards.warning_text(task, content, settings.tz)),
        kind="rect.warning",
    )


async def escalate(
    session: AsyncSession, settings: Settings, content: InspectionContent, task: RectificationTask
) -> None:
    """督办: the campaign staff (urgent), and the unit is told it was escalated."""
    await notify.staff(
        session,
        settings,
        task_cards.escalation_text(task, content, settings.tz),
        kind="rect.escalated",
        priority=Priority.URGENT,
    )
    unit = content.units.get(task.unit_id)
    if unit is not None and unit.chat_id is not None:  # a unit without a group: the staff just heard it
        await _to_unit(
            session,
            settings,
            content,
            task.unit_id,
            View(task_cards.escalation_unit_text(task, content)),
            kind="rect.escalated",
        )
