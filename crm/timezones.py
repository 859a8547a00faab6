"""The time zones a person picks from: canonical names grouped by region, and old aliases mapped.

The list is the tz database's zone.tab (one zone per country and region, as tzselect offers),
read from the tzdata package (a dependency of icalendar) or the system's zoneinfo folder.
Aliases such as US/Eastern or Asia/Calcutta come from tzdata.zi's link lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, available_timezones

UTC = "UTC"
OTHER = "Other"


def _tz_file(name: str) -> str | None:
    """The text of one tz database file, from the tzdata package or the system's zoneinfo."""
    try:
        return (resources.files("tzdata.zoneinfo") / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        pass
    for folder in TZPATH:
        path = Path(folder) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def _rows(text: str | None) -> Iterable[list[str]]:
    for line in (text or "").splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


@cache
def country_names() -> dict[str, str]:
    """ISO 3166 country code to the tz database's English country name."""
    return {row[0]: row[1] for row in _rows(_tz_file("iso3166.tab")) if len(row) >= 2}


@cache
def canonical_zones() -> dict[str, str]:
    """Each zone a person can pick, with its country's name ("" when unknown)."""
    known = available_timezones()
    names = country_names()
    zones = {
        row[2]: names.get(row[0], "")
        for row in _rows(_tz_file("zone.tab"))
        if len(row) >= 3 and row[2] in known
    }
    if not zones:
        # No zone.tab anywhere: Region/City names are the best guess at what people expect.
        zones = {
            name: ""
            for name in known
            if "/" in name and name.split("/")[0] not in ("Etc", "SystemV", "US", "posix", "right")
        }
    zones[UTC] = ""
    return zones


@cache
def aliases() -> dict[str, str]:
    """Old or alternative names (Asia/Calcutta, US/Eastern) to a zone from the list."""
    links = _tz_links()
    zones = canonical_zones()
    result: dict[str, str] = {}
    for alias, target in links.items():
        listed = _listed_target(target, links, zones)
        if alias not in zones and listed is not None:
            result[alias] = listed
    for name in _UTC_NAMES:
        result.setdefault(name, UTC)
    return result


# Names for UTC itself and for Greenwich time, which never changes its clocks either.
_UTC_NAMES = (
    *("Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu"),
    *("GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich", "Etc/GMT", "Etc/Greenwich"),
    *("Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0"),
)


def _tz_links() -> dict[str, str]:
    """The links of the tz database (tzdata.zi's "L target alias" lines), alias to target."""
    links: dict[str, str] = {}
    for line in (_tz_file("tzdata.zi") or "").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    return links


def _listed_target(target: str, links: dict[str, str], zones: Mapping[str, str]) -> str | None:
    """The listed zone a link leads to, following links to links (a few deep), or None."""
    for _ in range(5):
        if target in zones or target not in links:
            break
        target = links[target]
    return target if target in zones else None


def canonical(name: str | None) -> str | None:
    """The listed zone for a name or one of its aliases; None for a name not in the list."""
    if not name:
        return None
    if name in canonical_zones():
        return name
    return aliases().get(name)


def _label(name: str, country: str) -> str:
    """'Kolkata (India)', 'Argentina / Buenos Aires'."""
    place = " / ".join(part.replace("_", " ") for part in name.split("/")[1:]) or name
    return f"{place} ({country})" if country and country not in place else place


@cache
def grouped_choices() -> dict[str, list[tuple[str, str]]]:
    """Zones for a <select>: UTC first, then by region (Africa, America, ...), cities sorted."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, country in canonical_zones().items():
        if name == UTC:
            continue
        region = name.split("/")[0] if "/" in name else OTHER
        groups.setdefault(region, []).append((name, _label(name, country)))
    result = {"Universal": [(UTC, "UTC (Coordinated Universal Time)")]}
    for region in sorted(groups):
        result[region] = sorted(groups[region], key=lambda choice: choice[1])
    return result
