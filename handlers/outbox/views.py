"""What /outbox shows, made from the outbox's counts."""

from __future__ import annotations

from datetime import timedelta

from bot.outbox import service
from handlers.kit.replies import escape
from handlers.outbox import texts


def age_text(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 60:
        return texts.SECONDS.format(n=seconds)
    if seconds < 3600:
        return texts.MINUTES.format(n=seconds // 60)
    if seconds < 86400:
        return texts.HOURS.format(h=seconds // 3600, m=seconds % 3600 // 60)
    return texts.DAYS.format(d=seconds // 86400, h=seconds % 86400 // 3600)


def kind_name(kind: str) -> str:
    """A kind's Chinese name; a kind not yet named shows its code."""
    return texts.KIND_NAMES.get(kind, kind)


def stats_view(stats: service.OutboxStats) -> str:
    if not stats.by_kind:
        return texts.EMPTY
    lines = [texts.HEADER]
    for kind, counts in sorted(stats.by_kind.items()):
        lines.append(texts.ROW.format(kind=escape(kind_name(kind)), **vars(counts)))
    total = stats.total
    lines.append(texts.TOTAL.format(**vars(total)))
    if stats.oldest_pending_age is None:
        lines.append(texts.NOTHING_WAITING)
    else:
        lines.append(texts.OLDEST.format(age=age_text(stats.oldest_pending_age)))
    if total.failed:
        lines.append(texts.FAILED_HINT)
    return "\n".join(lines)
