"""SEL.SCOPE.CAT3 (≤ 5 people in a 3类村 team) holds when postings race (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from tests.conftest import is_postgres
from tests.selection.flow import ON, post_members, run_to_decided
from tests.world import build_world, cadre_data
from zhucun.core.errors import ValidationFailed
from zhucun.registry import services as reg
from zhucun.registry.models import Posting
from zhucun.selection import services as sel

pytestmark = pytest.mark.skipif(
    not is_postgres(), reason="row locks are only meaningful on PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_sel_scope_cat3_concurrent_postings_never_exceed_five():
    w = build_world()
    county = w.users["county"]
    # Village A (抵边村) has 2 people; bring it to 4, then race two more for the last place.
    post_members(w, 2)
    racers = []
    for i in range(2):
        c = reg.cadre_create(
            actor=w.users["unit"],
            data=cadre_data(name=f"候选{i}", serial=60 + i, unit_name="芒市人民医院"),
        )
        racers.append(run_to_decided(w, c).pk)
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
