"""/complaints: the staff queue — open tickets first (a handler sees their department's only), with
filters (待办, 待分拣, 已超时, by status, category or department) and a 处理 button per ticket that
brings up its card. Filter and 处理 presses are card presses: staff only, refusals audited.

Above the list: open tickets whose card could not reach their department's group (the bot was
removed from it, the group is gone) and went to the staff chat or the admins instead.
"""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.outbox import service as outbox
from bot.services import tickets as service
from bot.services.tickets import QueueFilter, category_name, department_name
from handlers.kit.callbacks import BadButton
from handlers.kit.guards import staff_only
from handlers.kit.replies import answer_quietly, edit_view, reply, send_photos
from handlers.tickets import list_views, routing, texts, views
from handlers.tickets.callbacks import (
    QueueButton,
    QueueCategoryButton,
    QueueDepartmentButton,
    QueueMenuButton,
    QueueStatusButton,
    ViewButton,
    find_ref,
)
from handlers.tickets.cards import card_press
from handlers.tickets.resources import classifier_of

QUEUE_PAGE = 20  # tickets listed at once (the header says how many match)
REROUTED_SHOWN = 10  # open tickets listed whose card went to staff (the line says how many)
NAMED_FILTERS = {
    "open": (QueueFilter(open_only=True), texts.FILTER_OPEN),
    "triage": (QueueFilter(triage=True), texts.FILTER_TRIAGE),
    "overdue": (QueueFilter(overdue=True), texts.FILTER_OVERDUE),
}


@staff_only
async def queue_command(update: Update, context: BotContext) -> None:
    """/complaints: the open tickets, with the filter buttons."""
    await show_queue(update, context, *NAMED_FILTERS["open"])


async def show_queue(update: Update, context: BotContext, spec: QueueFilter, label: str) -> None:
    actor = await context.actor(update)
    classifier = await classifier_of(context.bot_data)
    now = context.clock.now()
    async with context.transaction(read_only=True) as session:
        shown, total = await service.queue(session, actor, spec, now=now, limit=QUEUE_PAGE)
        keys = await outbox.rerouted_cards(session, routing.CARD_KEY_PREFIX)
        ids = {i for i in map(routing.ticket_id_of, keys) if i is not None}
        rerouted, rerouted_total = await service.open_among(session, actor, ids, limit=REROUTED_SHOWN)
    view = list_views.queue_view(
        classifier, shown, total, label, context.settings.tz, now, rerouted, rerouted_total
    )
    await edit_view(update, view)


@card_press
async def named_filter(update: Update, context: BotContext, press: QueueButton) -> None:
    """待办 / 待分拣 / 已超时."""
    await show_queue(update, context, *NAMED_FILTERS[press.filter])


@card_press
async def filter_menu(update: Update, context: BotContext, press: QueueMenuButton) -> None:
    """按状态 / 按分类 / 按部门: the values to filter by."""
    await edit_view(update, list_views.queue_pick_view(await classifier_of(context.bot_data), press.of))


@card_press
async def status_filter(update: Update, context: BotContext, press: QueueStatusButton) -> None:
    await show_queue(update, context, QueueFilter(status=press.status), texts.STATUS_NAMES[press.status])


@card_press
async def category_filter(update: Update, context: BotContext, press: QueueCategoryButton) -> None:
    classifier = await classifier_of(context.bot_data)
    category_id = find_ref(press.category, classifier.categories)
    if category_id is None:  # the taxonomy changed since the menu was shown
        raise BadButton(press.prefix)
    label = category_name(classifier, category_id)
    await show_queue(update, context, QueueFilter(category_id=category_id), label)


@card_press
async def department_filter(update: Update, context: BotContext, press: QueueDepartmentButton) -> None:
    classifier = await classifier_of(context.bot_data)
    department_id = find_ref(press.department, classifier.departments)
    if department_id is None:
        raise BadButton(press.prefix)
    label = department_name(classifier, department_id)
    await show_queue(update, context, QueueFilter(department_id=department_id), label)


@card_press
async def view_pressed(update: Update, context: BotContext, press: ViewButton) -> None:
    """处理 TS-…: the ticket's card with its buttons, here."""
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        ticket = await service.handled_ticket(session, press.ticket, actor)
        card = await routing.card_text(session, context.bot_data, ticket)
    await answer_quietly(update)
    if ticket.photo_file_ids:
        await send_photos(update, ticket.photo_file_ids, views.card_photos_caption(ticket))
    await reply(update, card, reply_markup=views.card_keyboard(ticket))
