"""Volunteers: registration, shifts and bookings, check-in/out, hours, certificate; staff shift management.

Conversations (diagram: handlers/volunteers.mmd; each builder's docstring has its flow):
- registration: consent → name → phone → district → community → skills → availability → leaderboard
  (editing one field of a profile enters at that field's state and ends after it);
- check-in/check-out by location (only for shifts with coordinates; others are one button press);
- /newshift: title → place → coordinates → district → start → end → capacity → notes → weekly repeat;
- /editshift ID: field → new value (→ end time, for a time change).
"""

from __future__ import annotations

import logging
import warnings
from datetime import datetime
from typing import Any

from telegram import KeyboardButton, ReplyKeyboardMarkup, Update
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
from bot.database import transaction
from bot.models import BookingStatus, ScheduledTask, Shift, VolunteerProfile
from bot.services import DomainError, audit
from bot.services import volunteer_documents as documents
from bot.services import volunteers as vol
from bot.services.personal_data import PersonalData
from bot.services.privacy import mask_phone
from bot.services.reports import volunteers as volunteers_report
from bot.services.users import ensure_user
from bot.timeutil import format_local
from handlers.base import (
    Audience,
    Command,
    answer_quietly,
    button_rows,
    callback_args,
    callback_parts,
    campaign_staff_only,
    domain_errors,
    edit_or_reply,
    escape,
    inline_keyboard,
    main_menu,
    reply,
    text_of,
)
from handlers.kit import notify as kit_notify
from handlers.kit import texts as kit_texts
from handlers.kit.feature import Feature

log = logging.getLogger(__name__)

_RESIDENT = ("volunteer", "shifts", "myshifts", "hours", "leaderboard", "certificate")
_STAFF = ("newshift", "editshift", "cancelshift", "roster", "hoursexport")
COMMANDS = [Command(n, texts.VOL_COMMAND_DESCRIPTIONS[n]) for n in _RESIDENT] + [
    Command(n, texts.VOL_COMMAND_DESCRIPTIONS[n], Audience.CAMPAIGN_STAFF) for n in _STAFF
]

PAGE_SIZE = 5
NOT_CANCEL = ~filters.Regex(r"^/cancel(@\w+)?\b")
ANY_BUT_CANCEL = filters.ALL & NOT_CANCEL


def _districts(context: BotContext) -> vol.Districts:
    return vol.load_districts(context.settings.data_dir)


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _arg(update: Update, index: int) -> str | None:
    """One part of the pressed button's 'vol:action:…' data (None when missing)."""
    args = callback_args(update)
    return args[index] if args else None


