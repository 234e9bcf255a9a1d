"""Staff review: the queue (/nominations), cards with 入围 / 驳回 / 退回补充 / 审定, and 材料.

入围 and 审定 apply at once and redraw the card. 驳回 and 退回补充 ask for the reason the nominator
will read first — a conversation, persistent as "nomination_review"::

    驳回 | 退回补充 ─► REASON ──text──► decided, nominators told ─► END
                        │ sticker/photo → re-ask (stay)
                        └ /cancel → END

Every step is for campaign staff (checked on each press and message). A card pressed after someone
else decided gets a refusal naming both statuses; nothing changes. The nominators' notices are
written to the outbox in the decision's transaction (``owed``).
"""

from __future__ import annotations

import contextlib
from typing import TypedDict

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler, MessageHandler

from bot import texts as common_texts
from bot.app import BotContext
from bot.models import NominationKind, NominationStatus
from bot.services import nominations as service
from bot.services.nominations import StatusChange, TransitionNotAllowed
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_COMMAND, STAY, Draft, conversation, reask
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import answer_quietly, edit_view, refuse, reply, send_view
from handlers.nominations import owed, staff_views, texts, views
from handlers.nominations.callbacks import (
    ApproveButton,
    MaterialButton,
    MoreInfoButton,
    QueueButton,
    RejectButton,
    ShortlistButton,
)

REASON = 30  # the state number it has always had

# What staff may type after /nominations: a status or a kind, by its name or its code.
STATUS_WORDS: dict[str, NominationStatus] = {
    **{name: status for status, name in texts.STATUS_NAMES.items()},
    **{status.value: status for status in NominationStatus},
    **texts.STATUS_ALIASES,
}
KIND_WORDS: dict[str, NominationKind] = {
    **{name: kind for kind, name in texts.KIND_NAMES.items()},
    **{kind.value: kind for kind in NominationKind},
}


class PendingDecision(TypedDict):
    id: int  # the nomination
    target: str  # a NominationStatus value: rejected or needs_more_info


REVIEW_DRAFT = Draft("nom_review", lambda: PendingDecision(id=0, target=""))


# ---------------------------------------------------------------- the queue
@campaign_staff_only
async def queue_command(update: Update, context: BotContext) -> None:
    """/nominations [状态] [类别]: the review queue (待审核 by default)."""
    status: NominationStatus | None = NominationStatus.SUBMITTED
    kind: NominationKind | None = None
    for word in context.args or []:
        if word in STATUS_WORDS:
            status = STATUS_WORDS[word]
        elif word in KIND_WORDS:
            kind = KIND_WORDS[word]
        elif word == texts.QUEUE_FILTER_ALL:
            status = None
        else:
            await reply(update, texts.QUEUE_USAGE)
            return
    await show_queue(update, context, status, kind)


@campaign_staff_only
async def queue_pressed(update: Update, context: BotContext, press: QueueButton) -> None:
    """A status filter under the queue header."""
    await show_queue(update, context, press.status, None)


async def show_queue(
    update: Update, context: BotContext, status: NominationStatus | None, kind: NominationKind | None
) -> None:
    actor = await context.actor(update)
    async with context.transaction() as session:
        page = await service.review_queue(session, actor, status=status, kind=kind)
    await send_view(update, staff_views.queue_view(page, status, kind))
    for card in staff_views.queue_cards(page):
        await send_view(update, card)


# ---------------------------------------------------------------- decisions
async def decide(
    update: Update, context: BotContext, nomination_id: int, target: NominationStatus, reason: str | None
) -> tuple[StatusChange, int] | None:
    """Apply a decision and tell the nominators; the change and the card's supporter count.

    None when the card was stale (the refusal names the current status and the one asked for).
    """
    actor = await context.actor(update)
    try:
        async with context.transaction() as session:
            change = await service.change_status(
                session, actor, nomination_id, target, reason, now=context.clock.now()
            )
            supporters = await service.supporter_count(session, nomination_id)
            await owed.tell_nominators(session, change.notices, views.status_notice, kind=owed.Owed.STATUS)
    except TransitionNotAllowed as refusal:
        await refuse(update, staff_views.transition_refused(refusal.current, refusal.target))
        return None
    return change, supporters


