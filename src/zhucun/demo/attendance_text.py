"""Short, realistic Chinese texts for the attendance demo (demo/attendance.py): work-diary
entries tagged with the duties DUT.1–DUT.5, leave reasons, the township's review reasons and
the interview record. Pure functions of a ``random.Random``: deterministic with the seed."""

from __future__ import annotations

import datetime as dt
import random

# ---- work diary (MGT.1.DIARY) -----------------------------------------------------------------

_STUDY = [
    "习近平总书记关于“三农”工作的重要论述",
    "《中国共产党农村基层组织工作条例》",
    "党的二十届四中全会精神",
    "《中国共产党纪律处分条例》",
    "省委关于抓党建促乡村振兴的部署要求",
]
_TOPIC = [
    "村集体经济发展",
    "防返贫动态监测",
    "人居环境整治",
    "村级事务“四议两公开”",
    "产业项目资金使用",
    "党员积分管理",
]
_CROP = ["甘蔗", "咖啡", "澳洲坚果", "石斛", "茶叶", "柠檬", "香蕉", "蔬菜"]
_JOB = ["护林员", "保洁员", "甘蔗砍收", "县城物流园", "广东电子厂"]
_PROJECT = ["村集体烤房", "农产品初加工车间", "光伏发电", "村集体果园", "民宿改造"]
_SERVICE = ["医保缴费", "社保认证", "残疾证年审", "低保申请", "农村危房改造申请", "身份证补办"]
_DISPUTE = ["土地边界", "宅基地", "用水", "邻里"]
_PLACE = ["村内主干道", "寨子公共厕所周边", "河道沟渠", "村民活动广场"]


def _n(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low, high)


def _dut1(rng: random.Random, month: int) -> str:
    return rng.choice(
        [
            f"召开党员大会,学习{rng.choice(_STUDY)},{_n(rng, 12, 40)}名党员参加",
            f"参加村“两委”班子会议,研究{rng.choice(_TOPIC)}工作",
            f"指导村党总支开展主题党日活动,组织党员{_n(rng, 10, 30)}人清扫寨子",
            f"与村党组织书记谈心谈话,交流{rng.choice(_TOPIC)}思路",
            f"给村组干部和党员上党课,讲{rng.choice(_STUDY)},{_n(rng, 15, 45)}人参加",
            f"整理党建档案,督促{_n(rng, 3, 9)}名党员按时交纳党费",
            f"走访{_n(rng, 2, 5)}名老党员、困难党员,了解生活情况",
            f"与{_n(rng, 1, 3)}名入党积极分子谈话,了解思想和工作表现",
        ]
    )


def _dut2(rng: random.Random, month: int) -> str:
    return rng.choice(
        [
            f"走访脱贫监测户{_n(rng, 2, 6)}户,了解务工收入情况",
            f"入户核查防返贫监测对象{_n(rng, 2, 5)}户,更新帮扶台账",
            f"宣传雨露计划政策,为{_n(rng, 1, 4)}户家庭讲解助学补助申请",
            f"核实{_n(rng, 5, 15)}户脱贫户医保缴费情况,动员按时参保",
            f"对接县人社局,为{_n(rng, 2, 8)}名脱贫劳动力推荐{rng.choice(_JOB)}岗位",
            f"走访易地搬迁户{_n(rng, 3, 8)}户,查看后续扶持产业发展情况",
            f"逐户核对{_n(rng, 10, 30)}户脱贫户收支台账,发现1户收入下降,已上报乡镇",
        ]
    )


def _dut3(rng: random.Random, month: int) -> str:
    harvest = month >= 10 or month <= 3  # 甘蔗、咖啡 from October to March
    crop = rng.choice(_CROP if month not in (11, 12, 1) else ["甘蔗", "咖啡", "澳洲坚果"])
    return rng.choice(
        [
            f"到{crop}种植基地查看长势,与合作社商量{'采收' if harvest else '管护'}安排",
            f"联系收购商收购{crop},帮助群众销售{_n(rng, 2, 30)}吨",
            f"组织{_n(rng, 15, 60)}名群众参加{crop}种植技术培训",
            f"与村“两委”研究村集体经济项目,谋划{rng.choice(_PROJECT)}",
            f"协调派出单位帮扶资金,推进{rng.choice(_PROJECT)}建设",
            f"到{crop}地头查看病虫害情况,请县农技站专家现场指导",
        ]
    )


def _dut4(rng: random.Random, month: int, border: bool) -> str:
    items = [
        f"参与调解{rng.choice(_DISPUTE)}纠纷1起,双方达成和解",
        "组织召开村民小组会议,讨论修订村规民约",
        f"开展人居环境整治,组织群众清理{rng.choice(_PLACE)}",
        f"开展禁毒防艾宣传,入户{_n(rng, 10, 30)}户",
        "排查矛盾纠纷和安全隐患,建立台账",
    ]
    if 6 <= month <= 9:  # 汛期
        items.append(f"汛期巡查地质灾害隐患点{_n(rng, 2, 5)}处,提醒群众注意安全")
    if month >= 10 or month <= 5:  # 森林防火期
        items.append("开展森林防火宣传和巡查")
    if border:
        items += ["参加边境管控值守,巡查便道", "协助开展抵边联防所值守和边境巡逻"]
    return rng.choice(items)


