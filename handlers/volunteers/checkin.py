"""签到 and 签退 from /myshifts: by the button for shifts without a place on the map, else by location.

Conversation, persistent as "vol_checkin" (diagram: conversations.mmd)::

    签到/签退 (shift without coordinates) ──► checked in/out ──► END
    签到/签退 (shift with coordinates) ──► LOCATION ──location within the radius──► checked in/out ──► END
                                            │  too far → the distance, and wait for another (stay)
                                            │  the window closed, the booking was cancelled → say so ──► END
                                            └─ anything but a location → ask for it again (stay)
"""

from __future__ import annotations

from typing import Literal, TypedDict

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.app import BotContext
from bot.services import DomainError
from bot.services import volunteers as vol
from handlers.kit.conversation import END, NOT_COMMAND, STAY, Draft, conversation
from handlers.kit.errors import catalogue_of, error_text
from handlers.kit.replies import answer_quietly, escape, main_menu, reply
from handlers.volunteers import texts, views
from handlers.volunteers.callbacks import CheckInButton, CheckOutButton
from handlers.volunteers.reading import sender_id

LOCATION = 20  # stored by the conversation's persistence: keep the value

Action = Literal["in", "out"]


class PendingCheck(TypedDict):
    action: Action
    booking_id: int


def _new_check() -> PendingCheck:
    return {"action": "in", "booking_id": 0}


DRAFT = Draft("vol_checkin", _new_check)


async def checkin_pressed(update: Update, context: BotContext, press: CheckInButton) -> int:
    """签到 #N."""
    return await _start(update, context, "in", press.booking)


async def checkout_pressed(update: Update, context: BotContext, press: CheckOutButton) -> int:
    """签退 #N."""
    return await _start(update, context, "out", press.booking)


async def _start(update: Update, context: BotContext, action: Action, booking_id: int) -> int:
    """Without coordinates the button does it; with them, ask for the location."""
    async with context.transaction() as session:
        _booking, shift = await vol.booking_with_shift(session, sender_id(update), booking_id)
    if not shift.has_coordinates:
        await _check(update, context, action, booking_id, None)
        return END
    pending = DRAFT.start(context)
    pending["action"], pending["booking_id"] = action, booking_id
    await answer_quietly(update)
    radius = context.settings.checkin_radius_meters
    await reply(
        update, views.send_location_text(action == "in", radius), reply_markup=views.location_keyboard()
    )
    return LOCATION


async def location_sent(update: Update, context: BotContext) -> int | None:
    """LOCATION: close enough → checked in or out; too far → how far, and wait for another."""
    pending = DRAFT.peek(context)
    message = update.effective_message
    assert message is not None and message.location is not None
    if pending is None:
        return END
    if message.forward_origin is not None:  # someone else's place (or an old one): not proof of presence
        await reply(update, texts.LOCATION_FORWARDED, reply_markup=views.location_keyboard())
        return STAY
    location = (message.location.latitude, message.location.longitude)
    try:
        await _check(update, context, pending["action"], pending["booking_id"], location)
    except (vol.TooFar, vol.BadLocation) as error:  # wait for a location that can count
        await reply(update, _worded(context, error), reply_markup=views.location_keyboard())
        return STAY
    except DomainError as error:  # the window closed, the booking was cancelled…: nothing to wait for
        await reply(update, _worded(context, error), reply_markup=main_menu())
    DRAFT.drop(context)
    return END


async def location_expected(update: Update, context: BotContext) -> object:
    """LOCATION: anything but a location: ask for it again, with the button that sends it."""
    await reply(update, texts.LOCATION_EXPECTED, reply_markup=views.location_keyboard())
    return STAY


async def _check(
    update: Update, context: BotContext, action: Action, booking_id: int, location: tuple[float, float] | None
) -> None:
    radius, tz, now = context.settings.checkin_radius_meters, context.settings.tz, context.clock.now()
    async with context.transaction() as session:
        if action == "in":
            booking, shift = await vol.check_in(
                session, sender_id(update), booking_id, location=location, radius=radius, now=now, tz=tz
            )
        else:
            booking, shift = await vol.check_out(
                session, sender_id(update), booking_id, location=location, radius=radius, now=now
            )
    await reply(update, views.checked_text(booking, shift, tz), reply_markup=main_menu())


def _worded(context: BotContext, error: DomainError) -> str:
    """A refusal as a reply (it comes with a keyboard, so not through the kit's plain refusal)."""
    return escape(error_text(error, catalogue_of(context)))


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        conversation(
            "vol_checkin",
            entry_points=[CheckInButton.handler(checkin_pressed), CheckOutButton.handler(checkout_pressed)],
            states={
                LOCATION: [
                    MessageHandler(filters.LOCATION, location_sent),
                    MessageHandler(NOT_COMMAND, location_expected),
                ]
            },
            cleanup=DRAFT.drop,
        )
    ]
