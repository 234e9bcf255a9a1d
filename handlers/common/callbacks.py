"""The common feature's buttons (see handlers/kit/callbacks.py). None of them is a staff button."""

from __future__ import annotations

from typing import Literal

from bot.models import Topic
from handlers.kit.callbacks import Button, UserId


class ForgetButton(Button, prefix="forget"):
    """确认删除 / 取消 under /forget's question; only ``asker`` may answer it."""

    answer: Literal["yes", "no"]
    asker: UserId


class SubscriptionButton(Button, prefix="sub"):
    """A topic under /subscribe (toggle: flips it) or /unsubscribe (off: only removes, so a double tap
    cannot subscribe again)."""

    action: Literal["toggle", "off"]
    topic: Topic


BUTTONS: tuple[type[Button], ...] = (ForgetButton, SubscriptionButton)
