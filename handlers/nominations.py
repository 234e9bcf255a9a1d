"""好人推荐: the nomination conversation, /mynominations, staff review, /vote, /honors.

Conversation (persistent, name "nomination")::

    KIND ─► NAME ─► COMMUNITY ─► STORY ─► PHOTOS (0–3, 完成) ─► CONTACT (跳过) ─► CONSENT ─► CONFIRM
                                                                                        │ 修改
    (after 修改 → EDIT_PICK → the chosen step → back to CONFIRM)  ◄─────────────────────┘
"""

from __future__ import annotations

import contextlib
import functools
import re
import warnings
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import texts
from bot.app import BotApplication, BotContext
from bot.models import AudienceKind, NominationKind, NominationStatus, ScheduleKind, Topic, VotingRound
from bot.models.nominations import Nomination
from bot.services import DomainError, broadcasts, users
from bot.services import nominations as service
from bot.services.nominations import Notice, StatusChange
from bot.services.personal_data import PersonalData
from bot.services.reports import nominations as nominations_report
from bot.services.users import Actor
from bot.timeutil import format_local
from handlers.base import (
    Audience,
    Command,
    answer_quietly,
    campaign_staff_only,
    domain_errors,
    edit_or_reply,
    escape,
    inline_keyboard,
    main_menu,
    reply,
    show_domain_error,
    text_of,
)
from handlers.kit import notify as kit_notify
from handlers.kit import texts as kit_texts
from handlers.kit.feature import Feature

COMMANDS = [
    *(Command(n, texts.NOM_COMMANDS[n]) for n in ("nominate", "mynominations", "vote", "honors")),
    *(
        Command(n, texts.NOM_COMMANDS[n], Audience.CAMPAIGN_STAFF)
        for n in ("nominations", "openround", "closeround", "votestats", "voidvotes", "publishhonors")
    ),
]

KIND, NAME, COMMUNITY, STORY, PHOTOS, CONTACT, CONSENT, CONFIRM, EDIT_PICK = range(9)
SUPPLEMENT_TEXT = 20
REVIEW_REASON = 30

DRAFT = "nom_draft"
MENU_TEXTS = {label for row in kit_texts.MENU_ROWS for label in row}
Step = Callable[[Update, BotContext], Coroutine[Any, Any, int]]


def _draft(context: BotContext) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault(DRAFT, {"photos": []})
    return draft


def _kind_buttons() -> InlineKeyboardMarkup:
    names = [(texts.NOMINATION_KIND_NAMES[k.value], f"nom:kind:{k.value}") for k in NominationKind]
    return inline_keyboard([names[:2], names[2:4], names[4:]])


def _summary(draft: dict[str, Any]) -> str:
    kind = draft.get("kind")
    return texts.NOM_SUMMARY.format(
        kind=texts.NOMINATION_KIND_NAMES.get(kind or "", texts.NOM_NONE),
        name=escape(draft.get("name", "")),
        community=escape(draft.get("community", "")),
        story=escape(draft.get("story", "")),
        photos=len(draft.get("photos", [])),
        contact=escape(draft.get("contact") or texts.NOM_NONE),
        may_contact=texts.NOM_YES if draft.get("may_contact") else texts.NOM_NO,
    )


async def _ask(update: Update, context: BotContext, state: int) -> int:
    """Send the prompt of a state (also how every catch-all re-asks) and stay there."""
    draft = _draft(context)
    if state == KIND:
        await reply(update, texts.NOM_START, reply_markup=_kind_buttons())
    elif state == NAME:
        await reply(update, texts.NOM_ASK_NAME)
    elif state == COMMUNITY:
        await reply(update, texts.NOM_ASK_COMMUNITY)
    elif state == STORY:
        await reply(update, texts.NOM_ASK_STORY.format(min=service.STORY_MIN, max=service.STORY_MAX))
    elif state == PHOTOS:
        await reply(
            update,
            texts.NOM_ASK_PHOTOS.format(max=service.MAX_PHOTOS),
            reply_markup=inline_keyboard([[(texts.NOM_PHOTOS_DONE, "nom:photos_done")]]),
        )
    elif state == CONTACT:
        await reply(
            update, texts.NOM_ASK_CONTACT, reply_markup=inline_keyboard([[(texts.NOM_SKIP, "nom:skip")]])
        )
    elif state == CONSENT:
        await reply(
            update,
            texts.NOM_ASK_CONSENT,
            reply_markup=inline_keyboard(
                [[(texts.NOM_CONSENT_YES, "nom:consent:yes"), (texts.NOM_CONSENT_NO, "nom:consent:no")]]
            ),
        )
    elif state == CONFIRM:
        await reply(
            update,
            _summary(draft),
            reply_markup=inline_keyboard(
                [
                    [
                        (texts.NOM_SUBMIT, "nom:submit"),
                        (texts.NOM_EDIT, "nom:edit"),
                        (texts.NOM_CANCEL, "nom:cancel"),
                    ]
                ]
            ),
        )
    elif state == EDIT_PICK:
        fields = [(label, f"nom:field:{key}") for key, label in texts.NOM_FIELD_NAMES.items()]
        await reply(update, texts.NOM_EDIT_WHICH, reply_markup=inline_keyboard([fields[:3], fields[3:]]))
    return state


