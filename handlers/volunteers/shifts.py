"""/shifts: the upcoming shifts, page by page, filtered by district and dates; 报名 and 候补.

Page, filter and booking buttons edit the list in place, so its buttons and counts stay current. An
old 下一页 whose page no longer exists (shifts started or were cancelled) shows the last page.
"""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.services import volunteers as vol
from bot.services.users import ensure_user
from handlers.kit.paging import Page
from handlers.kit.replies import View, edit_view, refuse, reply, send_view
from handlers.volunteers import views
from handlers.volunteers.callbacks import (
    BookButton,
    BookShiftButton,
    DateFilterButton,
    DistrictFilterButton,
    ShiftListButton,
)
from handlers.volunteers.reading import districts_of, sender_id

PAGE_SIZE = 5


async def shift_list(
    context: BotContext, user_id: int, district: int | None, when: vol.DateFilter, page: int
) -> View:
    """Page ``page`` (from 0) of the upcoming shifts in ``district`` (an index into the districts;
    None, or one the list no longer has: all of them) and the dates ``when``."""
    names = districts_of(context).names
    if district is not None and district >= len(names):
        district = None
    district_name = names[district] if district is not None else None
    tz = context.settings.tz

    async def fetch(number: int) -> tuple[list[vol.ShiftView], int]:
        return await vol.upcoming_shifts(
            session,
            user_id=user_id,
            district=district_name,
            date_filter=when,
            offset=number * PAGE_SIZE,
            limit=PAGE_SIZE,
            now=context.clock.now(),
            tz=tz,
        )

    async with context.transaction(read_only=True) as session:
        found, total = await fetch(page)
        pages = max(1, -(-total // PAGE_SIZE))
        if page >= pages:  # an old 下一页 after shifts started or were cancelled: the last page
            page = pages - 1
            found, total = await fetch(page)
    shown = Page(found, page + 1, pages)
    return views.shift_list_view(
        shown, total=total, district=district, district_name=district_name, when=when, tz=tz
    )


async def shifts_command(update: Update, context: BotContext) -> None:
    """/shifts: the first page, all districts, all dates."""
    await send_view(update, await shift_list(context, sender_id(update), None, vol.DateFilter.ALL, 0))


async def list_pressed(update: Update, context: BotContext, press: ShiftListButton) -> None:
    """Another page or filter."""
    await edit_view(
        update, await shift_list(context, sender_id(update), press.district, press.when, press.page)
    )


async def district_filter_pressed(update: Update, context: BotContext, press: DistrictFilterButton) -> None:
    """📍 区域: the districts to choose from (the dates chosen stay)."""
    await edit_view(update, views.district_filter_view(districts_of(context).names, press.when))


async def date_filter_pressed(update: Update, context: BotContext, press: DateFilterButton) -> None:
    """📅 日期: the date ranges to choose from (the district chosen stays)."""
    await edit_view(update, views.date_filter_view(press.district))


async def book_pressed(update: Update, context: BotContext, press: BookButton) -> None:
    """报名 or 候补 on a list: book, then redraw the list so its button and counts change."""
    if await _book(update, context, press.shift):
        shown = await shift_list(context, sender_id(update), press.district, press.when, press.page)
        await edit_view(update, shown)


async def book_shift_pressed(update: Update, context: BotContext, press: BookShiftButton) -> None:
    """报名 on an older message, carrying only the shift."""
    await _book(update, context, press.shift)


async def _book(update: Update, context: BotContext, shift_id: int) -> bool:
    """Take a place or join the waitlist, and say which; False when the shift clashes with a booking."""
    user = update.effective_user
    assert user is not None
    tz = context.settings.tz
    try:
        async with context.transaction() as session:
            await ensure_user(session, user.id, user.full_name, user.username)
            result = await vol.book(session, user.id, shift_id, now=context.clock.now())
    except vol.ShiftClash as clash:  # its wording names the other shift's time, which only a view can write
        await refuse(update, views.clash_text(clash, tz))
        return False
    await reply(update, views.booked_text(result, tz))
    return True
