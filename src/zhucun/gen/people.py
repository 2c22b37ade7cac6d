"""Cadres, their postings, the users and the parameter values of the generated prefectures.

Every village gets a team: one first secretary (``first_secretary``) and two to four team
members (``team_member``), all with exactly one ``active`` posting (SEL.COND.MUST3), arrived
before the generated period. First secretaries are full party members with at least one year
since 转正 and two years of work before arrival (SEL.SRC.FS_PARTY / FS_WORK); everyone is
23–44 years old on arrival (SEL.SRC.AGE)."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from . import names
from .ids import IdIssuer, PhoneIssuer
from .world import Row, World

M64 = (1 << 64) - 1
UNUSABLE_PASSWORD = "!"


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def mix64(x: int) -> int:
    """SplitMix64's finaliser: 64 well-mixed bits from any integer."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def identity(world: World, cid: int) -> tuple[bool, str, str]:
    """(female, ethnicity, name) of cadre ``cid``, the same in every table."""
    yunnan = world.village_prefecture(world.c_village[cid - 1]).province.code == "53"
    return names.person_from_hash(mix64(mix64(world.seed) ^ cid), yunnan=yunnan)


def local_utc(day: dt.date, hh: int, mm: int = 0) -> str:
    """A local (UTC+8) time of ``day`` as the UTC timestamp the database stores."""
    t = dt.datetime(day.year, day.month, day.day, hh, mm) - dt.timedelta(hours=8)
    return t.strftime("%Y-%m-%d %H:%M:%S")


# ---- cadres --------------------------------------------------------------------------------

CADRE_FIELDS = (
    "id",
    "name",
    "gender",
    "ethnicity",
    "id_number",
    "phone",
    "birth_date",
    "education",
    "unit",
    "post",
    "party_status",
    "full_member_since",
    "work_start_date",
    "occupation",
    "occupation_code",
    "health_fit",
    "family_hardship",
    "spouse",
    "is_xuandiao",
    "tech_commissioner",
    "talent_program",
    "rural_experience",
    "agri_specialty",
    "retired",
    "age_exception",
    "age_exception_note",
)


def cadre_rows(world: World) -> Iterator[Row]:
    """The teams, village by village (fills the World's per-cadre arrays)."""
    rng = world.rng("cadres")
    start = world.period_start
    ids = IdIssuer(
        first_birth=add_years(start, -44) + dt.timedelta(days=1),
        last_birth=add_years(start, -25),
        seed=world.seed,
    )
    phones = PhoneIssuer(world.seed)
    sizes = [s for s, _ in world.scale.team_sizes]
    weights = [w for _, w in world.scale.team_sizes]
    province_counties: dict[str, list[int]] = {}
    for i, c in enumerate(world.counties):
        code = world.prefectures[c.prefecture].province.code
        province_counties.setdefault(code, []).append(i)
    edu = [e for e, _ in names.EDUCATION]
    edu_cum = list(itertools.accumulate(w for _, w in names.EDUCATION))
    cid = 0
    for v in range(world.villages):
        county = world.t_county[world.v_township[v]]
        pref = world.counties[county].prefecture
        prefecture = world.prefectures[pref]
        size = rng.choices(sizes, weights)[0]
        base = rng.randint(20, 700)
        for j in range(size):
            cid += 1
            fs = j == 0
            offset = base if fs or rng.random() >= 0.15 else rng.randint(10, base)
            world.c_village.append(v)
            world.c_fs.append(1 if fs else 0)
            world.c_arrival.append(offset)
            if fs:
                world.village_fs.append(cid)
            female, ethnicity, name = identity(world, cid)
            pool = (
                prefecture.counties
                if rng.random() < 0.8
                else province_counties[prefecture.province.code]
            )
            area = world.counties[rng.choice(pool)].code[:6]
            number, birth = ids.issue(area, female)
            r = rng.random()
            first, count = (
                world.county_units[county]
                if r < 0.65
                else world.pref_units[pref]
                if r < 0.93
                else world.prov_units[prefecture.province.code]
            )
            arrival = start - dt.timedelta(days=offset)
            adult = add_years(birth, 18)
            cap = add_years(arrival, -2 if fs else 0) - dt.timedelta(days=30)
            work = add_years(birth, 22) + dt.timedelta(days=rng.randint(0, 1000))
            work = max(min(work, cap), adult)
            if fs or rng.random() < 0.75:
                party = "full"
                lo = add_years(work, 1) if fs else add_years(birth, 20)
                hi = add_years(arrival, -1 if fs else 0) - dt.timedelta(days=30)
                since = hi if lo >= hi else lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
                since_s: str | None = since.isoformat()
            else:
                party = "probationary" if rng.random() < 0.4 else "none"
                since_s = None
            world.c_party.append(0 if party == "none" else 1)
            yield (
                cid,
                name,
                "female" if female else "male",
                ethnicity,
                number,
                phones.issue(cid),
                birth.isoformat(),
                edu[bisect.bisect(edu_cum, rng.random() * edu_cum[-1])],
                first + rng.randrange(count),
                rng.choice(names.POSTS),
                party,
                since_s,
                work.isoformat(),
                "",
                "",
                1,
                0,  # family_hardship: SEL.COND.NO4 bars it
                None,
                1 if not fs and rng.random() < 0.06 else 0,
                1 if rng.random() < 0.05 else 0,
                1 if rng.random() < 0.03 else 0,
                1 if rng.random() < 0.4 else 0,
                1 if rng.random() < 0.15 else 0,
                0,
                0,
                "",
            )


