"""A newcomer walks a nomination through SEL.METHOD.FLOW in the browser: the unit creates and
proposes it, the county reviews it (five checkpoints), the unit decides, the county posts it to
弄坎村; the village page then shows the team check with clause ids. Screenshots of each step
go to ci-artifacts/nomination-*.png."""

from __future__ import annotations

import pytest

from tests.world import build_world

ON = "2026-03-02"


def login(page, base_url: str, username: str, password: str = "pw") -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{base_url}/")


def logout(page, base_url: str) -> None:
    page.click("header >> text=退出")
    page.wait_for_url(f"{base_url}/login/")


def open_nomination(page, name: str) -> None:
    page.click("#main-nav >> text=选派提名")
    page.wait_for_selector("#nomination-table")
    page.click(f"#nomination-table >> text={name}")
    page.wait_for_selector("#nomination-state")


@pytest.mark.django_db(transaction=True)
def test_nomination_from_unit_to_village(live_server, browser, artifacts):
    world = build_world()
    spare = world.cadres["spare"]  # 赵小兵, 芒市人民医院, not in post
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"nomination-{name}.png"), full_page=True)

    # 1. the unit: its home page leads to the nominations; create one for an unposted cadre
    login(page, base, "unit")
    page.click("#home-nominations-link")
    page.wait_for_selector("#nomination-table")
    page.click("#new-nomination")
    page.wait_for_selector("#edit-form")
    page.select_option("#id_cadre_id", str(spare.pk))
    page.select_option("#id_role", "team_member")
    page.select_option("#id_source", "recommendation")
    page.fill("#id_dispatch_date", ON)
    shot("1-new")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#nomination-state")
    assert page.inner_text("#nomination-state") == "组织推荐"
    assert "赵小兵" in page.inner_text("h1")

    # 2. propose: the attestations and the reviewer's name
    form = page.locator("#form-propose")
    form.locator("#propose-basic_attested").check()
    form.locator("#propose-no1_attested").check()
    form.locator("#propose-attested_by").fill("人事科 王敏")
    page.click("#submit-propose")
    page.wait_for_selector("text=已提出人选")
    assert page.inner_text("#nomination-state") == "单位组织人事部门已提出人选"
    assert page.locator("#form-review").count() == 0
    shot("2-proposed")
    logout(page, base)

    # 3. the county body reviews: forgetting one checkpoint is refused with its clause
    login(page, base, "county")
    open_nomination(page, "赵小兵")
    for key in ("political", "conduct", "ability", "style"):
        page.check(f"#review-{key}")
    page.fill("#review-reviewer_name", "县驻村办 李华")
    page.click("#submit-review")
    page.wait_for_selector("#review-errors")
    errors = page.inner_text("#review-errors")
    assert "[SEL.METHOD.FIVE]" in errors and "廉洁关" in errors
    shot("3a-review-refused")
    assert page.is_checked("#review-political")  # what was ticked is kept
    page.check("#review-integrity")
    page.click("#submit-review")
    page.wait_for_selector("text=已审核备案")
    assert page.inner_text("#nomination-state") == "驻村工作领导协调机构已审核备案"
    shot("3b-reviewed")
    logout(page, base)

    # 4. the unit's party committee decides
    login(page, base, "unit")
    open_nomination(page, "赵小兵")
    page.fill("#decide-note", "党委会2026年第3次会议研究同意")
    page.click("#submit-decide")
    page.wait_for_selector("text=已研究确定")
    assert page.inner_text("#nomination-state") == "单位党委(党组)已研究确定"
    shot("4-decided")
    logout(page, base)

    # 5. the county posts the cadre to 弄坎村
    login(page, base, "county")
    open_nomination(page, "赵小兵")
    page.select_option("#post-village_id", label="芒市 · 遮放镇 · 弄坎村")
    page.fill("#post-arrival_date", ON)
    page.click("#submit-post")
    page.wait_for_selector("text=已派驻到村")
    assert page.inner_text("#nomination-state") == "已派驻到村"
    steps = page.inner_text("#step-table")
    for label in ("录入", "提出人选", "审核备案", "研究确定", "派驻到村"):
        assert label in steps
    shot("5-posted")

    # 6. the village page: the team with the newcomer, and the team check with clause ids
    page.click("#posting-link")  # the new posting …
    page.wait_for_selector("dl.facts")
    page.click("dl.facts >> text=弄坎村")  # … and its village
    page.wait_for_selector("#team-check")
    assert "赵小兵" in page.inner_text("#team-table")
    status = page.inner_text("#team-check-status")
    assert "符合" in status and "SEL.SCOPE.CAT3" in status and "SEL.SCOPE.COVER" in status
    assert "共3人" in status
    shot("6-village")
    context.close()
