"""Typed button data: one declaration per button kind gives its pattern, its builder and its parser.

A kind is a class with a callback-data prefix and typed fields::

    class ArticleButton(Button, prefix="conv:art"):
        number: Annotated[int, Between(1, 999)]

    ArticleButton(number=3).data            # "conv:art:3" (checked to fit Telegram's 64 bytes)
    ArticleButton.parse("conv:art:3")       # ArticleButton(number=3); BadButton when malformed
    ArticleButton.handler(show_article)     # CallbackQueryHandler; show_article(update, context, press)

Fields are ``int`` (with ``Between``), ``bool``, an ``Enum`` of short strings, a ``Literal`` of short
strings, ``str`` (with ``Token``), or one of these ``| None`` (encoded as ``Absent``'s mark, "" by
default). Every field is checked when a press is parsed: a forged button, a huge number or "²" is
refused with the 该按钮已失效 toast (no error code, no admin alert) and never reaches the callback.

``staff=True`` marks a button for staff only: ``handler`` refuses to register it without a role
guard (``handlers.kit.guards``), and the role-check test presses an example of every staff kind as
a resident. Kinds are listed in their feature's manifest; nothing registers itself on import.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
import types
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, TypeVar, dataclass_transform, get_args, get_origin

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.app import BotContext
from bot.services import DomainError
from handlers.kit.errors import show_errors
from handlers.kit.guards import guard_of

CALLBACK_DATA_LIMIT = 64  # bytes: Telegram's limit for callback_data
MAX_ID = 2**31 - 1  # the largest value of a PostgreSQL integer column (our ids)
MAX_TELEGRAM_ID = 2**53 - 1  # Telegram: its ids fit a double exactly (and a BIGINT column)
SEPARATOR = ":"
_PREFIX = re.compile(r"[a-z][a-z0-9_]*(:[a-z0-9_]+)*")
_RESERVED = frozenset({"data", "parse", "handler", "example", "prefix", "staff", "pattern", "fields"})

B = TypeVar("B", bound="Button")
R = TypeVar("R")


class BadButton(DomainError):
    """Callback data that no button of this kind could carry (forged, truncated, out of range)."""

    def __init__(self, kind: str) -> None:
        super().__init__(code="kit.bad_button", kind=kind)


@dataclass(frozen=True)
class Between:
    """An ``int`` field's range, both ends included (ids: ``Between(1, MAX_ID)``, see ``Id``)."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if not 0 <= self.low <= self.high:
            raise ValueError(f"bad range {self.low}..{self.high}")


@dataclass(frozen=True)
class Token:
    """A ``str`` field: 1..``max_length`` characters from ``alphabet`` (a regex character class body)."""

    max_length: int
    alphabet: str = "A-Za-z0-9_-"

    def __post_init__(self) -> None:
        if SEPARATOR in self.alphabet or not 0 < self.max_length <= CALLBACK_DATA_LIMIT:
            raise ValueError(f"bad token {self}")


@dataclass(frozen=True)
class Absent:
    """How an optional field writes None ("" unless a kind must keep older buttons working, e.g. "-")."""

    mark: str = ""


Id = Annotated[int, Between(1, MAX_ID)]
UserId = Annotated[int, Between(1, MAX_TELEGRAM_ID)]  # a person's Telegram id


@dataclass(frozen=True)
class Field:
    """How one field is written into callback data and read back."""

    name: str
    encode: Callable[[Any], str]
    decode: Callable[[str], Any]  # raises ValueError for anything the field cannot hold
    width: int  # the longest encoding, in bytes (all encodings are ASCII)
    example: Any

    def accepts(self, segment: str) -> bool:
        try:
            self.decode(segment)
        except ValueError:
            return False
        return True


