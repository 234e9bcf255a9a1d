"""One guard family: the role is checked on every call, refusals look the same, tests can find guards."""

from __future__ import annotations

import functools
from typing import Any

import pytest

import bot.app
from bot import texts
from bot.harness import ChatHarness
from bot.models import Role
from bot.services.users import Actor
from handlers.kit.guards import Audience, Guard, admin_only, campaign_staff_only, guard_of, staff_only
from tests.conftest import ADMIN_ID, RESIDENT_ID

ROLES_ADMITTED = {
    Audience.RESIDENT: set(Role),
    Audience.STAFF: {Role.HANDLER, Role.STAFF, Role.ADMIN},
    Audience.CAMPAIGN_STAFF: {Role.STAFF, Role.ADMIN},
    Audience.ADMIN: {Role.ADMIN},
    Audience.INSPECTOR: {Role.INSPECTOR, Role.STAFF, Role.ADMIN},
}


def test_each_audience_admits_exactly_its_roles() -> None:
    for audience, roles in ROLES_ADMITTED.items():
        assert {role for role in Role if audience.admits(Actor(1, role))} == roles, audience


async def _callback(update: Any, context: Any) -> str:
    return "ran"


def test_guards_are_found_through_other_decorators() -> None:
    def logged(callback: Any) -> Any:
        @functools.wraps(callback)
        async def wrapper(*args: Any) -> Any:
            return await callback(*args)

        return wrapper

    assert guard_of(logged(staff_only(_callback))) is staff_only
    assert guard_of(campaign_staff_only(logged(_callback))) is campaign_staff_only
    assert guard_of(admin_only(_callback)).audience is Audience.ADMIN  # type: ignore[union-attr]
    assert guard_of(logged(_callback)) is None


class FakeContext:
    def __init__(self, role: Role) -> None:
        self.role = role
        self.reads = 0

    async def actor(self, update: Any) -> Actor:
        self.reads += 1
        return Actor(7, self.role)


class FakeUpdate:
    callback_query = None
    effective_message = None
    effective_chat = None


async def test_a_refusal_runs_the_hook_and_ends_the_conversation() -> None:
    refused: list[str] = []

    async def hook(update: Any, context: Any, reason: str) -> None:
        refused.append(reason)

    guard = Guard(Audience.STAFF, on_refused=hook)
    guarded = guard(_callback)
    assert await guarded(FakeUpdate(), FakeContext(Role.HANDLER)) == "ran"
    assert await guarded(FakeUpdate(), FakeContext(Role.RESIDENT)) == -1  # ConversationHandler.END
    assert refused == [texts.NOT_ALLOWED]


@pytest.mark.parametrize(("role", "allowed"), [(Role.VOLUNTEER, False), (Role.HANDLER, True)])
async def test_the_role_is_read_on_every_call(role: Role, allowed: bool) -> None:
    context = FakeContext(role)
    guarded = staff_only(_callback)
    for _ in range(3):
        assert (await guarded(FakeUpdate(), context) == "ran") is allowed
    assert context.reads == 3


async def test_the_actor_is_read_once_per_update(
    harness: ChatHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/complaints is guarded and its handler asks for the actor again: one database read."""
    reads: list[int] = []
    real = bot.app.get_actor

    async def counting(session: Any, user_id: int, admin_ids: Any = ()) -> Actor:
        reads.append(user_id)
        return await real(session, user_id, admin_ids)

    monkeypatch.setattr(bot.app, "get_actor", counting)
    (reply,) = await harness.send(ADMIN_ID, "/complaints")
    assert reply.text != texts.NOT_ALLOWED
    assert reads == [ADMIN_ID]
    reads.clear()
    await harness.send(ADMIN_ID, "/complaints")  # a new update reads again (roles change)
    (refused,) = await harness.send(RESIDENT_ID, "/complaints")
    assert reads == [ADMIN_ID, RESIDENT_ID] and refused.text == texts.NOT_ALLOWED
