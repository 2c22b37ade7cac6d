import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


def is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture(autouse=True)
def _recheck_parameters():
    """The check-in writer reuses the parameters in force for 2 s without asking the database
    (params.selectors, max_age); a test that set one (e.g. builtin_checkin_enabled off) and
    was rolled back must not leak into the next: the next caller compares the stamp again."""
    from zhucun.params.selectors import parameters_recheck

    yield
    parameters_recheck()
