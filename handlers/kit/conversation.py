"""Conversations: one factory, the ways out, re-asking a step, typed drafts, and the input filters.

``conversation(name, entry_points=..., states=...)`` builds every conversation the same way:
persistent under ``name`` (it survives a restart), re-enterable (its entry command starts afresh),
with a /cancel fallback that says 已取消 and shows the main menu. A step that raises a DomainError
shows its message and stays in its state (the person is asked again); so does ``reask(hint)``,
the handler for input of the wrong kind (a sticker where a question is expected).

The other ways out are not the conversation's business: a command, a main-menu button or a button
the conversation has no use for ends it before the update is handled (``leave_conversations``,
installed once in front of every feature), so the update reaches its own feature.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, Final, Generic, TypeVar, cast

from telegram import Update
from telegram.ext import Application, BaseHandler, CommandHandler, ConversationHandler, filters
from telegram.warnings import PTBUserWarning

from bot.app import BotContext
from handlers.kit import texts
from handlers.kit.errors import show_errors
from handlers.kit.replies import main_menu, reply

T = TypeVar("T", bound=Mapping[str, object])  # a TypedDict
Step = Callable[[Update, BotContext], Coroutine[Any, Any, object]]
Cleanup = Callable[[BotContext], None]

END: Final = ConversationHandler.END
STAY: Final = None  # a step returning None keeps the conversation where it is

# ---------------------------------------------------------------- input filters
MENU_TEXTS: Final = frozenset(label for row in texts.MENU_ROWS for label in row)
MENU_BUTTON: Final = filters.Text(sorted(MENU_TEXTS))
ANSWER_TEXT: Final = filters.TEXT & ~filters.COMMAND & ~MENU_BUTTON  # typed text that answers a step
NOT_COMMAND: Final = ~filters.COMMAND  # anything but a command (photos, stickers, text …)
NOT_TEXT: Final = ~filters.TEXT & ~filters.StatusUpdate.ALL  # stickers, photos, voice … (not joins)
PRIVATE_CHAT: Final = filters.ChatType.PRIVATE
STAYING_COMMANDS: Final = frozenset({"cancel"})  # reaches the conversation's own /cancel fallback


def menu_button(label: str) -> filters.BaseFilter:
    """A main-menu or reply-keyboard button, matched by its exact label."""
    return filters.Text([label])


# ---------------------------------------------------------------- the factory
def conversation(
    name: str,
    *,
    entry_points: Sequence[BaseHandler[Any, Any, Any]],
    states: Mapping[object, Sequence[BaseHandler[Any, Any, Any]]],
    fallbacks: Sequence[BaseHandler[Any, Any, Any]] = (),
    cleanup: Cleanup | None = None,
    map_to_parent: dict[object, object] | None = None,
) -> ConversationHandler[BotContext]:
    """A persistent, re-enterable conversation with a /cancel fallback (see the module docstring).

    ``cleanup(context)`` runs on /cancel (drop the draft). Every step's DomainError is shown and the
    step stays; ``map_to_parent`` makes it a child of another conversation (PTB nested conversations).
    """
    for handler in (*entry_points, *(h for step in states.values() for h in step), *fallbacks):
        if not isinstance(handler, ConversationHandler):  # a child conversation wraps its own steps
            handler.callback = show_errors(handler.callback)

    async def cancel(update: Update, context: BotContext) -> int:
        """/cancel inside the conversation."""
        if cleanup is not None:
            cleanup(context)
        await reply(update, texts.CANCELLED, reply_markup=main_menu())
        return END

    with warnings.catch_warnings():
        # Buttons belong to the conversation of (chat, user): per_message=False is intended.
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        return ConversationHandler(
            entry_points=list(entry_points),
            states={key: list(handlers) for key, handlers in states.items()},
            fallbacks=[*fallbacks, CommandHandler("cancel", cancel)],
            name=name,
            persistent=True,
            allow_reentry=True,
            map_to_parent=map_to_parent,
        )


def reask(hint: str) -> Step:
    """A step for input of the wrong kind: say what is expected and stay in the state."""

    async def ask_again(update: Update, context: BotContext) -> None:
        await reply(update, hint)
        return STAY

    return ask_again


# ---------------------------------------------------------------- drafts
class Draft(Generic[T]):
    """A typed slot in ``user_data`` for an unfinished conversation's answers (a TypedDict).

    Drafts are personal data: /forget clears ``user_data`` with everything else.
    """

    def __init__(self, key: str, new: Callable[[], T]) -> None:
        self.key = key
        self.new = new

    def start(self, context: BotContext) -> T:
        """A fresh draft, replacing any unfinished one."""
        draft = self.new()
        _user_data(context)[self.key] = draft
        return draft

    def get(self, context: BotContext) -> T:
        """The current draft (a fresh one if there is none)."""
        found = self.peek(context)
        return found if found is not None else self.start(context)

    def peek(self, context: BotContext) -> T | None:
        found = _user_data(context).get(self.key)
        return cast(T, found) if isinstance(found, dict) else None

    def drop(self, context: BotContext) -> None:
        _user_data(context).pop(self.key, None)


def _user_data(context: BotContext) -> dict[str, Any]:
    assert context.user_data is not None, "drafts need an update with a user"
    return context.user_data


# ---------------------------------------------------------------- the ways out
async def leave_conversations(update: Update, context: BotContext) -> None:
    """Commands, main-menu buttons and other features' buttons leave an unfinished conversation.

    Residents (often older) press 投诉举报 in the middle of another flow and expect it to open, not to
    be read as an answer. Ending the conversation here, before the feature group, lets the update
    reach its own feature like any other. Drafts in user_data stay; the feature starts afresh.
    """
    if update.callback_query is not None:
        leaving = _foreign_button
    elif _is_command_or_menu(update):
        leaving = _always
    else:
        return
    for handler in _conversation_handlers(context.application):
        key = handler._get_key(update)
        if key in handler._conversations and leaving(handler, update):
            _end(handler, key)


def in_conversation(application: Application[Any, Any, Any, Any, Any, Any], update: Update) -> bool:
    """Whether the update's person is inside one of the bot's conversations in the update's chat."""
    for handler in _conversation_handlers(application):
        try:
            key = handler._get_key(update)
        except RuntimeError:  # an update without a chat or a user belongs to no conversation
            return False
        if key in handler._conversations:
            return True
    return False


