"""/inspect: an inspector walks a site's checklist (暗访督查), then submits it with its score.

Conversation, persistent as "inspection" (handlers.kit.conversation)::

    /inspect ─► FIND ──location──► nearby sites ─┐      (a draft: 继续检查 / 作废)
                 └────text───────► search ───────┤
                                                 ▼
    a site ─► (location fresh? stamp) ─► LOCATE ──location near──► WALK
                                           │  far → 仍然开始 (位置不符) ──► WALK
                                           └  anything else → ask again (stay)
    WALK: 合格 / 不适用 ─► next item … ─► SUMMARY
          不合格 ─► PHOTOS ──photo / note──► (stay) ──下一项 (≥ 1 photo)──► next item … ─► SUMMARY
    SUMMARY: 提交 ─► the tasks' cards to the units (outbox) ─► END
             修改 ─► the item list ─► an item ─► WALK … ─► SUMMARY
             作废 ─► END
    /cancel at any step ─► paused (the draft stays) ─► END

The draft lives in the database, not in the conversation: every button names the inspection and
the item, so a button pressed after a restart (or after the conversation was left) continues the
walk where the database says it is, and a button of a submitted inspection is refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypedDict

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.app import BotContext
from bot.models import ItemResult
from bot.services.inspections import InspectionError, InspectionProblem
from bot.services.inspections import walk as service
from bot.services.inspections.content import MAX_TEXT
from bot.services.inspections.rectification import Deadlines
from handlers.inspections import notices, texts, views
from handlers.inspections.callbacks import (
    AnswerButton,
    DiscardButton,
    EditButton,
    ItemButton,
    NextButton,
    ResumeButton,
    SiteButton,
    StartAnywayButton,
    SubmitButton,
)
from handlers.inspections.resources import content_of
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_TEXT, PRIVATE_CHAT, Draft, conversation
from handlers.kit.guards import inspector_only
from handlers.kit.replies import answer_quietly, edit_or_reply, main_menu, reply, send_view

# States keep their numbers: persisted conversations resume after a restart.
FIND, LOCATE, WALK, PHOTOS, SUMMARY = 10, 11, 12, 13, 14
NEARBY_SITES = 8
SEARCH_RESULTS = 8
LOCATION_FRESH = timedelta(minutes=15)  # a location shared to find sites also stamps the chosen one


class Pending(TypedDict):
    """What the conversation remembers between updates (user_data["inspection"]); the answers
    themselves are in the database."""

    inspection: int  # the draft being walked (0: none yet)
    position: int  # the failed item whose photos are awaited (-1: none)
    latitude: float | None  # the location shared to find sites, and when (ISO, UTC)
    longitude: float | None
    located: str


def _new() -> Pending:
    return Pending(inspection=0, position=-1, latitude=None, longitude=None, located="")


PENDING = Draft("inspection", _new)


def deadlines_of(context: BotContext) -> Deadlines:
    settings = context.settings
    return Deadlines(settings.inspection_negative_hours, settings.inspection_deadline_hours)


# ---------------------------------------------------------------- finding a site
@inspector_only
async def inspect_command(update: Update, context: BotContext) -> int:
    """/inspect [name]: resume a draft, or find a site by location or by name."""
    actor = await context.actor(update)
    pending = PENDING.start(context)
    async with context.transaction(read_only=True) as session:
        draft = await service.open_draft(session, actor.user_id)
        walk = await service.own_walk(session, draft.id, actor) if draft else None
    if walk is not None:
        pending["inspection"] = walk.inspection.id
        await send_view(update, views.resume_view(walk, content_of(context), context.settings.tz))
        return FIND
    words = " ".join(context.args or [])
    if words:
        return await _search(update, context, words)
    if not content_of(context).sites:
        await reply(update, texts.NO_SITES)
        return END
    await reply(update, texts.FIND_PROMPT, reply_markup=views.location_keyboard())
    return FIND


@inspector_only
async def location_to_find(update: Update, context: BotContext) -> int:
    """FIND: a shared location lists the nearest sites (and will stamp the one chosen)."""
    message = update.effective_message
    assert message is not None and message.location is not None
    pending = PENDING.get(context)
    pending["latitude"], pending["longitude"] = message.location.latitude, message.location.longitude
    pending["located"] = context.clock.now().isoformat()
    nearest = content_of(context).nearest(message.location.latitude, message.location.longitude, NEARBY_SITES)
    await reply(update, texts.LOCATION_RECEIVED, reply_markup=main_menu())
    await send_view(update, views.nearby_view(nearest))
    return FIND


@inspector_only
async def text_to_find(update: Update, context: BotContext) -> int:
    """FIND: typed words search the sites by name, address or district."""
    message = update.effective_message
    assert message is not None
    return await _search(update, context, message.text or "")


async def _search(update: Update, context: BotContext, words: str) -> int:
    words = words.strip()
    if len(words) > MAX_TEXT:
        await reply(update, texts.SEARCH_TOO_LONG.format(limit=MAX_TEXT))
        return FIND
    found = content_of(context).search(words, SEARCH_RESULTS)
    await send_view(update, views.search_view(found, words))
    return FIND


async def find_expected(update: Update, context: BotContext) -> int:
    await reply(update, texts.FIND_EXPECTED, reply_markup=views.location_keyboard())
    return FIND


# ---------------------------------------------------------------- starting and locating
@inspector_only
async def site_pressed(update: Update, context: BotContext, press: SiteButton) -> int:
    """A site chosen: a new draft; the location shared to find it stamps it when still fresh."""
    actor = await context.actor(update)
    content = content_of(context)
    pending = PENDING.get(context)
    now = context.clock.now()
    shared = _fresh_location(pending, now)
    radius = context.settings.inspection_radius_meters
    async with context.transaction() as session:
        walk = await service.start(session, content, actor, press.site, now)
        stamp = (
            await service.stamp_location(session, content, walk.inspection.id, actor, *shared, radius, now)
            if shared
            else None
        )
    pending["inspection"], pending["position"] = walk.inspection.id, -1
    site = content.site(press.site)
    assert site is not None  # start() refused unknown sites
    await answer_quietly(update)
    await reply(update, views.started_text(site, content, walk))
    if stamp is None:
        await reply(update, views.ask_location_text(radius), reply_markup=views.location_keyboard())
        return LOCATE
    return await _after_stamp(update, context, stamp)


def _fresh_location(pending: Pending, now: datetime) -> tuple[float, float] | None:
    latitude, longitude, located = pending.get("latitude"), pending.get("longitude"), pending.get("located")
    if latitude is None or longitude is None or not located:
        return None
    if now - datetime.fromisoformat(located) > LOCATION_FRESH:
        return None
    return latitude, longitude


@inspector_only
async def location_to_stamp(update: Update, context: BotContext) -> int:
    """LOCATE: near the site the walk begins; far, the inspector decides."""
    message = update.effective_message
    assert message is not None and message.location is not None
    pending = PENDING.get(context)
    actor = await context.actor(update)
    if not pending["inspection"]:  # the conversation outlived its note: the database says which draft
        async with context.transaction(read_only=True) as session:
            draft = await service.open_draft(session, actor.user_id)
        if draft is None:
            await reply(update, texts.PAUSED, reply_markup=main_menu())
            return END
        pending["inspection"] = draft.id
    async with context.transaction() as session:
        stamp = await service.stamp_location(
            session,
            content_of(context),
            pending["inspection"],
            actor,
            message.location.latitude,
            message.location.longitude,
            context.settings.inspection_radius_meters,
            context.clock.now(),
        )
    return await _after_stamp(update, context, stamp)


async def _after_stamp(update: Update, context: BotContext, stamp: service.Stamp) -> int:
    if not stamp.near:
        radius = context.settings.inspection_radius_meters
        await send_view(update, views.far_view(stamp.walk.inspection.id, stamp.distance_m, radius))
        await reply(update, texts.LOCATION_EXPECTED, reply_markup=views.location_keyboard())
        return LOCATE
    await reply(update, views.located_text(stamp.distance_m), reply_markup=main_menu())
    return await _show_next(update, context, stamp.walk)


async def location_expected(update: Update, context: BotContext) -> int:
    await reply(update, texts.LOCATION_EXPECTED, reply_markup=views.location_keyboard())
    return LOCATE


@inspector_only
async def start_anyway_pressed(update: Update, context: BotContext, press: StartAnywayButton) -> int:
    """仍然开始: the walk begins, marked as a location mismatch."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        walk = await service.start_anyway(session, press.inspection, actor, context.clock.now())
    PENDING.get(context)["inspection"] = walk.inspection.id
    await answer_quietly(update)
    await reply(update, texts.MISMATCH_STARTED, reply_markup=main_menu())
    return await _show_next(update, context, walk)


