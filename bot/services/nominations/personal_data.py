"""/mydata and /forget for nominations and votes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nomination, Vote, VotingRound
from bot.timeutil import utcnow


async def export_for_user(session: AsyncSession, user_id: int) -> dict[str, Any]:
    nominations = await session.scalars(select(Nomination).where(Nomination.nominator_id == user_id))
    votes = await session.scalar(select(func.count()).select_from(Vote).where(Vote.voter_id == user_id))
    return {
        "nominations": [
            {
                "number": n.number,
                "kind": n.kind.value,
                "nominee_name": n.nominee_name,
                "community": n.community,
                "story": n.story,
                "photos": n.photos,
                "contact": n.nominator_contact,
                "may_contact": n.may_contact,
                "status": n.status.value,
                "created_at": n.created_at.isoformat(),
            }
            for n in nominations
        ],
        "votes_cast": int(votes or 0),
    }


async def erase_for_user(session: AsyncSession, user_id: int) -> None:
    """The nominations stay (they are about someone else); the link to the nominator goes.

    Votes: in a round that is still open they are removed with the voter — kept without a voter,
    they could not be told from the same account's next vote, and /forget between votes would
    count one person many times. In closed rounds they stay in the tally, without the voter.
    """
    await session.execute(
        update(Nomination)
        .where(Nomination.nominator_id == user_id)
        .values(nominator_id=None, nominator_contact=None)
    )
    still_open = select(VotingRound.id).where(VotingRound.closed_at.is_(None), VotingRound.ends_at > utcnow())
    await session.execute(delete(Vote).where(Vote.voter_id == user_id, Vote.round_id.in_(still_open)))
    await session.execute(update(Vote).where(Vote.voter_id == user_id).values(voter_id=None))
