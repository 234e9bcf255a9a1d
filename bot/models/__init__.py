"""All models; importing this package registers every table on ``Base.metadata`` (Alembic needs that)."""

from bot.models.audit import AuditEntry
from bot.models.base import Base, TimestampMixin
from bot.models.broadcasts import (
    AudienceKind,
    Broadcast,
    BroadcastRate,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    ScheduleKind,
)
from bot.models.scheduling import PersistenceRecord, ScheduledTask, TaskStatus
from bot.models.user import Role, Subscription, Topic, User

__all__ = [
    "AudienceKind",
    "AuditEntry",
    "Base",
    "Broadcast",
    "BroadcastRate",
    "BroadcastStatus",
    "Delivery",
    "DeliveryStatus",
    "PersistenceRecord",
    "Role",
    "ScheduleKind",
    "ScheduledTask",
    "Subscription",
    "TaskStatus",
    "TimestampMixin",
    "Topic",
    "User",
]