def forget_conversations(application: Application[Any, Any, Any, Any, Any, Any], user_id: int) -> int:
    """/forget: end every conversation of ``user_id``, in any chat, and drop their user_data and
    their private chat's chat_data (from memory now, from the persistence at its next write).
    Returns how many conversations were ended."""
    ended = 0
    for handler in _conversation_handlers(application):
        for key in [k for k in handler._conversations if isinstance(k, tuple) and k and k[-1] == user_id]:
            _end(handler, key)
            ended += 1
    application.drop_user_data(user_id)
    application.drop_chat_data(user_id)  # a private chat's id is the person's id
    return ended


def _conversation_handlers(
    application: Application[Any, Any, Any, Any, Any, Any],
) -> list[ConversationHandler[Any]]:
    return [
        handler
        for handlers in application.handlers.values()
        for handler in handlers
        if isinstance(handler, ConversationHandler)
    ]


def _end(handler: ConversationHandler[Any], key: Any) -> None:
    """End the conversation of ``key``, and its child conversations: a sub-flow ends with its parent."""
    for child in _children(handler):
        _end(child, key)
    # PTB has no public "end this conversation"; _update_state(END) is what returning END from a
    # step does, and it keeps persistence informed (a key not in the conversation is left alone).
    handler._update_state(END, key)


def _children(handler: ConversationHandler[Any]) -> list[ConversationHandler[Any]]:
    inner = [
        *handler.entry_points,
        *(h for step in handler.states.values() for h in step),
        *handler.fallbacks,
    ]
    return [h for h in inner if isinstance(h, ConversationHandler)]


def _is_command_or_menu(update: Update) -> bool:
    message = update.effective_message
    if message is None or not message.text:
        return False
    text = message.text.strip()
    if text.startswith("/"):
        return text[1:].split(maxsplit=1)[0].split("@")[0] not in STAYING_COMMANDS
    return text in MENU_TEXTS


def _always(handler: ConversationHandler[Any], update: Update) -> bool:
    return True


def _foreign_button(handler: ConversationHandler[Any], update: Update) -> bool:
    """A button the conversation has no use for in its current state belongs to another feature."""
    return not handler.check_update(update)


__all__ = [
    "ANSWER_TEXT",
    "END",
    "MENU_BUTTON",
    "MENU_TEXTS",
    "NOT_COMMAND",
    "NOT_TEXT",
    "PRIVATE_CHAT",
    "STAY",
    "Draft",
    "conversation",
    "forget_conversations",
    "in_conversation",
    "leave_conversations",
    "menu_button",
    "reask",
]
