"""Scope rules of the registry (DESIGN.md 'Who uses it'): each role sees exactly its part."""

from zhucun.registry import disclosure, scopes


def cadre_personal(user, cadre):
    return disclosure.cadre_view(user, cadre).personal()


def names(qs):
    return sorted(str(o) for o in qs)


def test_county_sees_only_its_county(world):
    u = world.users["county"]
    assert names(scopes.villages_visible(u)) == ["弄坎村", "拉勐村"]
    assert "团结村" not in names(scopes.villages_visible(u))
    assert "李国强" not in names(scopes.cadres_visible(u))


def test_prefecture_sees_all(world):
    assert len(scopes.villages_visible(world.users["prefecture"])) == 3


def test_unit_sees_its_cadres_wherever_posted(world):
    u = world.users["unit"]
    assert names(scopes.cadres_visible(u)) == ["线美玲", "赵小兵"]
    assert names(scopes.villages_visible(u)) == ["弄坎村"]


def test_first_secretary_sees_own_team(world):
    u = world.users["first_secretary"]
    assert names(scopes.cadres_visible(u)) == ["岳文华", "线美玲"]
    assert names(scopes.villages_visible(u)) == ["弄坎村"]


def test_team_member_sees_only_self(world):
    assert names(scopes.cadres_visible(world.users["team_member"])) == ["线美玲"]


def test_personal_data_masked_for_township(world):
    cadre = world.cadres["fs_a"]
    shown = cadre_personal(world.users["township"], cadre)
    assert shown["id_number"] != cadre.id_number and shown["id_number"].startswith("53")
    # issue 9: province and the last two digits only (tests/registry/test_disclosure.py counts)
    assert sum(ch.isdigit() or ch == "X" for ch in shown["id_number"]) == 4
    assert shown["phone"] == cadre.phone
    assert shown["health_fit"] is None
    assert cadre_personal(world.users["county"], cadre)["id_number"] == cadre.id_number
    masked = cadre_personal(world.users["village_secretary"], cadre)
    assert "****" in masked["phone"]
