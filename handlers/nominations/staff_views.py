"""What staff see: the review queue and cards, 材料, decisions, voting rounds and their statistics.

Pure functions like ``views`` (tests/test_nominations_views.py); user-supplied text is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.models import Nomination, NominationKind, NominationStatus, VotingRound
from bot.services import nominations as service
from bot.services.nominations import Publication, QueuePage, StatusChange, VoteStats
from bot.timeutil import format_local
from handlers.kit.replies import View, escape, inline_keyboard
from handlers.nominations import texts
from handlers.nominations.callbacks import (
    ApproveButton,
    MaterialButton,
    MoreInfoButton,
    QueueButton,
    RejectButton,
    ShortlistButton,
)
from handlers.nominations.views import kind_name, masked_phone, shortened, status_name, yes_no

CARD_STORY_CHARS = 300
STATS_HOURS_SHOWN = 12  # the last hours of each nominee's timeline
STATS_SUSPECTS_SHOWN = 30
STATS_CHARS = 4000  # one message, under Telegram's 4,096
QUEUE_FILTERS = (
    NominationStatus.SUBMITTED,
    NominationStatus.NEEDS_MORE_INFO,
    NominationStatus.SHORTLISTED,
    NominationStatus.APPROVED,
    NominationStatus.REJECTED,
    NominationStatus.PUBLISHED,
)


# ---------------------------------------------------------------- staff review
def queue_view(page: QueuePage, status: NominationStatus | None, kind: NominationKind | None) -> View:
    """The queue's header (or that nothing matches) with the status filters."""
    status_label = status_name(status) if status else texts.QUEUE_FILTER_ALL
    kind_label = texts.QUEUE_KIND.format(kind=kind_name(kind)) if kind else ""
    filters = [(status_name(s), QueueButton(status=s).data) for s in QUEUE_FILTERS]
    keyboard = inline_keyboard([filters[:3], filters[3:]])
    if not page.nominations:
        return View(texts.QUEUE_EMPTY.format(status=status_label, kind=kind_label), keyboard)
    header = texts.QUEUE_HEADER.format(
        status=status_label, kind=kind_label, total=page.total, shown=len(page.nominations)
    )
    return View(header, keyboard)


def queue_cards(page: QueuePage) -> list[View]:
    """One card per nomination; a shortlisted one shows its votes in the latest round."""
    cards = []
    for nomination in page.nominations:
        shortlisted = nomination.status is NominationStatus.SHORTLISTED
        votes = page.votes.get(nomination.id, 0) if shortlisted else None
        cards.append(card(nomination, page.supporters.get(nomination.id, 0), votes))
    return cards


def card(nomination: Nomination, supporters: int, votes: int | None) -> View:
    """A nomination for review, with the decisions its status allows and 材料."""
    text = texts.CARD.format(
        number=nomination.number,
        kind=kind_name(nomination.kind),
        status=status_name(nomination.status),
        name=escape(nomination.nominee_name),
        community=escape(nomination.community),
        story=escape(shortened(nomination.story, CARD_STORY_CHARS)),
        photos=len(nomination.photos or []),
        supporters=supporters,
        may_contact=yes_no(nomination.may_contact),
        contact=masked_phone(nomination.nominator_contact),
    )
    if votes is not None:
        text += texts.CARD_VOTES.format(votes=votes)
    if nomination.status_reason:
        text += texts.CARD_REASON.format(reason=escape(nomination.status_reason))
    return View(text, inline_keyboard(_card_rows(nomination)))


def _card_rows(nomination: Nomination) -> list[list[tuple[str, str]]]:
    n = nomination.id
    material = [(texts.BTN_MATERIAL, MaterialButton(nomination=n).data)]
    reject = (texts.BTN_REJECT, RejectButton(nomination=n).data)
    if nomination.status in (NominationStatus.SUBMITTED, NominationStatus.NEEDS_MORE_INFO):
        decisions = [
            (texts.BTN_SHORTLIST, ShortlistButton(nomination=n).data),
            reject,
            (texts.BTN_MORE_INFO, MoreInfoButton(nomination=n).data),
        ]
        return [decisions, material]
    if nomination.status is NominationStatus.SHORTLISTED:
        return [[(texts.BTN_APPROVE, ApproveButton(nomination=n).data), reject], material]
    return [material]


def material_header(nomination: Nomination, photos: int, supporters: int) -> str:
    return texts.MATERIAL_HEADER.format(number=nomination.number, photos=photos, supporters=supporters)


def material_supporter(supporter: Nomination) -> str:
    return texts.MATERIAL_SUPPORTER.format(
        number=supporter.number,
        contact=masked_phone(supporter.nominator_contact),
        story=escape(supporter.story),
    )


