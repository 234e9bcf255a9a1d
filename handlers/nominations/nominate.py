"""好人推荐: the nomination conversation, and 修改 as a sub-flow that returns to the summary.

Conversation, persistent as "nomination" (handlers.kit.conversation)::

    /nominate | 好人推荐 ─► KIND ─► NAME ─► COMMUNITY ─► STORY ─► PHOTOS (0–3, 完成)
        ─► CONTACT (跳过) ─► CONSENT ─► CONFIRM ──提交──► END
                                          │ 取消 or /cancel ──► END (the draft is dropped)
                                          └ 修改 ─► "nomination_edit": PICK ─► the chosen question
                                                     ─► back to CONFIRM with the summary

Every question is asked by its view (``PROMPTS``); what comes after an answer is the next question
in the main flow and the summary in the sub-flow, so both are built from ``question_states``.
Input of the wrong kind gets a hint and the question again; an answer a rule refuses gets the
rule's wording (a coded DomainError shown by the kit) and the question stays. A stale button of
this conversation gets the 已失效 toast and the conversation stays where it is. 提交 also writes the
campaign staff's alert to the outbox, in the submission's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import texts as common_texts
from bot.app import BotContext
from bot.models import NominationKind
from bot.outbox import notify
from bot.services import nominations as service
from bot.services import users
from handlers.kit import texts as kit_texts
from handlers.kit.callbacks import Button
from handlers.kit.conversation import (
    ANSWER_TEXT,
    END,
    NOT_COMMAND,
    STAY,
    conversation,
    menu_button,
    reask,
)
from handlers.kit.replies import View, answer_quietly, edit_view, main_menu, reply, send_view
from handlers.nominations import staff_views, texts, views
from handlers.nominations.callbacks import (
    NOMINATE_BUTTONS,
    CancelButton,
    ConsentButton,
    DraftField,
    EditButton,
    FieldButton,
    KindButton,
    PhotosDoneButton,
    SkipContactButton,
    SubmitButton,
)
from handlers.nominations.draft import DRAFT, NominationDraft
from handlers.nominations.owed import Owed

# States keep the numbers they have always had: conversations persisted before a restart resume.
KIND, NAME, COMMUNITY, STORY, PHOTOS, CONTACT, CONSENT, CONFIRM = range(8)
PICK = 10  # 修改: which field (the sub-flow's first step)
BACK = 20  # the sub-flow is done: the parent goes back to CONFIRM (map_to_parent)
QUESTIONS = (KIND, NAME, COMMUNITY, STORY, PHOTOS, CONTACT, CONSENT)
FIELD_QUESTIONS: Mapping[DraftField, int] = {
    "kind": KIND,
    "name": NAME,
    "community": COMMUNITY,
    "story": STORY,
    "photos": PHOTOS,
    "contact": CONTACT,
    "consent": CONSENT,
}
PROMPTS: Mapping[int, Callable[[NominationDraft], View]] = {
    KIND: lambda draft: views.kind_prompt(),
    NAME: lambda draft: views.name_prompt(),
    COMMUNITY: lambda draft: views.community_prompt(),
    STORY: lambda draft: views.story_prompt(),
    PHOTOS: lambda draft: views.photos_prompt(),
    CONTACT: lambda draft: views.contact_prompt(),
    CONSENT: lambda draft: views.consent_prompt(),
    CONFIRM: views.summary,
    PICK: lambda draft: views.field_picker(),
}

B = TypeVar("B", bound=Button)
Next = Callable[[Update, BotContext], Coroutine[Any, Any, int]]  # what follows an answer
Handlers = list[BaseHandler[Update, BotContext, object]]


# ---------------------------------------------------------------- asking
def ask(state: int) -> Next:
    """The question of ``state``: send it and wait there."""

    async def ask_question(update: Update, context: BotContext) -> int:
        await send_view(update, PROMPTS[state](DRAFT.get(context)))
        return state

    return ask_question


async def back_to_summary(update: Update, context: BotContext) -> int:
    """After a field is changed (the sub-flow): the summary again, and the parent waits at CONFIRM."""
    await send_view(update, views.summary(DRAFT.get(context)))
    return BACK


def ask_again(hint: str, state: int) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """Input of the wrong kind: the kit's hint, then the question again (its buttons may have scrolled
    out of sight)."""
    say_hint = reask(hint)

    async def ask_question_again(update: Update, context: BotContext) -> None:
        await say_hint(update, context)
        await send_view(update, PROMPTS[state](DRAFT.get(context)))
        return STAY

    return ask_question_again


async def stale_press(update: Update, context: BotContext) -> None:
    """A button of this conversation that is not for the current step: say so, stay."""
    await answer_quietly(update, common_texts.BUTTON_EXPIRED, alert=True)
    return STAY


def own_stale_presses() -> CallbackQueryHandler[BotContext, None]:
    """Any of this conversation's buttons (a fallback: the current step's own come first)."""
    return CallbackQueryHandler(
        stale_press, pattern=lambda data: any(kind.pattern.match(str(data)) for kind in NOMINATE_BUTTONS)
    )


# ---------------------------------------------------------------- answers
def _typed(update: Update) -> str:
    message = update.effective_message
    return (message.text if message else None) or ""


def after_text(take: Callable[[Update, BotContext], Coroutine[Any, Any, None]], then: Next) -> Next:
    async def step(update: Update, context: BotContext) -> int:
        await take(update, context)
        return await then(update, context)

    step.__doc__ = take.__doc__
    return step


def after_press(
    take: Callable[[Update, BotContext, B], Coroutine[Any, Any, None]], then: Next
) -> Callable[[Update, BotContext, B], Coroutine[Any, Any, int]]:
    async def step(update: Update, context: BotContext, press: B) -> int:
        await take(update, context, press)
        return await then(update, context)

    step.__doc__ = take.__doc__
    return step


async def take_kind(update: Update, context: BotContext, press: KindButton) -> None:
    """One of the five kinds."""
    DRAFT.get(context)["kind"] = press.kind.value


async def take_name(update: Update, context: BotContext) -> None:
    """The nominee's name."""
    DRAFT.get(context)["name"] = service.check_name(_typed(update))


