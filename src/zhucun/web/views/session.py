"""Login and logout with the deployment's session rules (docs/SECURITY.md).

* Office roles (admin, prefecture, county, township, unit) sit at shared desks: their session
  lasts ``ZHUCUN_OFFICE_SESSION_SECONDS`` (default a working day); cadres and village
  secretaries on their own phones keep ``ZHUCUN_PHONE_SESSION_SECONDS`` (default 30 days), so
  that a check-in queued offline can still be uploaded.
* Logout answers ``Clear-Site-Data: "cache"`` (the browser's HTTP cache of the pages). Not
  ``"storage"``: that would erase check-ins queued on the phone and not yet uploaded; the
  page's own script empties the service worker's cache (assets/zhucun.js) and the offline
  shell holds no personal data anyway."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from zhucun.accounts.models import UserRole

OFFICE_ROLES = frozenset(
    {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP, UserRole.UNIT}
)
CLEAR_SITE_DATA = '"cache"'


def session_seconds(role: str) -> int:
    if role in OFFICE_ROLES:
        return int(settings.ZHUCUN_OFFICE_SESSION_SECONDS)
    return int(settings.ZHUCUN_PHONE_SESSION_SECONDS)


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session.set_expiry(session_seconds(form.get_user().role))
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        response["Cache-Control"] = "no-store"
        return response
