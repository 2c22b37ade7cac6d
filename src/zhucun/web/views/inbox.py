"""待办 (every role's waiting items, also on the home page) and 站内通知 (the bell)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhucun.inbox.selectors import todo_list
from zhucun.notices.selectors import notice_list
from zhucun.notices.services import notice_read, notices_read_all

from ._common import page_view, paginate


def home_todo(user) -> dict[str, object]:
    """The home page's 待办 box: the same list as /todo/ and GET /api/v1/me/todo."""
    return {"todo": todo_list(user=user, today=timezone.localdate())}


@page_view
def todo_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/inbox/todo.html", {"nav_key": "home", **home_todo(request.user)})


@page_view
def notices_page(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    page = paginate(request, notice_list(user=request.user, unread_only=unread), per_page=30)
    return render(
        request, "web/inbox/notices.html", {"nav_key": "notices", "page": page, "unread": unread}
    )


@require_POST
@page_view
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notice read and go where it is done (only ever a path of this site)."""
    notice = notice_read(actor=request.user, notice_id=pk)
    target = notice.url or "/notices/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith(
        "/"
    ):
        target = "/notices/"
    return redirect(target)


@require_POST
@page_view
def notices_read(request: HttpRequest) -> HttpResponse:
    notices_read_all(actor=request.user)
    return redirect("web:notices")
