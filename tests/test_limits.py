"""Telegram's limits hold for every message built from a list: long histories, long staff lists and
audit pages with long names are split or paged under 4,096 characters; captions stay under 1,024
and toasts under 200. The emulator refuses anything longer, as Telegram does, so each of these
failed with an error before."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.botapi_rules import MAX_TEXT, visible_text
from bot.database import transaction
from bot.flood import FloodGate
from bot.harness import ChatHarness
from bot.models import Role
from bot.outbox import notify
from bot.services import audit, tickets, users
from bot.services.classifier import ComplaintClassifier
from bot.services.users import Actor
from bot.timeutil import utcnow
from handlers.kit.replies import TOAST_LIMIT, answer_quietly
from handlers.staff import texts as staff_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID
from tests.support.owed import settled
from tests.test_tickets_flow import loaded_classifier, share_classifier

__all__ = ["loaded_classifier", "share_classifier"]  # the tickets tests' fixtures, used here too

Sessions = async_sessionmaker[AsyncSession]
LONG_NAME = "很长的名字" * 25 + "末尾"  # 127 characters, as Telegram allows (the column keeps 128)


@pytest.fixture(autouse=True)
def no_flood_limit(harness: ChatHarness) -> None:
    harness.application.bot_data.flood = FloodGate(10_000, 10.0)


def shown(harness: ChatHarness, chat_id: int, since: int) -> list[str]:
    texts = [m.body for m in harness.emulator.sent_to(chat_id)[since:]]
    assert all(len(visible_text(t, "HTML")) <= MAX_TEXT for t in texts)
    return texts


async def test_a_ticket_with_long_notes_is_shown_in_parts(
    harness: ChatHarness, sessions: Sessions, loaded_classifier: ComplaintClassifier
) -> None:
    staff = Actor(ADMIN_ID, Role.ADMIN)
    notes = [f"第{n}次办结说明：" + "清理<垃圾>&消毒" * 110 for n in range(1, 6)]  # ~1,000 each
    now = utcnow()
    async with transaction(sessions) as session:
        filed = await tickets.file_ticket(
            session, loaded_classifier, RESIDENT_ID, tickets.Report(text="小区门口垃圾成堆" * 60), now=now
        )
        for note in notes:
            await tickets.resolve(session, filed.ticket.id, staff, note, now=now)
            await tickets.reopen(session, loaded_classifier, filed.ticket.id, RESIDENT_ID, now=now)
    number = filed.ticket.number
    for user_id, keyboard in ((RESIDENT_ID, False), (ADMIN_ID, True)):
        before = len(harness.emulator.sent_to(user_id))
        await harness.send(user_id, f"/ticket {number}")
        parts = shown(harness, user_id, before)
        assert len(parts) > 1
        whole = visible_text("\n".join(parts), "HTML")
        assert all(note in whole for note in notes)
        last = harness.emulator.sent_to(user_id)[-1]
        assert bool(last.buttons()) is keyboard  # the card's buttons, under the last part
        assert all(not m.buttons() for m in harness.emulator.sent_to(user_id)[before:-1])


async def test_a_staff_list_of_a_hundred_and_twenty_is_split(
    harness: ChatHarness, sessions: Sessions
) -> None:
    async with transaction(sessions) as session:
        for n in range(120):
            await users.ensure_user(session, 800_000 + n, f"{LONG_NAME}{n}", f"staffer_{n}")
            await users.set_role(session, 800_000 + n, Role.STAFF)
    await harness.send(ADMIN_ID, "/staff")
    parts = shown(harness, ADMIN_ID, 0)
    assert len(parts) > 1 and parts[0].startswith("<b>工作人员名单</b>（共 121 人）")
    listed = set(re.findall(r"<code>(\d+)</code>", "\n".join(parts)))
    assert {str(800_000 + n) for n in range(120)} <= listed


async def test_audit_pages_with_long_names_fit_and_reach_every_entry(
    harness: ChatHarness, sessions: Sessions
) -> None:
    actors = [500_000 + n for n in range(45)]
    async with transaction(sessions) as session:
        for actor_id in actors:
            await users.ensure_user(session, actor_id, LONG_NAME)
            await audit.record(
                session,
                actor_id,
                "ticket.refused",
                "tk:acc:" + "9" * 120,
                reason="只有工作人员可以操作。" * 12,
            )
    (page,) = await harness.send(ADMIN_ID, "/audit")
    seen = set(re.findall(r"<code>(\d+)</code>", page.text))
    pages = 1
    while (older := [b for b in page.buttons() if b["text"] == staff_texts.AUDIT_OLDER]) and pages < 20:
        (page,) = await harness.press_data(ADMIN_ID, older[0]["callback_data"], page)
        seen |= set(re.findall(r"<code>(\d+)</code>", page.text))
        pages += 1
    assert seen == {str(a) for a in actors}
    assert all(len(visible_text(m.body, "HTML")) <= MAX_TEXT for m in harness.emulator.sent_to(ADMIN_ID))


async def test_a_photo_with_a_text_longer_than_a_caption_sends_the_text_after_it(
    harness: ChatHarness,
) -> None:
    text = "办结说明：" + "已清理完毕，" * 300
    async with transaction(harness.application.bot_data.sessions) as session:
        await notify.person(session, RESIDENT_ID, text, kind="ticket.resolved", photos=["photo-1"])
    await settled(harness)
    photo, message = harness.emulator.sent_to(RESIDENT_ID)
    assert photo.method == "sendPhoto" and not photo.caption and message.text == text


async def test_toasts_are_cut_to_what_telegram_shows() -> None:
    answered: list[Any] = []

    async def answer(text: str | None, show_alert: bool = False) -> None:
        answered.append(text)

    update: Any = SimpleNamespace(callback_query=SimpleNamespace(answer=answer))
    await answer_quietly(update, "很长的提示" * 100)
    await answer_quietly(update, "短提示")
    assert len(answered[0]) == TOAST_LIMIT and answered[0].endswith("…") and answered[1] == "短提示"
