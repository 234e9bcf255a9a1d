"""Roles and the audit log: /grant, /revoke, /staff, /audit through the real Application."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.harness import ChatHarness
from bot.models import AuditEntry, Role, User
from bot.services import audit
from bot.services.staff import RoleProblem
from bot.timeutil import DEFAULT_TZ, utcnow
from handlers.kit import texts as kit_texts
from handlers.staff import texts as staff_texts
from handlers.staff.audit import parse_audit_filter
from handlers.staff.roles import parse_role
from tests.conftest import ADMIN_ID, STAFF_ID


async def roles(sessions) -> dict[int, tuple[Role, str | None]]:
    async with sessions() as session:
        rows = await session.execute(select(User.id, User.role, User.department))
        return {user_id: (role, department) for user_id, role, department in rows.all()}


def menu(harness: ChatHarness, chat_id: int) -> set[str]:
    return {c["command"] for c in harness.emulator.commands.get(f"chat:{chat_id}", [])}


async def test_grant_in_chinese_and_english_publishes_menu_and_is_audited(
    harness: ChatHarness, sessions
) -> None:
    (reply,) = await harness.send(ADMIN_ID, f"/grant {STAFF_ID} 工作人员")
    assert "创文办工作人员" in reply.text
    (reply,) = await harness.send(ADMIN_ID, "/grant 700 handler chengguan")
    assert "市城市管理综合执法局" in reply.text
    assert (await roles(sessions))[STAFF_ID] == (Role.STAFF, None)
    assert (await roles(sessions))[700] == (Role.HANDLER, "chengguan")
    assert {"report", "staff"} <= menu(harness, STAFF_ID) and "grant" not in menu(harness, STAFF_ID)
    async with sessions() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(e.actor_id, e.action, e.target, e.details["role"]) for e in entries] == [
        (ADMIN_ID, "role.grant", str(STAFF_ID), "staff"),
        (ADMIN_ID, "role.grant", "700", "handler"),
    ]
    (reply,) = await harness.send(ADMIN_ID, f"/grant {STAFF_ID} staff")  # the same again: no change
    assert "未做改动" in reply.text


async def test_grant_rejects_bad_input_without_changing_anything(harness: ChatHarness, sessions) -> None:
    cases = {
        "/grant": "用法",
        "/grant 12ab staff": "不是有效的",
        "/grant 700 boss": "不认识角色",
        "/grant 700 部门": "须指定部门",
        "/grant 700 部门 nowhere": "没有部门「nowhere」",
        "/grant 700 staff chengguan": "只有部门处理人",
        f"/grant {ADMIN_ID} staff": "ADMIN_IDS",
        "/grant 700 staff <b>x</b> y": "用法",
    }
    for command, expected in cases.items():
        (reply,) = await harness.send(ADMIN_ID, command)
        assert expected in reply.text, (command, reply.text)
    assert 700 not in await roles(sessions)
    async with sessions() as session:
        assert (await session.scalar(select(AuditEntry))) is None


async def test_revoke_and_config_admins_win(harness: ChatHarness, sessions) -> None:
    await harness.send(ADMIN_ID, f"/grant {STAFF_ID} staff")
    (reply,) = await harness.send(ADMIN_ID, f"/revoke {STAFF_ID}")
    assert "已撤销" in reply.text
    assert (await roles(sessions))[STAFF_ID] == (Role.RESIDENT, None)
    assert "report" not in menu(harness, STAFF_ID) and "start" in menu(harness, STAFF_ID)
    (reply,) = await harness.send(ADMIN_ID, f"/revoke {STAFF_ID}")  # twice: nothing to revoke
    assert "无需撤销" in reply.text
    (reply,) = await harness.send(ADMIN_ID, f"/revoke {ADMIN_ID}")
    assert "配置文件（ADMIN_IDS）" in reply.text
    # A database admin cannot revoke themselves either (someone else must).
    await harness.send(ADMIN_ID, "/grant 701 admin")
    (reply,) = await harness.send(701, "/revoke 701")
    assert reply.text == staff_texts.ERRORS[RoleProblem.NOT_YOURSELF]
    (reply,) = await harness.send(701, f"/revoke {ADMIN_ID}")
    assert "ADMIN_IDS" in reply.text
    async with sessions() as session:
        actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    assert actions == ["role.grant", "role.revoke", "role.grant"]


async def test_staff_members_cannot_grant_but_can_list(harness: ChatHarness) -> None:
    await harness.send(ADMIN_ID, f"/grant {STAFF_ID} staff")
    await harness.send(ADMIN_ID, "/grant 702 部门 huanwei")
    (reply,) = await harness.send(STAFF_ID, "/grant 703 admin")
    assert reply.text == kit_texts.NOT_ALLOWED
    (reply,) = await harness.send(STAFF_ID, "/staff")
    assert "共 3 人" in reply.text
    assert f"{ADMIN_ID}</code> — 管理员（配置）" in reply.text
    assert "市环境卫生管理处" in reply.text
    (reply,) = await harness.send(702, "/staff")  # department handlers are not campaign staff
    assert reply.text == kit_texts.NOT_ALLOWED


async def test_audit_pages_and_filters(harness: ChatHarness, sessions) -> None:
    now = utcnow()
    async with sessions() as session, session.begin():
        for i in range(45):
            entry = await audit.record(session, STAFF_ID if i % 3 else 800, "ticket.assign", f"T{i}")
            entry.created_at = now - timedelta(hours=45 - i)
        old = await audit.record(session, 800, "role.grant", "old")
        old.created_at = now - timedelta(days=30)
    (first,) = await harness.send(ADMIN_ID, "/audit")
    assert "第 1–20 条，共 46 条" in first.text
    assert "T44" in first.text and "T24" not in first.text
    await harness.press(ADMIN_ID, "更早")
    second = harness.emulator.last_to(ADMIN_ID)
    assert "第 21–40 条" in second.text and "T24" in second.text
    await harness.press(ADMIN_ID, "更早", second)
    third = harness.emulator.last_to(ADMIN_ID)
    assert "第 41–46 条" in third.text and "old" in third.text
    assert [b["text"] for b in third.buttons()] == [staff_texts.AUDIT_NEWER]

    (reply,) = await harness.send(ADMIN_ID, "/audit 800 role")
    assert "共 1 条" in reply.text and "old" in reply.text
    (reply,) = await harness.send(ADMIN_ID, "/audit 800 7天")
    assert "共 15 条" in reply.text and "old" not in reply.text
    (reply,) = await harness.send(ADMIN_ID, "/audit nothing.like.this")
    assert reply.text == staff_texts.AUDIT_EMPTY
    (reply,) = await harness.send(ADMIN_ID, "/audit 2026-02-30")
    assert "日期" in reply.text
    (reply,) = await harness.send(ADMIN_ID, "/audit 😀")
    assert "看不懂" in reply.text
    await harness.press_data(ADMIN_ID, "audit:p:999:0", first)  # a query that is gone
    assert harness.new_toasts()[-1] == staff_texts.AUDIT_QUERY_GONE


def test_role_names_and_audit_filter_parsing() -> None:
    assert parse_role("工作人员") is Role.STAFF and parse_role("HANDLER") is Role.HANDLER
    assert parse_role("管理员") is Role.ADMIN and parse_role("部门") is Role.HANDLER
    now = utcnow()
    parsed = parse_audit_filter(["role.grant", "123", "2026-11-01"], now, DEFAULT_TZ)
    assert parsed.actor_id == 123 and parsed.action == "role.grant"
    assert parsed.since is not None and parsed.since.isoformat() == "2026-11-01T00:00:00+08:00"
    assert parse_audit_filter([], now, DEFAULT_TZ).since is None
