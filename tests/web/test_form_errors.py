"""Issue 10 point 7: a form refused keeps its input and says why in Chinese, next to the field —
never a 400 page quoting a parameter key or division codes. Implausible dates (before 2000 for
what the system manages, or more than ZHUCUN_MAX_YEARS_AHEAD years ahead) are field errors; a
person's own history (birth, start of work, party membership) may lie before 2000."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from zhucun.attendance.models import LeaveRequest
from zhucun.registry.models import Posting
from zhucun.selection.models import NominationState
from zhucun.selection.services import nominations as sel

from .helpers import html, login
from .test_visible_words import offences, plain_names, visible

FIVE = {k: True for k in ("political", "conduct", "ability", "style", "integrity")}


@pytest.fixture(autouse=True)
def _names(world):
    plain_names(world)


def _plain(text: str) -> str:
    words, _ = visible(text)
    assert not offences(words), offences(words)
    return words


@pytest.fixture
def decided(world):
    """A nomination of 赵小兵 (芒市人民医院) ready to be posted by the county."""
    unit, county = world.users["unit"], world.users["county"]
    n = sel.nomination_create(
        actor=unit,
        cadre_id=world.cadres["spare"].pk,
        role="team_member",
        source="recommendation",
        dispatch_date=dt.date(2026, 3, 2),
    )
    sel.nomination_propose(
        actor=unit, nomination_id=n.pk, basic_attested=True, no1_attested=True, attested_by="王敏"
    )
    sel.nomination_review(actor=county, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="李华")
    sel.nomination_decide(actor=unit, nomination_id=n.pk)
    return n


def _post(client, world, n, arrival, planned_end="2028-03-01"):
    login(client, world, "county")
    return client.post(
        f"/nominations/{n.pk}/",
        {
            "action": "post",
            "village_id": world.villages["A"].pk,
            "arrival_date": arrival,
            "planned_end": planned_end,
        },
    )


def test_arrival_1900_is_a_field_error_and_the_form_keeps_its_input(client, world, decided):
    response = _post(client, world, decided, "1900-01-01")
    assert response.status_code == 200
    text = html(response)
    error = re.search(r'id="[^"]*error_arrival_date">([^<]*)<', text)
    assert error and "不能早于2000年1月1日" in error.group(1)
    assert 'value="1900-01-01"' in text and 'value="2028-03-01"' in text  # input kept
    assert f'<option value="{world.villages["A"].pk}" selected' in text
    assert "533100" not in _plain(text)
    decided.refresh_from_db()
    assert decided.state == NominationState.DECIDED


def test_a_date_before_the_parameters_names_the_rule_in_chinese_on_the_form(client, world, decided):
    # 2005 is plausible, but no term length (MGT.TERM) was in force: a form error, not a 400
    response = _post(client, world, decided, "2005-03-01", planned_end="")
    assert response.status_code == 200
    text = html(response)
    words = _plain(text)
    assert "没有生效的取值" in words and "term_min_years" not in text
    assert "533100" not in words and 'value="2005-03-01"' in text
    assert not Posting.objects.filter(cadre=world.cadres["spare"]).exists()


def test_years_ahead_is_a_field_error(client, world, decided):
    far = dt.date.today().year + 30
    text = html(_post(client, world, decided, "2026-03-02", planned_end=f"{far}-03-01"))
    error = re.search(r'id="[^"]*error_planned_end">([^<]*)<', text)
    assert error and "不能晚于" in error.group(1) and "请检查年份" in error.group(1)


def test_leave_form_with_an_implausible_date(client, world):
    login(client, world, "team_member")
    response = client.post(
        "/m/leave/",
        {
            "action": "create",
            "kind": "personal",
            "start": "1900-01-01",
            "end": "1900-01-02",
            "reason": "家中有事",
        },
    )
    assert response.status_code == 200
    text = html(response)
    assert "开始日期不能早于2000年1月1日" in text and 'value="1900-01-02"' in text
    assert "家中有事" in text
    _plain(text)
    assert not LeaveRequest.objects.exists()


def test_coverage_exception_with_an_implausible_date(client, world):
    login(client, world, "county")
    village = world.villages["A"]
    text = html(
        client.post(
            "/coverage/",
            {
                "village_id": village.pk,
                "reason": "边境管控需要,暂缺1名队员",
                "valid_from": "1900-01-01",
                "valid_until": "2027-06-30",
                "min_team_members": "1",
                "decided_by": "芒市县委组织部部务会",
            },
            follow=True,
        )
    )
    assert "生效日期不能早于2000年1月1日" in text
    assert "边境管控需要,暂缺1名队员" in text and "芒市县委组织部部务会" in text
    _plain(text)
    assert not village.composition_exceptions.exists()


def test_cadre_edit_dates(client, world):
    """A start of work before 2000 is normal; one decades ahead is a field error."""
    cadre = world.cadres["spare"]
    login(client, world, "admin")
    response = client.post(
        f"/cadres/{cadre.pk}/edit/", {**_cadre_form(client, cadre), "work_start_date": "2090-08-01"}
    )
    assert response.status_code == 200
    text = html(response)
    error = re.search(r'id="[^"]*error_work_start_date">([^<]*)<', text)
    assert error and "不能晚于" in error.group(1)
    assert 'value="2090-08-01"' in text
    _plain(text)
    response = client.post(
        f"/cadres/{cadre.pk}/edit/", {**_cadre_form(client, cadre), "work_start_date": "1998-08-01"}
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.work_start_date == dt.date(1998, 8, 1)


def _cadre_form(client, cadre) -> dict[str, str]:
    """The edit form's current values, as a browser would send them back."""
    text = html(client.get(f"/cadres/{cadre.pk}/edit/"))
    data = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', text))
    for name in re.findall(r'<input[^>]*type="checkbox"[^>]*name="([a-z_]+)"[^>]*checked', text):
        data[name] = "on"
    for name, body in re.findall(r'<select[^>]*name="([a-z_]+)"[^>]*>(.*?)</select>', text, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = chosen.group(1) if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_a_policy_gap_reads_in_chinese_without_key_or_codes(world):
    """What the 400 page (web.middleware) says for a ParameterUnset no view caught."""
    from zhucun.policy.errors import ParameterUnset
    from zhucun.web.words import policy_message

    exc = ParameterUnset(
        name="term_min_years",
        clause="MGT.TERM",
        on=dt.date(2005, 3, 1),
        jurisdiction=["533103102001", "533103000000", "533100000000"],
        gap=False,
        description="驻村工作队员每期任期的最短年限",
    )
    assert "term_min_years" in str(exc)  # the log keeps the key …
    message = policy_message(exc)  # … the page does not
    assert "term_min_years" not in message and "5331" not in message
    assert "弄坎村" in message and "MGT.TERM" in message and "2005年3月1日" in message
