"""Issue 10 point 7: no page shows internal names.

For every role of the test world, crawl breadth-first every same-site link reachable from the home
page and read the *visible* text of each page (text nodes, not tags, attributes, scripts or
styles): no snake_case identifier, no Python ``True``/``False``/``None``, no dotted audit action
name, no parameter key. The xlsx exports found on the way are opened and their cells read too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import deque
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from zhucun.attendance.services.leave import leave_request_create
from zhucun.params.selectors import base_parameters
from zhucun.policy.leave import LEAVE_KINDS
from zhucun.selection.services.nominations import nomination_create

from .helpers import ROLES, login

MAX_PAGES = 150
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
PYTHON_WORDS = re.compile(r"\b(?:True|False|None)\b")
# Django's English default formats (a date or time without |date:"Y-m-d" in a template)
ENGLISH_DATE = re.compile(
    r"\b(?:Jan|Feb|March|April|May|June|July|Aug|Sept|Oct|Nov|Dec)\.? \d{1,2}, \d{4}\b"
    r"|\b\d{1,2}(?::\d{2})? [ap]\.m\.|\bmidnight\b|\bnoon\b"
)
DOTTED_NAME = re.compile(r"\b[a-z][a-z_]*\.[a-z][a-z_]*\b")  # nomination.propose, registry.cadre
SKIP = ("/logout/", "/api/", "/assets/", "/static/", "/sw.js", "/manifest")


class _Visible(HTMLParser):
    """Text nodes outside <script>/<style>, and same-site links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.links.append(href.split("#")[0])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


TITLE = re.compile(r"<title>[^<]+</title>")


def visible(html: str) -> tuple[str, list[str]]:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.texts), parser.links


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells.extend(str(c) for c in row if c is not None and not isinstance(c, bool))
            if any(isinstance(c, bool) for c in row):
                cells.append("True")  # a raw boolean cell is a finding too
    return "\n".join(cells)


def offences(text: str) -> list[str]:
    found = SNAKE.findall(text) + PYTHON_WORDS.findall(text)
    found += DOTTED_NAME.findall(text)
    found += ENGLISH_DATE.findall(text)
    keys = set(base_parameters().names())
    found += [w for w in re.findall(r"[a-z0-9_]+", text) if w in keys]
    return found


def plain_names(world) -> None:
    """The test world names its users after their roles ("team_member"): a user-chosen name is
    not an internal name, so they get ordinary ones here."""
    for n, user in enumerate({u.pk: u for u in world.users.values()}.values()):
        user.username, user.display_name = f"user{n}", f"用户{n}"
        user.save(update_fields=["username", "display_name"])


def _enrich(world) -> None:
    """Something in each list: a nomination in flight and a leave request."""
    plain_names(world)
    unit_user = world.users["unit"]
    nomination_create(
        actor=unit_user,
        cadre_id=world.cadres["spare"].pk,
        role="team_member",
        source="recommendation",
        dispatch_date=dt.date(2026, 3, 2),
    )
    leave_request_create(
        actor=world.users["team_member"],
        kind=next(iter(LEAVE_KINDS)),
        start=dt.date.today() + dt.timedelta(days=7),
        end=dt.date.today() + dt.timedelta(days=8),
        reason="家中有事",
    )


def _only_reorders(link: str) -> bool:
    """A column header's link (``?sort=``) shows the same rows in another order: crawling
    every one would spend the page budget on copies of the lists."""
    return "sort=" in link.partition("?")[2]


def crawl(client, fetched_kinds: dict[str, int] | None = None) -> dict[str, list[str]]:
    seen: set[str] = {"/"}
    queue: deque[str] = deque(["/"])
    problems: dict[str, list[str]] = {}
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        fetched += 1
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        ctype = response.get("Content-Type", "")
        if "spreadsheetml" in ctype:
            text, links = (
                _xlsx_text(
                    b"".join(response.streaming_content) if response.streaming else response.content
                ),
                [],
            )
        elif "text/html" in ctype:
            page = response.content.decode("utf-8")
            text, links = visible(page)
            if not TITLE.search(page):  # markup inside <title> (a block left open)
                problems[url] = ["<title> holds markup"]
        else:
            continue
        if fetched_kinds is not None:
            kind = "xlsx" if "spreadsheetml" in ctype else "html"
            fetched_kinds[kind] = fetched_kinds.get(kind, 0) + 1
        bad = offences(text)
        if bad:
            problems[url] = sorted(set(bad))
        for link in links:
            if link in seen or link.startswith(SKIP) or _only_reorders(link):
                continue
            seen.add(link)
            queue.append(link)
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_no_internal_names_on_any_page(client, world, role):
    _enrich(world)
    login(client, world, role)
    kinds: dict[str, int] = {}
    problems = crawl(client, kinds)
    assert kinds.get("html", 0) >= 10, kinds  # the crawl really went through the pages
    assert not problems, "\n".join(f"{url}: {words}" for url, words in problems.items())
