"""The one place that reads configuration (environment variables and an optional ``.env``)."""

from __future__ import annotations

import re
from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import texts

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DATA_DIR = PROJECT_ROOT / "data"


class ConfigError(Exception):
    """A setting has an invalid value; the message names it in one line."""


class Settings(BaseSettings):
    """Every setting the bot reads. Environment names are fixed (deployments rely on them)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: str = Field(default="", validation_alias="TELEGRAM_BOT_TOKEN")
    database_url: str = Field(
        default="sqlite+aiosqlite:///chuangwen.sqlite3", validation_alias="DATABASE_URL"
    )
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default=frozenset(), validation_alias="ADMIN_IDS")
    bot_timezone: str = Field(default="Asia/Shanghai", validation_alias="BOT_TIMEZONE")
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org", validation_alias="TELEGRAM_API_BASE_URL"
    )
    webhook_url: str | None = Field(default=None, validation_alias="WEBHOOK_URL")
    webhook_listen: str = Field(default="0.0.0.0", validation_alias="WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, ge=1, le=65535, validation_alias="WEBHOOK_PORT")
    webhook_secret: str | None = Field(default=None, validation_alias="WEBHOOK_SECRET")
    data_dir: Path = Field(default=SHIPPED_DATA_DIR, validation_alias="DATA_DIR")
    staff_chat_id: int | None = Field(default=None, validation_alias="STAFF_CHAT_ID")
    flood_max_messages: int = Field(default=20, ge=1, validation_alias="FLOOD_MAX_MESSAGES")
    flood_window_seconds: float = Field(default=10.0, gt=0, validation_alias="FLOOD_WINDOW_SECONDS")
    scheduler_interval_seconds: float = Field(
        default=5.0, gt=0, validation_alias="SCHEDULER_INTERVAL_SECONDS"
    )
    log_level: str = Field(default="INFO", validation_alias="LOG_LEVEL")
    max_concurrent_updates: int = Field(default=8, ge=1, le=1024, validation_alias="MAX_CONCURRENT_UPDATES")
    daily_article_time: time = Field(default=time(8, 0), validation_alias="DAILY_ARTICLE_TIME")
    checkin_radius_meters: float = Field(default=500.0, gt=0, validation_alias="CHECKIN_RADIUS_METERS")
    broadcast_rate_per_second: float = Field(
        default=25.0, gt=0, le=1000, validation_alias="BROADCAST_RATE_PER_SECOND"
    )
    broadcast_claim_lease_seconds: float = Field(
        default=120.0, gt=0, validation_alias="BROADCAST_CLAIM_LEASE_SECONDS"
    )
    broadcast_poll_seconds: float = Field(default=1.0, gt=0, validation_alias="BROADCAST_POLL_SECONDS")
    # How long a SQLite writer waits for another process's write lock before 「系统繁忙，请稍后再试」.
    database_busy_timeout_seconds: float = Field(
        default=5.0, gt=0, le=300, validation_alias="DATABASE_BUSY_TIMEOUT_SECONDS"
    )
    # /healthz and /metrics on a port of their own (off unless set; in webhook mode they are also
    # served beside the webhook).
    metrics_port: int | None = Field(default=None, ge=0, le=65535, validation_alias="METRICS_PORT")
    metrics_listen: str = Field(default="127.0.0.1", validation_alias="METRICS_LISTEN")
    outbox_retry_deadline_hours: float = Field(
        default=24.0, gt=0, validation_alias="OUTBOX_RETRY_DEADLINE_HOURS"
    )
    # Inspections (暗访督查): hours a unit has to rectify a failed item — 负面清单 items, the others —
    # and how close to a site an inspector must stand for the walk to begin without a mismatch.
    inspection_negative_hours: float = Field(
        default=24.0, gt=0, le=24 * 90, validation_alias="INSPECTION_NEGATIVE_HOURS"
    )
    inspection_deadline_hours: float = Field(
        default=72.0, gt=0, le=24 * 90, validation_alias="INSPECTION_DEADLINE_HOURS"
    )
    inspection_radius_meters: float = Field(default=300.0, gt=0, validation_alias="INSPECTION_RADIUS_METERS")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError(texts.CONFIG_BAD_ADMIN_IDS) from None
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("daily_article_time", mode="before")
    @classmethod
    def _parse_daily_article_time(cls, value: object) -> object:
        if isinstance(value, str):
            match = re.fullmatch(r"\s*([01]?\d|2[0-3])[:\uff1a]([0-5]\d)\s*", value)
            if match is None:
                raise ValueError(texts.CONFIG_BAD_TIME)
            return time(int(match[1]), int(match[2]))
        return value

    @field_validator("bot_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(texts.CONFIG_BAD_TIMEZONE.format(value=value)) from None
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(texts.CONFIG_BAD_DATABASE_URL)
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(texts.CONFIG_BAD_BASE_URL)
        return value.rstrip("/")

    @field_validator("data_dir")
    @classmethod
    def _check_data_dir(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(texts.CONFIG_NO_DIRECTORY.format(value=value))
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def bot_api_url(self) -> str:
        """Root for Bot API methods; PTB appends the token and the method name."""
        return f"{self.telegram_api_base_url}/bot"

    @property
    def bot_file_url(self) -> str:
        return f"{self.telegram_api_base_url}/file/bot"

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self.admin_ids


_ENV_NAMES = {name: field.validation_alias for name, field in Settings.model_fields.items()}


def load_settings(**overrides: object) -> Settings:
    """Read settings; any invalid value raises ConfigError with one line naming the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = str(first["loc"][0]) if first["loc"] else "?"
        env_name = _ENV_NAMES.get(loc, loc)
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(texts.CONFIG_ERROR.format(name=env_name, problem=message)) from None
