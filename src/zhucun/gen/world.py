"""The generated world: jurisdictions, villages and dispatching units.

``World`` holds only compact per-node arrays (ids, coordinates, flags, id ranges) that the later
tables need; the rows themselves are streamed. Ids are assigned in generation order (1, 2, …),
so that every foreign key is known without reading anything back from the database."""

from __future__ import annotations

import datetime as dt
import math
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from zhucun.policy.geo import wgs84_to_gcj02

from . import names
from .scales import (
    DEHONG_COUNTIES,
    DEHONG_COUNTIES_TINY_FIRST,
    PROVINCE_BY_CODE,
    PROVINCES,
    YUNNAN,
    Province,
    RealPrefecture,
    Scale,
)

Row = tuple[object, ...]

# Village flag bits (World.v_flags).
FORMER_POOR, RELOCATION, BORDER, KEY, WEAK, GCJ02, COMMUNITY = 1, 2, 4, 8, 16, 32, 64
RADII = (300, 400, 500, 500, 600, 800)


@dataclass
class Prefecture:
    jid: int
    code: str  # 12 digits
    name: str
    province: Province
    border: bool
    lat: float
    lng: float
    counties: list[int] = field(default_factory=list)  # indexes into World.counties


@dataclass
class County:
    jid: int
    code: str  # 12 digits
    name: str
    prefecture: int  # index into World.prefectures
    border: bool
    lat: float
    lng: float


@dataclass
class World:
    scale: Scale
    seed: int
    months: list[dt.date]  # first days, in order
    prefectures: list[Prefecture] = field(default_factory=list)
    counties: list[County] = field(default_factory=list)
    t_jid: array = field(default_factory=lambda: array("i"))
    t_county: array = field(default_factory=lambda: array("i"))
    t_name: list[str] = field(default_factory=list)
    t_code: list[str] = field(default_factory=list)
    v_jid: array = field(default_factory=lambda: array("i"))
    v_township: array = field(default_factory=lambda: array("i"))  # index into t_*
    v_lat: array = field(default_factory=lambda: array("d"))  # WGS-84, the true point
    v_lng: array = field(default_factory=lambda: array("d"))
    v_radius: array = field(default_factory=lambda: array("H"))
    v_flags: array = field(default_factory=lambda: array("B"))
    jurisdictions: int = 0
    # dispatching units: (first id, count) per province code / prefecture / county index
    units: int = 0
    prov_units: dict[str, tuple[int, int]] = field(default_factory=dict)
    pref_units: list[tuple[int, int]] = field(default_factory=list)
    county_units: list[tuple[int, int]] = field(default_factory=list)
    # cadres (index = cadre id − 1); filled by people.cadre_rows
    c_village: array = field(default_factory=lambda: array("i"))  # village index
    c_fs: array = field(default_factory=lambda: array("b"))  # 1 = first secretary
    c_arrival: array = field(default_factory=lambda: array("H"))  # days before period start
    c_party: array = field(default_factory=lambda: array("b"))  # 1 = CPC member (full/probat.)
    village_fs: array = field(default_factory=lambda: array("i"))  # cadre id of the FS
    # users: ids of the admin, then per prefecture / county / township, then per cadre
    user_pref0: int = 0
    user_county0: int = 0
    user_township0: int = 0
    user_cadre0: int = 0
    users: int = 0

    @property
    def period_start(self) -> dt.date:
        return self.months[0]

    @property
    def villages(self) -> int:
        return len(self.v_jid)

    @property
    def cadres(self) -> int:
        return len(self.c_village)

    def rng(self, topic: str) -> random.Random:
        return random.Random(f"{self.seed}:{topic}")

    def village_prefecture(self, v: int) -> Prefecture:
        return self.prefectures[self.counties[self.t_county[self.v_township[v]]].prefecture]


# ---- jurisdictions -------------------------------------------------------------------------

JURISDICTION_FIELDS = ("id", "code", "name", "level", "parent", "path")


def _clamp(x: float, bounds: tuple[float, float], margin: float = 0.05) -> float:
    return min(max(x, bounds[0] + margin), bounds[1] - margin)


def _fresh_name(rng: random.Random, used: set[str], suffix: str) -> str:
    for _ in range(10_000):
        name = names.place_stem(rng) + suffix
        if name not in used:
            used.add(name)
            return name
        name = names.place_stem(rng) + names.place_stem(rng)[0] + suffix
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("地名用尽")  # pragma: no cover


