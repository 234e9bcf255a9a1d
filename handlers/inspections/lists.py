"""/rectifications (a unit's open tasks; every task for campaign staff, filtered by status, unit,
district, overdue), a task's details, and /inspections (campaign staff: this month at a glance)."""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.services.inspections import TaskFilter, queries
from bot.services.inspections import scores as score_service
from bot.services.inspections.rectification import is_member
from bot.services.reports import Period, PeriodKind
from handlers.inspections import list_views
from handlers.inspections.callbacks import FilterMenuButton, ListButton, ViewButton, find_ref
from handlers.inspections.resources import content_of
from handlers.kit.guards import campaign_staff_only, staff_only
from handlers.kit.replies import View, answer_quietly, edit_view, send_view

PAGE_SIZE = 8
OVERVIEW_TASKS = 10
OVERVIEW_RECENT = 8


@staff_only
async def rectifications_command(update: Update, context: BotContext) -> None:
    """/rectifications: the first page, every unfinished task (a unit's handler: their unit's)."""
    await send_view(update, await _page(update, context, TaskFilter(), 0))


@staff_only
async def list_pressed(update: Update, context: BotContext, press: ListButton) -> None:
    """A filter or a page of the list."""
    content = content_of(context)
    unit = find_ref(press.unit, content.units) if press.unit else None
    district = (
        content.districts[press.district]
        if press.district is not None and press.district < len(content.districts)
        else None
    )
    wanted = TaskFilter(press.status, unit, district, press.overdue)
    await edit_view(update, await _page(update, context, wanted, press.page))


async def _page(update: Update, context: BotContext, wanted: TaskFilter, number: int) -> View:
    actor = await context.actor(update)
    now = context.clock.now()
    async with context.transaction(read_only=True) as session:
        page = await queries.list_tasks(
            session, actor, wanted, now, offset=number * PAGE_SIZE, limit=PAGE_SIZE
        )
        if number and not page.tasks and page.total:  # an old page button after the list shrank
            number = (page.total - 1) // PAGE_SIZE
            page = await queries.list_tasks(
                session, actor, wanted, now, offset=number * PAGE_SIZE, limit=PAGE_SIZE
            )
    return list_views.list_view(
        page,
        content_of(context),
        number=number,
        size=PAGE_SIZE,
        staff=actor.is_campaign_staff,
        now=now,
        tz=context.settings.tz,
    )


@campaign_staff_only
async def filter_menu_pressed(update: Update, context: BotContext, press: FilterMenuButton) -> None:
    """按单位 / 按区: the values to filter by."""
    async with context.transaction(read_only=True) as session:
        units = await queries.units_with_tasks(session) if press.of == "unit" else []
    await answer_quietly(update)
    await send_view(update, list_views.filter_menu_view(press.of, units, content_of(context)))


@staff_only
async def view_pressed(update: Update, context: BotContext, press: ViewButton) -> None:
    """A task's details, with the buttons this viewer may use (another unit's task: not found)."""
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        detail = await queries.task_detail(session, actor, press.task)
    await answer_quietly(update)
    view = list_views.detail_view(
        detail,
        content_of(context),
        context.settings.tz,
        may_reply=is_member(actor, detail.task.unit_id),
        may_check=actor.is_inspector,
    )
    await send_view(update, view)


@campaign_staff_only
async def inspections_command(update: Update, context: BotContext) -> None:
    """/inspections: this month's figures, the lowest sites, the overdue tasks, the latest inspections."""
    now, tz = context.clock.now(), context.settings.tz
    month = Period.containing(PeriodKind.MONTH, now, tz)
    async with context.transaction(read_only=True) as session:
        figures = await score_service.period_figures(session, month, now)
        overdue = await queries.overdue_tasks(session, now, OVERVIEW_TASKS)
        recent = await queries.recent_inspections(session, month.start, month.end, OVERVIEW_RECENT)
    text = list_views.overview_text(figures, recent, overdue, content_of(context), now.astimezone(tz), tz)
    await send_view(update, View(text))
