"""Complaint tickets: the resident's /complain conversation, department cards, the staff queue.

Resident conversation (name "complaint"):

    /complain or 投诉举报 ─► DESCRIBE ─(text / captioned photo)─► PLACE ─(location / address / 跳过)─►
    IDENTITY ─(实名 / 匿名)─► CONFIRM ─(确认)─► ticket number, END
                                        └(选择其他分类 → pick)─► CONFIRM

Staff note conversation (name "ticket_note"): 办结 / 驳回 / 重复 on a card ─► NOTE ─(text)─► END.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import warnings
from collections.abc import Sequence
from typing import Any

from telegram import (
    ForceReply,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import complaints_cli, texts
from bot.app import BotApplication, BotContext, BotData
from bot.models import ScheduledTask, Ticket, TicketAction, TicketStatus, User
from bot.services import DomainError, PermissionDenied, audit, tickets, users
from bot.services.classifier import TRIAGE_ID, ComplaintClassifier
from bot.services.personal_data import PersonalData
from bot.services.reports import complaints as complaints_report
from bot.timeutil import format_local
from handlers.base import (
    Audience,
    Command,
    InputRejected,
    answer_quietly,
    button_rows,
    callback_parts,
    domain_errors,
    edit_or_reply,
    escape,
    inline_keyboard,
    main_menu,
    reply,
    staff_only,
    text_of,
)
from handlers.kit import notify
from handlers.kit import texts as kit_texts
from handlers.kit.feature import Feature
from handlers.kit.guards import Guard

log = logging.getLogger(__name__)

COMMANDS = [
    Command("complain", texts.TICKET_COMMAND_DESCRIPTIONS["complain"]),
    Command("mycomplaints", texts.TICKET_COMMAND_DESCRIPTIONS["mycomplaints"]),
    Command("ticket", texts.TICKET_COMMAND_DESCRIPTIONS["ticket"]),
    Command("complaints", texts.TICKET_COMMAND_DESCRIPTIONS["complaints"], Audience.STAFF),
]

DESCRIBE, PLACE, IDENTITY, CONFIRM = range(4)
NOTE = 10
DRAFT = "complaint"
PENDING_NOTE = "ticket_note"
CLASSIFIER = "classifier"
QUEUE_PAGE = 20
QUEUE_BUTTONS = 10

NOTE_ACTIONS = {"res": TicketAction.RESOLVE, "rej": TicketAction.REJECT, "dup": TicketAction.DUPLICATE}
NOTE_PROMPTS = {
    "res": texts.TICKET_ASK_RESOLVE_NOTE,
    "rej": texts.TICKET_ASK_REJECT_REASON,
    "dup": texts.TICKET_ASK_ORIGINAL,
}


# ---------------------------------------------------------------- resources and routing
async def classifier_of(data: BotData) -> ComplaintClassifier:
    """The classifier, built once per process (in a thread: jieba takes about a second)."""
    existing = data.resources.get(CLASSIFIER)
    if existing is not None:
        return existing
    lock: asyncio.Lock = data.resources.setdefault("classifier_lock", asyncio.Lock())
    async with lock:
        if CLASSIFIER not in data.resources:
            data.resources[CLASSIFIER] = await asyncio.to_thread(
                ComplaintClassifier.load, data.settings.data_dir
            )
    return data.resources[CLASSIFIER]


def department_chats(classifier: ComplaintClassifier, department_id: str) -> list[notify.Recipient]:
    """The department's group, or the campaign staff when it has none."""
    department = classifier.departments.get(department_id)
    if department is not None and department.chat_id is not None:
        return [notify.Group(department.chat_id)]
    return [notify.STAFF]


# ---------------------------------------------------------------- rendering
def place_of(ticket: Ticket) -> str:
    parts = []
    if ticket.address:
        parts.append(escape(ticket.address))
    if ticket.latitude is not None and ticket.longitude is not None:
        parts.append(f"📍{ticket.latitude:.5f},{ticket.longitude:.5f}")
    return " ".join(parts) or texts.COMPLAIN_NO_PLACE


def due_text(data: BotData, ticket: Ticket) -> str:
    if ticket.due_at is None:
        return "—"
    return f"{format_local(ticket.due_at, data.settings.tz)}（{ticket.time_limit_hours:g} 小时）"


def keywords_text(ticket_keywords: Sequence[str]) -> str:
    return "、".join(escape(k) for k in ticket_keywords) or texts.COMPLAIN_NO_KEYWORDS


def render_card(data: BotData, classifier: ComplaintClassifier, ticket: Ticket, reporter: str | None) -> str:
    if ticket.anonymous:
        who = texts.TICKET_REPORTER_ANONYMOUS
    elif reporter is None:
        who = texts.TICKET_REPORTER_GONE
    else:
        who = escape(reporter)
    urgent = (
        texts.TICKET_CARD_URGENT.format(kinds=escape("、".join(ticket.urgent_kinds))) if ticket.urgent else ""
    )
    return texts.TICKET_CARD.format(
        urgent=urgent,
        number=ticket.number,
        status=texts.TICKET_STATUS_NAMES[ticket.status.value],
        category=escape(tickets.category_name(classifier, ticket.category_id)),
        confidence=f"{ticket.confidence:.2f}",
        keywords=keywords_text(ticket.keywords),
        department=escape(tickets.department_name(classifier, ticket.department_id)),
        text=escape(ticket.text),
        place=place_of(ticket),
        photos=len(ticket.photo_file_ids),
        reporter=who,
        created=format_local(ticket.created_at, data.settings.tz),
        due=due_text(data, ticket),
    )