def _int_arg(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _when(shift: Shift, context: BotContext) -> str:
    return vol.format_shift_time(shift, context.settings.tz)


def _drop(context: BotContext, *keys: str) -> None:
    """Forget conversation drafts in user_data."""
    if context.user_data is not None:
        for key in keys:
            context.user_data.pop(key, None)


async def cancel_conversation(update: Update, context: BotContext) -> int:
    """/cancel inside any volunteer conversation: drop the draft, back to the main menu."""
    _drop(context, "vol_draft", "vol_edit", "vol_shift", "vol_checkin", "vol_editshift")
    await reply(update, texts.CANCELLED, reply_markup=main_menu())
    return ConversationHandler.END


# ================================================================== registration and profile
(CONSENT, NAME, PHONE, DISTRICT, COMMUNITY, SKILLS, AVAILABILITY, LEADERBOARD) = range(8)
_ORDER = (NAME, PHONE, DISTRICT, COMMUNITY, SKILLS, AVAILABILITY, LEADERBOARD)
_EDIT_STATES = {
    "name": NAME,
    "phone": PHONE,
    "district": DISTRICT,
    "skills": SKILLS,
    "availability": AVAILABILITY,
    "leaderboard": LEADERBOARD,
}


def _draft(context: BotContext) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault("vol_draft", {})
    return draft


def _editing(context: BotContext) -> str | None:
    return (context.user_data or {}).get("vol_edit")


def _profile_text(profile: VolunteerProfile, context: BotContext) -> str:
    return texts.VOL_PROFILE.format(
        name=escape(profile.real_name),
        phone=mask_phone(profile.phone),
        district=escape(profile.district),
        community=escape(profile.community),
        skills=escape(profile.skills or texts.VOL_NONE),
        availability=escape(profile.availability or texts.VOL_NONE),
        show=texts.VOL_YES if profile.show_on_leaderboard else texts.VOL_NO,
        since=format_local(profile.consent_at, context.settings.tz, "%Y-%m-%d"),
    )


def _edit_keyboard() -> Any:
    labels = list(texts.VOL_FIELD_LABELS.items())
    rows = button_rows([(label, f"vol:edit:{key}") for key, label in labels], 3)
    return inline_keyboard([*rows, [(texts.VOL_BTN_BROWSE, "vol:list:-:all:0")]])


async def volunteer_entry(update: Update, context: BotContext) -> int:
    """/volunteer or 志愿报名: show the profile (with edit buttons), or ask for consent to register."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await ensure_user(session, user.id, user.full_name, user.username)
        profile = await vol.get_profile(session, user.id)
    if profile is not None:
        await reply(
            update,
            _profile_text(profile, context) + "\n\n" + texts.VOL_EDIT_PROMPT,
            reply_markup=_edit_keyboard(),
        )
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data.pop("vol_edit", None)
    context.user_data["vol_draft"] = {}
    await reply(
        update,
        texts.VOL_CONSENT,
        reply_markup=inline_keyboard(
            [[(texts.VOL_CONSENT_YES, "vol:consent:yes"), (texts.VOL_CONSENT_NO, "vol:consent:no")]]
        ),
    )
    return CONSENT


async def edit_entry(update: Update, context: BotContext) -> int:
    """An 修改 button on the profile: ask for that one field."""
    field = _arg(update, 0) or ""
    async with context.transaction() as session:
        profile = await vol.get_profile(session, _user_id(update))
    if profile is None or field not in _EDIT_STATES:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data["vol_edit"] = field
    context.user_data["vol_draft"] = {}
    await answer_quietly(update)
    return await _ask(update, context, _EDIT_STATES[field])


async def consent_step(update: Update, context: BotContext) -> int:
    """Consent given → ask the name; refused → nothing stored, end."""
    if callback_args(update) != ["yes"]:
        _drop(context, "vol_draft")
        await edit_or_reply(update, texts.VOL_CONSENT_DECLINED)
        return ConversationHandler.END
    _draft(context)["consent_at"] = context.clock.now().isoformat()
    await edit_or_reply(update, f"{texts.VOL_CONSENT}\n✅ {texts.VOL_CONSENT_YES}")
    return await _ask(update, context, NAME)


async def consent_reask(update: Update, context: BotContext) -> int:
    """Anything but a button while consent is asked: ask again."""
    await reply(
        update,
        texts.VOL_CONSENT,
        reply_markup=inline_keyboard(
            [[(texts.VOL_CONSENT_YES, "vol:consent:yes"), (texts.VOL_CONSENT_NO, "vol:consent:no")]]
        ),
    )
    return CONSENT


async def _ask(update: Update, context: BotContext, state: int) -> int:
    """Send the question of ``state`` and return it."""
    if state == NAME:
        await reply(update, texts.VOL_ASK_NAME)
    elif state == PHONE:
        keyboard = ReplyKeyboardMarkup(
            [[KeyboardButton(texts.VOL_SHARE_PHONE, request_contact=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
        await reply(update, texts.VOL_ASK_PHONE, reply_markup=keyboard)
    elif state == DISTRICT:
        names = _districts(context).names
        rows = button_rows([(n, f"vol:reg:d:{i}") for i, n in enumerate(names)], 3)
        await reply(update, texts.VOL_ASK_DISTRICT, reply_markup=inline_keyboard(rows))
    elif state == COMMUNITY:
        district = _districts(context).get(_draft(context).get("district", ""))
        if district is None:
            return await _ask(update, context, DISTRICT)
        rows = button_rows([(c, f"vol:reg:c:{i}") for i, c in enumerate(district.communities)], 2)
        await reply(
            update,
            texts.VOL_ASK_COMMUNITY.format(district=escape(district.name)),
            reply_markup=inline_keyboard(rows),
        )
    elif state == SKILLS:
        await reply(
            update, texts.VOL_ASK_SKILLS, reply_markup=inline_keyboard([[(texts.VOL_SKIP, "vol:reg:skip")]])
        )
    elif state == AVAILABILITY:
        await reply(
            update,
            texts.VOL_ASK_AVAILABILITY,
            reply_markup=inline_keyboard([[(texts.VOL_SKIP, "vol:reg:skip")]]),
        )
    elif state == LEADERBOARD:
        await reply(
            update,
            texts.VOL_ASK_LEADERBOARD,
            reply_markup=inline_keyboard(
                [[(texts.VOL_YES_SHOW, "vol:reg:lb:1"), (texts.VOL_NO_SHOW, "vol:reg:lb:0")]]
            ),
        )
    return state


async def _next(update: Update, context: BotContext, current: int) -> int:
    """Registration: ask the next question, or save at the end. Editing: save the one field and end."""
    field = _editing(context)
    if field is not None and not (field == "district" and current == DISTRICT):
        return await _save_edit(update, context, field)
    if current == LEADERBOARD:
        return await _save_registration(update, context)
    return await _ask(update, context, _ORDER[_ORDER.index(current) + 1])


async def _save_registration(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await ensure_user(session, user.id, user.full_name, user.username)
        profile = await vol.register(
            session,
            user.id,
            real_name=draft["name"],
            phone=draft["phone"],
            district=draft["district"],
            community=draft.get("community", ""),
            skills=draft.get("skills", ""),
            availability=draft.get("availability", ""),
            show_on_leaderboard=bool(draft.get("leaderboard")),
            consent_at=datetime.fromisoformat(draft["consent_at"]),
            districts=_districts(context),
        )
    _drop(context, "vol_draft")
    await reply(update, texts.VOL_REGISTERED, reply_markup=main_menu())
    await reply(update, _profile_text(profile, context), reply_markup=_edit_keyboard())
    return ConversationHandler.END


_DRAFT_TO_FIELD = {
    "name": "real_name",
    "phone": "phone",
    "district": "district",
    "community": "community",
    "skills": "skills",
    "availability": "availability",
    "leaderboard": "show_on_leaderboard",
}


async def _save_edit(update: Update, context: BotContext, field: str) -> int:
    draft = _draft(context)
    changes = {_DRAFT_TO_FIELD[k]: v for k, v in draft.items() if k in _DRAFT_TO_FIELD}
    if "show_on_leaderboard" in changes:
        changes["show_on_leaderboard"] = bool(changes["show_on_leaderboard"])
    async with context.transaction() as session:
        profile = await vol.update_profile(session, _user_id(update), _districts(context), **changes)
    assert context.user_data is not None
    context.user_data.pop("vol_draft", None)
    context.user_data.pop("vol_edit", None)
    await reply(update, texts.VOL_SAVED, reply_markup=main_menu())
    await reply(update, _profile_text(profile, context), reply_markup=_edit_keyboard())
    return ConversationHandler.END


@domain_errors
async def name_step(update: Update, context: BotContext) -> int:
    """A real name (2–20 characters, no digits)."""
    _draft(context)["name"] = vol.check_name(text_of(update, limit=20))
    return await _next(update, context, NAME)


@domain_errors
async def phone_step(update: Update, context: BotContext) -> int:
    """A typed number or a shared contact (one's own), validated as a mainland mobile number."""
    message = update.effective_message
    assert message is not None
    if message.contact is not None:
        if message.contact.user_id != _user_id(update):
            await reply(update, texts.VOL_NOT_OWN_CONTACT)
            return PHONE
        raw = message.contact.phone_number
    else:
        raw = text_of(update, limit=30)
    _draft(context)["phone"] = vol.normalize_phone(raw)
    await reply(
        update,
        texts.VOL_PHONE_OK.format(phone=mask_phone(_draft(context)["phone"])),
        reply_markup=main_menu(),
    )
    return await _next(update, context, PHONE)


@domain_errors
async def district_step(update: Update, context: BotContext) -> int:
    """A district button."""
    index = _int_arg(_arg(update, -1))
    names = _districts(context).names
    if index is None or not 0 <= index < len(names):
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return DISTRICT
    _draft(context)["district"] = names[index]
    await edit_or_reply(update, f"{texts.VOL_ASK_DISTRICT} {escape(names[index])}")
    return await _next(update, context, DISTRICT)


@domain_errors
async def community_step(update: Update, context: BotContext) -> int:
    """A community button of the chosen district."""
    draft = _draft(context)
    district = _districts(context).get(draft.get("district", ""))
    index = _int_arg(_arg(update, -1))
    if district is None or index is None or not 0 <= index < len(district.communities):
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return COMMUNITY
    draft["community"] = district.communities[index]
    await edit_or_reply(update, f"{escape(district.name)} {escape(draft['community'])}")
    if _editing(context) == "district":
        return await _save_edit(update, context, "district")
    return await _next(update, context, COMMUNITY)


@domain_errors
async def skills_step(update: Update, context: BotContext) -> int:
    """Skills as text, or 跳过."""
    if update.callback_query is not None:
        await edit_or_reply(update, f"{texts.VOL_ASK_SKILLS} {texts.VOL_SKIP}")
        _draft(context)["skills"] = ""
    else:
        _draft(context)["skills"] = text_of(update, limit=200)
    return await _next(update, context, SKILLS)


@domain_errors
async def availability_step(update: Update, context: BotContext) -> int:
    """Usual availability as text, or 跳过."""
    if update.callback_query is not None:
        await edit_or_reply(update, f"{texts.VOL_ASK_AVAILABILITY} {texts.VOL_SKIP}")
        _draft(context)["availability"] = ""
    else:
        _draft(context)["availability"] = text_of(update, limit=200)
    return await _next(update, context, AVAILABILITY)


@domain_errors
async def leaderboard_step(update: Update, context: BotContext) -> int:
    """Show the real name on the leaderboard, or a masked one."""
    _draft(context)["leaderboard"] = callback_args(update)[-1:] == ["1"]
    await edit_or_reply(
        update,
        f"{texts.VOL_ASK_LEADERBOARD} {texts.VOL_YES_SHOW if _draft(context)['leaderboard'] else texts.VOL_NO_SHOW}",
    )
    return await _next(update, context, LEADERBOARD)


def _reasker(state: int, hint: str | None = None) -> Any:
    async def reask(update: Update, context: BotContext) -> int:
        """Something this step cannot use: say so and ask again."""
        if hint:
            await reply(update, hint)
        return await _ask(update, context, state)

    return reask


def registration_conversation() -> ConversationHandler[BotContext]:
    """consent → name → phone → district → community → skills → availability → leaderboard → saved."""
    button = CallbackQueryHandler
    return ConversationHandler(
        entry_points=[
            CommandHandler("volunteer", volunteer_entry),
            MessageHandler(filters.Text([kit_texts.MENU_VOLUNTEER]), volunteer_entry),
            button(edit_entry, pattern=r"^vol:edit:"),
        ],
        states={
            CONSENT: [
                button(consent_step, pattern=r"^vol:consent:"),
                MessageHandler(ANY_BUT_CANCEL, consent_reask),
            ],
            NAME: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, name_step),
                MessageHandler(ANY_BUT_CANCEL, _reasker(NAME, texts.TEXT_EXPECTED)),
            ],
            PHONE: [
                MessageHandler((filters.TEXT & ~filters.COMMAND) | filters.CONTACT, phone_step),
                MessageHandler(ANY_BUT_CANCEL, _reasker(PHONE)),
            ],
            DISTRICT: [
                button(district_step, pattern=r"^vol:reg:d:"),
                MessageHandler(ANY_BUT_CANCEL, _reasker(DISTRICT, texts.VOL_PLEASE_PRESS)),
            ],
            COMMUNITY: [
                button(community_step, pattern=r"^vol:reg:c:"),
                MessageHandler(ANY_BUT_CANCEL, _reasker(COMMUNITY, texts.VOL_PLEASE_PRESS)),
            ],
            SKILLS: [
                button(skills_step, pattern=r"^vol:reg:skip$"),
                MessageHandler(filters.TEXT & ~filters.COMMAND, skills_step),
                MessageHandler(ANY_BUT_CANCEL, _reasker(SKILLS, texts.TEXT_EXPECTED)),
            ],
            AVAILABILITY: [
                button(availability_step, pattern=r"^vol:reg:skip$"),
                MessageHandler(filters.TEXT & ~filters.COMMAND, availability_step),
                MessageHandler(ANY_BUT_CANCEL, _reasker(AVAILABILITY, texts.TEXT_EXPECTED)),
            ],
            LEADERBOARD: [
                button(leaderboard_step, pattern=r"^vol:reg:lb:"),
                MessageHandler(ANY_BUT_CANCEL, _reasker(LEADERBOARD, texts.VOL_PLEASE_PRESS)),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel_conversation)],
        name="vol_registration",
        persistent=True,
        allow_reentry=True,
    )


