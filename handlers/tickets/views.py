"""What tickets show: pure functions from tickets, drafts and the taxonomy to text and keyboards.

Nothing here talks to Telegram or the database, so every view is unit-tested on its own
(tests/test_tickets_views.py). User-supplied text (descriptions, addresses, notes, names) is
escaped here, once; names from the taxonomy files are escaped too. Here the small pieces, filing, the
department's card and the time limits; what the reporter hears is ``reporter_views``, the lists
(/mycomplaints, /ticket, the staff queue) ``list_views``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.models import Ticket, TicketStatus
from bot.outbox import notify
from bot.services.classifier import TRIAGE_ID, ComplaintClassifier
from bot.services.tickets import (
    TEXT_LIMIT,
    Assessment,
    Filed,
    category_name,
    department_name,
)
from bot.timeutil import format_local
from handlers.kit.replies import ButtonRow, View, button_rows, escape, inline_keyboard
from handlers.tickets import texts
from handlers.tickets.callbacks import (
    AcceptButton,
    CategoryButton,
    ConfirmButton,
    DuplicateButton,
    IdentityButton,
    OtherCategoryButton,
    ReassignButton,
    ReassignMenuButton,
    RejectButton,
    ResolveButton,
    TriageButton,
    TriageMenuButton,
    ref,
)

SHORT_TIME = "%m-%d %H:%M"  # lists and histories; cards show the full date
QUEUE_BUTTONS = 10  # 处理 buttons under a page of the queue (one per ticket, the first ones)
MENU_COLUMNS = 2  # categories and departments offered as buttons, per row


# ---------------------------------------------------------------- small pieces
def hours_text(hours: float) -> str:
    return f"{hours:g}"


def names_text(names: Sequence[str]) -> str:
    return escape(texts.LIST_SEPARATOR.join(names))


def keywords_text(keywords: Sequence[str]) -> str:
    return texts.LIST_SEPARATOR.join(escape(k) for k in keywords) or texts.NO_KEYWORDS


def place_text(address: str | None, latitude: float | None, longitude: float | None) -> str:
    parts = []
    if address:
        parts.append(escape(address))
    if latitude is not None and longitude is not None:
        name = quote(texts.PLACE_MAP_NAME)
        parts.append(texts.PLACE_PIN.format(latitude=latitude, longitude=longitude, name=name))
    return " ".join(parts) or texts.NO_PLACE


def ticket_place(ticket: Ticket) -> str:
    return place_text(ticket.address, ticket.latitude, ticket.longitude)


def due_text(ticket: Ticket, tz: ZoneInfo) -> str:
    if ticket.due_at is None:
        return texts.NO_DUE
    return texts.DUE.format(due=format_local(ticket.due_at, tz), hours=hours_text(ticket.time_limit_hours))


def category_of(classifier: ComplaintClassifier, category_id: str) -> str:
    return escape(category_name(classifier, category_id))


def department_of(classifier: ComplaintClassifier, department_id: str) -> str:
    return escape(department_name(classifier, department_id))


# ---------------------------------------------------------------- filing
def start_text() -> str:
    return texts.START.format(limit=TEXT_LIMIT)


def location_prompt(forwarded: bool) -> str:
    """The question after the description (a forwarded message is acknowledged as the description)."""
    return (texts.FORWARDED + "\n" if forwarded else "") + texts.ASK_LOCATION


def location_keyboard() -> ReplyKeyboardMarkup:
    """📍 发送当前位置 (shares the phone's location) and 跳过; typing an address works too."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.LOCATION_BUTTON, request_location=True)], [texts.SKIP]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def identity_view() -> View:
    buttons = [
        (texts.NAMED, IdentityButton(anonymous=False).data),
        (texts.ANONYMOUS, IdentityButton(anonymous=True).data),
    ]
    return View(texts.ASK_IDENTITY, inline_keyboard([buttons]))


def summary_view(
    classifier: ComplaintClassifier,
    assessment: Assessment,
    *,
    text: str,
    place: str,
    anonymous: bool,
    filing_key: str,
) -> View:
    """The report as it will be filed, with how it was sorted, to confirm or re-categorise."""
    result = assessment.classification
    category = category_of(classifier, assessment.category_id)
    body = texts.SUMMARY.format(
        text=escape(text),
        place=place,
        identity=texts.ANONYMOUS if anonymous else texts.NAMED,
        category=category + (texts.USER_CHOSEN if assessment.chosen else ""),
        keywords=keywords_text(result.keywords),
        department=department_of(classifier, assessment.department_id),
        hours=hours_text(assessment.hours),
        urgent=texts.URGENT_MARK.format(kinds=names_text(result.urgent_kinds)) if result.urgent else "",
    )
    buttons = [
        (texts.CONFIRM, ConfirmButton(key=filing_key).data),
        (texts.OTHER_CATEGORY, OtherCategoryButton().data),
    ]
    return View(body, inline_keyboard([buttons]))


def category_menu_view(classifier: ComplaintClassifier) -> View:
    """选择其他分类: every category as a button."""
    buttons = [(c.name, CategoryButton(category=ref(c.id)).data) for c in classifier.categories.values()]
    return View(texts.PICK_CATEGORY, inline_keyboard(button_rows(buttons, MENU_COLUMNS)))


def filed_text(classifier: ComplaintClassifier, filed: Filed) -> str:
    ticket = filed.ticket
    if filed.original is not None:
        return texts.FILED_DUPLICATE.format(number=ticket.number, original=filed.original.number)
    return texts.FILED.format(
        number=ticket.number,
        department=department_of(classifier, ticket.department_id),
        hours=hours_text(ticket.time_limit_hours),
        photos=texts.FILED_PHOTOS.format(count=len(ticket.photo_file_ids)) if ticket.photo_file_ids else "",
    )


def card_venue(ticket: Ticket) -> notify.Location | None:
    """The ticket's shared location as a venue (a map in the chat) to send with its card."""
    if ticket.latitude is None or ticket.longitude is None:
        return None
    address = ticket.address or texts.PLACE_VENUE_COORDINATES.format(
        latitude=ticket.latitude, longitude=ticket.longitude
    )
    title = texts.PLACE_VENUE_TITLE.format(number=ticket.number)
    return notify.Location(ticket.latitude, ticket.longitude, title, address)


def card_photos_caption(ticket: Ticket) -> str:
    """The caption of the report's photos, sent with its card and with /ticket to those who handle it."""
    return texts.CARD_PHOTOS.format(number=ticket.number, count=len(ticket.photo_file_ids))


def urgent_alert_text(classifier: ComplaintClassifier, ticket: Ticket) -> str:
    return texts.URGENT_ALERT.format(
        number=ticket.number,
        kinds=names_text(ticket.urgent_kinds),
        text=escape(ticket.text),
        department=department_of(classifier, ticket.department_id),
        hours=hours_text(ticket.time_limit_hours),
    )


# ---------------------------------------------------------------- the department's card
def card_text(
    classifier: ComplaintClassifier,
    ticket: Ticket,
    reporter: str | None,
    tz: ZoneInfo,
    *,
    handler: str | None = None,
) -> str:
    """The ticket as its department sees it; ``reporter`` is the reporter's name (None: gone),
    ``handler`` the name of the staff member who acted on it last (None: nobody yet)."""
    if ticket.reporter_id is None:
        who = texts.REPORTER_GONE  # /forget: erased reporters read the same whether they were named
    elif ticket.anonymous:
        who = texts.REPORTER_ANONYMOUS
    elif reporter is None:
        who = texts.REPORTER_GONE
    else:
        who = escape(reporter)
    urgent = texts.CARD_URGENT.format(kinds=names_text(ticket.urgent_kinds)) if ticket.urgent else ""
    return texts.CARD.format(
        urgent=urgent,
        number=ticket.number,
        status=texts.STATUS_NAMES[ticket.status],
        category=category_of(classifier, ticket.category_id),
        confidence=f"{ticket.confidence:.2f}",
        keywords=keywords_text(ticket.keywords),
        department=department_of(classifier, ticket.department_id),
        text=escape(ticket.text),
        place=ticket_place(ticket),
        photos=len(ticket.photo_file_ids),
        reporter=who,
        created=format_local(ticket.created_at, tz),
        due=due_text(ticket, tz),
        handler=texts.CARD_HANDLER.format(name=escape(handler)) if handler else "",
    )


def card_keyboard(ticket: Ticket) -> InlineKeyboardMarkup | None:
    """受理 (while 待受理), 转派, 办结, 驳回, 重复, and 分拣 for a 待分拣 ticket; none once it is closed."""
    if not ticket.status.is_open:
        return None
    first = []
    if ticket.status is TicketStatus.RECEIVED:
        first.append((texts.BUTTON_ACCEPT, AcceptButton(ticket=ticket.id).data))
    first.append((texts.BUTTON_REASSIGN, ReassignMenuButton(ticket=ticket.id).data))
    rows: list[ButtonRow] = [
        first,
        [
            (texts.BUTTON_RESOLVE, ResolveButton(ticket=ticket.id).data),
            (texts.BUTTON_REJECT, RejectButton(ticket=ticket.id).data),
            (texts.BUTTON_DUPLICATE, DuplicateButton(ticket=ticket.id).data),
        ],
    ]
    if ticket.category_id == TRIAGE_ID:
        label = texts.BUTTON_TRIAGE.format(name=texts.FILTER_TRIAGE)
        rows.append([(label, TriageMenuButton(ticket=ticket.id).data)])
    return inline_keyboard(rows)


def card_view(classifier: ComplaintClassifier, ticket: Ticket, reporter: str | None, tz: ZoneInfo) -> View:
    return View(card_text(classifier, ticket, reporter, tz), card_keyboard(ticket))


def reassign_menu_view(classifier: ComplaintClassifier, ticket: Ticket) -> View:
    """转派: the other departments as buttons."""
    buttons = [
        (d.name, ReassignButton(ticket=ticket.id, department=ref(d.id)).data)
        for d in classifier.departments.values()
        if d.id != ticket.department_id
    ]
    text = texts.PICK_DEPARTMENT.format(number=ticket.number)
    return View(text, inline_keyboard(button_rows(buttons, MENU_COLUMNS)))


def triage_menu_view(classifier: ComplaintClassifier, ticket: Ticket) -> View:
    """分拣: every category as a button."""
    buttons = [
        (c.name, TriageButton(ticket=ticket.id, category=ref(c.id)).data)
        for c in classifier.categories.values()
    ]
    text = texts.PICK_TRIAGE.format(number=ticket.number)
    return View(text, inline_keyboard(button_rows(buttons, MENU_COLUMNS)))


def note_prompt(template: str, number: str, user_id: int | None, first_name: str) -> str:
    """The question for a note, mentioning the staff member (a selective ForceReply needs the mention
    to open the reply box for them alone in a group)."""
    mention = texts.MENTION.format(user_id=user_id, name=escape(first_name)) if user_id is not None else ""
    return mention + template.format(number=number)


def staff_done_text(number: str, done: str, actor_id: int, actor_name: str | None) -> str:
    """What a staff member did, in the chat where they did it (by name, for the group; the id when
    they have none)."""
    actor = escape(actor_name) if actor_name else str(actor_id)
    return texts.STAFF_DONE.format(number=number, action=done, actor=actor)


def reassigned_text(
    classifier: ComplaintClassifier, ticket: Ticket, actor_id: int, actor_name: str | None
) -> str:
    done = texts.DONE_REASSIGNED_TO.format(department=department_of(classifier, ticket.department_id))
    return staff_done_text(ticket.number, done, actor_id, actor_name)


def triaged_text(
    classifier: ComplaintClassifier, ticket: Ticket, actor_id: int, actor_name: str | None
) -> str:
    done = texts.DONE_TRIAGED_AS.format(category=category_of(classifier, ticket.category_id))
    return staff_done_text(ticket.number, done, actor_id, actor_name)


def done_toast(done: str, number: str) -> str:
    return texts.DONE_TOAST.format(action=done, number=number)


# ---------------------------------------------------------------- time limits
def warning_text(ticket: Ticket, tz: ZoneInfo, now: datetime) -> str:
    """75 % of the time limit has passed (to the department)."""
    return texts.WARN.format(
        number=ticket.number,
        due=format_local(ticket.due_at or now, tz),
        hours=hours_text(ticket.time_limit_hours),
    )


def escalation_text(classifier: ComplaintClassifier, ticket: Ticket, tz: ZoneInfo, now: datetime) -> str:
    """督办: the time limit has passed (to the campaign staff and the department)."""
    return texts.ESCALATE.format(
        number=ticket.number,
        category=category_of(classifier, ticket.category_id),
        department=department_of(classifier, ticket.department_id),
        due=format_local(ticket.due_at or now, tz),
        status=texts.STATUS_NAMES[ticket.status],
    )
