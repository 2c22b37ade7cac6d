"""MGT.5.GRADE: two finalisations of 优秀 in the same county and year at the same moment
cannot both take the last place of the resident cadres' quota (the county-year's annual
assessments are locked in one order before the count)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.assessment.assessment_helpers import YEAR, ready, set_ratio
from tests.conftest import is_postgres
from zhucun.assessment.models import Assessment, AssessmentState
from zhucun.assessment.services import assessments as svc
from zhucun.core.errors import ValidationFailed

needs_pg = pytest.mark.skipif(
    not is_postgres(), reason="row locks (select_for_update) need PostgreSQL; SQLite serialises"
)


def run_concurrently(fns: list[Callable[[], Any]]) -> list[Any]:
    """Each function in its own thread (own connection), started together; each result or
    the exception it raised."""
    barrier = threading.Barrier(len(fns))
    results: list[Any] = [None] * len(fns)

    def worker(i: int, fn: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_mgt_5_grade_concurrent_finalisations_take_the_last_place_once(world):
    set_ratio(world, "0.34")  # ⌊3 × 0.34⌋ = 1 place
    county = world.users["county"]
    svc.assessment_start(actor=county, year=YEAR)
    ids = [
        Assessment.objects.get(cadre=world.cadres[k], year=YEAR).pk
        for k in ("fs_a", "tm_a", "fs_b")
    ]
    for pk in ids:
        ready(world, pk, "优秀")
    results = run_concurrently(
        [lambda pk=pk: svc.assessment_finalise(actor=county, assessment_id=pk) for pk in ids]
    )
    ok = [r for r in results if isinstance(r, Assessment)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(ok) == 1 and len(refused) == 2, results
    assert all("名额1名已用1名" in r.errors["grade"] for r in refused)
    assert Assessment.objects.filter(state=AssessmentState.FINAL, grade="excellent").count() == 1