# ---- postings ------------------------------------------------------------------------------

POSTING_FIELDS = (
    "id",
    "cadre",
    "village",
    "role",
    "arrival_date",
    "planned_end",
    "actual_end",
    "status",
    "fs_appointed_on",
    "party_transfer_on",
)


def posting_rows(world: World) -> Iterator[Row]:
    """Exactly one active posting per cadre (posting id = cadre id)."""
    rng = world.rng("postings")
    start = world.period_start
    for i in range(world.cadres):
        fs = world.c_fs[i]
        arrival = start - dt.timedelta(days=world.c_arrival[i])
        yield (
            i + 1,
            i + 1,
            world.c_village[i] + 1,
            "first_secretary" if fs else "team_member",
            arrival.isoformat(),
            add_years(arrival, 2).isoformat(),
            None,
            "active",
            (arrival + dt.timedelta(days=rng.randint(0, 9))).isoformat() if fs else None,
            (arrival + dt.timedelta(days=rng.randint(3, 14))).isoformat()
            if world.c_party[i]
            else None,  # 党组织关系转入: party members only
        )


# ---- users ---------------------------------------------------------------------------------

USER_FIELDS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "role",
    "display_name",
    "jurisdiction",
    "unit",
    "cadre",
    "village",
    "must_change_password",
)


def user_rows(world: World) -> Iterator[Row]:
    """admin; one user per prefecture, county and township; one per posted cadre. Every
    password is unusable ("!"): set one with ``zhucun changepassword USERNAME``."""
    joined = local_utc(world.period_start - dt.timedelta(days=800), 9)

    def office(uid: int, username: str, role: str, name: str, jid: int | None) -> Row:
        staff = 1 if role == "admin" else 0  # the admin is superuser and staff
        return (
            uid,
            UNUSABLE_PASSWORD,
            None,  # last_login
            staff,
            username,
            "",
            "",
            "",
            staff,
            1,
            joined,
            role,
            name,
            jid,
            None,  # unit
            None,  # cadre
            None,  # village
            0,  # must_change_password: the password is unusable until an administrator sets one
        )

    yield office(1, "admin", "admin", "系统管理员", None)
    uid = 1
    world.user_pref0 = uid + 1
    for p in world.prefectures:
        uid += 1
        yield office(uid, f"prefecture_{p.code[:4]}", "prefecture", f"{p.name}驻村办", p.jid)
    world.user_county0 = uid + 1
    for c in world.counties:
        uid += 1
        yield office(uid, f"county_{c.code[:6]}", "county", f"{c.name}驻村办", c.jid)
    world.user_township0 = uid + 1
    for t in range(len(world.t_jid)):
        uid += 1
        name = f"{world.t_name[t]}党委"
        yield office(uid, f"township_{world.t_code[t][:9]}", "township", name, world.t_jid[t])
    world.user_cadre0 = uid
    start = world.period_start
    for i in range(world.cadres):
        cid = i + 1
        role = "first_secretary" if world.c_fs[i] else "team_member"
        arrival = start - dt.timedelta(days=world.c_arrival[i])
        yield (
            uid + cid,
            UNUSABLE_PASSWORD,
            None,
            0,
            f"cadre_{cid}",
            "",
            "",
            "",
            0,
            1,
            local_utc(arrival, 9),
            role,
            identity(world, cid)[2],
            None,
            None,
            cid,
            None,
            0,  # must_change_password
        )
    world.users = uid + world.cadres


def cadre_user(world: World, cid: int) -> int:
    return world.user_cadre0 + cid


def township_user(world: World, township_index: int) -> int:
    return world.user_township0 + township_index


# ---- parameter values ----------------------------------------------------------------------

PARAMETER_FIELDS = (
    "id",
    "name",
    "jurisdiction",
    "effective",
    "value",
    "note",
    "created_by",
    "created_at",
)


def _json_value(value: object) -> str:
    if isinstance(value, Fraction):
        return json.dumps(f"{value.numerator}/{value.denominator}")
    if isinstance(value, Decimal):
        return json.dumps(str(value))
    return json.dumps(value)


def parameter_rows(world: World) -> Iterator[Row]:
    """The parameter file gives values for its home jurisdiction (德宏州 533100) only; every
    other generated prefecture adopts them as its own database values (params.ParameterValue,
    as a prefecture adapting the system would), so that the month close and the check-in
    judgement find a value everywhere."""
    from zhucun.params.selectors import base_parameters

    params = base_parameters()
    home = params.home_jurisdiction
    created = local_utc(world.period_start - dt.timedelta(days=800), 10)
    pid = 0
    for p in world.prefectures:
        if p.code == home:
            continue
        for entry in params:
            for value in entry.values:
                if value.jurisdiction != home:
                    continue
                pid += 1
                note = f"合成数据:沿用{home[:6]}的取值"
                yield (
                    pid,
                    entry.name,
                    p.jid,
                    value.effective.isoformat(),
                    _json_value(value.value),
                    note,
                    1,
                    created,
                )
