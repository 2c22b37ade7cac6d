"""Write side of attendance (MGT.1, MGT.3): one business action per function, keyword-only
arguments, one transaction each, every write audited (``zhucun.audit``). Errors are
``zhucun.core.errors``: ValidationFailed (400, ``errors`` field/clause → Chinese,
``needs_reason`` when a written reason would let it through), Forbidden (403), NotFound (404).

Services
--------
Check-in (services/checkin_record.py, services/checkins.py)
  checkin_record(*, actor, client_key, lat, lng, accuracy_m, device_time, device_id="",
                 no_position_reason="", received_at=None, offline=None) -> (CheckIn, created)
      FS/TM only; idempotent on (cadre, client_key) — a resend returns (stored, False) and
      writes nothing, also under concurrent resends; returns after the commit. Refused
      where the jurisdiction switched this system's check-in off (builtin_checkin_enabled).
  checkins_import(*, actor, items) -> [CheckInOutcome]   another app's records (county,
      township, prefecture, admin; attendance.imports): same judgement, source on the row
  checkin_review(*, actor, checkin_id, accept, reason) -> CheckInReview      (township)
  fraud_signal_resolve(*, actor, signal_id, note) -> FraudSignal         (township / FS)
Leave and rotation rest (services/leave.py)
  leave_request_create(*, actor, kind, start, end, reason) -> LeaveRequest  (cadre, self)
  leave_decide(*, actor, leave_id, approve, note="", override_reason="") -> LeaveRequest
      TM leave → the village's FS; FS/leader leave → the township; others 403, unseen 404.
  leave_override_record(*, actor, leave_id, reason)   township's reason, small-team rest
  leave_return(*, actor, leave_id, returned_on)       销假 (cadre or approver)
  leave_cancel(*, actor, leave_id, reason="")         cadre, pending or not yet started
  special_period_declare(*, actor, jurisdiction_code, start, end, reason)  (county/prefecture)
Diary (services/diary.py)
  diary_save(*, actor, day, duties, text) -> DiaryEntry     create or edit (audited)
  diary_photo_add(*, actor, entry_id, file, caption="") -> DiaryPhoto
Month close (services/monthclose.py)
  month_close(*, actor=None, month, township_id=None) -> MonthCloseResult
      also ``zhucun close-month YYYY-MM [--township CODE]``; idempotent
  month_reclose_touched(*, actor, township_id, days, reason)   used by corrections
  working_days_of(month) -> list[date]   ("请录入YYYY年节假日安排" if the year is unknown)
Summaries and interviews (services/summaries.py)
  summary_prepare(*, actor, month, note="") -> MonthlySummary   (FS)
  summary_sign(*, actor, summary_id)                            (village secretary)
  summary_submit(*, actor, summary_id)                          (FS, after signing)
  interview_record(*, actor, cadre_id, month, township_leader, unit_leader, held_on, record)

Selectors (zhucun.attendance.selectors) — scoped querysets, paginate them in the database
  checkin_list, fraud_signal_list, team_today, leave_list, leave_approval_queue, diary_list,
  diary_missing(*, cadre, month, until=None), duty_days_by_cadre(cadres, *, start, end),
  duty_days_rows(*, cadres, year, as_of) (MGT.1.DAYS with "未设置" while the minimum is unset),
  rankings_published(*, user, on), monthly_list, ranking_list(…, bottom_only=False),
  interview_list, month_close_list, summary_list.
Scopes: zhucun.attendance.scopes (checkins_visible, leave_visible, monthly_visible, …).
Exports: zhucun.attendance.exports.monthly_workbook (月度考勤统计表),
  ranking_workbook (出勤率排名表).
"""

from .checkin_import import checkins_import_authorize, checkins_import_file
from .checkin_input import CheckInInput, checkin_clean
from .checkin_record import (
    CheckInOutcome,
    checkin_keys_fill,
    checkin_record,
    checkin_record_input,
    checkins_import,
    checkins_record,
)
from .checkins import checkin_review, checkins_review, fraud_signal_resolve
from .diary import diary_photo_add, diary_save
from .leave import (
    leave_cancel,
    leave_decide,
    leave_override_record,
    leave_request_create,
    leave_return,
    special_period_declare,
)
from .monthclose import MonthCloseResult, month_close, month_reclose_touched, working_days_of
from .summaries import interview_record, summary_prepare, summary_sign, summary_submit

__all__ = [
    "CheckInInput",
    "CheckInOutcome",
    "MonthCloseResult",
    "checkin_clean",
    "checkin_keys_fill",
    "checkins_import",
    "checkins_import_authorize",
    "checkins_import_file",
    "checkins_record",
    "checkin_record",
    "checkin_record_input",
    "checkin_review",
    "checkins_review",
    "diary_photo_add",
    "diary_save",
    "fraud_signal_resolve",
    "interview_record",
    "leave_cancel",
    "leave_decide",
    "leave_override_record",
    "leave_request_create",
    "leave_return",
    "month_close",
    "month_reclose_touched",
    "special_period_declare",
    "summary_prepare",
    "summary_sign",
    "summary_submit",
    "working_days_of",
]
