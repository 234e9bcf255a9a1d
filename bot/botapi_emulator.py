"""An in-process Telegram Bot API emulator.

It answers the Bot API methods the bot uses with realistic JSON, remembers every message the bot
sent, and queues updates for getUpdates. Three things stand on it:

- ``chuangwen console``: talk to the real Application with no token and no network;
- unit and handler tests (``OfflineRequest``, a ``telegram.request.BaseRequest`` double);
- the HTTP fake Bot API server of the end-to-end tests and benchmarks (``tests/support``).

It is as strict as Telegram about what it accepts (bot.botapi_rules: the HTML parser's tags and
entities, text, caption, button-data, toast and command limits): a violation answers 400 like the
real API, so the test that caused it fails. It can also misbehave on purpose, like Telegram does:
chats that blocked the bot answer 403, chats that do not exist 400, and a global or per-chat send
rate above a limit answers 429 with ``retry_after``. Tests inject more: ``inject`` fails the next
matching call (429, 502, a timeout…), ``chaos`` fails a share of all calls at random.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot import botapi_rules as rules
from bot import texts

BOT_ID = 777000111
BOT_USERNAME = "chuangwen_bot"
SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendLocation",
        "sendVenue",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)


EDIT_METHODS = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})


class BotApiError(Exception):
    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id  # a group became a supergroup with this id


class BotApiTimeout(Exception):
    """The call never got an answer (``OfflineRequest`` raises PTB's ``TimedOut``)."""


Failure = BotApiError | BotApiTimeout


@dataclass
class Fault:
    """Fail the next ``times`` calls of ``methods`` (to ``chat_id``, when given) with ``error``."""

    error: Failure
    methods: Collection[str]
    chat_id: int | None = None
    times: int = 1

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if method not in self.methods:
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


@dataclass
class Chaos:
    """Fail a share of send and edit calls at random: 429 with retry_after, 502, timeouts."""

    rate: float
    seed: int = 0
    retry_after: int = 1
    random: random.Random = field(init=False)
    injected: int = 0  # failures handed out so far

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)

    def pick(self) -> Failure | None:
        if self.random.random() >= self.rate:
            return None
        self.injected += 1
        kinds: list[Failure] = [
            BotApiError(429, f"Too Many Requests: retry after {self.retry_after}", self.retry_after),
            BotApiError(502, "Bad Gateway"),
            BotApiTimeout("timed out"),
        ]
        return self.random.choice(kinds)


@dataclass
class SentMessage:
    message_id: int
    chat_id: int
    method: str
    text: str | None = None
    caption: str | None = None
    reply_markup: dict[str, Any] | None = None
    parse_mode: str | None = None
    document_name: str | None = None
    document_bytes: bytes | None = None
    edited: bool = False
    deleted: bool = False
    sent_at: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def body(self) -> str:
        return self.text if self.text is not None else (self.caption or "")

    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, flattened row by row."""
        if not self.reply_markup or "inline_keyboard" not in self.reply_markup:
            return []
        return [button for row in self.reply_markup["inline_keyboard"] for button in row]

    def keyboard(self) -> list[str]:
        if not self.reply_markup or "keyboard" not in self.reply_markup:
            return []
        return [
            b if isinstance(b, str) else b.get("text", "")
            for row in self.reply_markup["keyboard"]
            for b in row
        ]


@dataclass
class RateLimits:
    """Emulate Telegram's flood limits (None = unlimited)."""

    global_per_second: int | None = None
    per_chat_per_second: int | None = None
    retry_after: int = 1


