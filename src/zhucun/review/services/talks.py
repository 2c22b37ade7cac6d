"""GUA.3.TALK: 谈心谈话 records, entered by the cadre's unit, the township or the
organisation department (county, prefecture) for cadres in their scope."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry.collect import clean_name, clean_past_date, clean_text

from ..models import TEXT_MAX, Talk
from ..scope import TALK_WRITERS, cadre_in, talk_cadres
from .discipline import CADRE_NOT_FOUND, actor_place

TALKER_MAX = 100
WRITERS_TEXT = "谈心谈话记录由派出单位、乡镇(街道)党(工)委或组织部门录入(GUA.3.TALK)"


@transaction.atomic
def talk_create(
    *,
    actor: User,
    cadre_id: int,
    held_on: dt.date | str,
    talker: str,
    topics: str,
    follow_up: str = "",
) -> Talk:
    """GUA.3.TALK: record a talk with a cadre (who talked, when, about what, what follows)."""
    if actor.role not in TALK_WRITERS:
        raise Forbidden(WRITERS_TEXT)
    if not cadre_in(talk_cadres(actor), cadre_id):
        raise NotFound(CADRE_NOT_FOUND)
    errors: dict[str, str] = {}
    day = clean_past_date(errors, "held_on", held_on)
    who = clean_name(errors, "talker", talker, limit=TALKER_MAX)
    about = clean_text(errors, "topics", topics, limit=TEXT_MAX)
    then = clean_text(errors, "follow_up", follow_up, limit=TEXT_MAX, required=False)
    if errors:
        raise ValidationFailed(errors)
    kind, _place = actor_place(actor)
    talk = Talk.objects.create(
        cadre_id=cadre_id,
        held_on=day,
        talker=who,
        talker_kind=kind,
        topics=about,
        follow_up=then,
        recorded_by=actor,
    )
    event_record(actor=actor, action="talk.create", obj=talk, after=model_snapshot(talk))
    return talk
