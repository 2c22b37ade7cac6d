"""SEL.METHOD.NEED (因村精准组队) in the database: village needs as data (service, SQL filter,
import column, audit), the ranking selector's scope, and SEL.SRC.POOL from the unit's row."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.registry.test_imports import run, xlsx
from tests.world import cadre_data
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry import selectors
from zhucun.registry import services as reg
from zhucun.registry.imports import template_workbook
from zhucun.registry.models import Village
from zhucun.selection import ranking
from zhucun.selection import services as sel
from zhucun.selection.adapters import candidate_from_cadre

ON = dt.date(2026, 3, 2)


def _needs(world, key: str) -> list[str]:
    return list(Village.objects.get(pk=world.villages[key].pk).needs)


# ---- village needs: service, audit, SQL filter ----------------------------------------------


def test_village_update_stores_needs_as_codes_in_catalogue_order_with_audit(world):
    county = world.users["county"]
    events = Event.objects.count()
    reg.village_update(
        actor=county, village_id=world.villages["A"].pk, data={"needs": "基层治理、产业发展"}
    )
    assert _needs(world, "A") == ["industry", "governance"]
    event = Event.objects.latest("seq")
    assert Event.objects.count() == events + 1 and event.action == "village.update"
    assert event.before["needs"] == [] and event.after["needs"] == ["industry", "governance"]


def test_unknown_need_is_refused_with_the_field_and_the_allowed_labels(world):
    with pytest.raises(ValidationFailed) as exc:
        reg.village_update(
            actor=world.users["county"],
            village_id=world.villages["A"].pk,
            data={"needs": ["industry", "旅游"]},
        )
    assert "旅游" in exc.value.errors["needs"] and "产业发展" in exc.value.errors["needs"]
    assert _needs(world, "A") == []


def test_needs_are_scoped_like_other_village_fields(world):
    """The county may not edit another county's village (403 visible / 404 not)."""
    with pytest.raises(NotFound):
        reg.village_update(
            actor=world.users["county"], village_id=world.villages["C"].pk, data={"needs": []}
        )
    with pytest.raises(Forbidden):
        reg.village_update(
            actor=world.users["township"],
            village_id=world.villages["A"].pk,
            data={"needs": ["industry"]},
        )


def test_village_list_filters_by_need_in_sql(world, django_assert_max_num_queries):
    admin = world.admin
    reg.village_update(actor=admin, village_id=world.villages["A"].pk, data={"needs": ["industry"]})
    reg.village_update(
        actor=admin,
        village_id=world.villages["C"].pk,
        data={"needs": ["collective_economy", "border_unity"]},
    )
    by = lambda need: {  # noqa: E731
        v.jurisdiction.name for v in selectors.village_list(user=admin, need=need)
    }
    assert by("industry") == {"弄坎村"}
    assert by("border_unity") == {"团结村"}
    assert by("governance") == set()
    assert by("") == {"弄坎村", "拉勐村", "团结村"}  # no filter
    with django_assert_max_num_queries(1):
        assert len(list(selectors.village_list(user=admin, need="industry"))) == 1


# ---- the import column 村需求 ----------------------------------------------------------------

HEADER = ["区划代码", "名称", "所属乡镇(街道)区划代码", "村需求"]


def test_import_reads_needs_by_label_and_updates_existing(world):
    rows = [
        ["533103102011", "新寨村", "533103102000", "产业发展、边境/民族团结"],
        ["533103102002", "拉勐村", "533103102000", "industry、基层治理"],
    ]
    report = run(world.users["county"], "villages", xlsx(HEADER, rows))
    assert report.ok, report.errors
    assert Village.objects.get(jurisdiction__code="533103102011").needs == [
        "industry",
        "border_unity",
    ]
    assert _needs(world, "B") == ["industry", "governance"]


def test_import_refuses_an_unknown_need_per_row_and_writes_nothing(world):
    rows = [["533103102011", "新寨村", "533103102000", "产业发展、开矿"]]
    report = run(world.users["county"], "villages", xlsx(HEADER, rows))
    assert [(e.row, e.column) for e in report.errors] == [(2, "村需求")]
    assert "开矿" in report.errors[0].reason
    assert not Village.objects.filter(jurisdiction__code="533103102011").exists()


def test_import_without_the_column_keeps_recorded_needs(world):
    reg.village_update(
        actor=world.admin, village_id=world.villages["B"].pk, data={"needs": ["industry"]}
    )
    rows = [["533103102002", "拉勐村", "533103102000", "是"]]
    report = run(world.users["county"], "villages", xlsx(HEADER[:3] + ["抵边村"], rows))
    assert report.ok
    assert _needs(world, "B") == ["industry"]


def test_template_has_the_needs_column_with_help():
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template_workbook("villages")))
    cells = [c.value for row in wb.worksheets[0].iter_rows(max_row=3) for c in row]
    assert "村需求" in cells
    text = " ".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )
    assert "边境/民族团结" in text and "SEL.METHOD.NEED" in text


# ---- SEL.SRC.POOL from the unit's row ---------------------------------------------------------


def test_adapter_passes_the_units_kind_and_level(world):
    c = candidate_from_cadre(world.cadres["spare"])
    assert (c.unit_kind, c.unit_level) == ("institution", "county")