@dataclass_transform(frozen_default=True)
class Button:
    """Base of every button kind; see the module docstring."""

    prefix: ClassVar[str]
    staff: ClassVar[bool]
    fields: ClassVar[tuple[Field, ...]]
    pattern: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, *, prefix: str, staff: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not _PREFIX.fullmatch(prefix):
            raise TypeError(f"{cls.__name__}: prefix {prefix!r} must be lower-case words joined by ':'")
        dataclasses.dataclass(frozen=True)(cls)
        hints = typing.get_type_hints(cls, include_extras=True)
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        if clash := _RESERVED.intersection(names):
            raise TypeError(f"{cls.__name__}: field names {sorted(clash)} are reserved")
        cls.prefix, cls.staff = prefix, staff
        cls.fields = tuple(_field(cls.__name__, name, hints[name]) for name in names)
        segment = f"{re.escape(SEPARATOR)}[^{re.escape(SEPARATOR)}]*"
        # \Z, not $: "$" would also match before a final newline ("conv:ask\n").
        cls.pattern = re.compile(f"^{re.escape(prefix)}(?:{segment}){{{len(cls.fields)}}}\\Z")
        width = len(prefix) + sum(len(SEPARATOR) + f.width for f in cls.fields)
        if width > CALLBACK_DATA_LIMIT:
            raise TypeError(
                f"{cls.__name__}: data may take {width} bytes, over Telegram's {CALLBACK_DATA_LIMIT}"
            )

    @property
    def data(self) -> str:
        """The callback_data of this button."""
        parts = [self.prefix, *(f.encode(getattr(self, f.name)) for f in self.fields)]
        data = SEPARATOR.join(parts)
        assert len(data.encode()) <= CALLBACK_DATA_LIMIT, data  # guaranteed by the declaration
        return data

    @classmethod
    def parse(cls: type[B], data: str | None) -> B:
        """The button that carries ``data``; ``BadButton`` unless every field is well-formed and in range."""
        if data is None or not cls.pattern.match(data):
            raise BadButton(cls.prefix)
        segments = data[len(cls.prefix) :].split(SEPARATOR)[1:]
        values = {}
        for field, segment in zip(cls.fields, segments, strict=True):
            try:
                values[field.name] = field.decode(segment)
            except ValueError:
                raise BadButton(cls.prefix) from None
        return cls(**values)

    @classmethod
    def example(cls: type[B]) -> B:
        """A well-formed button of this kind (tests press one of every kind)."""
        return cls(**{f.name: f.example for f in cls.fields})

    @classmethod
    def handler(
        cls: type[B], callback: Callable[[Update, BotContext, B], Awaitable[R]]
    ) -> CallbackQueryHandler[BotContext, R | None]:
        """A CallbackQueryHandler for this kind; ``callback`` receives the parsed button.

        A malformed press gets the 已失效 toast; a DomainError raised by the callback is shown as a toast.
        A staff kind's callback must carry a role guard (checked here, once, at registration).
        """
        if cls.staff and guard_of(callback) is None:
            raise TypeError(f"{cls.__name__} is a staff button: its callback needs a role guard")

        @show_errors
        @functools.wraps(callback)
        async def on_press(update: Update, context: BotContext) -> R | None:
            query = update.callback_query
            return await callback(update, context, cls.parse(query.data if query else None))

        return CallbackQueryHandler(on_press, pattern=cls.pattern)


def overlapping(first: type[Button], second: type[Button]) -> bool:
    """Whether some callback data could match both kinds (then a press could reach the wrong handler)."""
    if first is second:
        return False
    a, b = _shape(first), _shape(second)
    if len(a) != len(b):
        return False
    return all(_may_meet(x, y) for x, y in zip(a, b, strict=True))


def check_distinct(kinds: Iterable[type[Button]]) -> None:
    """Raise when two kinds could match the same data (run on the manifests' kinds at start-up)."""
    listed = list(kinds)
    for i, first in enumerate(listed):
        for second in listed[i + 1 :]:
            if first is second:
                raise TypeError(f"button kind {first.__name__} is listed twice")
            if overlapping(first, second):
                raise TypeError(f"button kinds {first.__name__} and {second.__name__} overlap")


def declared_kinds() -> set[type[Button]]:
    """Every Button subclass defined so far (the manifest test compares it with the manifests)."""
    found: set[type[Button]] = set()
    pending = list(Button.__subclasses__())
    while pending:
        kind = pending.pop()
        found.add(kind)
        pending.extend(kind.__subclasses__())
    return found


# ---------------------------------------------------------------- fields
def _shape(kind: type[Button]) -> list[str | Field]:
    return [*kind.prefix.split(SEPARATOR), *kind.fields]


def _may_meet(x: str | Field, y: str | Field) -> bool:
    if isinstance(x, str) and isinstance(y, str):
        return x == y
    if isinstance(x, str):
        return isinstance(y, Field) and y.accepts(x)
    if isinstance(y, str):
        return x.accepts(y)
    return True  # two fields: assume they can hold the same text


