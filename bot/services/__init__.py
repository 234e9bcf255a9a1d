"""Domain services. Each is stateless, knows nothing of Telegram, and takes the session first.

Services never commit: the caller (a handler, a job, the CLI) owns the transaction
(see ``bot.database.transaction``). A rule violation raises a ``DomainError`` with a ``code`` and
parameters; the Telegram face renders it from the feature's texts catalogue (``handlers.kit.errors``),
so services carry no wording. Features not yet moved to codes still pass the Chinese message itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class DomainError(Exception):
    """A rule said no.

    ``DomainError(code="convention.question_too_long", length=250, limit=200)``: the face looks the
    code up in the texts catalogues and formats it with the parameters. The older form
    ``DomainError("中文消息")`` carries the message itself (``code`` is None then).
    """

    code: str | None
    params: dict[str, Any]

    def __init__(self, message: str | None = None, /, *, code: str | None = None, **params: Any) -> None:
        if (message is None) == (code is None):
            raise TypeError("a DomainError takes either a message or a code")
        super().__init__(message if message is not None else code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        if self.code is None:
            return super().__str__()
        details = ", ".join(f"{key}={value!r}" for key, value in sorted(self.params.items()))
        return f"{self.code}({details})"


class PermissionDenied(DomainError):
    """The acting user's role does not allow this action."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""


def checked_text(
    raw: str, limit: int, *, refuse: Callable[..., DomainError], empty: str, too_long: str
) -> str:
    """Typed text, stripped. Raises ``refuse(empty)`` when nothing is left and ``refuse(too_long,
    length=…, limit=…)`` when it is longer than ``limit`` characters: each feature passes its own
    error class and codes, so its texts catalogue words the refusal."""
    text = raw.strip()
    if not text:
        raise refuse(empty)
    if len(text) > limit:
        raise refuse(too_long, length=len(text), limit=limit)
    return text
