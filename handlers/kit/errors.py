"""Domain errors shown to people: a code looked up in the texts catalogues, a toast or a reply.

Services raise ``DomainError(code=..., **params)`` and know no wording; each feature's ``texts.ERRORS``
maps its codes to Chinese templates, and the manifests' catalogues are installed on the application
at start-up (``install_error_texts``). Catalogue templates are plain text (they become toasts too);
the parameters are formatted in and the reply is HTML-escaped as a whole.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, ParamSpec, TypeVar

from telegram import Update

from bot.app import BotApplication, BotContext
from bot.services import DomainError
from bot.services.users import NOT_ALLOWED
from handlers.kit import texts
from handlers.kit.replies import refuse

P = ParamSpec("P")
R = TypeVar("R")

# The kit's own codes and the core's role refusal (their wording is in the kit's texts).
KIT_ERRORS: dict[str, str] = {"kit.bad_button": texts.BUTTON_EXPIRED, NOT_ALLOWED: texts.NOT_ALLOWED}
CATALOGUE_KEY = "kit.error_texts"


def install_error_texts(application: BotApplication, catalogue: Mapping[str, str]) -> None:
    """Make the features' error texts (and the kit's) the ones this application renders."""
    application.bot_data.resources[CATALOGUE_KEY] = {**KIT_ERRORS, **catalogue}


def error_text(error: DomainError, catalogue: Mapping[str, str]) -> str:
    """The Chinese sentence for ``error``. A code without a text is a bug and raises KeyError."""
    if error.code is None:
        return str(error)  # a feature that still passes its message itself
    return catalogue[error.code].format(**error.params)


def catalogue_of(context: BotContext) -> Mapping[str, str]:
    catalogue: Mapping[str, str] = context.bot_data.resources.get(CATALOGUE_KEY, KIT_ERRORS)
    return catalogue


async def show_error(update: Update, context: BotContext, error: DomainError) -> None:
    """A pop-up for a button press, a reply to a message."""
    await refuse(update, error_text(error, catalogue_of(context)))


def show_errors(callback: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, Coroutine[Any, Any, R | None]]:
    """A DomainError from the callback is shown (see ``show_error``) and the callback returns None.

    In a conversation None keeps the current state: the person is asked again.
    """

    @functools.wraps(callback)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return await callback(*args, **kwargs)
        except DomainError as error:
            update, context = args[0], args[1]
            assert isinstance(update, Update)
            await show_error(update, context, error)  # type: ignore[arg-type]
            return None

    return wrapper
