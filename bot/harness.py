"""Drive the real Application in-process: updates in, sent messages out.

``chuangwen console`` is a loop over this, and the handler tests use it too, so both exercise the
very same handlers, persistence and database as ``chuangwen run``.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot import texts
from bot.app import BotApplication, build_application, start_up_settled
from bot.botapi_emulator import BotApiEmulator, OfflineRequest, SentMessage
from bot.clock import SystemClock
from bot.config import Settings

CONSOLE_TOKEN = "123456:CONSOLE-NO-NETWORK"


class ChatHarness:
    """An Application wired to a BotApiEmulator, plus helpers that play Telegram users."""

    def __init__(
        self,
        settings: Settings,
        *,
        emulator: BotApiEmulator | None = None,
        console: bool = False,
        clock: SystemClock | None = None,
    ) -> None:
        self.emulator = emulator or BotApiEmulator(token=CONSOLE_TOKEN)
        self.application: BotApplication = build_application(
            settings, request=OfflineRequest(self.emulator), token=self.emulator.token, clock=clock
        )
        self.application.bot_data.console = console
        self._seen = 0
        self._toasts_seen = 0

    @property
    def settings(self) -> Settings:
        return self.application.bot_data.settings

    async def start(self) -> None:
        app = self.application
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        await start_up_settled(app)
        self._seen = len(self.emulator.messages)

    async def stop(self) -> None:
        app = self.application
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)

    async def __aenter__(self) -> ChatHarness:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------ playing users
    async def process(self, update: dict[str, Any]) -> list[SentMessage]:
        """Feed one update through the Application; returns what the bot sent meanwhile."""
        update.setdefault("update_id", self.emulator.next_update_id())
        await self.application.process_update(Update.de_json(update, self.application.bot))
        return self.new_messages()

    def new_messages(self) -> list[SentMessage]:
        fresh = self.emulator.messages[self._seen :]
        self._seen = len(self.emulator.messages)
        return fresh

    def new_toasts(self) -> list[str]:
        """Texts of callback-query answers (the pop-ups a button press shows) since the last call."""
        fresh = self.emulator.callback_answers[self._toasts_seen :]
        self._toasts_seen = len(self.emulator.callback_answers)
        return [str(a["text"]) for a in fresh if a.get("text")]

    async def send(
        self, user_id: int, text: str, first_name: str = texts.FAKE_USER_NAME
    ) -> list[SentMessage]:
        return await self.process(self.emulator.message_update(user_id, first_name, text=text))

    async def send_photo(
        self, user_id: int, caption: str | None = None, size: int = 50_000
    ) -> list[SentMessage]:
        file_id = f"photo-{self.emulator.next_message_id()}"
        content: dict[str, Any] = {
            "photo": [
                {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "width": 1280,
                    "height": 960,
                    "file_size": size,
                }
            ]
        }
        if caption is not None:
            content["caption"] = caption
        return await self.process(self.emulator.message_update(user_id, **content))

    async def send_location(self, user_id: int, latitude: float, longitude: float) -> list[SentMessage]:
        location = {"latitude": latitude, "longitude": longitude}
        return await self.process(self.emulator.message_update(user_id, location=location))

    async def send_contact(self, user_id: int, phone: str, own: bool = True) -> list[SentMessage]:
        contact = {
            "phone_number": phone,
            "first_name": texts.FAKE_USER_NAME,
            **({"user_id": user_id} if own else {}),
        }
        return await self.process(self.emulator.message_update(user_id, contact=contact))

    async def send_sticker(self, user_id: int) -> list[SentMessage]:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": "😀",
        }
        return await self.process(self.emulator.message_update(user_id, sticker=sticker))

    async def press(
        self, user_id: int, target: str | int, message: SentMessage | None = None
    ) -> list[SentMessage]:
        """Press an inline button by its label (substring) or 1-based index on the latest message with buttons."""
        message = message or self.latest_with_buttons(user_id)
        buttons = message.buttons()
        if isinstance(target, int):
            button = buttons[target - 1]
        else:
            matches = [b for b in buttons if target in b.get("text", "")]
            if not matches:
                labels = [b.get("text") for b in buttons]
                raise AssertionError(f"no button {target!r} on message {message.message_id}: {labels}")
            button = matches[0]
        return await self.press_data(user_id, button["callback_data"], message)

    async def press_data(
        self, user_id: int, data: str, message: SentMessage | None = None
    ) -> list[SentMessage]:
        message = message or self.latest_with_buttons(user_id)
        return await self.process(self.emulator.callback_update(user_id, data, message))

    def latest_with_buttons(self, chat_id: int) -> SentMessage:
        for message in reversed(self.emulator.sent_to(chat_id)):
            if message.buttons():
                return message
        raise AssertionError(f"no message with inline buttons in chat {chat_id}")
