"""Account services (issue 9, point 6 B): create, bulk for posted cadres, disable/enable,
reset by a manager of the same or a higher scope, change by the holder; audited without
passwords."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from zhucun.accounts import services as account_services
from zhucun.accounts.models import User
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry.models import Jurisdiction
from zhucun.useradmin import services


def _no_secret_in_audit(*secrets: str) -> None:
    for event in Event.objects.filter(object_type="accounts.user"):
        text = f"{event.before} {event.after} {event.note}"
        assert "password" not in (event.after or {}) and "pbkdf2" not in text and "md5$" not in text
        for secret in secrets:
            assert secret not in text


def test_create_gives_a_one_time_password_that_must_be_changed(world):
    user, raw = services.user_create(
        actor=world.users["county"], username="zhefang2", role="township", scope_code="533103102000"
    )
    assert user.must_change_password and user.jurisdiction.code == "533103102000"
    assert user.display_name == "遮放镇"  # the scope's name when none is given
    assert len(raw) >= 12 and authenticate(username="zhefang2", password=raw) == user
    event = Event.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor_id == world.users["county"].pk and event.after["role"] == "township"
    _no_secret_in_audit(raw)


@pytest.mark.parametrize(
    "role,code,field",
    [
        ("county", "533102000000", "scope"),  # another county
        ("county", "533103102000", "scope"),  # a township code for a county account
        ("township", "533102001000", "scope"),  # a township of another county
        ("village_secretary", "533102001001", "scope"),  # a village of another county
        ("unit", "瑞丽市财政局", "scope"),  # a unit of another county
        ("first_secretary", "", "scope"),
        ("boss", "533103000000", "role"),
    ],
)
def test_county_creates_only_inside_its_county(world, role, code, field):
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(
            actor=world.users["county"], username="newbie", role=role, scope_code=code
        )
    assert field in exc.value.errors
    assert not User.objects.filter(username="newbie").exists()


def test_only_an_administrator_creates_administrators(world):
    with pytest.raises(Forbidden):
        services.user_create(actor=world.users["prefecture"], username="root2", role="admin")
    user, _ = services.user_create(actor=world.admin, username="root2", role="admin")
    assert user.role == "admin"


def test_cadre_account_by_id_number_and_role_of_the_posting(world):
    fs_b = world.cadres["fs_b"]
    with pytest.raises(ValidationFailed) as exc:  # fs_b is a first secretary
        services.user_create(
            actor=world.users["county"],
            username="paizaola",
            role="team_member",
            scope_code=fs_b.id_number,
        )
    assert "role" in exc.value.errors
    user, _ = services.user_create(
        actor=world.users["township"],
        username="paizaola",
        role="first_secretary",
        scope_code=fs_b.id_number,
    )
    assert user.cadre == fs_b and user.display_name == fs_b.name
    with pytest.raises(ValidationFailed, match="已有账号"):
        services.user_create(
            actor=world.admin,
            username="paizaola2",
            role="first_secretary",
            scope_code=fs_b.id_number,
        )


def test_duplicate_or_bad_username_is_refused(world):
    for name, reason in (("county", "已被使用"), ("COUNTY", "已被使用"), ("a b", "只能包含")):
        with pytest.raises(ValidationFailed) as exc:
            services.user_create(actor=world.admin, username=name, role="admin")
        assert reason in exc.value.errors["username"]


@pytest.mark.parametrize("role", ["unit", "first_secretary", "team_member", "village_secretary"])
def test_units_cadres_and_village_secretaries_manage_no_accounts(world, role):
    actor = world.users[role]
    with pytest.raises(Forbidden):
        services.user_create(actor=actor, username="x1", role="team_member", scope_code="")
    with pytest.raises(Forbidden):
        services.user_password_reset(actor=actor, user_id=world.users["team_member"].pk)
    assert not services.users_manageable(actor).exists()


def test_managed_accounts_per_office(world):
    def names(role):
        return set(services.users_manageable(world.users[role]).values_list("username", flat=True))

    below_county = {"township", "first_secretary", "team_member", "village_secretary"}
    assert names("county") == {"county", "unit"} | below_county
    assert names("township") == below_county
    assert names("prefecture") == set(User.objects.values_list("username", flat=True)) - {"admin"}


def test_county_cannot_reset_a_user_of_another_county_same_answer_as_nobody(world):
    ruili, _ = services.user_create(
        actor=world.admin, username="ruili", role="county", scope_code="533102000000"
    )
    county = world.users["county"]
    with pytest.raises(NotFound) as other:
        services.user_password_reset(actor=county, user_id=ruili.pk)
    with pytest.raises(NotFound) as nobody:
        services.user_password_reset(actor=county, user_id=999999)
    assert other.value.message == nobody.value.message
    # the same or a higher scope may
    _, raw = services.user_password_reset(actor=world.users["prefecture"], user_id=ruili.pk)
    assert authenticate(username="ruili", password=raw) is not None


def test_a_township_cannot_reset_its_county(world):
    with pytest.raises(NotFound):
        services.user_password_reset(
            actor=world.users["township"], user_id=world.users["county"].pk
        )


def test_reset_gives_a_new_one_time_password_and_forces_a_change(world):
    tm = world.users["team_member"]
    user, raw = services.user_password_reset(actor=world.users["township"], user_id=tm.pk)
    assert user.must_change_password
    assert authenticate(username="team_member", password="pw") is None
    assert authenticate(username="team_member", password=raw) == tm
    assert Event.objects.filter(action="user.password_reset", object_id=str(tm.pk)).exists()
    _no_secret_in_audit(raw, "pw")


def test_nobody_resets_their_own_password(world):
    with pytest.raises(Forbidden, match="修改密码"):
        services.user_password_reset(actor=world.users["county"], user_id=world.users["county"].pk)


def test_disable_and_enable(world):
    tm = world.users["team_member"]
    services.user_disable(actor=world.users["township"], user_id=tm.pk)
    assert authenticate(username="team_member", password="pw") is None
    services.user_enable(actor=world.users["township"], user_id=tm.pk)
    assert authenticate(username="team_member", password="pw") == tm
    actions = list(
        Event.objects.filter(object_id=str(tm.pk), action__startswith="user.").values_list(
            "action", flat=True
        )
    )
    assert actions == ["user.disable", "user.enable"]
    with pytest.raises(NotFound):  # another county's office cannot
        other, _ = services.user_create(
            actor=world.admin, username="ruili", role="county", scope_code="533102000000"
        )
        services.user_disable(actor=other, user_id=tm.pk)


def test_password_change(world):
    user = world.users["county"]
    with pytest.raises(ValidationFailed) as exc:
        account_services.password_change(user=user, old="nope", new="Zhefang-2026-new")
    assert exc.value.errors == {"old_password": "原密码不正确"}
    account_services.password_change(user=user, old="pw", new="Zhefang-2026-new")
    assert authenticate(username="county", password="Zhefang-2026-new") == user
    assert Event.objects.filter(action="user.password_change", actor=user).exists()
    _no_secret_in_audit("Zhefang-2026-new")


def test_bulk_accounts_for_posted_cadres(world):
    county = Jurisdiction.objects.get(code="533103000000")
    created = services.users_create_for_cadres(actor=world.users["county"], jurisdiction=county)
    # fs_a and tm_a already have accounts; spare has no posting; fs_c is in another county
    assert [(u.cadre, u.role) for u, _ in created] == [(world.cadres["fs_b"], "first_secretary")]
    user, raw = created[0]
    assert user.username == f"zc{world.cadres['fs_b'].pk:06d}" and user.must_change_password
    assert authenticate(username=user.username, password=raw) is not None
    assert Event.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    _no_secret_in_audit(raw)
    # again: nothing left to open
    assert services.users_create_for_cadres(actor=world.users["county"], jurisdiction=county) == []


def test_bulk_outside_the_scope_is_not_found(world):
    ruili = Jurisdiction.objects.get(code="533102000000")
    with pytest.raises(NotFound):
        services.users_create_for_cadres(actor=world.users["county"], jurisdiction=ruili)
    assert not User.objects.filter(cadre=world.cadres["fs_c"]).exists()


def test_one_time_passwords_are_hashed_cheaply_then_upgraded_at_first_login(world, settings):
    """Opening a county's accounts must not cost a full PBKDF2 per cadre; the holder's first
    login re-hashes at the full cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.ZHUCUN_ONE_TIME_PASSWORD_ITERATIONS = 1000
    user, raw = services.user_create(actor=world.admin, username="cheap", role="admin")
    assert user.password.startswith("pbkdf2_sha256$1000$")
    assert authenticate(username="cheap", password=raw) == user
    user.refresh_from_db()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    assert user.password.startswith(f"pbkdf2_sha256${PBKDF2PasswordHasher.iterations}$")
