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
from bot.models.convention import ConventionQuizRecord, DailyArticleState
from bot.models.inspections import (
    RECTIFICATION_TRANSITIONS,
    Inspection,
    InspectionItem,
    InspectionStatus,
    ItemResult,
    RectificationAction,
    RectificationEvent,
    RectificationStatus,
    RectificationTask,
)
from bot.models.nominations import (
    NOMINATION_TRANSITIONS,
    Nomination,
    NominationKind,
    NominationStatus,
    Vote,
    VotingRound,
)
from bot.models.outbox import OutboxCard, OutboxMessage, OutboxOp, OutboxStatus, Priority
from bot.models.reports import TICKETS_CREATED_AT, TICKETS_RESOLVED_AT
from bot.models.scheduling import PersistenceRecord, ScheduledTask, TaskStatus
from bot.models.tickets import (
    TICKET_TRANSITIONS,
    Ticket,
    TicketAction,
    TicketCounter,
    TicketEvent,
    TicketStatus,
)
from bot.models.user import Role, Subscription, Topic, User
from bot.models.volunteers import BookingStatus, Shift, ShiftBooking, ShiftStatus, VolunteerProfile

__all__ = [
    "NOMINATION_TRANSITIONS",
    "RECTIFICATION_TRANSITIONS",
    "TICKETS_CREATED_AT",
    "TICKETS_RESOLVED_AT",
    "TICKET_TRANSITIONS",
    "AudienceKind",
    "AuditEntry",
    "Base",
    "BookingStatus",
    "Broadcast",
    "BroadcastRate",
    "BroadcastStatus",
    "ConventionQuizRecord",
    "DailyArticleState",
    "Delivery",
    "DeliveryStatus",
    "Inspection",
    "InspectionItem",
    "InspectionStatus",
    "ItemResult",
    "Nomination",
    "NominationKind",
    "NominationStatus",
    "OutboxCard",
    "OutboxMessage",
    "OutboxOp",
    "OutboxStatus",
    "PersistenceRecord",
    "Priority",
    "RectificationAction",
    "RectificationEvent",
    "RectificationStatus",
    "RectificationTask",
    "Role",
    "ScheduleKind",
    "ScheduledTask",
    "Shift",
    "ShiftBooking",
    "ShiftStatus",
    "Subscription",
    "TaskStatus",
    "Ticket",
    "TicketAction",
    "TicketCounter",
    "TicketEvent",
    "TicketStatus",
    "TimestampMixin",
    "Topic",
    "User",
    "VolunteerProfile",
    "Vote",
    "VotingRound",
]
