"""/start writes the user's row within about a second while the bot runs (the production job, not a
test step), in the real process too, and nothing buffered brings a user back after /forget."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.botapi_emulator import BotApiEmulator
from bot.clock import SystemClock
from bot.config import Settings
from bot.database import transaction
from bot.harness import ChatHarness
from bot.models import Base, User
from bot.services.users import mark_unreachable
from handlers.common import texts as common_texts
from tests.support.bot_process import BotProcess, wait_for
from tests.support.broadcast_fixtures import notice_now
from tests.support.eventually import eventually
from tests.support.fake_bot_api import serve_fake_bot_api

Sessions = async_sessionmaker[AsyncSession]
TOKEN = "474747:E2E-SIGHTINGS"


async def stored_user(sessions: Sessions, user_id: int) -> User | None:
    async with sessions() as session:
        return await session.get(User, user_id)


async def test_start_is_stored_by_the_running_bot_within_seconds(
    harness: ChatHarness, sessions: Sessions
) -> None:
    await harness.send(71001, "/start", first_name="张桂英")
    user = await eventually(lambda: stored_user(sessions, 71001), timeout=3, what="the /start row")
    assert user.display_name == "张桂英"


async def test_a_user_who_blocked_the_bot_is_reachable_again_after_start(
    harness: ChatHarness, sessions: Sessions
) -> None:
    await harness.send(71002, "/start")
    await eventually(lambda: stored_user(sessions, 71002), timeout=3)
    async with transaction(sessions) as session:
        await mark_unreachable(session, 71002)

    async def reachable() -> bool:
        user = await stored_user(sessions, 71002)
        return user is not None and user.unreachable_since is None

    await harness.send(71002, "/start")
    await eventually(reachable, timeout=3, what="unreachable_since cleared")


async def rows_mentioning(engine: AsyncEngine, user_id: int, *needles: str) -> list[str]:
    """Every (table, column) whose stored value is the user's id or contains one of the needles."""
    found: list[str] = []
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = (await connection.execute(select(table))).mappings().all()
            for row in rows:
                for column, value in row.items():
                    if (
                        value == user_id
                        or (isinstance(value, str) and any(n in value for n in needles))
                        or (isinstance(value, dict | list) and any(n in str(value) for n in needles))
                    ):
                        found.append(f"{table.name}.{column}")
    return found


async def test_forget_right_after_start_survives_a_restart(
    settings: Settings, engine: AsyncEngine, sessions: Sessions, clock: SystemClock
) -> None:
    first = ChatHarness(settings, clock=clock)
    await first.start()
    await first.process(first.emulator.message_update(71003, "欧阳娜娜", text="/start"))
    # Confirm /forget before the sighting's flush had a chance to run.
    await first.send(71003, "/forget", first_name="欧阳娜娜")
    await first.press(71003, "确认")
    assert first.emulator.last_to(71003).text == common_texts.FORGET_DONE
    await first.stop()  # a clean stop flushes whatever is still buffered

    second = ChatHarness(settings, clock=clock)
    await second.start()
    await second.stop()
    assert await stored_user(sessions, 71003) is None
    assert await rows_mentioning(engine, 71003, "欧阳娜娜") == []  # persistence rows included


@pytest.mark.real_clock
async def test_real_process_stores_start_before_a_kill_and_reaches_the_unblocked(
    database_url: str, tmp_path: Path, sessions: Sessions
) -> None:
    emulator = BotApiEmulator(token=TOKEN)
    async with serve_fake_bot_api(emulator) as base_url:
        bot = BotProcess(base_url, TOKEN, database_url, tmp_path, BROADCAST_POLL_SECONDS="0.2")
        bot.start()
        try:
            emulator.push_update(emulator.message_update(5561, "李建国", text="/start"))
            await wait_for(emulator, lambda m: m.chat_id == 5561 and "欢迎使用" in m.body)
            user = await eventually(lambda: stored_user(sessions, 5561), timeout=2, what="row within 2 s")
            assert user.display_name == "李建国"
        finally:
            await bot.stop(signal.SIGKILL)
        assert await stored_user(sessions, 5561) is not None  # still there after kill -9

        async with transaction(sessions) as session:  # a notice got 403: the user had blocked the bot
            await mark_unreachable(session, 5561)
        async with transaction(sessions) as session:
            from bot.models import Topic
            from bot.services.users import subscribe

            await subscribe(session, 5561, Topic.NOTICES)
        bot = BotProcess(base_url, TOKEN, database_url, tmp_path, BROADCAST_POLL_SECONDS="0.2")
        bot.start()
        try:
            seen = len(emulator.messages)
            emulator.push_update(emulator.message_update(5561, "李建国", text="/start"))
            await wait_for(emulator, lambda m: m.chat_id == 5561 and "欢迎使用" in m.body, after=seen)

            async def reachable() -> bool:
                stored = await stored_user(sessions, 5561)
                return stored is not None and stored.unreachable_since is None

            await eventually(reachable, timeout=3, what="reachable again")
            async with transaction(sessions) as session:
                await notice_now(session, "<b>通知</b>：本周六文明劝导。")
            await wait_for(
                emulator, lambda m: m.chat_id == 5561 and "本周六文明劝导" in m.body, timeout=15, after=seen
            )
        finally:
            code = await bot.stop(signal.SIGTERM)
        assert code == 0, bot.output()


async def test_first_contact_is_an_upsert_racing_the_start_writer(sessions: Sessions) -> None:
    """ensure_user and the /start writer (or another process) creating the same user at once."""
    import asyncio

    from bot.clock import utcnow
    from bot.services.users import Sighting, ensure_user, touch_users

    async def first_contact(index: int) -> None:
        async with transaction(sessions) as session:
            if index % 2:
                await touch_users(session, [Sighting(72001, "王阿姨", None, utcnow())])
            else:
                await ensure_user(session, 72001, "王阿姨")

    await asyncio.gather(*(first_contact(i) for i in range(12)))
    async with sessions() as session:
        rows = (await session.scalars(select(User).where(User.id == 72001))).all()
    assert len(rows) == 1 and rows[0].display_name == "王阿姨"
