"""Facts for the fund tests (GUA.2.FS_FUND / VILLAGE_FUND / UNIT_FUND): the world's village A
made a 重点村, a first secretary arriving mid-year, the pro-rating flag set the way a
jurisdiction sets it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhucun.params.services import parameter_set
from zhucun.registry.models import Posting, Village
from zhucun.support.selectors import funds as sel

PREFECTURE = "533100000000"


def make_key(world, key: str = "A") -> None:
    Village.objects.filter(pk=world.villages[key].pk).update(key_village=True)


def arrive_mid_year(world, *, arrival=dt.date(2026, 3, 16), village="B", role="first_secretary"):
    """The spare cadre (芒市人民医院, county) posted from ``arrival`` (ORM: the registry's
    own rules are not under test here)."""
    return Posting.objects.create(
        cadre=world.cadres["spare"],
        village=world.villages[village],
        role=role,
        arrival_date=arrival,
        status="active",
    )


def prorate_off(world, *, effective=dt.date(2025, 1, 1)) -> None:
    parameter_set(
        actor=world.users["prefecture"],
        name="fund_prorate_by_months",
        jurisdiction_code=PREFECTURE,
        effective=effective,
        value=False,
        note="德组通〔2026〕1号",
    )


def rows(user, year: int, kind: str) -> list[sel.FundRow]:
    items = sel.entitlements(user=user, year=year, kind=kind)
    return items[0 : items.count()]


def row_of(user, year: int, kind: str, *, cadre=None, village=None) -> sel.FundRow:
    for r in rows(user, year, kind):
        if (cadre is not None and r.cadre_id == cadre.pk) or (
            village is not None and r.village_id == village.pk
        ):
            return r
    raise AssertionError("no such row")


def yuan(s: str) -> Decimal:
    return Decimal(s)
