"""The outbox: nothing a change owes someone is lost (see docs/outbox.md).

- ``service``: write owed messages in the caller's transaction, read their state (no Telegram);
- ``engine``: claim rows in per-chat commit order and record outcomes (no Telegram);
- ``telegram``: the PTB adapter (a row's parts → Bot API calls), the one sender and its start-up hook;
- ``notify``: the small API handlers and scheduled tasks call;
- ``texts``: the outbox's wording (the fallback line, /outbox).

This package imports none of them, so services can use ``bot.outbox.service`` without PTB.
"""
