from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

PREFIX = "/api/v1"


class ApiClient:
    """A test client that speaks JSON to /api/v1 with a bearer token (or none)."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None):
        return self.client.get(PREFIX + path, params or {}, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None, *, raw: str | bytes | None = None):
        data = raw if raw is not None else json.dumps(body, default=str, ensure_ascii=False)
        call = getattr(self.client, method.lower())
        return call(PREFIX + path, data=data, content_type="application/json", headers=self.headers)

    def post(self, path: str, body: Any = None, **kw: Any):
        return self.send("POST", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any):
        return self.send("PATCH", path, body, **kw)


@pytest.fixture(autouse=True)
def _api_urls(settings):
    settings.ROOT_URLCONF = "tests.api.urls"


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