@inspector_only
async def resume_pressed(update: Update, context: BotContext, press: ResumeButton) -> int:
    """继续检查: wherever the draft stands — locating, an item, its photos, or the summary."""
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        walk = await service.own_walk(session, press.inspection, actor)
    pending = PENDING.get(context)
    pending["inspection"], pending["position"] = walk.inspection.id, -1
    await answer_quietly(update)
    if not walk.may_walk:
        inspection = walk.inspection
        radius = context.settings.inspection_radius_meters
        if inspection.distance_m is not None:
            await send_view(update, views.far_view(inspection.id, inspection.distance_m, radius))
        await reply(update, views.ask_location_text(radius), reply_markup=views.location_keyboard())
        return LOCATE
    return await _show_next(update, context, walk)


@inspector_only
async def discard_pressed(update: Update, context: BotContext, press: DiscardButton) -> int:
    """作废."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        await service.discard(session, press.inspection, actor, context.clock.now())
    PENDING.drop(context)
    await edit_or_reply(update, texts.DISCARDED)
    return END


# ---------------------------------------------------------------- the items
async def _show_next(update: Update, context: BotContext, walk: service.Walk) -> int:
    """The next thing to do: the first unfinished item (its photos, if it failed), or the summary."""
    content = content_of(context)
    item = walk.current
    pending = PENDING.get(context)
    pending["inspection"] = walk.inspection.id
    if item is None:
        pending["position"] = -1
        await send_view(update, views.summary_view(walk, content, deadlines_of(context)))
        return SUMMARY
    if item.result is ItemResult.FAIL:  # failed, no photo yet
        pending["position"] = item.position
        await reply(update, views.photo_prompt(item, content))
        return PHOTOS
    pending["position"] = -1
    await send_view(update, views.item_view(walk, item, content))
    return WALK


@inspector_only
async def answer_pressed(update: Update, context: BotContext, press: AnswerButton) -> int:
    """合格 / 不合格 / 不适用: recorded; a second press of the same answer only says so."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        answer = await service.answer(
            session, press.inspection, actor, press.position, press.result, context.clock.now()
        )
    content = content_of(context)
    pending = PENDING.get(context)
    pending["inspection"] = answer.walk.inspection.id
    if not answer.changed:
        await answer_quietly(update, texts.ALREADY_ANSWERED)
        return (
            PHOTOS
            if answer.item.result is ItemResult.FAIL and pending["position"] == answer.item.position
            else WALK
        )
    await edit_or_reply(update, views.answered_text(answer.item, content))
    if answer.item.result is ItemResult.FAIL:
        pending["position"] = answer.item.position
        await reply(update, views.photo_prompt(answer.item, content))
        return PHOTOS
    return await _show_next(update, context, answer.walk)


