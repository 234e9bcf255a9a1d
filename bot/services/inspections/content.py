"""Load and validate ``data/standards.yaml`` and ``data/sites.yaml`` against the departments and
districts files.

A city replaces these files without touching code, so every mistake is reported as ONE line naming
the file and the entry: ``ContentError`` carries a ``ContentProblem`` code, the file and the place;
the face words it, and ``chuangwen run`` and ``chuangwen inspections check`` print that line.

Who answers for a failed item (谁主管、谁负责): each item names a kind of unit; "site" is the site's
own responsible unit, any other kind is the unit the sites file names for it (``responsible``),
unless the site names its own (``units``). Units are the departments of ``departments.yaml`` (their
group chat from there) and the communities of ``districts.yaml`` the sites file lists under
``units`` (with their group chat).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from bot.services import DomainError
from bot.services.volunteers.attendance import haversine_meters
from bot.yaml_files import parse_yaml

STANDARDS_FILE = "standards.yaml"
SITES_FILE = "sites.yaml"
DEPARTMENTS_FILE = "departments.yaml"
DISTRICTS_FILE = "districts.yaml"
SITE_KIND = "site"  # the unit kind meaning "the site's own responsible unit"
FULL_SCORE = 100.0
MAX_POINTS = 100.0
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,32}")
MAX_TEXT = 120  # characters of a check, a name or an address


class ContentProblem(StrEnum):
    """What is wrong with a content file (the codes of ``ContentError``); parameters in comments."""

    MISSING_FILE = "inspections.content.missing_file"
    YAML_SYNTAX = "inspections.content.yaml_syntax"
    NOT_MAPPING = "inspections.content.not_mapping"
    NO_LIST = "inspections.content.no_list"  # key
    MISSING_TEXT = "inspections.content.missing_text"  # key
    TEXT_TOO_LONG = "inspections.content.text_too_long"  # key, limit
    BAD_ID = "inspections.content.bad_id"  # value
    DUPLICATE_ID = "inspections.content.duplicate_id"  # value
    BAD_POINTS = "inspections.content.bad_points"  # value, limit
    BAD_FLAG = "inspections.content.bad_flag"  # key
    UNKNOWN_UNIT_KIND = "inspections.content.unknown_unit_kind"  # value
    NO_ITEMS = "inspections.content.no_items"
    UNKNOWN_SITE_TYPE = "inspections.content.unknown_site_type"  # value
    UNKNOWN_DISTRICT = "inspections.content.unknown_district"  # value
    UNKNOWN_COMMUNITY = "inspections.content.unknown_community"  # value, district
    UNKNOWN_UNIT = "inspections.content.unknown_unit"  # value
    UNIT_CLASH = "inspections.content.unit_clash"  # value
    BAD_CHAT = "inspections.content.bad_chat"  # value
    BAD_COORDINATES = "inspections.content.bad_coordinates"
    UNRESOLVED_KIND = "inspections.content.unresolved_kind"  # kind, item
    OTHER_FILE = "inspections.content.other_file"  # error (the departments or districts file)


class PlaceKind(StrEnum):
    """Where in a file: a unit kind, a site type, an item, a unit, a site (numbered from 1)."""

    UNIT_KIND = "unit_kind"
    SITE_TYPE = "site_type"
    ITEM = "item"
    UNIT = "unit"
    SITE = "site"
    RESPONSIBLE = "responsible"


@dataclass(frozen=True)
class Place:
    kind: PlaceKind
    number: int
    name: str = ""  # the id, when the entry has one


class ContentError(DomainError):
    """A standards or sites file is malformed: ``file``, ``place`` (None for the whole file) and
    the problem's own parameters."""

    def __init__(self, problem: ContentProblem, file: str, place: Place | None = None, **params: Any) -> None:
        super().__init__(code=problem, **params)
        self.problem = problem
        self.file = file
        self.place = place


@dataclass(frozen=True)
class StandardItem:
    id: str
    check: str  # what the inspector looks at, in plain words
    points: float  # deducted when failed
    negative: bool  # 负面清单: a shorter deadline
    unit_kind: str


@dataclass(frozen=True)
class SiteType:
    id: str
    name: str
    items: tuple[StandardItem, ...]


@dataclass(frozen=True)
class Standards:
    unit_kinds: Mapping[str, str]  # kind → its name
    site_types: Mapping[str, SiteType]  # in the file's order

    @property
    def items(self) -> dict[str, StandardItem]:
        return {item.id: item for kind in self.site_types.values() for item in kind.items}

    @property
    def item_count(self) -> int:
        return sum(len(kind.items) for kind in self.site_types.values())


