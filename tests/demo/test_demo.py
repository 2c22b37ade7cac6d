"""The demo prefecture at full size (built once for the module, see conftest.py)."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from zhucun.accounts.models import User, UserRole
from zhucun.audit.models import Event
from zhucun.audit.services import chain_verify
from zhucun.demo import checks, places
from zhucun.demo.accounts import DEMO_VILLAGE, PASSWORD
from zhucun.demo.build import AGE_EXCEPTION, DELIBERATE_GAPS, counts, load_demo
from zhucun.demo.people import add_years, age_on
from zhucun.demo.selection import NATIONAL_DAY
from zhucun.registry import validation
from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction, Posting, Village

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def expected_breaches() -> dict[str, set[str]]:
    expected: dict[str, set[str]] = {}
    for gap in DELIBERATE_GAPS:
        expected.setdefault(gap.clause, set()).update(gap.villages)
    return expected


def test_divisions(demo):
    c = demo.counts
    assert demo.loaded
    assert c["prefecture"] == 1 and c["county"] == 5
    assert 45 <= c["township"] <= 55
    assert 280 <= c["village"] <= 320
    assert c["village_group"] > 100
    counties = dict(Jurisdiction.objects.filter(level="county").values_list("code", "name"))
    assert counties == {
        "533102000000": "瑞丽市",
        "533103000000": "芒市",
        "533122000000": "梁河县",
        "533123000000": "盈江县",
        "533124000000": "陇川县",
    }
    zhefang = Jurisdiction.objects.get(code="533103102000")
    assert zhefang.name == "遮放镇" and zhefang.parent.code == "533103000000"
    names = list(Jurisdiction.objects.filter(level="township").values_list("name", flat=True))
    kinds = Counter("街道" if n.endswith("街道") else n[-1] for n in names)
    assert kinds == {"街道": 2, "镇": 23, "乡": 26}
    assert sum("族乡" in n for n in names) == 5


def test_codes_follow_the_tree():
    for j in Jurisdiction.objects.select_related("parent").exclude(level="prefecture"):
        prefix = {"county": 4, "township": 6, "village": 9, "village_group": 12}[j.level]
        assert len(j.code) == (15 if j.level == "village_group" else 12)
        assert j.code.startswith(j.parent.code[:prefix])
        assert j.code[prefix + 3 if j.level != "county" else 6 :].strip("0") == ""
        assert j.path == f"{j.parent.path}{j.code}/"
    names = Village.objects.values_list("jurisdiction__name", flat=True)
    assert all(n.endswith(("村", "社区")) for n in names)


def test_border_villages_only_in_border_counties():
    border = Village.objects.filter(border=True).select_related("jurisdiction")
    by_county = Counter(v.jurisdiction.code[:6] for v in border)
    assert set(by_county) == places.BORDER_COUNTIES == {"533102", "533103", "533123", "533124"}
    border_townships = {t.code for t in places.TOWNSHIPS if t.border}
    assert all(v.jurisdiction.code[:9] in border_townships for v in border)
    assert not Village.objects.filter(border=True, jurisdiction__code__startswith="533122")


def test_category_shares():
    total = Village.objects.count()
    cat3 = Village.objects.filter(Q(former_poor=True) | Q(relocation=True) | Q(border=True))
    assert 0.35 <= cat3.count() / total <= 0.45
    several = [v for v in cat3 if len(v.categories) > 1]
    assert len(several) >= 5
    assert Village.objects.filter(key_village=True).count() >= 10
    assert Village.objects.filter(weak_village=True).count() >= 10


def test_checkin_points():
    villages = list(Village.objects.select_related("jurisdiction"))
    datums = Counter(v.checkin_datum for v in villages)
    assert set(datums) == {"GCJ-02", "WGS-84"}
    assert 0.35 <= datums["GCJ-02"] / len(villages) <= 0.65
    for v in villages:
        assert Decimal("23.8") <= v.checkin_lat <= Decimal("25.3")
        assert Decimal("97.5") <= v.checkin_lng <= Decimal("98.9")
        assert 300 <= v.checkin_radius_m <= 800
    zhefang = [v for v in villages if v.jurisdiction.code.startswith("533103102")]
    for v in zhefang:
        assert abs(v.checkin_lat - Decimal("24.256")) < Decimal("0.1")
        assert abs(v.checkin_lng - Decimal("98.276")) < Decimal("0.1")


def test_units():
    levels = Counter(DispatchingUnit.objects.values_list("level", flat=True))
    assert levels["province"] >= 3 and 20 <= levels["prefecture"] <= 30
    assert 70 <= levels["county"] <= 80
    assert set(DispatchingUnit.objects.values_list("kind", flat=True)) == {
        "organ",
        "soe",
        "institution",
    }
    for name in ("德宏州农业农村局", "德宏州财政局", "芒市农业农村局", "瑞丽市市场监督管理局"):
        assert DispatchingUnit.objects.filter(name=name).exists()
    assert not DispatchingUnit.objects.filter(lat__isnull=True).exists()


def test_cadres():
    n = Cadre.objects.count()
    assert 1150 <= n <= 1250
    assert 120 <= checks.unposted_cadres() <= 220
    ethnicities = Counter(Cadre.objects.values_list("ethnicity", flat=True))
    for e in ("汉族", "傣族", "景颇族", "傈僳族", "阿昌族", "德昂族"):
        assert ethnicities[e] > 0, e
    assert 0.4 <= ethnicities["汉族"] / n <= 0.65
    assert ethnicities["傣族"] > ethnicities["景颇族"] > ethnicities["傈僳族"]
    party = Counter(Cadre.objects.values_list("party_status", flat=True))
    assert party["full"] > party["probationary"] > 0 and party["none"] > 0
    births = Cadre.objects.values_list("birth_date__year", flat=True)
    assert sum(1978 <= y <= 1998 for y in births) / n > 0.85
    for flag in ("is_xuandiao", "tech_commissioner", "talent_program", "rural_experience"):
        assert Cadre.objects.filter(**{flag: True}).exists(), flag


def test_id_numbers_and_phones_are_valid():
    rows = list(Cadre.objects.values_list("id_number", "birth_date", "gender", "phone"))
    for number, birth, gender, phone in rows:
        assert validation.id_number(number) == number
        assert validation.id_birth_date(number) == birth
        assert int(number[16]) % 2 == (1 if gender == "male" else 0)
        assert validation.phone(phone) == phone
    assert len({r[3] for r in rows}) == len(rows)


def test_deliberate_gaps_are_exactly_the_breaches():
    assert checks.breaches() == expected_breaches()
    uncovered = Village.objects.annotate(
        n=Count("postings", filter=Q(postings__status="active"))
    ).filter(n=0)
    codes = {v.jurisdiction.code for v in uncovered.select_related("jurisdiction")}
    assert codes == {g.villages[0] for g in DELIBERATE_GAPS if g.clause == "SEL.SCOPE.COVER"}
    assert checks.age_exceptions() == set(AGE_EXCEPTION.villages)
    old = Posting.objects.get(
        village__jurisdiction__code=AGE_EXCEPTION.villages[0], role="first_secretary"
    )
    assert age_on(old.cadre.birth_date, old.arrival_date) == 50 and old.cadre.age_exception_note


def test_the_gap_teams():
    def team(code):
        return Counter(
            Posting.objects.filter(village__jurisdiction__code=code, status="active").values_list(
                "role", flat=True
            )
        )

    assert team("533122204201") == {"first_secretary": 1, "team_member": 1}
    assert team("533123103201") == {"first_secretary": 1, "team_member": 5}
    husband, wife = (
        Posting.objects.get(village__jurisdiction__code=code, cadre__spouse__isnull=False).cadre
        for code in ("533103201201", "533103202201")
    )
    assert husband.spouse == wife and wife.spouse == husband
    assert husband.gender == "male" and wife.gender == "female"
    married = Cadre.objects.filter(spouse__isnull=False).count()
    assert married > 2  # other couples exist, with only one of them posted


def test_postings(timeline):
    postings = list(Posting.objects.filter(status="active").select_related("village"))
    # the batches lie at the same distance from the demo's today as when it was written
    first = min(d for d, _ in timeline.batches)
    assert (timeline.today - first).days in range(712, 719) and first.weekday() == 0
    assert min(p.arrival_date for p in postings) == min(NATIONAL_DAY, first)
    assert len(postings) == Cadre.objects.filter(postings__status="active").count()
    for p in postings:
        assert first <= p.arrival_date <= timeline.today
        assert p.planned_end == add_years(p.arrival_date, 2)
    per_village = Counter(p.village_id for p in postings)
    assert max(per_village.values()) == 6 and min(per_village.values()) >= 1
    first = Counter(p.village_id for p in postings if p.role == "first_secretary")
    assert set(first.values()) == {1}


def test_accounts_for_every_role_can_log_in(demo, client):
    assert {a.role for a in demo.accounts} == set(UserRole.values)
    for account in demo.accounts:
        assert account.password == PASSWORD
        assert client.login(username=account.username, password=account.password), account
        client.logout()
    users = {u.username: u for u in User.objects.all()}
    assert users["admin"].is_superuser
    assert users["zhou"].jurisdiction.code == "533100000000"
    assert users["mangshi"].jurisdiction.code == "533103000000"
    assert users["zhefang"].jurisdiction.code == "533103102000"
    assert users["nongye"].unit.name == "德宏州农业农村局"
    fs, tm = users["shuji"].cadre, users["duiyuan"].cadre
    assert users["shuji"].role == "first_secretary" and users["duiyuan"].role == "team_member"
    for cadre, role in ((fs, "first_secretary"), (tm, "team_member")):
        posting = cadre.postings.get(status="active")
        assert posting.role == role and posting.village.jurisdiction.code == DEMO_VILLAGE
    assert users["cunshuji"].village.jurisdiction.code == DEMO_VILLAGE
    assert fs.unit.name == "德宏州农业农村局"


def test_audit_trail_is_real():
    checked, broken, reason = chain_verify()
    assert broken is None, reason
    actions = Counter(Event.objects.values_list("action", flat=True))
    assert actions["cadre.create"] == Cadre.objects.count()
    assert actions["posting.create"] == Posting.objects.count()
    assert actions["village.create"] == Village.objects.count()
    assert actions["jurisdiction.create"] == Jurisdiction.objects.count()
    assert actions["unit.create"] == DispatchingUnit.objects.count()
    # the registry by the administrator; the selection workflow by the demo accounts
    registry = Event.objects.filter(action__in=["village.create", "unit.create"])
    assert set(registry.values_list("actor__username", flat=True)) == {"admin"}
    attendance = ("attendance.", "checkin.", "leave.", "summary.", "interview.")
    # the team's own work (issue 14, demo/work.py): meetings, tasks, progress, contacts,
    # visits and reports by the first secretaries and team members in post
    team_work = ("meeting.", "task.", "keylist.progress", "group_contact.", "household.")
    team_work += ("visit.record", "report.open", "report.save", "report.submit", "report.urgent")
    by_team = Q()
    for prefix in team_work:
        by_team |= Q(action__startswith=prefix)
    team_events = Event.objects.filter(by_team, actor__role__in=["first_secretary", "team_member"])
    assert team_events.exists()
    workflow = Event.objects.exclude(
        Q(action__startswith=attendance[0])
        | Q(action__startswith=attendance[1])
        | Q(action__startswith=attendance[2])
        | Q(action__startswith=attendance[3])
        | Q(action__startswith=attendance[4])
    ).exclude(pk__in=team_events.values("pk"))
    # the townships appoint the first secretaries (SEL.METHOD.APPOINT10 settled reading)
    actors = set(workflow.values_list("actor__username", flat=True))
    townships = {u for u in actors if u.startswith("xz")}
    assert townships and User.objects.filter(username__in=townships, role="township").count() == (
        len(townships)
    )
    assert actors - townships == {
        *("admin", "zhou", "mangshi", "ruili", "lianghe", "yingjiang", "longchuan"),
        *("zhefang", "nongye", "msjiaoyu"),
    }
    # attendance (demo/attendance.py) by the cadres, their approvers and the townships; the
    # interview by the organisation department managing the cadre (MGT.3.TALK); the month
    # close as the command line runs it (no actor)
    others = Event.objects.exclude(pk__in=workflow.values("pk")).exclude(
        pk__in=team_events.values("pk")
    )
    # the end of a posting (issue 11, demo/tenure.py) by the administrator
    others = others.exclude(action__in=["leave.after_term"])
    roles = set(others.exclude(actor=None).values_list("actor__role", flat=True))
    # the interview by the organisation department managing the cadre (MGT.3.TALK), and the
    # trainings' on-duty days by the organisers (issue 15, MGT.7: 州级 and 县级)
    managing = {"county", "prefecture"}
    assert roles & managing
    assert roles - managing == {"first_secretary", "team_member", "township", "village_secretary"}
    assert set(others.filter(actor=None).values_list("action", flat=True)) == {
        "attendance.month_close"
    }


def test_loading_again_changes_nothing(demo):
    before, events = counts(), Event.objects.count()
    again = load_demo()
    assert not again.loaded
    assert counts() == before == demo.counts
    assert Event.objects.count() == events
    assert [a.username for a in again.accounts] == [a.username for a in demo.accounts]


def test_command_prints_the_account_table(demo):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "演示数据已存在" in text
    assert "用户名" in text and "密码" in text and "角色" in text and "范围" in text
    for account in demo.accounts:
        assert account.username in text
    assert PASSWORD in text and "SEL.SCOPE.COVER" in text


def test_demo_notices_settled_each_account_keeps_its_newest_unread():
    """站内通知: the history's notices are read; the bell shows one per account that had any."""
    from django.db.models import Count, Q

    from zhucun.notices.models import Notice

    per_user = Notice.objects.values("user").annotate(
        unread=Count("pk", filter=Q(read_at__isnull=True))
    )
    assert per_user, "the demo's services send notices"
    assert {row["unread"] for row in per_user} == {1}
