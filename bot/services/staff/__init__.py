"""Staff administration: who holds which role, reading the audit log, and staff activity per period.

No Telegram and no wording here. ``roles`` grants and revokes roles (admins listed in ADMIN_IDS are
admins by configuration, which the bot can neither grant nor revoke); ``audit`` reads the audit log
a page at a time with filters (every feature writes to it through ``bot.services.audit``);
``activity`` counts staff actions per period for the supervision report.
"""

from bot.services.staff.activity import ActionCount, StaffActivity, staff_activity
from bot.services.staff.audit import (
    AUDIT_PAGE_SIZE,
    AuditFilter,
    AuditFilterError,
    AuditFilterProblem,
    AuditPage,
    audit_page,
    display_names,
)
from bot.services.staff.roles import (
    INPUT_ECHO,
    Grant,
    RoleError,
    RoleProblem,
    StaffMember,
    grant_role,
    list_staff,
    parse_telegram_id,
    revoke_role,
)

__all__ = [
    "AUDIT_PAGE_SIZE",
    "INPUT_ECHO",
    "ActionCount",
    "AuditFilter",
    "AuditFilterError",
    "AuditFilterProblem",
    "AuditPage",
    "Grant",
    "RoleError",
    "RoleProblem",
    "StaffActivity",
    "StaffMember",
    "audit_page",
    "display_names",
    "grant_role",
    "list_staff",
    "parse_telegram_id",
    "revoke_role",
    "staff_activity",
]
