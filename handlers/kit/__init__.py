"""The Telegram kit every feature is built with (see README.md beside this file).

- ``callbacks``: typed button kinds — pattern, builder and parser from one declaration;
- ``guards``: who may use a command or a button, checked on every call;
- ``conversation``: the conversation factory, the ways out, re-asking, drafts, input filters;
- ``errors``: DomainError codes rendered from the features' texts catalogues;
- ``paging``: pages of a list, long messages split under Telegram's limit;
- ``replies``: replies, toasts, edits, the main menu, keyboards, escaping;
- ``feature``: the manifest (``Feature``, ``Command``) that ``handlers/__init__.py`` reads;
- ``texts``: the shared wording — the main menu's labels and the replies every feature uses.

Telling anyone other than the person being answered is not here: it is owed, and goes through the
outbox (``bot.outbox.notify``, in the transaction of the change).
"""
