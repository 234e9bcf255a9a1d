"""Volunteers: registration, shifts and bookings, check-in/out, hours and certificates; staff shift management.

This module is the feature's manifest; the pieces live beside it: ``registration`` (登记 and the
profile, a conversation), ``shifts`` (/shifts and booking), ``myshifts`` (one's bookings, cancelling),
``checkin`` (签到/签退, a conversation), ``hours`` (/hours, /leaderboard, /certificate), ``newshift``,
``editshift`` (and /cancelshift) and ``roster`` (and /hoursexport) for campaign staff, ``tasks``
(reminders, closing shifts), ``views`` and ``staff_views`` (text and keyboards), ``documents``
(XLSX, CSV, the certificate PNG), ``report`` (its section of the supervision report), ``callbacks``
(button kinds), ``texts`` (wording). The conversations are drawn in ``conversations.mmd``; the rules
are in ``bot.services.volunteers``.
"""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.app import BotApplication
from bot.services import volunteers as service
from bot.services.personal_data import PersonalData
from handlers.kit.feature import Command, Feature
from handlers.kit.guards import Audience
from handlers.volunteers import (
    checkin,
    editshift,
    hours,
    myshifts,
    newshift,
    registration,
    roster,
    shifts,
    tasks,
    texts,
)
from handlers.volunteers.callbacks import (
    BUTTONS,
    BookButton,
    BookShiftButton,
    CancelBookingButton,
    CancelShiftButton,
    ConfirmCancelBookingButton,
    ConfirmCancelShiftButton,
    DateFilterButton,
    DistrictFilterButton,
    ExportRosterButton,
    KeepButton,
    ShiftListButton,
)
from handlers.volunteers.report import SECTIONS

RESIDENT_COMMANDS = ("volunteer", "shifts", "myshifts", "hours", "leaderboard", "certificate")
PRIVATE_COMMANDS = ("volunteer", "myshifts", "hours", "certificate")  # personal: private chats only
STAFF_COMMANDS = ("newshift", "editshift", "cancelshift", "roster", "hoursexport")


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            # Conversations first: while one is active, its state sees the person's messages.
            *registration.handlers(),
            *checkin.handlers(),
            *newshift.handlers(),
            *editshift.handlers(),
            CommandHandler("shifts", shifts.shifts_command),
            ShiftListButton.handler(shifts.list_pressed),
            DistrictFilterButton.handler(shifts.district_filter_pressed),
            DateFilterButton.handler(shifts.date_filter_pressed),
            BookButton.handler(shifts.book_pressed),
            BookShiftButton.handler(shifts.book_shift_pressed),
            CommandHandler("myshifts", myshifts.myshifts_command),
            CancelBookingButton.handler(myshifts.cancel_pressed),
            ConfirmCancelBookingButton.handler(myshifts.cancel_confirmed),
            KeepButton.handler(myshifts.keep_pressed),
            CommandHandler("hours", hours.hours_command),
            CommandHandler("leaderboard", hours.leaderboard_command),
            CommandHandler("certificate", hours.certificate_command),
            CommandHandler("cancelshift", editshift.cancelshift_command),
            CancelShiftButton.handler(editshift.cancel_pressed),
            ConfirmCancelShiftButton.handler(editshift.cancel_confirmed),
            CommandHandler("roster", roster.roster_command),
            ExportRosterButton.handler(roster.export_pressed),
            CommandHandler("hoursexport", roster.hoursexport_command),
        ]
    )


FEATURE = Feature(
    name="volunteers",
    register=register,
    commands=[
        *(
            Command(name, texts.COMMANDS[name], private=name in PRIVATE_COMMANDS)
            for name in RESIDENT_COMMANDS
        ),
        *(Command(name, texts.COMMANDS[name], Audience.CAMPAIGN_STAFF) for name in STAFF_COMMANDS),
    ],
    buttons=BUTTONS,
    errors=texts.ERRORS,
    personal_data=PersonalData("volunteer", service.export_personal_data, service.erase_personal_data),
    tasks={service.REMINDER_KIND: tasks.reminder_task, service.CLOSE_KIND: tasks.close_task},
    report_sections=SECTIONS,
    benchmarks={
        "volunteers.signups": "bench.volunteers:bench_signups",
        "volunteers.shifts_render": "bench.volunteers:bench_shifts_render",
    },
)
