from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.database import transaction
from bot.models import ScheduledTask


async def test_local_times_read_back_as_the_same_instant(sessions) -> None:
    shanghai = datetime(2026, 11, 27, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    async with transaction(sessions) as session:
        session.add(ScheduledTask(key="tz", kind="tz", due_at=shanghai))
    async with sessions() as session:
        task = await session.scalar(select(ScheduledTask).where(ScheduledTask.key == "tz"))
    assert task is not None
    assert task.due_at == shanghai  # the same instant, not eight hours off
    assert task.due_at.utcoffset() is not None
