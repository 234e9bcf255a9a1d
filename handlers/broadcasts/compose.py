"""/broadcast (campaign staff): compose a notice, choose its audience and time, preview, confirm.

Conversation, persistent as "broadcast"::

    /broadcast → COMPOSE ─text/photo→ AUDIENCE ─topic/volunteers/staff→ WHEN
                                         ├─district→ DISTRICT ─button→ WHEN
                                         └─department→ DEPARTMENT ─button→ WHEN
    WHEN ─now→ CONFIRM · ─at→ AT_TIME ─date time→ CONFIRM · ─daily→ DAILY_TIME ─HH:MM→ CONFIRM
         └─weekly→ WEEKDAY ─button→ WEEKLY_TIME ─HH:MM→ CONFIRM
    CONFIRM ─确认→ END (stored, started or scheduled) · ─放弃→ END;  /cancel anywhere → END

Every step is guarded. The HTML is checked when it is composed, before anyone receives it, and the
preview is sent exactly as recipients will get it. A button of another step answers 已失效 and the
wizard stays where it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from telegram import MessageEntity, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.app import BotContext
from bot.broadcast_delivery import Outgoing, RejectedSendError, RetryLater, TransientSendError, Unreachable
from bot.models import AudienceKind, ScheduleKind
from bot.services import broadcasts as service
from bot.services.broadcasts import BroadcastError, BroadcastProblem
from bot.services.volunteers import load_districts
from handlers.broadcasts import texts, views
from handlers.broadcasts.callbacks import (
    WIZARD_BUTTON,
    AudienceButton,
    ConfirmButton,
    DepartmentButton,
    DistrictButton,
    TopicAudienceButton,
    WeekdayButton,
    WhenButton,
)
from handlers.broadcasts.delivery import telegram_send
from handlers.kit import texts as kit_texts
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_COMMAND, STAY, Draft, Step, conversation, reask
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import (
    View,
    answer_quietly,
    edit_or_reply,
    edit_view,
    escape,
    inline_keyboard,
    reply,
    send_view,
)

# The values are stored by the conversation's persistence: keep them when adding states.
COMPOSE, AUDIENCE, DISTRICT, DEPARTMENT, WHEN, AT_TIME, DAILY_TIME, WEEKDAY, WEEKLY_TIME, CONFIRM = range(10)
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


class BroadcastDraft(TypedDict, total=False):
    text: str  # checked HTML
    photo: str | None  # a photo's file id
    audience: str  # an AudienceKind value
    param: str | None  # the topic, district or department
    districts: list[str]  # the choices offered, by index
    departments: list[str]
    schedule: str  # a ScheduleKind value
    send_at: str  # ISO time (AT)
    send_time: str  # "HH:MM" (DAILY, WEEKLY)
    weekday: int  # 0 = Monday (WEEKLY)


def _new_draft() -> BroadcastDraft:
    return {}


DRAFT = Draft("broadcast_draft", _new_draft)


def _typed(update: Update) -> str:
    message = update.effective_message
    return (message.text or "") if message is not None else ""


def _message_html(update: Update) -> tuple[str, str | None]:
    """(HTML text, photo file id) of a composed message; client formatting becomes HTML too."""
    message = update.effective_message
    assert message is not None
    if message.photo:
        caption = message.caption or ""
        if any(e.type in FORMATTING for e in message.caption_entities or ()):
            caption = message.caption_html or ""
        return caption, message.photo[-1].file_id
    text = message.text or ""
    if any(e.type in FORMATTING for e in message.entities or ()):
        return message.text_html, None
    return text, None


def _schedule_text(draft: BroadcastDraft, context: BotContext) -> str:
    send_at = datetime.fromisoformat(draft["send_at"]) if draft.get("send_at") else None
    return views.describe_schedule(
        ScheduleKind(draft["schedule"]),
        send_at,
        draft.get("send_time"),
        draft.get("weekday"),
        context.settings.tz,
    )


async def _ask_when(update: Update, context: BotContext) -> int:
    draft = DRAFT.get(context)
    kind, param = AudienceKind(draft["audience"]), draft.get("param")
    async with context.transaction(read_only=True) as session:
        count = await service.audience_size(session, kind, param)
    await edit_view(update, views.when_choice(views.describe_audience(kind, param), count))
    return WHEN


async def _preview(update: Update, context: BotContext) -> int:
    """Send the notice to the staff member exactly as recipients get it, then ask to confirm."""
    draft = DRAFT.get(context)
    chat = update.effective_chat
    assert chat is not None
    kind, param = AudienceKind(draft["audience"]), draft.get("param")
    async with context.transaction(read_only=True) as session:
        count = await service.audience_size(session, kind, param)
    await reply(update, texts.PREVIEW_HEADER)
    try:
        await telegram_send(context.bot)(Outgoing(0, 0, chat.id, draft["text"], draft.get("photo")))
    except (RejectedSendError, TransientSendError, RetryLater, Unreachable) as error:
        await reply(update, texts.PREVIEW_FAILED.format(error=escape(error)))
        await reply(update, texts.COMPOSE)
        return COMPOSE
    prompt = views.confirm_prompt(views.describe_audience(kind, param), count, _schedule_text(draft, context))
    await send_view(update, prompt)
    return CONFIRM


# ---------------------------------------------------------------- steps
@campaign_staff_only
async def start(update: Update, context: BotContext) -> int:
    """/broadcast: a new draft."""
    DRAFT.start(context)
    await reply(update, texts.COMPOSE)
    return COMPOSE


@campaign_staff_only
async def compose(update: Update, context: BotContext) -> int:
    """COMPOSE: the text (HTML checked now) or a photo with a caption."""
    text, photo = _message_html(update)
    text = service.validate_html(text, caption=photo is not None)
    draft = DRAFT.get(context)
    draft["text"], draft["photo"] = text, photo
    await send_view(update, View(texts.CHOOSE_AUDIENCE, inline_keyboard(views.audience_keyboard())))
    return AUDIENCE


@campaign_staff_only
async def topic_chosen(update: Update, context: BotContext, press: TopicAudienceButton) -> int:
    """AUDIENCE: a topic's subscribers."""
    draft = DRAFT.get(context)
    draft["audience"], draft["param"] = AudienceKind.TOPIC.value, press.topic.value
    return await _ask_when(update, context)