@dataclass(frozen=True)
class Unit:
    """Who answers for sites and items: a department, or a community of a district."""

    id: str
    name: str
    chat_id: int | None  # its group; None: the campaign staff chat takes its cards
    district: str | None = None  # a community's district (None for a department)


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    type: str
    district: str
    address: str
    latitude: float
    longitude: float
    unit: str  # its responsible unit (its score is the unit's)
    units: Mapping[str, str] = field(default_factory=dict)  # unit kind → unit, for this site only

    def distance_to(self, latitude: float, longitude: float) -> float:
        return haversine_meters(latitude, longitude, self.latitude, self.longitude)


@dataclass(frozen=True)
class ChecklistLine:
    position: int
    item: StandardItem
    unit_id: str


@dataclass(frozen=True)
class InspectionContent:
    """The standards, the sites and the units, checked against each other."""

    city: str
    standards: Standards
    units: Mapping[str, Unit]
    sites: Mapping[str, Site]  # in the file's order
    responsible: Mapping[str, str]  # unit kind → unit (city-wide)
    districts: tuple[str, ...]  # the districts file's order

    def site(self, site_id: str) -> Site | None:
        return self.sites.get(site_id)

    def unit_name(self, unit_id: str) -> str:
        unit = self.units.get(unit_id)
        return unit.name if unit else unit_id

    def site_name(self, site_id: str) -> str:
        site = self.sites.get(site_id)
        return site.name if site else site_id

    def item(self, item_id: str) -> StandardItem | None:
        return self.standards.items.get(item_id)

    def type_name(self, type_id: str) -> str:
        kind = self.standards.site_types.get(type_id)
        return kind.name if kind else type_id

    def unit_for(self, site: Site, item: StandardItem) -> str:
        """The unit that rectifies ``item`` at ``site``."""
        if item.unit_kind == SITE_KIND:
            return site.unit
        return site.units.get(item.unit_kind) or self.responsible[item.unit_kind]

    def checklist(self, site: Site) -> list[ChecklistLine]:
        items = self.standards.site_types[site.type].items
        return [ChecklistLine(n, item, self.unit_for(site, item)) for n, item in enumerate(items)]

    def nearest(self, latitude: float, longitude: float, limit: int) -> list[tuple[Site, float]]:
        """The ``limit`` sites nearest to a point, with their distance in metres."""
        ranked = sorted(
            ((site, site.distance_to(latitude, longitude)) for site in self.sites.values()),
            key=lambda pair: pair[1],
        )
        return ranked[:limit]

    def search(self, words: str, limit: int) -> list[Site]:
        """Sites whose name, address, district or id contains every word typed (case-insensitive)."""
        terms = [t for t in re.split(r"\s+", words.strip().lower()) if t]
        if not terms:
            return []
        found = [
            site
            for site in self.sites.values()
            if all(t in f"{site.name} {site.address} {site.district} {site.id}".lower() for t in terms)
        ]
        return found[:limit]


# ---------------------------------------------------------------- loading
def load_content(data_dir: Path) -> InspectionContent:
    """Read and check the four files; ContentError names the first problem found."""
    departments = _departments(data_dir)
    city, districts = _districts(data_dir)
    standards = load_standards(data_dir / STANDARDS_FILE)
    return _sites(data_dir / SITES_FILE, standards, departments, districts, city)


def load_standards(path: Path) -> Standards:
    file = _display(path)
    raw = _read(path, file)
    kinds_raw = raw.get("unit_kinds")
    if not isinstance(kinds_raw, dict) or not kinds_raw:
        raise ContentError(ContentProblem.NO_LIST, file, key="unit_kinds")
    unit_kinds: dict[str, str] = {}
    for n, (kind, name) in enumerate(kinds_raw.items(), 1):
        place = Place(PlaceKind.UNIT_KIND, n, str(kind))
        unit_kinds[_id(kind, file, place, set(unit_kinds))] = _text({"name": name}, "name", file, place)
    if SITE_KIND not in unit_kinds:
        raise ContentError(ContentProblem.UNKNOWN_UNIT_KIND, file, value=SITE_KIND)
    types: dict[str, SiteType] = {}
    item_ids: set[str] = set()
    for n, entry in enumerate(_list(raw, "site_types", file), 1):
        place = Place(PlaceKind.SITE_TYPE, n, str(entry.get("id", "")) if isinstance(entry, dict) else "")
        entry = _mapping(entry, file, place)
        type_id = _id(entry.get("id"), file, place, set(types))
        items = []
        for m, raw_item in enumerate(entry.get("items") or [], 1):
            items.append(_item(raw_item, file, m, unit_kinds, item_ids))
        if not items:
            raise ContentError(ContentProblem.NO_ITEMS, file, place)
        types[type_id] = SiteType(type_id, _text(entry, "name", file, place), tuple(items))
    return Standards(unit_kinds, types)