def _prefecture_plan(world: World, rng: random.Random, used: set[str]) -> Iterator[tuple]:
    """(province, 4-digit code, name, lat, lng, border, real counties or None, n counties)."""
    scale = world.scale
    for province in [PROVINCE_BY_CODE[c] for c in scale.provinces] or PROVINCES:
        if province.code == "53":
            for p in YUNNAN:
                if scale.only_prefecture and p.code != scale.only_prefecture:
                    continue
                yield province, p, p.counties
            continue
        n = rng.randint(*scale.prefectures)
        for i in range(n):
            name = _fresh_name(rng, used, "市" if rng.random() < 0.85 else "州")
            lat = rng.uniform(*province.lat)
            lng = rng.uniform(*province.lng)
            border = province.border and rng.random() < 0.4
            real = RealPrefecture(f"{province.code}{i + 1:02d}", name, lat, lng, 0, border)
            yield province, real, rng.randint(*scale.counties)


def _county_plan(
    world: World, rng: random.Random, used: set[str], pref: RealPrefecture, n: int
) -> list[tuple[str, str, float, float, bool]]:
    """(6-digit code, name, lat, lng, border) of a prefecture's county-level units."""
    if pref.code == "5331":
        plan = DEHONG_COUNTIES_TINY_FIRST if world.scale.county_limit else DEHONG_COUNTIES
    else:
        plan = []
        districts = min(2, n // 3)
        counties = 0
        for i in range(n):
            if i < districts:
                code, suffix = 2 + i, "区"
            elif i == n - 1 and n > 4:
                code, suffix = 81, "市"
            else:
                code, suffix = 21 + counties, "县"
                counties += 1
            name = _fresh_name(rng, used, suffix)
            lat = pref.lat + rng.uniform(-0.45, 0.45)
            lng = pref.lng + rng.uniform(-0.5, 0.5)
            border = pref.border and rng.random() < 0.4
            plan.append((f"{pref.code}{code:02d}", name, lat, lng, border))
        plan.sort()
    if world.scale.county_limit:
        plan = plan[: world.scale.county_limit]
    return plan


def jurisdiction_rows(world: World) -> Iterator[Row]:
    """The tree, depth first: prefecture, its counties, their townships, their villages.

    ``path`` is built as ``registry.services.jurisdiction_create`` builds it: the parent's path
    plus the node's 12-digit code and "/" (roots: "/" + code + "/")."""
    rng = world.rng("geo")
    used = {p.name for p in PROVINCES} | {p.name for p in YUNNAN} | {c[1] for c in DEHONG_COUNTIES}
    jid = 0
    for province, pref, n_counties in _prefecture_plan(world, rng, used):
        jid += 1
        p_code = f"{pref.code}00000000"
        p_path = f"/{p_code}/"
        p_index = len(world.prefectures)
        prefecture = Prefecture(
            jid, p_code, pref.name, province, pref.border, pref.lat, pref.lng, []
        )
        world.prefectures.append(prefecture)
        yield (jid, p_code, pref.name, "prefecture", None, p_path)
        for c6, c_name, c_lat, c_lng, c_border in _county_plan(world, rng, used, pref, n_counties):
            jid += 1
            c_code = f"{c6}000000"
            c_path = f"{p_path}{c_code}/"
            c_lat, c_lng = _clamp(c_lat, province.lat), _clamp(c_lng, province.lng)
            prefecture.counties.append(len(world.counties))
            world.counties.append(County(jid, c_code, c_name, p_index, c_border, c_lat, c_lng))
            c_jid = jid
            yield (jid, c_code, c_name, "county", prefecture.jid, c_path)
            for row in _townships(world, rng, c6, c_jid, c_path, c_lat, c_lng, c_border, jid):
                jid = row[0]
                yield row
    world.jurisdictions = jid


def _townships(
    world: World,
    rng: random.Random,
    c6: str,
    c_jid: int,
    c_path: str,
    c_lat: float,
    c_lng: float,
    c_border: bool,
    jid: int,
) -> Iterator[Row]:
    scale = world.scale
    province = world.prefectures[-1].province
    dai = province.code == "53"
    n = rng.randint(*scale.townships)
    streets = (1 if n >= 6 else 0) + (1 if n >= 12 else 0)
    towns = max(1, (n - streets) // 2)
    county_index = len(world.counties) - 1
    for i in range(n):
        if i < streets:
            code, kind = 1 + i, "街道"
        elif i < streets + towns:
            code, kind = 101 + i - streets, "镇"
        else:
            code, kind = 201 + i - streets - towns, "乡"
        jid += 1
        t_code = f"{c6}{code:03d}000"
        t_path = f"{c_path}{t_code}/"
        t_name = names.place_stem(rng, dai=dai) + kind
        t_lat = _clamp(c_lat + rng.uniform(-0.12, 0.12), province.lat)
        t_lng = _clamp(c_lng + rng.uniform(-0.12, 0.12), province.lng)
        t_index = len(world.t_jid)
        world.t_jid.append(jid)
        world.t_county.append(county_index)
        world.t_name.append(t_name)
        world.t_code.append(t_code)
        yield (jid, t_code, t_name, "township", c_jid, t_path)
        n_v = rng.randint(*scale.villages)
        communities = n_v if kind == "街道" else 1 if kind == "镇" else 0
        for k in range(n_v):
            community = k < communities
            jid += 1
            v_code = t_code[:9] + (f"{k + 1:03d}" if community else f"{201 + k - communities:03d}")
            v_name = names.village_name(rng, community=community, dai=dai)
            spread = 0.015 if community else 0.045
            lat = _clamp(t_lat + rng.uniform(-spread, spread), province.lat, 0.0)
            lng = _clamp(t_lng + rng.uniform(-spread, spread), province.lng, 0.0)
            world.v_jid.append(jid)
            world.v_township.append(t_index)
            world.v_lat.append(lat)
            world.v_lng.append(lng)
            world.v_radius.append(rng.choice(RADII))
            world.v_flags.append(_village_flags(rng, community, c_border, dai))
            yield (jid, v_code, v_name, "village", world.t_jid[t_index], f"{t_path}{v_code}/")


def _village_flags(rng: random.Random, community: bool, border_county: bool, yunnan: bool) -> int:
    flags = COMMUNITY if community else 0
    if not community and rng.random() < (0.35 if yunnan else 0.2):
        flags |= FORMER_POOR
    if rng.random() < (0.15 if community else 0.03):
        flags |= RELOCATION
    if border_county and rng.random() < (0.2 if community else 0.35):
        flags |= BORDER
    cat3 = flags & (FORMER_POOR | RELOCATION | BORDER)
    if rng.random() < (0.15 if cat3 else 0.05):
        flags |= KEY
    if rng.random() < 0.07:
        flags |= WEAK
    if rng.random() < 0.5:
        flags |= GCJ02
    return flags


# ---- villages ------------------------------------------------------------------------------

VILLAGE_FIELDS = (
    "id",
    "jurisdiction",
    "township",
    "former_poor",
    "relocation",
    "border",
    "key_village",
    "weak_village",
    "checkin_lat",
    "checkin_lng",
    "checkin_datum",
    "checkin_radius_m",
)


def village_rows(world: World) -> Iterator[Row]:
    """One per village node; the check-in point in the village's datum (half GCJ-02)."""
    for v in range(world.villages):
        f = world.v_flags[v]
        lat, lng = world.v_lat[v], world.v_lng[v]
        if f & GCJ02:
            lat, lng = wgs84_to_gcj02(lat, lng)
        yield (
            v + 1,
            world.v_jid[v],
            world.t_jid[world.v_township[v]],
            1 if f & FORMER_POOR else 0,
            1 if f & RELOCATION else 0,
            1 if f & BORDER else 0,
            1 if f & KEY else 0,
            1 if f & WEAK else 0,
            f"{lat:.6f}",
            f"{lng:.6f}",
            "GCJ-02" if f & GCJ02 else "WGS-84",
            world.v_radius[v],
        )


# ---- dispatching units ---------------------------------------------------------------------

UNIT_FIELDS = ("id", "name", "level", "kind", "jurisdiction", "lat", "lng", "address")


def unit_rows(world: World) -> Iterator[Row]:
    """Province-level units (no jurisdiction node: the registry has no province level), then
    per prefecture its units followed by its counties' units."""
    rng = world.rng("units")
    uid = 0
    for code in dict.fromkeys(p.province.code for p in world.prefectures):
        province = PROVINCE_BY_CODE[code]
        first = uid + 1
        for suffix, kind in names.PROVINCE_UNITS:
            uid += 1
            yield (uid, province.name + suffix, "province", kind, None, None, None, "")
        world.prov_units[code] = (first, uid - first + 1)
    for p in world.prefectures:
        first = uid + 1
        for suffix, kind in names.PREFECTURE_UNITS:
            uid += 1
            yield _unit(rng, uid, p.name + suffix, "prefecture", kind, p.jid, p.lat, p.lng)
        world.pref_units.append((first, uid - first + 1))
    world.county_units = [(0, 0)] * len(world.counties)
    for p in world.prefectures:
        for ci in p.counties:
            c = world.counties[ci]
            first = uid + 1
            for suffix, kind in names.COUNTY_UNITS:
                uid += 1
                yield _unit(rng, uid, c.name + suffix, "county", kind, c.jid, c.lat, c.lng)
            world.county_units[ci] = (first, uid - first + 1)
    world.units = uid


def _unit(
    rng: random.Random,
    uid: int,
    name: str,
    level: str,
    kind: str,
    jid: int,
    lat: float,
    lng: float,
) -> Row:
    d_lat = rng.uniform(-0.01, 0.01)
    d_lng = rng.uniform(-0.01, 0.01) / max(math.cos(math.radians(lat)), 0.1)
    address = f"{names.place_stem(rng)}路{rng.randint(1, 300)}号"
    return (uid, name, level, kind, jid, f"{lat + d_lat:.6f}", f"{lng + d_lng:.6f}", address)
