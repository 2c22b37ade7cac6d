"""Jurisdiction values for parameters (MGT.1.DAYS is a GAP: unset until a jurisdiction sets it)."""

import datetime as dt

import pytest

from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.params.selectors import parameter_table, parameters_current
from zhucun.params.services import parameter_set
from zhucun.policy.errors import ParameterUnset

ON = dt.date(2026, 6, 1)


def test_mgt_1_days_unset_until_a_jurisdiction_sets_it(world):
    with pytest.raises(ParameterUnset) as exc:
        parameters_current().value("min_days_on_duty_per_year", on=ON, jurisdiction="533103102001")
    assert "MGT.1.DAYS" in str(exc.value)
    row = next(
        r
        for r in parameter_table(on=ON, jurisdiction="533103000000")
        if r["name"] == "min_days_on_duty_per_year"
    )
    assert row["value"] is None and row["gap"] and "MGT.1.DAYS" in row["unset_reason"]


def test_mgt_1_days_set_by_county_applies_to_its_villages_only(world):
    n = Event.objects.count()
    parameter_set(
        actor=world.users["county"],
        name="min_days_on_duty_per_year",
        jurisdiction_code="533103000000",
        effective=dt.date(2026, 1, 1),
        value=200,
        note="芒组通〔2026〕1号",
    )
    params = parameters_current()
    assert params.value("min_days_on_duty_per_year", on=ON, jurisdiction="533103102001") == 200
    with pytest.raises(ParameterUnset):
        params.value("min_days_on_duty_per_year", on=ON, jurisdiction="533102001001")
    with pytest.raises(ParameterUnset):  # not before its effective date
        params.value(
            "min_days_on_duty_per_year", on=dt.date(2025, 12, 31), jurisdiction="533103102001"
        )
    assert (
        Event.objects.filter(action="parameter.set").count() == 1 and Event.objects.count() == n + 1
    )


def test_county_cannot_set_another_county(world):
    with pytest.raises(ValidationFailed) as exc:
        parameter_set(
            actor=world.users["county"],
            name="min_days_on_duty_per_year",
            jurisdiction_code="533102000000",
            effective=ON,
            value=200,
            note="x",
        )
    assert "jurisdiction_code" in exc.value.errors


def test_township_may_not_set_parameters(world):
    with pytest.raises(Forbidden):
        parameter_set(
            actor=world.users["township"],
            name="min_days_on_duty_per_year",
            jurisdiction_code="533103102000",
            effective=ON,
            value=200,
            note="x",
        )


def test_bad_value_and_unknown_name_are_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        parameter_set(
            actor=world.users["prefecture"],
            name="min_days_on_duty_per_year",
            jurisdiction_code="533100000000",
            effective=ON,
            value="很多",
            note="x",
        )
    assert "value" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        parameter_set(
            actor=world.users["prefecture"],
            name="no_such_thing",
            jurisdiction_code="533100000000",
            effective=ON,
            value=1,
            note="x",
        )
    assert "name" in exc.value.errors


def test_parameters_current_sees_a_new_value_at_once(world):
    """The per-process copy is rebuilt as soon as a value is added (values are append-only)."""
    import datetime as dt

    from zhucun.params.selectors import parameters_current
    from zhucun.params.services import parameter_set

    before = parameters_current()
    assert parameters_current() is before  # nothing changed: the same applied set
    parameter_set(
        actor=world.admin,
        name="fraud_max_speed_kmh",
        jurisdiction_code=world.villages["A"].jurisdiction.code[:6] + "000000",
        effective=dt.date(2025, 1, 1),
        value=95,
        note="测试:本县调整",
    )
    after = parameters_current()
    assert after is not before
    county = world.villages["A"].jurisdiction.code
    assert after.int_value("fraud_max_speed_kmh", on=dt.date(2025, 3, 1), jurisdiction=county) == 95
