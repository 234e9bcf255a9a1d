"""Volunteer profiles: the city's districts and communities, registration and editing, public names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Role, VolunteerProfile
from bot.services.users import ensure_user
from bot.services.volunteers.errors import InvalidInput, NotRegistered, VolunteerProblem
from bot.services.volunteers.inputs import (
    AVAILABILITY_LIMIT,
    COMMUNITY_LIMIT,
    DISTRICT_LIMIT,
    SKILLS_LIMIT,
    check_name,
    normalize_phone,
)
from bot.timeutil import utcnow
from bot.yaml_files import parse_yaml

DISTRICTS_FILE = "districts.yaml"


# ------------------------------------------------------------------ districts
@dataclass(frozen=True)
class District:
    name: str
    communities: tuple[str, ...]


@dataclass(frozen=True)
class Districts:
    city: str  # "" when the file names no city (the face says 本市 then)
    districts: tuple[District, ...]

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.districts]

    def get(self, name: str) -> District | None:
        return next((d for d in self.districts if d.name == name), None)


@cache
def load_districts(data_dir: Path) -> Districts:
    raw = parse_yaml((data_dir / DISTRICTS_FILE).read_text(encoding="utf-8"))
    return Districts(
        city=str(raw.get("city") or ""),
        districts=tuple(
            District(str(d["name"]), tuple(str(c) for c in d.get("communities", [])))
            for d in raw["districts"]
        ),
    )


# ------------------------------------------------------------------ public names
def mask_name(name: str) -> str:
    """王*明 / 王*: a name on a public list when its owner did not agree to show it."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def leaderboard_name(profile: VolunteerProfile) -> str:
    return profile.real_name if profile.show_on_leaderboard else mask_name(profile.real_name)


# ------------------------------------------------------------------ profiles
PROFILE_FIELDS = (
    "real_name",
    "phone",
    "district",
    "community",
    "skills",
    "availability",
    "show_on_leaderboard",
)


async def get_profile(session: AsyncSession, user_id: int) -> VolunteerProfile | None:
    return await session.get(VolunteerProfile, user_id)


async def require_profile(session: AsyncSession, user_id: int) -> VolunteerProfile:
    profile = await get_profile(session, user_id)
    if profile is None:
        raise NotRegistered()
    return profile


async def register(
    session: AsyncSession,
    user_id: int,
    *,
    real_name: str,
    phone: str,
    district: str,
    community: str = "",
    skills: str = "",
    availability: str = "",
    show_on_leaderboard: bool = False,
    consent_at: datetime | None = None,
    districts: Districts | None = None,
    now: datetime | None = None,
) -> VolunteerProfile:
    """Create or replace a volunteer profile (after consent); a resident becomes a volunteer."""
    values = _checked_profile_values(
        {
            "real_name": real_name,
            "phone": phone,
            "district": district,
            "community": community,
            "skills": skills,
            "availability": availability,
            "show_on_leaderboard": show_on_leaderboard,
        },
        districts,
    )
    user = await ensure_user(session, user_id)
    profile = await get_profile(session, user_id)
    now = now or utcnow()
    if profile is None:
        profile = VolunteerProfile(
            user_id=user_id, consent_at=consent_at or now, created_at=now, updated_at=now
        )
        session.add(profile)
    for name, value in values.items():
        setattr(profile, name, value)
    if user.role is Role.RESIDENT:  # never downgrade staff
        user.role = Role.VOLUNTEER
    if user.consent_at is None:
        user.consent_at = consent_at or now
    await session.flush()
    return profile


async def update_profile(
    session: AsyncSession, user_id: int, districts: Districts | None = None, **changes: Any
) -> VolunteerProfile:
    profile = await require_profile(session, user_id)
    current = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields {unknown}")
    # The district list may have been edited since registration: check it only when it changes.
    relevant = districts if {"district", "community"} & set(changes) else None
    values = _checked_profile_values({**current, **changes}, relevant)
    for name in changes:
        setattr(profile, name, values[name])
    await session.flush()
    return profile


async def set_shift_notices(session: AsyncSession, user_id: int, receive: bool) -> VolunteerProfile:
    """Start or stop the volunteer notices (全体志愿者, 按区县) for one registered volunteer."""
    profile = await require_profile(session, user_id)
    profile.shift_notices = receive
    await session.flush()
    return profile


def _checked_profile_values(values: dict[str, Any], districts: Districts | None) -> dict[str, Any]:
    checked = dict(values)
    checked["real_name"] = check_name(str(values["real_name"]))
    checked["phone"] = normalize_phone(str(values["phone"]))
    checked["skills"] = str(values.get("skills") or "")[:SKILLS_LIMIT]
    checked["availability"] = str(values.get("availability") or "")[:AVAILABILITY_LIMIT]
    checked["community"] = str(values.get("community") or "")[:COMMUNITY_LIMIT]
    checked["show_on_leaderboard"] = bool(values.get("show_on_leaderboard"))
    if districts is not None:
        district = districts.get(str(values["district"]))
        if district is None or (checked["community"] and checked["community"] not in district.communities):
            raise InvalidInput(VolunteerProblem.UNKNOWN_PLACE)
    checked["district"] = str(values["district"])[:DISTRICT_LIMIT]
    return checked