def _field(owner: str, name: str, hint: Any) -> Field:
    metadata: tuple[Any, ...] = ()
    if get_origin(hint) is Annotated:
        hint, *extra = get_args(hint)
        metadata = tuple(extra)
    inner, optional = _unwrap_optional(hint)
    field = _plain_field(owner, name, inner, metadata)
    if not optional:
        return field
    mark = next((m.mark for m in metadata if isinstance(m, Absent)), "")
    if field.accepts(mark):
        raise TypeError(f"{owner}.{name}: the None mark {mark!r} is also a value")
    return _optional(field, mark)


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    if get_origin(hint) in (typing.Union, types.UnionType):
        members = [a for a in get_args(hint) if a is not type(None)]
        if len(members) == 1 and len(get_args(hint)) == 2:
            return members[0], True
        raise TypeError(f"unsupported union {hint}")
    return hint, False


def _plain_field(owner: str, name: str, hint: Any, metadata: tuple[Any, ...]) -> Field:
    where = f"{owner}.{name}"
    if hint is bool:
        return Field(name, lambda v: "1" if v else "0", _decode_bool, 1, True)
    if hint is int:
        bounds = next((m for m in metadata if isinstance(m, Between)), None)
        if bounds is None:
            raise TypeError(f"{where}: an int field needs Between(low, high)")
        return Field(name, str, functools.partial(_decode_int, bounds), len(str(bounds.high)), bounds.low)
    if hint is str:
        token = next((m for m in metadata if isinstance(m, Token)), None)
        if token is None:
            raise TypeError(f"{where}: a str field needs Token(max_length)")
        shape = re.compile(f"[{token.alphabet}]{{1,{token.max_length}}}")
        return Field(
            name, _encode_token(shape), _decode_token(shape), token.max_length, _token_example(shape)
        )
    if get_origin(hint) is Literal:
        choices = tuple(get_args(hint))
        return _choice_field(where, name, {str(c): c for c in choices})
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _choice_field(where, name, {str(m.value): m for m in hint})
    raise TypeError(f"{where}: unsupported field type {hint!r}")


def _choice_field(where: str, name: str, by_text: dict[str, Any]) -> Field:
    for text in by_text:
        if not text or not text.isascii() or SEPARATOR in text:
            raise TypeError(f"{where}: choice {text!r} must be short ASCII without ':'")
    to_text = {value: text for text, value in by_text.items()}

    def decode(segment: str) -> Any:
        if segment not in by_text:
            raise ValueError(segment)
        return by_text[segment]

    return Field(name, lambda v: to_text[v], decode, max(map(len, by_text)), next(iter(by_text.values())))


def _optional(field: Field, mark: str) -> Field:
    def encode(value: Any) -> str:
        return mark if value is None else field.encode(value)

    def decode(segment: str) -> Any:
        return None if segment == mark else field.decode(segment)

    return Field(field.name, encode, decode, max(field.width, len(mark)), None)


def _decode_bool(segment: str) -> bool:
    if segment not in ("0", "1"):
        raise ValueError(segment)
    return segment == "1"


def _decode_int(bounds: Between, segment: str) -> int:
    # ASCII digits only: int() would also take "３", "+3", " 3" or "3_0", and isdigit() takes "²".
    if not (segment.isascii() and segment.isdigit()) or (len(segment) > 1 and segment[0] == "0"):
        raise ValueError(segment)
    if len(segment) > len(str(bounds.high)):
        raise ValueError(segment)  # before int(): a forged 4,000-digit number costs nothing
    value = int(segment)
    if not bounds.low <= value <= bounds.high:
        raise ValueError(segment)
    return value


def _encode_token(shape: re.Pattern[str]) -> Callable[[Any], str]:
    def encode(value: Any) -> str:
        if not isinstance(value, str) or not shape.fullmatch(value):
            raise ValueError(f"{value!r} does not fit {shape.pattern}")
        return value

    return encode


def _decode_token(shape: re.Pattern[str]) -> Callable[[str], str]:
    def decode(segment: str) -> str:
        if not shape.fullmatch(segment):
            raise ValueError(segment)
        return segment

    return decode


def _token_example(shape: re.Pattern[str]) -> str:
    for candidate in ("x", "a", "A", "0", "_", "-"):
        if shape.fullmatch(candidate):
            return candidate
    raise TypeError(f"no one-character example for {shape.pattern}")
