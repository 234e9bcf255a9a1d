"""/newshift (campaign staff): publish a shift, once or weekly for up to 12 weeks.

Conversation, persistent as "vol_newshift" (diagram: conversations.mmd)::

    /newshift ──► TITLE → PLACE → COORDS (a location, "lat,lon" or 跳过) → DISTRICT → START → END
              → CAPACITY → NOTES (or 跳过) → REPEAT (不重复 / N 周) → CONFIRM (the summary)
              ──确认发布──► published ──► END · ──放弃──► nothing stored ──► END

Every step is guarded: a role revoked mid-way ends the conversation. Input a step cannot use gets
the step's prompt again; a value the rules refuse (a start in the past) gets the reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import texts as common_texts
from bot.app import BotContext
from bot.models import Shift
from bot.services import volunteers as vol
from bot.services.volunteers.inputs import (
    COORDS_INPUT_LIMIT,
    NOTES_LIMIT,
    NUMBER_INPUT_LIMIT,
    PLACE_LIMIT,
    TIME_INPUT_LIMIT,
    TITLE_LIMIT,
)
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_COMMAND, STAY, Draft, Step, conversation, reask
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import answer_quietly, edit_or_reply, main_menu, reply, send_view
from handlers.volunteers import staff_views, texts, views
from handlers.volunteers.callbacks import (
    NewShiftConfirmButton,
    NewShiftDistrictButton,
    NewShiftSkipButton,
    NewShiftWeeksButton,
)
from handlers.volunteers.reading import districts_of, sender_id, typed

# The values are stored by the conversation's persistence: keep them when adding states.
(TITLE, PLACE, COORDS, DISTRICT, START, END_TIME, CAPACITY, NOTES, REPEAT, CONFIRM) = range(40, 50)


class NewShift(TypedDict, total=False):
    title: str
    place: str
    lat: float | None
    lon: float | None
    district: str
    starts_at: str  # ISO times
    ends_at: str
    capacity: int
    notes: str
    weeks: int  # 1: once


def _new_shift() -> NewShift:
    return {}


DRAFT = Draft("vol_shift", _new_shift)


@campaign_staff_only
async def newshift_command(update: Update, context: BotContext) -> int:
    """/newshift: a new draft; ask the title."""
    DRAFT.start(context)
    await reply(update, texts.NEWSHIFT_TITLE)
    return TITLE


@campaign_staff_only
async def title_typed(update: Update, context: BotContext) -> int:
    """TITLE: e.g. 文明交通劝导."""
    DRAFT.get(context)["title"] = vol.check_text(typed(update), TITLE_LIMIT)
    await reply(update, texts.ASK_PLACE)
    return PLACE


@campaign_staff_only
async def place_typed(update: Update, context: BotContext) -> int:
    """PLACE: the place's name."""
    DRAFT.get(context)["place"] = vol.check_text(typed(update), PLACE_LIMIT)
    await reply(update, texts.ASK_COORDS, reply_markup=views.skip_keyboard(NewShiftSkipButton()))
    return COORDS


@campaign_staff_only
async def coords_sent(update: Update, context: BotContext) -> int:
    """COORDS: a location, or "lat,lon" typed (check-in will ask for the volunteer's location)."""
    message = update.effective_message
    assert message is not None
    draft = DRAFT.get(context)
    if message.location is not None:
        draft["lat"], draft["lon"] = message.location.latitude, message.location.longitude
    else:
        draft["lat"], draft["lon"] = vol.parse_coordinates(vol.check_text(typed(update), COORDS_INPUT_LIMIT))
    return await _ask_district(update, context)


@campaign_staff_only
async def coords_skipped(update: Update, context: BotContext, press: NewShiftSkipButton) -> int:
    """COORDS: 跳过 (check-in will be a button press)."""
    await edit_or_reply(update, views.chosen(texts.ASK_COORDS, texts.SKIP))
    draft = DRAFT.get(context)
    draft["lat"] = draft["lon"] = None
    return await _ask_district(update, context)


