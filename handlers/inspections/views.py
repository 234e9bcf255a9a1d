"""What the inspections feature shows: pure functions from domain objects to text and keyboards.
Here the inspector's walk (finding a site, the location, each item, the summary) and the formats and
limits every screen shares; the rectification cards are ``task_cards``, the lists ``list_views``,
the report's sections ``report`` and the data check ``cli``.

Nothing here talks to Telegram or the database. Values from people (notes, reasons, names) and from
the city's data files (site names, checks) are escaped here, once. What a unit is shown — its task
cards, notices and lists — never names who inspected.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.models import InspectionItem, ItemResult
from bot.services.inspections import (
    MAX_PHOTOS,
    ContentError,
    Deadlines,
    InspectionContent,
    Site,
    Submission,
    Walk,
)
from bot.timeutil import format_local
from handlers.inspections import texts
from handlers.inspections.callbacks import (
    AnswerButton,
    DiscardButton,
    EditButton,
    ItemButton,
    NextButton,
    ResumeButton,
    SiteButton,
    StartAnywayButton,
    SubmitButton,
)
from handlers.kit.replies import View, escape, inline_keyboard

TIME = "%m-%d %H:%M"
KEYBOARD = list[list[tuple[str, str]]]


# ---------------------------------------------------------------- small formats
def distance_text(meters: float) -> str:
    if meters < 1000:
        return texts.DISTANCE_METERS.format(meters=round(meters))
    return texts.DISTANCE_KM.format(km=f"{meters / 1000:.1f}")


def score_text(score: float | None) -> str:
    return texts.NO_VALUE if score is None else texts.SCORE.format(value=round(score, 1))


def hours_text(hours: float) -> str:
    if hours >= 48 and hours % 24 == 0:
        return texts.DAYS.format(days=hours / 24)
    return texts.HOURS.format(hours=hours)


def percent_text(rate: float | None) -> str:
    return texts.NO_VALUE if rate is None else texts.PERCENT.format(value=rate * 100)


def when(value: datetime, tz: ZoneInfo) -> str:
    return format_local(value, tz, TIME)


def check_of(content: InspectionContent, item_id: str) -> str:
    item = content.item(item_id)
    return escape(item.check if item else item_id)


def site_of(content: InspectionContent, site_id: str) -> str:
    return escape(content.site_name(site_id))


def unit_of(content: InspectionContent, unit_id: str) -> str:
    return escape(content.unit_name(unit_id))


def content_error_text(error: ContentError) -> str:
    """One line naming the file, the place and the problem (start-up and `inspections check`)."""
    place = ""
    if error.place is not None:
        place = texts.CONTENT_PLACES[error.place.kind].format(
            number=error.place.number, name=error.place.name
        )
    problem = texts.CONTENT_PROBLEMS[error.problem].format(**error.params)
    return texts.CONTENT_ERROR.format(file=error.file, place=place, problem=problem)


# ---------------------------------------------------------------- finding a site
def location_keyboard() -> ReplyKeyboardMarkup:
    """The reply keyboard that shares one's location."""
    button = KeyboardButton(texts.SEND_LOCATION, request_location=True)
    return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)


def nearby_view(found: Sequence[tuple[Site, float]]) -> View:
    rows = [
        [
            (
                texts.NEARBY_BUTTON.format(name=site.name, distance=distance_text(d)),
                SiteButton(site=site.id).data,
            )
        ]
        for site, d in found
    ]
    return View(texts.NEARBY_HEADER, inline_keyboard(rows))


def search_view(found: Sequence[Site], words: str) -> View:
    if not found:
        return View(texts.SEARCH_NONE.format(words=escape(words)))
    rows = [
        [(texts.SEARCH_BUTTON.format(name=site.name, district=site.district), SiteButton(site=site.id).data)]
        for site in found
    ]
    return View(texts.SEARCH_HEADER.format(count=len(found)), inline_keyboard(rows))


def resume_view(walk: Walk, content: InspectionContent, tz: ZoneInfo) -> View:
    inspection = walk.inspection
    text = texts.RESUME.format(
        site=site_of(content, inspection.site_id),
        type=escape(content.type_name(inspection.site_type)),
        answered=walk.answered,
        total=walk.total,
        started=when(inspection.started_at, tz),
    )
    buttons = [
        (texts.RESUME_BUTTON, ResumeButton(inspection=inspection.id).data),
        (texts.DISCARD_BUTTON, DiscardButton(inspection=inspection.id).data),
    ]
    return View(text, inline_keyboard([buttons]))


# ---------------------------------------------------------------- location
def started_text(site: Site, content: InspectionContent, walk: Walk) -> str:
    return texts.STARTED.format(
        site=escape(site.name),
        type=escape(content.type_name(site.type)),
        district=escape(site.district),
        address=escape(site.address),
        total=walk.total,
    )


def ask_location_text(radius_m: float) -> str:
    return texts.ASK_LOCATION.format(radius=round(radius_m))


def located_text(distance_m: float) -> str:
    return texts.LOCATED.format(distance=distance_text(distance_m))


def far_view(inspection_id: int, distance_m: float, radius_m: float) -> View:
    text = texts.FAR.format(distance=distance_text(distance_m), radius=round(radius_m))
    button = (texts.START_ANYWAY, StartAnywayButton(inspection=inspection_id).data)
    return View(text, inline_keyboard([[button]]))


