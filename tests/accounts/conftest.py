from __future__ import annotations

import pytest
from django.test import Client


def login_post(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    """POST the web login form from ``address`` (REMOTE_ADDR)."""
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def county(world):
    return world.users["county"]
