"""The manifests are the one list: /help, setMyCommands, the CLI, /mydata, the report and the bench read it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import CommandHandler, ConversationHandler

import handlers
from bot.cli import build_parser
from bot.config import Settings
from bot.harness import ChatHarness
from bot.models import Role
from bot.services import DomainError
from bot.services.convention import QuestionProblem
from bot.services.users import Actor, set_role
from handlers.common import texts as common_texts
from handlers.kit.errors import KIT_ERRORS, error_text
from handlers.kit.guards import guard_of

USER_ID = 100777


def entry_commands(harness: ChatHarness) -> dict[str, Any]:
    """Every command a user can send (top level or a conversation's entry) → its callback."""
    found: dict[str, Any] = {}

    def walk(handler_list: Any) -> None:
        for handler in handler_list:
            if isinstance(handler, ConversationHandler):
                walk(handler.entry_points)
            elif isinstance(handler, CommandHandler):
                for command in handler.commands:
                    found.setdefault(command, handler.callback)

    for group in harness.application.handlers.values():
        walk(group)
    return found


def help_commands(text: str) -> list[str]:
    return [line.split(" — ")[0].removeprefix("/") for line in text.splitlines() if line.startswith("/")]


def test_every_command_in_the_catalogue_is_declared_once() -> None:
    names = [c.name for c in handlers.command_catalogue()]
    assert len(names) == len(set(names))


async def test_every_command_sent_is_in_the_catalogue_with_the_audience_of_its_guard(
    harness: ChatHarness,
) -> None:
    catalogue = {c.name: c for c in handlers.command_catalogue()}
    registered = entry_commands(harness)
    assert set(registered) == set(catalogue)  # no hidden commands, none without a handler
    for name, callback in registered.items():
        guard = guard_of(callback)
        declared = catalogue[name].audience
        assert (guard.audience if guard else declared.RESIDENT) is declared, name


@pytest.mark.parametrize("role", list(Role))
async def test_help_lists_exactly_the_commands_the_role_may_use(
    harness: ChatHarness, sessions: async_sessionmaker[AsyncSession], role: Role
) -> None:
    async with sessions() as session, session.begin():
        await set_role(session, USER_ID, role, "urban" if role is Role.HANDLER else None)
    (reply,) = await harness.send(USER_ID, "/help")
    listed = help_commands(reply.text)
    actor = Actor(USER_ID, role)
    usable = {
        name
        for name, callback in entry_commands(harness).items()
        if (g := guard_of(callback)) is None or g.admits(actor)
    }
    assert set(listed) == usable and len(listed) == len(usable)
    # Staff roles and inspectors have commands beyond the residents' (under their own header).
    assert (common_texts.HELP_STAFF_HEADER in reply.text) is (role.is_staff or role is Role.INSPECTOR)


async def test_set_my_commands_for_admins_matches_their_help(harness: ChatHarness) -> None:
    scoped = [
        params
        for method, params in harness.emulator.calls
        if method == "setMyCommands" and "chat_id" in str(params.get("scope"))
    ]
    assert scoped, "admins from ADMIN_IDS get their menu at start-up"
    published = {c["command"] for c in _decoded(scoped[-1]["commands"])}
    assert published == {c.name for c in handlers.command_catalogue()}


def _decoded(value: Any) -> list[dict[str, Any]]:
    import json

    return json.loads(value) if isinstance(value, str) else list(value)


def test_cli_report_bench_and_personal_data_come_from_the_manifests() -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"convention", "complaints", "report"} <= set(commands)
    sections = [s.key for s in handlers.report_sections()]
    assert sorted(sections) == sorted(
        [
            "complaints_by_category",
            "complaints_by_department",
            "honor_board",
            "volunteers",
            "nominations",
            "broadcasts",
            "owed_messages",
            "staff_activity",
            "inspections",
            "inspection_board",
        ]
    )
    assert {"convention", "tickets", "report", "bot_throughput"} <= set(handlers.benchmarks())
    parts = [p.section for p in handlers.personal_data_sections()]
    assert len(parts) == len(set(parts)) and {"convention", "complaints", "volunteer", "broadcasts"} <= set(
        parts
    )


async def test_building_twice_registers_nothing_twice(settings: Settings, engine: Any) -> None:
    """Nothing registers itself on import or accumulates across applications."""
    first, second = ChatHarness(settings), ChatHarness(settings)
    for data in (first.application.bot_data, second.application.bot_data):
        assert len(data.startup_hooks) == sum(len(f.startup) for f in handlers.FEATURES)
    assert (
        first.application.bot_data.tasks.handlers.keys() == second.application.bot_data.tasks.handlers.keys()
    )


def test_every_error_code_of_a_converted_feature_has_wording() -> None:
    catalogue = {**KIT_ERRORS, **handlers.error_texts()}
    for code in QuestionProblem:
        assert error_text(DomainError(code=code, length=250, limit=200), catalogue)


def test_domain_errors_carry_a_message_or_a_code() -> None:
    assert str(DomainError("旧的中文消息")) == "旧的中文消息"
    coded = DomainError(code="convention.question_too_long", length=250, limit=200)
    assert coded.code == "convention.question_too_long" and coded.params == {"length": 250, "limit": 200}
    assert "250" in error_text(coded, handlers.error_texts()) and "200" in error_text(
        coded, handlers.error_texts()
    )
    with pytest.raises(TypeError):
        DomainError()
    with pytest.raises(TypeError):
        DomainError("消息", code="x")
    with pytest.raises(KeyError):
        error_text(DomainError(code="nobody.wrote.this"), handlers.error_texts())