def _item(raw: Any, file: str, number: int, unit_kinds: Mapping[str, str], seen: set[str]) -> StandardItem:
    place = Place(PlaceKind.ITEM, number, str(raw.get("id", "")) if isinstance(raw, dict) else "")
    entry = _mapping(raw, file, place)
    item_id = _id(entry.get("id"), file, place, seen)
    seen.add(item_id)
    points = entry.get("points")
    if isinstance(points, bool) or not isinstance(points, int | float) or not 0 < points <= MAX_POINTS:
        raise ContentError(ContentProblem.BAD_POINTS, file, place, value=points, limit=MAX_POINTS)
    negative = entry.get("negative", False)
    if not isinstance(negative, bool):
        raise ContentError(ContentProblem.BAD_FLAG, file, place, key="negative")
    kind = entry.get("unit")
    if kind not in unit_kinds:
        raise ContentError(ContentProblem.UNKNOWN_UNIT_KIND, file, place, value=kind)
    return StandardItem(item_id, _text(entry, "check", file, place), float(points), negative, str(kind))


def _sites(
    path: Path,
    standards: Standards,
    departments: dict[str, Unit],
    districts: dict[str, tuple[str, ...]],
    city: str,
) -> InspectionContent:
    file = _display(path)
    raw = _read(path, file)
    units: dict[str, Unit] = dict(departments)
    for n, entry in enumerate(raw.get("units") or [], 1):
        place = Place(PlaceKind.UNIT, n, str(entry.get("id", "")) if isinstance(entry, dict) else "")
        entry = _mapping(entry, file, place)
        unit_id = _id(entry.get("id"), file, place, set())
        if unit_id in units:
            raise ContentError(ContentProblem.UNIT_CLASH, file, place, value=unit_id)
        district = _text(entry, "district", file, place)
        if district not in districts:
            raise ContentError(ContentProblem.UNKNOWN_DISTRICT, file, place, value=district)
        community = _text(entry, "community", file, place)
        if community not in districts[district]:
            raise ContentError(
                ContentProblem.UNKNOWN_COMMUNITY, file, place, value=community, district=district
            )
        units[unit_id] = Unit(unit_id, f"{district}{community}", _chat(entry, file, place), district)
    responsible_raw = raw.get("responsible") or {}
    if not isinstance(responsible_raw, dict):
        raise ContentError(ContentProblem.NOT_MAPPING, file, Place(PlaceKind.RESPONSIBLE, 1))
    responsible: dict[str, str] = {}
    for n, (kind, unit_id) in enumerate(responsible_raw.items(), 1):
        place = Place(PlaceKind.RESPONSIBLE, n, str(kind))
        if kind not in standards.unit_kinds or kind == SITE_KIND:
            raise ContentError(ContentProblem.UNKNOWN_UNIT_KIND, file, place, value=kind)
        if unit_id not in units:
            raise ContentError(ContentProblem.UNKNOWN_UNIT, file, place, value=unit_id)
        responsible[str(kind)] = str(unit_id)
    sites: dict[str, Site] = {}
    for n, entry in enumerate(_list(raw, "sites", file), 1):
        place = Place(PlaceKind.SITE, n, str(entry.get("id", "")) if isinstance(entry, dict) else "")
        site = _site(entry, file, place, standards, units, districts, set(sites))
        for item in standards.site_types[site.type].items:
            if item.unit_kind != SITE_KIND and item.unit_kind not in {**site.units, **responsible}:
                raise ContentError(
                    ContentProblem.UNRESOLVED_KIND, file, place, kind=item.unit_kind, item=item.id
                )
        sites[site.id] = site
    return InspectionContent(
        str(raw.get("city") or city), standards, units, sites, responsible, tuple(districts)
    )


