"""A small, fully known world for tests, built through the real services.

德宏州 533100 → 芒市 533103 (遮放镇 533103102: 村A 3类村(抵边), 村B 普通村)
              → 瑞丽市 533102 (勐卯街道 533102001: 村C)
Units: 州农业农村局 (prefecture), 芒市人民医院 (county, 芒市), 瑞丽市财政局 (county, 瑞丽市).
One user per role; ``w.users[role]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from zhucun.accounts.models import User, UserRole
from zhucun.registry import services
from zhucun.registry.models import Cadre, DispatchingUnit, Posting, Village

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(birth: dt.date, serial: int, area: str = "533103") -> str:
    body = f"{area}{birth:%Y%m%d}{serial % 1000:03d}"
    return (
        body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    )


def cadre_data(**over: Any) -> dict[str, Any]:
    birth = over.pop("birth_date", dt.date(1990, 5, 17))
    serial = over.pop("serial", 1)
    data: dict[str, Any] = {
        "name": "张三",
        "gender": "男",
        "ethnicity": "汉族",
        "id_number": make_id_number(birth, serial),
        "phone": "13988776655",
        "birth_date": birth,
        "education": "大学本科",
        "unit_name": "德宏州农业农村局",
        "post": "科员",
        "party_status": "full",
        "full_member_since": dt.date(2015, 7, 1),
        "work_start_date": dt.date(2012, 8, 1),
        "occupation": "公务员",
        "occupation_code": "",
        "health_fit": True,
        "family_hardship": False,
        "spouse_id_number": "",
        "is_xuandiao": False,
        "tech_commissioner": False,
        "talent_program": False,
        "rural_experience": False,
        "agri_specialty": False,
        "retired": False,
        "age_exception": False,
        "age_exception_note": "",
    }
    data.update(over)
    return data


@dataclass
class World:
    admin: User
    villages: dict[str, Village] = field(default_factory=dict)
    units: dict[str, DispatchingUnit] = field(default_factory=dict)
    cadres: dict[str, Cadre] = field(default_factory=dict)
    postings: dict[str, Posting] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def build_world() -> World:
    admin = User.objects.create_user(
        "admin", password="pw", role=UserRole.ADMIN, display_name="管理员"
    )
    w = World(admin=admin)
    S = services
    S.jurisdiction_create(
        actor=admin, code="533100000000", name="德宏傣族景颇族自治州", level="prefecture"
    )
    S.jurisdiction_create(
        actor=admin, code="533103000000", name="芒市", level="county", parent_code="533100000000"
    )
    S.jurisdiction_create(
        actor=admin, code="533102000000", name="瑞丽市", level="county", parent_code="533100000000"
    )
    S.jurisdiction_create(
        actor=admin,
        code="533103102000",
        name="遮放镇",
        level="township",
        parent_code="533103000000",
    )
    S.jurisdiction_create(
        actor=admin,
        code="533102001000",
        name="勐卯街道",
        level="township",
        parent_code="533102000000",
    )
    w.villages["A"] = S.village_create(
        actor=admin,
        code="533103102001",
        name="弄坎村",
        township_code="533103102000",
        border=True,
        checkin_lat="24.256",
        checkin_lng="98.276",
        checkin_datum="GCJ-02",
        checkin_radius_m=500,
    )
    w.villages["B"] = S.village_create(
        actor=admin, code="533103102002", name="拉勐村", township_code="533103102000"
    )
    w.villages["C"] = S.village_create(
        actor=admin,
        code="533102001001",
        name="团结村",
        township_code="533102001000",
        former_poor=True,
    )
    S.jurisdiction_create(
        actor=admin,
        code="533103102001001",
        name="弄坎一组",
        level="village_group",
        parent_code="533103102001",
    )
    w.units["pref"] = S.unit_create(
        actor=admin,
        data={
            "name": "德宏州农业农村局",
            "level": "prefecture",
            "kind": "organ",
            "jurisdiction_code": "533100000000",
        },
    )
    w.units["mangshi"] = S.unit_create(
        actor=admin,
        data={
            "name": "芒市人民医院",
            "level": "county",
            "kind": "institution",
            "jurisdiction_code": "533103000000",
        },
    )
    w.units["ruili"] = S.unit_create(
        actor=admin,
        data={
            "name": "瑞丽市财政局",
            "level": "county",
            "kind": "organ",
            "jurisdiction_code": "533102000000",
        },
    )
    specs = {
        "fs_a": dict(name="岳文华", serial=11, unit_name="德宏州农业农村局"),
        "tm_a": dict(
            name="线美玲",
            gender="女",
            ethnicity="傣族",
            serial=12,
            unit_name="芒市人民医院",
            party_status="none",
            full_member_since=None,
        ),
        "fs_b": dict(name="排早腊", ethnicity="景颇族", serial=13, unit_name="德宏州农业农村局"),
        "fs_c": dict(name="李国强", serial=14, unit_name="瑞丽市财政局"),
        "spare": dict(name="赵小兵", serial=15, unit_name="芒市人民医院"),
    }
    for key, spec in specs.items():
        w.cadres[key] = S.cadre_create(actor=admin, data=cadre_data(**spec))
    for key, village, role in (
        ("fs_a", "A", "first_secretary"),
        ("tm_a", "A", "team_member"),
        ("fs_b", "B", "first_secretary"),
        ("fs_c", "C", "first_secretary"),
    ):
        w.postings[key] = S.posting_create(
            actor=admin,
            data={
                "id_number": w.cadres[key].id_number,
                "village_code": w.villages[village].jurisdiction.code,
                "role": role,
                "arrival_date": dt.date(2024, 3, 1),
                "planned_end": dt.date(2026, 3, 1),
            },
        )
    from zhucun.registry.models import Jurisdiction as J

    def user(role: str, **scope: Any) -> User:
        u = User.objects.create_user(role, password="pw", role=role, display_name=role, **scope)
        w.users[role] = u
        return u

    user(UserRole.PREFECTURE, jurisdiction=J.objects.get(code="533100000000"))
    user(UserRole.COUNTY, jurisdiction=J.objects.get(code="533103000000"))
    user(UserRole.TOWNSHIP, jurisdiction=J.objects.get(code="533103102000"))
    user(UserRole.UNIT, unit=w.units["mangshi"])
    user(UserRole.FIRST_SECRETARY, cadre=w.cadres["fs_a"])
    user(UserRole.TEAM_MEMBER, cadre=w.cadres["tm_a"])
    user(UserRole.VILLAGE_SECRETARY, village=w.villages["A"])
    w.users[UserRole.ADMIN] = admin
    return w


def add_posted_villages(
    world: World, n: int, *, code: str = "5331031021{:02d}", first: int = 10, **posting: Any
) -> list[Village]:
    """``n`` more villages of 遮放镇, each with a first secretary posted since 2024-03-01 — for
    the tests that a page's queries do not grow with the number of villages."""
    made = []
    for i in range(n):
        v = services.village_create(
            actor=world.admin,
            code=code.format(i + first),
            name=f"新村{i}",
            township_code="533103102000",
        )
        cadre = services.cadre_create(
            actor=world.admin, data=cadre_data(name=f"王{i}号", serial=40 + i)
        )
        services.posting_create(
            actor=world.admin,
            data={
                "id_number": cadre.id_number,
                "village_code": v.jurisdiction.code,
                "role": "first_secretary",
                "arrival_date": dt.date(2024, 3, 1),
                **posting,
            },
        )
        made.append(v)
    return made
