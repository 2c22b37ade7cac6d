"""The demo loader: builds the synthetic 德宏州 in one transaction, with a few deliberate gaps
that the reports must show. Jurisdictions, villages and units go through ``registry.services``;
village groups, cadres and postings through ``writer`` (same cleaners and checks, bulk inserts,
one audit event per object), see writer.py for why."""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.notices.models import Notice
from zhucun.registry import services
from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction, Posting

from . import (
    assessment,
    attendance,
    people,
    review,
    rotation,
    selection,
    support,
    tenure,
    work,
    writer,
)
from .accounts import DEMO_UNIT, DEMO_VILLAGE, Account, Hashes, ensure_accounts, ensure_admin
from .cadres import CadreMaker
from .places import (
    COUNTIES,
    EXCEPTION_VILLAGE,
    PREFECTURE,
    SELECTION_VILLAGES,
    TOWNSHIPS,
    VillageSpec,
    villages,
)
from .timeline import Timeline, calendar_years, clock_at, demo_today
from .units import UnitSpec, unit_specs

DEFAULT_SEED = 2026
FULL_CADRES = 1200
FULL_UNPOSTED = 150


@dataclass(frozen=True)
class Gap:
    key: str
    clause: str
    villages: tuple[str, ...]
    description: str


# The rule breaches the demo contains on purpose, and nothing else; reports must show them.
DELIBERATE_GAPS = [
    Gap("no_team_1", "SEL.SCOPE.COVER", ("533122203202",), "梁河县大厂乡的这个村没有选派工作队"),
    Gap("no_team_2", "SEL.SCOPE.COVER", ("533123206202",), "盈江县新城乡的这个村没有选派工作队"),
    Gap(
        "cat3_one_member",
        "SEL.SCOPE.CAT3",
        ("533122204201",),
        "3类村(原建档立卡贫困村)只有第一书记和1名工作队员,少于2名工作队员",
    ),
    Gap(
        "cat3_six",
        "SEL.SCOPE.CAT3",
        ("533123103201",),
        "3类村(抵边村)工作队共6人(第一书记+5名队员),超过最多5名",
    ),
    Gap(
        "spouses",
        "SEL.COND.NO5",
        ("533103201201", "533103202201"),
        "夫妻二人同时驻村:丈夫在芒市轩岗乡任第一书记,妻子在芒市江东乡任工作队员",
    ),
    Gap("xuandiao_fs", "SEL.SRC.XD", ("533102201201",), "选调生被任命为第一书记(瑞丽市户育乡)"),
    Gap(
        "probationary_fs",
        "SEL.SRC.FS_PARTY",
        ("533124202201",),
        "第一书记是预备党员,不是正式党员(陇川县护国乡)",
    ),
    Gap("teacher", "SEL.COND.NO3", ("533103203201",), "小学教师被选派为工作队员(芒市西山乡)"),
    Gap(
        "age_46",
        "SEL.SRC.AGE",
        ("533123104201",),
        "工作队员到岗时已满46周岁,且未登记年龄例外(盈江县弄璋镇)",
    ),
]
# Not a gap: a 50-year-old first secretary WITH the recorded SEL.SRC.AGE exception (must pass).
AGE_EXCEPTION = Gap(
    "age_50_exception",
    "SEL.SRC.AGE",
    ("533122201201",),
    "第一书记到岗时已满50周岁,已登记“因年龄原因从领导岗位调整”的例外(梁河县平山乡),应予放行",
)


@dataclass
class DemoResult:
    loaded: bool  # False when the prefecture was already there
    seconds: float = 0.0
    accounts: list[Account] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    attendance: bool = False  # the attendance demo was written by this run
    timeline: Timeline = field(default_factory=lambda: Timeline(demo_today()))
    calendar_years: list[int] = field(default_factory=list)  # entered as demo data


def is_loaded() -> bool:
    return Jurisdiction.objects.filter(code=PREFECTURE[0]).exists()


