"""The packaged parameter file and the lookup rules of Parameters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from zhucun.policy import (
    CLAUSE_IDS,
    InvalidOverride,
    Override,
    ParameterUnset,
    PolicyError,
    UnknownParameter,
    get_parameters,
    load_parameters,
)

from .policy_texts import POLICY_TEXT, read_policy

ON = date(2024, 6, 1)
DEHONG = "533100"
MANGSHI = "533103"
ZHEFANG = "533103102"  # 遮放镇 (芒市)


def test_every_parameter_cites_a_known_clause() -> None:
    params = get_parameters()
    assert len(params) > 0
    for entry in params:
        assert entry.clause in CLAUSE_IDS, entry.name


def test_every_source_is_copied_verbatim_from_the_policy_text() -> None:
    text = read_policy(POLICY_TEXT)
    for entry in get_parameters():
        assert entry.source in text, entry.name


def test_get_parameters_is_cached_and_equals_a_fresh_load() -> None:
    assert get_parameters() is get_parameters()
    assert load_parameters().names() == get_parameters().names()


# Each figure of CLAUSES.md: (parameter, clause, expected value with its exact Python type).
POLICY_VALUES: list[tuple[str, str, object]] = [
    ("cat3_min_first_secretaries", "SEL.SCOPE.CAT3", 1),
    ("cat3_min_team_members", "SEL.SCOPE.CAT3", 2),
    ("cat3_max_team_size", "SEL.SCOPE.CAT3", 5),
    ("other_min_first_secretaries", "SEL.SCOPE.OTHER", 1),
    ("max_concurrent_postings", "SEL.COND.MUST3", 1),
    ("max_age_years", "SEL.SRC.AGE", 45),
    ("fs_min_party_years", "SEL.SRC.FS_PARTY", 1),
    ("fs_min_work_years", "SEL.SRC.FS_WORK", 2),
    ("appoint_fs_within_working_days", "SEL.METHOD.APPOINT10", 10),
    ("party_transfer_within_working_days", "SEL.METHOD.TRANSFER15", 15),
    ("appoint_fs_warn_working_days", "SEL.METHOD.APPOINT10", 3),
    ("party_transfer_warn_working_days", "SEL.METHOD.TRANSFER15", 3),
    ("term_min_years", "MGT.TERM", 2),
    ("term_end_notice_days", "MGT.9.HANDOVER", 90),
    ("diary_entries_per_duty_day", "MGT.1.DIARY", 1),
    ("checkins_per_day", "MGT.1.CHECKIN", 1),
    ("checkin_late_window_hours", "MGT.1.CHECKIN", 72),
    ("checkin_default_radius_m", "MGT.1.CHECKIN", 500),
    ("checkin_min_accuracy_m", "MGT.1.CHECKIN", 100),
    ("rest_max_per_quarter", "MGT.1.REST", 1),
    ("rest_max_days", "MGT.1.REST", 7),
    ("rest_max_team_fraction", "MGT.1.REST", Fraction(1, 3)),
    ("rest_min_team_batch", "MGT.1.REST", 1),  # settled reading: ⅓ never below one person
    ("fraud_max_speed_kmh", "MGT.1.FRAUD", 120),
    ("fraud_repeat_coordinates_min", "MGT.1.FRAUD", 3),
    ("fraud_clock_skew_minutes", "MGT.1.FRAUD", 30),
    ("checkin_device_time_max_ahead_hours", "MGT.1.CHECKIN", 24),
    ("checkin_max_reported_accuracy_m", "MGT.1.CHECKIN", 5000),
    ("meetings_per_week", "MGT.2", 1),
    ("monthly_summary_due_day", "MGT.3.SUMMARY", 5),
    ("rank_bottom_count", "MGT.3.RANK", 3),
    ("rank_publication_enabled", "MGT.3.RANK", True),
    ("talk_min_attendance_ratio", "MGT.3.TALK", Fraction(1)),
    ("recall_reviews_per_quarter", "MGT.4.REVIEW", 1),
    ("recall_promotion_ban_years", "MGT.4.CONSEQ", 3),
    ("recall_absent_months_min", "MGT.4.CAUSE", 2),  # project reading of 长期 (READINGS.md)
    ("recall_replacement_days", "MGT.4.CONSEQ", 30),  # project reading: a reminder deadline
    ("assessments_per_year", "MGT.5.ANNUAL", 1),
    ("fs_reports_per_month", "MGT.6.MONTHLY", 1),
    ("monthly_report_due_day", "MGT.6.MONTHLY", 5),
    ("township_reports_per_quarter", "MGT.6.QUARTERLY", 1),
    ("township_report_due_day", "MGT.6.QUARTERLY", 10),  # 运行参数 (the text gives no day)
    ("unit_hearings_per_half_year", "MGT.6.HALFYEAR", 1),
    ("training_rounds_min_per_year", "MGT.7.ANNUAL", 1),
    ("training_min_days_per_year", "MGT.7.DAYS", 3),
    ("visits_min_per_month", "MGT.8.VISITS", 1),
    ("sjsp_per_quarter", "MGT.8.SJSP", 1),
    ("unit_leader_visits_per_year", "GUA.1.BIND", 1),
    ("fs_work_fund_yuan", "GUA.2.FS_FUND", Decimal(10000)),
    ("village_fund_key_weak_yuan", "GUA.2.VILLAGE_FUND", Decimal(20000)),
    ("village_fund_other_yuan", "GUA.2.VILLAGE_FUND", Decimal(10000)),
    ("unit_fund_province_yuan", "GUA.2.UNIT_FUND", Decimal(20000)),
    ("unit_fund_prefecture_yuan", "GUA.2.UNIT_FUND", Decimal(10000)),
    ("unit_fund_county_yuan", "GUA.2.UNIT_FUND", Decimal(5000)),
    ("fund_prorate_by_months", "GUA.2.FS_FUND", True),  # 运行参数: whole months in post
    ("transport_yuan_per_km", "GUA.2.TRAVEL", Decimal("2.5")),
    ("transport_round_trips_per_month", "GUA.2.TRAVEL", 1),
    ("subsidy_pay_max_delay_quarters", "GUA.2.PAY", 1),
    ("exams_per_year", "GUA.2.EXAM", 1),
    ("talk_max_interval_months", "GUA.3.TALK", 3),  # project reading of 经常 (READINGS.md)
    ("leave_after_term_days", "GUA.3.LEAVE15", 15),
    ("builtin_checkin_enabled", "MGT.1.CHECKIN", True),  # 运行参数: imports from another app
]


@pytest.mark.parametrize(("name", "clause", "expected"), POLICY_VALUES)
def test_policy_values_of_the_dehong_2021_opinions(
    name: str, clause: str, expected: object
) -> None:
    """Each figure of CLAUSES.md, under the clause it belongs to, with the exact Python type."""
    params = get_parameters()
    assert params.entry(name).clause == clause
    value = params.value(name, on=ON, jurisdiction=ZHEFANG)
    assert value == expected
    assert type(value) is type(expected)


def test_every_non_gap_parameter_is_covered_by_the_value_table() -> None:
    """Guards POLICY_VALUES: a parameter added to the file needs its expected figure too."""
    assert {row[0] for row in POLICY_VALUES} == {p.name for p in get_parameters() if not p.gap}


def test_mgt_1_days_is_a_gap_without_default() -> None:
    """MGT.1.DAYS: the source lost the number; no silent default, a clear Chinese message."""
    params = get_parameters()
    entry = params.entry("min_days_on_duty_per_year")
    assert entry.gap and entry.values == () and entry.unit == "days"
    assert "数字缺失" in entry.gap_note and "200" in entry.gap_note
    assert entry.suggested == 200
    with pytest.raises(ParameterUnset) as raised:
        params.value("min_days_on_duty_per_year", on=ON, jurisdiction=ZHEFANG)
    message = str(raised.value)
    for part in ("min_days_on_duty_per_year", "MGT.1.DAYS", "2024-06-01", "533103102000"):
        assert part in message
    assert "须由本辖区设置" in message and "数字缺失" in message
    assert raised.value.gap and raised.value.clause == "MGT.1.DAYS"
    assert isinstance(raised.value, PolicyError)


def test_gua_2_living_subsidies_must_be_set_by_the_jurisdiction() -> None:
    params = get_parameters()
    for name in ("living_subsidy_yuan_per_day", "communication_subsidy_yuan_per_month"):
        assert params.entry(name).clause == "GUA.2.LIVING"
        with pytest.raises(ParameterUnset, match="须由本辖区设置"):
            params.value(name, on=ON)


def test_mgt_1_days_override_from_a_county_applies_to_its_townships_only() -> None:
    """MGT.1.DAYS set by 芒市 (as the database will do) reaches 遮放镇, not 瑞丽市."""
    params = get_parameters().with_overrides(
        [Override("min_days_on_duty_per_year", MANGSHI, date(2024, 1, 1), 200, "县委组织部通知")]
    )
    assert params.value("min_days_on_duty_per_year", on=ON, jurisdiction=ZHEFANG) == 200
    assert params.lookup("min_days_on_duty_per_year", on=ON, jurisdiction=ZHEFANG).note
    with pytest.raises(ParameterUnset):
        params.value("min_days_on_duty_per_year", on=ON, jurisdiction="533102")
    with pytest.raises(ParameterUnset):  # not yet in force
        params.value("min_days_on_duty_per_year", on=date(2023, 12, 31), jurisdiction=ZHEFANG)
    # the original is unchanged
    with pytest.raises(ParameterUnset):
        get_parameters().value("min_days_on_duty_per_year", on=ON, jurisdiction=ZHEFANG)


def test_lookup_most_specific_jurisdiction_then_latest_effective_date() -> None:
    """SEL.SRC.AGE used as an example of the general lookup rule."""
    params = get_parameters().with_overrides(
        [
            Override("max_age_years", DEHONG, date(2025, 1, 1), 50),
            Override("max_age_years", MANGSHI, date(2024, 3, 1), 40),
            Override("max_age_years", MANGSHI, date(2024, 9, 1), 42),
        ]
    )
    assert params.value("max_age_years", on=date(2024, 2, 29), jurisdiction=ZHEFANG) == 45
    assert params.value("max_age_years", on=date(2024, 3, 1), jurisdiction=ZHEFANG) == 40
    assert params.value("max_age_years", on=date(2024, 9, 1), jurisdiction=ZHEFANG) == 42
    # the county's older value beats the prefecture's newer one: specificity first
    assert params.value("max_age_years", on=date(2026, 1, 1), jurisdiction=ZHEFANG) == 42
    assert params.value("max_age_years", on=date(2026, 1, 1), jurisdiction="533102") == 50
    assert params.value("max_age_years", on=date(2026, 1, 1)) == 50  # home jurisdiction


def test_lookup_with_an_explicit_chain_of_twelve_digit_codes() -> None:
    """SEL.SRC.AGE via the chain form: most specific first, up to the root."""
    params = get_parameters().with_overrides(
        [Override("max_age_years", "533103000000", date(2024, 1, 1), 40)]
    )
    chain = ["533103102000", "533103000000", "533100000000"]
    assert params.value("max_age_years", on=ON, jurisdiction=chain) == 40
    assert params.value("max_age_years", on=ON, jurisdiction=chain[::2]) == 45


def test_an_override_on_the_same_day_and_jurisdiction_wins() -> None:
    """MGT.1.REST: a jurisdiction may replace the ⅓ from the same date."""
    params = get_parameters().with_overrides(
        [Override("rest_max_team_fraction", DEHONG, date(2021, 10, 19), "1/4")]
    )
    assert params.value("rest_max_team_fraction", on=ON) == Fraction(1, 4)


def test_no_value_before_the_policy_took_effect() -> None:
    """SEL.SRC.AGE did not exist before 2021-10-19."""
    with pytest.raises(ParameterUnset, match="2021-10-18") as raised:
        get_parameters().value("max_age_years", on=date(2021, 10, 18))
    assert not raised.value.gap
    assert "SEL.SRC.AGE" in str(raised.value)


def test_another_prefecture_has_no_value_until_it_sets_one() -> None:
    """SEL.SRC.AGE for 昆明市: the Dehong values do not leak to another prefecture."""
    params = get_parameters()
    with pytest.raises(ParameterUnset):
        params.value("max_age_years", on=ON, jurisdiction="530100")
    kunming = params.with_overrides([Override("max_age_years", "5301", date(2022, 1, 1), 40)])
    assert kunming.value("max_age_years", on=ON, jurisdiction="530102") == 40


def test_typed_accessors() -> None:
    """GUA.2.TRAVEL, MGT.1.REST, MGT.3.RANK through the typed accessors."""
    params = get_parameters()
    assert params.decimal_value("transport_yuan_per_km", on=ON) == Decimal("2.5")
    assert params.fraction_value("rest_max_team_fraction", on=ON) == Fraction(1, 3)
    assert params.int_value("rank_bottom_count", on=ON) == 3
    assert params.flag_value("rank_publication_enabled", on=ON) is True
    with pytest.raises(TypeError):
        params.int_value("rank_publication_enabled", on=ON)
    with pytest.raises(TypeError):
        params.flag_value("rank_bottom_count", on=ON)
    with pytest.raises(TypeError):
        params.int_value("transport_yuan_per_km", on=ON)


def test_unknown_parameter() -> None:
    with pytest.raises(UnknownParameter, match="nope"):
        get_parameters().value("nope", on=ON)
    with pytest.raises(LookupError):
        get_parameters().entry("nope")


@pytest.mark.parametrize(
    "override",
    [
        Override("nope", DEHONG, ON, 1),
        Override("max_age_years", "53310", ON, 40),
        Override("max_age_years", DEHONG, ON, "forty"),
        Override("max_age_years", DEHONG, ON, True),
        Override("max_age_years", DEHONG, ON, -1),
        Override("transport_yuan_per_km", DEHONG, ON, float("nan")),
        Override("max_age_years", DEHONG, ON, 45.0),
        Override("rest_max_team_fraction", DEHONG, ON, "3/2"),
        Override("rank_publication_enabled", DEHONG, ON, 0),
        Override("max_age_years", DEHONG, "2024-06-01", 40),  # type: ignore[arg-type]
    ],
)
def test_bad_overrides_are_refused(override: Override) -> None:
    with pytest.raises(InvalidOverride):
        get_parameters().with_overrides([override])


def test_gua_2_travel_override_from_json_float_is_read_as_its_decimal() -> None:
    """GUA.2.TRAVEL: a JSON number (float) from the database becomes the exact Decimal."""
    params = get_parameters().with_overrides(
        [Override("transport_yuan_per_km", MANGSHI, date(2024, 1, 1), 2.8)]
    )
    assert params.value("transport_yuan_per_km", on=ON, jurisdiction=MANGSHI) == Decimal("2.8")


def test_entry_exposes_the_documentation() -> None:
    """GUA.2.TRAVEL: clause, source, unit, description and the dated values."""
    entry = get_parameters().entry("transport_yuan_per_km")
    assert entry.unit == "yuan_per_km"
    assert "每公里2.5元" in entry.source
    assert entry.description
    (value,) = entry.values
    assert value.effective == date(2021, 10, 19)
    assert value.jurisdiction == "533100000000"


def test_operational_parameters_say_so() -> None:
    """MGT.1.CHECKIN / MGT.1.FRAUD operational values, and the MGT.8.SJSP practice, say so."""
    params = get_parameters()
    for name in (
        "checkin_late_window_hours",
        "checkin_default_radius_m",
        "checkin_min_accuracy_m",
        "fraud_max_speed_kmh",
        "fraud_repeat_coordinates_min",
        "fraud_clock_skew_minutes",
        "checkin_device_time_max_ahead_hours",
        "checkin_max_reported_accuracy_m",
        "appoint_fs_warn_working_days",
        "party_transfer_warn_working_days",
        "term_end_notice_days",
        "township_report_due_day",
        "fund_prorate_by_months",
        "builtin_checkin_enabled",
    ):
        assert "运行参数" in params.entry(name).note
    # MGT.8.SJSP / MGT.5.GRADE: the source fixes no number; unset until a jurisdiction sets it
    for name, suggested in (
        ("sjsp_satisfaction_threshold", Fraction(9, 10)),
        ("excellent_quota_ratio", Fraction(1, 5)),
    ):
        entry = params.entry(name)
        assert entry.gap and entry.suggested == suggested and "须由本辖区设置" in entry.gap_note
