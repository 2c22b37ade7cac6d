"""The API client fixtures of tests/api (bearer tokens per role), with the whole project's URLs
(the charts page and its downloads live beside the API)."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiClient


@pytest.fixture
def tokens(world) -> dict[str, str]:
    from zhucun.useradmin.services import token_create

    return {
        role: token_create(actor=None, user=user, name="测试") for role, user in world.users.items()
    }


@pytest.fixture
def api(tokens):
    """``api(role)`` → an ApiClient authenticated as that role's user; ``api(None)`` → anonymous."""

    def make(role: str | None) -> ApiClient:
        return ApiClient(tokens[role] if role else None)

    return make
