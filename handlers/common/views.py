"""What the common feature shows: pure functions from users' choices to text and keyboards.

Nothing here talks to Telegram or the database (tests/test_common_views.py). User-supplied text
(a name, a mistyped command) is escaped here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.models import Topic
from handlers.common import texts
from handlers.common.callbacks import ForgetButton, SubscriptionButton
from handlers.kit.feature import Command
from handlers.kit.guards import Audience
from handlers.kit.replies import View, escape, inline_keyboard


def welcome_text(first_name: str, asked: str | None = None) -> str:
    """The greeting; ``asked``: the command a group's deep link was for, to send now."""
    welcome = texts.WELCOME.format(name=escape(first_name))
    return welcome if asked is None else f"{welcome}\n\n{texts.SEND_COMMAND_NOW.format(command=asked)}"


def help_text(commands: Iterable[Command], *, console: bool = False) -> str:
    """The commands one person may use: residents' first, then staff commands under their header."""
    listed = list(commands)
    lines = [texts.HELP_HEADER, *(_help_line(c) for c in listed if c.audience is Audience.RESIDENT)]
    staff_lines = [_help_line(c) for c in listed if c.audience is not Audience.RESIDENT]
    if staff_lines:
        lines += ["", texts.HELP_STAFF_HEADER, *staff_lines]
    lines += ["", texts.HELP_FOOTER]
    if console:
        lines += ["", texts.CONSOLE_HELP]
    return "\n".join(lines)


def _help_line(command: Command) -> str:
    return texts.HELP_LINE.format(name=command.name, description=escape(command.description))


def forget_confirm_view(asker: int) -> View:
    buttons = [
        (texts.FORGET_YES, ForgetButton(answer="yes", asker=asker).data),
        (texts.FORGET_NO, ForgetButton(answer="no", asker=asker).data),
    ]
    return View(texts.FORGET_CONFIRM, inline_keyboard([buttons]))


# ---------------------------------------------------------------- subscriptions
def topic_name(topic: Topic) -> str:
    return texts.TOPIC_NAMES[topic.value]


def subscription_status(current: set[Topic]) -> str:
    names = texts.TOPIC_SEPARATOR.join(topic_name(t) for t in Topic if t in current)
    return texts.SUBSCRIPTION_STATUS.format(topics=names or texts.NO_SUBSCRIPTIONS)


def subscribe_view(current: set[Topic]) -> View:
    """Every topic as a toggle (✅ subscribed, ⬜ not), under what is subscribed now."""
    rows = [
        [
            (
                (texts.TOPIC_ON if topic in current else texts.TOPIC_OFF).format(name=topic_name(topic)),
                SubscriptionButton(action="toggle", topic=topic).data,
            )
        ]
        for topic in Topic
    ]
    return View(f"{texts.SUBSCRIBE_PROMPT}\n{subscription_status(current)}", inline_keyboard(rows))


def unsubscribe_view(current: set[Topic]) -> View:
    """The subscribed topics, each a button that only removes."""
    if not current:
        return View(texts.UNSUBSCRIBE_NONE)
    rows = [
        [(texts.TOPIC_ON.format(name=topic_name(t)), SubscriptionButton(action="off", topic=t).data)]
        for t in Topic
        if t in current
    ]
    return View(f"{texts.UNSUBSCRIBE_PROMPT}\n{subscription_status(current)}", inline_keyboard(rows))


def subscription_toast(topic: Topic, subscribed: bool) -> str:
    return (texts.SUBSCRIBED if subscribed else texts.UNSUBSCRIBED).format(topic=topic_name(topic))


# ---------------------------------------------------------------- fallbacks and errors
def unknown_command_text(command: str) -> str:
    return texts.UNKNOWN_COMMAND.format(command=escape(command))


def error_reply(code: str) -> str:
    return texts.ERROR_REPLY.format(code=code)


def admin_alert(code: str, exception: str, handler: str, update: Sequence[object]) -> str:
    """The admins' alert of an unhandled error: no personal data, only where it happened."""
    return texts.ERROR_ADMIN_ALERT.format(
        code=code,
        error=escape(exception),
        handler=escape(handler),
        update=escape(" · ".join(str(part) for part in update)),
    )