async def _advance(update: Update, context: BotContext, next_state: int) -> int:
    """Go to the next step, or straight back to the summary when the user was fixing one field."""
    draft = _draft(context)
    if draft.pop("editing", False):
        return await _ask(update, context, CONFIRM)
    return await _ask(update, context, next_state)


def _stays_on_error(state: int) -> Callable[[Step], Step]:
    """A rejected input gets its Chinese explanation; the conversation stays where it was."""

    def decorator(step: Step) -> Step:
        @functools.wraps(step)
        async def wrapper(update: Update, context: BotContext) -> int:
            try:
                return await step(update, context)
            except DomainError as error:
                await show_domain_error(update, error)
                return state

        return wrapper

    return decorator


# ------------------------------------------------------------------ the nomination conversation
async def start_nomination(update: Update, context: BotContext) -> int:
    """/nominate or 好人推荐: a fresh draft, then the five kinds."""
    user = update.effective_user
    assert user is not None and context.user_data is not None
    async with context.transaction() as session:
        await users.ensure_user(session, user.id, user.full_name, user.username)
    context.user_data[DRAFT] = {"photos": []}
    return await _ask(update, context, KIND)


@_stays_on_error(KIND)
async def kind_chosen(update: Update, context: BotContext) -> int:
    """One of the five kind buttons."""
    value = (update.callback_query.data or "") if update.callback_query else ""
    try:
        kind = NominationKind(value.removeprefix("nom:kind:"))
    except ValueError:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return await _ask(update, context, KIND)
    await answer_quietly(update)
    _draft(context)["kind"] = kind.value
    return await _advance(update, context, NAME)


@_stays_on_error(NAME)
async def name_received(update: Update, context: BotContext) -> int:
    """The nominee's name."""
    name = text_of(update, limit=service.NAME_MAX)
    if not service.normalise(name):
        return await _ask(update, context, NAME)
    _draft(context)["name"] = name
    return await _advance(update, context, COMMUNITY)


@_stays_on_error(COMMUNITY)
async def community_received(update: Update, context: BotContext) -> int:
    """The nominee's community or workplace."""
    community = text_of(update, limit=service.COMMUNITY_MAX)
    if not service.normalise(community):
        return await _ask(update, context, COMMUNITY)
    _draft(context)["community"] = community
    return await _advance(update, context, STORY)


@_stays_on_error(STORY)
async def story_received(update: Update, context: BotContext) -> int:
    """The story: at least STORY_MIN, at most STORY_MAX characters."""
    story = service.check_story(text_of(update, limit=100_000))
    _draft(context)["story"] = story
    return await _advance(update, context, PHOTOS)


@_stays_on_error(PHOTOS)
async def photo_received(update: Update, context: BotContext) -> int:
    """One evidence photo (the largest size Telegram offers), refused over the size limit."""
    message = update.effective_message
    assert message is not None and message.photo
    largest = message.photo[-1]
    draft = _draft(context)
    photos: list[str] = draft.setdefault("photos", [])
    if len(photos) >= service.MAX_PHOTOS:
        await reply(
            update,
            texts.NOM_PHOTO_LIMIT.format(max=service.MAX_PHOTOS),
            reply_markup=inline_keyboard([[(texts.NOM_PHOTOS_DONE, "nom:photos_done")]]),
        )
        return PHOTOS
    service.check_photo_size(largest.file_size)
    photos.append(largest.file_id)
    await reply(
        update,
        texts.NOM_PHOTO_ADDED.format(count=len(photos), left=service.MAX_PHOTOS - len(photos)),
        reply_markup=inline_keyboard([[(texts.NOM_PHOTOS_DONE, "nom:photos_done")]]),
    )
    return PHOTOS


async def photos_done(update: Update, context: BotContext) -> int:
    """完成: on to the contact step."""
    await answer_quietly(update)
    return await _advance(update, context, CONTACT)


async def photos_reask(update: Update, context: BotContext) -> int:
    """Anything but a photo while collecting photos."""
    await reply(
        update,
        texts.NOM_PHOTO_EXPECTED,
        reply_markup=inline_keyboard([[(texts.NOM_PHOTOS_DONE, "nom:photos_done")]]),
    )
    return PHOTOS


@_stays_on_error(CONTACT)
async def contact_received(update: Update, context: BotContext) -> int:
    """A phone number, typed or shared as a contact."""
    message = update.effective_message
    assert message is not None
    raw = message.contact.phone_number if message.contact else text_of(update, limit=32)
    _draft(context)["contact"] = service.check_phone(raw)
    return await _advance(update, context, CONSENT)


async def contact_skipped(update: Update, context: BotContext) -> int:
    """跳过: no contact."""
    await answer_quietly(update)
    _draft(context)["contact"] = None
    return await _advance(update, context, CONSENT)


async def consent_given(update: Update, context: BotContext) -> int:
    """可以联系 / 暂不联系."""
    await answer_quietly(update)
    data = update.callback_query.data if update.callback_query else ""
    _draft(context)["may_contact"] = data == "nom:consent:yes"
    _draft(context).pop("editing", None)
    return await _ask(update, context, CONFIRM)


async def edit_requested(update: Update, context: BotContext) -> int:
    """修改: which field?"""
    await answer_quietly(update)
    return await _ask(update, context, EDIT_PICK)


