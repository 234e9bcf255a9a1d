"""What the nominations feature shows: pure functions from drafts and domain objects to text and keyboards.

Nothing here talks to Telegram or the database, so every view is unit-tested on its own
(tests/test_nominations_views.py). User-supplied text is escaped here, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import get_args
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.models import Nomination, NominationKind, NominationStatus, VotingRound
from bot.services import nominations as service
from bot.services.nominations import (
    HonorRoll,
    Notice,
    Publication,
    Submission,
)
from bot.services.privacy import mask_phone
from bot.timeutil import format_local, local
from handlers.kit.callbacks import Button
from handlers.kit.paging import split_message
from handlers.kit.replies import View, escape, inline_keyboard
from handlers.nominations import texts
from handlers.nominations.callbacks import (
    CancelButton,
    ConsentButton,
    DraftField,
    EditButton,
    FieldButton,
    HonorsButton,
    KindButton,
    PhotosDoneButton,
    SkipContactButton,
    SubmitButton,
    SupplementButton,
    VoteButton,
)
from handlers.nominations.draft import NominationDraft

MINE_SHOWN = 30  # nominations listed by /mynominations
VOTE_STORY_CHARS = 200
HONORS_CHUNK_CHARS = 3800  # leaves room for the other-months footer
OTHER_MONTHS_SHOWN = 6


def kind_name(kind: NominationKind) -> str:
    return texts.KIND_NAMES[kind]


def status_name(status: NominationStatus) -> str:
    return texts.STATUS_NAMES[status]


def masked_phone(phone: str | None) -> str:
    """What staff see of a nominator's phone: 138****8000, or 未填写."""
    return mask_phone(phone) if phone else texts.NONE


def shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + texts.ELLIPSIS


def yes_no(value: bool) -> str:
    return texts.YES if value else texts.NO


def _one_button(label: str, button: Button) -> InlineKeyboardMarkup:
    return inline_keyboard([[(label, button.data)]])


# ---------------------------------------------------------------- the nomination conversation
def kind_prompt() -> View:
    """The five kinds, two to a row."""
    names = [(texts.KIND_NAMES[k], KindButton(kind=k).data) for k in NominationKind]
    return View(texts.START, inline_keyboard([names[:2], names[2:4], names[4:]]))


def name_prompt() -> View:
    return View(texts.ASK_NAME)


def community_prompt() -> View:
    return View(texts.ASK_COMMUNITY)


def story_prompt() -> View:
    return View(texts.ASK_STORY.format(min=service.STORY_MIN, max=service.STORY_MAX))


def _with_done(text: str) -> View:
    return View(text, _one_button(texts.PHOTOS_DONE, PhotosDoneButton()))


def photos_prompt() -> View:
    return _with_done(texts.ASK_PHOTOS.format(max=service.MAX_PHOTOS))


def photo_added(count: int) -> View:
    return _with_done(texts.PHOTO_ADDED.format(count=count, left=service.MAX_PHOTOS - count))


def photo_limit() -> View:
    return _with_done(texts.PHOTO_LIMIT.format(max=service.MAX_PHOTOS))


def photo_expected() -> View:
    return _with_done(texts.PHOTO_EXPECTED)


def contact_prompt() -> View:
    return View(texts.ASK_CONTACT, _one_button(texts.SKIP, SkipContactButton()))


def consent_prompt() -> View:
    buttons = [
        (texts.CONSENT_YES, ConsentButton(answer="yes").data),
        (texts.CONSENT_NO, ConsentButton(answer="no").data),
    ]
    return View(texts.ASK_CONSENT, inline_keyboard([buttons]))


def summary(draft: NominationDraft) -> View:
    """Everything entered so far, with 提交 / 修改 / 取消."""
    text = texts.SUMMARY.format(
        kind=_kind_label(draft.get("kind")),
        name=escape(draft.get("name", "")),
        community=escape(draft.get("community", "")),
        story=escape(draft.get("story", "")),
        photos=len(draft.get("photos", [])),
        contact=escape(draft.get("contact") or texts.NONE),
        may_contact=yes_no(bool(draft.get("may_contact"))),
    )
    buttons = [
        (texts.SUBMIT, SubmitButton().data),
        (texts.EDIT, EditButton().data),
        (texts.CANCEL, CancelButton().data),
    ]
    return View(text, inline_keyboard([buttons]))


def _kind_label(value: str | None) -> str:
    kinds = {kind.value: kind for kind in NominationKind}
    return texts.KIND_NAMES[kinds[value]] if value in kinds else texts.NONE


def field_picker() -> View:
    """修改: the seven fields, three then four."""
    fields = [(texts.FIELD_NAMES[key], FieldButton(field=key).data) for key in get_args(DraftField)]
    return View(texts.EDIT_WHICH, inline_keyboard([fields[:3], fields[3:]]))


def submitted_text(submission: Submission) -> str:
    """The number; and, when the same person was nominated before, which nomination it joined."""
    nomination, parent = submission.nomination, submission.parent
    if parent is None:
        return texts.SUBMITTED.format(number=nomination.number)
    return texts.JOINED.format(
        number=nomination.number,
        name=escape(parent.nominee_name),
        community=escape(parent.community),
        parent=parent.number,
    )