async def _ask_district(update: Update, context: BotContext) -> int:
    await send_view(update, staff_views.new_shift_district_question(districts_of(context).names))
    return DISTRICT


@campaign_staff_only
async def district_pressed(update: Update, context: BotContext, press: NewShiftDistrictButton) -> int | None:
    """DISTRICT: a district button (of the current list: an older message's may be out of range)."""
    names = districts_of(context).names
    if press.index >= len(names):
        await answer_quietly(update, common_texts.BUTTON_EXPIRED, alert=True)
        return STAY
    DRAFT.get(context)["district"] = names[press.index]
    await edit_or_reply(update, views.chosen(texts.ASK_SHIFT_DISTRICT, names[press.index]))
    await reply(update, texts.ASK_START)
    return START


@campaign_staff_only
async def start_typed(update: Update, context: BotContext) -> int:
    """START: a date and time ahead."""
    text = vol.check_text(typed(update), TIME_INPUT_LIMIT)
    start = vol.check_start(vol.parse_local_datetime(text, context.settings.tz), context.clock.now())
    DRAFT.get(context)["starts_at"] = start.isoformat()
    await reply(update, texts.ASK_END)
    return END_TIME


@campaign_staff_only
async def end_typed(update: Update, context: BotContext) -> int:
    """END_TIME: HH:MM the same day, or a full date and time."""
    draft = DRAFT.get(context)
    start = datetime.fromisoformat(draft["starts_at"])
    text = vol.check_text(typed(update), TIME_INPUT_LIMIT)
    end = vol.parse_local_datetime(text, context.settings.tz, day=start.date())
    vol.check_shift_times(start, end, context.clock.now())
    draft["ends_at"] = end.isoformat()
    await reply(update, texts.ASK_CAPACITY)
    return CAPACITY


@campaign_staff_only
async def capacity_typed(update: Update, context: BotContext) -> int:
    """CAPACITY: how many volunteers."""
    DRAFT.get(context)["capacity"] = vol.parse_capacity(vol.check_text(typed(update), NUMBER_INPUT_LIMIT))
    await reply(update, texts.ASK_NOTES, reply_markup=views.skip_keyboard(NewShiftSkipButton()))
    return NOTES


@campaign_staff_only
async def notes_typed(update: Update, context: BotContext) -> int:
    """NOTES: for the volunteers (typed)."""
    DRAFT.get(context)["notes"] = vol.check_text(typed(update), NOTES_LIMIT)
    return await _ask_repeat(update)


@campaign_staff_only
async def notes_skipped(update: Update, context: BotContext, press: NewShiftSkipButton) -> int:
    """NOTES: 跳过."""
    await edit_or_reply(update, views.chosen(texts.ASK_NOTES, texts.SKIP))
    DRAFT.get(context)["notes"] = ""
    return await _ask_repeat(update)


async def _ask_repeat(update: Update) -> int:
    await send_view(update, staff_views.repeat_question())
    return REPEAT


def _shift_draft(draft: NewShift) -> vol.ShiftDraft:
    return vol.ShiftDraft(
        title=draft["title"],
        place=draft["place"],
        starts_at=datetime.fromisoformat(draft["starts_at"]),
        ends_at=datetime.fromisoformat(draft["ends_at"]),
        capacity=draft["capacity"],
        district=draft.get("district", ""),
        notes=draft.get("notes", ""),
        latitude=draft.get("lat"),
        longitude=draft.get("lon"),
    )


