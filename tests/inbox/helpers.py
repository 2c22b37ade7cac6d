"""Reading one user's 待办 in the inbox tests."""

from __future__ import annotations

from django.utils import timezone

from zhucun.inbox.items import TodoItem
from zhucun.inbox.selectors import todo_list


def todo(user) -> dict[str, TodoItem]:
    """kind → item of the user's list today (only items with something waiting)."""
    return {i.kind: i for i in todo_list(user=user, today=timezone.localdate())}


def opens(client, user, item: TodoItem) -> None:
    """The item's link is a page the user may open (where the thing is done)."""
    client.force_login(user)
    response = client.get(item.url)
    assert response.status_code == 200, (item.kind, item.url, response.status_code)
    assert "<h1" in response.content.decode("utf-8")
