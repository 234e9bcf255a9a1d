"""Indexes the supervision report needs on other features' tables.

The report selects tickets created or resolved in a period (a month out of years of data); without
these, each of its queries scans the whole table. SQLite combines the two for ``created OR resolved``.
"""

from __future__ import annotations

from sqlalchemy import Index

from bot.models.tickets import Ticket

TICKETS_RESOLVED_AT = Index("ix_tickets_resolved_at", Ticket.resolved_at)
TICKETS_CREATED_AT = Index("ix_tickets_created_at", Ticket.created_at)