# ================================================================== /shifts
def _filter_label(context: BotContext, district: int | None, date_filter: str) -> str:
    names = _districts(context).names
    place = (
        names[district] if district is not None and 0 <= district < len(names) else texts.VOL_ALL_DISTRICTS
    )
    return f"{place}，{texts.VOL_DATE_FILTERS.get(date_filter, texts.VOL_DATE_FILTERS['all'])}"


def _shift_lines(view: vol.ShiftView, context: BotContext) -> str:
    shift = view.shift
    places = (
        texts.VOL_PLACES_FREE.format(free=view.free, capacity=shift.capacity)
        if view.free
        else texts.VOL_PLACES_FULL.format(capacity=shift.capacity, waitlist=view.waitlisted)
    )
    mine = ""
    if view.my_status is BookingStatus.CONFIRMED:
        mine = texts.VOL_MINE_CONFIRMED
    elif view.my_status is BookingStatus.WAITLISTED:
        mine = texts.VOL_MINE_WAITLISTED.format(n=view.my_position)
    return texts.VOL_SHIFT_LINE.format(
        id=shift.id,
        title=escape(shift.title),
        place=escape(shift.place),
        district=escape(shift.district or "—"),
        when=_when(shift, context),
        places=places,
        mine=mine,
    )


async def render_shift_page(
    context: BotContext, user_id: int, district: int | None, date_filter: str, page: int
) -> tuple[str, Any]:
    """The text and buttons of one /shifts page."""
    names = _districts(context).names
    district_name = names[district] if district is not None and 0 <= district < len(names) else None
    if date_filter not in vol.DATE_FILTERS:
        date_filter = "all"
    page = max(0, page)
    async with context.transaction() as session:
        views, total = await vol.upcoming_shifts(
            session,
            user_id=user_id,
            district=district_name,
            date_filter=date_filter,
            offset=page * PAGE_SIZE,
            limit=PAGE_SIZE,
            tz=context.settings.tz,
        )
        pages = max(1, -(-total // PAGE_SIZE))
        if page >= pages:  # an old 下一页 button after shifts started or were cancelled: show the last page
            page = pages - 1
            views, total = await vol.upcoming_shifts(
                session,
                user_id=user_id,
                district=district_name,
                date_filter=date_filter,
                offset=page * PAGE_SIZE,
                limit=PAGE_SIZE,
                tz=context.settings.tz,
            )
    d = "-" if district_name is None else str(district)
    header = texts.VOL_SHIFTS_HEADER.format(
        filters=escape(_filter_label(context, district, date_filter)), total=total, page=page + 1, pages=pages
    )
    body = "\n\n".join(_shift_lines(v, context) for v in views) or texts.VOL_SHIFTS_EMPTY
    rows: list[list[tuple[str, str]]] = []
    actions = [
        (
            (texts.VOL_BTN_WAITLIST if v.free == 0 else texts.VOL_BTN_BOOK).format(id=v.shift.id),
            f"vol:book:{v.shift.id}:{d}:{date_filter}:{page}",
        )
        for v in views
        if v.my_status is None
    ]
    rows += button_rows(actions, 2)
    nav = []
    if page > 0:
        nav.append((texts.VOL_BTN_PREV, f"vol:list:{d}:{date_filter}:{page - 1}"))
    if page + 1 < pages:
        nav.append((texts.VOL_BTN_NEXT, f"vol:list:{d}:{date_filter}:{page + 1}"))
    if nav:
        rows.append(nav)
    rows.append(
        [
            (
                texts.VOL_BTN_FILTER_DISTRICT.format(name=district_name or texts.VOL_ALL_DISTRICTS),
                f"vol:pickd:{d}:{date_filter}",
            ),
            (
                texts.VOL_BTN_FILTER_DATE.format(name=texts.VOL_DATE_FILTERS[date_filter]),
                f"vol:pickt:{d}:{date_filter}",
            ),
        ]
    )
    return f"{header}\n\n{body}", inline_keyboard(rows)


async def shifts_command(update: Update, context: BotContext) -> None:
    """/shifts: the first page of upcoming shifts, all districts, all dates."""
    text, keyboard = await render_shift_page(context, _user_id(update), None, "all", 0)
    await reply(update, text, reply_markup=keyboard)


async def shifts_page(update: Update, context: BotContext) -> None:
    """vol:list:D:DATE:PAGE — another page or filter (edits the message in place)."""
    args = [*callback_args(update), "", "", ""]
    text, keyboard = await render_shift_page(
        context,
        _user_id(update),
        _int_arg(args[0]) if args[0] != "-" else None,
        args[1],
        _int_arg(args[2]) or 0,
    )
    await edit_or_reply(update, text, reply_markup=keyboard)


async def pick_filter(update: Update, context: BotContext) -> None:
    """vol:pickd / vol:pickt — choose a district or a date range."""
    action = callback_parts(update)[1]
    args = [*callback_args(update), "-", "all"]
    d, date_filter = args[0], args[1]
    if action == "pickd":
        names = _districts(context).names
        options = [(texts.VOL_ALL_DISTRICTS, f"vol:list:-:{date_filter}:0")] + [
            (n, f"vol:list:{i}:{date_filter}:0") for i, n in enumerate(names)
        ]
        prompt = texts.VOL_CHOOSE_DISTRICT
    else:
        options = [(label, f"vol:list:{d}:{key}:0") for key, label in texts.VOL_DATE_FILTERS.items()]
        prompt = texts.VOL_CHOOSE_DATE
    await edit_or_reply(update, prompt, reply_markup=inline_keyboard(button_rows(options, 3)))


@domain_errors
async def book_button(update: Update, context: BotContext) -> None:
    """vol:book:SHIFT — 报名 or 候补."""
    shift_id = _int_arg(_arg(update, 0))
    if shift_id is None:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await ensure_user(session, user.id, user.full_name, user.username)
        result = await vol.book(session, user.id, shift_id)
    shift = result.shift
    if result.waitlisted:
        text = texts.VOL_WAITLISTED.format(n=result.waitlist_rank, title=escape(shift.title))
    else:
        text = texts.VOL_BOOKED.format(
            title=escape(shift.title), when=_when(shift, context), place=escape(shift.place)
        )
    await reply(update, text)
    # Redraw the list the button was on (vol:book:SHIFT:D:DATE:PAGE), so its button and counts update.
    args = [*callback_args(update), "", "", ""]
    if len(callback_args(update)) >= 4:
        district = _int_arg(args[1]) if args[1] != "-" else None
        page_text, keyboard = await render_shift_page(
            context, user.id, district, args[2], _int_arg(args[3]) or 0
        )
        await edit_or_reply(update, page_text, reply_markup=keyboard)


# ================================================================== /myshifts, cancel
async def myshifts_command(update: Update, context: BotContext) -> None:
    """Upcoming and current bookings with cancel, check-in and check-out buttons."""
    user_id = _user_id(update)
    now = context.clock.now()
    async with context.transaction() as session:
        bookings = await vol.my_bookings(session, user_id, now)
    if not bookings:
        await reply(update, texts.VOL_MYSHIFTS_EMPTY)
        return
    lines, rows = [texts.VOL_MYSHIFTS_HEADER], []
    for booking, shift in bookings:
        line = texts.VOL_MYSHIFT_LINE.format(
            id=shift.id,
            title=escape(shift.title),
            status=texts.VOL_BOOKING_STATUS_NAMES[booking.status.value],
            when=_when(shift, context),
            place=escape(shift.place),
        )
        if booking.checked_in_at is not None:
            line += texts.VOL_CHECKED_IN_AT.format(
                time=format_local(booking.checked_in_at, context.settings.tz, "%H:%M")
            )
        lines.append(line)
        buttons = []
        if shift.starts_at > now:
            buttons.append((texts.VOL_BTN_CANCEL_BOOKING.format(id=shift.id), f"vol:cancel:{booking.id}"))
        if booking.status is BookingStatus.CONFIRMED and shift.starts_at - vol.CHECKIN_EARLY <= now:
            if booking.checked_in_at is None and now <= shift.ends_at:
                buttons.append((texts.VOL_BTN_CHECKIN.format(id=shift.id), f"vol:in:{booking.id}"))
            elif booking.checked_in_at is not None:
                buttons.append((texts.VOL_BTN_CHECKOUT.format(id=shift.id), f"vol:out:{booking.id}"))
        if buttons:
            rows.append(buttons)
    await reply(update, "\n\n".join(lines), reply_markup=inline_keyboard(rows) if rows else None)


@domain_errors
async def cancel_booking_button(update: Update, context: BotContext) -> None:
    """vol:cancel:BOOKING — ask to confirm (a mis-tap must not lose a place)."""
    booking_id = _int_arg(_arg(update, 0))
    if booking_id is None:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    async with context.transaction() as session:
        booking, shift = await vol.booking_with_shift(session, _user_id(update), booking_id)
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED):
        await answer_quietly(update, texts.VOL_BOOKING_NOT_ACTIVE, alert=True)
        return
    await answer_quietly(update)
    await reply(
        update,
        texts.VOL_CONFIRM_CANCEL.format(title=escape(shift.title), when=_when(shift, context)),
        reply_markup=inline_keyboard(
            [
                [
                    (texts.VOL_BTN_CONFIRM_CANCEL, f"vol:cancelyes:{booking_id}"),
                    (texts.VOL_BTN_KEEP, "vol:keep"),
                ]
            ]
        ),
    )


@domain_errors
async def cancel_booking_confirmed(update: Update, context: BotContext) -> None:
    """vol:cancelyes:BOOKING — cancel; the first waitlisted volunteer is promoted and told."""
    booking_id = _int_arg(_arg(update, 0))
    if booking_id is None:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    async with context.transaction() as session:
        _booking, shift, promoted = await vol.cancel_booking(session, _user_id(update), booking_id)
        promoted_user = promoted.user_id if promoted else None
    await edit_or_reply(
        update, texts.VOL_BOOKING_CANCELLED.format(title=escape(shift.title), when=_when(shift, context))
    )
    if promoted_user is not None:
        await notify(context.application, [promoted_user], _promoted_text(shift, context))


async def keep_booking(update: Update, context: BotContext) -> None:
    await edit_or_reply(update, texts.VOL_KEPT)


def _promoted_text(shift: Shift, context: BotContext) -> str:
    return texts.VOL_PROMOTED.format(
        title=escape(shift.title), when=_when(shift, context), place=escape(shift.place)
    )


async def notify(application: Any, user_ids: list[int], text: str) -> int:
    """Message each volunteer (``handlers.kit.notify``). Returns how many were reached."""
    return await kit_notify.tell(application, kit_notify.people(user_ids), text)


# ================================================================== check-in / check-out
CHECKIN_LOCATION = 20


def _location_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.VOL_BTN_SEND_LOCATION, request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


@domain_errors
async def checkin_entry(update: Update, context: BotContext) -> int:
    """vol:in / vol:out: shifts without coordinates → done by the button; others → ask for the location."""
    action = callback_parts(update)[1]
    booking_id = _int_arg(_arg(update, 0))
    if booking_id is None:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return ConversationHandler.END
    async with context.transaction() as session:
        _booking, shift = await vol.booking_with_shift(session, _user_id(update), booking_id)
    if not shift.has_coordinates:
        await _do_check(update, context, action, booking_id, None)
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data["vol_checkin"] = {"action": action, "booking_id": booking_id}
    await answer_quietly(update)
    label = texts.VOL_ACTION_CHECKIN if action == "in" else texts.VOL_ACTION_CHECKOUT
    radius = round(context.settings.checkin_radius_meters)
    await reply(
        update, texts.VOL_SEND_LOCATION.format(action=label, radius=radius), reply_markup=_location_keyboard()
    )
    return CHECKIN_LOCATION


async def _do_check(
    update: Update, context: BotContext, action: str, booking_id: int, location: tuple[float, float] | None
) -> None:
    radius = context.settings.checkin_radius_meters
    async with context.transaction() as session:
        if action == "in":
            booking, shift = await vol.check_in(
                session,
                _user_id(update),
                booking_id,
                location=location,
                radius=radius,
                tz=context.settings.tz,
            )
        else:
            booking, shift = await vol.check_out(
                session, _user_id(update), booking_id, location=location, radius=radius
            )
    if action == "in":
        assert booking.checked_in_at is not None
        text = texts.VOL_CHECKED_IN.format(
            title=escape(shift.title), time=format_local(booking.checked_in_at, context.settings.tz, "%H:%M")
        )
    else:
        text = texts.VOL_CHECKED_OUT.format(
            title=escape(shift.title), hours=vol.hours_text(booking.service_minutes)
        )
    await reply(update, text, reply_markup=main_menu())


async def checkin_location_step(update: Update, context: BotContext) -> int:
    """A shared location: check in or out when close enough; too far → say how far and wait for another."""
    pending = (context.user_data or {}).get("vol_checkin") or {}
    message = update.effective_message
    assert message is not None and message.location is not None
    if not pending:
        return ConversationHandler.END
    location = (message.location.latitude, message.location.longitude)
    try:
        await _do_check(update, context, pending["action"], int(pending["booking_id"]), location)
    except vol.TooFar as error:
        await reply(update, escape(error), reply_markup=_location_keyboard())
        return CHECKIN_LOCATION
    except DomainError as error:  # the window closed, the booking was cancelled…: nothing to wait for
        await reply(update, escape(error), reply_markup=main_menu())
    _drop(context, "vol_checkin")
    return ConversationHandler.END


async def checkin_reask(update: Update, context: BotContext) -> int:
    """Anything but a location: ask for the location again."""
    await reply(update, texts.VOL_LOCATION_EXPECTED, reply_markup=_location_keyboard())
    return CHECKIN_LOCATION


def checkin_conversation() -> ConversationHandler[BotContext]:
    """签到/签退 button → (shift with coordinates) location → checked in/out."""
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(checkin_entry, pattern=r"^vol:(in|out):")],
        states={
            CHECKIN_LOCATION: [
                MessageHandler(filters.LOCATION, checkin_location_step),
                MessageHandler(ANY_BUT_CANCEL, checkin_reask),
            ]
        },
        fallbacks=[CommandHandler("cancel", cancel_conversation)],
        name="vol_checkin",
        persistent=True,
        allow_reentry=True,
    )


