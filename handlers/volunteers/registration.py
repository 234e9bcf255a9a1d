"""志愿者登记 and the profile: registering after consent, and changing one field of the profile.

Conversation, persistent as "vol_registration" (diagram: conversations.mmd)::

    /volunteer | 志愿报名 ──► (registered) the profile with 修改 buttons ──► END
                          └─► CONSENT ──不同意──► END (nothing stored)
                                 └─同意─► NAME → PHONE → DISTRICT → COMMUNITY → SKILLS → AVAILABILITY
                                          → LEADERBOARD ──► saved, the resident is a volunteer ──► END
    修改 <field> (a profile button) ──► that field's state ──► saved ──► END
                                        (区域/社区: DISTRICT → COMMUNITY ──► saved)

Input a step cannot use (a sticker for a name, text where a button is expected) gets a hint and the
step's question again; a value the rules refuse (a bad phone number) gets the service's reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, TypedDict

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import texts as common_texts
from bot.app import BotContext
from bot.services import volunteers as vol
from bot.services.users import ensure_user
from bot.services.volunteers.inputs import (
    AVAILABILITY_LIMIT,
    NAME_INPUT_LIMIT,
    PHONE_INPUT_LIMIT,
    SKILLS_LIMIT,
)
from handlers.kit import texts as kit_texts
from handlers.kit.conversation import (
    ANSWER_TEXT,
    END,
    NOT_COMMAND,
    STAY,
    Draft,
    Step,
    conversation,
    menu_button,
    reask,
)
from handlers.kit.replies import answer_quietly, edit_or_reply, edit_view, escape, main_menu, reply, send_view
from handlers.volunteers import texts, views
from handlers.volunteers.callbacks import (
    ConsentButton,
    LeaderboardChoiceButton,
    ProfileEditButton,
    ProfileField,
    RegistrationCommunityButton,
    RegistrationDistrictButton,
    RegistrationSkipButton,
    ShiftNoticesButton,
)
from handlers.volunteers.reading import districts_of, sender_id, typed

# The values are stored by the conversation's persistence: keep them when adding states.
(CONSENT, NAME, PHONE, DISTRICT, COMMUNITY, SKILLS, AVAILABILITY, LEADERBOARD) = range(8)
ORDER: Final = (NAME, PHONE, DISTRICT, COMMUNITY, SKILLS, AVAILABILITY, LEADERBOARD)
EDIT_STATES: Final[dict[ProfileField, int]] = {
    "name": NAME,
    "phone": PHONE,
    "district": DISTRICT,
    "skills": SKILLS,
    "availability": AVAILABILITY,
    "leaderboard": LEADERBOARD,
}


class Registration(TypedDict, total=False):
    """The answers so far; ``editing`` names the one profile field being changed (absent: registering)."""

    editing: ProfileField
    consent_at: str  # ISO time of the consent
    name: str
    phone: str
    district: str
    community: str
    skills: str
    availability: str
    leaderboard: bool


def _new_registration() -> Registration:
    return {}


DRAFT = Draft("vol_draft", _new_registration)


# ---------------------------------------------------------------- entries
async def volunteer_command(update: Update, context: BotContext) -> int:
    """/volunteer or 志愿报名: the profile (with 修改 buttons), or the consent to register."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await ensure_user(session, user.id, user.full_name, user.username)
        profile = await vol.get_profile(session, user.id)
    if profile is not None:
        await send_view(update, views.profile_view(profile, context.settings.tz, ask_which=True))
        return END
    DRAFT.start(context)
    await send_view(update, views.consent_view())
    return CONSENT


async def edit_pressed(update: Update, context: BotContext, press: ProfileEditButton) -> int:
    """修改 <field> on the profile: ask for that one field."""
    async with context.transaction() as session:
        profile = await vol.get_profile(session, sender_id(update))
    if profile is None:  # the profile was deleted (/forget) since the button was sent
        await answer_quietly(update, common_texts.BUTTON_EXPIRED, alert=True)
        return END
    DRAFT.start(context)["editing"] = press.field
    await answer_quietly(update)
    return await ask(update, context, EDIT_STATES[press.field])


async def notices_pressed(update: Update, context: BotContext, press: ShiftNoticesButton) -> None:
    """停止接收通知 / 恢复接收通知 on the profile: the profile again, with the other button."""
    async with context.transaction() as session:
        profile = await vol.get_profile(session, sender_id(update))
        if profile is not None:
            profile = await vol.set_shift_notices(session, profile.user_id, press.receive)
    if profile is None:  # the profile was deleted (/forget) since the button was sent
        await answer_quietly(update, common_texts.BUTTON_EXPIRED, alert=True)
        return
    await edit_view(update, views.profile_view(profile, context.settings.tz))
    await reply(update, texts.NOTICES_STARTED if press.receive else texts.NOTICES_STOPPED)