def _site(
    raw: Any,
    file: str,
    place: Place,
    standards: Standards,
    units: Mapping[str, Unit],
    districts: Mapping[str, tuple[str, ...]],
    seen: set[str],
) -> Site:
    entry = _mapping(raw, file, place)
    site_id = _id(entry.get("id"), file, place, seen)
    site_type = entry.get("type")
    if site_type not in standards.site_types:
        raise ContentError(ContentProblem.UNKNOWN_SITE_TYPE, file, place, value=site_type)
    district = _text(entry, "district", file, place)
    if district not in districts:
        raise ContentError(ContentProblem.UNKNOWN_DISTRICT, file, place, value=district)
    latitude, longitude = entry.get("latitude"), entry.get("longitude")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (latitude, longitude)):
        raise ContentError(ContentProblem.BAD_COORDINATES, file, place)
    assert isinstance(latitude, int | float) and isinstance(longitude, int | float)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or not all(
        math.isfinite(v) for v in (latitude, longitude)
    ):
        raise ContentError(ContentProblem.BAD_COORDINATES, file, place)
    unit = entry.get("unit")
    if unit not in units:
        raise ContentError(ContentProblem.UNKNOWN_UNIT, file, place, value=unit)
    overrides_raw = entry.get("units") or {}
    if not isinstance(overrides_raw, dict):
        raise ContentError(ContentProblem.NOT_MAPPING, file, place)
    overrides: dict[str, str] = {}
    for kind, unit_id in overrides_raw.items():
        if kind not in standards.unit_kinds or kind == SITE_KIND:
            raise ContentError(ContentProblem.UNKNOWN_UNIT_KIND, file, place, value=kind)
        if unit_id not in units:
            raise ContentError(ContentProblem.UNKNOWN_UNIT, file, place, value=unit_id)
        overrides[str(kind)] = str(unit_id)
    return Site(
        site_id,
        _text(entry, "name", file, place),
        str(site_type),
        district,
        _text(entry, "address", file, place),
        float(latitude),
        float(longitude),
        str(unit),
        overrides,
    )


def _departments(data_dir: Path) -> dict[str, Unit]:
    from bot.services.classifier import TaxonomyError, load_departments

    try:
        found = load_departments(data_dir / DEPARTMENTS_FILE)
    except TaxonomyError as error:
        raise ContentError(ContentProblem.OTHER_FILE, DEPARTMENTS_FILE, error=str(error)) from None
    return {key: Unit(key, d.name, d.chat_id) for key, d in found.items()}


def _districts(data_dir: Path) -> tuple[str, dict[str, tuple[str, ...]]]:
    path = data_dir / DISTRICTS_FILE
    raw = _read(path, DISTRICTS_FILE)
    try:
        districts = {
            str(d["name"]): tuple(str(c) for c in d.get("communities") or []) for d in raw["districts"]
        }
    except (KeyError, TypeError, AttributeError) as error:
        raise ContentError(ContentProblem.OTHER_FILE, DISTRICTS_FILE, error=repr(error)) from None
    return str(raw.get("city") or ""), districts


# ---------------------------------------------------------------- small readers
def _display(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _read(path: Path, file: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(ContentProblem.MISSING_FILE, file) from None
    try:
        raw = parse_yaml(text)
    except yaml.YAMLError:
        raise ContentError(ContentProblem.YAML_SYNTAX, file) from None
    if not isinstance(raw, dict):
        raise ContentError(ContentProblem.NOT_MAPPING, file)
    return raw


def _list(raw: Mapping[str, Any], key: str, file: str) -> Iterator[Any]:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise ContentError(ContentProblem.NO_LIST, file, key=key)
    yield from value


def _mapping(raw: Any, file: str, place: Place) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ContentError(ContentProblem.NOT_MAPPING, file, place)
    return raw


def _id(value: Any, file: str, place: Place, seen: set[str]) -> str:
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    if not ID_PATTERN.fullmatch(text):
        raise ContentError(ContentProblem.BAD_ID, file, place, value=value)
    if text in seen:
        raise ContentError(ContentProblem.DUPLICATE_ID, file, place, value=text)
    return text


def _text(entry: Mapping[str, Any], key: str, file: str, place: Place) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(ContentProblem.MISSING_TEXT, file, place, key=key)
    if len(value.strip()) > MAX_TEXT:
        raise ContentError(ContentProblem.TEXT_TOO_LONG, file, place, key=key, limit=MAX_TEXT)
    return value.strip()


def _chat(entry: Mapping[str, Any], file: str, place: Place) -> int | None:
    value = entry.get("chat_id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value >= 0:
        raise ContentError(ContentProblem.BAD_CHAT, file, place, value=value)
    return value
