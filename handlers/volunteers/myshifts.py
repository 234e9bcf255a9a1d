"""/myshifts: one's bookings ahead or under way, with 取消 (confirmed first) and the 签到/签退 buttons.

Cancelling a confirmed place promotes the first on the waitlist, who is told (through the outbox,
in the cancellation's transaction). Check-in and check-out are ``checkin``'s conversation.
"""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.models import BookingStatus
from bot.services import volunteers as vol
from handlers.kit.replies import answer_quietly, edit_or_reply, send_view
from handlers.volunteers import owed, texts, views
from handlers.volunteers.callbacks import CancelBookingButton, ConfirmCancelBookingButton, KeepButton
from handlers.volunteers.reading import sender_id


async def myshifts_command(update: Update, context: BotContext) -> None:
    """/myshifts: upcoming and current bookings with their buttons."""
    now = context.clock.now()
    async with context.transaction() as session:
        bookings = await vol.my_bookings(session, sender_id(update), now)
    await send_view(update, views.my_shifts_view(bookings, now, context.settings.tz))


async def cancel_pressed(update: Update, context: BotContext, press: CancelBookingButton) -> None:
    """取消 #N: ask to confirm (a mis-tap must not lose a place)."""
    async with context.transaction() as session:
        booking, shift = await vol.booking_with_shift(session, sender_id(update), press.booking)
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED):
        await answer_quietly(update, texts.BOOKING_NOT_ACTIVE, alert=True)
        return
    await answer_quietly(update)
    await send_view(update, views.confirm_cancel_view(press.booking, shift, context.settings.tz))


async def cancel_confirmed(update: Update, context: BotContext, press: ConfirmCancelBookingButton) -> None:
    """确定取消: cancel; the first waitlisted volunteer gets the place and is told."""
    tz = context.settings.tz
    async with context.transaction() as session:
        _booking, shift, promoted = await vol.cancel_booking(
            session, sender_id(update), press.booking, now=context.clock.now()
        )
        if promoted is not None:
            notice = views.promoted_text(shift, tz)
            await owed.tell(session, [promoted.user_id], notice, kind=owed.Owed.PROMOTED)
    await edit_or_reply(update, views.booking_cancelled_text(shift, tz))


async def keep_pressed(update: Update, context: BotContext, press: KeepButton) -> None:
    """保留报名: nothing changes."""
    await edit_or_reply(update, texts.KEPT)
