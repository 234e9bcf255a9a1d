"""What a reporter hears as the ticket moves: accepted, reassigned, triaged, resolved (with the rating
buttons), rejected, closed, reopened. Pure functions; user text escaped here."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.models import Ticket
from bot.services.classifier import ComplaintClassifier
from bot.services.tickets import (
    RATINGS,
    REOPEN_DAYS,
)
from handlers.kit.replies import View, escape, inline_keyboard
from handlers.tickets import texts
from handlers.tickets.callbacks import (
    RateButton,
    ReopenButton,
)
from handlers.tickets.views import (
    category_of,
    department_of,
    hours_text,
)


def accepted_notice(classifier: ComplaintClassifier, ticket: Ticket) -> str:
    return texts.NOTIFY_ACCEPTED.format(
        number=ticket.number, department=department_of(classifier, ticket.department_id)
    )


def reassigned_notice(classifier: ComplaintClassifier, ticket: Ticket) -> str:
    return texts.NOTIFY_REASSIGNED.format(
        number=ticket.number, department=department_of(classifier, ticket.department_id)
    )


def triaged_notice(classifier: ComplaintClassifier, ticket: Ticket) -> str:
    return texts.NOTIFY_TRIAGED.format(
        number=ticket.number,
        category=category_of(classifier, ticket.category_id),
        department=department_of(classifier, ticket.department_id),
    )


def rating_keyboard(ticket: Ticket) -> InlineKeyboardMarkup:
    """1–5 stars on two rows, then 重新办理."""
    stars = [
        (texts.RATE_BUTTON.format(stars=texts.STAR * n, n=n), RateButton(ticket=ticket.id, stars=n).data)
        for n in RATINGS
    ]
    reopen = (texts.REOPEN_BUTTON, ReopenButton(ticket=ticket.id).data)
    return inline_keyboard([stars[:3], stars[3:], [reopen]])


def resolved_notice(ticket: Ticket, note: str) -> View:
    text = texts.NOTIFY_RESOLVED.format(number=ticket.number, note=escape(note), days=REOPEN_DAYS)
    return View(text, rating_keyboard(ticket))


def rejected_notice(ticket: Ticket, reason: str) -> str:
    return texts.NOTIFY_REJECTED.format(number=ticket.number, note=escape(reason))


def duplicate_notice(ticket: Ticket, original: Ticket) -> str:
    return texts.NOTIFY_DUPLICATE.format(number=ticket.number, original=original.number)


def linked_outcome_notice(ticket: Ticket, note: str) -> str:
    """To the reporters of the duplicates merged into ``ticket``."""
    return texts.LINKED_OUTCOME.format(
        number=ticket.number, status=texts.STATUS_NAMES[ticket.status], note=escape(note)
    )


def auto_closed_notice(ticket: Ticket) -> str:
    """To the reporter, when a resolved ticket nobody rated closes itself."""
    return texts.NOTIFY_AUTO_CLOSED.format(number=ticket.number, days=REOPEN_DAYS)


def rated_text(ticket: Ticket) -> str:
    return texts.NOTIFY_CLOSED.format(rating=ticket.rating, number=ticket.number)


def reopened_text(classifier: ComplaintClassifier, ticket: Ticket) -> str:
    return texts.NOTIFY_REOPENED.format(
        number=ticket.number,
        department=department_of(classifier, ticket.department_id),
        hours=hours_text(ticket.time_limit_hours),
    )


def reopened_staff_notice(ticket: Ticket, reason: str) -> str:
    return texts.REOPENED_STAFF.format(number=ticket.number, reason=escape(reason))


def reopen_reason_prompt(ticket: Ticket) -> str:
    return texts.ASK_REOPEN_REASON.format(number=ticket.number)