FIELD_STATES = {
    "kind": KIND,
    "name": NAME,
    "community": COMMUNITY,
    "story": STORY,
    "photos": PHOTOS,
    "contact": CONTACT,
    "consent": CONSENT,
}


async def field_picked(update: Update, context: BotContext) -> int:
    """A field to fix; after it, straight back to the summary."""
    await answer_quietly(update)
    key = (update.callback_query.data or "") if update.callback_query else ""
    state = FIELD_STATES.get(key.removeprefix("nom:field:"))
    if state is None:
        return await _ask(update, context, EDIT_PICK)
    draft = _draft(context)
    draft["editing"] = True
    if state == PHOTOS:
        draft["photos"] = []
    return await _ask(update, context, state)


@_stays_on_error(CONFIRM)
async def submit(update: Update, context: BotContext) -> int:
    """提交: store it; a nomination of someone already nominated joins the first one."""
    user = update.effective_user
    assert user is not None and context.user_data is not None
    draft = _draft(context)
    if not all(draft.get(k) for k in ("kind", "name", "community", "story")):
        return await _ask(update, context, KIND)
    async with context.transaction() as session:
        result = await service.submit_nomination(
            session,
            user.id,
            kind=NominationKind(draft["kind"]),
            nominee_name=draft["name"],
            community=draft["community"],
            story=draft["story"],
            photos=draft.get("photos", []),
            contact=draft.get("contact"),
            may_contact=bool(draft.get("may_contact")),
            tz=context.settings.tz,
        )
    context.user_data.pop(DRAFT, None)
    nomination = result.nomination
    await answer_quietly(update)
    if result.parent is not None:
        text = texts.NOM_JOINED.format(
            number=nomination.number,
            name=escape(result.parent.nominee_name),
            community=escape(result.parent.community),
            parent=result.parent.number,
        )
    else:
        text = texts.NOM_SUBMITTED.format(number=nomination.number)
    await edit_or_reply(update, text)
    return ConversationHandler.END


async def cancel_nomination(update: Update, context: BotContext) -> int:
    """/cancel or 取消: drop the draft."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    await answer_quietly(update)
    await reply(update, texts.NOM_CANCELLED, reply_markup=main_menu())
    return ConversationHandler.END


def _reask(state: int) -> Step:
    async def reask(update: Update, context: BotContext) -> int:
        """Anything unexpected in this state: explain, then ask again."""
        message = update.effective_message
        if update.callback_query is not None:
            await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
            return state
        if state in (KIND, CONSENT, CONFIRM, EDIT_PICK):
            await reply(update, texts.NOM_REASK_BUTTONS)
        elif message is not None and message.text is None:
            await reply(update, texts.TEXT_EXPECTED)
        return await _ask(update, context, state)

    return reask


def _nomination_conversation() -> ConversationHandler[BotContext]:
    # Main-menu labels are never taken as a name or a story (the catch-all explains instead).
    text = filters.TEXT & ~filters.COMMAND & ~filters.Text(sorted(MENU_TEXTS))
    states: dict[object, list[Any]] = {
        KIND: [CallbackQueryHandler(kind_chosen, pattern=r"^nom:kind:")],
        NAME: [MessageHandler(text, name_received)],
        COMMUNITY: [MessageHandler(text, community_received)],
        STORY: [MessageHandler(text, story_received)],
        PHOTOS: [
            MessageHandler(filters.PHOTO, photo_received),
            CallbackQueryHandler(photos_done, pattern=r"^nom:photos_done$"),
            MessageHandler(~filters.COMMAND, photos_reask),
        ],
        CONTACT: [
            MessageHandler(filters.CONTACT | text, contact_received),
            CallbackQueryHandler(contact_skipped, pattern=r"^nom:skip$"),
        ],
        CONSENT: [CallbackQueryHandler(consent_given, pattern=r"^nom:consent:(yes|no)$")],
        CONFIRM: [
            CallbackQueryHandler(submit, pattern=r"^nom:submit$"),
            CallbackQueryHandler(edit_requested, pattern=r"^nom:edit$"),
            CallbackQueryHandler(cancel_nomination, pattern=r"^nom:cancel$"),
        ],
        EDIT_PICK: [CallbackQueryHandler(field_picked, pattern=r"^nom:field:")],
    }
    for state, handlers in states.items():
        assert isinstance(state, int)
        handlers += [
            MessageHandler(~filters.COMMAND, _reask(state)),
            CallbackQueryHandler(_reask(state), pattern=r"^nom:"),
        ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)  # buttons are tracked per chat, on purpose
        return ConversationHandler(
            entry_points=[
                CommandHandler("nominate", start_nomination),
                MessageHandler(filters.Text([kit_texts.MENU_NOMINATE]), start_nomination),
            ],
            states=states,
            fallbacks=[
                CommandHandler("cancel", cancel_nomination),
                CommandHandler("nominate", start_nomination),
            ],
            name="nomination",
            persistent=True,
            allow_reentry=True,
        )


# ------------------------------------------------------------------ following one's nominations
async def my_nominations(update: Update, context: BotContext) -> None:
    """/mynominations: each nomination with its status; 补充材料 buttons where staff asked."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        rows = await service.my_nominations(session, user.id)
    if not rows:
        await reply(update, texts.NOM_MINE_EMPTY, reply_markup=main_menu())
        return
    lines = [texts.NOM_MINE_HEADER]
    buttons = []
    for nomination, parent in rows[:30]:
        kind = service.kind_name(nomination.kind)
        if parent is not None:
            lines.append(
                texts.NOM_MINE_JOINED.format(
                    number=nomination.number,
                    name=escape(nomination.nominee_name),
                    kind=kind,
                    parent=parent.number,
                    status=service.status_name(parent.status),
                )
            )
            continue
        lines.append(
            texts.NOM_MINE_LINE.format(
                number=nomination.number,
                name=escape(nomination.nominee_name),
                kind=kind,
                status=service.status_name(nomination.status),
            )
        )
        if nomination.status_reason:
            lines.append(texts.NOM_MINE_REASON.format(reason=escape(nomination.status_reason)))
        if nomination.status is NominationStatus.NEEDS_MORE_INFO:
            buttons.append(
                [(texts.NOM_SUPPLEMENT_BUTTON.format(number=nomination.number), f"nomsup:{nomination.id}")]
            )
    await reply(update, "\n".join(lines), reply_markup=inline_keyboard(buttons) if buttons else None)


