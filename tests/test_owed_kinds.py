"""Every kind of owed message has a name staff can read in /outbox and the report."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import handlers
from handlers.nominations.owed import Owed as NominationOwed
from handlers.outbox import texts
from handlers.outbox.views import kind_name
from handlers.tickets.routing import Owed as TicketOwed
from handlers.volunteers.owed import Owed as VolunteerOwed

OUTBOX_KIND = re.compile(r"[a-z]+\.[a-z_]+")  # "ticket.card" (scheduler task kinds use hyphens)


def kinds_written_by_the_features() -> set[str]:
    """The features' ``Owed`` enums, and the kinds a feature writes as literals: ``kind="…"`` in a
    call, or a module constant named ``…_KIND`` (handlers/inspections/notices.py, staff/report.py)."""
    kinds = {str(kind) for kind in [*TicketOwed, *VolunteerOwed, *NominationOwed]}
    for path in Path(handlers.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            passed = isinstance(node, ast.keyword) and node.arg == "kind"
            named = isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith("_KIND") for t in node.targets
            )
            value = node.value if isinstance(node, ast.keyword | ast.Assign) and (passed or named) else None
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and OUTBOX_KIND.fullmatch(value.value)
            ):
                kinds.add(value.value)
    return kinds


def test_every_kind_a_feature_writes_has_a_chinese_name_and_no_name_is_left_over() -> None:
    kinds = sorted(kinds_written_by_the_features())
    assert {"ticket.card", "volunteer.promoted", "nomination.status", "report.scheduled", "rect.card"} <= set(
        kinds
    )
    assert sorted(texts.KIND_NAMES) == kinds
    names = [kind_name(kind) for kind in kinds]
    assert len(set(names)) == len(names)  # two kinds never read alike
    assert all(name != kind and not name.isascii() for name, kind in zip(names, kinds, strict=True))
