def test_previous_month_is_the_last_full_month() -> None:
    """MGT.3.RANK: the month a township closes on any day of the next month."""
    from datetime import date

    from zhucun.policy.dates import previous_month

    assert previous_month(date(2026, 12, 5)) == date(2026, 11, 1)
    assert previous_month(date(2026, 1, 31)) == date(2025, 12, 1)
    assert previous_month(date(2024, 3, 1)) == date(2024, 2, 1)
