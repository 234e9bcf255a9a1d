"""Every staff command and every staff button, pressed by a resident, is refused and changes nothing.

The test discovers what to try from the manifests and the running Application, not a hand-kept list:
- commands: the catalogue's staff entries (``handlers.command_catalogue()``), each of which must
  have a registered CommandHandler (top level or a conversation's entry point);
- buttons: every staff button kind (``handlers.button_kinds()``, pressed with ``Kind.example()``)
  and every CallbackQueryHandler whose pattern starts with a staff kind's prefix (data matching the
  handler's own pattern is generated from the regular expression).
So a feature's staff commands and buttons are covered as soon as its manifest is listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

import handlers
from bot import texts
from bot.clock import process_clock
from bot.config import Settings
from bot.harness import ChatHarness
from bot.models import AuditEntry, Base, User
from handlers.kit.callbacks import Button
from handlers.kit.guards import Audience, guard_of
from tests.conftest import RESIDENT_ID
from tests.support.eventually import eventually

try:  # Python 3.11+: the regular-expression parser used to build matching callback data
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

OWN_STAFF_COMMANDS = {"grant", "revoke", "staff", "audit", "report"}
OWN_STAFF_PREFIXES = {"audit:p", "report"}  # the staff feature's button kinds
# Arguments tried with every staff command: bare, and shapes a real staff call would have.
ARGUMENT_SHAPES = ["", f"{RESIDENT_ID} admin", "month 2026-10", "1"]
SKIPPED_TABLES = {"ptb_persistence"}  # conversation state and user_data, not domain data


def walk(handler_list: list[BaseHandler[Any, Any, Any]], entry: bool = True) -> Iterator[tuple[Any, bool]]:
    """Every handler, descending into conversations; ``entry`` is False for states and fallbacks."""
    for handler in handler_list:
        if isinstance(handler, ConversationHandler):
            yield from walk(list(handler.entry_points), entry)
            for state_handlers in handler.states.values():
                yield from walk(list(state_handlers), False)
            yield from walk(list(handler.fallbacks), False)
        else:
            yield handler, entry


def all_handlers(harness: ChatHarness) -> list[tuple[Any, bool]]:
    return [pair for group in harness.application.handlers.values() for pair in walk(list(group))]


STAFF_CALLBACK_PREFIXES = handlers.staff_button_prefixes()
KINDS_BY_PATTERN: dict[Any, type[Button]] = {kind.pattern: kind for kind in handlers.button_kinds()}


def staff_command_names() -> set[str]:
    return {c.name for c in handlers.command_catalogue() if c.audience is not Audience.RESIDENT}


def pattern_text(handler: CallbackQueryHandler[Any, Any]) -> str | None:
    pattern = handler.pattern
    if isinstance(pattern, re.Pattern):
        return pattern.pattern
    return pattern if isinstance(pattern, str) else None


def role_guarded(callback: Any) -> bool:
    """True when the callback is wrapped (at any depth) by a role guard (``handlers.kit.guards``)."""
    guard = guard_of(callback)
    return guard is not None and guard.audience is not Audience.RESIDENT


def callback_examples(handler: CallbackQueryHandler[Any, Any]) -> list[str]:
    """Well-formed data for the handler: a button kind's example, else strings its pattern matches."""
    kind = KINDS_BY_PATTERN.get(handler.pattern)
    if kind is not None:
        return [kind.example().data]
    pattern = pattern_text(handler)
    return examples_for(pattern) if pattern else []


def staff_prefix_of(data: str) -> str | None:
    """The registered staff prefix this callback data starts with (longest first)."""
    for prefix in sorted(STAFF_CALLBACK_PREFIXES, key=len, reverse=True):
        if data == prefix or data.startswith(f"{prefix}:"):
            return prefix
    return None


def examples_for(pattern: str, limit: int = 16) -> list[str]:
    """Strings the pattern matches (small, deterministic; one per alternative), from the parsed expression."""
    return _generate(sre_parse.parse(pattern))[:limit]


def _generate(items: Any) -> list[str]:
    outs = [""]
    for op, av in items:
        name = str(op)
        parts: list[str]
        if name == "LITERAL":
            parts = [chr(av)]
        elif name == "NOT_LITERAL":
            parts = ["x" if chr(av) != "x" else "y"]
        elif name == "ANY":
            parts = ["x"]
        elif name == "IN":
            parts = [_one_of(av)]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            parts = [p * min(max(low, 1), high) for p in _generate(sub)]
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            parts = _generate(av[-1])
        elif name == "BRANCH":
            parts = [p for branch in av[1] for p in _generate(branch)]
        else:  # AT (anchors), ASSERT/ASSERT_NOT and the like produce no characters
            parts = [""]
        outs = [o + p for o in outs for p in parts][:64]
    return outs


def _one_of(items: Any) -> str:
    if items and str(items[0][0]) == "NEGATE":
        return "x"
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return chr(av)
        if name == "RANGE":
            return chr(av[0])
        if name == "CATEGORY":
            return {"CATEGORY_DIGIT": "1", "CATEGORY_SPACE": " "}.get(str(av), "a")
    return "x"


