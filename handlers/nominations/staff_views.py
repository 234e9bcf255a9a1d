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
    CompareButton,
    MaterialButton,
    MergeButton,
    MoreInfoButton,
    PublishHonorsButton,
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


def queue_cards(page: QueuePage, duplicates: dict[int, Nomination] | None = None) -> list[View]:
    """One card per nomination; a shortlisted one shows its votes in the latest round, and one that
    looks like another nomination of the same person says so, with 对比."""
    cards = []
    for nomination in page.nominations:
        shortlisted = nomination.status is NominationStatus.SHORTLISTED
        votes = page.votes.get(nomination.id, 0) if shortlisted else None
        duplicate = (duplicates or {}).get(nomination.id)
        cards.append(card(nomination, page.supporters.get(nomination.id, 0), votes, duplicate))
    return cards


def card(
    nomination: Nomination, supporters: int, votes: int | None, duplicate: Nomination | None = None
) -> View:
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
    rows = _card_rows(nomination)
    if duplicate is not None:
        text += texts.CARD_DUPLICATE.format(
            number=duplicate.number,
            name=escape(duplicate.nominee_name),
            community=escape(duplicate.community),
        )
        compare = CompareButton(nomination=nomination.id, other=duplicate.id).data
        rows.append([(texts.BTN_COMPARE.format(number=duplicate.number), compare)])
    return View(text, inline_keyboard(rows))


def comparison(pair: Sequence[tuple[Nomination, int]]) -> View:
    """Two nominations of (likely) one person side by side, with 合并 (the later into the earlier)."""
    sides = [
        texts.COMPARE_SIDE.format(
            number=n.number,
            kind=kind_name(n.kind),
            status=status_name(n.status),
            supporters=supporters,
            name=escape(n.nominee_name),
            community=escape(n.community),
            contact=masked_phone(n.nominator_contact),
            story=escape(shortened(n.story, CARD_STORY_CHARS)),
        )
        for n, supporters in pair
    ]
    (earlier, _), (later, _) = sorted(pair, key=lambda item: item[0].id)
    merge = MergeButton(nomination=later.id, into=earlier.id).data
    label = texts.BTN_MERGE.format(number=later.number, into=earlier.number)
    text = texts.COMPARE_HEADER + "\n\n" + texts.COMPARE_SEPARATOR.join(sides)
    return View(text, inline_keyboard([[(label, merge)]]))


def merged_text(nomination: Nomination, into: Nomination) -> str:
    return texts.MERGED.format(number=nomination.number, into=into.number)


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


def round_opened(voting_round: VotingRound, candidates: int, tz: ZoneInfo, told: int = 0) -> str:
    """To the staff member who opened a round; ``told``: 好人榜 subscribers being announced to."""
    return texts.ROUND_OPENED.format(
        title=escape(voting_round.title),
        start=format_local(voting_round.starts_at, tz),
        end=format_local(voting_round.ends_at, tz),
        count=candidates,
    ) + texts.ROUND_SUBSCRIBERS_TOLD.format(count=told)


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
        if timeline.skewed_against is not None:
            share, rest = timeline.late_votes / timeline.votes, timeline.skewed_against
            lines.append(texts.STATS_NOMINEE_SKEWED.format(share=round(share * 100), rest=round(rest * 100)))
    if stats.suspects:
        lines += ["", texts.STATS_SUSPECTS.format(count=len(stats.suspects))]
        for suspect in stats.suspects[:STATS_SUSPECTS_SHOWN]:
            reasons = []
            if suspect.skewed:
                reasons.append(texts.STATS_SKEWED)
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
    count = len(publication.nominations)
    if not sent:
        return texts.PUBLISHED_NO_SUBSCRIBERS.format(month=publication.month, count=count)
    return texts.PUBLISHED.format(month=publication.month, count=count, sent=sent)


def publish_question(publication: Publication, subscribers: int) -> View:
    """/publishhonors: who goes on the roll and who will be told, then 确认发布 or 取消."""
    names = texts.NAMES_SEPARATOR.join(escape(n.nominee_name) for n in publication.nominations)
    text = texts.PUBLISH_CONFIRM.format(
        month=publication.month, count=len(publication.nominations), names=names, subscribers=subscribers
    )
    buttons = [
        (texts.BTN_PUBLISH, PublishHonorsButton(answer="yes").data),
        (texts.BTN_PUBLISH_CANCEL, PublishHonorsButton(answer="no").data),
    ]
    return View(text, inline_keyboard([buttons]))
