"""Campaign broadcasts: compose, choose an audience and a time, materialise deliveries, pause/cancel.

- ``html``: staff HTML checked against Telegram's rules; ``plain_text`` for snippets;
- ``audiences``: who receives a notice, and one delivery row per recipient;
- ``schedules``: now, at a time, daily or weekly;
- ``notices``: a notice's life, its counts, and its personal data;
- ``errors``: the codes of what the rules refuse (the wording is ``handlers.broadcasts.texts``).
"""

from __future__ import annotations

from bot.services.broadcasts.audiences import (
    MATERIALISE_BATCH,
    audience_filter,
    audience_size,
    departments,
    district_user_ids,
    materialise,
    parse_topic,
)
from bot.services.broadcasts.errors import BroadcastError, BroadcastProblem
from bot.services.broadcasts.html import MAX_CAPTION, MAX_TEXT, plain_text, validate_html
from bot.services.broadcasts.notices import (
    TASK_KIND,
    BroadcastSummary,
    cancel,
    complete_occurrences,
    counts_by_status,
    create,
    create_system_notice,
    ensure_rate_row,
    erase_user,
    export_user,
    fire,
    pause,
    pending_count,
    pending_count_for,
    resume,
    start_occurrence,
    summaries,
    summary,
)
from bot.services.broadcasts.schedules import (
    RECURRING,
    Schedule,
    next_occurrence,
    parse_datetime,
    parse_hhmm,
    task_key,
)

__all__ = [
    "MATERIALISE_BATCH",
    "MAX_CAPTION",
    "MAX_TEXT",
    "RECURRING",
    "TASK_KIND",
    "BroadcastError",
    "BroadcastProblem",
    "BroadcastSummary",
    "Schedule",
    "audience_filter",
    "audience_size",
    "cancel",
    "complete_occurrences",
    "counts_by_status",
    "create",
    "create_system_notice",
    "departments",
    "district_user_ids",
    "ensure_rate_row",
    "erase_user",
    "export_user",
    "fire",
    "materialise",
    "next_occurrence",
    "parse_datetime",
    "parse_hhmm",
    "parse_topic",
    "pause",
    "pending_count",
    "pending_count_for",
    "plain_text",
    "resume",
    "start_occurrence",
    "summaries",
    "summary",
    "task_key",
    "validate_html",
]