async def snapshot(sessions: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    """Row counts of every domain table, and everyone's role: what a refused call must not change."""
    state: dict[str, Any] = {}
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name not in SKIPPED_TABLES:
                state[table.name] = await session.scalar(select(func.count()).select_from(table))
        state["roles"] = sorted((await session.execute(select(User.id, User.role, User.department))).all())
        state["pending_tasks"] = await session.scalar(
            text("SELECT COUNT(*) FROM scheduled_tasks WHERE status = 'pending'")
        )
        # Logging the refusal itself ("ticket.refused") is fine; any other audit entry is a change.
        state["audit_log"] = await session.scalar(
            select(func.count()).where(~AuditEntry.action.endswith(".refused"))
        )
    return state


@pytest.fixture
async def resident_harness(settings: Settings, engine: Any) -> Any:
    """The real Application, without flood control getting in the way of many quick calls."""
    chat = ChatHarness(settings.model_copy(update={"flood_max_messages": 100_000}), clock=process_clock())
    await chat.start()
    try:
        yield chat
    finally:
        await chat.stop()


def test_catalogue_and_registry_hold_at_least_our_own_staff_entries() -> None:
    assert staff_command_names() >= OWN_STAFF_COMMANDS
    assert OWN_STAFF_PREFIXES <= STAFF_CALLBACK_PREFIXES


def test_example_generator_matches_typical_patterns() -> None:
    for pattern in [
        r"^audit:",
        r"^tk:acc:\d+$",
        r"^vol:(ok|no):[0-9]{1,6}$",
        r"^nom:[a-z_]+:\w+$",
        r"^x:[^:]+$",
    ]:
        examples = examples_for(pattern)
        assert examples and all(re.match(pattern, e) for e in examples), (pattern, examples)
    assert examples_for(r"^tk:(res|rej|dup):\d+$") == ["tk:res:1", "tk:rej:1", "tk:dup:1"]


async def test_every_role_guarded_button_is_registered_as_staff(resident_harness: ChatHarness) -> None:
    """A button whose callback carries a role guard must sit under a registered staff prefix."""
    unregistered = []
    guarded = 0
    for handler, _entry in all_handlers(resident_harness):
        if isinstance(handler, CallbackQueryHandler) and role_guarded(handler.callback):
            guarded += 1
            unregistered += [data for data in callback_examples(handler) if staff_prefix_of(data) is None]
    assert guarded >= len(OWN_STAFF_PREFIXES)
    assert not unregistered, f"role-guarded buttons outside STAFF_CALLBACK_PREFIXES: {unregistered}"


async def test_every_staff_command_is_refused_for_a_resident(
    resident_harness: ChatHarness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    harness = resident_harness
    await harness.send(RESIDENT_ID, "/start")

    async def stored() -> User | None:  # the /start row is written a moment later, by the bot's job
        async with sessions() as session:
            return await session.get(User, RESIDENT_ID)

    await eventually(stored, timeout=5, what="the resident's /start row")
    registered = {
        command
        for handler, entry in all_handlers(harness)
        if entry and isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    names = staff_command_names()
    missing = names - registered
    assert not missing, f"staff commands in the catalogue without a handler: {missing}"

    before = await snapshot(sessions)
    tried = 0
    for name in sorted(names):
        for shape in ARGUMENT_SHAPES:
            sent = await harness.send(RESIDENT_ID, f"/{name} {shape}".strip())
            assert [m.text for m in sent] == [texts.NOT_ALLOWED], f"/{name} {shape}: {[m.body for m in sent]}"
            tried += 1
    assert tried >= len(OWN_STAFF_COMMANDS) * len(ARGUMENT_SHAPES)
    assert await snapshot(sessions) == before


async def test_every_staff_button_is_refused_for_a_resident(
    resident_harness: ChatHarness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    harness = resident_harness
    await harness.send(RESIDENT_ID, "/subscribe")  # any message with buttons carries the presses
    carrier = harness.latest_with_buttons(RESIDENT_ID)
    staff_buttons: list[tuple[Any, str, bool]] = []  # (pattern, callback data, entry point?)
    for handler, entry in all_handlers(harness):
        if not isinstance(handler, CallbackQueryHandler):
            continue
        for data in callback_examples(handler):
            if staff_prefix_of(data) is not None:
                staff_buttons.append((handler.pattern, data, entry))
    covered = {staff_prefix_of(data) for _, data, _ in staff_buttons}
    missing = STAFF_CALLBACK_PREFIXES - covered
    assert not missing, f"staff button prefixes without a handler: {missing}"
    assert covered >= OWN_STAFF_PREFIXES

    before = await snapshot(sessions)
    harness.new_toasts()
    for pattern, data, entry in staff_buttons:
        assert re.match(pattern, data), (pattern, data)
        sent = await harness.press_data(RESIDENT_ID, data, carrier)
        toasts = harness.new_toasts()
        assert sent == [], f"{data}: a refused button sends nothing, got {[m.body for m in sent]}"
        if entry:
            assert toasts == [texts.NOT_ALLOWED], f"{data}: {toasts}"
        else:  # a conversation's inner button: outside the conversation it is stale, never run
            assert toasts in ([texts.NOT_ALLOWED], [texts.BUTTON_EXPIRED]), f"{data}: {toasts}"
    assert await snapshot(sessions) == before
