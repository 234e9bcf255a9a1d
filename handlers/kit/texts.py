"""The kit's wording: the main menu and the replies every feature shares (Simplified Chinese).

A few shared replies are still defined in ``bot/texts.py``, where code outside ``handlers/`` (the
console, ``bot.services.users``) and the features not yet converted read them; they are named here
too, so features import all the shared wording from one place.
"""

from __future__ import annotations

from bot.texts import BUTTON_EXPIRED, CANCELLED, NOT_ALLOWED

MENU_COMPLAIN = "投诉举报"
MENU_VOLUNTEER = "志愿报名"
MENU_CONVENTION = "文明公约"
MENU_NOMINATE = "好人推荐"
MENU_SUBSCRIBE = "订阅通知"
MENU_ROWS = [[MENU_COMPLAIN, MENU_VOLUNTEER], [MENU_CONVENTION, MENU_NOMINATE], [MENU_SUBSCRIBE]]
MENU_PLACEHOLDER = "请选择功能，或直接输入问题"

FLOOD_NOTICE = "您发送得太快了，请稍等片刻再试。"

# handlers.kit.intake: edits, and personal commands in groups
EDIT_NOT_USED = "修改的消息不会被采用，请重新发送。"
PERSONAL_COMMAND_IN_GROUP = "这个命令涉及您的个人信息，请在与我的私聊中使用。"
OPEN_PRIVATE_CHAT = "打开私聊"

__all__ = [
    "BUTTON_EXPIRED",
    "CANCELLED",
    "EDIT_NOT_USED",
    "FLOOD_NOTICE",
    "MENU_COMPLAIN",
    "MENU_CONVENTION",
    "MENU_NOMINATE",
    "MENU_PLACEHOLDER",
    "MENU_ROWS",
    "MENU_SUBSCRIBE",
    "MENU_VOLUNTEER",
    "NOT_ALLOWED",
    "OPEN_PRIVATE_CHAT",
    "PERSONAL_COMMAND_IN_GROUP",
]