# ================================================================== hours, leaderboard, certificate
async def hours_command(update: Update, context: BotContext) -> None:
    """Total recorded hours and hours by month."""
    async with context.transaction() as session:
        record = await vol.service_record(session, _user_id(update))
    if not record.entries:
        await reply(update, texts.VOL_HOURS_EMPTY)
        return
    lines = [texts.VOL_HOURS.format(hours=vol.hours_text(record.minutes), count=len(record.entries))]
    lines += [
        texts.VOL_HOURS_MONTH.format(month=m, hours=vol.hours_text(minutes), count=n)
        for m, minutes, n in record.by_month(context.settings.tz)
    ]
    await reply(update, "\n".join(lines))


async def leaderboard_command(update: Update, context: BotContext) -> None:
    """This month's top 10 by hours; names masked unless the volunteer agreed to be shown."""
    label, start, end = vol.month_bounds(None, context.clock.now(), context.settings.tz)
    async with context.transaction() as session:
        rows = await vol.hours_by_volunteer(session, start, end, limit=10)
    if not rows:
        await reply(update, texts.VOL_LEADERBOARD_EMPTY)
        return
    lines = [texts.VOL_LEADERBOARD_HEADER.format(month=label)]
    lines += [
        texts.VOL_LEADERBOARD_LINE.format(
            rank=i,
            name=escape(vol.leaderboard_name(r.profile)),
            district=escape(r.profile.district),
            hours=vol.hours_text(r.minutes),
        )
        for i, r in enumerate(rows, 1)
    ]
    await reply(update, "\n".join(lines))