@campaign_staff_only
async def weeks_pressed(update: Update, context: BotContext, press: NewShiftWeeksButton) -> int:
    """REPEAT: how many weeks (1: once); then the summary to confirm."""
    draft = DRAFT.get(context)
    draft["weeks"] = press.weeks
    d = _shift_draft(draft)
    preview = Shift(
        title=d.title,
        place=d.place,
        district=d.district,
        latitude=d.latitude,
        longitude=d.longitude,
        starts_at=d.starts_at,
        ends_at=d.ends_at,
        capacity=d.capacity,
        notes=d.notes,
    )
    await edit_or_reply(update, views.chosen(texts.ASK_REPEAT, staff_views.repeat_label(press.weeks)))
    await send_view(update, staff_views.publish_question(preview, press.weeks, context.settings.tz))
    return CONFIRM


@campaign_staff_only
async def publish_pressed(update: Update, context: BotContext, press: NewShiftConfirmButton) -> int:
    """CONFIRM: 确认发布 publishes the shift (every week asked for); 放弃 stores nothing."""
    draft = DRAFT.peek(context)
    if not draft or "weeks" not in draft:  # pressed twice, or after /cancel
        await answer_quietly(update, common_texts.BUTTON_EXPIRED, alert=True)
        return END
    if press.answer == "no":
        DRAFT.drop(context)
        await edit_or_reply(update, texts.NEWSHIFT_DISCARDED)
        return END
    async with context.transaction() as session:
        shifts = await vol.create_shifts(
            session, sender_id(update), _shift_draft(draft), weeks=draft["weeks"], now=context.clock.now()
        )
        ids = [s.id for s in shifts]
        summary = staff_views.shift_summary(shifts[0], context.settings.tz)
    DRAFT.drop(context)
    await edit_or_reply(update, staff_views.shifts_created_text(ids))
    await reply(update, summary, reply_markup=main_menu())
    return END


def _again(prompt: str) -> Step:
    """Input this step cannot use: its prompt again (guarded like the steps)."""
    return campaign_staff_only(reask(prompt))


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        conversation(
            "vol_newshift",
            entry_points=[CommandHandler("newshift", newshift_command)],
            states={
                TITLE: [
                    MessageHandler(ANSWER_TEXT, title_typed),
                    MessageHandler(NOT_COMMAND, _again(texts.NEWSHIFT_TITLE)),
                ],
                PLACE: [
                    MessageHandler(ANSWER_TEXT, place_typed),
                    MessageHandler(NOT_COMMAND, _again(texts.ASK_PLACE)),
                ],
                COORDS: [
                    NewShiftSkipButton.handler(coords_skipped),
                    MessageHandler(ANSWER_TEXT | filters.LOCATION, coords_sent),
                    MessageHandler(NOT_COMMAND, _again(texts.BAD_COORDS)),
                ],
                DISTRICT: [
                    NewShiftDistrictButton.handler(district_pressed),
                    MessageHandler(NOT_COMMAND, _again(texts.PLEASE_PRESS)),
                ],
                START: [
                    MessageHandler(ANSWER_TEXT, start_typed),
                    MessageHandler(NOT_COMMAND, _again(texts.ASK_START)),
                ],
                END_TIME: [
                    MessageHandler(ANSWER_TEXT, end_typed),
                    MessageHandler(NOT_COMMAND, _again(texts.ASK_END)),
                ],
                CAPACITY: [
                    MessageHandler(ANSWER_TEXT, capacity_typed),
                    MessageHandler(NOT_COMMAND, _again(texts.ASK_CAPACITY)),
                ],
                NOTES: [
                    NewShiftSkipButton.handler(notes_skipped),
                    MessageHandler(ANSWER_TEXT, notes_typed),
                    MessageHandler(NOT_COMMAND, _again(texts.ASK_NOTES)),
                ],
                REPEAT: [
                    NewShiftWeeksButton.handler(weeks_pressed),
                    MessageHandler(NOT_COMMAND, _again(texts.PLEASE_PRESS)),
                ],
                CONFIRM: [
                    NewShiftConfirmButton.handler(publish_pressed),
                    MessageHandler(NOT_COMMAND, _again(texts.PLEASE_PRESS)),
                ],
            },
            cleanup=DRAFT.drop,
        )
    ]
