"""/mydata and /forget for nominations and votes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nomination, Vote


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
    """The nominations stay (they are about someone else); the link to the nominator goes."""
    await session.execute(
        update(Nomination)
        .where(Nomination.nominator_id == user_id)
        .values(nominator_id=None, nominator_contact=None)
    )
    await session.execute(update(Vote).where(Vote.voter_id == user_id).values(voter_id=None))