@domain_errors
async def certificate_command(update: Update, context: BotContext) -> None:
    """A PNG 志愿服务时长证明 of the volunteer's completed shifts."""
    user_id = _user_id(update)
    async with context.transaction() as session:
        profile = await vol.require_profile(session, user_id)
        record = await vol.service_record(session, user_id)
    if not record.entries:
        await reply(update, texts.VOL_CERT_NO_RECORD)
        return
    issued = context.clock.now()
    number = documents.certificate_number(user_id, issued, context.settings.tz)
    png = documents.render_certificate(
        name=profile.real_name,
        record=record,
        city=_districts(context).city,
        issued=issued,
        number=number,
        tz=context.settings.tz,
    )
    message = update.effective_message
    assert message is not None
    await message.reply_document(
        png, filename=f"volunteer-certificate-{number}.png", caption=texts.VOL_CERT_CAPTION
    )


# ================================================================== staff: /newshift
(S_TITLE, S_PLACE, S_COORDS, S_DISTRICT, S_START, S_END, S_CAPACITY, S_NOTES, S_REPEAT) = range(40, 49)


def _shift_draft(context: BotContext) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault("vol_shift", {})
    return draft


@campaign_staff_only
async def newshift_entry(update: Update, context: BotContext) -> int:
    """/newshift: start a new shift draft; ask the title."""
    assert context.user_data is not None
    context.user_data["vol_shift"] = {}
    await reply(update, texts.VOL_NEWSHIFT_TITLE)
    return S_TITLE


@campaign_staff_only
@domain_errors
async def shift_title_step(update: Update, context: BotContext) -> int:
    """The title (e.g. 文明交通劝导)."""
    _shift_draft(context)["title"] = text_of(update, limit=64)
    await reply(update, texts.VOL_ASK_PLACE)
    return S_PLACE


@campaign_staff_only
@domain_errors
async def shift_place_step(update: Update, context: BotContext) -> int:
    """The place's name."""
    _shift_draft(context)["place"] = text_of(update, limit=128)
    await reply(
        update, texts.VOL_ASK_COORDS, reply_markup=inline_keyboard([[(texts.VOL_SKIP, "vol:ns:skip")]])
    )
    return S_COORDS


@campaign_staff_only
@domain_errors
async def shift_coords_step(update: Update, context: BotContext) -> int:
    """A location, 'lat,lon' typed, or 跳过 (then check-in is by button)."""
    draft = _shift_draft(context)
    message = update.effective_message
    if update.callback_query is not None:
        await edit_or_reply(update, f"{texts.VOL_ASK_COORDS} {texts.VOL_SKIP}")
        draft["lat"] = draft["lon"] = None
    elif message is not None and message.location is not None:
        draft["lat"], draft["lon"] = message.location.latitude, message.location.longitude
    else:
        draft["lat"], draft["lon"] = vol.parse_coordinates(text_of(update, limit=60))
    names = _districts(context).names
    rows = button_rows([(n, f"vol:ns:d:{i}") for i, n in enumerate(names)], 3)
    await reply(update, texts.VOL_ASK_SHIFT_DISTRICT, reply_markup=inline_keyboard(rows))
    return S_DISTRICT


@campaign_staff_only
async def shift_district_step(update: Update, context: BotContext) -> int:
    """The district button."""
    index = _int_arg(_arg(update, -1))
    names = _districts(context).names
    if index is None or not 0 <= index < len(names):
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return S_DISTRICT
    _shift_draft(context)["district"] = names[index]
    await edit_or_reply(update, f"{texts.VOL_ASK_SHIFT_DISTRICT} {escape(names[index])}")
    await reply(update, texts.VOL_ASK_START)
    return S_START


