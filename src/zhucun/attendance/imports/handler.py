"""MGT.1.CHECKIN / MGT.1.FRAUD: importing a sheet of check-ins made with another app, through
the registry's import engine (bounded reader, all-or-nothing, row report, one audit event).

Check pass (nothing written): each row names one cadre posted now in the importer's
jurisdiction (by 身份证号, or by a 姓名 unique there), its moment is not in the future, not
before the cadre's arrival, not before the check-in rules took effect and not in a year whose
holiday calendar is unknown, its position is converted to WGS-84 from the sheet's datum and
cleaned by ``checkin_clean`` exactly as a phone's check-in is, and no other row of the file is
the same check-in. Any error ⇒ nothing is written and the report lists every bad row.

Write pass: ``checkins_import`` records the rows with the judgement the phone's check-ins get
(geofence, accuracy, lateness, fraud signals); the idempotency key is derived from (source,
cadre, time, latitude, longitude), so a record imported before is reported as 已导入过 and
stored once. Closed months the new check-ins fall in are re-closed (their townships are locked
first, in the month close's order)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from zhucun.core.errors import ValidationFailed
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy.checkin import DEVICE_TIME_WRONG, checkin_day
from zhucun.policy.errors import CalendarUnknownError, ParameterUnset
from zhucun.policy.geo import to_wgs84
from zhucun.registry import scopes as registry_scopes
from zhucun.registry import validation as v
from zhucun.registry.imports.base import Handler, Row, batched
from zhucun.registry.imports.reader import FileProblem
from zhucun.registry.models import Posting, PostingStatus

from ..models import CheckInStatus, MonthClose
from ..services._common import month_start
from ..services.checkin_input import CheckInInput, checkin_clean
from ..services.checkin_record import IMPORT_ROLES, NOT_AN_IMPORTER, checkins_import
from ..services.monthclose import lock_township, month_reclose_touched
from .columns import KIND

RECORD_BATCH = 200  # check-ins per call of the recording service (its queries are per batch)
_NAMESPACE = uuid.UUID("6f1c2a3e-5b7d-4c1e-9a0f-7a1f0c2d3e4b")  # of the derived keys
NO_CADRE_COLUMN = "缺少“姓名”或“身份证号”列(至少一列;有重名的干部时须填身份证号)"
WHO_MISSING = "请填写姓名或身份证号"
SOURCE_MISSING = "请填写数据来源,即签到所用的APP名称(如“云岭先锋”)"
# checkin_clean's fields → this sheet's columns
_FIELDS = {
    "lat": "lat",
    "lng": "lng",
    "accuracy_m": "accuracy",
    "device_time": "time",
    "received_at": "received",
    "device_id": "device",
}


class RowsRefused(FileProblem):
    """The recording service refused rows the check pass let through (the data changed in
    between): the rows are in the report; nothing is written."""


def source_key(source: str) -> str:
    """The source as the idempotency key sees it: 「云岭先锋」, 「云岭先锋 APP」 and 「云岭先锋app」
    are one app."""
    s = "".join(unicodedata.normalize("NFKC", source).casefold().split())
    for suffix in ("app", "应用"):
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)]
    return s


def import_key(
    source: str, cadre_id: int, moment: dt.datetime, lat: Decimal, lng: Decimal
) -> uuid.UUID:
    """The client key of an imported record: the same record gives the same key."""
    stamp = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"{source_key(source)}|{cadre_id}|{stamp}|{lat:.6f}|{lng:.6f}"
    return uuid.uuid5(_NAMESPACE, text)


class CheckinsHandler(Handler):
    kind = KIND
    roles = IMPORT_ROLES
    role_error = NOT_AN_IMPORTER
    batch_size = 1000
    option_labels: ClassVar[dict[str, str]] = {"source": "数据来源"}
    ignore_unknown_columns = True
    field_alias: ClassVar[dict[str, str]] = _FIELDS

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.report.updatable = False
        self.report.unchanged_label = "已导入过(未重复写入)"

    @classmethod
    def clean_options(cls, options: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        cleaned, problems = super().clean_options(options)
        try:
            source = v.identity_text(options.get("source"), max_length=32)
        except v.FieldError as exc:
            reason = SOURCE_MISSING if str(exc) == "不能为空" else f"数据来源{exc}"
            return cleaned, [*problems, reason]
        return {**cleaned, "source": source}, problems

    def check_header(self, row: int) -> None:
        if not {"name", "id_number"} & self.present:
            self.report.add(row, "", NO_CADRE_COLUMN)

    # ---- check ---------------------------------------------------------------------------
    def load(self) -> None:
        self.source: str = self.options["source"]
        self.now = timezone.now()
        self.params = parameters_current()
        self.calendar = work_calendar()
        self.tz = settings.TIME_ZONE
        self.cadre_of: dict[int, int] = {}  # row → cadre id (the write pass re-reads the file)
        self.seen: dict[tuple[int, uuid.UUID], int] = {}
        self.days: dict[int, set[dt.date]] = defaultdict(set)  # township id → days
        self.statuses: Counter[str] = Counter()
        self.signals = 0
        self.locked = False
        self.closed: dict[int, list[dt.date]] = {}

    def _postings(self, batch: list[Row]) -> tuple[dict[str, Posting], dict[str, list[Posting]]]:
        ids = {r.get("id_number") for r in batch if r.ok("id_number") and r.get("id_number")}
        names = {
            r.get("name")
            for r in batch
            if r.ok("name") and r.get("name") and not (r.ok("id_number") and r.get("id_number"))
        }
        by_id: dict[str, Posting] = {}
        by_name: dict[str, list[Posting]] = defaultdict(list)
        if not ids and not names:
            return by_id, by_name
        for p in (
            registry_scopes.postings_visible(self.actor)
            .filter(status=PostingStatus.ACTIVE)
            .filter(Q(cadre__id_number__in=ids) | Q(cadre__name__in=names))
            .select_related("cadre", "village__jurisdiction", "village__township")
            .order_by("pk")
        ):
            by_id[p.cadre.id_number] = p
            by_name[p.cadre.name].append(p)
        return by_id, by_name

    def _who(
        self, row: Row, by_id: dict[str, Posting], by_name: dict[str, list[Posting]]
    ) -> Posting | None:
        number, name = row.get("id_number") or "", row.get("name") or ""
        if "id_number" in row.bad or "name" in row.bad:
            return None
        if number:
            posting = by_id.get(number)
            if posting is None:
                self.error(
                    row.num, "id_number", "不是您管辖范围内当前在岗的驻村干部,请核对身份证号"
                )
            elif name and name != posting.cadre.name:
                self.error(
                    row.num, "name", f"与身份证号不符(该身份证号的干部为{posting.cadre.name})"
                )
                return None
            return posting
        if not name:
            column = "name" if "name" in self.present else "id_number"
            self.error(row.num, column, WHO_MISSING)
            return None
        found = {p.cadre_id: p for p in by_name.get(name, [])}
        if not found:
            self.error(
                row.num,
                "name",
                f"您管辖范围内没有名为“{name}”的在岗驻村干部,请核对姓名或填写身份证号",
            )
            return None
        if len(found) > 1:
            self.error(
                row.num,
                "name",
                f"您管辖范围内有{len(found)}名在岗驻村干部名为“{name}”,无法确定是哪一位,请填写身份证号",
            )
            return None
        return next(iter(found.values()))

    def _input(self, row: Row, cadre_id: int) -> CheckInInput:
        """The row as a cleaned check-in (raises ValidationFailed as for a phone's)."""
        lat, lng, datum = row.get("lat"), row.get("lng"), row.get("datum")
        w_lat, w_lng = to_wgs84(float(lat), float(lng), datum)
        moment = row.get("time")
        data = checkin_clean(
            client_key=import_key(self.source, cadre_id, moment, lat, lng),
            lat=f"{w_lat:.6f}",
            lng=f"{w_lng:.6f}",
            accuracy_m=row.get("accuracy"),
            device_time=moment,
            received_at=row.get("received") or moment,
            device_id=row.get("device") or "",
            no_position_reason="",
        )
        return dataclasses.replace(
            data,
            source=self.source,
            address=row.get("address") or "",
            original=(str(lat), str(lng), datum),
        )

    def check(self, batch: list[Row]) -> None:
        by_id, by_name = self._postings(batch)
        for row in batch:
            posting = self._who(row, by_id, by_name)
            if posting is None or not row.ok("time", "lat", "lng", "datum"):
                continue
            if "accuracy" in row.bad or "received" in row.bad or "device" in row.bad:
                continue
            self._check_row(row, posting)

    def _check_row(self, row: Row, posting: Posting) -> None:
        moment, received = row.get("time"), row.get("received")
        if moment > self.now:
            self.error(row.num, "time", "签到时间晚于当前时间")
            return
        if received is not None and received > self.now:
            self.error(row.num, "received", "上传时间晚于当前时间")
            return
        try:
            data = self._input(row, posting.cadre_id)
        except ValidationFailed as exc:
            for field, reason in exc.errors.items():
                self.error(row.num, field, reason.replace(DEVICE_TIME_WRONG, "签到时间有误"))
            return
        code = posting.village.jurisdiction.code
        try:
            day = checkin_day(
                data.device_time,
                data.received_at,
                tz=self.tz,
                params=self.params,
                jurisdiction=code,
            )
            self.calendar.is_workday(day)
        except CalendarUnknownError as exc:
            self.error(row.num, "time", f"{exc}(系统管理员或州级用户在“节假日安排”中录入后再导入)")
            return
        except ParameterUnset:
            self.error(row.num, "time", "签到时间早于签到规则的生效日期,无法判定")
            return
        if day < posting.arrival_date:
            self.error(
                row.num,
                "time",
                f"签到日期{day:%Y-%m-%d}早于该干部到岗日期{posting.arrival_date:%Y-%m-%d}",
            )
            return
        key = (posting.cadre_id, data.client_key)
        if key in self.seen:
            self.error(
                row.num,
                "",
                f"与第{self.seen[key]}行是同一条签到(同一干部、签到时间和坐标),请删除其中一行",
            )
            return
        self.seen[key] = row.num
        self.cadre_of[row.num] = posting.cadre_id
        self.days[posting.village.township_id].add(day)

    # ---- write ---------------------------------------------------------------------------
    def _lock_closed_townships(self) -> None:
        """Lock the townships whose closed months the import touches, before any audit event
        (every path locks township → audit chain, as the month close does)."""
        self.locked = True
        months = {month_start(d) for days in self.days.values() for d in days}
        closed = set(
            MonthClose.objects.filter(township_id__in=list(self.days), month__in=months)
            .values_list("township_id", "month")
            .distinct()
        )
        self.closed = {
            tid: sorted(d for d in self.days[tid] if (tid, month_start(d)) in closed)
            for tid in sorted({t for t, _m in closed})
        }
        for township_id in self.closed:
            lock_township(township_id)

    def write(self, batch: list[Row], phase: int) -> None:
        if not self.locked:
            self._lock_closed_townships()
        rows = [r for r in batch if r.num in self.cadre_of]
        refused = False
        for part in batched(rows, RECORD_BATCH):
            items = [(self.cadre_of[r.num], self._input(r, self.cadre_of[r.num])) for r in part]
            outcomes = checkins_import(actor=self.actor, items=items)
            for row, outcome in zip(part, outcomes, strict=True):
                if outcome.error is not None:
                    refused = True
                    self.report.add(row.num, "", outcome.error.message)
                elif outcome.created:
                    assert outcome.checkin is not None
                    self.report.created += 1
                    self.created_ids.append(outcome.checkin.pk)
                    self.statuses[outcome.checkin.status] += 1
                else:
                    self.report.unchanged += 1
        if refused:
            raise RowsRefused("部分签到记录在写入时被拒绝(数据在检查后发生了变化),未写入任何数据")

    def finish_write(self) -> None:
        from ..models import FraudSignal

        if self.created_ids:
            self.signals = FraudSignal.objects.filter(checkin_id__in=self.created_ids).count()
        for township_id, days in self.closed.items():
            month_reclose_touched(
                actor=self.actor,
                township_id=township_id,
                days=days,
                reason=f"导入“{self.source}”签到记录",
            )
        self.report.details = self._details()
        self.report.breakdown = dict(self.statuses)

    def _details(self) -> list[str]:
        if not self.report.created:
            return []
        labels = dict(CheckInStatus.choices)
        counted = self.statuses.get(CheckInStatus.OK, 0)
        text = f"新增的签到中{counted}条计入在岗"
        others = [
            f"{labels.get(s, s)}{n}条"
            for s, n in sorted(self.statuses.items())
            if s != CheckInStatus.OK
        ]
        if others:
            text += f",{'、'.join(others)}(已保存,与本系统的签到一样须乡镇核实,MGT.1.CHECKIN)"
        text += "。"
        if self.signals:
            text += f"发现异常签到提示{self.signals}条,请乡镇党委和第一书记核查(MGT.1.FRAUD)。"
        return [text]

    def audit_extra(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "already_imported": self.report.unchanged,
            "statuses": dict(self.statuses),
            "signals": self.signals,
        }
