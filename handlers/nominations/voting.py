"""Voting rounds: staff open and close them, watch for stuffing and void votes; residents /vote.

/openround 标题 开始 结束 (local time) opens a round over the shortlist; /closeround ends it with the
tally; /votestats [轮次] shows votes by hour and suspect accounts; /voidvotes 轮次 账号… voids them.
/vote shows the open round's candidates, each with 👍 and its live count. Opening a round tells the
nominators of its candidates (through the outbox, in the opening's transaction).
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler

from bot.app import BotContext
from bot.models import Nomination, Priority, VotingRound
from bot.services import nominations as service
from bot.services.nominations import NominationNotFound, NominationProblem
from handlers.kit.arguments import telegram_id, typed_datetime, whole_number
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import answer_quietly, reply, send_view
from handlers.nominations import owed, staff_views, texts, views
from handlers.nominations.callbacks import VoteButton

LOCAL_TIME = r"\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}"
ROUND_ARGS = re.compile(rf"^(?P<title>.+?)\s+(?P<start>{LOCAL_TIME})\s+(?P<end>{LOCAL_TIME})$")


def parse_round(text: str, tz: ZoneInfo) -> tuple[str, datetime, datetime] | None:
    """'标题 2026-11-28 08:00 2026-12-05 20:00' → the title and both instants; None if malformed
    (2026-13-40 25:00) or out of the years people may type (0001-01-01, 9999-12-31)."""
    match = ROUND_ARGS.match(text)
    if match is None:
        return None
    start = typed_datetime(re.sub(r"\s+", " ", match["start"]))
    end = typed_datetime(re.sub(r"\s+", " ", match["end"]))
    if start is None or end is None:
        return None
    return match["title"], start.replace(tzinfo=tz), end.replace(tzinfo=tz)


# ---------------------------------------------------------------- rounds (staff)
@campaign_staff_only
async def open_round(update: Update, context: BotContext) -> None:
    """/openround 标题 开始 结束 (local time)."""
    message = update.effective_message
    raw = (message.text or "").partition(" ")[2].strip() if message else ""
    parsed = parse_round(raw, context.settings.tz)
    if parsed is None:
        await reply(update, texts.ROUND_USAGE)
        return
    title, starts_at, ends_at = parsed
    actor = await context.actor(update)
    async with context.transaction() as session:
        voting_round, count = await service.open_round(
            session, actor, title, starts_at, ends_at, now=context.clock.now()
        )
        tz = context.settings.tz
        await owed.tell_nominators(
            session,
            await service.candidate_notices(session),
            lambda notice: views.round_opened_notice(notice, voting_round, tz),
            kind=owed.Owed.ROUND_OPENED,
            priority=Priority.BULK,
        )
    await reply(update, staff_views.round_opened(voting_round, count, context.settings.tz))


@campaign_staff_only
async def close_round(update: Update, context: BotContext) -> None:
    """/closeround: end the current round now and show the tally."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        voting_round, results = await service.close_round(session, actor, now=context.clock.now())
    await reply(update, staff_views.round_closed(voting_round, results))


@campaign_staff_only
async def vote_stats(update: Update, context: BotContext) -> None:
    """/votestats [轮次]: votes per hour per nominee, and accounts that look fake."""
    args = context.args or []
    round_id = whole_number(args[0]) if args else None
    if args and round_id is None:  # "²", a 20-digit number: no round has that number
        raise NominationNotFound(NominationProblem.NO_ROUND)
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        stats = await service.vote_stats(session, actor, round_id, tz=context.settings.tz)
    await reply(update, staff_views.stats_text(stats))


@campaign_staff_only
async def void_votes(update: Update, context: BotContext) -> None:
    """/voidvotes 轮次 账号…: void every vote of those accounts in that round."""
    args = context.args or []
    round_id = whole_number(args[0]) if args else None
    read = [telegram_id(a) for a in args[1:]]
    voters = [v for v in read if v is not None]
    if round_id is None or not voters or len(voters) < len(read):
        await reply(update, texts.VOID_USAGE)
        return
    actor = await context.actor(update)
    async with context.transaction() as session:
        count = await service.void_votes(session, actor, round_id, voters)
    await reply(update, staff_views.voided_text(count, voters))


# ---------------------------------------------------------------- voting (residents)
async def vote_menu(update: Update, context: BotContext) -> None:
    """/vote: the open round's candidates, each with a 👍 button and its live count."""
    now = context.clock.now()
    tz = context.settings.tz
    async with context.transaction() as session:
        voting_round = await service.active_round(session, now)
        candidates = await service.ballot(session, voting_round) if voting_round else []
    if voting_round is None or not candidates:
        await reply(update, texts.VOTE_NONE)
        return
    if now < voting_round.starts_at:
        await reply(update, views.not_started(voting_round, tz))
        return
    await reply(update, views.ballot_header(voting_round, tz))
    for nomination, votes in candidates:
        await send_view(update, views.vote_card(voting_round, nomination, votes))


async def vote_pressed(update: Update, context: BotContext, press: VoteButton) -> None:
    """👍: one vote per user per nominee per round; the card's count is updated in place."""
    user, query = update.effective_user, update.callback_query
    assert user is not None and query is not None
    async with context.transaction() as session:
        votes = await service.cast_vote(
            session, user.id, press.round, press.nomination, now=context.clock.now(), tz=context.settings.tz
        )
        voting_round = await session.get(VotingRound, press.round)
        nomination = await session.get(Nomination, press.nomination)
    assert voting_round is not None and nomination is not None
    await answer_quietly(update, texts.VOTED)
    with contextlib.suppress(TelegramError):  # the card may be too old to edit; the vote counted
        await query.edit_message_reply_markup(views.vote_keyboard(voting_round, nomination, votes))


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        CommandHandler("openround", open_round),
        CommandHandler("closeround", close_round),
        CommandHandler("votestats", vote_stats),
        CommandHandler("voidvotes", void_votes),
        CommandHandler("vote", vote_menu),
        VoteButton.handler(vote_pressed),
    ]
