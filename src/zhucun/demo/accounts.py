"""One demo account per role, and the table that prints them."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password, make_password

from zhucun.accounts.models import User, UserRole
from zhucun.registry.models import DispatchingUnit, Jurisdiction, Posting, Village

from . import people

PASSWORD = "zhucun2026"
DEMO_VILLAGE = "533103102201"  # 遮放镇 (see places.FORCED_CATEGORIES)
DEMO_UNIT = "德宏州农业农村局"


class Hashes:
    """PBKDF2 costs about half a second a hash: the demo accounts share one hash of the demo
    password (same salt; harmless, the password is printed anyway), made once per run, and an
    existing account's hash is verified once per distinct value. One instance per run (the
    hashers in force may differ between runs, as in the tests)."""

    def __init__(self) -> None:
        self._made: str | None = None
        self._checked: dict[str, bool] = {}

    def make(self) -> str:
        if self._made is None:
            self._made = make_password(PASSWORD)
            self._checked[self._made] = True
        return self._made

    def is_demo(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = check_password(PASSWORD, encoded)
        return self._checked[encoded]


@dataclass
class Account:
    username: str
    password: str
    role: str
    role_label: str
    scope: str


def ensure_admin(hashes: Hashes) -> User:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User(
            username="admin",
            role=UserRole.ADMIN,
            display_name="系统管理员",
            is_superuser=True,
            is_staff=True,
            must_change_password=False,  # the printed demo password keeps working
        )
        admin.password = hashes.make()
        admin.save()
    return admin


def _account(hashes: Hashes, user: User, scope: str) -> Account:
    """An existing account whose password someone changed is listed without it."""
    password = PASSWORD if hashes.is_demo(user.password) else "(已修改)"
    return Account(user.username, password, user.role, UserRole(user.role).label, scope)


def _ensure(hashes: Hashes, username: str, role: str, name: str, **scope: Any) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, display_name=name, **scope)
        user.must_change_password = False  # the printed demo password keeps working
        user.password = hashes.make()
        user.save()
    return user


def ensure_accounts(rng: random.Random, hashes: Hashes) -> list[Account]:
    """Create the accounts that are missing; leave existing ones (and their passwords) alone.
    Accounts whose scope object is missing (data not from this demo) are skipped."""
    admin = ensure_admin(hashes)
    rows = [_account(hashes, admin, "全部(超级用户)")]
    jur = {
        j.code: j
        for j in Jurisdiction.objects.filter(
            code__in=[a[0] for a in _JURISDICTION_ACCOUNTS.values()]
        )
    }
    for username, (code, role, name) in _JURISDICTION_ACCOUNTS.items():
        if code in jur:
            j = jur[code]
            rows.append(
                _account(hashes, _ensure(hashes, username, role, name, jurisdiction=j), _chain(j))
            )
    units = {u.name: u for u in DispatchingUnit.objects.filter(name__in=_UNIT_ACCOUNTS.values())}
    for username, name in _UNIT_ACCOUNTS.items():
        if name in units:
            user = _ensure(hashes, username, UserRole.UNIT, name, unit=units[name])
            rows.append(_account(hashes, user, f"本单位的驻村干部({name})"))
    village = Village.objects.filter(jurisdiction__code=DEMO_VILLAGE).first()
    if village is None:
        return rows
    place = _chain(village.jurisdiction)
    team = Posting.objects.filter(village=village, status="active").select_related("cadre")
    for username, role in (("shuji", UserRole.FIRST_SECRETARY), ("duiyuan", UserRole.TEAM_MEMBER)):
        posting = team.filter(role=role).order_by("id").first()
        if posting is not None:
            cadre = posting.cadre
            user = _ensure(hashes, username, role, cadre.name, cadre=cadre)
            rows.append(
                _account(hashes, user, f"{place} {posting.get_role_display()} {cadre.name}")
            )
    secretary = people.person_name(rng, "傣族", rng.random() < 0.3)
    user = _ensure(hashes, "cunshuji", UserRole.VILLAGE_SECRETARY, secretary, village=village)
    rows.append(_account(hashes, user, f"{place} 村党组织书记 {user.display_name}"))
    return rows


# The other four county bodies review their county units' nominations and record the first
# secretaries' appointments and the party-relation transfers in their villages (selection.py).
_JURISDICTION_ACCOUNTS = {
    "zhou": ("533100000000", UserRole.PREFECTURE, "州委组织部"),
    "mangshi": ("533103000000", UserRole.COUNTY, "芒市委组织部"),
    "ruili": ("533102000000", UserRole.COUNTY, "瑞丽市委组织部"),
    "lianghe": ("533122000000", UserRole.COUNTY, "梁河县委组织部"),
    "yingjiang": ("533123000000", UserRole.COUNTY, "盈江县委组织部"),
    "longchuan": ("533124000000", UserRole.COUNTY, "陇川县委组织部"),
    "zhefang": ("533103102000", UserRole.TOWNSHIP, "遮放镇党委"),
}
# A prefecture unit (reviewed by the prefecture) and a county unit (reviewed by 芒市).
_UNIT_ACCOUNTS = {"nongye": DEMO_UNIT, "msjiaoyu": "芒市教育体育局"}


def _chain(j: Jurisdiction) -> str:
    """德宏州 › 芒市 › 遮放镇 … from the materialised path (without the prefecture's long name)."""
    codes = j.chain_codes()[::-1]
    names = dict(Jurisdiction.objects.filter(code__in=codes).values_list("code", "name"))
    parts = [names[c] for c in codes if c in names]
    if len(parts) > 1:
        parts = parts[1:]
    return "".join(parts)


# ---- printing --------------------------------------------------------------------------------


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def account_table(accounts: list[Account]) -> str:
    header = ["用户名", "密码", "角色", "范围"]
    rows = [[a.username, a.password, a.role_label, a.scope] for a in accounts]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