@inspector_only
async def photo_received(update: Update, context: BotContext) -> int | None:
    """PHOTOS: a photo of the failed item (its caption becomes the note)."""
    message = update.effective_message
    assert message is not None and message.photo
    pending = PENDING.get(context)
    if not pending["inspection"] or pending["position"] < 0:
        await reply(update, texts.PAUSED, reply_markup=main_menu())
        return END
    actor = await context.actor(update)
    async with context.transaction() as session:
        item = await service.add_photo(
            session,
            pending["inspection"],
            actor,
            pending["position"],
            message.photo[-1].file_id,
            message.caption,
        )
    await send_view(update, views.photo_received_view(pending["inspection"], item))
    return PHOTOS


@inspector_only
async def note_received(update: Update, context: BotContext) -> int | None:
    """PHOTOS: typed text is the failed item's note."""
    message = update.effective_message
    assert message is not None
    pending = PENDING.get(context)
    if not pending["inspection"] or pending["position"] < 0:
        await reply(update, texts.PAUSED, reply_markup=main_menu())
        return END
    actor = await context.actor(update)
    async with context.transaction() as session:
        item = await service.add_note(
            session, pending["inspection"], actor, pending["position"], message.text or ""
        )
    await send_view(update, views.note_received_view(pending["inspection"], item))
    return PHOTOS


