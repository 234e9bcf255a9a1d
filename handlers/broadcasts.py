"""Campaign broadcasts: /broadcast (compose → audience → when → preview → confirm) and /broadcasts.

Conversation (state diagram):

    /broadcast → COMPOSE ─text/photo→ AUDIENCE ─topic/volunteers/staff→ WHEN
                                         ├─district→ DISTRICT ─name→ WHEN
                                         └─department→ DEPARTMENT ─button→ WHEN
    WHEN ─now→ CONFIRM · ─at→ AT_TIME ─date time→ CONFIRM · ─daily→ DAILY_TIME ─HH:MM→ CONFIRM
         └─weekly→ WEEKDAY ─button→ WEEKLY_TIME ─HH:MM→ CONFIRM
    CONFIRM ─确认→ END (stored, started or scheduled) · ─放弃→ END;  /cancel anywhere → END

Also the Telegram side of broadcast delivery: ``telegram_send`` adapts a PTB bot to the broadcast
source's ``send`` callable; the bot's one sender (``handlers.outbox``) runs it after the outbox.
"""

from __future__ import annotations

import logging
import warnings
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, MessageEntity, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.app import BotApplication, BotContext
from bot.broadcast_delivery import (
    Outgoing,
    RejectedSendError,
    RetryLater,
    Send,
    TransientSendError,
    Unreachable,
)
from bot.models import AudienceKind, BroadcastStatus, ScheduledTask, ScheduleKind, Topic
from bot.sending import Sender
from bot.services import DomainError
from bot.services import broadcasts as service
from bot.services.personal_data import PersonalData
from bot.services.reports import broadcasts as broadcasts_report
from bot.services.volunteers import load_districts
from bot.timeutil import format_local
from handlers.base import (
    Audience,
    Command,
    InputRejected,
    answer_quietly,
    callback_args,
    callback_parts,
    campaign_staff_only,
    domain_errors,
    edit_or_reply,
    escape,
    inline_keyboard,
    reply,
    text_of,
)
from handlers.kit.arguments import whole_number
from handlers.kit.feature import Feature

log = logging.getLogger(__name__)

COMMANDS = [
    Command(name, texts.BROADCAST_COMMAND_DESCRIPTIONS[name], Audience.CAMPAIGN_STAFF)
    for name in ("broadcast", "broadcasts")
]

COMPOSE, AUDIENCE, DISTRICT, DEPARTMENT, WHEN, AT_TIME, DAILY_TIME, WEEKDAY, WEEKLY_TIME, CONFIRM = range(10)
DRAFT = "broadcast_draft"
FORMATTING = {
    MessageEntity.BOLD,
    MessageEntity.ITALIC,
    MessageEntity.UNDERLINE,
    MessageEntity.STRIKETHROUGH,
    MessageEntity.SPOILER,
    MessageEntity.CODE,
    MessageEntity.PRE,
    MessageEntity.TEXT_LINK,
    MessageEntity.BLOCKQUOTE,
}