def card_keyboard(ticket: Ticket) -> InlineKeyboardMarkup | None:
    if not ticket.status.is_open:
        return None
    rows: list[list[tuple[str, str]]] = []
    first = []
    if ticket.status is TicketStatus.RECEIVED:
        first.append((texts.TICKET_BUTTON_ACCEPT, f"tk:acc:{ticket.id}"))
    first.append((texts.TICKET_BUTTON_REASSIGN, f"tk:fwd:{ticket.id}"))
    rows.append(first)
    rows.append(
        [
            (texts.TICKET_BUTTON_RESOLVE, f"tk:res:{ticket.id}"),
            (texts.TICKET_BUTTON_REJECT, f"tk:rej:{ticket.id}"),
            (texts.TICKET_BUTTON_DUPLICATE, f"tk:dup:{ticket.id}"),
        ]
    )
    if ticket.category_id == TRIAGE_ID:
        rows.append(
            [(texts.TICKET_BUTTON_TRIAGE.format(name=texts.QUEUE_FILTER_TRIAGE), f"tk:tri:{ticket.id}")]
        )
    return inline_keyboard(rows)


async def reporter_name(context_data: BotData, ticket: Ticket) -> str | None:
    if ticket.reporter_id is None:
        return None
    async with context_data.sessions() as session:
        user = await session.get(User, ticket.reporter_id)
    return user.display_name if user is not None else None


async def post_card(via: notify.Messenger, ticket: Ticket) -> None:
    """Route: the card goes to the department's chat (or campaign staff when it has none)."""
    data = via.bot_data
    classifier = await classifier_of(data)
    text = render_card(data, classifier, ticket, await reporter_name(data, ticket))
    chats = department_chats(classifier, ticket.department_id)
    await notify.tell(via, chats, text, buttons=card_keyboard(ticket))


async def notify_reporter(
    via: notify.Messenger, ticket: Ticket, text: str, buttons: InlineKeyboardMarkup | None = None
) -> None:
    if ticket.reporter_id is not None:
        await notify.tell(via, notify.Person(ticket.reporter_id), text, buttons=buttons)


def rating_keyboard(ticket: Ticket) -> InlineKeyboardMarkup:
    stars = [
        (texts.TICKET_RATE_BUTTON.format(stars="⭐" * n, n=n), f"tk:rate:{ticket.id}:{n}")
        for n in range(1, 6)
    ]
    return inline_keyboard([stars[:3], stars[3:], [(texts.TICKET_REOPEN_BUTTON, f"tk:reopen:{ticket.id}")]])


# ---------------------------------------------------------------- resident conversation
def _draft(context: BotContext) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault(DRAFT, {"photos": []})
    return draft


async def complain_start(update: Update, context: BotContext) -> int:
    """Start a new report (any unfinished draft is replaced)."""
    assert context.user_data is not None
    context.user_data[DRAFT] = {"photos": []}
    await reply(update, texts.COMPLAIN_START.format(limit=texts.COMPLAINT_TEXT_LIMIT))
    return DESCRIBE


def _check_description(update: Update) -> str:
    """The description exactly as sent; raises InputRejected for empty, emoji-only or over-long text."""
    text_of(update, limit=10**9, allow_caption=True)  # empty / non-text
    message = update.effective_message
    assert message is not None
    raw = message.text if message.text is not None else (message.caption or "")
    length = len(raw.strip())
    if length > texts.COMPLAINT_TEXT_LIMIT:
        raise InputRejected(texts.COMPLAIN_TOO_LONG.format(length=length, limit=texts.COMPLAINT_TEXT_LIMIT))
    if not tickets.has_words(raw):
        raise InputRejected(texts.COMPLAIN_NO_WORDS)
    return raw


async def _described(update: Update, context: BotContext, raw: str) -> int:
    _draft(context)["text"] = raw
    message = update.effective_message
    prefix = texts.COMPLAIN_FORWARDED + "\n" if message is not None and message.forward_origin else ""
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton(texts.COMPLAIN_LOCATION_BUTTON, request_location=True)], [texts.COMPLAIN_SKIP]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await reply(update, prefix + texts.COMPLAIN_ASK_LOCATION, reply_markup=keyboard)
    return PLACE


async def describe_text(update: Update, context: BotContext) -> int:
    """The description as text."""
    try:
        raw = _check_description(update)
    except InputRejected as error:
        await reply(update, escape(error))
        return DESCRIBE
    return await _described(update, context, raw)


async def describe_photo(update: Update, context: BotContext) -> int:
    """A photo: kept; its caption is the description, or the text is asked for next."""
    message = update.effective_message
    assert message is not None and message.photo
    draft = _draft(context)
    draft["photos"] = [*draft.get("photos", []), message.photo[-1].file_id][-10:]
    if not (message.caption or "").strip():
        await reply(update, texts.COMPLAIN_PHOTO_KEPT.format(count=len(draft["photos"])))
        return DESCRIBE
    return await describe_text(update, context)


async def describe_other(update: Update, context: BotContext) -> int:
    """Stickers, voice, files: ask for words again."""
    await reply(update, texts.COMPLAIN_TEXT_EXPECTED)
    return DESCRIBE


