"""``POST /checkins/batch`` (MGT.1.CHECKIN): a phone's offline queue in one request, each
check-in answered on its own (``api/checkin_batch.py``). Bearer clients are served by the lean
path (``api/fastpath.py``) before Django; this operation documents the contract and serves
session clients, with the same answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from zhucun.attendance import services as att

from ..attendance_schemas import CheckInBatchIn, CheckInBatchOut
from ..checkin_batch import items_clean, result_of, results_merge
from ..common import responses, user_of

router = Router(tags=["签到"])


@router.post(
    "/checkins/batch",
    response=responses(CheckInBatchOut),
    summary="离线队列一次补传多条签到(逐项判定、逐项答复;重复提交只记录一次)",
)
def checkin_batch_create(request: HttpRequest, payload: CheckInBatchIn) -> dict[str, Any]:
    cleaned = items_clean(list(payload.items))
    fresh = [c for c in cleaned if not isinstance(c, dict)]
    user = user_of(request)
    outcomes = att.checkins_record(items=[(user, data) for data in fresh]) if fresh else []
    return {"results": results_merge(cleaned, [result_of(o) for o in outcomes])}
