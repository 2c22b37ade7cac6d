"""``zhucun gen``: the registry it loads follows the registry's own conventions and rules."""

from __future__ import annotations

from collections import Counter

import pytest

from zhucun.accounts.models import User, UserRole
from zhucun.gen.ids import id_valid
from zhucun.policy import check_team, screen_candidate
from zhucun.registry import validation
from zhucun.registry.models import (
    Cadre,
    DispatchingUnit,
    Jurisdiction,
    Level,
    Posting,
    PostingStatus,
    Role,
    Village,
)
from zhucun.registry.services.jurisdictions import CODE_PREFIX
from zhucun.selection.adapters import candidate_from_cadre, team_member_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_tiny_scale_has_two_townships_ten_villages_and_forty_cadres(tiny):
    assert Jurisdiction.objects.filter(level=Level.PREFECTURE).count() == 1
    assert Jurisdiction.objects.filter(level=Level.COUNTY).count() == 1
    assert Jurisdiction.objects.filter(level=Level.TOWNSHIP).count() == 2
    assert Village.objects.count() == 10
    assert Cadre.objects.count() == 40
    assert Jurisdiction.objects.get(level=Level.PREFECTURE).code == "533100000000"


def test_codes_and_paths_are_built_as_the_registry_builds_them(tiny):
    nodes = {j.pk: j for j in Jurisdiction.objects.all()}
    for j in nodes.values():
        assert len(j.code) == 12 and j.code.isdigit()
        if j.parent_id is None:
            assert j.level == Level.PREFECTURE
            assert j.path == f"/{j.code}/"
            continue
        parent = nodes[j.parent_id]
        # registry.services.jurisdiction_create: parent's path + code + "/"
        assert j.path == f"{parent.path}{j.code}/"
        order = [c.value for c in Level]
        assert order.index(j.level) == order.index(parent.level) + 1
        prefix = parent.code[: CODE_PREFIX[Level(parent.level)]]
        assert j.code.startswith(prefix) and j.code != parent.code
    for v in Village.objects.select_related("jurisdiction", "township"):
        assert v.jurisdiction.level == Level.VILLAGE
        assert v.jurisdiction.parent_id == v.township_id
        assert v.township.level == Level.TOWNSHIP


def test_check_in_points_lie_in_dehong_with_a_datum_and_radius(tiny):
    for v in Village.objects.all():
        assert 23.8 < float(v.checkin_lat) < 25.4 and 97.5 < float(v.checkin_lng) < 98.9
        assert v.checkin_datum in ("WGS-84", "GCJ-02")
        assert 300 <= v.checkin_radius_m <= 800


def test_every_posted_cadre_has_exactly_one_active_posting(tiny):
    per_cadre = Counter(
        Posting.objects.filter(status=PostingStatus.ACTIVE).values_list("cadre_id", flat=True)
    )
    assert set(per_cadre) == set(Cadre.objects.values_list("pk", flat=True))
    assert set(per_cadre.values()) == {1}
    for p in Posting.objects.select_related("cadre"):
        assert not validation.posting_cross_checks(
            {"arrival_date": p.arrival_date, "planned_end": p.planned_end, "status": p.status}
        )
        assert p.role == Role.FIRST_SECRETARY or p.fs_appointed_on is None
        assert (p.party_transfer_on is None) == (p.cadre.party_status == "none")


def test_every_village_has_one_first_secretary_and_a_team_the_policy_accepts(tiny):
    for v in Village.objects.select_related("jurisdiction"):
        postings = list(v.postings.filter(status="active").select_related("cadre"))
        assert [p.role for p in postings].count(Role.FIRST_SECRETARY) == 1
        findings = check_team(
            categories=v.categories,
            members=[team_member_of(p) for p in postings],
            on=min(p.arrival_date for p in postings),
            jurisdiction=v.jurisdiction.code,
        )
        assert not [f for f in findings if f.severity == "error"], findings


def test_every_posted_cadre_passes_candidate_screening_for_their_role(tiny):
    for p in Posting.objects.select_related("cadre__unit", "village__jurisdiction"):
        findings = screen_candidate(
            candidate_from_cadre(p.cadre),
            role=p.role,
            on=p.arrival_date,
            jurisdiction=p.village.jurisdiction.code,
        )
        assert not [f for f in findings if f.severity == "error"], (p.cadre.name, findings)


def test_id_numbers_are_valid_unique_and_match_birth_date_and_gender(tiny):
    cadres = list(Cadre.objects.all())
    assert len({c.id_number for c in cadres}) == len(cadres)
    for c in cadres:
        assert validation.id_number(c.id_number) == c.id_number  # GB 11643 check digit
        assert id_valid(c.id_number)
        assert c.id_number[6:14] == c.birth_date.strftime("%Y%m%d")
        assert int(c.id_number[16]) % 2 == (0 if c.gender == "female" else 1)
        assert not validation.cadre_cross_checks(
            {
                "id_number": c.id_number,
                "birth_date": c.birth_date,
                "party_status": c.party_status,
                "full_member_since": c.full_member_since,
                "work_start_date": c.work_start_date,
            }
        )
        assert len(c.phone) == 11 and c.phone.startswith("1")
        assert 2 <= len(c.name) <= 4
    assert len({c.phone for c in cadres}) == len(cadres)


def test_one_user_per_cadre_bound_to_its_role_with_an_unusable_password(tiny):
    roles = {p.cadre_id: p.role for p in Posting.objects.all()}
    users = User.objects.filter(cadre__isnull=False)
    assert users.count() == len(roles)
    for u in users:
        assert u.role == roles[u.cadre_id]
        assert u.password == "!" and not u.has_usable_password()
        assert u.display_name == u.cadre.name


def test_users_for_every_township_county_prefecture_and_one_admin(tiny):
    for level, role in (
        (Level.TOWNSHIP, UserRole.TOWNSHIP),
        (Level.COUNTY, UserRole.COUNTY),
        (Level.PREFECTURE, UserRole.PREFECTURE),
    ):
        nodes = set(Jurisdiction.objects.filter(level=level).values_list("pk", flat=True))
        bound = list(User.objects.filter(role=role).values_list("jurisdiction_id", flat=True))
        assert sorted(bound) == sorted(nodes)
    admin = User.objects.get(role=UserRole.ADMIN)
    assert admin.username == "admin" and admin.is_superuser and not admin.has_usable_password()


def test_cadres_come_from_units_of_every_level(tiny):
    levels = set(
        DispatchingUnit.objects.filter(cadres__isnull=False).values_list("level", flat=True)
    )
    assert levels <= {"province", "prefecture", "county"} and "county" in levels
    assert not DispatchingUnit.objects.filter(level="county", jurisdiction__isnull=True).exists()