# ---------------------------------------------------------------- the questions
async def ask(update: Update, context: BotContext, state: int) -> int:
    """Send the question of ``state`` and return it."""
    if state == CONSENT:
        await send_view(update, views.consent_view())
    elif state == NAME:
        await reply(update, texts.ASK_NAME)
    elif state == PHONE:
        await reply(update, texts.ASK_PHONE, reply_markup=views.contact_keyboard())
    elif state == DISTRICT:
        await send_view(update, views.district_question(districts_of(context).names))
    elif state == COMMUNITY:
        district = districts_of(context).get(DRAFT.get(context).get("district", ""))
        if district is None:
            return await ask(update, context, DISTRICT)
        await send_view(update, views.community_question(district))
    elif state == SKILLS:
        await send_view(update, views.skippable_question(texts.ASK_SKILLS))
    elif state == AVAILABILITY:
        await send_view(update, views.skippable_question(texts.ASK_AVAILABILITY))
    elif state == LEADERBOARD:
        await send_view(update, views.leaderboard_question())
    return state


def ask_again(state: int, hint: str | None = None) -> Step:
    """Input this step cannot use: the hint (``reask``), then the step's question with its buttons."""
    hinted = reask(hint) if hint is not None else None

    async def again(update: Update, context: BotContext) -> object:
        if hinted is not None:
            await hinted(update, context)
        await ask(update, context, state)
        return STAY

    return again


async def _next(update: Update, context: BotContext, current: int) -> int:
    """Registering: the next question, or save after the last. Editing: save the one field (a district
    is saved with its community)."""
    editing = DRAFT.get(context).get("editing")
    if editing is not None and not (editing == "district" and current == DISTRICT):
        return await _save_edit(update, context)
    if current == LEADERBOARD:
        return await _save_registration(update, context)
    return await ask(update, context, ORDER[ORDER.index(current) + 1])


# ---------------------------------------------------------------- the steps
async def consent_pressed(update: Update, context: BotContext, press: ConsentButton) -> int:
    """CONSENT: 同意并继续 → the name; 不同意 → nothing stored."""
    if press.answer == "no":
        DRAFT.drop(context)
        await edit_or_reply(update, texts.CONSENT_DECLINED)
        return END
    DRAFT.get(context)["consent_at"] = context.clock.now().isoformat()
    await edit_or_reply(update, views.consent_given_text())
    return await ask(update, context, NAME)


async def name_typed(update: Update, context: BotContext) -> int:
    """NAME: a real name (2–20 characters, no digits)."""
    DRAFT.get(context)["name"] = vol.check_name(vol.check_text(typed(update), NAME_INPUT_LIMIT))
    return await _next(update, context, NAME)


async def phone_sent(update: Update, context: BotContext) -> int | None:
    """PHONE: a typed number, or a shared contact (one's own), as a mainland mobile number."""
    message = update.effective_message
    assert message is not None
    if message.contact is not None:
        if message.contact.user_id != sender_id(update):
            await reply(update, texts.NOT_OWN_CONTACT)
            return STAY
        raw = message.contact.phone_number
    else:
        raw = vol.check_text(typed(update), PHONE_INPUT_LIMIT)
    phone = DRAFT.get(context)["phone"] = vol.normalize_phone(raw)
    await reply(update, views.phone_ok_text(phone), reply_markup=main_menu())
    return await _next(update, context, PHONE)


async def district_pressed(
    update: Update, context: BotContext, press: RegistrationDistrictButton
) -> int | None:
    """DISTRICT: a district button (of the current list: an older message's may be out of range)."""
    names = districts_of(context).names
    if press.index >= len(names):
        await answer_quietly(update, common_texts.BUTTON_EXPIRED, alert=True)
        return STAY
    DRAFT.get(context)["district"] = names[press.index]
    await edit_or_reply(update, views.chosen(texts.ASK_DISTRICT, names[press.index]))
    return await _next(update, context, DISTRICT)


async def community_pressed(
    update: Update, context: BotContext, press: RegistrationCommunityButton
) -> int | None:
    """COMMUNITY: a community of the district chosen."""
    draft = DRAFT.get(context)
    district = districts_of(context).get(draft.get("district", ""))
    if district is None or press.index >= len(district.communities):
        await answer_quietly(update, common_texts.BUTTON_EXPIRED, alert=True)
        return STAY
    community = draft["community"] = district.communities[press.index]
    await edit_or_reply(update, views.chosen(escape(district.name), community))
    return await _next(update, context, COMMUNITY)


async def skills_typed(update: Update, context: BotContext) -> int:
    """SKILLS: typed."""
    DRAFT.get(context)["skills"] = vol.check_text(typed(update), SKILLS_LIMIT)
    return await _next(update, context, SKILLS)


async def skills_skipped(update: Update, context: BotContext, press: RegistrationSkipButton) -> int:
    """SKILLS: 跳过."""
    await edit_or_reply(update, views.chosen(texts.ASK_SKILLS, texts.SKIP))
    DRAFT.get(context)["skills"] = ""
    return await _next(update, context, SKILLS)


