"""All models; importing this package registers every table on ``Base.metadata`` (Alembic needs that)."""

from bot.models.audit import AuditEntry
from bot.models.base import Base, TimestampMixin
from bot.models.scheduling import PersistenceRecord, ScheduledTask, TaskStatus
from bot.models.user import Role, Subscription, Topic, User
from bot.models.volunteers import BookingStatus, Shift, ShiftBooking, ShiftStatus, VolunteerProfile

__all__ = [
    "AuditEntry",
    "Base",
    "BookingStatus",
    "PersistenceRecord",
    "Role",
    "ScheduledTask",
    "Shift",
    "ShiftBooking",
    "ShiftStatus",
    "Subscription",
    "TaskStatus",
    "TimestampMixin",
    "Topic",
    "User",
    "VolunteerProfile",
]
