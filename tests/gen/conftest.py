"""Helpers for the ``zhucun gen`` tests: every database test loads the ``tiny`` scale (2
townships, 10 villages, 40 cadres, one month) through the real command."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhucun.gen.management.commands.gen import last_months


def gen(**options: object) -> str:
    out = StringIO()
    call_command("gen", stdout=out, **{"scale": "tiny", **options})
    return out.getvalue()


def generated_month() -> dt.date:
    return last_months(timezone.localdate(), 1)[0]


def rows_digest() -> str:
    """SHA-256 over every generated row of every generated table, in id order."""
    from zhucun.accounts.models import User
    from zhucun.attendance.models import CheckIn, DiaryEntry, LeaveRequest
    from zhucun.params.models import ParameterValue
    from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction, Posting, Village

    h = hashlib.sha256()
    for model in (
        Jurisdiction,
        Village,
        DispatchingUnit,
        Cadre,
        Posting,
        User,
        ParameterValue,
        CheckIn,
        LeaveRequest,
        DiaryEntry,
    ):
        h.update(model._meta.db_table.encode())
        for row in model.objects.order_by("pk").values_list():
            h.update(repr(row).encode())
    return h.hexdigest()


@pytest.fixture
def tiny():
    """The tiny scale, loaded with seed 7; returns the command's output."""
    return gen(seed=7)
