"""Who may manage whose account ("an administrator of the same or a higher scope").

* the console (actor None) and an administrator: every account;
* a prefecture / county / township office user: the accounts whose scope lies inside their
  jurisdiction's subtree — office users of that jurisdiction or below, village secretaries of
  its villages, cadres posted there (active or planned posting) or whose unit lies there, and
  unit accounts of the units they may edit (``scopes.units_editable``: the prefecture every
  unit, a county the units located in it, a township none);
* dispatching units, cadres and village secretaries manage no accounts (a unit's cadres get
  their accounts from the township/county that hosts them; documented in
  docs/security-accounts.md).

Outside that set an account does not exist for the actor (404, the same answer as a user that
does not exist). Nobody resets their own password (they use the change-password page).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhucun.accounts.models import JURISDICTION_ROLES, User, UserRole
from zhucun.core.errors import Forbidden, NotFound
from zhucun.registry import scopes
from zhucun.registry.models import Posting, PostingStatus

MANAGER_ROLES = frozenset({UserRole.ADMIN, *JURISDICTION_ROLES})
NO_SUCH_USER = "用户不存在或不在您的管辖范围内"
NOT_A_MANAGER = "您的角色无权管理账号"


def is_manager(actor: User | None) -> bool:
    return actor is None or actor.role in MANAGER_ROLES


def _office_path(actor: User) -> str:
    return actor.jurisdiction.path if actor.jurisdiction_id else "\x00none"


def cadres_manageable_q(actor: User, *, on_user: bool = False) -> Q:
    """Cadres posted (active or planned) inside the actor's subtree or whose unit lies there;
    as a filter of Cadre rows, or of User rows through ``cadre`` (``on_user``)."""
    path = _office_path(actor)
    posted = Posting.objects.filter(
        cadre=OuterRef("cadre_id" if on_user else "pk"),
        status__in=[PostingStatus.ACTIVE, PostingStatus.PLANNED],
        village__jurisdiction__path__startswith=path,
    )
    prefix = "cadre__" if on_user else ""
    return Q(Exists(posted)) | Q(**{prefix + "unit__jurisdiction__path__startswith": path})


def users_manageable(actor: User | None) -> QuerySet[User]:
    qs = User.objects.all()
    if actor is None or actor.role == UserRole.ADMIN:
        return qs
    if actor.role not in JURISDICTION_ROLES:
        return qs.none()
    path = _office_path(actor)
    return qs.filter(
        Q(role__in=JURISDICTION_ROLES, jurisdiction__path__startswith=path)
        | Q(role=UserRole.VILLAGE_SECRETARY, village__jurisdiction__path__startswith=path)
        | Q(role=UserRole.UNIT, unit__in=scopes.units_editable(actor))
        | Q(
            Q(role__in=[UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER]),
            cadres_manageable_q(actor, on_user=True),
        )
    )


def user_managed(actor: User | None, *, user_id: int | None = None, username: str = "") -> User:
    """The account the actor may manage, or NotFound (403 if the actor manages nobody)."""
    if not is_manager(actor):
        raise Forbidden(NOT_A_MANAGER)
    qs = users_manageable(actor).select_related("jurisdiction", "unit", "cadre", "village")
    user = (
        qs.filter(pk=user_id).first()
        if user_id is not None
        else qs.filter(username=username).first()
    )
    if user is None:
        raise NotFound(NO_SUCH_USER)
    return user
