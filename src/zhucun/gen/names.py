"""Chinese names and short texts of the synthetic data: places, people, units, leave reasons
and diary entries. Every choice is drawn from the ``random.Random`` passed in."""

from __future__ import annotations

import random

# ---- places --------------------------------------------------------------------------------

_PLACE_1 = "大小新老上下东西南北中前后石马龙凤黄白青红金银桃李杨柳梅松竹兴安和平永顺富民太长清"
_PLACE_2 = "河湾山坡沟坪坝塘寨营岭溪桥林田庄冲井阳源江川岗洞关堡铺场湖水峰城"
_HILL = "邦瓦帮角拱岭吾帕石板回龙红岩河头松坡茶山营盘竹林古城新民团坡横山龙塘南林岔河雪梨"
_DAI_1 = "芒弄等允贺拉户广南勐曼帕邦雷那蛮姐喊景遮"
_DAI_2 = "坎棒里么线欠母嘎海岗丙别卡赛东满杏相丘罕养晃令龙秀冒宽蚌掌朗"
_COMMUNITY = [
    "团结", "民族", "金龙", "新城", "光明", "幸福", "东方", "朝阳", "青年", "河滨", "和平",
    "文化", "兴边", "振兴", "凤凰", "建设", "育才", "南湖", "胜利", "人民", "友谊", "锦绣",
]  # fmt: skip


def place_stem(rng: random.Random, *, dai: bool = False) -> str:
    """A two-character place name stem."""
    if dai and rng.random() < 0.6:
        return rng.choice(_DAI_1) + rng.choice(_DAI_2)
    if rng.random() < 0.15:
        i = rng.randrange(0, len(_HILL) - 1, 2)
        return _HILL[i : i + 2]
    return rng.choice(_PLACE_1) + rng.choice(_PLACE_2)


def village_name(rng: random.Random, *, community: bool, dai: bool) -> str:
    if community:
        return (rng.choice(_COMMUNITY) if rng.random() < 0.6 else place_stem(rng)) + "社区"
    return place_stem(rng, dai=dai) + "村"


# ---- dispatching units: (name suffix, kind) per level --------------------------------------

COUNTY_UNITS = [
    ("委组织部", "organ"),
    ("农业农村局", "organ"),
    ("财政局", "organ"),
    ("自然资源局", "organ"),
    ("人力资源和社会保障局", "organ"),
    ("教育体育局", "organ"),
    ("卫生健康局", "organ"),
    ("交通运输局", "organ"),
    ("水务局", "organ"),
    ("林业和草原局", "organ"),
    ("民政局", "organ"),
    ("住房和城乡建设局", "organ"),
    ("人民医院", "institution"),
    ("第一中学", "institution"),
    ("农业技术推广中心", "institution"),
    ("城市建设投资有限公司", "soe"),
]
PREFECTURE_UNITS = [
    ("委组织部", "organ"),
    ("农业农村局", "organ"),
    ("财政局", "organ"),
    ("发展和改革委员会", "organ"),
    ("生态环境局", "organ"),
    ("商务局", "organ"),
    ("乡村振兴局", "organ"),
    ("市场监督管理局", "organ"),
    ("人民医院", "institution"),
    ("职业技术学院", "institution"),
    ("农业科学研究所", "institution"),
    ("供电局", "soe"),
    ("烟草专卖局(公司)", "soe"),
]
PROVINCE_UNITS = [
    ("委组织部", "organ"),
    ("农业农村厅", "organ"),
    ("财政厅", "organ"),
    ("教育厅", "organ"),
    ("交通运输厅", "organ"),
    ("水利厅", "organ"),
    ("乡村振兴局", "organ"),
    ("农业科学院", "institution"),
    ("第一人民医院", "institution"),
    ("农村信用社联合社", "soe"),
    ("能源投资集团有限公司", "soe"),
]
POSTS = ["科员", "科员", "一级科员", "四级主任科员", "副科长", "科长", "干事", "专业技术人员"]
EDUCATION = [("大学本科", 68), ("硕士研究生", 10), ("大专", 18), ("中专", 4)]

# ---- people --------------------------------------------------------------------------------

# Ethnicity mix of the cadres: 云南 and the rest of the country.
ETHNICITIES_YUNNAN = [
    ("汉族", 62), ("彝族", 10), ("白族", 5), ("哈尼族", 5), ("傣族", 4), ("壮族", 3),
    ("苗族", 3), ("傈僳族", 2), ("回族", 1.5), ("景颇族", 1.5), ("纳西族", 1), ("藏族", 1),
    ("拉祜族", 1),
]  # fmt: skip
ETHNICITIES_NATIONAL = [
    ("汉族", 91), ("壮族", 1.5), ("回族", 1), ("满族", 1), ("维吾尔族", 1), ("苗族", 1),
    ("彝族", 1), ("土家族", 1), ("藏族", 0.8), ("蒙古族", 0.7),
]  # fmt: skip

