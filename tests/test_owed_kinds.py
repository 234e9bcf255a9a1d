"""Every kind of owed message has a name staff can read in /outbox and the report."""

from __future__ import annotations

from handlers.nominations.owed import Owed as NominationOwed
from handlers.outbox import texts
from handlers.outbox.views import kind_name
from handlers.staff.report import SCHEDULED_KIND
from handlers.tickets.routing import Owed as TicketOwed
from handlers.volunteers.owed import Owed as VolunteerOwed

KINDS = [*TicketOwed, *VolunteerOwed, *NominationOwed, SCHEDULED_KIND]


def test_every_kind_a_feature_writes_has_a_chinese_name_and_no_name_is_left_over() -> None:
    assert sorted(texts.KIND_NAMES) == sorted(str(kind) for kind in KINDS)
    names = [kind_name(kind) for kind in KINDS]
    assert len(set(names)) == len(names)  # two kinds never read alike
    assert all(name != kind and not name.isascii() for name, kind in zip(names, KINDS, strict=True))
