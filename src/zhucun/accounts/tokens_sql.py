"""The bearer tokens of a batch of check-ins, resolved in one round trip (the lean check-in
path, ``api/fastpath.py``): the same filter as ``ApiToken.objects.live`` — not revoked, not
expired, user active — as a statement of constant text, and the users built from its rows
without the ORM's query compiler. The ``last_used`` stamp of the tokens not stamped for
``every`` is moved in the same round trip, in a transaction that does not wait for the disk:
the stamp is informational (a crash may lose the last minute of it; never a check-in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from zhucun.core.pipeline import in_list, postgres, statements_run

from .models import ApiToken, User

_USER_FIELDS = ("id", "username", "display_name", "role", "cadre_id", "jurisdiction_id")


def tokens_resolve(
    *, hashes: Sequence[str], now: dt.datetime, every: dt.timedelta
) -> dict[str, User]:
    """The active user of each live token among ``hashes`` (key hash → user)."""
    token, user = ApiToken._meta.db_table, User._meta.db_table
    keys = sorted(set(hashes))
    where, params = in_list("t.key_hash", keys)
    live = "t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > %s) AND u.is_active"
    cols = ", ".join(f"u.{f}" for f in _USER_FIELDS)
    select = (
        f"SELECT t.key_hash, {cols} FROM {token} t JOIN {user} u ON u.id = t.user_id"
        f" WHERE {where} AND {live}",
        [*params, now],
    )
    stamp_where, stamp_params = in_list("key_hash", keys)
    stamp = (
        f"UPDATE {token} SET last_used = %s WHERE {stamp_where}"
        " AND (last_used IS NULL OR last_used <= %s)",
        [now, *stamp_params, now - every],
    )
    prelude = [("SET LOCAL synchronous_commit TO OFF", [])] if postgres() else []
    with transaction.atomic():
        rows = statements_run([*prelude, select, stamp], oltp=True)[len(prelude)]
    users: dict[str, User] = {}
    for key_hash, *values in rows:
        u = User(**dict(zip(_USER_FIELDS, values, strict=True)), is_active=True)
        u._state.adding = False
        users[key_hash] = u
    return users