async def take_community(update: Update, context: BotContext) -> None:
    """The nominee's community or workplace."""
    DRAFT.get(context)["community"] = service.check_community(_typed(update))


async def take_story(update: Update, context: BotContext) -> None:
    """The story: STORY_MIN to STORY_MAX characters."""
    DRAFT.get(context)["story"] = service.check_story(_typed(update))


async def take_photo(update: Update, context: BotContext) -> None:
    """One evidence photo (the largest size Telegram offers), refused over the size limit; stays."""
    message = update.effective_message
    assert message is not None and message.photo
    largest = message.photo[-1]
    photos = DRAFT.get(context).setdefault("photos", [])
    if len(photos) >= service.MAX_PHOTOS:
        await send_view(update, views.photo_limit())
        return STAY
    service.check_photo_size(largest.file_size)
    photos.append(largest.file_id)
    await send_view(update, views.photo_added(len(photos)))
    return STAY


async def photos_expected(update: Update, context: BotContext) -> None:
    """Anything but a photo while collecting photos."""
    await send_view(update, views.photo_expected())
    return STAY


async def take_photos_done(update: Update, context: BotContext, press: PhotosDoneButton) -> None:
    """完成: no more photos."""


async def take_contact(update: Update, context: BotContext) -> None:
    """A phone number, typed or shared as a contact."""
    message = update.effective_message
    assert message is not None
    if message.contact is not None:
        phone = service.check_phone(message.contact.phone_number)
    else:
        phone = service.check_phone(service.check_text(_typed(update), service.PHONE_TEXT_MAX))
    DRAFT.get(context)["contact"] = phone


async def take_no_contact(update: Update, context: BotContext, press: SkipContactButton) -> None:
    """跳过: no phone number."""
    DRAFT.get(context)["contact"] = None


async def take_consent(update: Update, context: BotContext, press: ConsentButton) -> None:
    """可以联系 / 暂不联系."""
    DRAFT.get(context)["may_contact"] = press.answer == "yes"


def question_states(then: Mapping[int, Next]) -> dict[object, Handlers]:
    """The seven questions; ``then[state]`` follows an answer to the question of ``state``."""
    buttons_hint, text_hint = texts.REASK_BUTTONS, common_texts.TEXT_EXPECTED
    return {
        KIND: [
            KindButton.handler(after_press(take_kind, then[KIND])),
            MessageHandler(NOT_COMMAND, ask_again(buttons_hint, KIND)),
        ],
        NAME: [
            MessageHandler(ANSWER_TEXT, after_text(take_name, then[NAME])),
            MessageHandler(NOT_COMMAND, ask_again(text_hint, NAME)),
        ],
        COMMUNITY: [
            MessageHandler(ANSWER_TEXT, after_text(take_community, then[COMMUNITY])),
            MessageHandler(NOT_COMMAND, ask_again(text_hint, COMMUNITY)),
        ],
        STORY: [
            MessageHandler(ANSWER_TEXT, after_text(take_story, then[STORY])),
            MessageHandler(NOT_COMMAND, ask_again(text_hint, STORY)),
        ],
        PHOTOS: [
            MessageHandler(filters.PHOTO, take_photo),
            PhotosDoneButton.handler(after_press(take_photos_done, then[PHOTOS])),
            MessageHandler(NOT_COMMAND, photos_expected),
        ],
        CONTACT: [
            MessageHandler(filters.CONTACT | ANSWER_TEXT, after_text(take_contact, then[CONTACT])),
            SkipContactButton.handler(after_press(take_no_contact, then[CONTACT])),
            MessageHandler(NOT_COMMAND, ask_again(text_hint, CONTACT)),
        ],
        CONSENT: [
            ConsentButton.handler(after_press(take_consent, then[CONSENT])),
            MessageHandler(NOT_COMMAND, ask_again(buttons_hint, CONSENT)),
        ],
    }


