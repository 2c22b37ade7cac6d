"""SEL.SCOPE.CAT3 (≤ 5 people in a 3类村 team) holds when postings race (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from tests.conftest import is_postgres
from tests.world import build_world, cadre_data
from zhucun.core.errors import ValidationFailed
from zhucun.registry import services as reg
from zhucun.registry.models import Posting
from zhucun.selection import services as sel

FIVE = {"political": True, "conduct": True, "ability": True, "style": True, "integrity": True}
ON = dt.date(2026, 3, 2)

pytestmark = pytest.mark.skipif(
    not is_postgres(), reason="row locks are only meaningful on PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_sel_scope_cat3_concurrent_postings_never_exceed_five():
    w = build_world()
    admin, unit, county = w.admin, w.users["unit"], w.users["county"]
    # Village A (抵边村) has 2 people; bring it to 4, then race two more for the last place.
    for i in range(2):
        c = reg.cadre_create(
            actor=admin, data=cadre_data(name=f"队员{i}", serial=50 + i, unit_name="芒市人民医院")
        )
        reg.posting_create(
            actor=admin,
            data={
                "id_number": c.id_number,
                "village_code": "533103102001",
                "role": "team_member",
                "arrival_date": ON,
            },
        )
    racers = []
    for i in range(2):
        c = reg.cadre_create(
            actor=unit, data=cadre_data(name=f"候选{i}", serial=60 + i, unit_name="芒市人民医院")
        )
        n = sel.nomination_create(
            actor=unit, cadre_id=c.pk, role="team_member", source="recommendation", dispatch_date=ON
        )
        sel.nomination_propose(
            actor=unit,
            nomination_id=n.pk,
            basic_attested=True,
            no1_attested=True,
            attested_by="王敏",
        )
        sel.nomination_review(
            actor=county, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="李华"
        )
        sel.nomination_decide(actor=unit, nomination_id=n.pk)
        racers.append(n.pk)
    barrier = threading.Barrier(len(racers))
    outcomes: list[str] = []

    def post(pk: int) -> None:
        try:
            barrier.wait()
            sel.nomination_post(
                actor=county, nomination_id=pk, village_id=w.villages["A"].pk, arrival_date=ON
            )
            outcomes.append("posted")
        except ValidationFailed as exc:
            outcomes.append("refused:" + ",".join(exc.errors))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(pk,)) for pk in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["posted", "refused:SEL.SCOPE.CAT3"]
    assert Posting.objects.filter(village=w.villages["A"], status="active").count() == 5
