"""Printing (issue 16, point 3) in Chromium: a list gets its 打印 button; in print media the
nav, filters, buttons and pager are gone, the user's jurisdiction and the date are on top, the
table is bordered with its header repeated on every page (thead as table-header-group) and rows
never split, a wide list goes landscape; a document's print page (选派审批表) has its title and
signature boxes. PDFs of both go to ci-artifacts/print-*.pdf (page numbers in the margin box)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.world import build_world
from zhucun.selection import services as sel

from .test_checkin_mobile import login


def pages_of(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


@pytest.mark.django_db(transaction=True)
def test_lists_and_documents_print_cleanly(live_server, browser, artifacts):
    world = build_world()
    n = sel.nomination_create(
        actor=world.users["unit"],
        cadre_id=world.cadres["spare"].pk,
        role="team_member",
        source="application",
        dispatch_date=dt.date(2026, 3, 2),
        village_id=world.villages["A"].pk,
    )
    base = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, base, "county")

    # a list: the 打印 button next to its title calls window.print()
    page.goto(f"{base}/villages/")
    page.wait_for_selector("#print-button")
    assert page.inner_text("#print-button") == "打印"
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    page.click("#print-button")
    assert page.evaluate("window.__printed") == 1

    page.emulate_media(media="print")
    for hidden in ("#main-nav", ".topbar", "form.filters", "#print-button", ".footer"):
        if page.locator(hidden).count():
            assert not page.locator(hidden).first.is_visible(), hidden
    head = page.inner_text("#print-head")
    assert "芒市" in head and "打印日期" in head
    css = page.evaluate(
        "(() => { const t = document.querySelector('table.list');"
        " const th = t.querySelector('thead'), td = t.querySelector('tbody td');"
        " const tr = t.querySelector('tbody tr');"
        " return [getComputedStyle(th).display, getComputedStyle(td).borderTopStyle,"
        " getComputedStyle(tr).breakInside]; })()"
    )
    assert css == ["table-header-group", "solid", "avoid"], css
    pdf = page.pdf(path=str(artifacts / "print-list.pdf"), prefer_css_page_size=True)
    assert pages_of(pdf) >= 1

    # a document: 选派审批表 with its title, table and signature boxes, A4 portrait
    page.emulate_media(media="screen")
    page.goto(f"{base}/nominations/{n.pk}/")
    page.click("#nomination-print-link")
    page.wait_for_selector("#nomination-print")
    assert page.inner_text("#form-title") == "驻村第一书记和工作队员选派审批表"
    assert page.locator("#signature-boxes .sig-box").count() == 3
    page.emulate_media(media="print")
    assert not page.locator("#print-tools").is_visible()
    assert page.locator("#signature-boxes").is_visible()
    pdf = page.pdf(path=str(artifacts / "print-nomination.pdf"), prefer_css_page_size=True)
    assert pages_of(pdf) >= 1
    context.close()
