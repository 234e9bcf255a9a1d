"""/inspect up to the first item: finding a site (by location or by name), resuming or discarding
a draft, and stamping the inspector's location at the site (the walk's diagram is in ``walk``)."""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot.app import BotContext
from bot.services.inspections import walk as service
from bot.services.inspections.content import MAX_TEXT
from handlers.inspections import texts, views
from handlers.inspections.callbacks import (
    DiscardButton,
    ResumeButton,
    SiteButton,
    StartAnywayButton,
)
from handlers.inspections.draft import FIND, LOCATE, LOCATION_FRESH, PENDING, Pending, show_next
from handlers.inspections.resources import content_of
from handlers.kit.conversation import END
from handlers.kit.guards import inspector_only
from handlers.kit.replies import answer_quietly, edit_or_reply, main_menu, reply, send_view

NEARBY_SITES = 8
SEARCH_RESULTS = 8


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
    return await show_next(update, context, stamp.walk)


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
    return await show_next(update, context, walk)


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
    return await show_next(update, context, walk)


@inspector_only
async def discard_pressed(update: Update, context: BotContext, press: DiscardButton) -> int:
    """作废."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        await service.discard(session, press.inspection, actor, context.clock.now())
    PENDING.drop(context)
    await edit_or_reply(update, texts.DISCARDED)
    return END