_SURNAMES = (
    "王王王王李李李李张张张张刘刘刘陈陈陈杨杨杨赵赵黄黄周周吴吴徐孙胡朱高林何郭马罗梁宋郑谢"
    "韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹"
    "熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
_ETHNIC_SURNAMES = {
    "傣族": "刀岩玉线方孟龚思郎喊冯朗",
    "景颇族": "排岳石何董金雷孔祁麻沙",
    "傈僳族": "余麻李密蔡恒胡褚熊",
    "哈尼族": "白李杨张马卢",
    "彝族": "李普者杨张罗沙毕",
    "白族": "段杨赵李张字尹",
    "藏族": "扎次格洛达",
    "维吾尔族": "艾买阿吐热",
}
_MALE = "伟强军磊勇涛斌明刚杰鹏超浩华建平志国荣文俊峰海林春晓云龙亮飞宏忠德成昌宇波辉"
_FEMALE = "芳娟艳丽敏静燕玲霞红梅兰英萍琼秀娜婷雪莉琳慧琴凤蓉佳晶颖倩洁美彩丹"


def weighted(rng: random.Random, pairs: list[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


# ---- texts ---------------------------------------------------------------------------------

LEAVE_REASONS = {
    "personal": ["家中有事需回家处理", "子女入学需办理手续", "回原单位办理个人事务"],
    "sick": ["感冒发烧需就医", "腰椎不适到县医院复查", "牙科治疗"],
    "business_trip": ["赴县城汇报驻村帮扶项目", "到派出单位对接产业项目资金"],
    "training": ["参加驻村干部专题培训", "参加乡村振兴业务培训班"],
    "meeting": ["参加县驻村工作推进会", "参加派出单位党委(党组)会议"],
}
LEAVE_KINDS = [
    ("personal", 40),
    ("sick", 20),
    ("business_trip", 15),
    ("training", 15),
    ("meeting", 10),
]
DIARY_TEXTS = {
    "DUT.1": [
        "组织村党总支开展主题党日活动,学习党的创新理论。",
        "与村“两委”班子成员谈心谈话,了解思想和工作情况。",
        "指导村党组织规范召开“三会一课”,整理会议记录。",
    ],
    "DUT.2": [
        "走访脱贫户和监测户,核实收入情况,更新帮扶台账。",
        "排查防返贫风险,对重点户落实帮扶措施。",
        "协助办理产业奖补资金申报材料。",
    ],
    "DUT.3": [
        "到合作社了解种植情况,协调产品销售渠道。",
        "对接派出单位,推进村集体经济项目。",
        "组织群众参加种养殖技术培训。",
    ],
    "DUT.4": [
        "参与村民矛盾纠纷调解,化解邻里土地纠纷。",
        "协助村委会修订村规民约,开展人居环境整治。",
        "开展边境巡逻和护边联防宣传。",
    ],
    "DUT.5": [
        "为群众代办社保、医保业务。",
        "入户宣传惠民政策,收集群众诉求。",
        "协调解决村组道路维修和饮水问题。",
    ],
}
DUTY_LIST = list(DIARY_TEXTS)


def _cumulative(pairs: list[tuple[str, float]]) -> tuple[tuple[float, str], ...]:
    total = sum(w for _, w in pairs)
    acc, out = 0.0, []
    for name, w in pairs:
        acc += w / total
        out.append((acc, name))
    return tuple(out)


_CUM_YUNNAN = _cumulative(ETHNICITIES_YUNNAN)
_CUM_NATIONAL = _cumulative(ETHNICITIES_NATIONAL)


def person_from_hash(h: int, *, yunnan: bool) -> tuple[bool, str, str]:
    """(female, ethnicity, name) from 64 random bits: the same bits give the same person, so
    a later table (the users) can name a cadre again without keeping the names in memory."""
    female = (h & 0x3FF) < 307  # about 30 %
    u = ((h >> 10) & 0xFFFF) / 65536
    ethnicity = "汉族"
    for bound, name in _CUM_YUNNAN if yunnan else _CUM_NATIONAL:
        if u < bound:
            ethnicity = name
            break
    surnames = _ETHNIC_SURNAMES.get(ethnicity, _SURNAMES)
    pool = _FEMALE if female else _MALE
    given = pool[(h >> 40) % len(pool)]
    if (h >> 60) & 3:  # three in four have a two-character given name
        given += pool[(h >> 50) % len(pool)]
    return female, ethnicity, surnames[(h >> 26) % len(surnames)] + given
