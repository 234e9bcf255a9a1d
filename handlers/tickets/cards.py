"""The department's card: 受理, 转派, 分拣 act at once; 办结, 驳回 and 重复 first ask for a note.

Every press is checked twice: the role (staff only, ``staff_press``) and then the ticket (its
department's handlers or campaign staff, and a status that allows the action). Either refusal is a
pop-up and an audit entry ("ticket.refused", with the reason as shown); what succeeds is audited by
the service. What an action owes others — every copy of the card redrawn, the reporter's notice, a
new card for a new department — is written in the action's transaction (``routing``) and sent by
the outbox; the pop-up, the staff member's confirmation and the redraw of a pressed message that is
not the card's own copy (a card brought up by /complaints) are the direct answer, sent inline.

Note conversation, persistent as "ticket_note" (handlers.kit.conversation)::

    办结 | 驳回 | 重复 on a card ──► NOTE ──text (or a captioned photo, for 办结)──► done, END
                                     │  a mistyped original number, an empty note: say why (stay)
                                     │  the ticket moved on meanwhile: say so, END
                                     └─ /cancel → END (no main menu: it may be a department's group)

The prompt is a selective ForceReply that mentions the staff member, so in a group the reply box
opens for them alone.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ForceReply, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import texts as common_texts
from bot.app import BotContext
from bot.models import Ticket, TicketAction, TicketStatus
from bot.outbox import notify
from bot.services import DomainError, PermissionDenied, audit, users
from bot.services import tickets as service
from bot.services.tickets import InvalidTransition, check_note
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_TEXT, Draft, conversation, reask
from handlers.kit.errors import catalogue_of, error_text, show_error
from handlers.kit.guards import Audience, Guard
from handlers.kit.replies import answer_quietly, edit_or_reply, reply, send_view
from handlers.tickets import reporter_views, routing, texts, views
from handlers.tickets.callbacks import (
    AcceptButton,
    DuplicateButton,
    NoteButton,
    ReassignButton,
    ReassignMenuButton,
    RejectButton,
    ResolveButton,
    TriageButton,
    TriageMenuButton,
    find_ref,
)
from handlers.tickets.resources import classifier_of
from handlers.tickets.routing import Owed

C = TypeVar("C", bound=Callable[..., Awaitable[Any]])
NOTE = 10  # the note conversation's state (stored by persistence: the number stays)


# ---------------------------------------------------------------- refusals, audited
async def audit_refusal(update: Update, context: BotContext, reason: str) -> None:
    """Log a refused press in the audit log, with the pressed data and the reason shown."""
    user = update.effective_user
    data = update.callback_query.data if update.callback_query else ""
    async with context.transaction() as session:
        await audit.record(session, user.id if user else None, "ticket.refused", data or "", reason=reason)


staff_press = Guard(Audience.STAFF, on_refused=audit_refusal)


def audited(callback: C) -> C:
    """A press the ticket refuses (another department's, a stale button) is audited like a refused
    role, shown, and ends a pending note."""

    @functools.wraps(callback)
    async def refusals_audited(update: Update, context: BotContext, *args: Any) -> Any:
        try:
            return await callback(update, context, *args)
        except DomainError as error:
            await audit_refusal(update, context, error_text(error, catalogue_of(context)))
            await show_error(update, context, error)
            return END

    return refusals_audited  # type: ignore[return-value]


def card_press(callback: C) -> C:
    """Staff roles only, checked on every press; every refusal audited (see the module docstring)."""
    return staff_press(audited(callback))


# ---------------------------------------------------------------- 受理, 转派, 分拣
def pressed_message(update: Update) -> tuple[int, int] | None:
    """(chat id, message id) of the message whose button was pressed."""
    query = update.callback_query
    message = query.message if query is not None else None
    return (message.chat.id, message.message_id) if message is not None else None


async def redraw_owed(
    session: AsyncSession, context: BotContext, ticket: Ticket, pressed: Sequence[int] | None
) -> str | None:
    """Every copy of the card redrawn (owed); returns the card's text when the pressed message is
    another view of the ticket, for the caller to redraw inline as its answer."""
    text = await routing.redraw_card(session, context.bot_data, ticket)
    if pressed is None or await routing.is_card_copy(session, ticket, pressed[0], pressed[1]):
        return None
    return text


async def redraw_pressed(
    context: BotContext, ticket: Ticket, pressed: Sequence[int] | None, text: str | None
) -> None:
    """The pressed view of the ticket (not the card's own copy) shows it as it is now."""
    if pressed is None or text is None:
        return
    with contextlib.suppress(TelegramError):  # an old message: the card's copies are redrawn anyway
        await context.bot.edit_message_text(
            text, pressed[0], pressed[1], reply_markup=views.card_keyboard(ticket)
        )


@card_press
async def accept_pressed(update: Update, context: BotContext, press: AcceptButton) -> None:
    """受理: the card shows 办理中, the reporter hears who took it."""
    actor = await context.actor(update)
    classifier = await classifier_of(context.bot_data)
    pressed = pressed_message(update)
    async with context.transaction() as session:
        ticket = await service.accept(session, press.ticket, actor, now=context.clock.now())
        text = await redraw_owed(session, context, ticket, pressed)
        notice = reporter_views.accepted_notice(classifier, ticket)
        await routing.tell_reporter(session, ticket, notice, kind=Owed.ACCEPTED)
    await answer_quietly(update, views.done_toast(texts.BUTTON_ACCEPT, ticket.number))
    await redraw_pressed(context, ticket, pressed, text)


@card_press
async def reassign_menu(update: Update, context: BotContext, press: ReassignMenuButton) -> None:
    """转派: the other departments as buttons (the permission is checked now and again on the choice)."""
    actor = await context.actor(update)
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await service.check_action(session, press.ticket, actor, TicketAction.REASSIGN)
    await answer_quietly(update)
    await send_view(update, views.reassign_menu_view(classifier, ticket))


@card_press
async def reassign_pressed(update: Update, context: BotContext, press: ReassignButton) -> None:
    """A department chosen: the ticket moves there, its card with it."""
    actor = await context.actor(update)
    classifier = await classifier_of(context.bot_data)
    department_id = find_ref(press.department, classifier.departments) or press.department
    async with context.transaction() as session:
        ticket = await service.reassign(
            session, classifier, press.ticket, actor, department_id, now=context.clock.now()
        )
        await routing.post_card(session, context.bot_data, ticket)
        notice = reporter_views.reassigned_notice(classifier, ticket)
        await routing.tell_reporter(session, ticket, notice, kind=Owed.REASSIGNED)
        name = await users.name_of(session, actor.user_id)
    await answer_quietly(update, views.done_toast(texts.BUTTON_REASSIGN, ticket.number))
    await edit_or_reply(update, views.reassigned_text(classifier, ticket, actor.user_id, name))


@card_press
async def triage_menu(update: Update, context: BotContext, press: TriageMenuButton) -> None:
    """分拣: the categories as buttons."""
    actor = await context.actor(update)
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await service.check_action(session, press.ticket, actor, TicketAction.TRIAGE)
    await answer_quietly(update)
    await send_view(update, views.triage_menu_view(classifier, ticket))


@card_press
async def triage_pressed(update: Update, context: BotContext, press: TriageButton) -> None:
    """A category chosen: the ticket takes it and goes to its department."""
    actor = await context.actor(update)
    classifier = await classifier_of(context.bot_data)
    category_id = find_ref(press.category, classifier.categories) or press.category
    async with context.transaction() as session:
        ticket = await service.triage(
            session, classifier, press.ticket, actor, category_id, now=context.clock.now()
        )
        await routing.post_card(session, context.bot_data, ticket)
        notice = reporter_views.triaged_notice(classifier, ticket)
        await routing.tell_reporter(session, ticket, notice, kind=Owed.TRIAGED)
        name = await users.name_of(session, actor.user_id)
    await answer_quietly(update, views.done_toast(texts.DONE_TRIAGE, ticket.number))
    await edit_or_reply(update, views.triaged_text(classifier, ticket, actor.user_id, name))


# ---------------------------------------------------------------- 办结, 驳回, 重复: the note conversation
@dataclass(frozen=True)
class NoteAction:
    code: str  # kept in the pending note (user_data, persisted): "res", "rej" or "dup"
    action: TicketAction
    prompt: str
    done: str  # what STAFF_DONE says was done


NOTE_ACTIONS: dict[type[NoteButton], NoteAction] = {
    ResolveButton: NoteAction("res", TicketAction.RESOLVE, texts.ASK_RESOLVE_NOTE, texts.DONE_RESOLVED),
    RejectButton: NoteAction("rej", TicketAction.REJECT, texts.ASK_REJECT_REASON, texts.DONE_REJECTED),
    DuplicateButton: NoteAction("dup", TicketAction.DUPLICATE, texts.ASK_ORIGINAL, texts.DONE_DUPLICATE),
}
BY_CODE = {action.code: action for action in NOTE_ACTIONS.values()}


class PendingNote(TypedDict):
    """The pressed action waiting for its note (user_data["ticket_note"])."""

    ticket: int
    action: str  # a NoteAction code
    card: list[int] | None  # [chat id, message id] of the pressed card, redrawn when done


PENDING = Draft("ticket_note", lambda: PendingNote(ticket=0, action="", card=None))


@card_press
async def ask_note(update: Update, context: BotContext, press: NoteButton) -> int:
    """办结 / 驳回 / 重复: check the press is allowed, then ask for the note (a reply, so groups work)."""
    actor = await context.actor(update)
    note_action = NOTE_ACTIONS[type(press)]
    async with context.transaction() as session:
        ticket = await service.check_action(session, press.ticket, actor, note_action.action)
    card = pressed_message(update)
    pending = PENDING.start(context)
    pending["ticket"], pending["action"] = ticket.id, note_action.code
    pending["card"] = list(card) if card is not None else None
    await answer_quietly(update)
    user = update.effective_user
    prompt = views.note_prompt(
        note_action.prompt, ticket.number, user.id if user else None, user.first_name if user else ""
    )
    await reply(update, prompt, reply_markup=ForceReply(selective=True))
    return NOTE


async def receive_note(update: Update, context: BotContext) -> int:
    """NOTE: the note (text, or a photo with a caption for 办结); the action happens now."""
    pending = PENDING.peek(context)
    if not pending or pending["action"] not in BY_CODE:
        await reply(update, texts.DRAFT_LOST)
        return END
    message = update.effective_message
    assert message is not None
    note = check_note(message.text if message.text is not None else message.caption or "")
    note_action = BY_CODE[pending["action"]]
    actor = await context.actor(update)
    photo = message.photo[-1].file_id if message.photo else None
    now = context.clock.now()
    card = pending.get("card")
    try:
        async with context.transaction() as session:
            original: Ticket | None = None
            if note_action.action is TicketAction.RESOLVE:
                ticket = await service.resolve(
                    session, pending["ticket"], actor, note, photo_file_id=photo, now=now
                )
            elif note_action.action is TicketAction.REJECT:
                ticket = await service.reject(session, pending["ticket"], actor, note, now=now)
            else:
                ticket, original = await service.mark_duplicate(
                    session, pending["ticket"], actor, note, now=now
                )
            text = await redraw_owed(session, context, ticket, card)
            await _tell_outcome(session, ticket, note, photo, original)
            name = await users.name_of(session, actor.user_id)
    except (InvalidTransition, PermissionDenied) as error:  # the ticket moved on meanwhile: no use asking
        PENDING.drop(context)
        await show_error(update, context, error)
        return END
    # Other refusals (a mistyped original number, an empty note) propagate: the kit shows them and
    # NOTE asks again.
    PENDING.drop(context)
    await reply(update, views.staff_done_text(ticket.number, note_action.done, actor.user_id, name))
    await redraw_pressed(context, ticket, card, text)
    return END


async def _tell_outcome(
    session: AsyncSession, ticket: Ticket, note: str, photo: str | None, original: Ticket | None
) -> None:
    """The reporter hears the outcome: resolved (with the photo of the work, to rate), rejected, or
    merged into the original; the reporters of tickets merged into this one hear it too."""
    if original is not None:
        notice = reporter_views.duplicate_notice(ticket, original)
        await routing.tell_reporter(session, ticket, notice, kind=Owed.DUPLICATE)
        return
    if ticket.status is TicketStatus.REJECTED:
        notice = reporter_views.rejected_notice(ticket, note)
        await routing.tell_reporter(session, ticket, notice, kind=Owed.REJECTED)
    else:
        resolved = reporter_views.resolved_notice(ticket, note)
        photos = [photo] if photo is not None else []
        await routing.tell_reporter(
            session, ticket, resolved.text, kind=Owed.RESOLVED, keyboard=resolved.keyboard, photos=photos
        )
    for reporter_id in await service.linked_reporters(session, ticket.id):
        notice = reporter_views.linked_outcome_notice(ticket, note)
        await notify.person(session, reporter_id, notice, kind=Owed.LINKED_OUTCOME)


async def cancel_note(update: Update, context: BotContext) -> int:
    """/cancel while a note is expected (no main menu: this may be a department's group)."""
    PENDING.drop(context)
    await reply(update, common_texts.CANCELLED)
    return END


def note_conversation() -> BaseHandler[Update, BotContext, object]:
    return conversation(
        "ticket_note",
        entry_points=[kind.handler(ask_note) for kind in NOTE_ACTIONS],
        states={
            NOTE: [
                MessageHandler(ANSWER_TEXT | (filters.PHOTO & filters.CAPTION), receive_note),
                MessageHandler(filters.PHOTO, reask(common_texts.TEXT_EXPECTED)),
                MessageHandler(NOT_TEXT, reask(texts.NOTE_EXPECTED)),
            ]
        },
        fallbacks=[CommandHandler("cancel", cancel_note)],
    )
