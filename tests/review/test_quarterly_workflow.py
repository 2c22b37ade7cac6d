"""MGT.4.REVIEW: the county starts one review per quarter, concludes per cadre and signs
after the quarter; a signed review is read-only and a later correction is a new, audited
record. The prefecture reads its counties' reviews but does not act; another county's
review does not exist for a county."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from tests.conftest import is_postgres
from tests.review.quarterly_helpers import (
    AFTER,
    DURING,
    MONTHS,
    QUARTER,
    YEAR,
    discipline,
    month_row,
    set_today,
)
from zhucun.accounts.models import User
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry.models import Jurisdiction
from zhucun.review.models import QuarterlyReview, ReviewCorrection, ReviewEntry
from zhucun.review.selectors.quarterly import review_list
from zhucun.review.services import quarterly as svc


@pytest.fixture
def other_county(world):
    return User.objects.create_user(
        "ruili_county",
        password="pw",
        role="county",
        display_name="瑞丽市委组织部",
        jurisdiction=Jurisdiction.objects.get(code="533102000000"),
    )


@pytest.fixture
def started(world, monkeypatch):
    set_today(monkeypatch, AFTER)
    discipline(world.cadres["fs_a"], dt.date(2026, 8, 3), world.users["county"])
    for month in MONTHS:
        month_row(world.postings["tm_a"], month, short=True)
    return svc.review_start(actor=world.users["county"], year=YEAR, quarter=QUARTER)


def _cid(world, key):
    return world.cadres[key].pk


@pytest.mark.django_db
def test_mgt_4_review_start_lists_the_county_cadres_and_is_audited(world, started):
    assert started.county.code == "533103000000" and started.state == "draft"
    assert set(started.entries.values_list("cadre__name", flat=True)) == {
        "岳文华",
        "线美玲",
        "排早腊",
    }
    assert Event.objects.filter(action="review.start", object_id=str(started.pk)).count() == 1


@pytest.mark.django_db
def test_mgt_4_review_one_per_county_quarter(world, started):
    with pytest.raises(ValidationFailed) as exc:
        svc.review_start(actor=world.users["county"], year=YEAR, quarter=QUARTER)
    assert "MGT.4.REVIEW" in exc.value.errors["quarter"]
    assert QuarterlyReview.objects.count() == 1


@pytest.mark.django_db
def test_mgt_4_review_quarter_must_have_begun_and_sign_waits_for_its_end(world, monkeypatch):
    set_today(monkeypatch, DURING)
    with pytest.raises(ValidationFailed) as exc:
        svc.review_start(actor=world.users["county"], year=YEAR, quarter=4)
    assert "尚未开始" in exc.value.errors["quarter"]
    review = svc.review_start(actor=world.users["county"], year=YEAR, quarter=QUARTER)
    with pytest.raises(ValidationFailed) as exc:
        svc.review_sign(actor=world.users["county"], review_id=review.pk, meeting="县领导小组会议")
    assert "尚未结束" in exc.value.errors["quarter"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["prefecture", "admin", "township", "unit", "team_member"])
def test_mgt_4_review_only_the_county_starts(world, role):
    with pytest.raises(Forbidden):
        svc.review_start(actor=world.users[role], year=YEAR, quarter=QUARTER)


@pytest.mark.django_db
def test_mgt_4_review_sign_needs_a_conclusion_for_every_suggestion(world, started):
    county = world.users["county"]
    with pytest.raises(ValidationFailed) as exc:
        svc.review_sign(actor=county, review_id=started.pk, meeting="芒市驻村工作领导小组会议")
    msg = exc.value.errors["conclusion"]
    assert "2人" in msg and "岳文华" in msg and "线美玲" in msg and "MGT.4.REVIEW" in msg
    started.refresh_from_db()
    assert started.state == "draft"
    assert not ReviewEntry.objects.exclude(facts={}).exists()  # nothing frozen
    svc.review_conclude(
        actor=county, review_id=started.pk, cadre_id=_cid(world, "fs_a"), conclusion="recall"
    )
    svc.review_conclude(
        actor=county,
        review_id=started.pk,
        cadre_id=_cid(world, "tm_a"),
        conclusion="提醒谈话",
        note="约谈后观察一个季度",
    )
    signed = svc.review_sign(actor=county, review_id=started.pk, meeting="芒市驻村工作领导小组会议")
    assert signed.state == "signed" and signed.signed_by == county
    entries = {e.cadre.name: e for e in started.entries.select_related("cadre")}
    assert entries["排早腊"].conclusion == "continue"  # no suggestion → 继续驻村
    assert entries["岳文华"].conclusion == "recall"
    assert entries["线美玲"].conclusion == "talk"
    assert entries["线美玲"].suggestions[0]["data"]["months"] == [m.isoformat() for m in MONTHS]
    assert entries["岳文华"].facts["discipline"][0]["occurred_on"] == "2026-08-03"
    assert Event.objects.filter(action="review.sign").count() == 1


@pytest.fixture
def signed(world, started):
    county = world.users["county"]
    for key in ("fs_a", "tm_a"):
        svc.review_conclude(
            actor=county, review_id=started.pk, cadre_id=_cid(world, key), conclusion="talk"
        )
    return svc.review_sign(actor=county, review_id=started.pk, meeting="芒市领导小组第3次会议")


@pytest.mark.django_db
def test_mgt_4_review_signed_is_read_only(world, signed):
    county = world.users["county"]
    with pytest.raises(ValidationFailed) as exc:
        svc.review_conclude(
            actor=county, review_id=signed.pk, cadre_id=_cid(world, "fs_a"), conclusion="recall"
        )
    assert "已签发" in exc.value.errors["state"] and "MGT.4.REVIEW" in exc.value.errors["state"]
    with pytest.raises(ValidationFailed):
        svc.review_sign(actor=county, review_id=signed.pk, meeting="再次签发")
    assert ReviewEntry.objects.get(review=signed, cadre_id=_cid(world, "fs_a")).conclusion == "talk"


@pytest.mark.django_db
def test_mgt_4_review_correction_is_a_new_audited_record(world, signed):
    county = world.users["county"]
    entry = ReviewEntry.objects.get(review=signed, cadre_id=_cid(world, "fs_a"))
    frozen = (entry.conclusion, entry.facts, entry.suggestions)
    with pytest.raises(ValidationFailed) as exc:
        svc.review_correct(
            actor=county, review_id=signed.pk, cadre_id=entry.cadre_id, conclusion="召回", reason=""
        )
    assert "reason" in exc.value.errors
    c = svc.review_correct(
        actor=county,
        review_id=signed.pk,
        cadre_id=entry.cadre_id,
        conclusion="召回",
        reason="纪委通报后复议",
    )
    assert c.conclusion == "recall" and ReviewCorrection.objects.count() == 1
    entry.refresh_from_db()
    assert (entry.conclusion, entry.facts, entry.suggestions) == frozen
    ev = Event.objects.get(action="review.correct")
    assert ev.object_id == str(entry.pk) and ev.before == {"conclusion": "talk"}


@pytest.mark.django_db
def test_mgt_4_review_correction_only_when_signed(world, started):
    with pytest.raises(ValidationFailed):
        svc.review_correct(
            actor=world.users["county"],
            review_id=started.pk,
            cadre_id=_cid(world, "fs_a"),
            conclusion="talk",
            reason="x",
        )


@pytest.mark.django_db
def test_mgt_4_review_scope(world, started, other_county):
    fs_a = _cid(world, "fs_a")
    with pytest.raises(NotFound):  # another county's review does not exist for it
        svc.review_conclude(
            actor=other_county, review_id=started.pk, cadre_id=fs_a, conclusion="talk"
        )
    for role in ("township", "unit"):
        with pytest.raises(NotFound):
            svc.review_conclude(
                actor=world.users[role], review_id=started.pk, cadre_id=fs_a, conclusion="talk"
            )
    with pytest.raises(Forbidden) as exc:  # the prefecture reads but does not act
        svc.review_conclude(
            actor=world.users["prefecture"], review_id=started.pk, cadre_id=fs_a, conclusion="talk"
        )
    assert "MGT.4.REVIEW" in exc.value.message
    assert list(review_list(user=world.users["prefecture"])) == [started]
    assert list(review_list(user=other_county)) == []
    with pytest.raises(NotFound):  # a cadre not in the review
        svc.review_conclude(
            actor=world.users["county"],
            review_id=started.pk,
            cadre_id=_cid(world, "fs_c"),
            conclusion="talk",
        )


@pytest.mark.django_db
def test_mgt_4_review_bad_conclusion_is_refused(world, started):
    with pytest.raises(ValidationFailed) as exc:
        svc.review_conclude(
            actor=world.users["county"],
            review_id=started.pk,
            cadre_id=_cid(world, "fs_a"),
            conclusion="dismiss",
        )
    assert "继续驻村" in exc.value.errors["conclusion"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not is_postgres(), reason="concurrent transactions need PostgreSQL")
def test_mgt_4_review_concurrent_starts_give_one_review(world, monkeypatch):
    set_today(monkeypatch, AFTER)
    county = world.users["county"]
    barrier = threading.Barrier(2)
    results: list[object] = []

    def start() -> None:
        try:
            barrier.wait()
            results.append(svc.review_start(actor=county, year=YEAR, quarter=QUARTER))
        except ValidationFailed as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reviews = [r for r in results if isinstance(r, QuarterlyReview)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(reviews) == 1 and len(refused) == 1
    assert "MGT.4.REVIEW" in refused[0].errors["quarter"]
    assert QuarterlyReview.objects.count() == 1
    assert ReviewEntry.objects.count() == 3
