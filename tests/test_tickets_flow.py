"""Complaint tickets through the real Application: residents file, follow, rate, reopen; staff handle.

Cards, their redraws and the notices to others are owed: the bot's sender delivers them shortly
after each action's commit, so the tests wait for it (``settled``) before looking at them.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import texts
from bot.botapi_emulator import SentMessage
from bot.clock import process_clock
from bot.config import SHIPPED_DATA_DIR
from bot.database import transaction
from bot.harness import ChatHarness
from bot.models import AuditEntry, Role, ScheduledTask, TaskStatus, Ticket, TicketStatus
from bot.services import users
from bot.services.classifier import ComplaintClassifier
from bot.timeutil import utcnow
from handlers.common import texts as common_texts
from handlers.tickets import texts as ticket_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID
from tests.support.owed import settled

NEIGHBOUR = 100002
SANITATION = 700001  # handler of 市环境卫生管理处 (huanwei)
TRAFFIC = 700002  # handler of 交警 (jiaojing)
LITTER = "小区门口有人乱扔垃圾，垃圾成堆没人管"


@pytest.fixture(scope="module")
def loaded_classifier() -> ComplaintClassifier:
    return ComplaintClassifier.load(SHIPPED_DATA_DIR)


@pytest.fixture(autouse=True)
def share_classifier(monkeypatch: pytest.MonkeyPatch, loaded_classifier: ComplaintClassifier) -> None:
    """Each harness is a fresh Application; loading jieba once per module keeps these tests fast."""
    monkeypatch.setattr(
        ComplaintClassifier, "load", classmethod(lambda cls, *args, **kwargs: loaded_classifier)
    )


async def make_handlers(harness: ChatHarness) -> None:
    async with transaction(harness.application.bot_data.sessions) as session:
        await users.set_role(session, SANITATION, Role.HANDLER, "huanwei")
        await users.set_role(session, TRAFFIC, Role.HANDLER, "jiaojing")


async def file_complaint(
    harness: ChatHarness, user_id: int = RESIDENT_ID, text: str = LITTER, *, anonymous: bool = False
) -> list[SentMessage]:
    await harness.send(user_id, "/complain")
    await harness.send(user_id, text)
    await harness.send(user_id, ticket_texts.SKIP)
    await harness.press(user_id, ticket_texts.ANONYMOUS if anonymous else ticket_texts.NAMED)
    sent = await harness.press(user_id, ticket_texts.CONFIRM)
    return sent + await settled(harness)  # and what the filing owes: the card, an urgent alert


async def only_ticket(harness: ChatHarness, **where: Any) -> Ticket:
    async with harness.application.bot_data.sessions() as session:
        query = select(Ticket).filter_by(**where).order_by(Ticket.id.desc())
        ticket = await session.scalar(query)
    assert ticket is not None
    return ticket


def card_view(harness: ChatHarness, chat_id: int, number: str) -> SentMessage:
    """The latest message to ``chat_id`` about ticket ``number`` that reads as its card."""
    for message in reversed(harness.emulator.sent_to(chat_id)):
        if number in message.body and "投诉工单" in message.body:
            return message
    raise AssertionError(f"no card for {number} in chat {chat_id}")


def card_in(harness: ChatHarness, chat_id: int, number: str) -> SentMessage:
    for message in reversed(harness.emulator.sent_to(chat_id)):
        if number in message.body and message.buttons():
            return message
    raise AssertionError(f"no card for {number} in chat {chat_id}")


async def test_file_follow_resolve_rate_end_to_end(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "投诉举报")
    await harness.send(RESIDENT_ID, LITTER)
    sent = await harness.send(RESIDENT_ID, ticket_texts.SKIP)
    assert sent[-1].text == ticket_texts.ASK_IDENTITY
    (summary,) = await harness.press(RESIDENT_ID, ticket_texts.NAMED)
    assert "市容环境卫生" in summary.text and "乱扔垃圾" in summary.text
    assert "市环境卫生管理处" in summary.text and "48 小时" in summary.text
    sent = await harness.press(RESIDENT_ID, ticket_texts.CONFIRM)
    ticket = await only_ticket(harness)
    assert ticket.text == LITTER and ticket.status is TicketStatus.RECEIVED
    assert any(ticket.number in m.body and m.chat_id == RESIDENT_ID for m in sent)
    await settled(harness)
    card = card_in(harness, ADMIN_ID, ticket.number)  # no department chat, no staff chat: the admins
    assert [b["text"] for b in card.buttons()] == ["受理", "转派", "办结", "驳回", "重复"]

    await harness.press(ADMIN_ID, "受理", card)
    await settled(harness)
    assert "已被市环境卫生管理处受理" in harness.emulator.last_to(RESIDENT_ID).text
    card = card_in(harness, ADMIN_ID, ticket.number)
    assert "办理中" in card.body and "受理" not in [b["text"] for b in card.buttons()]

    sent = await harness.press(ADMIN_ID, "办结", card)
    assert "办结说明" in sent[-1].text
    await harness.send(ADMIN_ID, "垃圾已清运，已安排保洁每日巡查")
    await settled(harness)
    edited = [m for m in harness.emulator.sent_to(ADMIN_ID) if m.edited and ticket.number in m.body]
    assert "（已办结）" in edited[-1].body and not edited[-1].buttons()  # the card shows the outcome
    resolved = harness.emulator.last_to(RESIDENT_ID)
    assert "已办结" in resolved.text and "已安排保洁" in resolved.text
    assert [b["text"] for b in resolved.buttons()][-1] == ticket_texts.REOPEN_BUTTON
    await harness.press(RESIDENT_ID, "5分", resolved)
    assert "5 分" in harness.emulator.last_to(RESIDENT_ID).text
    await settled(harness)
    assert "（已关闭）" in card_view(harness, ADMIN_ID, ticket.number).body  # the card follows
    ticket = await only_ticket(harness)
    assert ticket.status is TicketStatus.CLOSED and ticket.rating == 5
    await harness.press(RESIDENT_ID, "3分", resolved)  # the old rating button, pressed again
    assert harness.new_toasts()[-1] == ticket_texts.ALREADY_RATED

    (listing,) = await harness.send(RESIDENT_ID, "/mycomplaints")
    assert ticket.number in listing.text and "已关闭" in listing.text
    (detail,) = await harness.send(RESIDENT_ID, f"/ticket {ticket.number}")
    for event in ("提交", "受理", "办结", "评价"):
        assert event in detail.text
    (hidden,) = await harness.send(NEIGHBOUR, f"/ticket {ticket.number}")
    assert hidden.text == ticket_texts.NOT_FOUND  # other residents cannot read it


async def test_reopen_within_window_routes_again(harness: ChatHarness) -> None:
    await file_complaint(harness)
    ticket = await only_ticket(harness)
    await harness.press(ADMIN_ID, "办结", card_in(harness, ADMIN_ID, ticket.number))
    await harness.send(ADMIN_ID, "已处理")
    await settled(harness)
    resolved = harness.emulator.last_to(RESIDENT_ID)
    await harness.press(RESIDENT_ID, ticket_texts.REOPEN_BUTTON, resolved)
    ticket = await only_ticket(harness)
    assert ticket.status is TicketStatus.RECEIVED and ticket.reopen_count == 1
    assert "重新" in harness.emulator.last_to(RESIDENT_ID).text
    await settled(harness)
    assert ticket_texts.REOPENED_STAFF.format(number=ticket.number) in [
        m.body for m in harness.emulator.sent_to(ADMIN_ID)
    ]
    assert card_in(harness, ADMIN_ID, ticket.number).buttons()[0]["text"] == "受理"
    await harness.press(RESIDENT_ID, ticket_texts.REOPEN_BUTTON, resolved)  # twice: harmless
    assert (await only_ticket(harness)).reopen_count == 1


async def test_photo_location_anonymous_and_chosen_category(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/complain")
    (ask,) = await harness.send_photo(RESIDENT_ID)  # a photo without caption: kept, text asked for
    assert ask.text == ticket_texts.PHOTO_KEPT.format(count=1)
    (ask,) = await harness.send_photo(RESIDENT_ID, caption="晚上十点广场舞音响声音太大")
    assert ticket_texts.ASK_LOCATION in ask.text
    await harness.send_location(RESIDENT_ID, 30.2741, 120.1551)
    await harness.press(RESIDENT_ID, ticket_texts.ANONYMOUS)
    await harness.press(RESIDENT_ID, ticket_texts.OTHER_CATEGORY)
    (summary,) = await harness.press(RESIDENT_ID, "公共场所不文明行为")
    assert ticket_texts.USER_CHOSEN in summary.text and ticket_texts.ANONYMOUS in summary.text
    await harness.press(RESIDENT_ID, ticket_texts.CONFIRM)
    await settled(harness)
    ticket = await only_ticket(harness)
    assert len(ticket.photo_file_ids) == 2 and ticket.latitude == 30.2741
    assert ticket.anonymous and ticket.category_id == "public_conduct"
    card = card_in(harness, ADMIN_ID, ticket.number)
    assert "举报人：匿名" in card.body and "居民" not in card.body


async def test_bad_input_is_refused_and_the_draft_kept(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/complain")
    (reply,) = await harness.send(RESIDENT_ID, "   ")
    assert reply.text == texts.TEXT_EMPTY
    (reply,) = await harness.send_sticker(RESIDENT_ID)
    assert reply.text == ticket_texts.DESCRIPTION_EXPECTED
    (reply,) = await harness.send(RESIDENT_ID, "😡😡😡！！")
    assert reply.text == ticket_texts.NO_WORDS
    await harness.send_photo(RESIDENT_ID)
    (reply,) = await harness.send(RESIDENT_ID, "垃" * 5000)
    assert "5000 字" in reply.text and "1000" in reply.text
    raw = "<script>alert(1)</script> 路边乱扔垃圾 & 垃圾成堆"
    await harness.send(RESIDENT_ID, raw)
    await harness.send(RESIDENT_ID, "人民路<1号>")
    await harness.send(RESIDENT_ID, "随便打字")  # buttons expected: re-asked, nothing lost
    assert harness.emulator.last_to(RESIDENT_ID).text == ticket_texts.USE_BUTTONS
    (summary,) = await harness.press(RESIDENT_ID, ticket_texts.NAMED)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary.text and "<script>" not in summary.text
    await harness.press(RESIDENT_ID, ticket_texts.CONFIRM)
    await settled(harness)
    ticket = await only_ticket(harness)
    assert ticket.text == raw and ticket.address == "人民路<1号>"
    assert len(ticket.photo_file_ids) == 1  # the photo sent before the over-long text survived
    assert "&lt;script&gt;" in card_in(harness, ADMIN_ID, ticket.number).body


async def test_forwarded_message_and_cancel(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/complain")
    update = harness.emulator.message_update(
        RESIDENT_ID,
        text="转发：菜市场门口占道经营很严重",
        forward_origin={"type": "hidden_user", "sender_user_name": "邻居", "date": int(time.time())},
    )
    (reply,) = await harness.process(update)
    assert reply.text.startswith(ticket_texts.FORWARDED)
    (reply,) = await harness.send(RESIDENT_ID, "/cancel")
    assert reply.text == texts.CANCELLED
    (reply,) = await harness.send(RESIDENT_ID, "随便打字")
    assert reply.text == common_texts.UNKNOWN_TEXT  # the conversation is over


async def test_department_permissions_double_press_and_audit(harness: ChatHarness) -> None:
    await make_handlers(harness)
    await file_complaint(harness)
    ticket = await only_ticket(harness)
    card = card_in(harness, ADMIN_ID, ticket.number)
    await harness.press(RESIDENT_ID, "受理", card)
    assert harness.new_toasts()[-1] == texts.NOT_ALLOWED
    await harness.press(TRAFFIC, "受理", card)
    assert harness.new_toasts()[-1] == ticket_texts.NOT_YOURS
    await harness.press(SANITATION, "受理", card)
    assert (await only_ticket(harness)).status is TicketStatus.ACCEPTED
    await settled(harness)
    await harness.press(SANITATION, "受理", card)  # the stale card, pressed again
    assert "当前状态为「办理中」" in harness.new_toasts()[-1]
    assert (await only_ticket(harness)).status is TicketStatus.ACCEPTED
    async with harness.application.bot_data.sessions() as session:
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count("ticket.accept") == 1 and actions.count("ticket.refused") == 3


async def test_reassign_and_reject(harness: ChatHarness) -> None:
    await file_complaint(harness)
    ticket = await only_ticket(harness)
    (menu,) = await harness.press(ADMIN_ID, "转派", card_in(harness, ADMIN_ID, ticket.number))
    await harness.press(ADMIN_ID, "市城市管理综合执法局", menu)
    ticket = await only_ticket(harness)
    assert ticket.department_id == "chengguan" and ticket.status is TicketStatus.RECEIVED
    await settled(harness)
    assert "已转交市城市管理综合执法局" in harness.emulator.last_to(RESIDENT_ID).text
    await harness.press(ADMIN_ID, "市城市管理综合执法局", menu)  # the same department again
    assert harness.new_toasts()[-1] == ticket_texts.SAME_DEPARTMENT
    card = card_in(harness, ADMIN_ID, ticket.number)
    await harness.press(ADMIN_ID, "驳回", card)
    await harness.send_sticker(ADMIN_ID)
    assert harness.emulator.last_to(ADMIN_ID).text == ticket_texts.NOTE_EXPECTED
    await harness.send(ADMIN_ID, "经现场核实，未发现<问题>")
    assert (await only_ticket(harness)).status is TicketStatus.REJECTED
    await settled(harness)
    assert "未发现&lt;问题&gt;" in harness.emulator.last_to(RESIDENT_ID).text
    await harness.press(ADMIN_ID, "办结", card)  # an old card of a rejected ticket
    assert "已驳回" in harness.new_toasts()[-1]


async def test_duplicates_link_automatically_and_by_staff(harness: ChatHarness) -> None:
    await file_complaint(harness)
    original = await only_ticket(harness)
    sent = await file_complaint(harness, NEIGHBOUR, "小区门口乱扔垃圾，垃圾成堆")
    duplicate = await only_ticket(harness, reporter_id=NEIGHBOUR)
    assert duplicate.status is TicketStatus.DUPLICATE and duplicate.duplicate_of_id == original.id
    assert any(original.number in m.body and m.chat_id == NEIGHBOUR for m in sent)
    third_sent = await file_complaint(harness, NEIGHBOUR, "人行道上的井盖坏了，很危险")
    assert third_sent
    third = await only_ticket(harness, reporter_id=NEIGHBOUR)
    await harness.press(ADMIN_ID, "重复", card_in(harness, ADMIN_ID, third.number))
    await harness.send(ADMIN_ID, "TS-00000000-0000")
    assert harness.emulator.last_to(ADMIN_ID).text == ticket_texts.NOT_FOUND  # asked again
    await harness.send(ADMIN_ID, original.number)
    third = await only_ticket(harness, id=third.id)
    assert third.status is TicketStatus.DUPLICATE and third.duplicate_of_id == original.id
    await settled(harness)
    assert "已合并办理" in harness.emulator.last_to(NEIGHBOUR).text
    # the original's outcome reaches the linked reporters too
    await harness.press(ADMIN_ID, "办结", card_in(harness, ADMIN_ID, original.number))
    await harness.send(ADMIN_ID, "已清理")
    await settled(harness)
    assert "已合并至工单" in harness.emulator.last_to(NEIGHBOUR).text


async def test_time_limits_warn_and_escalate_once(harness: ChatHarness) -> None:
    await make_handlers(harness)
    await file_complaint(harness)
    ticket = await only_ticket(harness)
    await file_complaint(harness, NEIGHBOUR, "路口有人乱停车，堵住了消防通道")
    resolved = await only_ticket(harness, reporter_id=NEIGHBOUR)
    await harness.press(ADMIN_ID, "办结", card_in(harness, ADMIN_ID, resolved.number))
    await harness.send(ADMIN_ID, "已处理")
    await settled(harness)
    harness.new_messages()
    data = harness.application.bot_data
    start = ticket.created_at

    async def ticket_notices(hours: int) -> list[SentMessage]:
        """Run what is due then (other features' tasks too); keep the ticket notices it sent."""
        await data.tasks.run_due(data.sessions, now=start + timedelta(hours=hours))
        return [
            m for m in await settled(harness) if "工单" in m.body and ("将于" in m.body or "督办" in m.body)
        ]

    warnings = await ticket_notices(37)
    assert [w.chat_id for w in warnings] == [ADMIN_ID]  # the resolved ticket's warning was cancelled
    assert ticket.number in warnings[0].body and "将于" in warnings[0].body
    assert await ticket_notices(38) == []  # fired once
    escalations = await ticket_notices(49)
    assert len(escalations) == 1 and "督办" in escalations[0].body and ticket.number in escalations[0].body
    assert await ticket_notices(60) == []
    async with data.sessions() as session:
        rows = await session.execute(select(ScheduledTask.key, ScheduledTask.status))
        statuses = {key: status for key, status in rows}
    assert statuses[f"ticket-warn:{ticket.id}"] is TaskStatus.DONE
    assert statuses[f"ticket-warn:{resolved.id}"] is TaskStatus.CANCELLED
    (detail,) = await harness.send(ADMIN_ID, f"/ticket {ticket.number}")
    assert "临期提醒" in detail.text and "超时督办" in detail.text


async def test_an_unrated_resolved_ticket_closes_itself_and_its_reporter_is_told(
    harness: ChatHarness,
) -> None:
    await file_complaint(harness)
    ticket = await only_ticket(harness)
    await harness.press(ADMIN_ID, "办结", card_in(harness, ADMIN_ID, ticket.number))
    await harness.send(ADMIN_ID, "已处理")
    await settled(harness)
    data = harness.application.bot_data
    await data.tasks.run_due(data.sessions, now=ticket.created_at + timedelta(days=8))
    (closed,) = [m for m in await settled(harness) if m.chat_id == RESIDENT_ID]
    assert closed.text == ticket_texts.NOTIFY_AUTO_CLOSED.format(number=ticket.number, days=7)
    assert (await only_ticket(harness)).status is TicketStatus.CLOSED
    assert "（已关闭）" in card_view(harness, ADMIN_ID, ticket.number).body


async def test_urgent_report_alerts_staff(harness: ChatHarness) -> None:
    sent = await file_complaint(harness, text="工地塔吊旁边起火了，有人受伤")
    ticket = await only_ticket(harness)
    assert ticket.urgent and ticket.time_limit_hours == 2
    assert any("紧急投诉" in m.body and m.chat_id == ADMIN_ID for m in sent)


async def test_staff_queue_filters_and_triage(harness: ChatHarness) -> None:
    await make_handlers(harness)
    await file_complaint(harness, text="你好，我想反映一个情况")
    vague = await only_ticket(harness)
    assert vague.category_id == "triage"
    await file_complaint(harness, NEIGHBOUR)
    (queue,) = await harness.send(ADMIN_ID, "/complaints")
    assert "共 2 件" in queue.text
    (filtered,) = await harness.press(ADMIN_ID, ticket_texts.FILTER_TRIAGE, queue)
    assert vague.number in filtered.text and "共 1 件" in filtered.text
    (card,) = await harness.press(ADMIN_ID, f"处理 {vague.number}", filtered)
    (menu,) = await harness.press(ADMIN_ID, "分拣", card)
    await harness.press(ADMIN_ID, "噪音与大声喧哗", menu)
    vague = await only_ticket(harness, id=vague.id)
    assert vague.category_id == "noise" and vague.department_id != "wenmingban"
    await settled(harness)
    assert "噪音与大声喧哗" in harness.emulator.last_to(RESIDENT_ID).text
    await harness.press(ADMIN_ID, ticket_texts.FILTER_DEPARTMENT, filtered)
    (by_department,) = await harness.press(ADMIN_ID, "市环境卫生管理处")
    assert "共 1 件" in by_department.text
    (mine,) = await harness.send(SANITATION, "/complaints")  # a handler sees their department only
    assert "共 1 件" in mine.text
    (refused,) = await harness.send(RESIDENT_ID, "/complaints")
    assert refused.text == texts.NOT_ALLOWED


async def test_department_group_chat_note_by_reply(harness: ChatHarness) -> None:
    """With STAFF_CHAT_ID set, cards go to the group and a handler answers there; a photo of the
    work done reaches the reporter with the note and the rating buttons, as one message."""
    group = -100500
    harness.application.bot_data.settings.staff_chat_id = group
    await make_handlers(harness)
    await file_complaint(harness)
    ticket = await only_ticket(harness)
    card = card_in(harness, group, ticket.number)
    await harness.press(SANITATION, "办结", card)
    prompt = harness.emulator.last_to(group)
    assert prompt.params.get("reply_markup") and "force_reply" in str(prompt.params["reply_markup"])
    message = {
        "message_id": harness.emulator.next_message_id(),
        "date": int(time.time()),
        "chat": {"id": group, "type": "supergroup", "title": "创文办"},
        "from": harness.emulator.user_json(SANITATION),
        "photo": [{"file_id": "work-done", "file_unique_id": "w1", "width": 1280, "height": 960}],
        "caption": "已清理完毕",
    }
    await harness.process({"message": message})
    assert (await only_ticket(harness)).status is TicketStatus.RESOLVED
    await settled(harness)
    notice = harness.emulator.last_to(RESIDENT_ID)
    assert notice.method == "sendPhoto" and notice.params["photo"] == "work-done"
    assert "已清理完毕" in notice.body and notice.buttons()[-1]["text"] == ticket_texts.REOPEN_BUTTON
    await harness.press(RESIDENT_ID, "5分", notice)
    rated = harness.emulator.last_to(RESIDENT_ID)
    assert rated.edited and "5 分" in rated.body and not rated.buttons()  # the caption, in place
    assert utcnow() > ticket.created_at


async def test_a_draft_survives_a_restart(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/complain")
    await harness.send_photo(RESIDENT_ID, caption=LITTER)
    await harness.stop()  # persistence is flushed on shutdown, as on a real restart
    async with ChatHarness(harness.settings, clock=process_clock()) as restarted:
        (ask,) = await restarted.send(RESIDENT_ID, ticket_texts.SKIP)
        assert ask.text == ticket_texts.ASK_IDENTITY
        await restarted.press(RESIDENT_ID, ticket_texts.NAMED)
        await restarted.press(RESIDENT_ID, ticket_texts.CONFIRM)
        ticket = await only_ticket(restarted)
    assert ticket.text == LITTER and len(ticket.photo_file_ids) == 1


async def test_complaint_menu_in_a_group_does_not_start_a_report(harness: ChatHarness) -> None:
    update = harness.emulator.message_update(RESIDENT_ID, text="/complain")
    update["message"]["chat"] = {"id": -100900, "type": "supergroup", "title": "业主群"}
    await harness.process(update)
    assert all(ticket_texts.START.split("（")[0] not in m.body for m in harness.emulator.messages)
