"""Reading parameters: the packaged file (or ZHUCUN_PARAMETERS_FILE) plus the values that
jurisdictions set in the database."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from functools import lru_cache
from typing import Any

from zhucun.policy import Override, Parameters, load_parameters
from zhucun.policy.errors import ParameterUnset

from .models import ParameterValue


@lru_cache(maxsize=1)
def base_parameters() -> Parameters:
    path = os.environ.get("ZHUCUN_PARAMETERS_FILE") or None
    return load_parameters(path)


_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple[Any, ...], Parameters]] = {}
_checked: dict[str, float] = {}  # when the stamp was last compared


def parameters_forget() -> None:
    """Drop this process's applied set (``parameter_set`` calls it after adding a value)."""
    with _cache_lock:
        _cache.clear()
        _checked.clear()


def parameters_recheck() -> None:
    """Make the next ``max_age`` caller compare the stamp again (the applied set is kept: a
    caller that reads the same values costs no more than before)."""
    with _cache_lock:
        _checked.clear()


def parameters_current(*, max_age: float = 0.0) -> Parameters:
    """The parameter file with every jurisdiction's database values applied.

    Values are append-only (``parameter_set`` adds a row, never edits one), so the applied
    set is kept per process and rebuilt only when the values' count or newest id changed:
    one small aggregate query per call instead of reading every jurisdiction's values (a
    generated country has thousands, and the check-in writer asks once per batch). The
    stamp holds the newest ``created_at`` too: an id reused after a rolled-back transaction
    (SQLite) does not come back with the same microsecond. ``max_age`` (seconds): reuse the
    copy without asking the database if it was checked that recently (the check-in writer
    passes 2 s; ``parameter_set`` clears the copy of its own process at once)."""
    from django.db import connection
    from django.db.models import Count, Max

    cached = _cache.get(connection.alias)
    now = time.monotonic()
    if cached is not None and max_age > 0 and now - _checked.get(connection.alias, 0.0) < max_age:
        return cached[1]
    row = ParameterValue.objects.aggregate(n=Count("id"), last=Max("id"), at=Max("created_at"))
    stamp = (connection.settings_dict["NAME"], row["n"], row["last"], row["at"])
    _checked[connection.alias] = now
    if cached is not None and cached[0] == stamp:
        return cached[1]
    rows = ParameterValue.objects.select_related("jurisdiction").order_by("effective", "id")
    params = base_parameters().with_overrides(
        Override(
            name=r.name,
            jurisdiction=r.jurisdiction.code,
            effective=r.effective,
            value=r.value,
            note=r.note,
        )
        for r in rows
    )
    with _cache_lock:
        _cache[connection.alias] = (stamp, params)
    return params


def parameter_table(*, on: dt.date, jurisdiction: str) -> list[dict[str, Any]]:
    """Every parameter with its clause, source sentence and the value in force (or why not)."""
    params = parameters_current()
    table = []
    for p in params:
        row: dict[str, Any] = {
            "name": p.name,
            "clause": p.clause,
            "unit": p.unit,
            "description": p.description,
            "source": p.source,
            "gap": p.gap,
            "gap_note": p.gap_note,
        }
        try:
            v = params.lookup(p.name, on=on, jurisdiction=jurisdiction)
            row.update(value=v.value, effective=v.effective, set_by=v.jurisdiction, unset_reason="")
        except ParameterUnset as exc:
            row.update(value=None, effective=None, set_by="", unset_reason=str(exc))
        table.append(row)
    return table


def age_note_help() -> str:
    """The import template's hint for 年龄例外说明, with the age limit in force (SEL.SRC.AGE)."""
    from django.utils import timezone

    from zhucun.policy import PolicyError

    try:
        years = parameters_current().int_value("max_age_years", on=timezone.localdate())
    except PolicyError:
        return "按年龄例外选派时的说明"
    return f"年龄超过{years}周岁按例外选派时的说明"
