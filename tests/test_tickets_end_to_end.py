"""Filing a complaint through the real `chuangwen run` process and the HTTP fake Bot API."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.botapi_emulator import BotApiEmulator
from bot.models import Ticket, TicketStatus
from handlers.tickets import texts as ticket_texts
from tests.support.bot_process import BotProcess, wait_for
from tests.support.fake_bot_api import serve_fake_bot_api

pytestmark = pytest.mark.real_clock  # the bot runs in its own process, on real time

TOKEN = "434343:E2E-TICKETS"
RESIDENT = 5552
STAFF_GROUP = -100321


async def test_file_a_complaint_through_the_real_process(
    database_url: str, tmp_path: Path, engine, sessions
) -> None:
    emulator = BotApiEmulator(token=TOKEN)
    async with serve_fake_bot_api(emulator) as base_url:
        bot = BotProcess(base_url, TOKEN, database_url, tmp_path, STAFF_CHAT_ID=str(STAFF_GROUP))
        bot.start()
        try:
            emulator.push_update(emulator.message_update(RESIDENT, text="/complain"))
            await wait_for(emulator, lambda m: m.chat_id == RESIDENT and "请描述" in m.body)
            emulator.push_update(emulator.message_update(RESIDENT, text="小区门口有人乱扔垃圾，垃圾成堆"))
            await wait_for(emulator, lambda m: m.chat_id == RESIDENT and ticket_texts.ASK_LOCATION in m.body)
            location = {"latitude": 30.27, "longitude": 120.15}
            emulator.push_update(emulator.message_update(RESIDENT, location=location))
            identity = await wait_for(emulator, lambda m: m.chat_id == RESIDENT and bool(m.buttons()))
            emulator.push_update(emulator.callback_update(RESIDENT, "tkc:anon:1", identity))
            summary = await wait_for(
                emulator, lambda m: m.chat_id == RESIDENT and "乱扔垃圾" in m.body and m.edited
            )
            confirm = next(b["callback_data"] for b in summary.buttons() if b["text"] == ticket_texts.CONFIRM)
            emulator.push_update(emulator.callback_update(RESIDENT, confirm, summary))
            filed = await wait_for(emulator, lambda m: m.chat_id == RESIDENT and "编号" in m.body)
            card = await wait_for(emulator, lambda m: m.chat_id == STAFF_GROUP and "投诉工单" in m.body)
        finally:
            code = await bot.stop(signal.SIGTERM)
        assert code == 0, bot.output()
        assert "Traceback" not in bot.output()
    async with sessions() as session:
        ticket = await session.scalar(select(Ticket))
    assert ticket is not None and ticket.number in filed.body and ticket.number in card.body
    assert ticket.status is TicketStatus.RECEIVED and ticket.anonymous and ticket.latitude == 30.27
    assert "举报人：匿名" in card.body
