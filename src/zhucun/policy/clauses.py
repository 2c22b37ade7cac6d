"""The clause catalogue of ``docs/policy/CLAUSES.md`` (a copy of the shared catalogue): every id the software may cite.

Kept here so that the package never reads a file at run time; a test checks that
this tuple holds exactly the ids of CLAUSES.md.  Titles are short Chinese labels for the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple


class Clause(NamedTuple):
    id: str
    title: str


CLAUSES: tuple[Clause, ...] = (
    # SEL — 选派要求
    Clause("SEL.SCOPE.CAT3", "3类村选派人数"),
    Clause("SEL.SCOPE.OTHER", "非3类村至少选派第一书记"),
    Clause("SEL.SCOPE.COVER", "全州行政村选派全覆盖"),
    Clause("SEL.SCOPE.ADJUST", "因需调整选派"),
    Clause("SEL.COND.BASIC", "人选基本条件"),
    Clause("SEL.COND.NO1", "素质不高、能力不强的不选派"),
    Clause("SEL.COND.NO2", "因身体原因不适宜驻村的不选派"),
    Clause("SEL.COND.NO3", "中小学教师、医院医护人员不选派"),
    Clause("SEL.COND.NO4", "家庭存在特殊困难的不选派"),
    Clause("SEL.COND.NO5", "夫妻两人一般不同时选派驻村"),
    Clause("SEL.COND.MUST1", "必须择优选派,不得降低标准"),
    Clause("SEL.COND.MUST2", "必须保持稳定,不准随意换人"),
    Clause("SEL.COND.MUST3", "必须脱产驻村,不能空联空挂"),
    Clause("SEL.COND.MUST4", "必须重视支持,不可只派不管"),
    Clause("SEL.COND.MUST5", "必须服从安排,不得我行我素"),
    Clause("SEL.SRC.POOL", "人选来源与优先条件"),
    Clause("SEL.SRC.AGE", "年龄条件"),
    Clause("SEL.SRC.FS_PARTY", "第一书记须为正式党员且具备党龄"),
    Clause("SEL.SRC.FS_WORK", "第一书记须具备工作经历"),
    Clause("SEL.SRC.FS_PRIORITY", "第一书记优先人选"),
    Clause("SEL.SRC.XD", "选调生纳入工作队员管理"),
    Clause("SEL.METHOD.FLOW", "报名推荐、提出人选、审核备案、研究确定"),
    Clause("SEL.METHOD.FIVE", "严把五关"),
    Clause("SEL.METHOD.NEED", "因村精准组队"),
    Clause("SEL.METHOD.APPOINT10", "到位后按期完成第一书记任命"),
    Clause("SEL.METHOD.TRANSFER15", "报到后按期转接党组织关系"),
    # DUT — 职责任务
    Clause("DUT.1", "建强基层党组织"),
    Clause("DUT.2", "巩固脱贫成果"),
    Clause("DUT.3", "推进强村富民"),
    Clause("DUT.4", "提升治理水平"),
    Clause("DUT.5", "强化为民服务"),
    Clause("DUT.LIST", "定期下达重点任务清单"),
    # MGT — 日常管理
    Clause("MGT.TERM", "任期"),
    Clause("MGT.STATUS", "驻村期间人事关系与组织关系"),
    Clause("MGT.1.LIVE", "吃住在村、工作在村"),
    Clause("MGT.1.DAYS", "每年在岗时间"),
    Clause("MGT.1.DIARY", "坚持写工作日志"),
    Clause("MGT.1.CHECKIN", "每天定点签到"),
    Clause("MGT.1.LEAVE", "外出请销假"),
    Clause("MGT.1.REST", "轮休"),
    Clause("MGT.1.FRAUD", "弄虚作假追责"),
    Clause("MGT.2", "周例会制度"),
    Clause("MGT.3.SUMMARY", "每月汇总在岗情况"),
    Clause("MGT.3.RANK", "出勤率月排名"),
    Clause("MGT.3.TALK", "出勤不足约谈"),
    Clause("MGT.4.REVIEW", "每季度分析研判"),
    Clause("MGT.4.CAUSE", "召回撤换情形"),
    Clause("MGT.4.CONSEQ", "召回撤换后果"),
    Clause("MGT.5.ANNUAL", "一年一考核"),
    Clause("MGT.5.INPUT", "考核听取村干部、党员、群众意见"),
    Clause("MGT.5.GRADE", "考核等次与优秀名额"),
    Clause("MGT.5.FEEDBACK", "考核结果反馈派出单位"),
    Clause("MGT.6.MONTHLY", "第一书记每月报告"),
    Clause("MGT.6.QUARTERLY", "乡镇每季度报告"),
    Clause("MGT.6.HALFYEAR", "派出单位每半年听取汇报"),
    Clause("MGT.6.URGENT", "突发情况及时报告"),
    Clause("MGT.7.ANNUAL", "每年全员轮训"),
    Clause("MGT.7.COVER", "培训全覆盖"),
    Clause("MGT.7.DAYS", "每年集中培训时间"),
    Clause("MGT.8.GROUPS", "分片联系村(居)民小组"),
    Clause("MGT.8.VISITS", "每月到组到户走访"),
    Clause("MGT.8.SJSP", "三讲三评"),
    Clause("MGT.9.HANDOVER", "期满轮换、压茬交接"),
    Clause("MGT.9.APPLY", "申请轮换程序"),
    Clause("MGT.9.DOCS", "轮换证明材料"),
    Clause("MGT.10", "八必须、八严禁"),
    # GUA — 组织保障
    Clause("GUA.1.BIND", "派出单位与所在村责任捆绑"),
    Clause("GUA.2.FS_FUND", "第一书记工作经费(省级)"),
    Clause("GUA.2.VILLAGE_FUND", "村级工作经费(州级)"),
    Clause("GUA.2.UNIT_FUND", "派出单位工作经费"),
    Clause("GUA.2.LIVING", "生活补助和通信补贴"),
    Clause("GUA.2.TRAVEL", "交通费补助"),
    Clause("GUA.2.PAY", "补助按月兑付"),
    Clause("GUA.2.EXAM", "每年体检"),
    Clause("GUA.2.INSURE", "人身意外伤害保险"),
    Clause("GUA.3.TALK", "谈心谈话"),
    Clause("GUA.3.LEAVE15", "驻村结束一次性补假"),
    Clause("GUA.3.PRIORITY", "同等条件下优先提拔"),
)

CLAUSE_TITLES: Mapping[str, str] = MappingProxyType({c.id: c.title for c in CLAUSES})
CLAUSE_IDS: frozenset[str] = frozenset(CLAUSE_TITLES)


def is_clause(clause_id: str) -> bool:
    """True if ``clause_id`` is an id of CLAUSES.md."""
    return clause_id in CLAUSE_IDS


def clause_title(clause_id: str) -> str:
    """The short Chinese title of a clause; ``KeyError`` for an unknown id."""
    return CLAUSE_TITLES[clause_id]
