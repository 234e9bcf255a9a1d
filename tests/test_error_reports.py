"""Unhandled errors: the resident gets a code; logs and admin alerts carry no personal data."""

from __future__ import annotations

import logging

import pytest

from bot.harness import ChatHarness
from handlers.volunteers import texts as vol_texts
from tests.conftest import RESIDENT_ID


async def test_errors_are_logged_and_alerted_without_personal_data(
    harness: ChatHarness, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.botapi_emulator import BotApiError
    from tests.conftest import ADMIN_ID

    phone, complaint = "+86 139 1234 5678", "楼下王秀英家的狗天天乱叫，住在3栋402"
    caplog.set_level(logging.INFO)  # the production level (PTB logs every parameter at DEBUG)
    await harness.send(RESIDENT_ID, "/volunteer")
    await harness.press(RESIDENT_ID, vol_texts.CONSENT_YES)
    await harness.send(RESIDENT_ID, "李小红")
    harness.emulator.fail_next.append(BotApiError(400, "Bad Request: injected"))
    await harness.send_contact(RESIDENT_ID, phone)  # the reply fails: an unhandled error
    await harness.send(RESIDENT_ID, "/cancel")
    await harness.send(RESIDENT_ID, "/complain")
    harness.emulator.fail_next.append(BotApiError(400, "Bad Request: injected"))
    await harness.send(RESIDENT_ID, complaint)

    alerts = [m.text for m in harness.emulator.sent_to(ADMIN_ID)]
    told = [m.text for m in harness.emulator.sent_to(RESIDENT_ID) if "错误码" in (m.text or "")]
    assert len(told) == 2 and alerts  # the resident got codes; admins were alerted (rate-limited)
    assert "registration.phone_sent" in alerts[0] and "BadRequest" in alerts[0]
    everything = caplog.text + "\n".join(str(a) for a in alerts)
    for secret in ("139 1234 5678", "13912345678", "李小红", "王秀英", "3栋402", "居民"):
        assert secret not in everything, secret
    assert "unhandled error E-" in caplog.text and "callback_query" not in caplog.text
