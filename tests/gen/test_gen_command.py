"""``zhucun gen``: refusing a database with data, --force, the audit chain, determinism, the
report and its JSON, and the database guard."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError
from django.db import connection

from zhucun.attendance.models import CheckIn
from zhucun.audit.models import Event
from zhucun.audit.services import chain_verify
from zhucun.gen.management.commands.gen import check_backend, last_months
from zhucun.registry.models import Cadre, Village

from .conftest import gen, rows_digest

db = pytest.mark.django_db(transaction=True)


@db
def test_refuses_a_database_with_data_unless_forced(tiny):
    before = (Cadre.objects.count(), CheckIn.objects.count(), Event.objects.count())
    with pytest.raises(CommandError, match="--force"):
        gen(seed=7)
    assert (Cadre.objects.count(), CheckIn.objects.count(), Event.objects.count()) == before
    gen(seed=8, force=True)
    assert Cadre.objects.count() == 40 and Village.objects.count() == 10


@db
def test_refuses_a_database_with_only_users_unless_forced():
    from zhucun.accounts.models import User

    User.objects.create(username="someone", role="admin")
    with pytest.raises(CommandError, match="accounts_user"):
        gen()
    gen(force=True)
    assert not User.objects.filter(username="someone").exists()


@db
def test_audit_chain_verifies_with_one_load_event_recording_the_counts(tiny):
    checked, broken, reason = chain_verify()
    assert (checked, broken, reason) == (1, None, "")
    event = Event.objects.get()
    assert event.action == "gen.load" and event.actor_id is None
    assert event.after["rows"]["attendance_checkin"] == CheckIn.objects.count()
    assert event.after["rows"]["registry_cadre"] == 40
    gen(seed=7, force=True)  # the chain restarts with the data
    assert chain_verify() == (1, None, "")


@db
def test_same_seed_same_rows_other_seed_other_rows(tiny):
    first = rows_digest()
    gen(seed=7, force=True)
    assert rows_digest() == first
    gen(seed=8, force=True)
    assert rows_digest() != first


@db
def test_report_and_json_give_rows_and_rates_per_table(tiny, tmp_path):
    path = tmp_path / "gen.json"
    out = gen(seed=7, force=True, json=str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    tables = {t["table"]: t for t in data["tables"]}
    assert tables["attendance_checkin"]["rows"] == CheckIn.objects.count()
    assert tables["registry_cadre"]["rows"] == 40
    assert data["total"]["rows"] == sum(t["rows"] for t in data["tables"])
    assert all(t["rows_per_second"] >= 0 and t["seconds"] >= 0 for t in data["tables"])
    assert data["scale"] == "tiny" and data["seed"] == 7 and data["database"] == connection.vendor
    line = next(x for x in out.splitlines() if "attendance_checkin" in x)
    assert line.startswith("签到") and "行/秒" in line and f"{CheckIn.objects.count():,} 行" in line
    assert "合计" in out


@db
def test_prefecture_scale_has_about_300_villages_and_1200_cadres():
    gen(scale="prefecture")
    assert Village.objects.count() == 300
    assert Cadre.objects.count() == 1200
    assert chain_verify()[1] is None


def test_sqlite_takes_only_the_small_scales():
    check_backend("sqlite", "tiny")
    check_backend("sqlite", "prefecture")
    for scale in ("province", "national"):
        with pytest.raises(CommandError, match="SQLite.*PostgreSQL"):
            check_backend("sqlite", scale)
        check_backend("postgresql", scale)
    with pytest.raises(CommandError, match="mysql"):
        check_backend("mysql", "tiny")


def test_months_end_with_the_last_complete_month():
    assert last_months(dt.date(2026, 11, 29), 1) == [dt.date(2026, 10, 1)]
    assert last_months(dt.date(2026, 1, 1), 3) == [
        dt.date(2025, 10, 1),
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
    ]
