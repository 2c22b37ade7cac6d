"""Which providers serve which roles. A provider is ``fn(user, today) -> Iterable[TodoItem]``
and runs a bounded number of queries (no query per row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from zhucun.accounts.models import User

from .items import TodoItem

Provider = Callable[[User, dt.date], Iterable[TodoItem]]
PROVIDERS: list[tuple[frozenset[str], Provider]] = []


def provider(*roles: str) -> Callable[[Provider], Provider]:
    def register(fn: Provider) -> Provider:
        PROVIDERS.append((frozenset(roles), fn))
        return fn

    return register


def providers_for(role: str) -> list[Provider]:
    return [fn for roles, fn in PROVIDERS if role in roles]