# ---------------------------------------------------------------- following one's nominations
def mine_view(rows: Sequence[tuple[Nomination, Nomination | None]]) -> View:
    """/mynominations: each with its status (a joined one: its primary's), and 补充材料 where asked."""
    lines = [texts.MINE_HEADER]
    buttons = []
    for nomination, parent in rows[:MINE_SHOWN]:
        name, kind = escape(nomination.nominee_name), kind_name(nomination.kind)
        if parent is not None:
            lines.append(
                texts.MINE_JOINED.format(
                    number=nomination.number,
                    name=name,
                    kind=kind,
                    parent=parent.number,
                    status=status_name(parent.status),
                )
            )
            continue
        status = status_name(nomination.status)
        lines.append(texts.MINE_LINE.format(number=nomination.number, name=name, kind=kind, status=status))
        if nomination.status_reason:
            lines.append(texts.MINE_REASON.format(reason=escape(nomination.status_reason)))
        if nomination.status is NominationStatus.NEEDS_MORE_INFO:
            label = texts.SUPPLEMENT_BUTTON.format(number=nomination.number)
            buttons.append([(label, SupplementButton(nomination=nomination.id).data)])
    return View("\n".join(lines), inline_keyboard(buttons) if buttons else None)


def supplement_prompt(nomination: Nomination) -> str:
    return texts.ASK_SUPPLEMENT.format(number=nomination.number, max=service.SUPPLEMENT_MAX)


def supplement_heading(local_now: datetime) -> str:
    """What goes before the added material in the story (staff read the date)."""
    return texts.SUPPLEMENT_HEADING.format(date=local_now)


def supplemented_text(nomination: Nomination) -> str:
    return texts.SUPPLEMENTED.format(number=nomination.number)


def round_opened_notice(notice: Notice, voting_round: VotingRound, tz: ZoneInfo) -> str:
    """To a nominator whose nominee is a candidate of a round just opened."""
    return texts.ROUND_OPENED_NOTICE.format(
        name=escape(notice.nominee_name),
        number=notice.number,
        title=escape(voting_round.title),
        start=format_local(voting_round.starts_at, tz),
        end=format_local(voting_round.ends_at, tz),
    )


def status_notice(notice: Notice) -> str:
    """What a nominator is told of a status change (with the reason, when staff gave one)."""
    status = status_name(notice.status)
    name = escape(notice.nominee_name)
    if notice.via_parent:
        text = texts.STATUS_VIA_PARENT.format(
            name=name, number=notice.number, parent=notice.via_parent, status=status
        )
    else:
        text = texts.STATUS_CHANGED.format(name=name, number=notice.number, status=status)
    if notice.reason:
        text += texts.STATUS_REASON.format(reason=escape(notice.reason))
    return text


# ---------------------------------------------------------------- voting (residents)
def ballot_header(voting_round: VotingRound, tz: ZoneInfo) -> str:
    return texts.VOTE_HEADER.format(
        title=escape(voting_round.title),
        start=format_local(voting_round.starts_at, tz),
        end=format_local(voting_round.ends_at, tz),
    )


def not_started(voting_round: VotingRound, tz: ZoneInfo) -> str:
    return texts.VOTE_NOT_STARTED.format(start=local(voting_round.starts_at, tz))


def vote_keyboard(voting_round: VotingRound, nomination: Nomination, votes: int) -> InlineKeyboardMarkup:
    """👍 with the live count (the card's keyboard alone: a vote redraws only this)."""
    button = VoteButton(round=voting_round.id, nomination=nomination.id)
    return _one_button(texts.VOTE_BUTTON.format(votes=votes), button)


def vote_card(voting_round: VotingRound, nomination: Nomination, votes: int) -> View:
    text = texts.VOTE_CARD.format(
        name=escape(nomination.nominee_name),
        kind=kind_name(nomination.kind),
        community=escape(nomination.community),
        story=escape(shortened(nomination.story, VOTE_STORY_CHARS)),
    )
    return View(text, vote_keyboard(voting_round, nomination, votes))


# ---------------------------------------------------------------- the honour roll
def honors_views(roll: HonorRoll) -> list[View]:
    """A month's 好人榜 by kind, in as many messages as it takes; the last offers other months."""
    assert roll.month is not None
    entries = []
    for kind, people in roll.by_kind:
        entries.append(texts.HONORS_KIND.format(kind=kind_name(kind)))
        entries += [
            texts.HONORS_ENTRY.format(
                name=escape(n.nominee_name), community=escape(n.community), story=escape(n.story)
            )
            for n in people
        ]
    chunks = split_message(entries, HONORS_CHUNK_CHARS, header=texts.HONORS_HEADER.format(month=roll.month))
    others = [m for m in roll.months if m != roll.month][:OTHER_MONTHS_SHOWN]
    views = [View(chunk) for chunk in chunks]
    if others:
        keyboard = inline_keyboard([[(m, HonorsButton(month=m).data) for m in others]])
        views[-1] = View(views[-1].text + "\n\n" + texts.HONORS_OTHER_MONTHS, keyboard)
    return views


def announcement_text(publication: Publication) -> str:
    """The new roll, to 好人榜 subscribers (a broadcast: no buttons, so it names /honors)."""
    names = texts.NAMES_SEPARATOR.join(escape(n.nominee_name) for n in publication.nominations)
    return texts.ANNOUNCEMENT.format(month=publication.month, names=names)
