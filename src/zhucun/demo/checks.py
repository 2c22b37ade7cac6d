"""A plain re-count of the selection rules over the loaded demo, independent of the policy
package: which villages breach which clause. The demo is meant to breach exactly
``build.DELIBERATE_GAPS``; the command prints this and the tests compare the two."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from zhucun.registry.models import Cadre, Posting, PostingStatus, Village
from zhucun.selection.models import CompositionException

from .people import add_years, age_on


def breaches() -> dict[str, set[str]]:
    """clause id → the codes of the villages where it is breached (prefecture-wide). A village
    with a recorded SEL.SCOPE.ADJUST exception in force is an exception to the composition rules
    (CAT3 / OTHER), not a breach; coverage itself admits no exception."""
    found: dict[str, set[str]] = defaultdict(set)
    excepted = composition_exceptions()
    active = list(
        Posting.objects.filter(status=PostingStatus.ACTIVE).select_related(
            "cadre", "village__jurisdiction"
        )
    )
    team: dict[int, list[Posting]] = defaultdict(list)
    for p in active:
        team[p.village_id].append(p)
    for v in Village.objects.select_related("jurisdiction"):
        code, posts = v.jurisdiction.code, team.get(v.pk, [])
        fs = sum(p.role in ("first_secretary", "team_leader") for p in posts)
        if not posts:
            found["SEL.SCOPE.COVER"].add(code)
        elif code in excepted:
            continue
        elif v.categories and (fs < 1 or len(posts) - fs < 2 or len(posts) > 5):
            found["SEL.SCOPE.CAT3"].add(code)
        elif not v.categories and fs < 1:
            found["SEL.SCOPE.OTHER"].add(code)
    posted_ids = {p.cadre_id for p in active}
    for p in active:
        c, code = p.cadre, p.village.jurisdiction.code
        if c.spouse_id and c.spouse_id in posted_ids:
            found["SEL.COND.NO5"].add(code)
        if c.occupation_code:
            found["SEL.COND.NO3"].add(code)
        if not c.health_fit:
            found["SEL.COND.NO2"].add(code)
        if c.family_hardship:
            found["SEL.COND.NO4"].add(code)
        if age_on(c.birth_date, p.arrival_date) > 45 and not c.age_exception:
            found["SEL.SRC.AGE"].add(code)
        if p.role in ("first_secretary", "team_leader"):
            if c.is_xuandiao:
                found["SEL.SRC.XD"].add(code)
            if c.party_status != "full" or add_years(c.full_member_since, 1) > p.arrival_date:
                found["SEL.SRC.FS_PARTY"].add(code)
            if add_years(c.work_start_date, 2) > p.arrival_date:
                found["SEL.SRC.FS_WORK"].add(code)
    return dict(found)


def age_exceptions() -> set[str]:
    """Villages with a cadre over 45 on arrival who has the recorded exception (not a breach)."""
    return {
        p.village.jurisdiction.code
        for p in Posting.objects.filter(
            status=PostingStatus.ACTIVE, cadre__age_exception=True
        ).select_related("cadre", "village__jurisdiction")
        if age_on(p.cadre.birth_date, p.arrival_date) > 45
    }


def composition_exceptions(on: dt.date | None = None) -> set[str]:
    """Villages with a recorded SEL.SCOPE.ADJUST exception in force on ``on`` (today)."""
    on = on or timezone.localdate()
    return set(
        CompositionException.objects.filter(valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .values_list("village__jurisdiction__code", flat=True)
    )


def unposted_cadres() -> int:
    return Cadre.objects.exclude(postings__status=PostingStatus.ACTIVE).count()