@campaign_staff_only
@domain_errors
async def shift_start_step(update: Update, context: BotContext) -> int:
    """The start, in the future."""
    start = vol.parse_local_datetime(text_of(update, limit=40), context.settings.tz)
    if start <= context.clock.now():
        raise vol.InvalidInput(texts.VOL_TIME_IN_PAST)
    _shift_draft(context)["starts_at"] = start.isoformat()
    await reply(update, texts.VOL_ASK_END)
    return S_END


@campaign_staff_only
@domain_errors
async def shift_end_step(update: Update, context: BotContext) -> int:
    """The end: HH:MM the same day or a full date and time."""
    draft = _shift_draft(context)
    start = datetime.fromisoformat(draft["starts_at"])
    end = vol.parse_local_datetime(text_of(update, limit=40), context.settings.tz, day=start.date())
    vol.check_shift_times(start, end, context.clock.now())
    draft["ends_at"] = end.isoformat()
    await reply(update, texts.VOL_ASK_CAPACITY)
    return S_CAPACITY


@campaign_staff_only
@domain_errors
async def shift_capacity_step(update: Update, context: BotContext) -> int:
    """How many volunteers (1–1000)."""
    value = _int_arg(text_of(update, limit=10))
    if value is None:
        raise vol.InvalidInput(texts.VOL_BAD_CAPACITY)
    _shift_draft(context)["capacity"] = vol.check_capacity(value)
    await reply(
        update, texts.VOL_ASK_NOTES, reply_markup=inline_keyboard([[(texts.VOL_SKIP, "vol:ns:skip")]])
    )
    return S_NOTES


@campaign_staff_only
@domain_errors
async def shift_notes_step(update: Update, context: BotContext) -> int:
    """Notes for volunteers, or 跳过; then ask about weekly repetition."""
    if update.callback_query is not None:
        await edit_or_reply(update, f"{texts.VOL_ASK_NOTES} {texts.VOL_SKIP}")
        _shift_draft(context)["notes"] = ""
    else:
        _shift_draft(context)["notes"] = text_of(update, limit=500)
    options = [(texts.VOL_REPEAT_ONCE, "vol:ns:w:1")] + [
        (texts.VOL_REPEAT_WEEKS.format(n=n), f"vol:ns:w:{n}") for n in (2, 4, 8, 12)
    ]
    await reply(update, texts.VOL_ASK_REPEAT, reply_markup=inline_keyboard([options[:3], options[3:]]))
    return S_REPEAT


@campaign_staff_only
@domain_errors
async def shift_repeat_step(update: Update, context: BotContext) -> int:
    """Weeks (1 = once): publish the shift(s)."""
    weeks = _int_arg(_arg(update, -1)) or 1
    draft = _shift_draft(context)
    shift_draft = vol.ShiftDraft(
        title=draft["title"],
        place=draft["place"],
        starts_at=datetime.fromisoformat(draft["starts_at"]),
        ends_at=datetime.fromisoformat(draft["ends_at"]),
        capacity=int(draft["capacity"]),
        district=draft.get("district", ""),
        notes=draft.get("notes", ""),
        latitude=draft.get("lat"),
        longitude=draft.get("lon"),
    )
    async with context.transaction() as session:
        shifts = await vol.create_shifts(session, _user_id(update), shift_draft, weeks=weeks)
        ids = [s.id for s in shifts]
        summary = _shift_summary(shifts[0], context)
    _drop(context, "vol_shift")
    await edit_or_reply(
        update, texts.VOL_SHIFT_CREATED.format(count=len(ids), ids="、".join(f"#{i}" for i in ids))
    )
    await reply(update, summary, reply_markup=main_menu())
    return ConversationHandler.END


def _shift_summary(shift: Shift, context: BotContext) -> str:
    return texts.VOL_SHIFT_SUMMARY.format(
        id=shift.id,
        title=escape(shift.title),
        place=escape(shift.place),
        district=escape(shift.district or "—"),
        coords=f" {texts.VOL_COORDS_SET}" if shift.has_coordinates else "",
        when=_when(shift, context),
        capacity=shift.capacity,
        notes=escape(shift.notes or texts.VOL_NONE),
    )


def _staff_reasker(state: int, prompt: str) -> Any:
    @campaign_staff_only
    async def reask(update: Update, context: BotContext) -> int:
        """Not usable here: ask again."""
        await reply(update, prompt)
        return state

    return reask


def newshift_conversation() -> ConversationHandler[BotContext]:
    """title → place → coordinates (or skip) → district → start → end → capacity → notes → repeat → published."""
    text = filters.TEXT & ~filters.COMMAND
    button = CallbackQueryHandler
    return ConversationHandler(
        entry_points=[CommandHandler("newshift", newshift_entry)],
        states={
            S_TITLE: [
                MessageHandler(text, shift_title_step),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(S_TITLE, texts.VOL_NEWSHIFT_TITLE)),
            ],
            S_PLACE: [
                MessageHandler(text, shift_place_step),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(S_PLACE, texts.VOL_ASK_PLACE)),
            ],
            S_COORDS: [
                button(shift_coords_step, pattern=r"^vol:ns:skip$"),
                MessageHandler(text | filters.LOCATION, shift_coords_step),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(S_COORDS, texts.VOL_BAD_COORDS)),
            ],
            S_DISTRICT: [
                button(shift_district_step, pattern=r"^vol:ns:d:"),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(S_DISTRICT, texts.VOL_PLEASE_PRESS)),
            ],
            S_START: [
                MessageHandler(text, shift_start_step),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(S_START, texts.VOL_ASK_START)),
            ],
            S_END: [
                MessageHandler(text, shift_end_step),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(S_END, texts.VOL_ASK_END)),
            ],
            S_CAPACITY: [
                MessageHandler(text, shift_capacity_step),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(S_CAPACITY, texts.VOL_ASK_CAPACITY)),
            ],
            S_NOTES: [
                button(shift_notes_step, pattern=r"^vol:ns:skip$"),
                MessageHandler(text, shift_notes_step),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(S_NOTES, texts.VOL_ASK_NOTES)),
            ],
            S_REPEAT: [
                button(shift_repeat_step, pattern=r"^vol:ns:w:"),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(S_REPEAT, texts.VOL_PLEASE_PRESS)),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel_conversation)],
        name="vol_newshift",
        persistent=True,
        allow_reentry=True,
    )


# ================================================================== staff: /editshift, /cancelshift
E_FIELD, E_VALUE, E_END = range(60, 63)


def _command_shift_id(context: BotContext) -> int | None:
    args = context.args or []
    return _int_arg(args[0].lstrip("#")) if args else None


@campaign_staff_only
@domain_errors
async def editshift_entry(update: Update, context: BotContext) -> int:
    """/editshift ID (or the roster's 修改 button): which field?"""
    shift_id = _command_shift_id(context) if update.callback_query is None else _int_arg(_arg(update, 0))
    if shift_id is None:
        await reply(update, texts.VOL_EDITSHIFT_USAGE)
        return ConversationHandler.END
    async with context.transaction() as session:
        shift = await vol.get_shift(session, shift_id)
        summary = _shift_summary(shift, context)
    assert context.user_data is not None
    context.user_data["vol_editshift"] = {"shift_id": shift_id}
    fields = list(texts.VOL_SHIFT_FIELD_LABELS.items())
    await answer_quietly(update)
    await reply(
        update,
        f"{summary}\n\n{texts.VOL_EDIT_SHIFT_PROMPT.format(id=shift_id)}",
        reply_markup=inline_keyboard(
            [
                [(label, f"vol:ef:{key}") for key, label in fields[:3]],
                [(label, f"vol:ef:{key}") for key, label in fields[3:]],
            ]
        ),
    )
    return E_FIELD


