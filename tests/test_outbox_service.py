"""The outbox service and planner: rows in the caller's transaction, wake-ups on commit, parts, counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.database import transaction
from bot.models import OutboxCard, OutboxMessage, OutboxOp, OutboxStatus, Priority
from bot.outbox import service
from bot.outbox.engine import MAX_CAPTION, NOTE_RESERVE, Escalation, claim, plan, telegram_length
from bot.outbox.service import Location, Message
from bot.timeutil import utcnow

GROUP = -100500


def row(**values: object) -> OutboxMessage:
    values.setdefault("op", OutboxOp.SEND)
    values.setdefault("chat_id", 1001)
    values.setdefault("kind", "test")
    values.setdefault("text", "")
    return OutboxMessage(**values)


async def test_rows_exist_only_if_the_transaction_commits_and_only_a_commit_wakes(sessions) -> None:
    woken: list[int] = []

    def waker() -> None:
        woken.append(1)

    service.add_waker(waker)
    try:
        with pytest.raises(RuntimeError):
            async with transaction(sessions) as session:
                await service.enqueue(session, Message(1001, "test.rollback", "不会发出"))
                raise RuntimeError("the change failed")
        assert woken == []
        async with transaction(sessions) as session:
            await service.enqueue(session, Message(1001, "test.commit", "会发出"))
            assert woken == []  # not before the commit
        assert woken == [1]
        async with transaction(sessions) as session:  # a transaction that wrote no row wakes nobody
            await session.execute(select(func.count(OutboxMessage.id)))
        assert woken == [1]
    finally:
        service.remove_waker(waker)
    async with sessions() as session:
        kinds = list(await session.scalars(select(OutboxMessage.kind)))
    assert kinds == ["test.commit"]


async def test_programming_errors_are_refused_where_the_message_is_written(sessions) -> None:
    async with sessions() as session:
        for bad in (
            Message(1, "", "没有类别"),
            Message(1, "test", ""),
            Message(1, "test", "x" * 4097),
            Message(1, "test", "太多照片", photos=[f"p{i}" for i in range(11)]),
            Message(1, "test", "按钮", keyboard=[[("好", "x" * 65)]]),
            Message(1, "test", "", photos=["a", "b"], keyboard=[[("好", "ok")]]),
        ):
            with pytest.raises(ValueError):
                await service.enqueue(session, bad)


async def test_edit_card_writes_one_edit_per_chat_the_card_went_to(sessions) -> None:
    async with transaction(sessions) as session:
        await service.enqueue(
            session, Message(GROUP, "ticket.card", "卡片", card_key="ticket:1", label="城管局", fallback=True)
        )
        await service.enqueue(
            session, Message(900001, "ticket.card", "卡片", card_key="ticket:1", user_id=900001)
        )
        await service.enqueue(session, Message(GROUP, "ticket.card", "另一张", card_key="ticket:2"))
    async with transaction(sessions) as session:
        assert (
            await service.edit_card(
                session, "ticket:1", "卡片（已受理）", [[("办结", "tk:res:1")]], kind="ticket.card"
            )
            == 2
        )
        assert await service.edit_card(session, "ticket:9", "不存在", kind="ticket.card") == 0
        assert await service.card_chats(session, "ticket:1") == [GROUP, 900001]
    async with sessions() as session:
        edits = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.op == OutboxOp.EDIT).order_by(OutboxMessage.chat_id)
            )
        )
    assert [(e.chat_id, e.user_id, e.label, e.fallback) for e in edits] == [
        (GROUP, None, "城管局", True),
        (900001, 900001, None, False),
    ]
    assert edits[0].keyboard == [[["办结", "tk:res:1"]]]


def test_plan_parts_photo_caption_album_text_and_venue() -> None:
    keyboard = [[["⭐", "tk:rate:1:1"]]]
    single = plan(row(text="已办结", photos=["p1"], keyboard=keyboard), None)
    assert [(p.kind, p.text, bool(p.keyboard), p.holds_card) for p in single] == [
        ("photo", "已办结", True, True)
    ]

    long_text = "很长" * 600
    assert telegram_length(long_text) > MAX_CAPTION
    split = plan(row(text=long_text, photos=["p1"], keyboard=keyboard), None)
    assert [(p.kind, bool(p.text), bool(p.keyboard)) for p in split] == [
        ("photo", False, False),
        ("text", True, True),
    ]

    album = plan(row(text="现场照片", photos=["p1", "p2"]), None)
    assert [(p.kind, p.text) for p in album] == [("album", "现场照片")]
    album_buttons = plan(row(text="请评价", photos=["p1", "p2"], keyboard=keyboard), None)
    assert [(p.kind, p.text, bool(p.keyboard)) for p in album_buttons] == [
        ("album", "", False),
        ("text", "请评价", True),
    ]

    venue = {"latitude": 30.5, "longitude": 114.3, "title": "江岸区文明岗", "address": "中山大道 1 号"}
    shift = plan(row(text="你的班次", location=venue), None)
    assert [p.kind for p in shift] == ["text", "venue"]
    assert [p.kind for p in plan(row(location={"latitude": 1.0, "longitude": 2.0}), None)] == ["location"]

    # A rerouted copy keeps room for its line above the caption.
    near_limit = "字" * (MAX_CAPTION - NOTE_RESERVE + 1)
    assert [p.kind for p in plan(row(text=near_limit, photos=["p"]), None)] == ["photo"]
    rerouted = plan(row(text=near_limit, photos=["p"], note=service.NOTE_GROUP_UNREACHABLE), None)
    assert [p.kind for p in rerouted] == ["photo", "text"] and rerouted[1].note is not None


def test_plan_edits_edit_while_the_message_is_known_else_send_anew() -> None:
    edit = row(op=OutboxOp.EDIT, chat_id=GROUP, text="新状态", card_key="ticket:1")
    known = OutboxCard(card_key="ticket:1", chat_id=GROUP, message_id=77, caption=False)
    assert [(p.kind, p.message_id) for p in plan(edit, known)] == [("edit_text", 77)]
    photo_card = OutboxCard(card_key="ticket:1", chat_id=GROUP, message_id=77, caption=True)
    assert plan(edit, photo_card)[0].kind == "edit_caption"
    never_sent = OutboxCard(card_key="ticket:1", chat_id=GROUP, message_id=None, caption=False)
    assert [(p.kind, p.holds_card) for p in plan(edit, never_sent)] == [("text", True)]


def test_escalation_targets() -> None:
    assert Escalation(-1, (7, 8)).targets(GROUP) == [-1]
    assert Escalation(-1, (8, 7)).targets(-1) == [7, 8]  # the staff chat itself is gone: the admins
    assert Escalation(None, (8, 7)).targets(GROUP) == [7, 8]
    assert Escalation(None, ()).targets(GROUP) == []


async def test_claims_follow_priority_then_commit_order_one_per_chat(sessions) -> None:
    async with transaction(sessions) as session:
        await service.enqueue(session, Message(1001, "a", "1001 第一条", priority=Priority.BULK))
        await service.enqueue(session, Message(1001, "a", "1001 第二条", priority=Priority.URGENT))
        await service.enqueue(session, Message(1002, "a", "1002", priority=Priority.OWED))
        await service.enqueue(session, Message(1003, "a", "1003", priority=Priority.URGENT))
    async with transaction(sessions) as session:
        jobs = await claim(session, "host:1:a", utcnow(), 10)
    # 1001's urgent second message waits for its first: a chat's messages keep their order.
    assert [j.part.text for j in jobs] == ["1003", "1002", "1001 第一条"]
    async with transaction(sessions) as session:
        assert await claim(session, "host:2:b", utcnow(), 10) == []  # all in flight


async def test_per_chat_pace_private_one_a_second_group_twenty_a_minute(sessions) -> None:
    now = utcnow()
    async with transaction(sessions) as session:
        await service.enqueue(session, Message(1001, "a", "刚发过一条的居民"))
        await service.enqueue(session, Message(GROUP, "a", "本分钟已收到 20 条的群"))
        for i in range(20):
            session.add(row(chat_id=GROUP, status=OutboxStatus.SENT, sent_at=now - timedelta(seconds=50 - i)))
        session.add(row(chat_id=1001, status=OutboxStatus.SENT, sent_at=now - timedelta(seconds=0.5)))
    async with transaction(sessions) as session:
        assert await claim(session, "host:1:a", now, 10) == []
    later = now + timedelta(seconds=11)  # the group's oldest send left the minute, the person's second
    async with transaction(sessions) as session:
        texts = sorted(j.part.text for j in await claim(session, "host:1:a", later, 10))
    assert texts == ["刚发过一条的居民", "本分钟已收到 20 条的群"]


async def test_stats_by_kind_and_oldest_pending_age(sessions) -> None:
    now = utcnow()
    async with transaction(sessions) as session:
        session.add(
            row(kind="ticket.card", status=OutboxStatus.PENDING, created_at=now - timedelta(minutes=5))
        )
        session.add(
            row(kind="ticket.card", status=OutboxStatus.PENDING, attempts=2, error="502", created_at=now)
        )
        session.add(row(kind="ticket.card", status=OutboxStatus.SENT, created_at=now))
        session.add(row(kind="ticket.reporter", status=OutboxStatus.FAILED, created_at=now))
        session.add(
            row(kind="ticket.reporter", status=OutboxStatus.UNREACHABLE, created_at=now - timedelta(days=40))
        )
    async with sessions() as session:
        stats = await service.stats(session, now)
        month = await service.stats(session, now, since=now - timedelta(days=30))
    card = stats.by_kind["ticket.card"]
    assert (card.pending, card.retrying, card.sent) == (1, 1, 1)
    reporter = stats.by_kind["ticket.reporter"]
    assert (reporter.failed, reporter.unreachable) == (1, 1)
    assert stats.total.failed == 1 and stats.total.pending == 1
    assert stats.oldest_pending_age == timedelta(minutes=5)
    assert month.by_kind["ticket.reporter"].unreachable == 0


async def test_forget_drops_what_is_owed_and_blanks_what_was_sent(sessions) -> None:
    async with transaction(sessions) as session:
        await service.enqueue(session, Message(1001, "ticket.reporter", "你的投诉已受理", user_id=1001))
        await service.enqueue(
            session, Message(1001, "ticket.card", "卡片", card_key="ticket:1", user_id=1001)
        )
        await service.enqueue(session, Message(1002, "ticket.reporter", "别人的", user_id=1002))
        await session.flush()
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.text == "你的投诉已受理")
            .values(status=OutboxStatus.SENT)
        )
    async with transaction(sessions) as session:
        exported = await service.export_user(session, 1001)
        await service.erase_user(session, 1001)
    assert [e["kind"] for e in exported] == ["ticket.reporter", "ticket.card"]
    async with sessions() as session:
        left = list(
            await session.execute(select(OutboxMessage.chat_id, OutboxMessage.text, OutboxMessage.status))
        )
        cards = await session.scalar(select(func.count()).select_from(OutboxCard))
    assert sorted(left) == [(0, "", OutboxStatus.SENT), (1002, "别人的", OutboxStatus.PENDING)]
    assert cards == 0


def test_location_is_stored_without_empty_fields() -> None:
    assert {k: v for k, v in vars(Location(1.0, 2.0)).items() if v is not None} == {
        "latitude": 1.0,
        "longitude": 2.0,
    }
