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

Here the items, the summary and the conversation itself; FIND and LOCATE are ``arrival``, the states,
the remembered draft and the step to the next item ``draft``.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.app import BotContext
from bot.models import ItemResult
from bot.services.inspections import InspectionError, InspectionProblem
from bot.services.inspections import walk as service
from handlers.inspections import notices, texts, views
from handlers.inspections.arrival import (
    discard_pressed,
    find_expected,
    inspect_command,
    location_expected,
    location_to_find,
    location_to_stamp,
    resume_pressed,
    site_pressed,
    start_anyway_pressed,
    text_to_find,
)
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
from handlers.inspections.draft import (
    FIND,
    LOCATE,
    PENDING,
    PHOTOS,
    SUMMARY,
    WALK,
    deadlines_of,
    show_next,
)
from handlers.inspections.resources import content_of
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_TEXT, PRIVATE_CHAT, conversation
from handlers.kit.guards import inspector_only
from handlers.kit.replies import answer_quietly, edit_or_reply, main_menu, reply, send_view

# ---------------------------------------------------------------- the items


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
    return await show_next(update, context, answer.walk)


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
    return await show_next(update, context, walk)


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
