"""The staff feature's buttons (see handlers/kit/callbacks.py); all of them are for staff only."""

from __future__ import annotations

from typing import Annotated, Literal

from handlers.kit.callbacks import MAX_ID, Between, Button, Token

MAX_AUDIT_QUERIES = 999_999  # query numbers count up per admin; the last few are kept in user_data


class AuditPageButton(Button, prefix="audit:p", staff=True):
    """更早 / 较新: another page of an earlier /audit (its filter is kept in the admin's user_data)."""

    query: Annotated[int, Between(1, MAX_AUDIT_QUERIES)]
    offset: Annotated[int, Between(0, MAX_ID)]


class ReportButton(Button, prefix="report", staff=True):
    """月报 / 季报 of a bare /report: the report of one period."""

    kind: Literal["month", "quarter"]
    period: Annotated[str, Token(7, "0-9Q-")]  # its key: 2026-11 or 2026-Q4


BUTTONS: tuple[type[Button], ...] = (AuditPageButton, ReportButton)