async def supplement_start(update: Update, context: BotContext) -> int:
    """补充材料 button: which nomination, then ask for the text."""
    user = update.effective_user
    assert user is not None and context.user_data is not None
    try:
        nomination_id = int(
            ((update.callback_query.data or "") if update.callback_query else "").split(":")[1]
        )
    except (IndexError, ValueError):
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return ConversationHandler.END
    async with context.transaction() as session:
        nomination = await session.get(Nomination, nomination_id)
    if (
        nomination is None
        or nomination.nominator_id != user.id
        or nomination.status is not NominationStatus.NEEDS_MORE_INFO
    ):
        await answer_quietly(update, texts.NOM_NOT_YOURS, alert=True)
        return ConversationHandler.END
    context.user_data["nom_supplement"] = nomination_id
    await answer_quietly(update)
    await reply(update, texts.NOM_ASK_SUPPLEMENT.format(number=nomination.number, max=service.SUPPLEMENT_MAX))
    return SUPPLEMENT_TEXT


@_stays_on_error(SUPPLEMENT_TEXT)
async def supplement_received(update: Update, context: BotContext) -> int:
    """The added material: the nomination goes back to review."""
    user = update.effective_user
    assert user is not None and context.user_data is not None
    addition = text_of(update, limit=service.SUPPLEMENT_MAX)
    nomination_id = int(context.user_data.get("nom_supplement", 0))
    async with context.transaction() as session:
        change = await service.supplement(session, user.id, nomination_id, addition)
    context.user_data.pop("nom_supplement", None)
    await reply(
        update, texts.NOM_SUPPLEMENTED.format(number=change.nomination.number), reply_markup=main_menu()
    )
    await notify(context, [n for n in change.notices if n.user_id != user.id])
    return ConversationHandler.END


async def supplement_reask(update: Update, context: BotContext) -> int:
    """Not text: ask again."""
    await reply(update, texts.TEXT_EXPECTED)
    return SUPPLEMENT_TEXT


async def cancel_small(update: Update, context: BotContext) -> int:
    """/cancel inside a one-question conversation."""
    if context.user_data is not None:
        context.user_data.pop("nom_supplement", None)
        context.user_data.pop("nom_review", None)
    await reply(update, texts.CANCELLED, reply_markup=main_menu())
    return ConversationHandler.END


# ------------------------------------------------------------------ notifications
def _notice_text(notice: Notice) -> str:
    status = service.status_name(notice.status)
    if notice.via_parent:
        text = texts.NOM_STATUS_VIA_PARENT.format(
            name=escape(notice.nominee_name), number=notice.number, parent=notice.via_parent, status=status
        )
    else:
        text = texts.NOM_STATUS_CHANGED.format(
            name=escape(notice.nominee_name), number=notice.number, status=status
        )
    if notice.reason:
        text += texts.NOM_STATUS_REASON.format(reason=escape(notice.reason))
    return text


async def notify(via: kit_notify.Messenger, notices: list[Notice]) -> None:
    """Tell nominators of a status change (``handlers.kit.notify``)."""
    for notice in notices:
        await kit_notify.tell(via, kit_notify.Person(notice.user_id), _notice_text(notice))


async def announce_publication(session: AsyncSession, actor: Actor, publication: service.Publication) -> int:
    """Queue the new roll's announcement to 好人榜 subscribers through the broadcast engine.

    Returns the audience size. Delivery is rate-limited, crash-safe and skips users who opted out or
    blocked the bot, like every other notice; it is listed in /broadcasts.
    """
    names = "、".join(escape(n.nominee_name) for n in publication.nominations)
    text = texts.NOM_ANNOUNCEMENT.format(month=publication.month, names=names)
    notice = await broadcasts.create(
        session,
        actor,
        text=text,
        photo_file_id=None,
        audience_kind=AudienceKind.TOPIC,
        audience_param=Topic.HONORS.value,
        schedule=broadcasts.Schedule(ScheduleKind.NOW),
    )
    return await broadcasts.pending_count_for(session, notice.id)