def _dut5(rng: random.Random, month: int) -> str:
    return rng.choice(
        [
            f"为{_n(rng, 2, 8)}名群众代办{rng.choice(_SERVICE)}",
            f"在村便民服务站值班,接待群众{_n(rng, 3, 15)}人次,办理{rng.choice(_SERVICE)}",
            f"陪同{_n(rng, 1, 3)}户群众到乡镇卫生院办理慢病卡",
            "收集群众反映的饮水管道破损问题,已向乡镇水务站反映",
            f"走访独居老人{_n(rng, 2, 6)}户,检查用电用火安全",
        ]
    )


def diary_entry(rng: random.Random, day: dt.date, *, border: bool) -> tuple[list[str], str]:
    """One day's entry: (duties, text), one or two duties, most days tagged DUT.2 or DUT.1."""
    weights = [("DUT.1", 22), ("DUT.2", 30), ("DUT.3", 18), ("DUT.4", 15), ("DUT.5", 15)]
    codes, w = zip(*weights, strict=True)
    first = rng.choices(codes, weights=w)[0]
    duties = [first]
    if rng.random() < 0.45:
        second = rng.choices(codes, weights=w)[0]
        if second != first:
            duties.append(second)
    parts = []
    for code in duties:
        if code == "DUT.1":
            parts.append(_dut1(rng, day.month))
        elif code == "DUT.2":
            parts.append(_dut2(rng, day.month))
        elif code == "DUT.3":
            parts.append(_dut3(rng, day.month))
        elif code == "DUT.4":
            parts.append(_dut4(rng, day.month, border))
        else:
            parts.append(_dut5(rng, day.month))
    return sorted(duties), ";".join(parts) + "。"


AWAY_DIARY = {
    "training": (["DUT.1"], "参加{what},学习抓党建促乡村振兴的经验做法,做好笔记"),
    "meeting": (["DUT.1"], "参加{what},会后向村“两委”传达会议精神"),
    "business_trip": (["DUT.3"], "{what},对接产品销售和项目资金"),
}


def away_diary(kind: str, what: str) -> tuple[list[str], str]:
    duties, text = AWAY_DIARY[kind]
    return duties, text.format(what=what)


# ---- leave (MGT.1.LEAVE) ----------------------------------------------------------------------

PERSONAL = [
    "家中老人生病住院,需回家照料",
    "孩子开学报到,需回家办理",
    "回原单位办理个人人事档案事宜",
    "参加直系亲属婚礼",
    "配偶做手术,需陪护",
]
SICK = [
    "急性肠胃炎,在乡镇卫生院输液治疗",
    "感冒发烧,遵医嘱休息",
    "腰椎间盘突出,到县医院复诊",
    "牙髓炎,到州医院治疗",
]
BUSINESS_TRIP = [
    "赴昆明对接农产品销售",
    "到州农业农村局汇报村集体经济项目",
    "赴派出单位汇报帮扶项目和资金需求",
    "到县农业农村局对接产业项目申报",
]
MEETING = [
    "参加县驻村工作推进会",
    "参加乡镇党委扩大会议",
    "参加县防返贫动态监测工作培训会",
    "参加州驻村办组织的第一书记座谈会",
]
REST = [
    "季度轮休,回家探望父母",
    "季度轮休,回家照顾家人",
    "季度轮休",
    "季度轮休,回芒市家中休整",
]
FS_TRAINING = "州委组织部第一书记示范培训班"
TM_TRAINING = "县委组织部驻村工作队员培训班"
REJECT_NOTE = "本周开展防返贫动态监测集中排查,请调整请假时间"

# ---- township review of check-ins (MGT.1.CHECKIN) ---------------------------------------------

OFF_FENCE = [  # (where, what the cadre said, the township's reason to accept)
    ("county", "到县里开会", "到县里开会(县驻村工作推进会),经核实属实,予以认可"),
    ("county", "陪同群众到县医院就医", "陪同脱贫户到县医院就医,经第一书记证实,予以认可"),
    ("township", "到乡镇汇报工作", "到乡镇汇报防返贫监测工作,经核实,予以认可"),
    ("prefecture", "到州里对接项目", "到州农业农村局对接产业项目,有会议签到表,予以认可"),
]
LOW_ACCURACY_ACCEPT = "在村委会室内签到,定位精度不足,经第一书记证实当日在村,予以认可"
REJECT_REVIEW = "经核实,当日未在村开展工作,不予认可"
NO_POSITION_REASON = "手机定位权限被关闭,已重新打开后再次签到"

# ---- interview (MGT.3.TALK) -------------------------------------------------------------------

INTERVIEW_RECORD = (
    "{month}出勤{duty}天,应出勤{workdays}天,缺勤{missing}天且无请假手续。本人承认存在"
    "多次回县城居住、未按时签到的情况。约谈指出:驻村工作须吃住在村、工作在村,"
    "外出须履行请销假手续。本人表示接受批评,今后严格遵守驻村管理规定,按时签到、写工作日志。"
    "乡镇党委将每周通报其在岗情况,派出单位将跟踪督促。"
)