# ---------------------------------------------------------------- items
def item_view(walk: Walk, item: InspectionItem, content: InspectionContent) -> View:
    inspection = walk.inspection
    current = texts.ITEM_CURRENT.format(result=texts.RESULT_LABELS[item.result]) if item.result else ""
    text = texts.ITEM.format(
        site=site_of(content, inspection.site_id),
        number=item.position + 1,
        total=walk.total,
        negative=texts.ITEM_NEGATIVE if item.negative else "",
        check=check_of(content, item.item_id),
        points=f"{item.points:g}",
        current=current,
    )
    buttons = [
        (
            texts.RESULT_LABELS[result],
            AnswerButton(inspection=inspection.id, position=item.position, result=result).data,
        )
        for result in (ItemResult.PASS, ItemResult.FAIL, ItemResult.NOT_APPLICABLE)
    ]
    return View(text, inline_keyboard([buttons]))


def answered_text(item: InspectionItem, content: InspectionContent) -> str:
    assert item.result is not None
    return texts.ANSWERED.format(
        number=item.position + 1,
        check=check_of(content, item.item_id),
        result=texts.RESULT_LABELS[item.result],
    )


def photo_prompt(item: InspectionItem, content: InspectionContent) -> str:
    return texts.PHOTO_PROMPT.format(
        number=item.position + 1, check=check_of(content, item.item_id), limit=MAX_PHOTOS
    )


def _next_keyboard(inspection_id: int, item: InspectionItem) -> Any:
    button = (texts.NEXT_BUTTON, NextButton(inspection=inspection_id, position=item.position).data)
    return inline_keyboard([[button]])


def photo_received_view(inspection_id: int, item: InspectionItem) -> View:
    return View(texts.PHOTO_RECEIVED.format(count=len(item.photos)), _next_keyboard(inspection_id, item))


def note_received_view(inspection_id: int, item: InspectionItem) -> View:
    if not item.photos:
        return View(texts.NOTE_RECEIVED.format(photos=texts.NOTE_NEEDS_PHOTO))
    return View(texts.NOTE_RECEIVED.format(photos=texts.NOTE_HAS_PHOTOS), _next_keyboard(inspection_id, item))


# ---------------------------------------------------------------- summary and submitting
def summary_view(walk: Walk, content: InspectionContent, deadlines: Deadlines) -> View:
    inspection = walk.inspection
    distance = distance_text(inspection.distance_m or 0.0)
    location = (texts.SUMMARY_MISMATCH if inspection.location_mismatch else texts.SUMMARY_LOCATION).format(
        distance=distance
    )
    counts = {result: sum(1 for i in walk.items if i.result is result) for result in ItemResult}
    lines = [
        texts.SUMMARY.format(
            site=site_of(content, inspection.site_id),
            location=location,
            passed=counts[ItemResult.PASS],
            failed=counts[ItemResult.FAIL],
            skipped=counts[ItemResult.NOT_APPLICABLE],
            deductions=f"{walk.deductions:g}",
            score=score_text(walk.score),
        )
    ]
    if walk.failed:
        lines.append(texts.SUMMARY_FAILED_HEADER)
        for item in walk.failed:
            note = texts.SUMMARY_NOTE.format(note=escape(item.note)) if item.note else ""
            lines.append(
                texts.SUMMARY_FAILED.format(
                    check=check_of(content, item.item_id),
                    negative=texts.ITEM_NEGATIVE if item.negative else "",
                    points=f"{item.points:g}",
                    unit=unit_of(content, item.unit_id),
                    hours=hours_text(deadlines.hours(item.negative)),
                    note=note,
                )
            )
    else:
        lines.append(texts.SUMMARY_ALL_PASSED)
    lines.append(texts.SUMMARY_FOOTER)
    buttons = [
        (texts.SUBMIT_BUTTON, SubmitButton(inspection=inspection.id).data),
        (texts.EDIT_BUTTON, EditButton(inspection=inspection.id).data),
        (texts.DISCARD_BUTTON, DiscardButton(inspection=inspection.id).data),
    ]
    return View(fit_message("\n".join(lines)), inline_keyboard([buttons]))


def edit_list_view(walk: Walk, content: InspectionContent) -> View:
    rows = []
    for item in walk.items:
        check = content.item(item.item_id)
        words = check.check if check else item.item_id
        if len(words) > texts.EDIT_LABEL_CHARS:
            words = words[: texts.EDIT_LABEL_CHARS] + "…"
        label = texts.EDIT_ITEM.format(
            number=item.position + 1, mark=texts.EDIT_MARKS[item.result], check=words
        )
        rows.append([(label, ItemButton(inspection=walk.inspection.id, position=item.position).data)])
    return View(texts.EDIT_HEADER, inline_keyboard(rows))


def submitted_text(submission: Submission, content: InspectionContent) -> str:
    inspection = submission.inspection
    lines = [
        texts.SUBMITTED.format(site=site_of(content, inspection.site_id), score=score_text(inspection.score))
    ]
    if submission.tasks:
        units = {task.unit_id for task in submission.tasks}
        lines.append(texts.SUBMITTED_TASKS.format(units=len(units), tasks=len(submission.tasks)))
    else:
        lines.append(texts.SUBMITTED_NO_TASKS)
    return "\n".join(lines)


# ---------------------------------------------------------------- Telegram's limits
MESSAGE_LIMIT = 4000  # under Telegram's 4,096
CAPTION_LIMIT = 800  # a card may travel as a photo's caption (1,024, less the rerouting line)


CARD_NOTE_CHARS = 120  # a note or a reason on a card: the card stays short enough to be a caption
CHECK_NOTE_CHARS = 200  # the unit's note on a re-check card (its details show it whole)


def shorten(text: str, limit: int = CARD_NOTE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit_message(text: str, *, caption: bool = False) -> str:
    """Cut an over-long text (a city's long names, many items) at a line, so Telegram takes it."""
    limit = CAPTION_LIMIT if caption else MESSAGE_LIMIT
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 1)
    return text[: cut if cut > 0 else limit - 1] + "\n…"