# ------------------------------------------------------------------ staff review
STATUS_BY_LABEL = {label: NominationStatus(value) for value, label in texts.NOMINATION_STATUS_NAMES.items()}
STATUS_BY_LABEL.update({s.value: s for s in NominationStatus})
STATUS_BY_LABEL.update({"待审核": NominationStatus.SUBMITTED, "待补充": NominationStatus.NEEDS_MORE_INFO})
KIND_BY_LABEL = {label: NominationKind(value) for value, label in texts.NOMINATION_KIND_NAMES.items()}
KIND_BY_LABEL.update({k.value: k for k in NominationKind})
QUEUE_FILTERS = [
    NominationStatus.SUBMITTED,
    NominationStatus.NEEDS_MORE_INFO,
    NominationStatus.SHORTLISTED,
    NominationStatus.APPROVED,
    NominationStatus.REJECTED,
    NominationStatus.PUBLISHED,
]


def _card_text(nomination: Nomination, supporters: int, votes: int | None) -> str:
    story = nomination.story if len(nomination.story) <= 300 else nomination.story[:300] + "…"
    text = texts.NOM_CARD.format(
        number=nomination.number,
        kind=service.kind_name(nomination.kind),
        status=service.status_name(nomination.status),
        name=escape(nomination.nominee_name),
        community=escape(nomination.community),
        story=escape(story),
        photos=len(nomination.photos or []),
        supporters=supporters,
        may_contact=texts.NOM_YES if nomination.may_contact else texts.NOM_NO,
        contact=service.mask_phone(nomination.nominator_contact),
    )
    if votes is not None:
        text += texts.NOM_CARD_VOTES.format(votes=votes)
    if nomination.status_reason:
        text += texts.NOM_CARD_REASON.format(reason=escape(nomination.status_reason))
    return text


def _card_buttons(nomination: Nomination) -> InlineKeyboardMarkup | None:
    n = nomination.id
    material = (texts.NOM_BTN_MATERIAL, f"nommat:{n}")
    if nomination.status in (NominationStatus.SUBMITTED, NominationStatus.NEEDS_MORE_INFO):
        rows = [
            [
                (texts.NOM_BTN_SHORTLIST, f"nomrev:shortlist:{n}"),
                (texts.NOM_BTN_REJECT, f"nomrev:reject:{n}"),
                (texts.NOM_BTN_MORE_INFO, f"nomrev:more:{n}"),
            ],
            [material],
        ]
    elif nomination.status is NominationStatus.SHORTLISTED:
        rows = [
            [(texts.NOM_BTN_APPROVE, f"nomrev:approve:{n}"), (texts.NOM_BTN_REJECT, f"nomrev:reject:{n}")],
            [material],
        ]
    else:
        rows = [[material]]
    return inline_keyboard(rows)


@campaign_staff_only
@domain_errors
async def material_button(update: Update, context: BotContext) -> None:
    """材料: the photos and the supporting nominations behind a card."""
    parts = callback_parts(update)
    if not parts or not parts[0].isdigit():
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    actor = await context.actor(update)
    async with context.transaction() as session:
        nomination, supporters = await service.review_material(session, actor, int(parts[0]))
    chat = update.effective_chat
    assert chat is not None
    await answer_quietly(update)
    photos = [(nomination.number, p) for p in nomination.photos or []]
    photos += [(s.number, p) for s in supporters for p in s.photos or []]
    await reply(
        update,
        texts.NOM_MATERIAL_HEADER.format(
            number=nomination.number, photos=len(photos), supporters=len(supporters)
        ),
    )
    for supporter in supporters:
        await reply(
            update,
            texts.NOM_MATERIAL_SUPPORTER.format(
                number=supporter.number,
                contact=service.mask_phone(supporter.nominator_contact),
                story=escape(supporter.story),
            ),
        )
    for index, (number, file_id) in enumerate(photos, start=1):
        with contextlib.suppress(TelegramError):  # a photo Telegram no longer has must not stop the rest
            await context.bot.send_photo(
                chat.id, file_id, caption=texts.NOM_MATERIAL_PHOTO.format(number=number, index=index)
            )


async def _show_queue(
    update: Update, context: BotContext, status: NominationStatus | None, kind: NominationKind | None
) -> None:
    actor = await context.actor(update)
    async with context.transaction() as session:
        page = await service.review_queue(session, actor, status=status, kind=kind)
    status_label = service.status_name(status) if status else texts.NOM_QUEUE_FILTER_ALL
    kind_label = f" · {service.kind_name(kind)}" if kind else ""
    filters_markup = inline_keyboard(
        [
            [(service.status_name(s), f"nomq:{s.value}") for s in QUEUE_FILTERS[:3]],
            [(service.status_name(s), f"nomq:{s.value}") for s in QUEUE_FILTERS[3:]],
        ]
    )
    if not page.nominations:
        await reply(
            update,
            texts.NOM_QUEUE_EMPTY.format(status=status_label, kind=kind_label),
            reply_markup=filters_markup,
        )
        return
    await reply(
        update,
        texts.NOM_QUEUE_HEADER.format(
            status=status_label, kind=kind_label, total=page.total, shown=len(page.nominations)
        ),
        reply_markup=filters_markup,
    )
    for nomination in page.nominations:
        votes = (
            page.votes.get(nomination.id, 0) if nomination.status is NominationStatus.SHORTLISTED else None
        )
        await reply(
            update,
            _card_text(nomination, page.supporters.get(nomination.id, 0), votes),
            reply_markup=_card_buttons(nomination),
        )


