from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from zhucun.accounts.models import User
from zhucun.assessment.selectors.feedback import excellent_years
from zhucun.registry import disclosure, selectors, services
from zhucun.registry.models import Cadre, CadreFileEntry

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import CadreCreate, CadreOut, CadrePage, CadreQuery, CadreUpdate

router = Router(tags=["驻村干部"])

PLAIN_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "education",
    "unit_id",
    "post",
    "party_status",
    "full_member_since",
    "work_start_date",
    "occupation",
    "occupation_code",
    "is_xuandiao",
    "tech_commissioner",
    "talent_program",
    "rural_experience",
    "agri_specialty",
    "retired",
    "age_exception",
    "age_exception_note",
)


def out(user: User, c: Cadre) -> dict[str, Any]:
    data: dict[str, Any] = {"id": c.pk, "unit_name": c.unit.name}
    data.update({f: getattr(c, f) for f in PLAIN_FIELDS})
    view = disclosure.cadre_view(user, c)  # masked / None where the role may not see
    data.update(view.personal())
    data["birth_date"] = view.birth_date  # None unless the full ID number is shown
    data["birth_year"] = view.birth_year
    data["promotion_ban_until"] = _ban_until(c)
    return data


BAN = "ban_running_until"


def _ban_until(c: Cadre) -> Any:
    """MGT.4.CONSEQ: the last day of a promotion ban that still runs today, or None."""
    if hasattr(c, BAN):
        return getattr(c, BAN)
    entry = selectors.cadre_promotion_ban(cadre_id=c.pk, on=timezone.localdate())
    return entry.ban_until if entry is not None else None


def _with_ban(qs: Any) -> Any:
    running = CadreFileEntry.objects.filter(
        cadre_id=OuterRef("pk"), ban_until__gte=timezone.localdate()
    ).order_by("-ban_until", "-id")
    return qs.annotate(**{BAN: Subquery(running.values("ban_until")[:1])})


@router.get("/cadres", response=responses(CadrePage), summary="干部列表")
def cadre_list(request: HttpRequest, filters: Query[CadreQuery]) -> dict[str, Any]:
    user = user_of(request)
    qs = selectors.cadre_list(
        user=user,
        q=filters.q,
        unit=filters.unit,
        party_status=filters.party_status,
        posted=filters.posted,
    )
    return paginate(_with_ban(qs), filters, lambda c: out(user, c))


@router.get("/cadres/{id}", response=responses(CadreOut), summary="干部详情")
def cadre_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    data = out(user, selectors.cadre_get(user=user, pk=id))
    data["excellent_years"] = excellent_years(user=user, cadre_id=id)  # GUA.3.PRIORITY
    return data


@router.post("/cadres", response=responses(CadreOut, 201), summary="登记干部")
def cadre_create(request: HttpRequest, payload: CadreCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    cadre = services.cadre_create(actor=user, data=payload.data())
    return Status(201, out(user, selectors.cadre_get(user=user, pk=cadre.pk)))


@router.patch("/cadres/{id}", response=responses(CadreOut), summary="修改干部信息")
def cadre_update(request: HttpRequest, payload: CadreUpdate, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    services.cadre_update(actor=user, cadre_id=id, data=payload.data())
    return out(user, selectors.cadre_get(user=user, pk=id))
