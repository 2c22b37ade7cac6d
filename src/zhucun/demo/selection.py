"""The selection workflow in the demo (SEL.METHOD.FLOW, issue 3 item 6), driven through
``selection.services`` and ``selection.deadlines`` by the demo accounts, each step by its own role:
the unit (nongye: 德宏州农业农村局, reviewed by the prefecture; msjiaoyu: 芒市教育体育局,
reviewed by 芒市) records, proposes and decides; the same-level body (zhou / mangshi) files,
rejects and posts; the county bodies (and 遮放镇) record the appointments and transfers.

What it leaves behind:

* nominations in every state — 个人报名 and 组织推荐 still open, proposed, filed, decided,
  posted, one rejected at review and one withdrawn by its unit;
* three refused candidates whose refusal is stored on their nomination (they stay applied /
  recommended; the proposal would refuse them): a middle-school teacher (SEL.COND.NO3), a
  probationary party member nominated as first secretary (SEL.SRC.FS_PARTY) and a 46-year-old
  without the age exception (SEL.SRC.AGE);
* a 选调生 nominated as first secretary, the SEL.SRC.XD warning accepted with a written reason;
* teams posted through nominations: 芒市风平镇 (places.NATIONAL_DAY_VILLAGE), arriving
  2025-09-26, so that the appointment deadline crosses the National Day holiday (due
  2025-10-16) — a fixed historical case, whatever the demo's today; the appointment is still
  not recorded, the one overdue appointment; two teams arriving in the last working days
  before the demo's today whose deadlines are still open; two members added to ordinary
  villages with room; and a 6th member in the 抵边村 places.EXCEPTION_VILLAGE under a recorded
  SEL.SCOPE.ADJUST exception;
* the milestones of every other posting whose deadline has passed: the appointments (a few
  recorded late) and the party-relation transfers (a few late, ``OVERDUE_TRANSFERS`` still open).

The deliberate gaps (build.DELIBERATE_GAPS) are left alone: nothing is posted into them and
every posting is checked by ``nomination_post`` with the whole team. Every other date derives
from the demo's today (timeline.py). Deterministic with the seed and the day;
``load`` does nothing when the demo has nominations already.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from zhucun.accounts.models import User, UserRole
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy import WorkCalendar, appointment_due, party_transfer_due, screen_candidate
from zhucun.registry.models import (
    Cadre,
    DispatchingUnit,
    PartyStatus,
    Posting,
    PostingStatus,
    Role,
    UnitLevel,
    Village,
)
from zhucun.registry.services import cadre_create
from zhucun.selection import services as sel
from zhucun.selection.adapters import candidate_from_cadre
from zhucun.selection.deadlines import appointment_clock_starts, posting_record_milestone
from zhucun.selection.models import CompositionException, Nomination, NominationState

from .accounts import DEMO_UNIT
from .cadres import CadreMaker
from .places import EXCEPTION_VILLAGE, NATIONAL_DAY_VILLAGE, RECENT_VILLAGES
from .timeline import Timeline
from .units import unit_specs

TEACHER_UNIT = "芒市教育体育局"
NOMINATING_UNITS = (DEMO_UNIT, TEACHER_UNIT)  # units with a demo account (accounts.py)
POOL_PER_UNIT = 20  # unposted cadres the loader puts in each nominating unit

NATIONAL_DAY = dt.date(2025, 9, 26)  # Friday before 国庆: APPOINT10 due 2025-10-16
NATIONAL_DAY_DUE = dt.date(2025, 10, 16)
RECENT_WORKDAYS = (6, 3)  # the recent teams arrive that many working days before today
OVERDUE_TRANSFERS = 3
REFUSED_CLAUSES = ("SEL.COND.NO3", "SEL.SRC.FS_PARTY", "SEL.SRC.AGE")

EXCEPTION_REASON = "边境管控需要,经县委研究增派1人"
EXCEPTION_MAX_TEAM = 6  # the composition the exception allows: 5 + the one added
EXCEPTION_DECIDED_BY = "中共芒市委组织部部务会"
XD_REASON = (
    "该同志为选调生,在基层工作已满5年,熟悉农村电商和产业发展,"
    "经州农业农村局党组研究拟任第一书记,已报州委组织部同意"
)
FIVE = {"political": True, "conduct": True, "ability": True, "style": True, "integrity": True}
ATTESTED_BY = {DEMO_UNIT: "人事科 杨丽萍", TEACHER_UNIT: "人事股 段志强"}
REVIEWER = {"zhou": "州驻村办 李建华", "mangshi": "芒市驻村办 孟小燕"}


def load(rng: random.Random, *, avoid: Iterable[str], timeline: Timeline) -> None:
    """Run the scenario once (inside the loader's transaction); ``avoid``: village codes that
    must get nobody (the deliberate gaps and the accounts' village)."""
    if Nomination.objects.exists():
        return
    scenario = _Scenario(random.Random(rng.random()), set(avoid), timeline)
    scenario.run()


def recent_arrivals(timeline: Timeline, calendar: WorkCalendar) -> tuple[dt.date, ...]:
    """The two recent teams' arrivals: working days shortly before today (deadlines open)."""
    out = []
    for n in RECENT_WORKDAYS:
        day, left = timeline.today, n
        while left:
            day -= dt.timedelta(days=1)
            left -= calendar.is_workday(day)
        out.append(day)
    return tuple(out)


@dataclass
class _Unit:
    unit: DispatchingUnit
    user: User  # the unit's account
    body: User  # the same-level body: the prefecture, or the unit's county
    pool: list[Cadre]  # unposted cadres without any bar, by id


class _Scenario:
    def __init__(self, rng: random.Random, avoid: set[str], timeline: Timeline) -> None:
        self.rng, self.avoid, self.timeline = rng, avoid, timeline
        self.today, self.next_round = timeline.today, timeline.next_round
        users = {u.username: u for u in User.objects.filter(role__in=_ROLES)}
        self.zhou, self.mangshi, self.zhefang = users["zhou"], users["mangshi"], users["zhefang"]
        self.county = {
            u.jurisdiction.code[:6]: u
            for u in users.values()
            if u.role == UserRole.COUNTY and u.jurisdiction_id
        }
        self.units = {name: self._unit(name, users) for name in NOMINATING_UNITS}
        self.nongye, self.msjy = self.units[DEMO_UNIT], self.units[TEACHER_UNIT]
        self.villages = {
            v.jurisdiction.code: v for v in Village.objects.select_related("jurisdiction")
        }
        self.special_posts: set[int] = set()  # postings whose milestones the scenario sets

    def _unit(self, name: str, users: dict[str, User]) -> _Unit:
        unit = DispatchingUnit.objects.select_related("jurisdiction").get(name=name)
        user = next(u for u in users.values() if u.role == UserRole.UNIT and u.unit_id == unit.pk)
        if unit.level == UnitLevel.COUNTY:
            body = next(
                u
                for u in users.values()
                if u.role == UserRole.COUNTY and u.jurisdiction_id == unit.jurisdiction_id
            )
        else:
            body = self.zhou
        pool = list(
            Cadre.objects.filter(unit=unit, spouse__isnull=True, occupation_code="")
            .filter(health_fit=True, family_hardship=False, retired=False)
            .exclude(postings__status=PostingStatus.ACTIVE)
            .select_related("unit")
            .order_by("pk")
        )
        return _Unit(unit, user, body, pool)

    # -- the scenario ----------------------------------------------------------------------

    def run(self) -> None:
        ny, ms, tl = self.nongye, self.msjy, self.timeline
        recent = recent_arrivals(tl, work_calendar())
        # Teams posted through the workflow.
        nd = self.villages[NATIONAL_DAY_VILLAGE]
        fs = self.posted(ny, Role.FIRST_SECRETARY, nd, NATIONAL_DAY, source="recommendation")
        self.special_posts.add(fs.posting_id)  # the appointment stays unrecorded: overdue
        self.posted(ms, Role.TEAM_MEMBER, nd, NATIONAL_DAY, source="application")
        first, second = (self.villages[c] for c in RECENT_VILLAGES)
        self.posted(ny, Role.FIRST_SECRETARY, first, recent[0], source="recommendation")
        self.posted(ny, Role.FIRST_SECRETARY, second, recent[1], source="recommendation")
        self.posted(ny, Role.TEAM_MEMBER, second, recent[1], source="application")
        self.posted(ny, Role.TEAM_MEMBER, self.room(), tl.spring, source="application")
        self.posted(ms, Role.TEAM_MEMBER, self.room("533103"), tl.spring, source="recommendation")
        border = self.villages[EXCEPTION_VILLAGE]
        sel.composition_exception_create(
            actor=ms.body,
            village_id=border.pk,
            reason=EXCEPTION_REASON,
            valid_from=tl.exception_from,
            valid_until=tl.exception_until,
            max_team_size=EXCEPTION_MAX_TEAM,
            decided_by=EXCEPTION_DECIDED_BY,
        )
        self.posted(
            ms,
            Role.TEAM_MEMBER,
            border,
            tl.exception_arrival,
            source="recommendation",
            note="抵边村边境管控任务重,按县委研究意见增派",
        )
        # Nominations still in the workflow, for the next round.
        self.open(ny, Role.TEAM_MEMBER, "applied", note="本人申请到村工作,有农技推广经历")
        self.open(ms, Role.TEAM_MEMBER, "applied", note="本人报名")
        self.open(ny, Role.FIRST_SECRETARY, "recommended", note="单位推荐")
        self.open(ms, Role.TEAM_MEMBER, "recommended", note="单位推荐")
        self.open(ny, Role.TEAM_MEMBER, "proposed")
        self.open(ms, Role.FIRST_SECRETARY, "proposed")
        self.open(ny, Role.FIRST_SECRETARY, "filed")
        self.open(ms, Role.TEAM_MEMBER, "filed")
        self.open(ny, Role.TEAM_MEMBER, "decided", village=self.room(), note="党组会研究确定")
        self.open(ms, Role.TEAM_MEMBER, "decided", village=self.room("533103"))
        n = self.open(ms, Role.TEAM_MEMBER, "proposed")
        sel.nomination_reject(
            actor=ms.body,
            nomination_id=n.pk,
            note="五关审查:作风关存疑(群众反映工作不够扎实),不予通过,请派出单位另行推荐",
        )
        n = self.open(ny, Role.TEAM_MEMBER, "applied")
        sel.nomination_withdraw(actor=ny.user, nomination_id=n.pk, note="本人因工作调整撤回报名")
        self.xuandiao()
        self.refused()
        self.milestones()

    def posted(
        self,
        u: _Unit,
        role: str,
        village: Village,
        arrival: dt.date,
        *,
        source: str,
        note: str = "",
    ) -> Nomination:
        cadre = self.pick(u, role, arrival)
        n = self.nominate(u, cadre, role, source, arrival, village=village, note=note)
        self.advance(u, n, "decided")
        return sel.nomination_post(
            actor=u.body,
            nomination_id=n.pk,
            village_id=village.pk,
            arrival_date=arrival,
            note=f"{arrival.year}年{arrival.month}月{arrival.day}日到村报到",
        )

    def open(
        self, u: _Unit, role: str, state: str, *, village: Village | None = None, note: str = ""
    ) -> Nomination:
        cadre = self.pick(u, role, self.next_round)
        source = "application" if state == "applied" else "recommendation"
        n = self.nominate(u, cadre, role, source, self.next_round, village=village, note=note)
        return self.advance(u, n, state)

    def xuandiao(self) -> None:
        """A 选调生 nominated as first secretary: the warning accepted with a written reason."""
        u = self.nongye
        cadre = self.new_cadre(u, role=Role.FIRST_SECRETARY, special="xuandiao_fs")
        n = self.nominate(u, cadre, Role.FIRST_SECRETARY, "recommendation", self.next_round)
        self.advance(u, n, "filed", reasons={"SEL.SRC.XD": XD_REASON})

    def refused(self) -> None:
        """Nominated, screened, refused: the findings stay on the nomination."""
        ms, ny = self.msjy, self.nongye
        teacher = (
            Cadre.objects.filter(unit=ms.unit, occupation_code="primary_secondary_teacher")
            .exclude(postings__status=PostingStatus.ACTIVE)
            .order_by("pk")
            .first()
        )
        if teacher is None:  # a demo database from before the pool was placed
            return
        self.nominate(
            ms, teacher, Role.TEAM_MEMBER, "recommendation", self.next_round, note="单位推荐"
        )
        probationary = self.new_cadre(ms, role=Role.FIRST_SECRETARY, special="probationary_fs")
        self.nominate(
            ms,
            probationary,
            Role.FIRST_SECRETARY,
            "recommendation",
            self.next_round,
            note="单位推荐",
        )
        older = self.new_cadre(ny, role=Role.TEAM_MEMBER, special="age_46")
        self.nominate(
            ny, older, Role.TEAM_MEMBER, "application", self.next_round, note="本人申请到村工作"
        )

    # -- steps -----------------------------------------------------------------------------

    def nominate(
        self,
        u: _Unit,
        cadre: Cadre,
        role: str,
        source: str,
        on: dt.date,
        *,
        village: Village | None = None,
        note: str = "",
    ) -> Nomination:
        return sel.nomination_create(
            actor=u.user,
            cadre_id=cadre.pk,
            role=role,
            source=source,
            dispatch_date=on,
            village_id=village.pk if village else None,
            note=note,
        )

    def advance(
        self, u: _Unit, n: Nomination, state: str, *, reasons: dict[str, str] | None = None
    ) -> Nomination:
        """From applied/recommended up to ``state`` (proposed, filed or decided)."""
        steps = ["proposed", "filed", "decided"]
        if state not in steps:
            return n
        n = sel.nomination_propose(
            actor=u.user,
            nomination_id=n.pk,
            basic_attested=True,
            no1_attested=True,
            attested_by=ATTESTED_BY[u.unit.name],
            reasons=reasons,
            note="经单位组织人事部门审查,提出人选",
        )
        if steps.index(state) >= 1:
            n = sel.nomination_review(
                actor=u.body,
                nomination_id=n.pk,
                checkpoints=FIVE,
                reviewer_name=REVIEWER[u.body.username],
                note="政治关、品行关、能力关、作风关、廉洁关审查通过,予以备案",
            )
        if steps.index(state) >= 2:
            n = sel.nomination_decide(
                actor=u.user, nomination_id=n.pk, note="经单位党委(党组)会议研究确定"
            )
        return n

    # -- candidates and villages -----------------------------------------------------------

    def pick(self, u: _Unit, role: str, on: dt.date) -> Cadre:
        """The unit's first unused candidate with nothing against them for ``role`` on ``on``."""
        params = parameters_current()
        for i, cadre in enumerate(u.pool):
            findings = screen_candidate(
                candidate_from_cadre(cadre), role=role, on=on, params=params
            )
            if all(f.severity == "info" for f in findings):
                return u.pool.pop(i)
        raise RuntimeError(f"演示数据:{u.unit.name}没有可提名的{role}人选")

    def new_cadre(self, u: _Unit, *, role: str, special: str) -> Cadre:
        maker = CadreMaker(self.rng, today=self.today)
        maker.ids = set(Cadre.objects.values_list("id_number", flat=True))
        maker.phones = set(Cadre.objects.values_list("phone", flat=True))
        spec = next(s for s in unit_specs() if s.name == u.unit.name)
        data = maker.make(spec, role=role, special=special, arrival=self.next_round)
        return cadre_create(actor=u.user, data=data)

    def room(self, county: str = "") -> Village:
        """An ordinary village (not 3类, no upper limit) with the smallest lawful team, away from
        the gaps and from villages another nomination aims at."""
        special = {NATIONAL_DAY_VILLAGE, EXCEPTION_VILLAGE, *RECENT_VILLAGES}
        teams: dict[int, list[str]] = {}
        for village_id, role in Posting.objects.filter(status=PostingStatus.ACTIVE).values_list(
            "village_id", "role"
        ):
            teams.setdefault(village_id, []).append(role)
        taken = set(Nomination.objects.exclude(village=None).values_list("village_id", flat=True))
        fits = [
            (v.pk in taken, len(teams.get(v.pk, [])), code, v)
            for code, v in self.villages.items()
            if code.startswith(county)
            and code not in self.avoid | special
            and not v.categories
            and teams.get(v.pk, []).count(Role.FIRST_SECRETARY) == 1
        ]
        if not fits:
            raise RuntimeError("演示数据:找不到可增派队员的村")
        return min(fits, key=lambda f: f[:3])[3]

    # -- deadlines -------------------------------------------------------------------------

    def milestones(self) -> None:
        """Record what a diligent township would have recorded by today: the appointment and the
        transfer of every posting whose deadline has passed, a few of them late; leave open the
        ones not yet due, the National Day team's appointment and a few transfers. The
        appointment's clock starts when the team is in place (SEL.METHOD.APPOINT10 settled
        reading, ``appointment_clock_starts``); a team never complete has no clock yet."""
        calendar, params = _MemoCalendar(work_calendar()), parameters_current()
        today = self.today
        # posting_record_milestone refuses a day after the machine's date (dt.date.today())
        last = min(today, dt.date.today())
        posts = list(
            Posting.objects.filter(status=PostingStatus.ACTIVE)
            .select_related("cadre", "village__jurisdiction", "village__township")
            .order_by("village__jurisdiction__code", "role", "id")
        )
        starts = appointment_clock_starts(
            [p for p in posts if p.role == Role.FIRST_SECRETARY], params=params
        )
        members = [
            p
            for p in posts
            if p.cadre.party_status != PartyStatus.NONE
            and party_transfer_due(
                reported=p.arrival_date,
                calendar=calendar,
                params=params,
                jurisdiction=p.village.jurisdiction.code,
            )
            < today
        ]
        forgotten = {p.pk for p in self.rng.sample(members, OVERDUE_TRANSFERS)}
        for p in posts:
            code = p.village.jurisdiction.code
            kinds = []
            start = starts.get(p.pk)
            if p.role == Role.FIRST_SECRETARY and p.pk not in self.special_posts and start:
                due = appointment_due(
                    arrival=start, calendar=calendar, params=params, jurisdiction=code
                )
                note = f"{p.village.jurisdiction.name}第一书记任命已发文"
                kinds.append(("appoint", start, due, note))
            if p.cadre.party_status != PartyStatus.NONE and p.pk not in forgotten:
                due = party_transfer_due(
                    reported=p.arrival_date, calendar=calendar, params=params, jurisdiction=code
                )
                kinds.append(("transfer", p.arrival_date, due, "党组织关系已转入所驻村党组织"))
            for kind, begin, due, note in kinds:
                if due >= today:
                    continue  # not due yet: still open
                on = self.done_on(calendar, begin, due, last)
                if on > last:
                    continue
                posting_record_milestone(
                    actor=self.recorder(p, kind), posting_id=p.pk, kind=kind, on=on, note=note
                )

    def done_on(
        self, calendar: WorkCalendar, start: dt.date, due: dt.date, last: dt.date
    ) -> dt.date:
        """A working day by the due day; one in twenty-five a few working days late."""
        if self.rng.random() < 0.04:
            late = calendar.add_working_days(due, self.rng.randint(1, 4))
            if late <= last:
                return late
        span = calendar.working_days(start + dt.timedelta(days=1), due)
        return calendar.add_working_days(start, self.rng.randint(1, span))

    def recorder(self, p: Posting, kind: str) -> User:
        """遮放镇 records its own villages. The township party committee appoints the first
        secretary (SEL.METHOD.APPOINT10 settled reading): the village's township body, made
        here with the username the attendance demo gives it; the county body records the
        other villages' party transfers."""
        code = p.village.jurisdiction.code
        if code.startswith(self.zhefang.jurisdiction.code[:9]):
            return self.zhefang
        if kind == "transfer":
            return self.county[code[:6]]
        township = p.village.township
        user = User.objects.filter(role=UserRole.TOWNSHIP, jurisdiction=township).first()
        if user is None:
            party = "党工委" if township.name.endswith("街道") else "党委"
            user = User.objects.create(
                username="xz" + code[:9],  # as demo.attendance.township_username
                role=UserRole.TOWNSHIP,
                display_name=f"{township.name}{party}",
                jurisdiction=township,
                password=self.zhefang.password,
            )
        return user


def summary_lines() -> list[str]:
    """What the command prints about the workflow: where to look in the demo."""
    noms = list(Nomination.objects.select_related("cadre", "village__jurisdiction"))
    if not noms:
        return []
    states = Counter(n.state for n in noms)
    lines = [
        f"提名 {len(noms)} 条:"
        + "、".join(f"{label} {states[s]}" for s, label in NominationState.choices if states[s])
    ]
    refused = [
        f"{n.cadre.name}({'、'.join(sorted(c for c in _errors(n)))})"
        for n in noms
        if n.state in ("applied", "recommended") and _errors(n)
    ]
    lines.append(f"资格审查不予选派(仍为报名/推荐状态):{'、'.join(refused)}")
    xd = [n.cadre.name for n in noms if "SEL.SRC.XD" in n.warning_reasons]
    if xd:
        lines.append(f"选调生拟任第一书记,已书面说明理由(SEL.SRC.XD):{'、'.join(xd)}")
    for exc in CompositionException.objects.select_related("village__jurisdiction"):
        j = exc.village.jurisdiction
        lines.append(f"选派调整例外(SEL.SCOPE.ADJUST):{j.name}({j.code}),{exc.reason}")
    nd = Posting.objects.filter(
        village__jurisdiction__code=NATIONAL_DAY_VILLAGE,
        role=Role.FIRST_SECRETARY,
        status=PostingStatus.ACTIVE,
    ).first()
    if nd is not None:
        done = f"{nd.fs_appointed_on}登记" if nd.fs_appointed_on else "至今未登记"
        lines.append(
            f"第一书记任命期限跨国庆(SEL.METHOD.APPOINT10):{nd.village.jurisdiction.name}"
            f"({NATIONAL_DAY_VILLAGE}){nd.arrival_date}到位,应于{NATIONAL_DAY_DUE}前任命,{done}"
        )
    return lines


def _errors(n: Nomination) -> set[str]:
    return {f["clause"] for f in n.findings if f["severity"] == "error"}


class _MemoCalendar(WorkCalendar):
    """The system's calendar, remembering each day's answer (a thousand deadlines here)."""

    def __init__(self, base: WorkCalendar) -> None:
        super().__init__(extra=base.extra, extra_years=base.extra_years)
        self._days: dict[dt.date, bool] = {}

    def is_workday(self, day: dt.date) -> bool:
        if day not in self._days:
            self._days[day] = super().is_workday(day)
        return self._days[day]


_ROLES = (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP, UserRole.UNIT)
