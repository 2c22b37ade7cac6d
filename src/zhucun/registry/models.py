"""Registry: jurisdictions, villages, dispatching units, cadres and postings (SEL.SCOPE, GUA.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Level(models.TextChoices):
    PREFECTURE = "prefecture", "州(市)"
    COUNTY = "county", "县(市)"
    TOWNSHIP = "township", "乡镇(街道)"
    VILLAGE = "village", "村(社区)"
    VILLAGE_GROUP = "village_group", "村(居)民小组"


LEVEL_ORDER = [c.value for c in Level]


class Jurisdiction(models.Model):
    """A node of 州 → 县(市) → 乡镇(街道) → 村(社区) → 村(居)民小组.

    ``path`` is the materialised chain of codes ("/533100000000/533103000000/…/") so that a
    whole subtree is one indexed prefix query.
    """

    code = models.CharField("区划代码", max_length=15, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"

    def __str__(self) -> str:
        return self.name

    def chain_codes(self) -> list[str]:
        """Codes from this node up to the root (most specific first)."""
        return [c for c in reversed(self.path.strip("/").split("/")) if c]


class Datum(models.TextChoices):
    WGS84 = "WGS-84", "WGS-84 (GPS)"
    GCJ02 = "GCJ-02", "GCJ-02 (国测局/高德/腾讯)"


class Village(models.Model):
    jurisdiction = models.OneToOneField(
        Jurisdiction, on_delete=models.PROTECT, related_name="village", verbose_name="区划"
    )
    township = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="township_villages",
        verbose_name="所属乡镇",
    )
    former_poor = models.BooleanField("原建档立卡贫困村", default=False)
    relocation = models.BooleanField("易地扶贫搬迁安置村", default=False)
    border = models.BooleanField("抵边村", default=False)
    key_village = models.BooleanField("重点村", default=False)
    weak_village = models.BooleanField("薄弱村", default=False)
    checkin_lat = models.DecimalField("签到点纬度", max_digits=9, decimal_places=6, null=True)
    checkin_lng = models.DecimalField("签到点经度", max_digits=9, decimal_places=6, null=True)
    checkin_datum = models.CharField(
        "坐标系", max_length=8, choices=Datum.choices, default=Datum.WGS84
    )
    checkin_radius_m = models.PositiveIntegerField("签到半径(米)", null=True, blank=True)
    # SEL.METHOD.NEED: codes of zhucun.policy.needs.NEEDS, in catalogue order (村需求); filter
    # in SQL with selectors.village_list(need=...) (a JSON text match that works on SQLite and
    # PostgreSQL alike)
    needs = models.JSONField("村需求", default=list, db_default=[], blank=True)

    class Meta:
        ordering = ["jurisdiction__code"]
        verbose_name = "村(社区)"

    def __str__(self) -> str:
        return self.jurisdiction.name

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(
            name for name in ("former_poor", "relocation", "border") if getattr(self, name)
        )

    @property
    def need_labels(self) -> list[str]:
        from zhucun.policy.needs import NEED_LABELS

        return [NEED_LABELS.get(code, code) for code in self.needs or []]


class UnitLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    PREFECTURE = "prefecture", "州级"
    COUNTY = "county", "县级"


class UnitKind(models.TextChoices):
    ORGAN = "organ", "机关"
    SOE = "soe", "国有企业"
    INSTITUTION = "institution", "事业单位"


class DispatchingUnit(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    level = models.CharField("层级", max_length=16, choices=UnitLevel.choices)
    kind = models.CharField("性质", max_length=16, choices=UnitKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name="所在地区",
    )
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = "派出单位"

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class PartyStatus(models.TextChoices):
    NONE = "none", "非党员"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class OccupationCode(models.TextChoices):
    OTHER = "", "其他"
    TEACHER = "primary_secondary_teacher", "中小学教师"
    MEDICAL = "hospital_medical", "医院医护人员"


class Cadre(models.Model):
    name = models.CharField("姓名", max_length=32, db_index=True)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=16)
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=16, blank=True)
    unit = models.ForeignKey(
        DispatchingUnit, on_delete=models.PROTECT, related_name="cadres", verbose_name="派出单位"
    )
    post = models.CharField("单位职务", max_length=64, blank=True)
    party_status = models.CharField(
        "政治面貌", max_length=16, choices=PartyStatus.choices, default=PartyStatus.NONE
    )
    full_member_since = models.DateField("转正日期", null=True, blank=True)
    work_start_date = models.DateField("参加工作时间")
    occupation = models.CharField("职业", max_length=64, blank=True)
    occupation_code = models.CharField(
        "职业类别", max_length=32, choices=OccupationCode.choices, blank=True, default=""
    )
    health_fit = models.BooleanField("身体条件适宜驻村", default=True)
    family_hardship = models.BooleanField("家庭存在特殊困难", default=False)
    spouse = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="配偶",
    )
    is_xuandiao = models.BooleanField("选调生", default=False)
    tech_commissioner = models.BooleanField("科技特派员", default=False)
    talent_program = models.BooleanField("万名人才兴万村", default=False)
    rural_experience = models.BooleanField("有农村工作经验", default=False)
    agri_specialty = models.BooleanField("有涉农专业技术特长", default=False)
    retired = models.BooleanField("已退休", default=False)
    age_exception = models.BooleanField("因年龄从领导岗位调整(SEL.SRC.AGE例外)", default=False)
    age_exception_note = models.CharField("年龄例外说明", max_length=200, blank=True)

    class Meta:
        ordering = ["unit_id", "name", "id"]
        verbose_name = "驻村干部"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", "第一书记"
    TEAM_LEADER = "team_leader", "工作队长"
    TEAM_MEMBER = "team_member", "工作队员"


class PostingStatus(models.TextChoices):
    PLANNED = "planned", "待到岗"
    ACTIVE = "active", "在岗"
    ENDED = "ended", "已结束"


class Posting(models.Model):
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="postings", verbose_name="干部"
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="postings", verbose_name="驻村"
    )
    role = models.CharField("驻村职务", max_length=20, choices=Role.choices)
    arrival_date = models.DateField("到岗日期")
    planned_end = models.DateField("计划期满日期", null=True, blank=True)
    actual_end = models.DateField("实际结束日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=PostingStatus.choices, default=PostingStatus.ACTIVE
    )
    # SEL.METHOD.APPOINT10 / SEL.METHOD.TRANSFER15, recorded on the posting (MGT.STATUS)
    fs_appointed_on = models.DateField("第一书记任命日期", null=True, blank=True)
    party_transfer_on = models.DateField("党组织关系转入日期", null=True, blank=True)
    # MGT.STATUS: 原人事关系、工资和福利待遇不变,不承担派出单位工作;一般不参加村级组织换届选举
    # (党员组织关系转到村: party_transfer_on above).
    # MGT.STATUS; db_default too, so that bulk loaders (zhucun gen's COPY) need not name them
    personnel_unchanged = models.BooleanField(
        "原人事关系、工资和福利待遇不变", default=True, db_default=True
    )
    freed_from_unit_duties = models.BooleanField(
        "脱产驻村,不承担派出单位工作", default=True, db_default=True
    )
    no_village_election = models.BooleanField(
        "不参加村级组织换届选举", default=True, db_default=True
    )

    class Meta:
        ordering = ["village_id", "role", "arrival_date"]
        verbose_name = "驻村任职"
        constraints = [
            # SEL.COND.MUST3: 脱产驻村 — a cadre holds one post at a time.
            models.UniqueConstraint(
                fields=["cadre"], condition=Q(status="active"), name="one_active_posting_per_cadre"
            )
        ]
        indexes = [models.Index(fields=["village", "status"])]

    def __str__(self) -> str:
        return f"{self.cadre} @ {self.village}"


class CadreFileEntry(models.Model):
    """An entry of the cadre's 干部管理档案 written by the system (MGT.4.CONSEQ: a recall and
    the promotion ban it carries). Append-only: written by ``services.cadre_file_record``
    only, never changed or deleted; ``ban_until`` is read wherever the cadre is looked up
    (screening a nominee cites MGT.4.CONSEQ until that day, inclusive)."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="file_entries", verbose_name="干部"
    )
    clause = models.CharField("条款", max_length=32)
    kind = models.CharField("类别", max_length=32)
    recorded_on = models.DateField("记载日期")
    text = models.CharField("记载内容", max_length=1000)
    ban_until = models.DateField("不得提拔使用和晋升职级至(含)", null=True, blank=True)
    source = models.CharField("依据", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cadre_id", "-recorded_on", "-id"]
        verbose_name = "干部管理档案记载"
        indexes = [models.Index(fields=["cadre", "ban_until"], name="cadre_file_ban")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.kind} {self.recorded_on}"