class BotApiEmulator:
    def __init__(self, token: str = "123456:TEST", rate_limits: RateLimits | None = None) -> None:
        self.token = token
        self.rate_limits = rate_limits or RateLimits()
        self.messages: list[SentMessage] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.blocked_chats: set[int] = set()
        self.missing_chats: set[int] = set()  # "chat not found" (a group that was deleted)
        self.fail_next: deque[BotApiError] = deque()
        self.faults: list[Fault] = []
        self.chaos: Chaos | None = None
        self.callback_answers: list[dict[str, Any]] = []
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._updates: deque[dict[str, Any]] = deque()
        self._updates_event = asyncio.Event()
        self._send_times: deque[float] = deque()
        self._chat_send_times: dict[int, deque[float]] = {}
        self.files: dict[str, bytes] = {}

    # ------------------------------------------------------------ updates from "users"
    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update.setdefault("update_id", self.next_update_id())
        self._updates.append(update)
        self._updates_event.set()
        return update

    async def get_updates(
        self, offset: int | None, wait_seconds: float, limit: int = 100
    ) -> list[dict[str, Any]]:
        if offset is not None:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        if not self._updates and wait_seconds > 0:
            self._updates_event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._updates_event.wait(), wait_seconds)
        return list(itertools.islice(self._updates, 0, limit))

    @staticmethod
    def user_json(user_id: int, first_name: str = texts.FAKE_USER_NAME) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "zh-hans"}

    def message_update(
        self, user_id: int, first_name: str = texts.FAKE_USER_NAME, **content: Any
    ) -> dict[str, Any]:
        """An update carrying a private message from a user (content: text=…, photo=…, location=…)."""
        if (
            isinstance(content.get("text"), str)
            and content["text"].startswith("/")
            and "entities" not in content
        ):
            command = content["text"].split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message = {
            "message_id": self.next_message_id(),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": first_name},
            "from": self.user_json(user_id, first_name),
            **content,
        }
        return {"update_id": self.next_update_id(), "message": message}

    def callback_update(self, user_id: int, data: str, message: SentMessage) -> dict[str, Any]:
        """An update for a press on an inline button of a message the bot sent."""
        query = {
            "id": str(self.next_update_id()),
            "from": self.user_json(user_id),
            "chat_instance": f"ci{user_id}",
            "data": data,
            "message": self._message_json(message),
        }
        return {"update_id": self.next_update_id(), "callback_query": query}

    # ------------------------------------------------------------ inspection helpers
    def sent_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.messages if m.chat_id == chat_id and not m.deleted]

    def last_to(self, chat_id: int) -> SentMessage:
        sent = self.sent_to(chat_id)
        if not sent:
            raise AssertionError(f"nothing was sent to chat {chat_id}")
        return sent[-1]

    def find_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        for message in reversed(self.messages):
            if message.chat_id == chat_id and message.message_id == message_id:
                return message
        return None

    # ------------------------------------------------------------ injected failures
    def inject(
        self,
        error: Failure,
        *,
        methods: Collection[str] = SEND_METHODS | EDIT_METHODS,
        chat_id: int | None = None,
        times: int = 1,
    ) -> Fault:
        """Fail the next ``times`` matching calls with ``error`` (before the emulator handles them)."""
        fault = Fault(error, frozenset(methods), chat_id, times)
        self.faults.append(fault)
        return fault

    def _injected(self, method: str, params: dict[str, Any]) -> Failure | None:
        for fault in self.faults:
            if fault.times > 0 and fault.matches(method, params):
                fault.times -= 1
                return fault.error
        if self.chaos is not None and method in SEND_METHODS | EDIT_METHODS:
            return self.chaos.pick()
        return None

    # ------------------------------------------------------------ the API
    async def call(self, method: str, params: dict[str, Any]) -> Any:
        self.calls.append((method, params))
        if self.fail_next and method in SEND_METHODS:
            raise self.fail_next.popleft()
        injected = self._injected(method, params)
        if injected is not None:
            raise injected
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return True  # methods the emulator does not model succeed quietly (sendChatAction, …)
        try:
            return await handler(params)
        except rules.RuleViolation as violation:
            raise BotApiError(400, violation.description) from None

    def _check_reachable(self, chat_id: int) -> None:
        if chat_id in self.blocked_chats:
            who = "bot was kicked from the supergroup chat" if chat_id < 0 else "bot was blocked by the user"
            raise BotApiError(403, f"Forbidden: {who}")
        if chat_id in self.missing_chats:
            raise BotApiError(400, "Bad Request: chat not found")

    def _check_send(self, chat_id: int) -> None:
        self._check_reachable(chat_id)
        now = time.monotonic()
        limits = self.rate_limits
        if limits.global_per_second is not None:
            while self._send_times and now - self._send_times[0] >= 1.0:
                self._send_times.popleft()
            if len(self._send_times) >= limits.global_per_second:
                raise BotApiError(429, "Too Many Requests: retry later", limits.retry_after)
        if limits.per_chat_per_second is not None:
            chat_times = self._chat_send_times.setdefault(chat_id, deque())
            while chat_times and now - chat_times[0] >= 1.0:
                chat_times.popleft()
            if len(chat_times) >= limits.per_chat_per_second:
                raise BotApiError(429, "Too Many Requests: retry later", limits.retry_after)
            chat_times.append(now)
        self._send_times.append(now)

    def _message_json(self, sent: SentMessage) -> dict[str, Any]:
        chat_type = "private" if sent.chat_id > 0 else "supergroup"
        data: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": chat_type},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": texts.BOT_NAME, "username": BOT_USERNAME},
        }
        if sent.edited:
            data["edit_date"] = int(time.time())
        if sent.text is not None:
            data["text"] = rules.visible_text(sent.text, sent.parse_mode)
        if sent.caption is not None:
            data["caption"] = sent.caption
        if sent.method == "sendPhoto":
            data["photo"] = [
                {
                    "file_id": f"photo{sent.message_id}",
                    "file_unique_id": f"u{sent.message_id}",
                    "width": 640,
                    "height": 480,
                }
            ]
        if sent.method == "sendDocument":
            data["document"] = {
                "file_id": f"doc{sent.message_id}",
                "file_unique_id": f"d{sent.message_id}",
                "file_name": sent.document_name or "file",
            }
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            data["reply_markup"] = sent.reply_markup
        return data

    def _record(self, method: str, params: dict[str, Any], **fields: Any) -> SentMessage:
        chat_id = int(params["chat_id"])
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if fields.get("text") is not None:
            rules.check_text(fields["text"], params.get("parse_mode"))
        rules.check_caption(fields.get("caption"), params.get("parse_mode"))
        rules.check_reply_markup(markup)
        self._check_send(chat_id)
        sent = SentMessage(
            message_id=self.next_message_id(),
            chat_id=chat_id,
            method=method,
            reply_markup=markup,
            parse_mode=params.get("parse_mode"),
            sent_at=time.monotonic(),
            params=params,
            **fields,
        )
        self.messages.append(sent)
        return sent

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": texts.BOT_NAME,
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = params.get("offset")
        return await self.get_updates(
            int(offset) if offset is not None else None,
            float(params.get("timeout") or 0),
            int(params.get("limit") or 100),
        )

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if isinstance(commands, str):
            commands = json.loads(commands)
        scope = params.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        rules.check_commands(list(commands or []))
        key = scope.get("type", "default") + (f":{scope['chat_id']}" if "chat_id" in scope else "")
        self.commands[key] = list(commands or [])
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message_json(self._record("sendMessage", params, text=str(params.get("text", ""))))

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message_json(self._record("sendPhoto", params, caption=params.get("caption")))

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        document = params.get("document")
        name, content = document if isinstance(document, tuple) else ("file", None)
        return self._message_json(
            self._record(
                "sendDocument",
                params,
                caption=params.get("caption"),
                document_name=name,
                document_bytes=content,
            )
        )

    async def _api_sendLocation(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message_json(self._record("sendLocation", params, text=None))

    async def _api_sendVenue(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message_json(self._record("sendVenue", params, text=None))

    async def _api_sendMediaGroup(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        media = params.get("media")
        if isinstance(media, str):
            media = json.loads(media)
        sent = []
        for item in media or []:
            photo = dict(item, chat_id=params["chat_id"], photo=item.get("media"))
            sent.append(
                self._message_json(self._record("sendMediaGroup", photo, caption=item.get("caption")))
            )
        return sent

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        return self._edit(params, text=str(params.get("text", "")))

    async def _api_editMessageCaption(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        return self._edit(params, caption=params.get("caption"))

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        return self._edit(params)

    def _edit(self, params: dict[str, Any], **fields: Any) -> dict[str, Any] | bool:
        chat_id, message_id = int(params.get("chat_id", 0)), int(params.get("message_id", 0))
        self._check_reachable(chat_id)
        original = self.find_message(chat_id, message_id)
        if original is None or original.deleted:
            raise BotApiError(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if "text" in fields:
            rules.check_text(fields["text"], params.get("parse_mode"))
        rules.check_caption(fields.get("caption"), params.get("parse_mode"))
        rules.check_reply_markup(markup)
        new_text = fields.get("text", original.text)
        if (
            new_text == original.text
            and fields.get("caption", original.caption) == original.caption
            and (markup == original.reply_markup)
        ):
            raise BotApiError(400, "Bad Request: message is not modified")
        edited = SentMessage(
            message_id=message_id,
            chat_id=chat_id,
            method=original.method,
            text=new_text,
            caption=fields.get("caption", original.caption),
            reply_markup=markup,
            parse_mode=params.get("parse_mode", original.parse_mode),
            edited=True,
            sent_at=time.monotonic(),
            params=params,
        )
        self.messages.append(edited)
        original.deleted = True  # the edited copy replaces it in sent_to()
        return self._message_json(edited)

    async def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        message = self.find_message(int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        if message is not None:
            message.deleted = True
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        rules.check_callback_answer(params.get("text"))
        self.callback_answers.append(params)
        return True

    async def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id"))
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self.files.get(file_id, b"")),
            "file_path": f"files/{file_id}",
        }

    async def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params.get("chat_id", 0))
        return {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}


def plain_text(html_text: str) -> str:
    """What a Telegram client shows for an HTML message: tags gone, entities unescaped."""
    return rules.visible_text(html_text, "HTML")


class OfflineRequest(BaseRequest):
    """A ``BaseRequest`` that answers from a ``BotApiEmulator`` in-process: no network at all."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = decode_request_data(request_data)
        try:
            result = await self.emulator.call(api_method, params)
        except BotApiTimeout as error:
            raise TimedOut(str(error)) from error
        except BotApiError as error:
            body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            if error.migrate_to_chat_id is not None:
                body["parameters"] = {"migrate_to_chat_id": error.migrate_to_chat_id}
            return error.code, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()


def decode_request_data(request_data: RequestData | None) -> dict[str, Any]:
    """Parameters as the Bot API would receive them (JSON values decoded, files as (name, bytes))."""
    if request_data is None:
        return {}
    params: dict[str, Any] = dict(request_data.parameters)
    if request_data.contains_files:
        parts = request_data.multipart_data
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                part = parts.get(value.removeprefix("attach://"))
                if part is not None:
                    content = part[1]
                    params[key] = (part[0], content if isinstance(content, bytes) else content.read())
        for key, part in parts.items():  # files sent directly under their parameter name
            if key not in params or params[key] is None:
                content = part[1]
                params[key] = (part[0], content if isinstance(content, bytes) else content.read())
    return params
