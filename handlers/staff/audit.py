"""/audit [who] [what] [since]: the audit log, 20 entries a page, newest first (admins).

The filter of each /audit is kept in the admin's user_data under a query number (the last few),
so the 较新 / 更早 buttons carry only that number and an offset.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot.app import BotContext
from bot.services import staff as service
from bot.services.staff import AuditFilter, AuditFilterError, AuditFilterProblem
from handlers.kit.arguments import typed_date
from handlers.kit.errors import show_errors
from handlers.kit.guards import admin_only
from handlers.kit.replies import View, answer_quietly, edit_view, send_view
from handlers.staff import texts, views
from handlers.staff.callbacks import AuditPageButton

QUERIES_KEY = "audit_queries"  # user_data: {query number: filter as JSON}, the last few /audit calls
QUERIES_KEPT = 5
MAX_DAYS_BACK = 999

_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DAYS = re.compile(
    rf"(\d{{1,{len(str(MAX_DAYS_BACK))}}})\s*(?:{'|'.join(map(re.escape, texts.AUDIT_DAY_UNITS))})",
    flags=re.IGNORECASE,
)
_USER_ID = re.compile(r"\d{1,16}")
_ACTION = re.compile(r"[A-Za-z_.\-]{1,64}")


def parse_audit_filter(args: Sequence[str], now: datetime, tz: ZoneInfo) -> AuditFilter:
    """Words in any order: a number is who, a date (2026-11-01) or 7d/7天/今天 is since, else what."""
    actor_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    start_of_today = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    for raw in args:
        word = raw.strip()
        if _DATE.fullmatch(word):
            day = typed_date(word)  # 2026-02-30 and 0001-01-01 alike: no date to start from
            if day is None:
                raise AuditFilterError(AuditFilterProblem.BAD_DATE, value=word[: service.INPUT_ECHO])
            since = datetime.combine(day, time(0), tzinfo=tz)
        elif match := _DAYS.fullmatch(word):
            days = int(match.group(1))
            since = start_of_today - timedelta(days=max(days - 1, 0))
        elif word in texts.AUDIT_TODAY_WORDS:
            since = start_of_today
        elif _USER_ID.fullmatch(word):
            actor_id = int(word)
        elif _ACTION.fullmatch(word):
            action = word.lower()
        else:
            raise AuditFilterError(AuditFilterProblem.BAD_FILTER, value=word[: service.INPUT_ECHO])
    return AuditFilter(actor_id, action, since)


@admin_only
@show_errors
async def audit_command(update: Update, context: BotContext) -> None:
    """/audit [who] [what] [since]: the latest entries, with paging buttons."""
    filters = parse_audit_filter(context.args or [], context.clock.now(), context.settings.tz)
    queries = _queries(context)
    query = max((int(k) for k in queries), default=0) + 1
    queries[str(query)] = filters.to_json()
    for old in sorted(queries, key=int)[:-QUERIES_KEPT]:
        del queries[old]
    await send_view(update, await _page(update, context, filters, query, 0))


@admin_only
async def page_pressed(update: Update, context: BotContext, press: AuditPageButton) -> None:
    """较新 / 更早: another page of an earlier /audit (its filter may have been dropped since)."""
    stored = _queries(context).get(str(press.query))
    if stored is None:
        await answer_quietly(update, texts.AUDIT_QUERY_GONE, alert=True)
        return
    filters = AuditFilter.from_json(stored)
    await edit_view(update, await _page(update, context, filters, press.query, press.offset))


async def _page(update: Update, context: BotContext, filters: AuditFilter, query: int, offset: int) -> View:
    actor = await context.actor(update)
    async with context.transaction() as session:
        page = await service.audit_page(session, actor, filters, offset)
        names = await service.display_names(session, [e.actor_id for e in page.entries])
    return views.audit_view(page, filters, names, query, context.settings.tz)


def _queries(context: BotContext) -> dict[str, Any]:
    assert context.user_data is not None
    queries: dict[str, Any] = context.user_data.setdefault(QUERIES_KEY, {})
    return queries