@campaign_staff_only
async def audience_chosen(update: Update, context: BotContext, press: AudienceButton) -> int | None:
    """AUDIENCE: volunteers and staff directly; a district or a department asks which."""
    draft = DRAFT.get(context)
    kind = AudienceKind(press.kind)
    draft["audience"], draft["param"] = kind.value, None
    if kind is AudienceKind.DISTRICT:
        names = load_districts(context.settings.data_dir).names
        draft["districts"] = names
        await edit_view(update, views.district_choice(names))
        return DISTRICT
    if kind is AudienceKind.DEPARTMENT:
        async with context.transaction(read_only=True) as session:
            names = await service.departments(session)
        if not names:
            await answer_quietly(update, texts.NO_DEPARTMENTS, alert=True)
            return STAY
        draft["departments"] = names
        await edit_view(update, views.department_choice(names))
        return DEPARTMENT
    return await _ask_when(update, context)


def _chosen(names: list[str], index: int) -> str:
    if index >= len(names):  # a button of a longer list than the one offered now
        raise BroadcastError(BroadcastProblem.BAD_AUDIENCE)
    return names[index]


@campaign_staff_only
async def district_chosen(update: Update, context: BotContext, press: DistrictButton) -> int:
    """DISTRICT: one of the districts offered."""
    draft = DRAFT.get(context)
    draft["param"] = _chosen(draft.get("districts") or [], press.index)
    return await _ask_when(update, context)


@campaign_staff_only
async def department_chosen(update: Update, context: BotContext, press: DepartmentButton) -> int:
    """DEPARTMENT: one of the departments offered."""
    draft = DRAFT.get(context)
    draft["param"] = _chosen(draft.get("departments") or [], press.index)
    return await _ask_when(update, context)


@campaign_staff_only
async def when_chosen(update: Update, context: BotContext, press: WhenButton) -> int:
    """WHEN: now, at a time, daily or weekly."""
    draft = DRAFT.get(context)
    if press.choice == "now":
        draft["schedule"] = ScheduleKind.NOW.value
        await answer_quietly(update)
        return await _preview(update, context)
    if press.choice == "at":
        draft["schedule"] = ScheduleKind.AT.value
        await edit_or_reply(update, texts.ASK_DATETIME)
        return AT_TIME
    if press.choice == "daily":
        draft["schedule"] = ScheduleKind.DAILY.value
        await edit_or_reply(update, texts.ASK_TIME)
        return DAILY_TIME
    draft["schedule"] = ScheduleKind.WEEKLY.value
    await edit_view(update, views.weekday_choice())
    return WEEKDAY