async def photo_expected(update: Update, context: BotContext) -> int:
    await reply(update, texts.PHOTO_EXPECTED)
    return PHOTOS


@inspector_only
async def next_pressed(update: Update, context: BotContext, press: NextButton) -> int:
    """下一项: the failed item needs a photo first."""
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        walk = await service.finish_item(session, press.inspection, actor, press.position)
    await answer_quietly(update)
    return await _show_next(update, context, walk)


async def walk_expected(update: Update, context: BotContext) -> int:
    await reply(update, texts.WALK_EXPECTED)
    return WALK


# ---------------------------------------------------------------- summary, changes, submitting
@inspector_only
async def edit_pressed(update: Update, context: BotContext, press: EditButton) -> int:
    """修改: the items, to pick one."""
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        walk = await service.own_walk(session, press.inspection, actor)
    await answer_quietly(update)
    await send_view(update, views.edit_list_view(walk, content_of(context)))
    return SUMMARY


@inspector_only
async def item_pressed(update: Update, context: BotContext, press: ItemButton) -> int:
    """One item of the list: asked again (the current answer shown)."""
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        walk = await service.own_walk(session, press.inspection, actor)
    if not 0 <= press.position < walk.total:
        raise InspectionError(InspectionProblem.BAD_POSITION)
    await answer_quietly(update)
    await send_view(update, views.item_view(walk, walk.items[press.position], content_of(context)))
    return WALK


@inspector_only
async def submit_pressed(update: Update, context: BotContext, press: SubmitButton) -> int:
    """提交: scored; each failed item's card goes to its unit, in the same transaction."""
    actor = await context.actor(update)
    content = content_of(context)
    async with context.transaction() as session:
        submission = await service.submit(
            session, press.inspection, actor, deadlines_of(context), context.clock.now()
        )
        await notices.issue_cards(session, context.settings, content, submission.tasks, submission.items)
    PENDING.drop(context)
    await edit_or_reply(update, views.submitted_text(submission, content))
    return END


async def summary_expected(update: Update, context: BotContext) -> int:
    await reply(update, texts.WALK_EXPECTED)
    return SUMMARY


async def pause(update: Update, context: BotContext) -> int:
    """/cancel: the draft stays in the database; /inspect resumes it."""
    await reply(update, texts.PAUSED, reply_markup=main_menu())
    return END


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    location = filters.LOCATION & PRIVATE_CHAT
    text = ANSWER_TEXT & PRIVATE_CHAT
    other = NOT_TEXT & PRIVATE_CHAT
    return [
        conversation(
            "inspection",
            entry_points=[
                CommandHandler("inspect", inspect_command, filters=PRIVATE_CHAT),
                SiteButton.handler(site_pressed),
                ResumeButton.handler(resume_pressed),
                DiscardButton.handler(discard_pressed),
                StartAnywayButton.handler(start_anyway_pressed),
                AnswerButton.handler(answer_pressed),
                NextButton.handler(next_pressed),
                EditButton.handler(edit_pressed),
                ItemButton.handler(item_pressed),
                SubmitButton.handler(submit_pressed),
            ],
            states={
                FIND: [
                    MessageHandler(location, location_to_find),
                    MessageHandler(text, text_to_find),
                    MessageHandler(other, find_expected),
                ],
                LOCATE: [
                    MessageHandler(location, location_to_stamp),
                    MessageHandler(other | text, location_expected),
                ],
                WALK: [MessageHandler(other | text, walk_expected)],
                PHOTOS: [
                    MessageHandler(filters.PHOTO & PRIVATE_CHAT, photo_received),
                    MessageHandler(text, note_received),
                    MessageHandler(other, photo_expected),
                ],
                SUMMARY: [MessageHandler(other | text, summary_expected)],
            },
            fallbacks=[CommandHandler("cancel", pause)],
        )
    ]
