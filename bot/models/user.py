"""People who talk to the bot, their roles and their subscriptions."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, TelegramId, TimestampMixin


class Role(enum.StrEnum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    HANDLER = "handler"  # a department's (or an inspected unit's) handler; User.department says which
    STAFF = "staff"  # campaign office staff
    ADMIN = "admin"
    INSPECTOR = "inspector"  # 督查员: walks sites for the campaign office (暗访); not a staff role

    @property
    def inspects(self) -> bool:
        """Who may inspect sites: inspectors, and campaign staff and admins too."""
        return self in (Role.INSPECTOR, Role.STAFF, Role.ADMIN)

    @property
    def is_staff(self) -> bool:
        """Staff-level roles may use staff commands (department handlers only their department's)."""
        return self in (Role.HANDLER, Role.STAFF, Role.ADMIN)


class Topic(enum.StrEnum):
    NOTICES = "notices"  # 通知
    DAILY_ARTICLE = "daily_article"  # 每日公约
    HONORS = "honors"  # 好人榜


def enum_column(enum_class: type[enum.Enum], length: int = 32) -> Enum:
    """Enums stored as their values in a plain string column (portable, readable, no PG enum types)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(TelegramId, primary_key=True, autoincrement=False)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.RESIDENT)
    department: Mapped[str | None] = mapped_column(String(64))
    consent_at: Mapped[datetime | None]
    unreachable_since: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]

    # Not loaded with the user (a role check reads the user on every update); deleting a user
    # leaves the rows to the foreign key's ON DELETE CASCADE.
    subscriptions: Mapped[list[Subscription]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


class Subscription(Base):
    """One row per (user, topic): audiences of 100k+ are selected by index, not by scanning users."""

    __tablename__ = "subscriptions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[Topic] = mapped_column(enum_column(Topic), primary_key=True, index=True)
    created_at: Mapped[datetime]

    user: Mapped[User] = relationship(back_populates="subscriptions")
