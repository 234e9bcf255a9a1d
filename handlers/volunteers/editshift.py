"""/editshift and /cancelshift (campaign staff): change or cancel a published shift; everyone booked is told.

/editshift, persistent as "vol_editshift" (diagram: conversations.mmd)::

    /editshift ID | 修改活动 (roster) ──► FIELD ──► VALUE ──► saved, everyone booked told ──► END
                                                   └─ 时间: the new start ──► END_TIME ──► saved ──► END

A larger capacity promotes waitlisted volunteers, who are told they have a place. /cancelshift ID (or
取消活动 on the roster) asks to confirm, then cancels every booking and tells each volunteer. What the
volunteers are told is written to the outbox in the change's transaction (``owed``); the staff
member's confirmation says how many are being told.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, TypedDict

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler

from bot import texts as common_texts
from bot.app import BotContext
from bot.services import volunteers as vol
from bot.services.volunteers.inputs import (
    NOTES_LIMIT,
    NUMBER_INPUT_LIMIT,
    PLACE_LIMIT,
    TIME_INPUT_LIMIT,
    TITLE_LIMIT,
)
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_COMMAND, Draft, Step, conversation, reask
from handlers.kit.errors import show_errors
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import answer_quietly, edit_or_reply, main_menu, reply, send_view
from handlers.volunteers import owed, staff_views, texts, views
from handlers.volunteers.callbacks import (
    CancelShiftButton,
    ConfirmCancelShiftButton,
    EditShiftButton,
    ShiftField,
    ShiftFieldButton,
)
from handlers.volunteers.reading import command_shift_id, sender_id, typed

# The values are stored by the conversation's persistence: keep them when adding states.
FIELD, VALUE, END_TIME = range(60, 63)
TYPED_LIMITS: Final[dict[ShiftField, int]] = {
    "title": TITLE_LIMIT,
    "place": PLACE_LIMIT,
    "notes": NOTES_LIMIT,
    "capacity": NUMBER_INPUT_LIMIT,
    "time": TIME_INPUT_LIMIT,
}


class ShiftEdit(TypedDict, total=False):
    shift_id: int
    field: ShiftField
    starts_at: str  # the new start (ISO), while the new end is asked


def _new_edit() -> ShiftEdit:
    return {}


DRAFT = Draft("vol_editshift", _new_edit)


# ---------------------------------------------------------------- /editshift
@campaign_staff_only
async def editshift_command(update: Update, context: BotContext) -> int:
    """/editshift ID: which field?"""
    shift_id = command_shift_id(context)
    if shift_id is None:
        await reply(update, texts.EDITSHIFT_USAGE)
        return END
    return await _ask_field(update, context, shift_id)


@campaign_staff_only
async def edit_pressed(update: Update, context: BotContext, press: EditShiftButton) -> int:
    """修改活动 on the roster: which field?"""
    return await _ask_field(update, context, press.shift)


async def _ask_field(update: Update, context: BotContext, shift_id: int) -> int:
    async with context.transaction() as session:
        shift = await vol.get_shift(session, shift_id)
        view = staff_views.edit_shift_view(shift, context.settings.tz)
    DRAFT.start(context)["shift_id"] = shift_id
    await answer_quietly(update)
    await send_view(update, view)
    return FIELD


@campaign_staff_only
async def field_pressed(update: Update, context: BotContext, press: ShiftFieldButton) -> int:
    """FIELD: ask the new value (for 时间: the new start, then the end)."""
    DRAFT.get(context)["field"] = press.field
    await edit_or_reply(update, texts.ASK_NEW_VALUE.format(field=texts.SHIFT_FIELD_LABELS[press.field]))
    if press.field == "time":
        await reply(update, texts.ASK_START)
    return VALUE


@campaign_staff_only
async def value_typed(update: Update, context: BotContext) -> int:
    """VALUE: the new value; a new start asks for the end next."""
    edit = DRAFT.get(context)
    field = edit.get("field")
    if field is None or "shift_id" not in edit:
        return END
    text = vol.check_text(typed(update), TYPED_LIMITS[field])
    if field == "time":
        start = vol.parse_local_datetime(text, context.settings.tz)
        edit["starts_at"] = vol.check_start(start, context.clock.now()).isoformat()
        await reply(update, texts.ASK_END)
        return END_TIME
    changes: dict[str, Any] = {"capacity": vol.parse_capacity(text)} if field == "capacity" else {field: text}
    return await _apply(update, context, edit["shift_id"], changes)


@campaign_staff_only
async def end_typed(update: Update, context: BotContext) -> int:
    """END_TIME: the new end (HH:MM the same day, or a full date and time)."""
    edit = DRAFT.get(context)
    if "starts_at" not in edit or "shift_id" not in edit:
        return END
    start = datetime.fromisoformat(edit["starts_at"])
    text = vol.check_text(typed(update), TIME_INPUT_LIMIT)
    end = vol.parse_local_datetime(text, context.settings.tz, day=start.date())
    vol.check_shift_times(start, end, context.clock.now())
    return await _apply(update, context, edit["shift_id"], {"starts_at": start, "ends_at": end})


async def _apply(update: Update, context: BotContext, shift_id: int, changes: dict[str, Any]) -> int:
    tz = context.settings.tz
    async with context.transaction() as session:
        change = await vol.edit_shift(
            session, sender_id(update), shift_id, now=context.clock.now(), **changes
        )
        shift = change.shift
        summary = staff_views.shift_summary(shift, tz)
        notice = staff_views.shift_changed_notice(summary)
        notified = await owed.tell(session, change.notify_user_ids, notice, kind=owed.Owed.SHIFT_CHANGED)
        promoted = views.promoted_text(shift, tz)
        notified += await owed.tell(
            session, [b.user_id for b in change.promoted], promoted, kind=owed.Owed.PROMOTED
        )
    DRAFT.drop(context)
    await reply(update, texts.SHIFT_UPDATED.format(id=shift_id, notified=notified), reply_markup=main_menu())
    await reply(update, summary)
    return END


def _again(prompt: str) -> Step:
    """Input this step cannot use: its prompt again (guarded like the steps)."""
    return campaign_staff_only(reask(prompt))


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        conversation(
            "vol_editshift",
            entry_points=[
                CommandHandler("editshift", editshift_command),
                EditShiftButton.handler(edit_pressed),
            ],
            states={
                FIELD: [
                    ShiftFieldButton.handler(field_pressed),
                    MessageHandler(NOT_COMMAND, _again(texts.PLEASE_PRESS)),
                ],
                VALUE: [
                    MessageHandler(ANSWER_TEXT, value_typed),
                    MessageHandler(NOT_COMMAND, _again(common_texts.TEXT_EXPECTED)),
                ],
                END_TIME: [
                    MessageHandler(ANSWER_TEXT, end_typed),
                    MessageHandler(NOT_COMMAND, _again(texts.ASK_END)),
                ],
            },
            cleanup=DRAFT.drop,
        )
    ]


# ---------------------------------------------------------------- /cancelshift
@campaign_staff_only
@show_errors
async def cancelshift_command(update: Update, context: BotContext) -> None:
    """/cancelshift ID: confirm first."""
    shift_id = command_shift_id(context)
    if shift_id is None:
        await reply(update, texts.CANCELSHIFT_USAGE)
        return
    await _confirm_cancel(update, context, shift_id)


@campaign_staff_only
async def cancel_pressed(update: Update, context: BotContext, press: CancelShiftButton) -> None:
    """取消活动 on the roster: confirm first."""
    await _confirm_cancel(update, context, press.shift)


async def _confirm_cancel(update: Update, context: BotContext, shift_id: int) -> None:
    async with context.transaction() as session:
        view = await vol.shift_view(session, shift_id)
    await answer_quietly(update)
    await send_view(update, staff_views.confirm_cancel_shift_view(view))


@campaign_staff_only
async def cancel_confirmed(update: Update, context: BotContext, press: ConfirmCancelShiftButton) -> None:
    """确定取消活动: cancel the shift and tell everyone booked or waitlisted."""
    async with context.transaction() as session:
        change = await vol.cancel_shift(session, sender_id(update), press.shift, now=context.clock.now())
        notice = staff_views.shift_cancelled_notice(change.shift, context.settings.tz)
        notified = await owed.tell(session, change.notify_user_ids, notice, kind=owed.Owed.SHIFT_CANCELLED)
    await edit_or_reply(update, texts.SHIFT_CANCELLED_DONE.format(id=press.shift, notified=notified))