async def decide_on_card(
    update: Update, context: BotContext, nomination_id: int, target: NominationStatus
) -> None:
    """入围 / 审定: applied at once; the card is redrawn with the new status."""
    decided = await decide(update, context, nomination_id, target, None)
    if decided is None:
        return
    change, supporters = decided
    await answer_quietly(update, staff_views.decided_toast(change))
    await edit_view(update, staff_views.card(change.nomination, supporters, None))


@campaign_staff_only
async def shortlist_pressed(update: Update, context: BotContext, press: ShortlistButton) -> None:
    """入围."""
    await decide_on_card(update, context, press.nomination, NominationStatus.SHORTLISTED)


@campaign_staff_only
async def approve_pressed(update: Update, context: BotContext, press: ApproveButton) -> None:
    """审定."""
    await decide_on_card(update, context, press.nomination, NominationStatus.APPROVED)


# ---------------------------------------------------------------- decisions with a reason
async def ask_reason(
    update: Update, context: BotContext, nomination_id: int, target: NominationStatus
) -> int:
    try:
        async with context.transaction() as session:
            nomination = await service.decidable(session, nomination_id, target)
    except TransitionNotAllowed as refusal:
        await refuse(update, staff_views.transition_refused(refusal.current, refusal.target))
        return END
    pending = REVIEW_DRAFT.start(context)
    pending["id"], pending["target"] = nomination.id, target.value
    await reply(update, staff_views.reason_prompt(nomination, target))
    return REASON


@campaign_staff_only
async def reject_pressed(update: Update, context: BotContext, press: RejectButton) -> int:
    """驳回: ask for the reason the nominator will read."""
    return await ask_reason(update, context, press.nomination, NominationStatus.REJECTED)


@campaign_staff_only
async def more_info_pressed(update: Update, context: BotContext, press: MoreInfoButton) -> int:
    """退回补充: ask what the nominator should add."""
    return await ask_reason(update, context, press.nomination, NominationStatus.NEEDS_MORE_INFO)


@campaign_staff_only
async def reason_received(update: Update, context: BotContext) -> int | None:
    """The reason: apply the decision, tell the nominator(s)."""
    message = update.effective_message
    assert message is not None
    reason = service.check_text(message.text or "", service.REASON_MAX)
    pending = REVIEW_DRAFT.peek(context)
    if not pending:
        return END
    decided = await decide(update, context, pending["id"], NominationStatus(pending["target"]), reason)
    if decided is None:
        return STAY
    REVIEW_DRAFT.drop(context)
    await reply(update, staff_views.review_done(decided[0]))
    return END


# ---------------------------------------------------------------- 材料
@campaign_staff_only
async def material_pressed(update: Update, context: BotContext, press: MaterialButton) -> None:
    """材料: the photos and the supporting nominations behind a card."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        nomination, supporters = await service.review_material(session, actor, press.nomination)
    chat = update.effective_chat
    assert chat is not None
    photos = [(nomination.number, p) for p in nomination.photos or []]
    photos += [(s.number, p) for s in supporters for p in s.photos or []]
    await reply(update, staff_views.material_header(nomination, len(photos), len(supporters)))
    for supporter in supporters:
        await reply(update, staff_views.material_supporter(supporter))
    for index, (number, file_id) in enumerate(photos, start=1):
        with contextlib.suppress(TelegramError):  # a photo Telegram no longer has must not stop the rest
            await context.bot.send_photo(
                chat.id, file_id, caption=staff_views.material_photo_caption(number, index)
            )


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        conversation(
            "nomination_review",
            entry_points=[RejectButton.handler(reject_pressed), MoreInfoButton.handler(more_info_pressed)],
            states={
                REASON: [
                    MessageHandler(ANSWER_TEXT, reason_received),
                    MessageHandler(NOT_COMMAND, reask(common_texts.TEXT_EXPECTED)),
                ]
            },
            cleanup=REVIEW_DRAFT.drop,
        ),
        CommandHandler("nominations", queue_command),
        QueueButton.handler(queue_pressed),
        ShortlistButton.handler(shortlist_pressed),
        ApproveButton.handler(approve_pressed),
        MaterialButton.handler(material_pressed),
    ]
