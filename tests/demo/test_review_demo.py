"""The demo shows 研判召回 (issue 12): discipline records of several kinds with a correction, the
last complete quarter's review of 芒市 signed with a recall, the current one in progress, the
replacement due on the unit's list, and talks."""

from __future__ import annotations

import pytest

from zhucun.accounts.models import User
from zhucun.policy.review import quarter_bounds
from zhucun.registry.models import CadreFileEntry, PostingStatus
from zhucun.review.models import DisciplineRecord, QuarterlyReview, Recall, ReviewState, Talk
from zhucun.review.selectors.quarterly import review_rows
from zhucun.review.selectors.recall import replacements_due
from zhucun.review.selectors.talks import talks_overdue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_discipline_records_of_several_kinds_and_a_correction():
    records = DisciplineRecord.objects.all()
    assert len(set(records.values_list("outcome", flat=True))) >= 3
    assert len(set(records.values_list("prohibition", flat=True))) >= 3
    corrected = records.get(supersedes__isnull=False)
    assert corrected.supersedes.outcome != corrected.outcome and corrected.correction_reason


def test_demo_mgt_4_review_signed_last_quarter_and_in_progress_this_quarter(demo):
    today = demo.timeline.today
    signed, draft = QuarterlyReview.objects.filter(county__code="533103000000").order_by(
        "year", "quarter"
    )
    assert signed.state == ReviewState.SIGNED and signed.signed_at and signed.meeting
    assert draft.state == ReviewState.DRAFT
    assert quarter_bounds(draft.year, draft.quarter)[0] <= today
    assert quarter_bounds(signed.year, signed.quarter)[1] < today
    # every row of the signed review is concluded; the suggested ones cite MGT.4.CAUSE
    assert not signed.entries.filter(conclusion="").exists()
    suggested = list(review_rows(review=signed, suggested_only=True))
    assert suggested and all(e.suggestions[0]["clause"] == "MGT.4.CAUSE" for e in suggested)
    assert {e.conclusion for e in suggested} >= {"recall"}
    assert review_rows(review=draft, suggested_only=True).exists()


def test_demo_mgt_4_conseq_recall_with_ban_and_replacement_due(demo):
    (recall,) = Recall.objects.all()
    assert recall.posting.status == PostingStatus.ENDED
    assert recall.review_entry is not None and recall.review_entry.conclusion == "recall"
    entry = CadreFileEntry.objects.get(cadre=recall.cadre)
    assert entry.clause == "MGT.4.CONSEQ" and entry.ban_until == recall.ban_until
    nongye = User.objects.get(username="nongye")
    mangshi = User.objects.get(username="mangshi")
    for user in (nongye, mangshi):
        assert recall in replacements_due(user=user, today=demo.timeline.today)


def test_demo_gua_3_talk_talks_and_cadres_due(demo):
    assert Talk.objects.filter(talker_kind="unit").exists()
    assert Talk.objects.filter(talker_kind="township").exists()
    nongye = User.objects.get(username="nongye")
    due = talks_overdue(user=nongye, today=demo.timeline.today)
    talked = set(Talk.objects.values_list("cadre_id", flat=True))
    assert due.exists() and not due.filter(cadre_id__in=talked).exists()
