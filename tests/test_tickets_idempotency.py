"""Filing a complaint is idempotent by the key its 确认提交 button carries: a doubled press, an update
delivered again after a restart, or the same press handled by two processes files one ticket."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import SystemClock
from bot.database import transaction
from bot.harness import ChatHarness
from bot.models import Ticket
from bot.services import tickets, users
from bot.services.classifier import ComplaintClassifier
from bot.timeutil import utcnow
from handlers.tickets import texts as ticket_texts
from handlers.tickets.callbacks import ConfirmButton
from tests.conftest import RESIDENT_ID
from tests.support.owed import settled
from tests.test_tickets_flow import LITTER, loaded_classifier, share_classifier

__all__ = ["loaded_classifier", "share_classifier"]  # the tickets tests' fixtures, used here too

Sessions = async_sessionmaker[AsyncSession]


async def ticket_count(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count(Ticket.id))) or 0)


async def up_to_confirm(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/complain")
    await harness.send(RESIDENT_ID, LITTER)
    await harness.send(RESIDENT_ID, ticket_texts.SKIP)
    await harness.press(RESIDENT_ID, ticket_texts.NAMED)


async def test_a_doubled_confirm_files_one_ticket_and_gives_its_number_again(
    harness: ChatHarness, sessions: Sessions
) -> None:
    await up_to_confirm(harness)
    summary = harness.latest_with_buttons(RESIDENT_ID)
    first = await harness.press(RESIDENT_ID, ticket_texts.CONFIRM, summary)
    second = await harness.press(RESIDENT_ID, ticket_texts.CONFIRM, summary)
    assert await ticket_count(sessions) == 1
    async with sessions() as session:
        number = await session.scalar(select(Ticket.number))
    assert number is not None and number in first[-1].text and number in second[-1].text


async def test_the_same_press_in_two_processes_files_one_ticket(
    harness: ChatHarness, sessions: Sessions, clock: SystemClock
) -> None:
    """Both processes hold the unfinished report (loaded from the database at start) when the
    press reaches each of them — as when a restart redelivers an update another process handled."""
    await up_to_confirm(harness)
    summary = harness.latest_with_buttons(RESIDENT_ID)
    confirm = next(b["callback_data"] for b in summary.buttons() if b["text"] == ticket_texts.CONFIRM)
    assert ConfirmButton.parse(confirm).key
    await harness.stop()
    first, second = ChatHarness(harness.settings, clock=clock), ChatHarness(harness.settings, clock=clock)
    async with first, second:
        await first.press_data(RESIDENT_ID, confirm, summary)
        again = await second.press_data(RESIDENT_ID, confirm, summary)
        await settled(first)  # the card is owed: one of the two processes' senders delivers it
        cards = [m for h in (first, second) for m in h.emulator.messages if m.chat_id != RESIDENT_ID]
    assert await ticket_count(sessions) == 1
    async with sessions() as session:
        number = await session.scalar(select(Ticket.number))
    assert number is not None and number in again[-1].text
    assert len([m for m in cards if number in m.body]) == 1  # the department got one card


async def test_filings_racing_with_one_key_make_one_ticket(
    sessions: Sessions, loaded_classifier: ComplaintClassifier
) -> None:
    async with transaction(sessions) as session:
        await users.ensure_user(session, RESIDENT_ID)
    now = utcnow()

    async def file() -> tickets.Filed | None:
        try:
            async with transaction(sessions) as session:
                return await tickets.file_ticket(
                    session,
                    loaded_classifier,
                    RESIDENT_ID,
                    tickets.Report(text=LITTER),
                    now=now,
                    filing_key="00112233aabbccdd",
                )
        except tickets.AlreadyFiled:
            return None

    results = await asyncio.gather(file(), file(), file())
    assert await ticket_count(sessions) == 1
    filed = [r for r in results if r is not None and not r.again]
    assert len(filed) == 1
    async with sessions() as session:
        assert await tickets.filed_with(session, RESIDENT_ID, "00112233aabbccdd") is not None
        assert await tickets.filed_with(session, RESIDENT_ID + 1, "00112233aabbccdd") is None