async def _ask_identity(update: Update) -> int:
    await reply(
        update,
        texts.COMPLAIN_ASK_ANONYMOUS,
        reply_markup=inline_keyboard(
            [[(texts.COMPLAIN_NAMED, "tkc:anon:0"), (texts.COMPLAIN_ANONYMOUS, "tkc:anon:1")]]
        ),
    )
    return IDENTITY


async def place_location(update: Update, context: BotContext) -> int:
    """A shared location."""
    message = update.effective_message
    assert message is not None and message.location is not None
    draft = _draft(context)
    draft["latitude"], draft["longitude"] = message.location.latitude, message.location.longitude
    return await _ask_identity(update)


async def place_skip(update: Update, context: BotContext) -> int:
    """跳过: no place given."""
    return await _ask_identity(update)


async def place_address(update: Update, context: BotContext) -> int:
    """A typed address."""
    try:
        address = text_of(update, limit=texts.COMPLAINT_ADDRESS_LIMIT)
    except InputRejected:
        await reply(update, texts.COMPLAIN_ADDRESS_TOO_LONG.format(limit=texts.COMPLAINT_ADDRESS_LIMIT))
        return PLACE
    _draft(context)["address"] = address
    return await _ask_identity(update)


async def place_other(update: Update, context: BotContext) -> int:
    """Anything else while asking for the place: re-ask."""
    await reply(update, texts.COMPLAIN_LOCATION_EXPECTED)
    return PLACE