def load_demo(
    *, seed: int = DEFAULT_SEED, scale: float = 1.0, today: dt.date | str | None = None
) -> DemoResult:
    """Load the demo prefecture unless it is there, then make sure the demo accounts exist.
    Running it again changes nothing. ``today``: the demo's today (timeline.demo_today: the
    machine's local date unless given or set in ZHUCUN_DEMO_TODAY); every date derives from it."""
    started = time.monotonic()
    timeline = Timeline(demo_today(today))
    years: list[int] = []
    with clock_at(timeline.today), transaction.atomic():
        hashes = Hashes()
        admin = ensure_admin(hashes)
        loaded = not is_loaded()
        if loaded:
            years = calendar_years(admin, timeline)  # a year the calendar does not know yet
            _Loader(admin, random.Random(seed), scale, timeline).run()
        accounts = ensure_accounts(random.Random(seed), hashes)
        if loaded:  # the selection workflow, driven through its services by the demo accounts
            avoid = {c for g in [*DELIBERATE_GAPS, AGE_EXCEPTION] for c in g.villages}
            selection.load(random.Random(seed), avoid=avoid | {DEMO_VILLAGE}, timeline=timeline)
        # Check-ins, diaries, leave and the closed month (MGT.1, MGT.3), after the selection
        # workflow has posted its teams; does nothing when there is attendance data already.
        with_attendance = attendance.load(
            random.Random(f"attendance-{seed}"), hashes, timeline=timeline
        )
        accounts += attendance.extra_accounts(hashes)
        if loaded:  # the end of a posting: term ends, a replacement, a handover (issue 11)
            tenure.load(admin=admin, timeline=timeline)
        if loaded:  # 调整轮换 (MGT.9.APPLY): one application at every step (issue 11)
            rotation.load(timeline=timeline)
        if loaded:  # 考核评议 (MGT.5, MGT.8.SJSP): 三讲三评, a year finalised, one started
            assessment.load(admin=admin, timeline=timeline)
        if loaded:  # 驻村工作 (MGT.2, DUT.LIST, MGT.8, MGT.6): meetings, tasks, visits (issue 14)
            work.load(admin=admin, timeline=timeline)
        if loaded:  # 培训保障 (MGT.7, GUA.2): training, funds, subsidies, exams, insurance
            support.load(admin=admin, timeline=timeline)
        if loaded:  # 研判召回 (MGT.4, MGT.10, GUA.3.TALK): records, two reviews, a recall
            review.load(admin=admin, timeline=timeline)
        if loaded:  # 站内通知: the history's notices were read long ago; each keeps its newest
            notices_settle()
    return DemoResult(
        loaded,
        time.monotonic() - started,
        accounts,
        counts(),
        attendance=with_attendance,
        timeline=timeline,
        calendar_years=years,
    )


def notices_settle() -> None:
    """The demo's services sent notices for three months of history at once (296 leave
    decisions…): mark them read but each account's newest, so the bell shows what a user
    would find on a normal morning."""
    newest = Notice.objects.filter(user=OuterRef("user")).order_by("-created_at", "-id")
    Notice.objects.exclude(pk=Subquery(newest.values("pk")[:1])).update(read_at=timezone.now())


def counts() -> dict[str, int]:
    by_level = {
        level: Jurisdiction.objects.filter(level=level).count()
        for level in ("prefecture", "county", "township", "village", "village_group")
    }
    return by_level | {
        "units": DispatchingUnit.objects.count(),
        "cadres": Cadre.objects.count(),
        "postings": Posting.objects.filter(status="active").count(),
        "users": User.objects.count(),
    }


# ---- the loader ------------------------------------------------------------------------------


