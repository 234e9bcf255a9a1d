"""The ticket lists: a reporter's /mycomplaints, one ticket's /ticket with its history, and the staff
queue with its filters. Pure functions; user text escaped here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.models import Ticket, TicketEvent
from bot.services.classifier import ComplaintClassifier
from bot.timeutil import format_local
from handlers.kit.replies import ButtonRow, View, button_rows, escape, inline_keyboard
from handlers.tickets import texts
from handlers.tickets.callbacks import (
    QueueButton,
    QueueCategoryButton,
    QueueDepartmentButton,
    QueueMenuButton,
    QueueStatusButton,
    ViewButton,
    ref,
)
from handlers.tickets.views import (
    MENU_COLUMNS,
    QUEUE_BUTTONS,
    SHORT_TIME,
    card_keyboard,
    category_of,
    department_of,
    due_text,
    ticket_place,
)


def my_tickets_text(classifier: ComplaintClassifier, tickets: Sequence[Ticket], tz: ZoneInfo) -> str:
    if not tickets:
        return texts.MINE_EMPTY
    lines = [texts.MINE_HEADER.format(count=len(tickets))]
    lines += [
        texts.MINE_LINE.format(
            number=t.number,
            status=texts.STATUS_NAMES[t.status],
            category=category_of(classifier, t.category_id),
            created=format_local(t.created_at, tz, SHORT_TIME),
        )
        for t in tickets
    ]
    lines.append(texts.MINE_FOOTER)
    return "\n".join(lines)


def history_text(events: Sequence[TicketEvent], tz: ZoneInfo) -> str:
    """One line per event people should see (a duplicate's link to its original is not one)."""
    return "\n".join(
        texts.HISTORY_LINE.format(
            time=format_local(e.created_at, tz, SHORT_TIME),
            event=texts.EVENT_NAMES[e.kind],
            note=texts.HISTORY_NOTE.format(note=escape(e.note)) if e.note else "",
        )
        for e in events
        if e.kind in texts.EVENT_NAMES
    )


def detail_view(
    classifier: ComplaintClassifier,
    ticket: Ticket,
    events: Sequence[TicketEvent],
    tz: ZoneInfo,
    *,
    handles: bool,
) -> View:
    """/ticket: the ticket and its history; with the card's buttons for those who handle it."""
    text = texts.DETAIL.format(
        number=ticket.number,
        status=texts.STATUS_NAMES[ticket.status],
        category=category_of(classifier, ticket.category_id),
        department=department_of(classifier, ticket.department_id),
        text=escape(ticket.text),
        place=ticket_place(ticket),
        created=format_local(ticket.created_at, tz),
        due=due_text(ticket, tz),
        rating=texts.DETAIL_RATING.format(rating=ticket.rating) if ticket.rating else "",
        history=history_text(events, tz),
    )
    return View(text, card_keyboard(ticket) if handles else None)


# ---------------------------------------------------------------- the staff queue
def queue_menu_rows() -> list[ButtonRow]:
    return [
        [
            (texts.FILTER_OPEN, QueueButton(filter="open").data),
            (texts.FILTER_TRIAGE, QueueButton(filter="triage").data),
            (texts.FILTER_OVERDUE, QueueButton(filter="overdue").data),
        ],
        [
            (texts.FILTER_STATUS, QueueMenuButton(of="status").data),
            (texts.FILTER_CATEGORY, QueueMenuButton(of="cat").data),
            (texts.FILTER_DEPARTMENT, QueueMenuButton(of="dept").data),
        ],
    ]


def queue_view(
    classifier: ComplaintClassifier,
    tickets: Sequence[Ticket],
    total: int,
    label: str,
    tz: ZoneInfo,
    now: datetime,
    rerouted: Sequence[Ticket] = (),
    rerouted_total: int = 0,
) -> View:
    """A page of the queue under its filter's ``label``: overdue ones marked, a 处理 button for the
    first; above it, the open tickets whose card could not reach their department's group."""
    more = texts.QUEUE_MORE.format(shown=len(tickets)) if total > len(tickets) else ""
    lines = [texts.QUEUE_HEADER.format(filter=escape(label), count=total, more=more)]
    if rerouted:
        lines.append(texts.QUEUE_REROUTED.format(count=max(rerouted_total, len(rerouted))))
        lines += [
            texts.QUEUE_REROUTED_LINE.format(
                number=t.number,
                status=texts.STATUS_NAMES[t.status],
                department=department_of(classifier, t.department_id),
            )
            for t in rerouted
        ]
        lines.append("")
    if not tickets:
        lines.append(texts.QUEUE_EMPTY)
    for t in tickets:
        overdue = t.status.is_open and t.due_at is not None and t.due_at < now
        lines.append(
            texts.QUEUE_LINE.format(
                overdue=texts.QUEUE_OVERDUE_MARK if overdue else "",
                number=t.number,
                status=texts.STATUS_NAMES[t.status],
                category=category_of(classifier, t.category_id),
                department=department_of(classifier, t.department_id),
                due=format_local(t.due_at, tz, SHORT_TIME) if t.due_at else texts.NO_DUE,
            )
        )
    rows = queue_menu_rows()
    rows += [
        [(texts.VIEW_BUTTON.format(number=t.number), ViewButton(ticket=t.id).data)]
        for t in tickets[:QUEUE_BUTTONS]
    ]
    return View("\n".join(lines), inline_keyboard(rows))


def queue_pick_view(classifier: ComplaintClassifier, of: str) -> View:
    """The values of one filter (statuses, categories or departments) as buttons."""
    options: list[tuple[str, str]]
    if of == "status":
        options = [(name, QueueStatusButton(status=s).data) for s, name in texts.STATUS_NAMES.items()]
    elif of == "cat":
        options = [
            (c.name, QueueCategoryButton(category=ref(c.id)).data) for c in classifier.categories.values()
        ]
    else:
        options = [
            (d.name, QueueDepartmentButton(department=ref(d.id)).data)
            for d in classifier.departments.values()
        ]
    return View(texts.QUEUE_PICK, inline_keyboard(button_rows(options, MENU_COLUMNS)))