def material_photo_caption(number: str | None, index: int) -> str:
    return texts.MATERIAL_PHOTO.format(number=number, index=index)


def reason_prompt(nomination: Nomination, target: NominationStatus) -> str:
    """驳回 asks for the reason, 退回补充 for what to add; the nominator reads either."""
    prompt = texts.ASK_REJECT_REASON if target is NominationStatus.REJECTED else texts.ASK_MORE_INFO
    return prompt.format(number=nomination.number)


def review_done(change: StatusChange) -> str:
    return texts.REVIEW_DONE.format(number=change.nomination.number, status=status_name(change.new))


def decided_toast(change: StatusChange) -> str:
    return texts.TOAST_DONE.format(number=change.nomination.number, status=status_name(change.new))


def transition_refused(current: NominationStatus, target: NominationStatus) -> str:
    """Plain text (a toast or an escaped reply): the card was stale, someone decided first."""
    return texts.BAD_TRANSITION.format(current=status_name(current), target=status_name(target))


# ---------------------------------------------------------------- voting rounds (staff)
def new_nomination_alert(submission: service.Submission) -> str:
    """To the campaign staff: a nomination to review, or one more for a nominee already nominated."""
    nomination, parent = submission.nomination, submission.parent
    if parent is not None:
        return texts.STAFF_JOINED.format(
            parent=parent.number, name=escape(parent.nominee_name), number=nomination.number
        )
    return texts.STAFF_NEW.format(
        number=nomination.number,
        kind=kind_name(nomination.kind),
        name=escape(nomination.nominee_name),
        community=escape(nomination.community),
    )


def supplemented_alert(nomination: Nomination) -> str:
    """To the campaign staff: the nominator added what was asked; it is back in the queue."""
    return texts.STAFF_SUPPLEMENTED.format(number=nomination.number, name=escape(nomination.nominee_name))


def round_opened(voting_round: VotingRound, candidates: int, tz: ZoneInfo) -> str:
    return texts.ROUND_OPENED.format(
        title=escape(voting_round.title),
        start=format_local(voting_round.starts_at, tz),
        end=format_local(voting_round.ends_at, tz),
        count=candidates,
    )


def round_closed(voting_round: VotingRound, results: Sequence[tuple[Nomination, int]]) -> str:
    lines = [
        texts.ROUND_RESULT_LINE.format(number=n.number, name=escape(n.nominee_name), votes=votes)
        for n, votes in results
    ]
    return texts.ROUND_CLOSED.format(
        title=escape(voting_round.title), results="\n".join(lines) or texts.ROUND_NO_RESULTS
    )


def stats_text(stats: VoteStats) -> str:
    """Votes per nominee by hour (the last hours), then suspect accounts and how to void them."""
    lines = [
        texts.STATS_HEADER.format(
            title=escape(stats.voting_round.title), valid=stats.valid, voided=stats.voided
        )
    ]
    for timeline in stats.nominees:
        hours = texts.STATS_HOURS_SEPARATOR.join(
            texts.STATS_HOUR.format(hour=hour, count=count)
            for hour, count in timeline.per_hour[-STATS_HOURS_SHOWN:]
        )
        lines.append(
            texts.STATS_NOMINEE.format(
                number=timeline.nomination.number,
                name=escape(timeline.nomination.nominee_name),
                votes=timeline.votes,
                hours=hours,
            )
        )
    if stats.suspects:
        lines += ["", texts.STATS_SUSPECTS.format(count=len(stats.suspects))]
        for suspect in stats.suspects[:STATS_SUSPECTS_SHOWN]:
            reasons = []
            if suspect.new_account:
                reasons.append(texts.STATS_NEW_ACCOUNT.format(hours=service.NEW_ACCOUNT_HOURS))
            if suspect.burst:
                reasons.append(texts.STATS_BURST.format(seconds=service.BURST_SECONDS, votes=suspect.burst))
            lines.append(
                texts.STATS_SUSPECT_LINE.format(
                    voter=suspect.voter_id,
                    votes=suspect.votes,
                    reasons=texts.STATS_REASONS_SEPARATOR.join(reasons),
                )
            )
    else:
        lines += ["", texts.STATS_NO_SUSPECTS]
    lines.append(texts.STATS_VOID_HINT.format(round_id=stats.voting_round.id))
    return "\n".join(lines)[:STATS_CHARS]


def voided_text(count: int, voters: Sequence[int]) -> str:
    return texts.VOIDED.format(count=count, voters=texts.VOTERS_SEPARATOR.join(map(str, voters)))


# ---------------------------------------------------------------- publication
def published_text(publication: Publication, sent: int) -> str:
    return texts.PUBLISHED.format(month=publication.month, count=len(publication.nominations), sent=sent)