# ---------------------------------------------------------------- start, submit, cancel
async def start_nomination(update: Update, context: BotContext) -> int:
    """/nominate or 好人推荐: a fresh draft, then the five kinds."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await users.ensure_user(session, user.id, user.full_name, user.username)
    DRAFT.start(context)
    return await ask(KIND)(update, context)


async def submit(update: Update, context: BotContext, press: SubmitButton) -> int:
    """提交: store it; a nomination of someone already nominated joins the first one."""
    user = update.effective_user
    assert user is not None
    draft = DRAFT.get(context)
    kind = draft.get("kind")
    if not (kind and draft.get("name") and draft.get("community") and draft.get("story")):
        return await ask(KIND)(update, context)  # a draft from before a restart may lack a field
    async with context.transaction() as session:
        submission = await service.submit_nomination(
            session,
            user.id,
            kind=NominationKind(kind),
            nominee_name=draft["name"],
            community=draft["community"],
            story=draft["story"],
            photos=draft.get("photos", []),
            contact=draft.get("contact"),
            may_contact=bool(draft.get("may_contact")),
            now=context.clock.now(),
            tz=context.settings.tz,
        )
        alert = staff_views.new_nomination_alert(submission)
        await notify.staff(session, context.settings, alert, kind=Owed.NEW)
    DRAFT.drop(context)
    await edit_view(update, View(views.submitted_text(submission)))
    return END


async def cancel_nomination(update: Update, context: BotContext) -> int:
    """/cancel or 取消: drop the draft."""
    DRAFT.drop(context)
    await reply(update, texts.CANCELLED, reply_markup=main_menu())
    return END


async def cancel_pressed(update: Update, context: BotContext, press: CancelButton) -> int:
    return await cancel_nomination(update, context)


# ---------------------------------------------------------------- 修改: the sub-flow
async def edit_pressed(update: Update, context: BotContext, press: EditButton) -> int:
    """修改: which field?"""
    return await ask(PICK)(update, context)


async def field_picked(update: Update, context: BotContext, press: FieldButton) -> int:
    """A field to change: its question (photos start again from none)."""
    state = FIELD_QUESTIONS[press.field]
    if state == PHOTOS:
        DRAFT.get(context)["photos"] = []
    return await ask(state)(update, context)


def edit_conversation() -> BaseHandler[Update, BotContext, object]:
    return conversation(
        "nomination_edit",
        entry_points=[EditButton.handler(edit_pressed)],
        states={
            PICK: [
                FieldButton.handler(field_picked),
                MessageHandler(NOT_COMMAND, ask_again(texts.REASK_BUTTONS, PICK)),
            ],
            **question_states(dict.fromkeys(QUESTIONS, back_to_summary)),
        },
        fallbacks=[CommandHandler("cancel", cancel_nomination), own_stale_presses()],
        map_to_parent={BACK: CONFIRM, END: END},  # /cancel in the sub-flow ends the nomination
    )


# ---------------------------------------------------------------- the conversation
def handlers() -> Handlers:
    following = (*QUESTIONS[1:], CONFIRM)
    next_questions = {state: ask(after) for state, after in zip(QUESTIONS, following, strict=True)}
    return [
        conversation(
            "nomination",
            entry_points=[
                CommandHandler("nominate", start_nomination),
                MessageHandler(menu_button(kit_texts.MENU_NOMINATE), start_nomination),
            ],
            states={
                **question_states(next_questions),
                CONFIRM: [
                    edit_conversation(),  # first: while a field is being changed, it takes the input
                    SubmitButton.handler(submit),
                    CancelButton.handler(cancel_pressed),
                    MessageHandler(NOT_COMMAND, ask_again(texts.REASK_BUTTONS, CONFIRM)),
                ],
            },
            fallbacks=[CommandHandler("cancel", cancel_nomination), own_stale_presses()],
        )
    ]