async def _show_summary(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if "text" not in draft:
        await edit_or_reply(update, texts.COMPLAIN_DRAFT_LOST)
        return ConversationHandler.END
    classifier = await classifier_of(context.bot_data)
    result = classifier.classify(draft["text"])
    chosen = draft.get("category")
    category_id = chosen or result.category_id
    place = " ".join(
        p
        for p in (
            escape(draft.get("address") or ""),
            f"📍{draft['latitude']:.5f},{draft['longitude']:.5f}" if "latitude" in draft else "",
        )
        if p
    )
    text = texts.COMPLAIN_SUMMARY.format(
        text=escape(draft["text"]),
        place=place or texts.COMPLAIN_NO_PLACE,
        identity=texts.COMPLAIN_ANONYMOUS if draft.get("anonymous") else texts.COMPLAIN_NAMED,
        category=escape(tickets.category_name(classifier, category_id))
        + (texts.COMPLAIN_USER_CHOSEN if chosen else ""),
        keywords=keywords_text(result.keywords),
        department=escape(
            tickets.department_name(classifier, tickets.department_of(classifier, category_id))
        ),
        hours=f"{tickets.limit_hours(classifier, category_id, result.urgent):g}",
        urgent=texts.COMPLAIN_URGENT_MARK.format(kinds=escape("、".join(result.urgent_kinds)))
        if result.urgent
        else "",
    )
    keyboard = inline_keyboard(
        [[(texts.COMPLAIN_CONFIRM, "tkc:ok"), (texts.COMPLAIN_OTHER_CATEGORY, "tkc:other")]]
    )
    await edit_or_reply(update, text, reply_markup=keyboard)
    return CONFIRM


async def identity_chosen(update: Update, context: BotContext) -> int:
    """实名 / 匿名, then the classification to confirm."""
    _draft(context)["anonymous"] = (
        (update.callback_query.data or "") if update.callback_query else ""
    ).endswith(":1")
    return await _show_summary(update, context)


async def use_buttons(update: Update, context: BotContext) -> int | None:
    """Typing while buttons are expected: point at the buttons, stay in the step."""
    await reply(update, texts.COMPLAIN_USE_BUTTONS)
    return None  # None keeps the current state


async def other_category(update: Update, context: BotContext) -> int:
    """选择其他分类: every category as a button."""
    classifier = await classifier_of(context.bot_data)
    buttons = [(c.name, f"tkc:pick:{c.id}") for c in classifier.categories.values()]
    rows = button_rows(buttons, 2)
    await edit_or_reply(update, texts.COMPLAIN_PICK_CATEGORY, reply_markup=inline_keyboard(rows))
    return CONFIRM


async def pick_category(update: Update, context: BotContext) -> int:
    """A category chosen by the resident; shown again for confirmation."""
    classifier = await classifier_of(context.bot_data)
    category_id = ((update.callback_query.data or "") if update.callback_query else "").rsplit(":", 1)[-1]
    if classifier.category(category_id) is None:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return CONFIRM
    _draft(context)["category"] = category_id
    return await _show_summary(update, context)


async def confirm(update: Update, context: BotContext) -> int:
    """确认: file the ticket, route it, tell the resident its number."""
    user = update.effective_user
    assert user is not None and context.user_data is not None
    draft = _draft(context)
    if "text" not in draft:
        await edit_or_reply(update, texts.COMPLAIN_DRAFT_LOST)
        return ConversationHandler.END
    classifier = await classifier_of(context.bot_data)
    report = tickets.Report(
        text=draft["text"],
        photo_file_ids=tuple(draft.get("photos", [])),
        latitude=draft.get("latitude"),
        longitude=draft.get("longitude"),
        address=draft.get("address"),
        anonymous=bool(draft.get("anonymous")),
        category_id=draft.get("category"),
    )
    try:
        async with context.transaction() as session:
            await users.ensure_user(session, user.id, user.full_name, user.username)
            filed = await tickets.file_ticket(session, classifier, user.id, report, tz=context.settings.tz)
    except DomainError as error:
        await reply(update, escape(error))
        return CONFIRM
    context.user_data.pop(DRAFT, None)
    await answer_quietly(update)
    query = update.callback_query
    if query is not None:
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
    ticket = filed.ticket
    if filed.original is not None:
        text = texts.COMPLAIN_FILED_DUPLICATE.format(number=ticket.number, original=filed.original.number)
    else:
        text = texts.COMPLAIN_FILED.format(
            number=ticket.number,
            department=escape(tickets.department_name(classifier, ticket.department_id)),
            hours=f"{ticket.time_limit_hours:g}",
        )
    await reply(update, text, reply_markup=main_menu())
    if filed.original is None:
        await post_card(context, ticket)
        if ticket.urgent:
            alert = texts.TICKET_URGENT_ALERT.format(
                number=ticket.number,
                kinds=escape("、".join(ticket.urgent_kinds)),
                text=escape(ticket.text),
                department=escape(tickets.department_name(classifier, ticket.department_id)),
                hours=f"{ticket.time_limit_hours:g}",
            )
            await notify.tell(context, notify.STAFF, alert)
    return ConversationHandler.END


async def cancel_complaint(update: Update, context: BotContext) -> int:
    """/cancel: drop the draft."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    await reply(update, texts.CANCELLED, reply_markup=main_menu())
    return ConversationHandler.END


# ---------------------------------------------------------------- resident commands and buttons
async def my_complaints(update: Update, context: BotContext) -> None:
    """/mycomplaints: the resident's latest tickets with their status."""
    user = update.effective_user
    assert user is not None
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        rows = await tickets.tickets_of(session, user.id)
    if not rows:
        await reply(update, texts.MYCOMPLAINTS_EMPTY)
        return
    lines = [texts.MYCOMPLAINTS_HEADER.format(count=len(rows))]
    lines += [
        texts.MYCOMPLAINTS_LINE.format(
            number=t.number,
            status=texts.TICKET_STATUS_NAMES[t.status.value],
            category=escape(tickets.category_name(classifier, t.category_id)),
            created=format_local(t.created_at, context.settings.tz, "%m-%d %H:%M"),
        )
        for t in rows
    ]
    lines.append(texts.MYCOMPLAINTS_FOOTER)
    await reply(update, "\n".join(lines))


@domain_errors
async def show_ticket(update: Update, context: BotContext) -> None:
    """/ticket NUMBER: one ticket with its history (its reporter, its department, campaign staff)."""
    if not context.args:
        await reply(update, texts.TICKET_USAGE)
        return
    actor = await context.actor(update)
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await tickets.visible_ticket(session, context.args[0], actor)
        events = await tickets.history(session, ticket.id)
    history = "\n".join(
        texts.TICKET_HISTORY_LINE.format(
            time=format_local(e.created_at, context.settings.tz, "%m-%d %H:%M"),
            event=texts.TICKET_EVENT_NAMES.get(e.kind, e.kind),
            note=f"：{escape(e.note)}" if e.note else "",
        )
        for e in events
        if e.kind in texts.TICKET_EVENT_NAMES
    )
    text = texts.TICKET_DETAIL.format(
        number=ticket.number,
        status=texts.TICKET_STATUS_NAMES[ticket.status.value],
        category=escape(tickets.category_name(classifier, ticket.category_id)),
        department=escape(tickets.department_name(classifier, ticket.department_id)),
        text=escape(ticket.text),
        place=place_of(ticket),
        created=format_local(ticket.created_at, context.settings.tz),
        due=due_text(context.bot_data, ticket),
        rating=texts.TICKET_DETAIL_RATING.format(rating=ticket.rating) if ticket.rating else "",
        history=history,
    )
    markup = card_keyboard(ticket) if tickets.can_handle(actor, ticket) else None
    await reply(update, text, reply_markup=markup)


def _ids(update: Update) -> list[str]:
    data = update.callback_query.data if update.callback_query else None
    return (data or "").split(":")[2:]


@domain_errors
async def rate_button(update: Update, context: BotContext) -> None:
    """tk:rate:ID:N — the reporter's 1–5 rating; closes the ticket."""
    user = update.effective_user
    assert user is not None
    ticket_id, rating = (int(x) for x in _ids(update))
    async with context.transaction() as session:
        ticket = await tickets.rate(session, ticket_id, user.id, rating)
    await edit_or_reply(update, texts.TICKET_NOTIFY_CLOSED.format(rating=rating, number=ticket.number))


@domain_errors
async def reopen_button(update: Update, context: BotContext) -> None:
    """tk:reopen:ID — 重新办理 within the window: the department gets the card again."""
    user = update.effective_user
    assert user is not None
    (ticket_id,) = (int(x) for x in _ids(update))
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await tickets.reopen(session, classifier, ticket_id, user.id)
    await edit_or_reply(
        update,
        texts.TICKET_NOTIFY_REOPENED.format(
            number=ticket.number,
            department=escape(tickets.department_name(classifier, ticket.department_id)),
            hours=f"{ticket.time_limit_hours:g}",
        ),
    )
    chats = department_chats(classifier, ticket.department_id)
    await notify.tell(context, chats, texts.TICKET_REOPENED_STAFF.format(number=ticket.number))
    await post_card(context, ticket)


# ---------------------------------------------------------------- staff buttons on the card
async def _audit_refusal(update: Update, context: BotContext, reason: str) -> None:
    """Log a refused press in the audit log."""
    user = update.effective_user
    data = update.callback_query.data if update.callback_query else ""
    async with context.transaction() as session:
        await audit.record(session, user.id if user else None, "ticket.refused", data or "", reason=reason)


async def _refused(update: Update, context: BotContext, reason: str) -> Any:
    """Log a refused press in the audit log and tell the presser why, in a pop-up."""
    await _audit_refusal(update, context, reason)
    await answer_quietly(update, reason, alert=True)
    return ConversationHandler.END


_staff_card_guard = Guard(Audience.STAFF, on_refused=_audit_refusal)


def staff_press(callback: Any) -> Any:
    """Staff roles only (checked on every press); every refused press — wrong role, wrong department,
    stale button — is audit-logged (successful ones are logged by the service) and toasted."""

    @_staff_card_guard
    @functools.wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> Any:
        try:
            return await callback(update, context)
        except DomainError as error:
            return await _refused(update, context, str(error))

    return wrapper


async def _after_staff_action(
    update: Update,
    context: BotContext,
    ticket: Ticket,
    action_name: str,
    reporter_text: str | None,
    buttons: InlineKeyboardMarkup | None = None,
) -> None:
    """Refresh the pressed card, confirm with a toast, tell the reporter."""
    data = context.bot_data
    classifier = await classifier_of(data)
    card = render_card(data, classifier, ticket, await reporter_name(data, ticket))
    await answer_quietly(update, texts.TICKET_DONE_TOAST.format(action=action_name, number=ticket.number))
    query = update.callback_query
    if query is not None and query.message is not None:
        with contextlib.suppress(TelegramError):
            await query.edit_message_text(card, reply_markup=card_keyboard(ticket))
    if reporter_text is not None:
        await notify_reporter(context, ticket, reporter_text, buttons)


@staff_press
async def accept_button(update: Update, context: BotContext) -> None:
    """受理."""
    actor = await context.actor(update)
    (ticket_id,) = (int(x) for x in _ids(update))
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await tickets.accept(session, ticket_id, actor)
    text = texts.TICKET_NOTIFY_ACCEPTED.format(
        number=ticket.number, department=escape(tickets.department_name(classifier, ticket.department_id))
    )
    await _after_staff_action(update, context, ticket, texts.TICKET_BUTTON_ACCEPT, text)


@staff_press
async def reassign_menu(update: Update, context: BotContext) -> None:
    """转派: the departments as buttons (the permission is checked now and again on the choice)."""
    actor = await context.actor(update)
    (ticket_id,) = (int(x) for x in _ids(update))
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await tickets.check_action(session, ticket_id, actor, TicketAction.REASSIGN)
    buttons = [
        (d.name, f"tk:to:{ticket.id}:{d.id}")
        for d in classifier.departments.values()
        if d.id != ticket.department_id
    ]
    rows = button_rows(buttons, 2)
    await answer_quietly(update)
    await reply(
        update, texts.TICKET_PICK_DEPARTMENT.format(number=ticket.number), reply_markup=inline_keyboard(rows)
    )


@staff_press
async def reassign_to(update: Update, context: BotContext) -> None:
    """tk:to:ID:DEPT — move the ticket; its card goes to the new department."""
    actor = await context.actor(update)
    ticket_id, department_id = _ids(update)
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await tickets.reassign(session, classifier, int(ticket_id), actor, department_id)
    name = escape(tickets.department_name(classifier, ticket.department_id))
    await answer_quietly(
        update, texts.TICKET_DONE_TOAST.format(action=texts.TICKET_BUTTON_REASSIGN, number=ticket.number)
    )
    await edit_or_reply(
        update,
        texts.TICKET_STAFF_DONE.format(
            number=ticket.number, action=f"{texts.TICKET_BUTTON_REASSIGN}至{name}", actor=actor.user_id
        ),
    )
    await notify_reporter(
        context, ticket, texts.TICKET_NOTIFY_REASSIGNED.format(number=ticket.number, department=name)
    )
    await post_card(context, ticket)


@staff_press
async def triage_menu(update: Update, context: BotContext) -> None:
    """分拣: the categories as buttons."""
    actor = await context.actor(update)
    (ticket_id,) = (int(x) for x in _ids(update))
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await tickets.check_action(session, ticket_id, actor, TicketAction.TRIAGE)
    buttons = [(c.name, f"tk:cat:{ticket.id}:{c.id}") for c in classifier.categories.values()]
    rows = button_rows(buttons, 2)
    await answer_quietly(update)
    await reply(
        update, texts.TICKET_PICK_TRIAGE.format(number=ticket.number), reply_markup=inline_keyboard(rows)
    )


@staff_press
async def triage_to(update: Update, context: BotContext) -> None:
    """tk:cat:ID:CATEGORY — the ticket takes the category and goes to its department."""
    actor = await context.actor(update)
    ticket_id, category_id = _ids(update)
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await tickets.triage(session, classifier, int(ticket_id), actor, category_id)
    category = escape(tickets.category_name(classifier, ticket.category_id))
    department = escape(tickets.department_name(classifier, ticket.department_id))
    await answer_quietly(update, texts.TICKET_DONE_TOAST.format(action="分拣", number=ticket.number))
    await edit_or_reply(
        update,
        texts.TICKET_STAFF_DONE.format(number=ticket.number, action=f"分拣为{category}", actor=actor.user_id),
    )
    await notify_reporter(
        context,
        ticket,
        texts.TICKET_NOTIFY_TRIAGED.format(number=ticket.number, category=category, department=department),
    )
    await post_card(context, ticket)


@staff_press
async def view_button(update: Update, context: BotContext) -> None:
    """tk:view:ID from the queue: the card with its buttons, here."""
    actor = await context.actor(update)
    (ticket_id,) = (int(x) for x in _ids(update))
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await tickets.get_ticket(session, ticket_id)
    if not tickets.can_handle(actor, ticket):
        raise tickets.TicketError(texts.TICKET_NOT_YOURS)
    card = render_card(context.bot_data, classifier, ticket, await reporter_name(context.bot_data, ticket))
    await answer_quietly(update)
    await reply(update, card, reply_markup=card_keyboard(ticket))


# ---------------------------------------------------------------- staff note conversation
@staff_press
async def ask_note(update: Update, context: BotContext) -> int:
    """办结 / 驳回 / 重复: check the press is allowed, then ask for the note (a reply, so groups work)."""
    actor = await context.actor(update)
    query = update.callback_query
    assert query is not None and context.user_data is not None
    _, code, ticket_id = callback_parts(update)
    async with context.transaction() as session:
        ticket = await tickets.check_action(session, int(ticket_id), actor, NOTE_ACTIONS[code])
    card = query.message
    context.user_data[PENDING_NOTE] = {
        "ticket": ticket.id,
        "action": code,
        "card": [card.chat.id, card.message_id] if card is not None else None,
    }
    await answer_quietly(update)
    # The mention makes the selective ForceReply open the reply box for this staff member only.
    user = update.effective_user
    mention = f'<a href="tg://user?id={user.id}">{escape(user.first_name)}</a> ' if user else ""
    await reply(
        update,
        mention + NOTE_PROMPTS[code].format(number=ticket.number),
        reply_markup=ForceReply(selective=True),
    )
    return NOTE


async def receive_note(update: Update, context: BotContext) -> int:
    """The note (text, or a photo with a caption for 办结); the action happens now."""
    assert context.user_data is not None
    pending = context.user_data.get(PENDING_NOTE)
    if not pending:
        await reply(update, texts.COMPLAIN_DRAFT_LOST)
        return ConversationHandler.END
    try:
        note = text_of(update, limit=texts.COMPLAINT_TEXT_LIMIT, allow_caption=True)
    except InputRejected as error:
        await reply(update, escape(error))
        return NOTE
    actor = await context.actor(update)
    message = update.effective_message
    photo = message.photo[-1].file_id if message is not None and message.photo else None
    classifier = await classifier_of(context.bot_data)
    code, ticket_id = pending["action"], int(pending["ticket"])
    try:
        async with context.transaction() as session:
            if code == "res":
                ticket = await tickets.resolve(session, ticket_id, actor, note, photo_file_id=photo)
                linked = await tickets.linked_reporters(session, ticket.id)
            elif code == "rej":
                ticket = await tickets.reject(session, ticket_id, actor, note)
                linked = await tickets.linked_reporters(session, ticket.id)
            else:
                ticket, original = await tickets.mark_duplicate(session, ticket_id, actor, note)
                linked = []
    except (tickets.InvalidTransition, PermissionDenied) as error:  # the ticket moved on meanwhile
        context.user_data.pop(PENDING_NOTE, None)
        await reply(update, escape(error))
        return ConversationHandler.END
    except DomainError as error:  # e.g. a mistyped original number: ask again
        await reply(update, escape(error))
        return NOTE
    context.user_data.pop(PENDING_NOTE, None)
    action_name = {"res": texts.TICKET_BUTTON_RESOLVE, "rej": texts.TICKET_BUTTON_REJECT, "dup": "标记重复"}[
        code
    ]
    await reply(
        update, texts.TICKET_STAFF_DONE.format(number=ticket.number, action=action_name, actor=actor.user_id)
    )
    card = render_card(context.bot_data, classifier, ticket, await reporter_name(context.bot_data, ticket))
    if pending.get("card"):  # the pressed card now shows the outcome, without buttons
        chat_id, message_id = pending["card"]
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_text(card, chat_id, message_id, reply_markup=None)
    if code == "res":
        await notify_reporter(
            context,
            ticket,
            texts.TICKET_NOTIFY_RESOLVED.format(
                number=ticket.number, note=escape(note), days=tickets.REOPEN_DAYS
            ),
            buttons=rating_keyboard(ticket),
        )
        if photo is not None and ticket.reporter_id is not None:
            with contextlib.suppress(TelegramError):
                await context.bot.send_photo(ticket.reporter_id, photo)
    elif code == "rej":
        await notify_reporter(
            context, ticket, texts.TICKET_NOTIFY_REJECTED.format(number=ticket.number, note=escape(note))
        )
    else:
        await notify_reporter(
            context,
            ticket,
            texts.TICKET_NOTIFY_DUPLICATE.format(number=ticket.number, original=original.number),
        )
    outcome = texts.TICKET_STATUS_NAMES[ticket.status.value]
    for reporter_id in linked:  # duplicates' reporters hear the outcome of the original
        await notify.tell(
            context,
            notify.Person(reporter_id),
            texts.TICKET_LINKED_OUTCOME.format(number=ticket.number, status=outcome, note=escape(note)),
        )
    return ConversationHandler.END


async def note_other(update: Update, context: BotContext) -> int:
    """Anything but text while a note is expected: re-ask."""
    await reply(update, texts.TICKET_NOTE_EXPECTED)
    return NOTE


async def cancel_note(update: Update, context: BotContext) -> int:
    """/cancel while a note is expected."""
    if context.user_data is not None:
        context.user_data.pop(PENDING_NOTE, None)
    await reply(update, texts.CANCELLED)
    return ConversationHandler.END


# ---------------------------------------------------------------- the staff queue
def _queue_menu() -> InlineKeyboardMarkup:
    return inline_keyboard(
        [
            [
                (texts.QUEUE_FILTER_OPEN, "tk:q:open"),
                (texts.QUEUE_FILTER_TRIAGE, "tk:q:triage"),
                (texts.QUEUE_FILTER_OVERDUE, "tk:q:overdue"),
            ],
            [
                (texts.QUEUE_FILTER_STATUS, "tk:q:menu:status"),
                (texts.QUEUE_FILTER_CATEGORY, "tk:q:menu:cat"),
                (texts.QUEUE_FILTER_DEPARTMENT, "tk:q:menu:dept"),
            ],
        ]
    )


@staff_only
async def queue_command(update: Update, context: BotContext) -> None:
    """/complaints: the open tickets (a handler's department only), with filter buttons."""
    await _show_queue(update, context, tickets.QueueFilter(open_only=True), texts.QUEUE_FILTER_OPEN)


async def _show_queue(update: Update, context: BotContext, spec: tickets.QueueFilter, label: str) -> None:
    actor = await context.actor(update)
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        rows, total = await tickets.queue(session, actor, spec, limit=QUEUE_PAGE)
    now = context.clock.now()
    more = texts.QUEUE_MORE.format(shown=len(rows)) if total > len(rows) else ""
    lines = [texts.QUEUE_HEADER.format(filter=escape(label), count=total, more=more)]
    if not rows:
        lines.append(texts.QUEUE_EMPTY)
    for t in rows:
        lines.append(
            texts.QUEUE_LINE.format(
                overdue=texts.QUEUE_OVERDUE_MARK if t.status.is_open and t.due_at and t.due_at < now else "",
                number=t.number,
                status=texts.TICKET_STATUS_NAMES[t.status.value],
                category=escape(tickets.category_name(classifier, t.category_id)),
                department=escape(tickets.department_name(classifier, t.department_id)),
                due=format_local(t.due_at, context.settings.tz, "%m-%d %H:%M") if t.due_at else "—",
            )
        )
    view = [
        (texts.QUEUE_VIEW_BUTTON.format(number=t.number), f"tk:view:{t.id}") for t in rows[:QUEUE_BUTTONS]
    ]
    keyboard = _queue_menu().inline_keyboard + tuple((b,) for b in inline_keyboard([view]).inline_keyboard[0])
    await edit_or_reply(update, "\n".join(lines), reply_markup=InlineKeyboardMarkup(keyboard))


@staff_press
async def queue_button(update: Update, context: BotContext) -> None:
    """tk:q:… — a filter, or a menu of filter values."""
    args = _ids(update)
    classifier = await classifier_of(context.bot_data)
    kind = args[0] if args else ""
    if kind == "menu" and len(args) == 2:
        options: list[tuple[str, str]]
        if args[1] == "status":
            options = [(name, f"tk:q:status:{value}") for value, name in texts.TICKET_STATUS_NAMES.items()]
        elif args[1] == "cat":
            options = [(c.name, f"tk:q:cat:{c.id}") for c in classifier.categories.values()]
        else:
            options = [(d.name, f"tk:q:dept:{d.id}") for d in classifier.departments.values()]
        rows = button_rows(options, 2)
        await edit_or_reply(update, texts.QUEUE_PICK, reply_markup=inline_keyboard(rows))
        return
    value = args[1] if len(args) > 1 else ""
    if kind == "open":
        spec, label = tickets.QueueFilter(open_only=True), texts.QUEUE_FILTER_OPEN
    elif kind == "triage":
        spec, label = tickets.QueueFilter(triage=True), texts.QUEUE_FILTER_TRIAGE
    elif kind == "overdue":
        spec, label = tickets.QueueFilter(overdue=True), texts.QUEUE_FILTER_OVERDUE
    elif kind == "status" and value in texts.TICKET_STATUS_NAMES:
        spec, label = tickets.QueueFilter(status=TicketStatus(value)), texts.TICKET_STATUS_NAMES[value]
    elif kind == "cat" and classifier.category(value) is not None:
        spec, label = tickets.QueueFilter(category_id=value), tickets.category_name(classifier, value)
    elif kind == "dept" and value in classifier.departments:
        spec, label = tickets.QueueFilter(department_id=value), tickets.department_name(classifier, value)
    else:
        raise tickets.TicketError(texts.BUTTON_EXPIRED)
    await _show_queue(update, context, spec, label)


# ---------------------------------------------------------------- scheduled tasks
def _task_handlers(application: BotApplication) -> dict[str, Any]:
    data = application.bot_data

    async def warn(task: ScheduledTask) -> None:
        now = task.claimed_at or data.clock.now()
        async with data.sessions() as session, session.begin():
            ticket = await tickets.open_for_warning(session, int(task.payload["ticket"]), now)
        if ticket is None:
            return
        classifier = await classifier_of(data)
        text = texts.TICKET_WARN.format(
            number=ticket.number,
            due=format_local(ticket.due_at or now, data.settings.tz),
            hours=f"{ticket.time_limit_hours:g}",
        )
        await notify.tell(application, department_chats(classifier, ticket.department_id), text)

    async def escalate(task: ScheduledTask) -> None:
        now = task.claimed_at or data.clock.now()
        async with data.sessions() as session, session.begin():
            ticket = await tickets.overdue_for_escalation(session, int(task.payload["ticket"]), now)
        if ticket is None:
            return
        classifier = await classifier_of(data)
        text = texts.TICKET_ESCALATE.format(
            number=ticket.number,
            category=escape(tickets.category_name(classifier, ticket.category_id)),
            department=escape(tickets.department_name(classifier, ticket.department_id)),
            due=format_local(ticket.due_at or now, data.settings.tz),
            status=texts.TICKET_STATUS_NAMES[ticket.status.value],
        )
        chats = [notify.STAFF, *department_chats(classifier, ticket.department_id)]
        await notify.tell(application, chats, text)

    async def close(task: ScheduledTask) -> None:
        now = task.claimed_at or data.clock.now()
        async with data.sessions() as session, session.begin():
            await tickets.close_unrated(session, int(task.payload["ticket"]), now)

    return {tickets.WARN_KIND: warn, tickets.OVERDUE_KIND: escalate, tickets.CLOSE_KIND: close}


# ---------------------------------------------------------------- wiring
def register(application: BotApplication) -> None:
    for kind, handler in _task_handlers(application).items():
        application.bot_data.tasks.register(kind, handler)
    not_command = ~filters.COMMAND
    with warnings.catch_warnings():
        # per_message=False is intended: buttons belong to the conversation of (chat, user).
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        complaint, note = _conversations(not_command)
    application.add_handlers(
        [
            complaint,
            note,
            CommandHandler("mycomplaints", my_complaints),
            CommandHandler("ticket", show_ticket),
            CommandHandler("complaints", queue_command),
            CallbackQueryHandler(rate_button, pattern=r"^tk:rate:\d+:\d$"),
            CallbackQueryHandler(reopen_button, pattern=r"^tk:reopen:\d+$"),
            CallbackQueryHandler(accept_button, pattern=r"^tk:acc:\d+$"),
            CallbackQueryHandler(reassign_menu, pattern=r"^tk:fwd:\d+$"),
            CallbackQueryHandler(reassign_to, pattern=r"^tk:to:\d+:\w+$"),
            CallbackQueryHandler(triage_menu, pattern=r"^tk:tri:\d+$"),
            CallbackQueryHandler(triage_to, pattern=r"^tk:cat:\d+:\w+$"),
            CallbackQueryHandler(view_button, pattern=r"^tk:view:\d+$"),
            CallbackQueryHandler(queue_button, pattern=r"^tk:q:"),
        ]
    )


def _conversations(
    not_command: filters.BaseFilter,
) -> tuple[ConversationHandler[Any], ConversationHandler[Any]]:
    """The resident's complaint conversation and the staff note conversation (see the module docstring)."""
    complaint = ConversationHandler(
        entry_points=[
            CommandHandler("complain", complain_start, filters=filters.ChatType.PRIVATE),
            MessageHandler(
                filters.Text([kit_texts.MENU_COMPLAIN]) & filters.ChatType.PRIVATE, complain_start
            ),
        ],
        states={
            DESCRIBE: [
                MessageHandler(filters.PHOTO, describe_photo),
                MessageHandler(filters.TEXT & not_command, describe_text),
                MessageHandler(filters.ALL & not_command, describe_other),
            ],
            PLACE: [
                MessageHandler(filters.LOCATION, place_location),
                MessageHandler(filters.Text([texts.COMPLAIN_SKIP]), place_skip),
                MessageHandler(filters.TEXT & not_command, place_address),
                MessageHandler(filters.ALL & not_command, place_other),
            ],
            IDENTITY: [
                CallbackQueryHandler(identity_chosen, pattern=r"^tkc:anon:[01]$"),
                MessageHandler(filters.ALL & not_command, use_buttons),
            ],
            CONFIRM: [
                CallbackQueryHandler(confirm, pattern=r"^tkc:ok$"),
                CallbackQueryHandler(other_category, pattern=r"^tkc:other$"),
                CallbackQueryHandler(pick_category, pattern=r"^tkc:pick:"),
                MessageHandler(filters.ALL & not_command, use_buttons),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel_complaint)],
        name="complaint",
        persistent=True,
        allow_reentry=True,
    )
    note = ConversationHandler(
        entry_points=[CallbackQueryHandler(ask_note, pattern=r"^tk:(res|rej|dup):\d+$")],
        states={
            NOTE: [
                MessageHandler((filters.TEXT | filters.PHOTO) & not_command, receive_note),
                MessageHandler(filters.ALL & not_command, note_other),
            ]
        },
        fallbacks=[CommandHandler("cancel", cancel_note)],
        name="ticket_note",
        persistent=True,
        allow_reentry=True,
    )
    return complaint, note


FEATURE = Feature(
    "tickets",
    register,
    COMMANDS,
    staff_button_prefixes=(
        "tk:acc",
        "tk:fwd",
        "tk:to",
        "tk:tri",
        "tk:cat",
        "tk:q",
        "tk:res",
        "tk:rej",
        "tk:dup",
        "tk:view",
    ),
    personal_data=PersonalData("complaints", tickets.export_tickets, tickets.erase_tickets),
    cli=complaints_cli.add_commands,
    report_sections=complaints_report.SECTIONS,
    benchmarks={
        "tickets": "bench.tickets:bench_tickets",
        "classifier_speed": "bench.classifier:speed",
        "classifier_cv": "bench.classifier:learned_cv",
    },
)
