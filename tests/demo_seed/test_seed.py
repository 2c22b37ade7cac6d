"""The loader at a small scale: deterministic with the seed, and the deliberate gaps survive
scaling down (their villages are always among the villages kept).

Kept outside tests/demo: that package holds the full demo open for all its modules, and a
small-scale load must start from an empty database."""

import pytest
from django.db import transaction

from zhucun.demo import checks
from zhucun.demo.build import DELIBERATE_GAPS, load_demo
from zhucun.registry.models import Cadre, Posting, Village

pytestmark = pytest.mark.django_db


def build(seed, scale=0.1):
    """Load, look, roll back."""
    with transaction.atomic():
        result = load_demo(seed=seed, scale=scale)
        snapshot = {
            "cadres": list(
                Cadre.objects.order_by("id_number").values_list("id_number", "name", "unit__name")
            ),
            "postings": sorted(
                Posting.objects.values_list("cadre__id_number", "village__jurisdiction__code")
            ),
            "villages": list(
                Village.objects.values_list("jurisdiction__code", "jurisdiction__name")
            ),
            "breaches": checks.breaches(),
            "counts": result.counts,
        }
        transaction.set_rollback(True)
    return snapshot


def test_deterministic_with_the_seed_and_gaps_survive_a_small_scale():
    a, b, c = build(7), build(7), build(8)
    assert a == b
    assert a["cadres"] != c["cadres"]
    assert a["villages"] == c["villages"]  # the geography does not depend on the seed
    assert a["counts"]["village"] < 150
    expected = {}
    for gap in DELIBERATE_GAPS:
        expected.setdefault(gap.clause, set()).update(gap.villages)
    assert a["breaches"] == c["breaches"] == expected
