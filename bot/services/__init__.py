"""Domain services. Each is stateless, knows nothing of Telegram, and takes the session first.

Services never commit: the caller (a handler, a job, the CLI) owns the transaction
(see ``bot.database.transaction``). Domain rule violations raise ``DomainError`` subclasses whose
message is a user-facing Chinese sentence from ``bot.texts``.
"""


class DomainError(Exception):
    """A rule said no; ``str(error)`` is the Chinese message to show the user."""


class PermissionDenied(DomainError):
    """The acting user's role does not allow this action."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""
