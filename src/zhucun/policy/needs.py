"""SEL.METHOD.NEED — the catalogue of village needs (村需求) and the strengths that meet them.

The source (dehong-2021-opinions.txt, 二、选派方式): 「县级党委和政府要强化需求导向,因村(社区)
精准组队」.  It names no list of needs; this catalogue is the system's reading, drawn from the
five duties the same text gives the teams (DUT.1–DUT.5) and from the needs SEL.SCOPE.ADJUST
names (「疫情防控、边境管控、基层治理、强边固防等需求」).  It is data, not logic: each entry is a
code (stored on the village), its Chinese label, where the text speaks of it, and which of a
candidate's recorded strengths meet it.  A jurisdiction that reads its villages differently
edits this table; the rules in ``selection.rank_for_village`` only read it.

Strengths are the candidate's recorded facts that the text itself names as merits:
有农村工作经验、有涉农方面专业技术特长 (SEL.SRC.POOL), 机关优秀年轻干部、科技特派员、
“万名人才兴万村”服务基层人才 (SEL.SRC.FS_PRIORITY).  Each strength is a boolean attribute of
``selection.Candidate`` of the same name.

Public API
----------
``NEEDS`` — the catalogue, in display order; ``NEED_LABELS`` — code → label;
``STRENGTHS`` — strength code → ``Strength``;
``parse_needs(value)`` — codes from a list or a text of codes or labels (separated by 、,,;;
or spaces), deduplicated, in catalogue order; ``ValueError`` (Chinese) for an unknown one;
``needs_met(strengths, needs)`` — the needs of ``needs`` that the given strengths meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CLAUSE = "SEL.METHOD.NEED"


@dataclass(frozen=True)
class Strength:
    code: str  # an attribute of selection.Candidate
    label: str
    clause: str  # the clause that names it as a merit


@dataclass(frozen=True)
class Need:
    code: str
    label: str
    source: str  # where the text speaks of it
    met_by: tuple[str, ...]  # strength codes


STRENGTHS: Mapping[str, Strength] = {
    s.code: s
    for s in (
        Strength("rural_experience", "有农村工作经验", "SEL.SRC.POOL"),
        Strength("agri_specialty", "有涉农方面专业技术特长", "SEL.SRC.POOL"),
        Strength("is_organ_cadre", "机关优秀年轻干部", "SEL.SRC.FS_PRIORITY"),
        Strength("tech_commissioner", "科技特派员", "SEL.SRC.FS_PRIORITY"),
        Strength("talent_program", "“万名人才兴万村”服务基层人才", "SEL.SRC.FS_PRIORITY"),
    )
}

NEEDS: tuple[Need, ...] = (
    Need(
        "party_building",
        "基层党建",
        "建强基层党组织:整顿提升软弱涣散基层党组织(DUT.1)",
        ("is_organ_cadre", "rural_experience"),
    ),
    Need(
        "poverty_consolidation",
        "巩固脱贫",
        "巩固脱贫成果:返贫致贫风险监测、易地扶贫搬迁后续扶持(DUT.2)",
        ("rural_experience", "agri_specialty", "talent_program"),
    ),
    Need(
        "industry",
        "产业发展",
        "推进强村富民:推动农村一二三产业融合发展(DUT.3)",
        ("agri_specialty", "tech_commissioner", "talent_program"),
    ),
    Need(
        "collective_economy",
        "集体经济",
        "推进强村富民:发展壮大村集体经济(DUT.3)",
        ("agri_specialty", "talent_program", "rural_experience"),
    ),
    Need(
        "rural_construction",
        "乡村建设",
        "推进强村富民:人居环境整治提升、精神文明和生态文明建设、干部规划家乡行动(DUT.3)",
        ("rural_experience", "talent_program"),
    ),
    Need(
        "governance",
        "基层治理",
        "提升治理水平:“四议两公开”、网格化管理、化解矛盾(DUT.4;SEL.SCOPE.ADJUST)",
        ("rural_experience", "is_organ_cadre"),
    ),
    Need(
        "border_unity",
        "边境/民族团结",
        "抓党建促强边固防、边境管控、宗教治理(DUT.4;SEL.SCOPE.ADJUST)",
        ("is_organ_cadre", "rural_experience"),
    ),
    Need(
        "public_service",
        "为民服务",
        "强化为民服务:帮办代办、“数字云南”、网上办事(DUT.5)",
        ("is_organ_cadre", "talent_program"),
    ),
)

NEED_LABELS: Mapping[str, str] = {n.code: n.label for n in NEEDS}
NEEDS_BY_CODE: Mapping[str, Need] = {n.code: n for n in NEEDS}
_BY_LABEL: Mapping[str, str] = {
    **{n.label: n.code for n in NEEDS},
    # the label without its slash, and each half of it, name the same need
    **{n.label.replace("/", ""): n.code for n in NEEDS},
    "边境": "border_unity",
    "民族团结": "border_unity",
}
_SEPARATORS = re.compile(r"[、,,;;\s]+")


def _check_catalogue() -> None:
    for need in NEEDS:
        unknown = [s for s in need.met_by if s not in STRENGTHS]
        if unknown:  # pragma: no cover - a broken table is a programming error
            raise ValueError(f"村需求 {need.code} 引用了未知的人选特长 {unknown}")


_check_catalogue()


def allowed_text() -> str:
    """The labels one may write, for error messages and import help."""
    return "、".join(n.label for n in NEEDS)


def parse_needs(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Need codes from codes or Chinese labels, deduplicated, in catalogue order.

    ``None`` or an empty text is no need.  A text is split on 、,,;; and white space (the
    slash belongs to the label 「边境/民族团结」).  ``ValueError`` with a Chinese message naming
    the unknown items and the allowed labels.
    """
    if value is None:
        return ()
    items = _SEPARATORS.split(value) if isinstance(value, str) else list(value)
    codes: set[str] = set()
    unknown: list[str] = []
    for raw in items:
        if not isinstance(raw, str):
            unknown.append(str(raw))
            continue
        item = raw.strip()
        if not item:
            continue
        code = item if item in NEED_LABELS else _BY_LABEL.get(item)
        if code is None:
            unknown.append(item)
        else:
            codes.add(code)
    if unknown:
        raise ValueError(
            f"未知的村需求“{'、'.join(unknown)}”,应为:{allowed_text()}(SEL.METHOD.NEED)"
        )
    return tuple(n.code for n in NEEDS if n.code in codes)


def needs_met(strengths: Iterable[str], needs: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """need code → the strengths of ``strengths`` that meet it, for each need of ``needs`` met
    by at least one (in catalogue order).  ``ValueError`` for an unknown need code."""
    have = set(strengths)
    wanted = set(needs)
    unknown = sorted(wanted - set(NEED_LABELS))
    if unknown:
        raise ValueError(f"未知的村需求代码 {unknown}(应为 {', '.join(NEED_LABELS)})")
    met: dict[str, tuple[str, ...]] = {}
    for need in NEEDS:
        if need.code in wanted:
            by = tuple(s for s in need.met_by if s in have)
            if by:
                met[need.code] = by
    return met
