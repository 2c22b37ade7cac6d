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
def _forget_parameters():
    """The check-in writer keeps the parameters in force for a moment (params.selectors); a
    test that sets one (e.g. builtin_checkin_enabled off) must not leak into the next."""
    from zhucun.params.selectors import parameters_forget

    yield
    parameters_forget()