class _Loader:
    def __init__(self, admin: User, rng: random.Random, scale: float, timeline: Timeline) -> None:
        self.admin, self.rng, self.scale, self.timeline = admin, rng, scale, timeline
        self.maker = CadreMaker(rng, today=timeline.today)
        self.units: list[UnitSpec] = unit_specs()
        self.special: dict[str, dict[str, Any]] = {}  # special key → cadre data
        self.cadres: list[dict[str, Any]] = []  # every cadre, as cadre_create takes it
        self.posted: list[dict[str, Any]] = []
        self.postings: list[dict[str, Any]] = []  # as posting_create takes it
        self.groups: list[tuple[str, str, str]] = []

    def run(self) -> None:
        S, a = services, self.admin
        S.jurisdiction_create(actor=a, code=PREFECTURE[0], name=PREFECTURE[1], level="prefecture")
        for c in COUNTIES:
            S.jurisdiction_create(
                actor=a, code=c.full_code, name=c.name, level="county", parent_code=PREFECTURE[0]
            )
        for t in TOWNSHIPS:
            S.jurisdiction_create(
                actor=a,
                code=t.full_code,
                name=t.name,
                level="township",
                parent_code=t.code[:6] + "0" * 6,
            )
        specs = villages(self.scale)
        for v in specs:
            self._village(v)
        for u in self.units:
            S.unit_create(
                actor=a,
                data={
                    "name": u.name,
                    "level": u.level,
                    "kind": u.kind,
                    "jurisdiction_code": u.jurisdiction_code,
                    "lat": u.lat,
                    "lng": u.lng,
                    "address": u.address,
                },
            )
        writer.village_groups(a, self.groups)
        for v in specs:
            self._team(v)
        target = round(FULL_CADRES * self.scale)
        self._unposted(max(round(FULL_UNPOSTED * self.scale), target - len(self.posted)))
        by_id = writer.cadres(a, self.cadres)
        writer.postings(a, self.postings, by_id)

    def _village(self, v: VillageSpec) -> None:
        services.village_create(
            actor=self.admin,
            code=v.code,
            name=v.name,
            township_code=v.township.full_code,
            former_poor=v.former_poor,
            relocation=v.relocation,
            border=v.border,
            key_village=v.key_village,
            weak_village=v.weak_village,
            checkin_lat=v.stored_lat,
            checkin_lng=v.stored_lng,
            checkin_datum=v.datum,
            checkin_radius_m=v.radius_m,
            needs=demo_village_needs(v),
        )
        self.groups += [(code, name, v.code) for code, name in v.groups]

    # -- teams -----------------------------------------------------------------------------

    def _plan(self, v: VillageSpec) -> list[tuple[str, str]]:
        """The team as (role, special) slots; the first slot is the first secretary."""
        rng, code = self.rng, v.code
        special = {g.key: g for g in [*DELIBERATE_GAPS, AGE_EXCEPTION]}
        if code in {g.villages[0] for g in DELIBERATE_GAPS if g.clause == "SEL.SCOPE.COVER"}:
            return []
        if code in SELECTION_VILLAGES:  # posted later through nominations (selection.py)
            return []
        if v.is_cat3:
            members = rng.choices([2, 3, 4], weights=[25, 45, 30])[0]
        else:
            members = rng.choices([0, 1, 2, 3], weights=[5, 20, 45, 30])[0]
        fs, tm = "", ""
        if code == DEMO_VILLAGE:
            fs, tm, members = "demo_fs", "demo_tm", 3
        elif code == special["cat3_one_member"].villages[0]:
            members = 1
        elif code == special["cat3_six"].villages[0]:
            members = 5
        elif code == EXCEPTION_VILLAGE:  # 5 people; selection.py adds a 6th by exception
            members = 4
        elif code == special["spouses"].villages[0]:
            fs = "husband"
        elif code == special["spouses"].villages[1]:
            tm = "wife"
        elif code == special["xuandiao_fs"].villages[0]:
            fs = "xuandiao_fs"
        elif code == special["probationary_fs"].villages[0]:
            fs = "probationary_fs"
        elif code == special["teacher"].villages[0]:
            tm = "teacher"
        elif code == special["age_46"].villages[0]:
            tm = "age_46"
        elif code == AGE_EXCEPTION.villages[0]:
            fs = "age_50_exception"
        if tm:
            members = max(members, 1)
        slots = [("first_secretary", fs)] + [("team_member", "")] * members
        if tm:
            slots[1] = ("team_member", tm)
        return slots

    def _team(self, v: VillageSpec) -> None:
        rng = self.rng
        today = self.timeline.today
        batch = people.weighted(rng, [(d.isoformat(), w) for d, w in self.timeline.batches])
        batch_day = dt.date.fromisoformat(batch)
        fs_unit: UnitSpec | None = None
        for role, special in self._plan(v):
            arrival = batch_day
            if rng.random() < 0.12:  # a later replacement or addition
                arrival = people.day_between(rng, batch_day + dt.timedelta(days=30), today)
            unit = self._unit_for(v, role, special, fs_unit)
            if role == "first_secretary":
                fs_unit = unit
            spouse = self.special["husband"] if special == "wife" else None
            data = self._cadre(unit, role=role, special=special, arrival=arrival, spouse=spouse)
            self.postings.append(
                {
                    "id_number": data["id_number"],
                    "village_code": v.code,
                    "role": role,
                    "arrival_date": arrival,
                    "planned_end": people.add_years(arrival, 2),
                }
            )
            self.posted.append(data)

    def _unit_for(
        self, v: VillageSpec, role: str, special: str, fs_unit: UnitSpec | None
    ) -> UnitSpec:
        rng, county = self.rng, v.township.county_code + "000000"
        by_name = {u.name: u for u in self.units}
        if special == "demo_fs":
            return by_name[DEMO_UNIT]
        if special == "teacher":
            return by_name[_county_name(county) + "教育体育局"]
        if special == "age_50_exception":
            return by_name[_county_name(county) + "林业和草原局"]
        if fs_unit is not None and rng.random() < 0.45:
            return fs_unit
        level = people.weighted(rng, [("province", 4), ("prefecture", 30), ("county", 66)])
        if role == "team_member" and level == "province":
            level = "county"
        pool = [
            u
            for u in self.units
            if u.level == level and (level != "county" or u.jurisdiction_code == county)
        ]
        return rng.choice(pool)

    def _unposted(self, n: int) -> None:
        """Cadres in their units, not posted: the pool for nominations. The demo's nominating
        units (selection.NOMINATING_UNITS) get a fixed share, whatever the scale."""
        rng = self.rng
        by_name = {u.name: u for u in self.units}
        hospital = [u for u in self.units if "医院" in u.name]
        specials = ["teacher_candidate", "medical_candidate", "unfit_candidate"]
        specials += ["hardship_candidate", "spouse_candidate", "spouse_candidate"]
        nominating = [by_name[name] for name in selection.NOMINATING_UNITS]
        pooled = [u for _ in range(selection.POOL_PER_UNIT) for u in nominating]
        taken = [id(c) for c in self.special.values()]
        husbands = [c for c in self.posted if c["gender"] == "male" and id(c) not in taken]
        for i in range(max(n, len(specials) + len(pooled))):
            special = specials[i] if i < len(specials) else ""
            unit = rng.choice(hospital if special == "medical_candidate" else self.units)
            if special == "teacher_candidate":  # a county education bureau's teacher
                unit = by_name[selection.TEACHER_UNIT]
            elif len(specials) <= i < len(specials) + len(pooled):
                unit = pooled[i - len(specials)]
            spouse = None
            if special == "spouse_candidate":  # married to a posted cadre: no SEL.COND.NO5 breach
                spouse = husbands.pop(rng.randrange(len(husbands)))
            self._cadre(unit, role="", special=special, spouse=spouse)

    def _cadre(self, unit: UnitSpec, **kwargs: Any) -> dict[str, Any]:
        data = self.maker.make(unit, **kwargs)
        self.cadres.append(data)
        if kwargs.get("special"):
            self.special[kwargs["special"]] = data
        return data


def _county_name(full_code: str) -> str:
    return next(c.name for c in COUNTIES if c.full_code == full_code)


def demo_village_needs(v: VillageSpec) -> list[str]:
    """SEL.METHOD.NEED: the demo village's needs (codes of zhucun.policy.needs.NEEDS), derived
    from its categories and code without drawing random numbers (the demo stays as it was)."""
    needs = []
    if v.former_poor or v.relocation:
        needs.append("poverty_consolidation")
    if v.border:
        needs.append("border_unity")
    if v.weak_village:
        needs.append("party_building")
    if v.community:
        needs += ["governance", "public_service"]
    else:
        needs.append(("industry", "collective_economy", "rural_construction")[int(v.code) % 3])
    return needs