async def availability_typed(update: Update, context: BotContext) -> int:
    """AVAILABILITY: typed."""
    DRAFT.get(context)["availability"] = vol.check_text(typed(update), AVAILABILITY_LIMIT)
    return await _next(update, context, AVAILABILITY)


async def availability_skipped(update: Update, context: BotContext, press: RegistrationSkipButton) -> int:
    """AVAILABILITY: 跳过."""
    await edit_or_reply(update, views.chosen(texts.ASK_AVAILABILITY, texts.SKIP))
    DRAFT.get(context)["availability"] = ""
    return await _next(update, context, AVAILABILITY)


async def leaderboard_pressed(update: Update, context: BotContext, press: LeaderboardChoiceButton) -> int:
    """LEADERBOARD: the real name on the leaderboard, or a masked one."""
    DRAFT.get(context)["leaderboard"] = press.show
    await edit_or_reply(update, views.chosen(texts.ASK_LEADERBOARD, views.leaderboard_answer(press.show)))
    return await _next(update, context, LEADERBOARD)


# ---------------------------------------------------------------- saving
async def _save_registration(update: Update, context: BotContext) -> int:
    draft = DRAFT.get(context)
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await ensure_user(session, user.id, user.full_name, user.username)
        profile = await vol.register(
            session,
            user.id,
            real_name=draft.get("name", ""),
            phone=draft.get("phone", ""),
            district=draft.get("district", ""),
            community=draft.get("community", ""),
            skills=draft.get("skills", ""),
            availability=draft.get("availability", ""),
            show_on_leaderboard=draft.get("leaderboard", False),
            consent_at=datetime.fromisoformat(draft["consent_at"]),
            districts=districts_of(context),
            now=context.clock.now(),
        )
    DRAFT.drop(context)
    await reply(update, texts.REGISTERED, reply_markup=main_menu())
    await send_view(update, views.profile_view(profile, context.settings.tz))
    return END


# The draft's answers → the profile's columns.
PROFILE_COLUMNS: Final = {
    "name": "real_name",
    "phone": "phone",
    "district": "district",
    "community": "community",
    "skills": "skills",
    "availability": "availability",
    "leaderboard": "show_on_leaderboard",
}


async def _save_edit(update: Update, context: BotContext) -> int:
    answers: dict[str, object] = dict(DRAFT.get(context))
    changes = {column: answers[key] for key, column in PROFILE_COLUMNS.items() if key in answers}
    async with context.transaction() as session:
        profile = await vol.update_profile(session, sender_id(update), districts_of(context), **changes)
    DRAFT.drop(context)
    await reply(update, texts.SAVED, reply_markup=main_menu())
    await send_view(update, views.profile_view(profile, context.settings.tz))
    return END


# ---------------------------------------------------------------- the conversation
def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        conversation(
            "vol_registration",
            entry_points=[
                CommandHandler("volunteer", volunteer_command),
                MessageHandler(menu_button(kit_texts.MENU_VOLUNTEER), volunteer_command),
                ProfileEditButton.handler(edit_pressed),
            ],
            states={
                CONSENT: [
                    ConsentButton.handler(consent_pressed),
                    MessageHandler(NOT_COMMAND, ask_again(CONSENT)),
                ],
                NAME: [
                    MessageHandler(ANSWER_TEXT, name_typed),
                    MessageHandler(NOT_COMMAND, ask_again(NAME, common_texts.TEXT_EXPECTED)),
                ],
                PHONE: [
                    MessageHandler(ANSWER_TEXT | filters.CONTACT, phone_sent),
                    MessageHandler(NOT_COMMAND, ask_again(PHONE)),
                ],
                DISTRICT: [
                    RegistrationDistrictButton.handler(district_pressed),
                    MessageHandler(NOT_COMMAND, ask_again(DISTRICT, texts.PLEASE_PRESS)),
                ],
                COMMUNITY: [
                    RegistrationCommunityButton.handler(community_pressed),
                    MessageHandler(NOT_COMMAND, ask_again(COMMUNITY, texts.PLEASE_PRESS)),
                ],
                SKILLS: [
                    RegistrationSkipButton.handler(skills_skipped),
                    MessageHandler(ANSWER_TEXT, skills_typed),
                    MessageHandler(NOT_COMMAND, ask_again(SKILLS, common_texts.TEXT_EXPECTED)),
                ],
                AVAILABILITY: [
                    RegistrationSkipButton.handler(availability_skipped),
                    MessageHandler(ANSWER_TEXT, availability_typed),
                    MessageHandler(NOT_COMMAND, ask_again(AVAILABILITY, common_texts.TEXT_EXPECTED)),
                ],
                LEADERBOARD: [
                    LeaderboardChoiceButton.handler(leaderboard_pressed),
                    MessageHandler(NOT_COMMAND, ask_again(LEADERBOARD, texts.PLEASE_PRESS)),
                ],
            },
            cleanup=DRAFT.drop,
        )
    ]
