"""A feature's manifest: everything the rest of the bot needs to know about it, in one object.

``handlers/<feature>/__init__.py`` defines ``FEATURE = Feature(...)``; ``handlers/__init__.py`` lists
the manifests, and the app, /help and setMyCommands, the CLI, /mydata and /forget, the report and the
bench runner read them. Nothing registers itself on import.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import BotApplication, BotData, StartupHook
from bot.models import ScheduledTask
from bot.services.personal_data import PersonalData
from bot.services.reports.core import SectionSpec
from bot.services.users import Actor
from handlers.kit.callbacks import Button
from handlers.kit.guards import Audience

TaskHandler = Callable[[ScheduledTask], Awaitable[None]]
# /forget, in its transaction, before the erasers: what the feature owes others about the person
# (e.g. cards in a department's group that show their name, edited through the outbox).
ForgetHook = Callable[[AsyncSession, BotData, int], Awaitable[None]]
TaskFactory = Callable[[BotApplication], TaskHandler]  # given the application, the handler of a task kind
AddCliCommands = Callable[[Any], None]  # add_commands(subparsers) of `chuangwen`


@dataclass(frozen=True)
class Command:
    """One bot command, for setMyCommands (scoped by audience) and /help.

    ``audience`` must match the guard on the command's handler (a test checks it), so /help lists
    exactly the commands a role may use. ``private``: the command shows or asks for the person's own
    data, so it works only in a private chat; in a group it gets a note with a button that opens the
    private chat (``handlers.kit.intake``), whatever its handler would do.
    """

    name: str
    description: str
    audience: Audience = Audience.RESIDENT
    private: bool = False

    def available_to(self, actor: Actor) -> bool:
        return self.audience.admits(actor)


@dataclass(frozen=True)
class Feature:
    """One feature's manifest.

    - ``register(application)`` adds its handlers (commands, conversations, buttons);
    - ``commands``: its commands with the audience that may use them (/help, setMyCommands);
    - ``buttons``: its callback kinds (``handlers.kit.callbacks``; staff kinds are role-checked);
    - ``errors``: its texts catalogue for DomainError codes;
    - ``personal_data``: its /mydata export and /forget eraser; ``on_forget``: what /forget owes
      others (runs in the same transaction, before the erasers, with the bot's resources);
    - ``tasks``: scheduled task kinds and the factory of each kind's handler;
    - ``startup``: hooks run once the application is initialised (load content, schedule tasks);
    - ``cli``: ``add_commands(subparsers)`` for `chuangwen`; ``report_sections``: its sections of the
      supervision report; ``benchmarks``: name → "module:function" for ``python -m bench``.
    """

    name: str
    register: Callable[[BotApplication], None]
    commands: Sequence[Command] = ()
    buttons: Sequence[type[Button]] = ()
    errors: Mapping[str, str] = field(default_factory=dict)
    personal_data: PersonalData | None = None
    on_forget: ForgetHook | None = None
    tasks: Mapping[str, TaskFactory] = field(default_factory=dict)
    startup: Sequence[StartupHook] = ()
    cli: AddCliCommands | None = None
    report_sections: Sequence[SectionSpec] = ()
    benchmarks: Mapping[str, str] = field(default_factory=dict)

    def install(self, application: BotApplication) -> None:
        """Register the handlers, task kinds and start-up hooks of this feature."""
        self.register(application)
        for kind, make_handler in self.tasks.items():
            application.bot_data.tasks.register(kind, make_handler(application))
        application.bot_data.startup_hooks.extend(self.startup)


def add_cli_commands(features: Sequence[Feature], subparsers: argparse._SubParsersAction[Any]) -> None:
    for feature in features:
        if feature.cli is not None:
            feature.cli(subparsers)
