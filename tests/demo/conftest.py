import pytest
from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The full demo prefecture, built once for the whole tests/demo package inside a transaction that is rolled back
    afterwards, so the other test packages still start from an empty database."""
    from zhucun.demo.build import load_demo

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            result = load_demo()
            yield result
            transaction.set_rollback(True)


@pytest.fixture(scope="package")
def timeline(demo):
    """The demo's today and its months: built as of the machine's date."""
    return demo.timeline


@pytest.fixture(scope="package")
def days(demo, django_db_blocker):
    """The scripted scenarios' days (demo/attendance_days.py) for the demo's today."""
    from zhucun.demo.attendance_days import Days
    from zhucun.params.calendar import work_calendar

    with django_db_blocker.unblock():
        return Days.of(demo.timeline, work_calendar())