@campaign_staff_only
@domain_errors
async def nominations_queue(update: Update, context: BotContext) -> None:
    """/nominations [状态] [类别]: the review queue (待审核 by default)."""
    status: NominationStatus | None = NominationStatus.SUBMITTED
    kind: NominationKind | None = None
    for arg in context.args or []:
        if arg in STATUS_BY_LABEL:
            status = STATUS_BY_LABEL[arg]
        elif arg in KIND_BY_LABEL:
            kind = KIND_BY_LABEL[arg]
        elif arg == texts.NOM_QUEUE_FILTER_ALL:
            status = None
        else:
            await reply(update, texts.NOM_QUEUE_USAGE)
            return
    await _show_queue(update, context, status, kind)


@campaign_staff_only
@domain_errors
async def queue_filter(update: Update, context: BotContext) -> None:
    """A status filter button under the queue header."""
    value = (update.callback_query.data or "") if update.callback_query else ""
    status = STATUS_BY_LABEL.get(value.removeprefix("nomq:"))
    if status is None:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    await answer_quietly(update)
    await _show_queue(update, context, status, None)


async def _apply(
    update: Update, context: BotContext, nomination_id: int, target: NominationStatus, reason: str | None
) -> tuple[StatusChange, str]:
    """Apply a staff decision, tell the nominator(s); returns the change and the redrawn card."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        change = await service.change_status(session, actor, nomination_id, target, reason)
        supporters = await service.supporter_count(session, nomination_id)
    await notify(context, change.notices)
    if context.user_data is not None:
        context.user_data.pop("nom_review", None)
    return change, _card_text(change.nomination, supporters, None)


REVIEW_TARGETS = {"shortlist": NominationStatus.SHORTLISTED, "approve": NominationStatus.APPROVED}


@campaign_staff_only
@domain_errors
async def review_button(update: Update, context: BotContext) -> None:
    """入围 / 审定 on a card: applied at once; the card is redrawn with the new status."""
    action, raw_id = [*callback_parts(update), "", ""][:2]
    target = REVIEW_TARGETS.get(action)
    if target is None or not raw_id.isdigit():
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    change, card = await _apply(update, context, int(raw_id), target, None)
    await answer_quietly(
        update,
        texts.NOM_TOAST_DONE.format(number=change.nomination.number, status=service.status_name(target)),
    )
    await edit_or_reply(update, card, reply_markup=_card_buttons(change.nomination))


def callback_parts(update: Update) -> list[str]:
    data = update.callback_query.data if update.callback_query else None
    return (data or "").split(":")[1:]


@campaign_staff_only
async def review_reason_start(update: Update, context: BotContext) -> int:
    """驳回 / 退回补充: ask the staff member for the reason the nominator will read."""
    assert context.user_data is not None
    action, raw_id = [*callback_parts(update), "", ""][:2]
    if action not in ("reject", "more") or not raw_id.isdigit():
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return ConversationHandler.END
    async with context.transaction() as session:
        nomination = await session.get(Nomination, int(raw_id))
    if nomination is None:
        await answer_quietly(update, texts.NOM_NOT_FOUND, alert=True)
        return ConversationHandler.END
    target = NominationStatus.REJECTED if action == "reject" else NominationStatus.NEEDS_MORE_INFO
    if not nomination.status.can_become(target):
        await answer_quietly(
            update,
            texts.NOM_BAD_TRANSITION.format(
                current=service.status_name(nomination.status), target=service.status_name(target)
            ),
            alert=True,
        )
        return ConversationHandler.END
    context.user_data["nom_review"] = {"id": nomination.id, "target": target.value}
    await answer_quietly(update)
    prompt = texts.NOM_ASK_REJECT_REASON if action == "reject" else texts.NOM_ASK_MORE_INFO
    await reply(update, prompt.format(number=nomination.number))
    return REVIEW_REASON


@campaign_staff_only
@_stays_on_error(REVIEW_REASON)
async def review_reason_received(update: Update, context: BotContext) -> int:
    """The reason: apply the decision, tell the nominator(s)."""
    assert context.user_data is not None
    reason = text_of(update, limit=service.REASON_MAX)
    pending = context.user_data.get("nom_review") or {}
    if not pending:
        return ConversationHandler.END
    change, _ = await _apply(update, context, int(pending["id"]), NominationStatus(pending["target"]), reason)
    await reply(
        update,
        texts.NOM_REVIEW_DONE.format(number=change.nomination.number, status=service.status_name(change.new)),
    )
    return ConversationHandler.END


async def review_reason_reask(update: Update, context: BotContext) -> int:
    """Not text: ask again."""
    await reply(update, texts.TEXT_EXPECTED)
    return REVIEW_REASON


# ------------------------------------------------------------------ voting rounds (staff)
ROUND_ARGS = re.compile(
    r"^(?P<title>.+?)\s+(?P<start>\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2})\s+(?P<end>\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2})$"
)


def _parse_local(value: str, context: BotContext) -> datetime:
    return datetime.strptime(re.sub(r"\s+", " ", value), "%Y-%m-%d %H:%M").replace(tzinfo=context.settings.tz)


@campaign_staff_only
@domain_errors
async def open_round(update: Update, context: BotContext) -> None:
    """/openround 标题 开始 结束 (local time)."""
    message = update.effective_message
    raw = (message.text or "").partition(" ")[2].strip() if message else ""
    match = ROUND_ARGS.match(raw)
    if match is None:
        await reply(update, texts.NOM_ROUND_USAGE)
        return
    try:
        starts_at, ends_at = _parse_local(match["start"], context), _parse_local(match["end"], context)
    except ValueError:
        await reply(update, texts.NOM_ROUND_USAGE)
        return
    actor = await context.actor(update)
    async with context.transaction() as session:
        voting_round, count = await service.open_round(session, actor, match["title"], starts_at, ends_at)
    await reply(
        update,
        texts.NOM_ROUND_OPENED.format(
            title=escape(voting_round.title),
            start=format_local(voting_round.starts_at, context.settings.tz),
            end=format_local(voting_round.ends_at, context.settings.tz),
            count=count,
        ),
    )


@campaign_staff_only
@domain_errors
async def close_round(update: Update, context: BotContext) -> None:
    """/closeround: end the current round now and show the tally."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        voting_round, results = await service.close_round(session, actor)
    lines = [
        texts.NOM_ROUND_RESULT_LINE.format(number=n.number, name=escape(n.nominee_name), votes=v)
        for n, v in results
    ]
    await reply(
        update,
        texts.NOM_ROUND_CLOSED.format(title=escape(voting_round.title), results="\n".join(lines) or "—"),
    )


