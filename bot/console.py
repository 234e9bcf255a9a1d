"""`chuangwen console`: talk to the bot in a terminal, no token, no network."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot import texts
from bot.botapi_emulator import SentMessage, plain_text
from bot.config import Settings
from bot.harness import ChatHarness

PROMPT = texts.CONSOLE_PROMPT


def render(message: SentMessage) -> str:
    """A message as a phone would show it, buttons numbered for `#N`."""
    body = plain_text(message.body) if message.parse_mode == "HTML" else message.body
    prefix = texts.CONSOLE_EDITED if message.edited else "🤖 "
    lines = []
    if message.method == "sendPhoto":
        lines.append(texts.CONSOLE_PHOTO.format(prefix=prefix, body=body).rstrip())
    elif message.method == "sendDocument":
        size = len(message.document_bytes or b"")
        lines.append(
            texts.CONSOLE_DOCUMENT.format(
                prefix=prefix, name=message.document_name, size=size, body=body
            ).rstrip()
        )
    else:
        lines.append(prefix + body.replace("\n", "\n   "))
    buttons = message.buttons()
    if buttons:
        lines.append("   " + "  ".join(f"[#{i} {b.get('text', '')}]" for i, b in enumerate(buttons, 1)))
    keyboard = message.keyboard()
    if keyboard:
        lines.append(texts.CONSOLE_KEYBOARD + " | ".join(keyboard))
    return "\n".join(lines)


async def run_console(settings: Settings, user_id: int, stdin: TextIO, stdout: TextIO) -> int:
    harness = ChatHarness(settings, console=True)
    await harness.start()
    interactive = stdin.isatty()
    loop = asyncio.get_running_loop()
    try:
        while True:
            if interactive:
                stdout.write(PROMPT)
                stdout.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            line = line.rstrip("\n")
            if not interactive and line:
                stdout.write(f"{PROMPT}{line}\n")
            if line.strip() == "!quit":
                break
            try:
                sent, user_id, note = await _dispatch(harness, user_id, line)
            except ValueError:  # "!location abc", "!user x"
                stdout.write(texts.CONSOLE_BAD_INPUT.format(line=line.strip()) + "\n")
                continue
            if note:
                stdout.write(note + "\n")
            await asyncio.sleep(0)  # let jobs the update scheduled get their turn
            for message in sent + harness.new_messages():
                stdout.write(render(message) + "\n")
            for toast in harness.new_toasts():
                stdout.write(f"🔔 {toast}\n")
            stdout.flush()
    finally:
        await harness.stop()
    return 0


async def _dispatch(harness: ChatHarness, user_id: int, line: str) -> tuple[list[SentMessage], int, str]:
    """What one line does: (messages sent, who speaks next, a note from the console itself)."""
    stripped = line.strip()
    if stripped.startswith("#") and stripped[1:].isdigit():
        return await _press(harness, user_id, int(stripped[1:]))
    command, _, rest = stripped.partition(" ")
    if command == "!photo":
        return await harness.send_photo(user_id, rest or None), user_id, ""
    if command == "!location":
        latitude, longitude = (float(part) for part in rest.replace(texts.FULL_WIDTH_COMMA, ",").split(","))
        return await harness.send_location(user_id, latitude, longitude), user_id, ""
    if command == "!contact":
        return await harness.send_contact(user_id, rest.strip()), user_id, ""
    if command == "!sticker":
        return await harness.send_sticker(user_id), user_id, ""
    if command == "!user":
        switched = int(rest)
        return [], switched, texts.CONSOLE_SWITCHED.format(user_id=switched)
    return await harness.send(user_id, line), user_id, ""


async def _press(harness: ChatHarness, user_id: int, number: int) -> tuple[list[SentMessage], int, str]:
    """``#N``: the N-th button of the latest message with buttons, or a note saying there is none."""
    shown = [m for m in harness.emulator.sent_to(user_id) if m.buttons()]
    if not shown:
        return [], user_id, texts.CONSOLE_NO_BUTTONS.format(number=number)
    count = len(shown[-1].buttons())
    if not 1 <= number <= count:
        return [], user_id, texts.CONSOLE_NO_SUCH_BUTTON.format(number=number, count=count)
    return await harness.press(user_id, number, shown[-1]), user_id, ""


def main(settings: Settings, user_id: int) -> int:
    try:
        return asyncio.run(run_console(settings, user_id, sys.stdin, sys.stdout))
    except KeyboardInterrupt:
        sys.stdout.write("\n" + texts.CANCELLED + "\n")
        return 0
    except BrokenPipeError:  # the reader went away (e.g. `| head`): nothing more to say
        sys.stderr.close()
        return 0
