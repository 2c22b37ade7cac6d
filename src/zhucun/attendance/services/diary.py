"""MGT.1.DIARY: the work diary — one entry per day, tagged with DUT.1–DUT.5, optional photos.

Written once, it feeds the monthly summary and reports (no retyping). Saving an existing
day's entry edits it; every save and edit is audited with the text before and after."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.core.limits import max_length

from .. import scopes
from ..models import DUTY_CODES, DiaryEntry, DiaryPhoto
from ._common import cadre_posting, parse_date
from ._common import text as clean_text

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTOS_PER_ENTRY = 9


@transaction.atomic
def diary_save(*, actor: User, day: Any, duties: Any, text: str) -> DiaryEntry:
    """Create or edit the actor's diary entry of ``day``."""
    posting = cadre_posting(actor)
    errors: dict[str, str] = {}
    d = parse_date(day, "day", errors, "日期")
    body = clean_text(text, "text", errors, "工作内容", max_len=max_length(DiaryEntry, "text"))
    codes = list(duties or [])
    bad = [c for c in codes if c not in DUTY_CODES]
    if bad or not isinstance(duties, list | tuple | set | frozenset | type(None)):
        errors["duties"] = "职责任务应为 " + "、".join(f"{k}{v}" for k, v in DUTY_CODES.items())
    if d and d > timezone.localdate():
        errors["day"] = "不能为今后的日期写工作日志"
    if d and d < posting.arrival_date:
        errors["day"] = f"日期不能早于到岗日期{posting.arrival_date}"
    if errors:
        raise ValidationFailed(errors)
    duties_sorted = sorted(set(codes))
    entry = DiaryEntry.objects.select_for_update().filter(cadre_id=posting.cadre_id, day=d).first()
    if entry is None:
        entry = DiaryEntry.objects.create(
            cadre_id=posting.cadre_id,
            village=posting.village,
            day=d,
            duties=duties_sorted,
            text=body,
            created_by=actor,
        )
        event_record(
            actor=actor,
            action="diary.create",
            obj=entry,
            after={"day": d, "duties": duties_sorted, "text": body},
        )
        return entry
    before = {"duties": entry.duties, "text": entry.text}
    if before == {"duties": duties_sorted, "text": body}:
        return entry  # nothing changed, nothing to audit
    entry.duties, entry.text = duties_sorted, body
    entry.save(update_fields=["duties", "text", "updated_at"])
    event_record(
        actor=actor,
        action="diary.edit",
        obj=entry,
        before=before,
        after={"duties": duties_sorted, "text": body},
    )
    return entry


@transaction.atomic
def diary_photo_add(
    *, actor: User, entry_id: Any, file: UploadedFile, caption: str = ""
) -> DiaryPhoto:
    """Attach a photo (JPEG/PNG/WebP/HEIC, ≤ 5 MB, ≤ 9 per entry) to the actor's own entry."""
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    entry = scopes.diary_visible(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if entry is None:
        raise NotFound("工作日志不存在或不在您的管辖范围内")
    if entry.cadre_id != actor.cadre_id:
        raise Forbidden("只能为本人的工作日志添加照片")
    errors: dict[str, str] = {}
    caption = clean_text(caption, "caption", errors, "说明", max_len=100, required=False)
    ctype = getattr(file, "content_type", "") or ""
    if ctype not in PHOTO_TYPES:
        errors["file"] = "照片格式应为JPEG、PNG、WebP或HEIC"
    if (file.size or 0) > PHOTO_MAX_BYTES:
        errors["file"] = "照片不能超过5MB"
    if entry.photos.count() >= PHOTOS_PER_ENTRY:
        errors["file"] = f"每篇日志最多{PHOTOS_PER_ENTRY}张照片"
    if errors:
        raise ValidationFailed(errors)
    photo = DiaryPhoto.objects.create(entry=entry, file=file, caption=caption)
    event_record(
        actor=actor,
        action="diary.photo_add",
        obj=photo,
        after={"entry": entry.pk, "file": photo.file.name, "caption": caption},
    )
    return photo