@campaign_staff_only
@domain_errors
async def vote_stats(update: Update, context: BotContext) -> None:
    """/votestats [轮次]: votes per hour per nominee, and accounts that look fake."""
    args = context.args or []
    round_id = int(args[0]) if args and args[0].isdigit() else None
    actor = await context.actor(update)
    async with context.transaction() as session:
        stats = await service.vote_stats(session, actor, round_id, tz=context.settings.tz)
    lines = [
        texts.NOM_STATS_HEADER.format(
            title=escape(stats.voting_round.title), valid=stats.valid, voided=stats.voided
        )
    ]
    for timeline in stats.nominees:
        hours = "，".join(f"{label} {count}" for label, count in timeline.per_hour[-12:])
        lines.append(
            texts.NOM_STATS_NOMINEE.format(
                number=timeline.nomination.number,
                name=escape(timeline.nomination.nominee_name),
                votes=timeline.votes,
                hours=hours,
            )
        )
    if stats.suspects:
        lines += ["", texts.NOM_STATS_SUSPECTS.format(count=len(stats.suspects))]
        for suspect in stats.suspects[:30]:
            reasons = []
            if suspect.new_account:
                reasons.append(texts.NOM_STATS_NEW_ACCOUNT.format(hours=service.NEW_ACCOUNT_HOURS))
            if suspect.burst:
                reasons.append(
                    texts.NOM_STATS_BURST.format(seconds=service.BURST_SECONDS, votes=suspect.burst)
                )
            lines.append(
                texts.NOM_STATS_SUSPECT_LINE.format(
                    voter=suspect.voter_id, votes=suspect.votes, reasons="；".join(reasons)
                )
            )
    else:
        lines += ["", texts.NOM_STATS_NO_SUSPECTS]
    lines.append(texts.NOM_STATS_VOID_HINT.format(round_id=stats.voting_round.id))
    await reply(update, "\n".join(lines)[:4000])


@campaign_staff_only
@domain_errors
async def void_votes(update: Update, context: BotContext) -> None:
    """/voidvotes 轮次 账号…: void every vote of those accounts in that round."""
    args = context.args or []
    if len(args) < 2 or not all(a.isdigit() for a in args):
        await reply(update, texts.NOM_VOID_USAGE)
        return
    round_id, voters = int(args[0]), [int(a) for a in args[1:]]
    actor = await context.actor(update)
    async with context.transaction() as session:
        count = await service.void_votes(session, actor, round_id, voters)
    await reply(update, texts.NOM_VOIDED.format(count=count, voters="、".join(map(str, voters))))


@campaign_staff_only
@domain_errors
async def publish_honors(update: Update, context: BotContext) -> None:
    """/publishhonors: approved nominees onto this month's 好人榜; nominators and subscribers told."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        publication = await service.publish(session, actor, tz=context.settings.tz)
        sent = await announce_publication(session, actor, publication) if publication.nominations else 0
    for change in publication.changes:
        await notify(context, change.notices)
    await reply(
        update,
        texts.NOM_PUBLISHED.format(month=publication.month, count=len(publication.nominations), sent=sent),
    )


# ------------------------------------------------------------------ voting (residents)
def _vote_markup(voting_round: VotingRound, nomination: Nomination, votes: int) -> InlineKeyboardMarkup:
    return inline_keyboard(
        [[(texts.NOM_VOTE_BUTTON.format(votes=votes), f"vote:{voting_round.id}:{nomination.id}")]]
    )


async def vote_menu(update: Update, context: BotContext) -> None:
    """/vote: the open round's candidates, each with a 👍 button and its live count."""
    now = context.clock.now()
    async with context.transaction() as session:
        voting_round = await service.active_round(session, now)
        candidates = await service.ballot(session, voting_round) if voting_round else []
    if voting_round is None or not candidates:
        await reply(update, texts.NOM_VOTE_NONE)
        return
    tz = context.settings.tz
    if now < voting_round.starts_at:
        await reply(update, texts.NOM_VOTE_NOT_STARTED.format(start=format_local(voting_round.starts_at, tz)))
        return
    await reply(
        update,
        texts.NOM_VOTE_HEADER.format(
            title=escape(voting_round.title),
            start=format_local(voting_round.starts_at, tz),
            end=format_local(voting_round.ends_at, tz),
        ),
    )
    for nomination, votes in candidates:
        story = nomination.story if len(nomination.story) <= 200 else nomination.story[:200] + "…"
        await reply(
            update,
            texts.NOM_VOTE_CARD.format(
                name=escape(nomination.nominee_name),
                kind=service.kind_name(nomination.kind),
                community=escape(nomination.community),
                story=escape(story),
            ),
            reply_markup=_vote_markup(voting_round, nomination, votes),
        )