def test_province_unit_nomination_gets_the_pool_info_and_is_not_blocked(world):
    """SEL.SRC.POOL: a province-level unit's cadre is nominated and proposed (info only)."""
    admin = world.admin
    unit = reg.unit_create(
        actor=admin, data={"name": "云南省农业农村厅", "level": "province", "kind": "organ"}
    )
    cadre = reg.cadre_create(
        actor=admin, data=cadre_data(name="省干", serial=51, unit_name=unit.name)
    )
    n = sel.nomination_create(
        actor=admin,
        cadre_id=cadre.pk,
        role="team_member",
        source="recommendation",
        dispatch_date=ON,
    )
    pool = [f for f in n.findings if f["clause"] == "SEL.SRC.POOL"]
    assert [f["severity"] for f in pool] == ["info"] and "省级" in pool[0]["message"]
    n = sel.nomination_propose(
        actor=admin, nomination_id=n.pk, basic_attested=True, no1_attested=True, attested_by="王"
    )
    assert n.state == "proposed"


# ---- the ranking selector -------------------------------------------------------------------


def _extra_cadres(world):
    admin = world.admin
    out = {}
    for key, name, serial, unit, over in (
        ("agri", "农专", 61, "芒市人民医院", {"agri_specialty": True}),
        ("old", "老将", 62, "芒市人民医院", {"birth_date": dt.date(1970, 1, 1)}),
        ("ruili", "瑞新", 63, "瑞丽市财政局", {}),
        ("pref", "州新", 64, "德宏州农业农村局", {}),
    ):
        data = cadre_data(name=name, serial=serial, unit_name=unit)
        if "birth_date" in over:
            from tests.world import make_id_number

            data["id_number"] = make_id_number(over["birth_date"], serial)
        data.update(over)
        out[key] = reg.cadre_create(actor=admin, data=data)
    return out


def _names(result) -> list[str]:
    return [row.cadre.name for row in result.rows]


def test_unit_ranks_its_own_cadres_for_a_nominable_village_by_its_needs(world):
    _extra_cadres(world)
    reg.village_update(
        actor=world.admin, village_id=world.villages["A"].pk, data={"needs": ["industry"]}
    )
    result = ranking.village_candidates(
        user=world.users["unit"], village_id=world.villages["A"].pk, role="team_member", on=ON
    )
    # own unit only (芒市人民医院); the agricultural specialist first (SEL.SRC.POOL and the
    # need 产业发展), the one over 45 last and marked (SEL.SRC.AGE), nobody dropped
    assert _names(result) == ["农专", "赵小兵", "老将"]
    assert result.needs == ["industry"] and result.need_labels == ["产业发展"]
    assert [r.ranked.eligible for r in result.rows] == [True, True, False]
    assert result.rows[0].ranked.needs_met == ("industry",)
    with pytest.raises(NotFound):  # 瑞丽 is outside a 芒市 county unit's reach
        ranking.village_candidates(
            user=world.users["unit"], village_id=world.villages["C"].pk, role="team_member", on=ON
        )


def test_prefecture_sees_only_cadres_whose_unit_may_be_sent_to_the_village(world):
    _extra_cadres(world)
    pref = world.users["prefecture"]
    in_a = _names(
        ranking.village_candidates(
            user=pref, village_id=world.villages["A"].pk, role="team_member", on=ON
        )
    )
    in_c = _names(
        ranking.village_candidates(
            user=pref, village_id=world.villages["C"].pk, role="team_member", on=ON
        )
    )
    assert set(in_a) == {"农专", "老将", "赵小兵", "州新"}  # no 瑞丽 county-unit cadre
    assert set(in_c) == {"瑞新", "州新"}  # no 芒市 county-unit cadre
    county = _names(
        ranking.village_candidates(
            user=world.users["county"], village_id=world.villages["A"].pk, role="team_member", on=ON
        )
    )
    assert set(county) == {"农专", "老将", "赵小兵"}


def test_cadres_in_post_or_with_an_open_nomination_are_not_ranked(world):
    extra = _extra_cadres(world)
    sel.nomination_create(
        actor=world.users["unit"],
        cadre_id=extra["agri"].pk,
        role="team_member",
        source="recommendation",
        dispatch_date=ON,
    )
    result = ranking.village_candidates(
        user=world.users["unit"], village_id=world.villages["A"].pk, role="team_member", on=ON
    )
    assert _names(result) == ["赵小兵", "老将"]


@pytest.mark.parametrize(
    "role", ["township", "first_secretary", "team_member", "village_secretary"]
)
def test_other_roles_may_not_rank(world, role):
    with pytest.raises(Forbidden):
        ranking.village_candidates(
            user=world.users[role], village_id=world.villages["A"].pk, role="team_member", on=ON
        )


def test_too_many_candidates_asks_for_a_unit(world, settings):
    _extra_cadres(world)
    settings.ZHUCUN_RANK_CANDIDATES_MAX = 2
    with pytest.raises(ValidationFailed) as exc:
        ranking.village_candidates(
            user=world.admin, village_id=world.villages["A"].pk, role="team_member", on=ON
        )
    assert "unit_id" in exc.value.errors
    result = ranking.village_candidates(
        user=world.admin,
        village_id=world.villages["C"].pk,
        role="team_member",
        on=ON,
        unit_id=world.units["ruili"].pk,
    )
    assert _names(result) == ["瑞新"]


def test_unknown_role_is_a_field_error(world):
    with pytest.raises(ValidationFailed) as exc:
        ranking.village_candidates(
            user=world.admin, village_id=world.villages["A"].pk, role="captain", on=ON
        )
    assert "role" in exc.value.errors
