"""Steps the selection tests share: fill village A, and take a cadre through
SEL.METHOD.FLOW up to the unit's decision."""

import datetime as dt

from tests.world import cadre_data
from zhucun.registry import services as reg
from zhucun.selection import services as sel

FIVE = {"political": True, "conduct": True, "ability": True, "style": True, "integrity": True}
ON = dt.date(2026, 3, 2)


def post_members(world, count: int, *, serial: int = 50) -> None:
    """Post ``count`` more team members to village A (弄坎村, 3类村) directly."""
    for i in range(count):
        c = reg.cadre_create(
            actor=world.admin,
            data=cadre_data(name=f"队员{i}", serial=serial + i, unit_name="芒市人民医院"),
        )
        reg.posting_create(
            actor=world.admin,
            data={
                "id_number": c.id_number,
                "village_code": "533103102001",
                "role": "team_member",
                "arrival_date": ON,
            },
        )


def run_to_decided(world, cadre, *, role="team_member"):
    """create → propose (unit) → review (county body) → decide (unit)."""
    unit, county = world.users["unit"], world.users["county"]
    n = sel.nomination_create(
        actor=unit, cadre_id=cadre.pk, role=role, source="recommendation", dispatch_date=ON
    )
    sel.nomination_propose(
        actor=unit,
        nomination_id=n.pk,
        basic_attested=True,
        no1_attested=True,
        attested_by="人事科 王敏",
    )
    sel.nomination_review(
        actor=county, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="县驻村办 李华"
    )
    return sel.nomination_decide(actor=unit, nomination_id=n.pk, note="党委会2026年第3次会议")