@campaign_staff_only
async def editshift_field_step(update: Update, context: BotContext) -> int:
    """A field button: ask its new value."""
    field = _arg(update, 0) or ""
    if field not in texts.VOL_SHIFT_FIELD_LABELS:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return E_FIELD
    assert context.user_data is not None
    context.user_data.setdefault("vol_editshift", {})["field"] = field
    await edit_or_reply(update, texts.VOL_ASK_NEW_VALUE.format(field=texts.VOL_SHIFT_FIELD_LABELS[field]))
    if field == "time":
        await reply(update, texts.VOL_ASK_START)
    return E_VALUE


@campaign_staff_only
@domain_errors
async def editshift_value_step(update: Update, context: BotContext) -> int:
    """The new value; a time change asks for the end next."""
    state = (context.user_data or {}).get("vol_editshift") or {}
    field = state.get("field")
    if field is None or "shift_id" not in state:
        return ConversationHandler.END
    tz = context.settings.tz
    if field == "time":
        start = vol.parse_local_datetime(text_of(update, limit=40), tz)
        if start <= context.clock.now():
            raise vol.InvalidInput(texts.VOL_TIME_IN_PAST)
        state["starts_at"] = start.isoformat()
        await reply(update, texts.VOL_ASK_END)
        return E_END
    raw = text_of(update, limit={"title": 64, "place": 128, "notes": 500, "capacity": 10}[field])
    changes: dict[str, Any] = {field: raw}
    if field == "capacity":
        value = _int_arg(raw)
        if value is None:
            raise vol.InvalidInput(texts.VOL_BAD_CAPACITY)
        changes = {"capacity": value}
    return await _apply_shift_edit(update, context, int(state["shift_id"]), changes)


@campaign_staff_only
@domain_errors
async def editshift_end_step(update: Update, context: BotContext) -> int:
    """The new end time (after a new start)."""
    state = (context.user_data or {}).get("vol_editshift") or {}
    if "starts_at" not in state:
        return ConversationHandler.END
    start = datetime.fromisoformat(state["starts_at"])
    end = vol.parse_local_datetime(text_of(update, limit=40), context.settings.tz, day=start.date())
    vol.check_shift_times(start, end, context.clock.now())
    return await _apply_shift_edit(
        update, context, int(state["shift_id"]), {"starts_at": start, "ends_at": end}
    )


async def _apply_shift_edit(
    update: Update, context: BotContext, shift_id: int, changes: dict[str, Any]
) -> int:
    async with context.transaction() as session:
        change = await vol.edit_shift(session, _user_id(update), shift_id, **changes)
        summary = _shift_summary(change.shift, context)
        promoted = [b.user_id for b in change.promoted]
        shift = change.shift
    _drop(context, "vol_editshift")
    notified = await notify(
        context.application, change.notify_user_ids, texts.VOL_SHIFT_CHANGED_NOTICE.format(summary=summary)
    )
    notified += await notify(context.application, promoted, _promoted_text(shift, context))
    await reply(
        update, texts.VOL_SHIFT_UPDATED.format(id=shift_id, notified=notified), reply_markup=main_menu()
    )
    await reply(update, summary)
    return ConversationHandler.END


def editshift_conversation() -> ConversationHandler[BotContext]:
    """/editshift ID → field → value (→ end, for the time) → saved and everyone booked told."""
    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[
            CommandHandler("editshift", editshift_entry),
            CallbackQueryHandler(editshift_entry, pattern=r"^vol:eshift:"),
        ],
        states={
            E_FIELD: [
                CallbackQueryHandler(editshift_field_step, pattern=r"^vol:ef:"),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(E_FIELD, texts.VOL_PLEASE_PRESS)),
            ],
            E_VALUE: [
                MessageHandler(text, editshift_value_step),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(E_VALUE, texts.TEXT_EXPECTED)),
            ],
            E_END: [
                MessageHandler(text, editshift_end_step),
                MessageHandler(ANY_BUT_CANCEL, _staff_reasker(E_END, texts.VOL_ASK_END)),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel_conversation)],
        name="vol_editshift",
        persistent=True,
        allow_reentry=True,
    )


@campaign_staff_only
@domain_errors
async def cancelshift_command(update: Update, context: BotContext) -> None:
    """/cancelshift ID (or the roster's 取消活动 button): confirm first."""
    shift_id = _command_shift_id(context) if update.callback_query is None else _int_arg(_arg(update, 0))
    if shift_id is None:
        await reply(update, texts.VOL_CANCELSHIFT_USAGE)
        return
    async with context.transaction() as session:
        view = await vol.shift_view(session, shift_id)
    await answer_quietly(update)
    await reply(
        update,
        texts.VOL_CONFIRM_CANCEL_SHIFT.format(
            id=shift_id, title=escape(view.shift.title), count=view.confirmed + view.waitlisted
        ),
        reply_markup=inline_keyboard(
            [[(texts.VOL_BTN_CANCEL_SHIFT, f"vol:cshiftyes:{shift_id}"), (texts.VOL_BTN_KEEP, "vol:keep")]]
        ),
    )


@campaign_staff_only
@domain_errors
async def cancelshift_confirmed(update: Update, context: BotContext) -> None:
    """vol:cshiftyes:ID — cancel the shift and tell everyone booked or waitlisted."""
    shift_id = _int_arg(_arg(update, 0))
    if shift_id is None:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    async with context.transaction() as session:
        change = await vol.cancel_shift(session, _user_id(update), shift_id)
        shift = change.shift
    notice = texts.VOL_SHIFT_CANCELLED_NOTICE.format(
        title=escape(shift.title), when=_when(shift, context), place=escape(shift.place)
    )
    notified = await notify(context.application, change.notify_user_ids, notice)
    await edit_or_reply(update, texts.VOL_SHIFT_CANCELLED_DONE.format(id=shift_id, notified=notified))


# ================================================================== staff: /roster, exports
def _roster_text(shift: Shift, entries: list[vol.RosterEntry], context: BotContext) -> str:
    confirmed = sum(1 for e in entries if e.booking.status in vol.PLACE_HOLDING)
    waitlist = sum(1 for e in entries if e.booking.status is BookingStatus.WAITLISTED)
    lines = [
        texts.VOL_ROSTER_HEADER.format(
            id=shift.id,
            title=escape(shift.title),
            when=_when(shift, context),
            place=escape(shift.place),
            confirmed=confirmed,
            capacity=shift.capacity,
            waitlist=waitlist,
        )
    ]
    tz = context.settings.tz
    for section, label in texts.VOL_ROSTER_SECTIONS.items():
        members = [e for e in entries if e.section == section]
        lines.append(texts.VOL_ROSTER_SECTION.format(name=label, count=len(members)))
        if not members:
            lines.append(texts.VOL_ROSTER_EMPTY)
        for n, entry in enumerate(members[:50], 1):
            profile = entry.profile
            extra = ""
            if entry.booking.checked_in_at is not None:
                extra = f" {format_local(entry.booking.checked_in_at, tz, '%H:%M')}"
            if entry.booking.status is BookingStatus.COMPLETED:
                extra += f" {vol.hours_text(entry.booking.service_minutes)}h"
            lines.append(
                texts.VOL_ROSTER_LINE.format(
                    n=n,
                    name=escape(profile.real_name if profile else "—"),
                    phone=mask_phone(profile.phone) if profile else "",
                    extra=extra,
                )
            )
        if len(members) > 50:
            lines.append(f"…（+{len(members) - 50}）")
    return "\n".join(lines)