@domain_errors
async def vote_button(update: Update, context: BotContext) -> None:
    """👍: one vote per user per nominee per round; the card's count is updated in place."""
    user, query = update.effective_user, update.callback_query
    assert user is not None and query is not None
    parts = callback_parts(update)
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    round_id, nomination_id = int(parts[0]), int(parts[1])
    async with context.transaction() as session:
        votes = await service.cast_vote(session, user.id, round_id, nomination_id)
        voting_round = await session.get(VotingRound, round_id)
        nomination = await session.get(Nomination, nomination_id)
    assert voting_round is not None and nomination is not None
    await answer_quietly(update, texts.NOM_VOTED)
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(_vote_markup(voting_round, nomination, votes))


# ------------------------------------------------------------------ the honour roll
async def honors(update: Update, context: BotContext) -> None:
    """/honors [YYYY-MM] or a month button: that month's 好人榜, by kind, with each story."""
    month: str | None = None
    if update.callback_query is not None:
        month = (update.callback_query.data or "").removeprefix("honors:")
        await answer_quietly(update)
    elif context.args:
        month = context.args[0]
    async with context.transaction() as session:
        roll = await service.honor_roll(session, month)
    if roll.month is None:
        await reply(update, texts.NOM_HONORS_EMPTY)
        return
    chunks: list[str] = [texts.NOM_HONORS_HEADER.format(month=roll.month)]
    for kind, people in roll.by_kind:
        entries = [texts.NOM_HONORS_KIND.format(kind=service.kind_name(kind))]
        entries += [
            texts.NOM_HONORS_ENTRY.format(
                name=escape(n.nominee_name), community=escape(n.community), story=escape(n.story)
            )
            for n in people
        ]
        for entry in entries:
            if len(chunks[-1]) + len(entry) + 1 > 3800:
                chunks.append(entry)
            else:
                chunks[-1] += "\n" + entry
    others = [m for m in roll.months if m != roll.month][:6]
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        markup = inline_keyboard([[(m, f"honors:{m}") for m in others]]) if last and others else None
        text = chunk + ("\n\n" + texts.NOM_HONORS_OTHER_MONTHS if markup else "")
        await reply(update, text, reply_markup=markup)


# ------------------------------------------------------------------ wiring
def register(application: BotApplication) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)
        supplement_conversation = ConversationHandler(
            entry_points=[CallbackQueryHandler(supplement_start, pattern=r"^nomsup:")],
            states={
                SUPPLEMENT_TEXT: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, supplement_received),
                    MessageHandler(~filters.COMMAND, supplement_reask),
                ]
            },
            fallbacks=[CommandHandler("cancel", cancel_small)],
            name="nomination_supplement",
            persistent=True,
            allow_reentry=True,
        )
        review_conversation = ConversationHandler(
            entry_points=[CallbackQueryHandler(review_reason_start, pattern=r"^nomrev:(reject|more):")],
            states={
                REVIEW_REASON: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, review_reason_received),
                    MessageHandler(~filters.COMMAND, review_reason_reask),
                ]
            },
            fallbacks=[CommandHandler("cancel", cancel_small)],
            name="nomination_review",
            persistent=True,
            allow_reentry=True,
        )
    application.add_handlers(
        [
            _nomination_conversation(),
            supplement_conversation,
            review_conversation,
            CommandHandler("mynominations", my_nominations),
            CommandHandler("nominations", nominations_queue),
            CallbackQueryHandler(queue_filter, pattern=r"^nomq:"),
            CallbackQueryHandler(review_button, pattern=r"^nomrev:"),
            CallbackQueryHandler(material_button, pattern=r"^nommat:"),
            CommandHandler("openround", open_round),
            CommandHandler("closeround", close_round),
            CommandHandler("votestats", vote_stats),
            CommandHandler("voidvotes", void_votes),
            CommandHandler("publishhonors", publish_honors),
            CommandHandler("vote", vote_menu),
            CallbackQueryHandler(vote_button, pattern=r"^vote:"),
            CommandHandler("honors", honors),
            CallbackQueryHandler(honors, pattern=r"^honors:"),
        ]
    )


FEATURE = Feature(
    "nominations",
    register,
    COMMANDS,
    staff_button_prefixes=("nomrev", "nomq", "nommat"),
    personal_data=PersonalData("nominations", service.export_for_user, service.erase_for_user),
    report_sections=nominations_report.SECTIONS,
    benchmarks={"nominations": "bench.nominations:bench_nominations"},
)
