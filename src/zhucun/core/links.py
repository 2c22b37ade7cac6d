"""Links to the web pages where something is done, for notices and to-do items that lower
layers write: the page's path, or "" where the web pages are not mounted (an API-only
deployment, the API's tests) — a missing link never fails the decision that sends it."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def page_url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""