@campaign_staff_only
async def at_typed(update: Update, context: BotContext) -> int:
    """AT_TIME: a date and time in the future, local time."""
    when = service.parse_datetime(_typed(update), context.settings.tz, context.clock.now())
    DRAFT.get(context)["send_at"] = when.isoformat()
    return await _preview(update, context)


@campaign_staff_only
async def time_typed(update: Update, context: BotContext) -> int:
    """DAILY_TIME, WEEKLY_TIME: HH:MM."""
    DRAFT.get(context)["send_time"] = service.parse_hhmm(_typed(update))
    return await _preview(update, context)


@campaign_staff_only
async def weekday_chosen(update: Update, context: BotContext, press: WeekdayButton) -> int:
    """WEEKDAY: which day of the week."""
    DRAFT.get(context)["weekday"] = press.day
    await edit_or_reply(update, texts.ASK_WEEK_TIME.format(weekday=texts.WEEKDAYS[press.day]))
    return WEEKLY_TIME


@campaign_staff_only
async def confirmed(update: Update, context: BotContext, press: ConfirmButton) -> int | None:
    """确认 stores and starts/schedules the notice; 放弃 drops it. A second press finds no draft."""
    draft = DRAFT.peek(context)
    if not draft or "schedule" not in draft:
        await answer_quietly(update, texts.ALREADY_DONE, alert=True)
        return END
    if press.answer == "no":
        DRAFT.drop(context)
        await edit_or_reply(update, texts.DISCARDED)
        return END
    schedule = service.Schedule(
        ScheduleKind(draft["schedule"]),
        datetime.fromisoformat(draft["send_at"]) if draft.get("send_at") else None,
        draft.get("send_time"),
        draft.get("weekday"),
    )
    actor = await context.actor(update)
    # A refusal (the time has passed meanwhile) keeps the draft: fix the time and confirm again.
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
            now=context.clock.now(),
        )
        count = await service.pending_count_for(session, broadcast.id)
    DRAFT.drop(context)
    if schedule.kind is ScheduleKind.NOW:
        text = texts.CREATED_NOW.format(id=broadcast.id, count=count)
    else:
        text = texts.CREATED_SCHEDULED.format(id=broadcast.id, when=_schedule_text(draft, context))
    await edit_or_reply(update, text)
    return END


async def stale_button(update: Update, context: BotContext) -> None:
    """A button of another step (or an older message): it expired; the wizard stays where it is."""
    await answer_quietly(update, kit_texts.BUTTON_EXPIRED, alert=True)
    return STAY


def _again(prompt: str) -> Step:
    """Input this step cannot use: its prompt again (guarded like the steps)."""
    return campaign_staff_only(reask(prompt))


def _button_step(
    *buttons: BaseHandler[Update, BotContext, Any],
) -> list[BaseHandler[Update, BotContext, Any]]:
    return [*buttons, MessageHandler(NOT_COMMAND, _again(texts.BUTTON_HINT)), _stale()]


def _text_step(step: Step, prompt: str) -> list[BaseHandler[Update, BotContext, Any]]:
    return [MessageHandler(ANSWER_TEXT, step), MessageHandler(NOT_COMMAND, _again(prompt)), _stale()]


def _stale() -> BaseHandler[Update, BotContext, Any]:
    return CallbackQueryHandler(stale_button, pattern=WIZARD_BUTTON)


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        conversation(
            "broadcast",
            entry_points=[CommandHandler("broadcast", start)],
            states={
                COMPOSE: [
                    MessageHandler(ANSWER_TEXT | filters.PHOTO, compose),
                    MessageHandler(NOT_COMMAND, _again(texts.COMPOSE_AGAIN)),
                    _stale(),
                ],
                AUDIENCE: _button_step(
                    TopicAudienceButton.handler(topic_chosen), AudienceButton.handler(audience_chosen)
                ),
                DISTRICT: _button_step(DistrictButton.handler(district_chosen)),
                DEPARTMENT: _button_step(DepartmentButton.handler(department_chosen)),
                WHEN: _button_step(WhenButton.handler(when_chosen)),
                AT_TIME: _text_step(at_typed, texts.ASK_DATETIME),
                DAILY_TIME: _text_step(time_typed, texts.ASK_TIME),
                WEEKDAY: _button_step(WeekdayButton.handler(weekday_chosen)),
                WEEKLY_TIME: _text_step(time_typed, texts.ASK_TIME),
                CONFIRM: _button_step(ConfirmButton.handler(confirmed)),
            },
            cleanup=DRAFT.drop,
        )
    ]
