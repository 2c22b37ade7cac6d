"""What each role sees of a cadre: the one function every page, API answer, export and the
audit trail's display asks (``cadre_view``).

Who may read which personal field in full is ``scopes.personal_fields_visible``. Where the ID
number is not shown in full, nothing else shown may rebuild it. An 18-digit GB 11643 number is
area (6) + birth date (8) + sequence (3, odd for men) + check digit; the area is one of a few
codes in the prefecture, the gender is on every page and the check digit is a function of the
other 17. Showing the full birth date and the last four digits left about one candidate.
So a masked view shows:

- the ID number as its first 2 (province) and last 2 digits — the last two are the sequence's
  parity digit (which the gender already tells) and the check digit;
- the birth year only — never the month or the day, and no age (an age shown "today" changes
  on the birthday, which would tell the day to anyone who looks every day).

Even for someone who knows the exact area code that leaves about 365 × 100 / 11 ≈ 3,300
consistent numbers; ``tests/registry/test_disclosure.py`` counts them for every masked role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from zhucun.accounts.models import User

from . import scopes
from .models import Cadre

ID_SHOWN_HEAD = 2
ID_SHOWN_TAIL = 2
# Keys of the audit trail's before/after snapshots that carry a cadre's personal data.
PERSONAL_KEYS = ("id_number", "birth_date", "phone", "health_fit", "family_hardship", "spouse_id")


def mask_id_number(value: str) -> str:
    """``53**************7X``: province and the last two digits; nothing shorter than 6 shown."""
    value = str(value or "")
    if len(value) < ID_SHOWN_HEAD + ID_SHOWN_TAIL + 2:
        return "****"
    return value[:ID_SHOWN_HEAD] + "*" * (len(value) - ID_SHOWN_HEAD - ID_SHOWN_TAIL) + value[-2:]


def mask_phone(value: str) -> str:
    value = str(value or "")
    return value[:3] + "****" + value[-4:] if len(value) >= 7 else "****"


@dataclass(frozen=True)
class CadreView:
    """A cadre's personal data as one user may see it. ``full_id`` says whether the ID number
    and the birth date are shown in full; otherwise ``birth_date`` is None."""

    full_id: bool
    id_number: str
    birth_date: dt.date | None
    birth_year: int
    phone: str
    health_fit: bool | None
    family_hardship: bool | None
    spouse_id: int | None

    @property
    def birth_display(self) -> str:
        """出生日期 as shown: ``1980-11-30`` in full, else ``1980年``."""
        return self.birth_date.isoformat() if self.birth_date else f"{self.birth_year}年"

    @property
    def birth_month_display(self) -> str:
        """The roster's 出生年月: ``1980.11`` in full, else ``1980``."""
        return f"{self.birth_date:%Y.%m}" if self.birth_date else f"{self.birth_year}"

    def personal(self) -> dict[str, Any]:
        """The personal fields as the API and pages name them (masked or None)."""
        return {
            "id_number": self.id_number,
            "phone": self.phone,
            "health_fit": self.health_fit,
            "family_hardship": self.family_hardship,
            "spouse_id": self.spouse_id,
        }


def _view(user: User, cadre_unit_id: int | None, cadre_pk: int | None, data: dict) -> CadreView:
    allowed = scopes.personal_fields_visible_for(user, unit_id=cadre_unit_id, cadre_id=cadre_pk)
    full_id = "id_number" in allowed
    birth = data.get("birth_date")
    if isinstance(birth, str):
        birth = dt.date.fromisoformat(birth[:10])
    phone = str(data.get("phone") or "")
    return CadreView(
        full_id=full_id,
        id_number=str(data.get("id_number") or "")
        if full_id
        else mask_id_number(str(data.get("id_number") or "")),
        birth_date=birth if full_id else None,
        birth_year=birth.year if birth else 0,
        phone=phone if "phone" in allowed else mask_phone(phone),
        health_fit=data.get("health_fit") if "health_fit" in allowed else None,
        family_hardship=data.get("family_hardship") if "family_hardship" in allowed else None,
        spouse_id=data.get("spouse_id") if "spouse" in allowed else None,
    )


def cadre_view(user: User, cadre: Cadre) -> CadreView:
    """What ``user`` sees of ``cadre``'s personal data (the one place that decides it)."""
    return _view(
        user,
        cadre.unit_id,
        cadre.pk,
        {
            "id_number": cadre.id_number,
            "birth_date": cadre.birth_date,
            "phone": cadre.phone,
            "health_fit": cadre.health_fit,
            "family_hardship": cadre.family_hardship,
            "spouse_id": cadre.spouse_id,
        },
    )


def snapshot_view(
    user: User, snapshot: object, *, unit_id: int | None, cadre_id: int | None
) -> object:
    """An audit snapshot of a cadre (``model_snapshot``'s dict) as ``user`` may see it: the
    personal keys it holds go through the same rules as ``cadre_view``; the stored event stays
    as it is. A snapshot whose values do not parse is shown without its personal keys."""
    if not isinstance(snapshot, dict) or not any(k in snapshot for k in PERSONAL_KEYS):
        return snapshot
    try:
        view = _view(user, unit_id, cadre_id, snapshot)
    except (TypeError, ValueError):
        return {k: v for k, v in snapshot.items() if k not in PERSONAL_KEYS}
    shown = dict(snapshot)
    if "id_number" in shown:
        shown["id_number"] = view.id_number
    if "birth_date" in shown and snapshot.get("birth_date"):
        shown["birth_date"] = view.birth_display
    if "phone" in shown:
        shown["phone"] = view.phone
    for key in ("health_fit", "family_hardship", "spouse_id"):
        if key in shown:
            shown[key] = view.personal()[key]
    return shown