# ---------------------------------------------------------------- the engine's Telegram adapter
def _retry_after(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta
        warnings.simplefilter("ignore")
        value: Any = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def telegram_send(bot: Bot) -> Send:
    """The delivery engine's ``send``: a PTB bot call, Telegram errors mapped to engine errors."""

    async def send(item: Outgoing) -> int:
        try:
            if item.photo_file_id:
                message = await bot.send_photo(
                    item.chat_id, item.photo_file_id, caption=item.text or None, parse_mode=ParseMode.HTML
                )
            else:
                message = await bot.send_message(item.chat_id, item.text, parse_mode=ParseMode.HTML)
        except RetryAfter as error:
            raise RetryLater(_retry_after(error)) from error
        except Forbidden as error:
            raise Unreachable(str(error)) from error
        except BadRequest as error:
            raise RejectedSendError(str(error)) from error
        except (TimedOut, NetworkError) as error:
            raise TransientSendError(str(error)) from error
        except TelegramError as error:
            raise RejectedSendError(str(error)) from error
        return message.message_id

    return send


def make_sender(application: BotApplication, send: Send | None = None) -> Sender:
    """The bot's one sender (``handlers.outbox.make_sender``): owed messages first, then broadcast
    deliveries; ``send`` replaces the broadcast adapter."""
    from handlers.outbox import make_sender as one_sender  # handlers.outbox imports this module

    return one_sender(application, broadcast_send=send)


async def _fire_task(application: BotApplication, task: ScheduledTask) -> None:
    async with application.bot_data.sessions() as session, session.begin():
        await service.fire(
            session,
            int(task.payload["broadcast_id"]),
            int(task.payload["occurrence"]),
            application.bot_data.settings.tz,
        )


# ---------------------------------------------------------------- conversation helpers
def _draft(context: BotContext) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault(DRAFT, {})
    return draft


def _audience_keyboard() -> list[list[tuple[str, str]]]:
    rows = [
        [(texts.BROADCAST_TOPIC_BUTTON.format(name=texts.TOPIC_NAMES[t.value]), f"bcw:aud:topic:{t.value}")]
        for t in Topic
    ]
    rows += [[(label, f"bcw:aud:{kind}")] for kind, label in texts.BROADCAST_AUDIENCE_BUTTONS.items()]
    return rows


def _when_keyboard() -> list[list[tuple[str, str]]]:
    return [
        [(texts.BROADCAST_WHEN_NOW, "bcw:when:now"), (texts.BROADCAST_WHEN_AT, "bcw:when:at")],
        [(texts.BROADCAST_WHEN_DAILY, "bcw:when:daily"), (texts.BROADCAST_WHEN_WEEKLY, "bcw:when:weekly")],
    ]


def _when_text(draft: dict[str, Any], context: BotContext) -> str:
    kind = ScheduleKind(draft["schedule"])
    if kind is ScheduleKind.NOW:
        return texts.BROADCAST_WHEN_NOW_TEXT
    if kind is ScheduleKind.AT:
        return format_local(datetime.fromisoformat(draft["send_at"]), context.settings.tz)
    if kind is ScheduleKind.DAILY:
        return texts.BROADCAST_WHEN_DAILY_TEXT.format(time=draft["send_time"])
    return texts.BROADCAST_WHEN_WEEKLY_TEXT.format(
        weekday=texts.BROADCAST_WEEKDAYS[draft["weekday"]], time=draft["send_time"]
    )


def _message_html(update: Update) -> tuple[str, str | None]:
    """(HTML text, photo file id) of a composed message; client formatting becomes HTML too."""
    message = update.effective_message
    assert message is not None
    if message.photo:
        entities = message.caption_entities or ()
        caption = message.caption or ""
        if any(e.type in FORMATTING for e in entities):
            caption = message.caption_html or ""
        return caption, message.photo[-1].file_id
    if message.text is None:
        raise InputRejected(texts.BROADCAST_COMPOSE_AGAIN)
    if any(e.type in FORMATTING for e in message.entities or ()):
        return message.text_html, None
    return message.text, None


async def _ask_when(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    kind, param = AudienceKind(draft["audience"]), draft.get("param")
    async with context.transaction() as session:
        count = await service.audience_size(session, kind, param)
    await edit_or_reply(
        update,
        texts.BROADCAST_CHOOSE_WHEN.format(
            audience=escape(service.describe_audience(kind, param)), count=count
        ),
        reply_markup=inline_keyboard(_when_keyboard()),
    )
    return WHEN


async def _preview(update: Update, context: BotContext) -> int:
    """Send the notice to the staff member exactly as recipients get it, then ask to confirm."""
    draft = _draft(context)
    chat = update.effective_chat
    assert chat is not None
    kind, param = AudienceKind(draft["audience"]), draft.get("param")
    async with context.transaction() as session:
        count = await service.audience_size(session, kind, param)
    await reply(update, texts.BROADCAST_PREVIEW_HEADER)
    try:
        await telegram_send(context.bot)(Outgoing(0, 0, chat.id, draft["text"], draft.get("photo")))
    except (RejectedSendError, TransientSendError, RetryLater, Unreachable) as error:
        await reply(update, texts.BROADCAST_PREVIEW_FAILED.format(error=escape(error)))
        await reply(update, texts.BROADCAST_COMPOSE)
        return COMPOSE
    await reply(
        update,
        texts.BROADCAST_CONFIRM_PROMPT.format(
            audience=escape(service.describe_audience(kind, param)),
            count=count,
            when=_when_text(draft, context),
        ),
        reply_markup=inline_keyboard(
            [[(texts.BROADCAST_CONFIRM, "bcw:ok:yes"), (texts.BROADCAST_DISCARD, "bcw:ok:no")]]
        ),
    )
    return CONFIRM


# ---------------------------------------------------------------- conversation steps
@campaign_staff_only
async def start(update: Update, context: BotContext) -> int:
    """/broadcast: start a new notice."""
    assert context.user_data is not None
    context.user_data[DRAFT] = {}
    await reply(update, texts.BROADCAST_COMPOSE)
    return COMPOSE


@campaign_staff_only
async def compose(update: Update, context: BotContext) -> int:
    """Take the text (HTML checked now, before anyone receives it) or a photo with a caption."""
    try:
        text, photo = _message_html(update)
        text = service.validate_html(text, caption=photo is not None)
    except DomainError as error:
        await reply(update, str(error))
        return COMPOSE
    _draft(context).update(text=text, photo=photo)
    await reply(update, texts.BROADCAST_CHOOSE_AUDIENCE, reply_markup=inline_keyboard(_audience_keyboard()))
    return AUDIENCE


@campaign_staff_only
async def compose_again(update: Update, context: BotContext) -> int:
    """Anything but text or a photo while composing: ask again."""
    await reply(update, texts.BROADCAST_COMPOSE_AGAIN)
    return COMPOSE


@campaign_staff_only
async def choose_audience(update: Update, context: BotContext) -> int:
    """An audience button: topic subscribers, volunteers, staff directly; district and department ask more."""
    args = callback_args(update)
    draft = _draft(context)
    try:
        kind = AudienceKind(args[0] if args else "")
    except ValueError:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return AUDIENCE
    draft.update(audience=kind.value, param=None)
    if kind is AudienceKind.TOPIC:
        try:
            draft["param"] = service.parse_topic(args[1] if len(args) > 1 else None).value
        except DomainError as error:
            await answer_quietly(update, str(error), alert=True)
            return AUDIENCE
    elif kind is AudienceKind.DISTRICT:
        names = load_districts(context.settings.data_dir).names
        draft["districts"] = names
        rows = [[(name, f"bcw:dist:{i}")] for i, name in enumerate(names)]
        await edit_or_reply(update, texts.BROADCAST_ASK_DISTRICT, reply_markup=inline_keyboard(rows))
        return DISTRICT
    elif kind is AudienceKind.DEPARTMENT:
        async with context.transaction() as session:
            names = await service.departments(session)
        if not names:
            await answer_quietly(update, texts.BROADCAST_NO_DEPARTMENTS, alert=True)
            return AUDIENCE
        draft["departments"] = names
        rows = [[(name, f"bcw:dep:{i}")] for i, name in enumerate(names)]
        await edit_or_reply(update, texts.BROADCAST_CHOOSE_DEPARTMENT, reply_markup=inline_keyboard(rows))
        return DEPARTMENT
    return await _ask_when(update, context)


@campaign_staff_only
async def district(update: Update, context: BotContext) -> int:
    """A district button (index into the districts of data/districts.yaml)."""
    draft = _draft(context)
    args = callback_args(update)
    names = draft.get("districts") or []
    index = whole_number(args[0], low=0, high=len(names) - 1) if args and names else None
    if index is None:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return DISTRICT
    draft["param"] = names[index]
    return await _ask_when(update, context)


@campaign_staff_only
async def department(update: Update, context: BotContext) -> int:
    """A department button (index into the list offered)."""
    draft = _draft(context)
    args = callback_args(update)
    names = draft.get("departments") or []
    index = whole_number(args[0], low=0, high=len(names) - 1) if args and names else None
    if index is None:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return DEPARTMENT
    draft["param"] = names[index]
    return await _ask_when(update, context)


@campaign_staff_only
async def choose_when(update: Update, context: BotContext) -> int:
    """Now, at a time, daily or weekly."""
    args = callback_args(update)
    draft = _draft(context)
    choice = args[0] if args else ""
    if choice == "now":
        draft["schedule"] = ScheduleKind.NOW.value
        await answer_quietly(update)
        return await _preview(update, context)
    if choice == "at":
        draft["schedule"] = ScheduleKind.AT.value
        await edit_or_reply(update, texts.BROADCAST_ASK_DATETIME)
        return AT_TIME
    if choice == "daily":
        draft["schedule"] = ScheduleKind.DAILY.value
        await edit_or_reply(update, texts.BROADCAST_ASK_TIME)
        return DAILY_TIME
    if choice == "weekly":
        draft["schedule"] = ScheduleKind.WEEKLY.value
        rows = [[(name, f"bcw:wd:{i}") for i, name in enumerate(texts.BROADCAST_WEEKDAYS[:4])]]
        rows.append([(name, f"bcw:wd:{i + 4}") for i, name in enumerate(texts.BROADCAST_WEEKDAYS[4:])])
        await edit_or_reply(update, texts.BROADCAST_ASK_WEEKDAY, reply_markup=inline_keyboard(rows))
        return WEEKDAY
    await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
    return WHEN


@campaign_staff_only
async def at_time(update: Update, context: BotContext) -> int:
    """A date and time in the future, local time."""
    try:
        when = service.parse_datetime(text_of(update, limit=40), context.settings.tz, context.clock.now())
    except DomainError as error:
        await reply(update, str(error))
        return AT_TIME
    _draft(context)["send_at"] = when.isoformat()
    return await _preview(update, context)


@campaign_staff_only
async def daily_time(update: Update, context: BotContext) -> int:
    """HH:MM for a daily notice."""
    try:
        _draft(context)["send_time"] = service.parse_hhmm(text_of(update, limit=10))
    except DomainError as error:
        await reply(update, str(error))
        return DAILY_TIME
    return await _preview(update, context)


@campaign_staff_only
async def weekday(update: Update, context: BotContext) -> int:
    """Which day of the week."""
    args = callback_args(update)
    if not args or args[0] not in {str(i) for i in range(7)}:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return WEEKDAY
    _draft(context)["weekday"] = int(args[0])
    await edit_or_reply(
        update, texts.BROADCAST_ASK_WEEK_TIME.format(weekday=texts.BROADCAST_WEEKDAYS[int(args[0])])
    )
    return WEEKLY_TIME


@campaign_staff_only
async def weekly_time(update: Update, context: BotContext) -> int:
    """HH:MM for a weekly notice."""
    try:
        _draft(context)["send_time"] = service.parse_hhmm(text_of(update, limit=10))
    except DomainError as error:
        await reply(update, str(error))
        return WEEKLY_TIME
    return await _preview(update, context)


@campaign_staff_only
async def confirm(update: Update, context: BotContext) -> int:
    """确认 stores and starts/schedules the notice; 放弃 drops it. A second press finds no draft."""
    args = callback_args(update)
    assert context.user_data is not None
    draft = context.user_data.pop(DRAFT, None)
    if not draft or "schedule" not in draft:
        await answer_quietly(update, texts.ALREADY_DONE, alert=True)
        return ConversationHandler.END
    if not args or args[0] != "yes":
        await edit_or_reply(update, texts.BROADCAST_DISCARDED)
        return ConversationHandler.END
    schedule = service.Schedule(
        ScheduleKind(draft["schedule"]),
        datetime.fromisoformat(draft["send_at"]) if draft.get("send_at") else None,
        draft.get("send_time"),
        draft.get("weekday"),
    )
    actor = await context.actor(update)
    try:
        async with context.transaction() as session:
            broadcast = await service.create(
                session,
                actor,
                text=draft["text"],
                photo_file_id=draft.get("photo"),
                audience_kind=AudienceKind(draft["audience"]),
                audience_param=draft.get("param"),
                schedule=schedule,
                tz=context.settings.tz,
            )
            count = await service.pending_count_for(session, broadcast.id)
    except DomainError as error:
        context.user_data[DRAFT] = draft  # nothing lost: fix the time and confirm again
        await answer_quietly(update, str(error), alert=True)
        return CONFIRM
    if schedule.kind is ScheduleKind.NOW:
        text = texts.BROADCAST_CREATED_NOW.format(id=broadcast.id, count=count)
    else:
        text = texts.BROADCAST_CREATED_SCHEDULED.format(id=broadcast.id, when=_when_text(draft, context))
    await edit_or_reply(update, text)
    return ConversationHandler.END


@campaign_staff_only
async def reask_button(update: Update, context: BotContext) -> int | None:
    """Typing where a button is expected: point at the buttons (state unchanged)."""
    await reply(update, texts.BROADCAST_BUTTON_HINT)
    return None


async def stale_button(update: Update, context: BotContext) -> None:
    """A button of another step (or an old message): say it expired, keep the state."""
    await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel: drop the draft."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    await reply(update, texts.BROADCAST_DISCARDED)
    return ConversationHandler.END


# ---------------------------------------------------------------- /broadcasts
def _list_view(
    items: list[service.BroadcastSummary], context: BotContext
) -> tuple[str, list[list[tuple[str, str]]]]:
    lines, rows = [texts.BROADCAST_LIST_HEADER], []
    for item in items:
        b = item.broadcast
        when = {
            ScheduleKind.NOW: texts.BROADCAST_WHEN_NOW_TEXT,
            ScheduleKind.AT: format_local(b.send_at, context.settings.tz) if b.send_at else "",
            ScheduleKind.DAILY: texts.BROADCAST_WHEN_DAILY_TEXT.format(time=b.send_time),
            ScheduleKind.WEEKLY: texts.BROADCAST_WHEN_WEEKLY_TEXT.format(
                weekday=texts.BROADCAST_WEEKDAYS[b.weekday or 0], time=b.send_time
            ),
        }[b.schedule_kind]
        plain = service.plain_text(b.text)
        snippet = (texts.BROADCAST_PHOTO_LABEL + " " if b.photo_file_id else "") + plain[:40]
        lines.append(
            texts.BROADCAST_LIST_ITEM.format(
                id=b.id,
                status=texts.BROADCAST_STATUS_NAMES[b.status.value],
                audience=escape(service.describe_audience(b.audience_kind, b.audience_param)),
                when=when,
                snippet=escape(snippet),
                sent=item.sent,
                pending=item.pending,
                failed=item.failed,
                unreachable=item.unreachable,
            )
        )
        buttons = []
        if b.status in (BroadcastStatus.SCHEDULED, BroadcastStatus.RUNNING):
            buttons.append((f"#{b.id} {texts.BROADCAST_PAUSE}", f"bc:pause:{b.id}"))
        if b.status is BroadcastStatus.PAUSED:
            buttons.append((f"#{b.id} {texts.BROADCAST_RESUME}", f"bc:resume:{b.id}"))
        if b.status not in (BroadcastStatus.CANCELLED, BroadcastStatus.FINISHED):
            buttons.append((f"#{b.id} {texts.BROADCAST_CANCEL}", f"bc:cancel:{b.id}"))
        if buttons:
            rows.append(buttons)
    return "\n\n".join(lines), rows


@campaign_staff_only
async def list_broadcasts(update: Update, context: BotContext) -> None:
    """/broadcasts: the latest notices with counts and pause/resume/cancel buttons."""
    async with context.transaction() as session:
        items = await service.summaries(session)
    if not items:
        await reply(update, texts.BROADCAST_LIST_EMPTY)
        return
    text, rows = _list_view(items, context)
    await reply(update, text, reply_markup=inline_keyboard(rows) if rows else None)


@campaign_staff_only
@domain_errors
async def manage(update: Update, context: BotContext) -> None:
    """bc:pause|resume|cancel:ID — guarded on every press; refused transitions explain themselves."""
    parts = callback_parts(update)
    broadcast_id = whole_number(parts[2]) if len(parts) == 3 else None
    if broadcast_id is None or parts[1] not in {"pause", "resume", "cancel"}:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    action = parts[1]
    actor = await context.actor(update)
    async with context.transaction() as session:
        if action == "pause":
            broadcast = await service.pause(session, actor, broadcast_id)
            toast = texts.BROADCAST_PAUSED.format(id=broadcast_id)
        elif action == "resume":
            broadcast = await service.resume(session, actor, broadcast_id)
            toast = texts.BROADCAST_RESUMED.format(
                id=broadcast_id, status=texts.BROADCAST_STATUS_NAMES[broadcast.status.value]
            )
        else:
            await service.cancel(session, actor, broadcast_id)
            toast = texts.BROADCAST_CANCELLED_DONE.format(id=broadcast_id)
    async with context.transaction() as session:
        items = await service.summaries(session)
    await answer_quietly(update, toast)
    text, rows = _list_view(items, context)
    await edit_or_reply(update, text, reply_markup=inline_keyboard(rows) if rows else None)


# ---------------------------------------------------------------- wiring
def register(application: BotApplication) -> None:
    text = filters.TEXT & ~filters.COMMAND
    anything = filters.ALL & ~filters.COMMAND
    stale = CallbackQueryHandler(stale_button, pattern=r"^bcw:")

    def button_state(callback: Any, pattern: str) -> list[Any]:
        return [
            CallbackQueryHandler(callback, pattern=pattern),
            MessageHandler(anything, reask_button),
            stale,
        ]

    def text_state(callback: Any) -> list[Any]:
        return [MessageHandler(text, callback), MessageHandler(anything, callback), stale]

    compose_state: list[Any] = [
        MessageHandler(text | filters.PHOTO, compose),
        MessageHandler(anything, compose_again),
        stale,
    ]
    with warnings.catch_warnings():  # per-user conversation on purpose (buttons are not per message)
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        conversation = _conversation(compose_state, button_state, text_state)
    application.add_handlers(
        [
            conversation,
            CommandHandler("broadcasts", list_broadcasts),
            CallbackQueryHandler(manage, pattern=r"^bc:"),
        ]
    )

    async def fire(task: ScheduledTask) -> None:
        await _fire_task(application, task)

    application.bot_data.tasks.register(service.TASK_KIND, fire)


def _conversation(compose_state: list[Any], button_state: Any, text_state: Any) -> ConversationHandler[Any]:
    return ConversationHandler(
        entry_points=[CommandHandler("broadcast", start)],
        states={
            COMPOSE: compose_state,
            AUDIENCE: button_state(choose_audience, r"^bcw:aud:"),
            DISTRICT: button_state(district, r"^bcw:dist:"),
            DEPARTMENT: button_state(department, r"^bcw:dep:"),
            WHEN: button_state(choose_when, r"^bcw:when:"),
            AT_TIME: text_state(at_time),
            DAILY_TIME: text_state(daily_time),
            WEEKDAY: button_state(weekday, r"^bcw:wd:"),
            WEEKLY_TIME: text_state(weekly_time),
            CONFIRM: button_state(confirm, r"^bcw:ok:"),
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="broadcast",
        persistent=True,
        allow_reentry=True,
    )


FEATURE = Feature(
    "broadcasts",
    register,
    COMMANDS,
    staff_button_prefixes=("bc", "bcw"),
    personal_data=PersonalData("broadcasts", service.export_user, service.erase_user),
    report_sections=broadcasts_report.SECTIONS,
    benchmarks={
        "broadcasts": "bench.broadcasts:run",
        "broadcasts.materialise": "bench.broadcasts:run_materialise",
    },
)
