"""Synthetic cadres: profile data exactly as ``registry.services.cadre_create`` takes it,
consistent with the rules unless a deliberate gap asks otherwise (age on arrival ≤ 45, first
secretaries full party members for over a year with over 2 years of work, no teachers or medical
staff, fit and without family hardship)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from . import people
from .units import HOSPITAL_ADMIN, OCCUPATIONS, POSTS, UnitSpec

AGE_EXCEPTION_NOTE = (
    "原任梁河县林业和草原局副局长,2024年因年龄原因不再担任领导职务,尚未退休,表现好、身体佳"
)


class CadreMaker:
    def __init__(self, rng: random.Random, *, today: dt.date) -> None:
        self.rng = rng
        self.today = today  # the demo's today: every posting is active on this day
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def make(
        self,
        unit: UnitSpec,
        *,
        role: str,
        special: str = "",
        arrival: dt.date | None = None,
        spouse: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        rng, today = self.rng, self.today
        arrival = arrival or today
        fs = role == "first_secretary"
        xuandiao = special == "xuandiao_fs" or (role == "team_member" and rng.random() < 0.06)
        female = rng.random() < (0.22 if fs else 0.35)
        if spouse is not None:
            female = spouse["gender"] == "male"
        ethnicity = people.weighted(rng, people.ETHNICITIES)
        low, high = {
            "age_46": (46, 46),
            "age_50_exception": (50, 50),
            "xuandiao_fs": (27, 30),
            "husband": (30, 40),
            "teacher_candidate": (28, 42),  # refused for SEL.COND.NO3 alone
        }.get(special, (24, 29) if xuandiao else (28 if fs else 25, 45) if role else (25, 50))
        birth = people.birth_for_age(rng, arrival, low, high)
        if spouse is not None:
            gap = dt.timedelta(days=rng.randint(200, 1500))
            birth = spouse["birth_date"] + (gap if female else -gap)
        work_start = people.add_years(birth, 22 if xuandiao else rng.randint(21, 24))
        work_start += dt.timedelta(days=rng.randint(0, 200))
        if fs or rng.random() < 0.78:
            party, full_since = (
                "full",
                people.day_between(
                    rng, people.add_years(birth, 20), min(arrival, today) - dt.timedelta(days=400)
                ),
            )
        else:
            party, full_since = rng.choice(["probationary", "none", "none"]), None
        if special == "probationary_fs":
            party, full_since = "probationary", None
        agri = "农业" in unit.name or "林业" in unit.name or "农业科学" in unit.name
        occupation = rng.choice(OCCUPATIONS[unit.kind])
        occupation_code = ""
        post = rng.choice(POSTS[unit.kind])
        if "医院" in unit.name:
            occupation = HOSPITAL_ADMIN
        if special == "teacher":
            occupation, occupation_code, post = "小学教师", "primary_secondary_teacher", "小学教师"
        data: dict[str, Any] = {
            "name": people.person_name(rng, ethnicity, female),
            "gender": "female" if female else "male",
            "ethnicity": ethnicity,
            "id_number": people.id_number(rng, birth, female, self.ids),
            "phone": people.phone(rng, self.phones),
            "birth_date": birth,
            "education": people.weighted(
                rng, people.EDUCATION[:2] if xuandiao else people.EDUCATION
            ),
            "unit_name": unit.name,
            "post": "四级调研员" if special == "age_50_exception" else post,
            "party_status": party,
            "full_member_since": full_since,
            "work_start_date": work_start,
            "occupation": occupation,
            "occupation_code": occupation_code,
            "health_fit": True,
            "family_hardship": False,
            "retired": False,
            "is_xuandiao": xuandiao,
            "tech_commissioner": rng.random() < (0.12 if agri else 0.02),
            "talent_program": rng.random() < 0.03,
            "rural_experience": rng.random() < 0.3,
            "agri_specialty": rng.random() < (0.5 if agri else 0.08),
            "age_exception": special == "age_50_exception",
            "age_exception_note": AGE_EXCEPTION_NOTE if special == "age_50_exception" else "",
        }
        if spouse is not None:
            data["spouse_id_number"] = spouse["id_number"]
        data.update(_CANDIDATE_TRAITS.get(special, {}))
        return data


# Unposted candidates only: the reasons nominations must refuse or warn about.
_CANDIDATE_TRAITS: dict[str, dict[str, Any]] = {
    "teacher_candidate": {
        "occupation": "中学教师",
        "occupation_code": "primary_secondary_teacher",
        "post": "中学一级教师",
    },
    "medical_candidate": {
        "occupation": "护士",
        "occupation_code": "hospital_medical",
        "post": "主管护师",
    },
    "unfit_candidate": {"health_fit": False},
    "hardship_candidate": {"family_hardship": True},
}