@campaign_staff_only
@domain_errors
async def roster_command(update: Update, context: BotContext) -> None:
    """/roster ID: booked, checked in, completed, no-show and waitlisted, with export buttons."""
    shift_id = _command_shift_id(context)
    if shift_id is None:
        await reply(update, texts.VOL_ROSTER_USAGE)
        return
    async with context.transaction() as session:
        shift, entries = await vol.roster(session, shift_id)
        text = _roster_text(shift, entries, context)
    rows = [
        [
            (texts.VOL_BTN_EXPORT_XLSX, f"vol:export:{shift_id}:xlsx"),
            (texts.VOL_BTN_EXPORT_CSV, f"vol:export:{shift_id}:csv"),
        ],
        [
            (texts.VOL_BTN_EDIT_SHIFT, f"vol:eshift:{shift_id}"),
            (texts.VOL_BTN_ROSTER_CANCEL, f"vol:cshift:{shift_id}"),
        ],
    ]
    await reply(update, text, reply_markup=inline_keyboard(rows))


@campaign_staff_only
@domain_errors
async def export_roster_button(update: Update, context: BotContext) -> None:
    """vol:export:ID:xlsx|csv — the roster as a document."""
    args = [*callback_args(update), "", ""]
    shift_id, kind = _int_arg(args[0]), args[1]
    if shift_id is None or kind not in ("xlsx", "csv"):
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    async with context.transaction() as session:
        _shift, entries = await vol.roster(session, shift_id)
        await audit.record(session, _user_id(update), "volunteer.roster.export", str(shift_id), format=kind)
    table = documents.roster_table(entries, context.settings.tz)
    what = texts.VOL_EXPORT_ROSTER.format(id=shift_id)
    payload = documents.to_xlsx(f"shift-{shift_id}", table) if kind == "xlsx" else documents.to_csv(table)
    await answer_quietly(update)
    message = update.effective_message
    assert message is not None
    await message.reply_document(
        payload, filename=f"roster-{shift_id}.{kind}", caption=texts.VOL_EXPORT_CAPTION.format(what=what)
    )


@campaign_staff_only
@domain_errors
async def hoursexport_command(update: Update, context: BotContext) -> None:
    """/hoursexport [YYYY-MM]: hours by volunteer for the month, as XLSX and CSV."""
    label, start, end = vol.month_bounds(
        context.args[0] if context.args else None, context.clock.now(), context.settings.tz
    )
    async with context.transaction() as session:
        rows = await vol.hours_by_volunteer(session, start, end)
        await audit.record(session, _user_id(update), "volunteer.hours.export", label, volunteers=len(rows))
    table = documents.hours_table(rows)
    caption = texts.VOL_EXPORT_CAPTION.format(what=texts.VOL_EXPORT_HOURS.format(month=label))
    message = update.effective_message
    assert message is not None
    await message.reply_document(
        documents.to_xlsx(label, table), filename=f"volunteer-hours-{label}.xlsx", caption=caption
    )
    await message.reply_document(
        documents.to_csv(table), filename=f"volunteer-hours-{label}.csv", caption=caption
    )


# ================================================================== scheduled tasks
def _reminder_handler(application: BotApplication) -> Any:
    async def send_reminder(task: ScheduledTask) -> None:
        """A 24 h / 1 h reminder, unless the booking or shift changed meanwhile."""
        payload = task.payload or {}
        async with transaction(application.bot_data.sessions) as session:
            reminder = await vol.reminder_to_send(
                session, int(payload["booking_id"]), str(payload.get("which")), task.due_at
            )
        if reminder is None:
            return
        shift = reminder.shift
        tz = application.bot_data.settings.tz
        text = texts.VOL_REMINDER.format(
            title=escape(shift.title),
            when_left=texts.VOL_REMINDER_24H if reminder.which == "24h" else texts.VOL_REMINDER_1H,
            when=vol.format_shift_time(shift, tz),
            place=escape(shift.place),
            notes=f"📝 {escape(shift.notes)}\n" if shift.notes else "",
        )
        await notify(application, [reminder.user_id], text)

    return send_reminder


def _close_handler(application: BotApplication) -> Any:
    async def close(task: ScheduledTask) -> None:
        """After a shift: no-shows marked (and told), open check-ins closed at the end time."""
        async with transaction(application.bot_data.sessions) as session:
            closed = await vol.close_shift(session, int(task.payload["shift_id"]))
        if closed is not None and closed.no_show_user_ids:
            await notify(
                application,
                closed.no_show_user_ids,
                texts.VOL_NO_SHOW_NOTICE.format(title=escape(closed.shift.title)),
            )

    return close


# ================================================================== wiring
def register(application: BotApplication) -> None:
    # Conversations first: while one is active its states see the user's messages before anything else.
    # Conversation names stay short: persistence stores them as "conversation:<name>" in a 32-character
    # column (PostgreSQL enforces it; SQLite would not notice).
    with warnings.catch_warnings():
        # Our conversations mix buttons and messages on purpose (tracked per chat, not per message).
        warnings.filterwarnings("ignore", message=r".*per_message.*", category=PTBUserWarning)
        conversations = [
            registration_conversation(),
            checkin_conversation(),
            newshift_conversation(),
            editshift_conversation(),
        ]
    application.add_handlers(
        [
            *conversations,
            CommandHandler("shifts", shifts_command),
            CallbackQueryHandler(shifts_page, pattern=r"^vol:list:"),
            CallbackQueryHandler(pick_filter, pattern=r"^vol:pick[dt]:"),
            CallbackQueryHandler(book_button, pattern=r"^vol:book:"),
            CommandHandler("myshifts", myshifts_command),
            CallbackQueryHandler(cancel_booking_button, pattern=r"^vol:cancel:"),
            CallbackQueryHandler(cancel_booking_confirmed, pattern=r"^vol:cancelyes:"),
            CallbackQueryHandler(keep_booking, pattern=r"^vol:keep$"),
            CommandHandler("hours", hours_command),
            CommandHandler("leaderboard", leaderboard_command),
            CommandHandler("certificate", certificate_command),
            CommandHandler("cancelshift", cancelshift_command),
            CallbackQueryHandler(cancelshift_command, pattern=r"^vol:cshift:"),
            CallbackQueryHandler(cancelshift_confirmed, pattern=r"^vol:cshiftyes:"),
            CommandHandler("roster", roster_command),
            CallbackQueryHandler(export_roster_button, pattern=r"^vol:export:"),
            CommandHandler("hoursexport", hoursexport_command),
        ]
    )
    application.bot_data.tasks.register(vol.REMINDER_KIND, _reminder_handler(application))
    application.bot_data.tasks.register(vol.CLOSE_KIND, _close_handler(application))


FEATURE = Feature(
    "volunteers",
    register,
    COMMANDS,
    staff_button_prefixes=("vol:eshift", "vol:ef", "vol:cshift", "vol:cshiftyes", "vol:export", "vol:ns"),
    personal_data=PersonalData("volunteer", vol.export_personal_data, vol.erase_personal_data),
    report_sections=volunteers_report.SECTIONS,
    benchmarks={
        "volunteers.signups": "bench.volunteers:bench_signups",
        "volunteers.shifts_render": "bench.volunteers:bench_shifts_render",
    },
)
