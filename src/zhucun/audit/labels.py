"""The Chinese verb of every audit action and the Chinese name of every audited object type:
the audit page, its filter and any export show these, never the stored names. A test
(tests/audit/test_action_labels.py) finds every action the code records and asks for its label
here, so a new action without one fails the suite."""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    # 行政区划、村、单位、干部、任职
    "jurisdiction.create": "新增行政区划",
    "jurisdiction.rename": "行政区划更名",
    "village.create": "新增村(社区)",
    "village.update": "修改村(社区)",
    "unit.create": "新增派出单位",
    "unit.update": "修改派出单位",
    "cadre.create": "新增干部",
    "cadre.update": "修改干部信息",
    "cadre.spouse_link": "关联配偶",
    "cadre.file_record": "记入干部管理档案",
    "posting.create": "登记驻村任职",
    "posting.end": "结束驻村任职",
    "posting.screen": "登记任职审查意见",
    "posting.appoint": "登记第一书记任命",
    "posting.transfer": "登记党组织关系转接",
    "import.jurisdictions": "导入行政区划",
    "import.villages": "导入村(社区)",
    "import.units": "导入派出单位",
    "import.cadres": "导入干部",
    "import.postings": "导入驻村任职",
    # 选派
    "nomination.create": "录入提名",
    "nomination.propose": "提出人选",
    "nomination.review": "审核备案",
    "nomination.decide": "研究确定",
    "nomination.post": "派驻到村",
    "nomination.reject": "不予通过",
    "nomination.withdraw": "撤回提名",
    "selection.exception": "登记配备例外",
    "parameter.set": "设置政策参数",
    "fund.record": "录入经费拨付与支出",
    "calendar.year_set": "录入节假日安排",
    "special_period.declare": "宣布特殊时期",
    # 考勤
    "checkin.record": "签到",
    "checkin.review": "复核签到",
    "fraud_signal.resolve": "处理异常签到信号",
    "diary.create": "填写驻村日志",
    "diary.edit": "修改驻村日志",
    "diary.photo_add": "上传日志照片",
    "leave.request": "申请请假",
    "leave.approve": "批准请假",
    "leave.reject": "不批准请假",
    "leave.cancel": "撤销请假",
    "leave.return": "销假返岗",
    "leave.override": "特批请假",
    "summary.prepare": "生成月度小结",
    "summary.submit": "提交月度小结",
    "summary.sign": "签署月度小结",
    "interview.record": "登记约谈",
    "attendance.month_close": "月度考勤结账",
    "attendance.month_reclose": "月度考勤重新结账",
    "attendance.record_batch": "批量登记考勤",
    # 账号
    "user.create": "开通账号",
    "user.enable": "启用账号",
    "user.disable": "停用账号",
    "user.password_reset": "重置密码",
    "user.password_change": "修改密码",
    "login.lock": "锁定登录",
    "token.create": "签发接口令牌",
    "token.revoke": "吊销接口令牌",
    # 任期、交接、调整轮换 (issue 11)
    "posting.close": "结束驻村任职",
    "recall.record": "登记召回撤换",
    "leave.after_term": "给予驻村结束补假",
    "handover.create": "填写交接清单",
    "handover.update": "修改交接清单",
    "rotation.apply": "申请调整轮换",
    "rotation.seal": "乡镇党委签章",
    "rotation.decide": "派出单位集体研究",
    "rotation.submit": "填审批表报组织部门",
    "rotation.grant": "组织部门审查同意",
    "rotation.reject": "不予同意调整",
    "rotation.withdraw": "撤回调整申请",
    "rotation.attachment": "上传证明材料",
    # 纪律处理记录、谈心谈话 (issue 12)
    "discipline.create": "录入纪律处理记录",
    "discipline.supersede": "更正纪律处理记录",
    "talk.create": "录入谈心谈话",
    "report.open": "开始填写工作报告",
    "report.save": "保存工作报告",
    "report.submit": "报送工作报告",
    "report.urgent": "报告突发情况",
    "report.acknowledge": "签收突发情况报告",
    # 季度分析研判 (MGT.4.REVIEW)
    "review.start": "开始季度分析研判",
    "review.conclude": "填写研判结论",
    "review.sign": "签发季度研判并报州",
    "review.correct": "更正研判结论",
    # 驻村干部考核 (MGT.5.ANNUAL, MGT.5.INPUT, MGT.5.GRADE)
    "assessment.start": "开始年度考核",
    "assessment.start_term_end": "开始驻村期满考核",
    "assessment.opinion": "录入考核听取的意见",
    "assessment.grade": "填写考核评语和等次",
    "assessment.finalise": "确定考核等次",
    # 三讲三评 (issue 13, MGT.8.SJSP)
    "sjsp.event": "录入三讲三评活动",
    "sjsp.tallies": "录入三讲三评票数",
    "sjsp.rectification": "三讲三评整改名单变化",
    "sjsp.rectification_plan": "制定三讲三评整改措施",
    "sjsp.rectification_close": "三讲三评整改完成",
    # 考核结果反馈 (MGT.5.FEEDBACK)
    "assessment.receive": "派出单位签收考核结果",
    # 工作例会、任务清单、重点任务清单 (issue 14, MGT.2, DUT.LIST)
    "meeting.record": "录入工作例会",
    "task.create": "新建任务",
    "task.done": "任务标记完成",
    "keylist.issue": "下达重点任务清单",
    "keylist.progress": "报告重点任务进展",
    # 运维
    "gen.load": "载入模拟数据",
    # village groups and visits (issue 14, MGT.8.GROUPS, MGT.8.VISITS, DUT.2)
    "group_contact.assign": "指定村民小组联系人",
    "group_contact.end": "结束村民小组联系",
    "household.add": "登记走访农户",
    "household.risk_flag": "标记返贫致贫风险户",
    "visit.record": "录入走访记录",
    "visit.acknowledge": "确认返贫致贫风险",
    # 集中培训 (issue 15, MGT.7)
    "training.event_create": "登记集中培训",
    "training.attendance_add": "登记参训人员",
    "training.attendance_remove": "撤销参训登记",
    "training.import": "导入培训签到表",
    "leave.training": "培训期间计为在岗",
    # subsidies, exams, insurance (issue 15, GUA.2.TRAVEL, GUA.2.PAY, GUA.2.EXAM, GUA.2.INSURE)
    "distance.set": "登记驻村往返里程",
    "subsidy_payment.record": "登记补助发放",
    "exam.record": "登记体检",
    "insurance.record": "登记人身意外伤害保险",
    # check-ins from another app (issue 16, MGT.1.CHECKIN)
    "import.checkins": "导入其他APP的签到记录",
}

OBJECT_LABELS: dict[str, str] = {
    "registry.jurisdiction": "行政区划",
    "registry.village": "村(社区)",
    "registry.dispatchingunit": "派出单位",
    "registry.cadre": "干部",
    "registry.posting": "驻村任职",
    "selection.nomination": "提名",
    "selection.compositionexception": "配备例外",
    "params.parametervalue": "政策参数取值",
    "params.holidayyear": "节假日安排",
    "attendance.checkin": "签到",
    "attendance.checkinreview": "签到复核",
    "attendance.fraudsignal": "异常签到信号",
    "attendance.diaryentry": "驻村日志",
    "attendance.diaryphoto": "日志照片",
    "attendance.leaverequest": "请假",
    "attendance.monthlysummary": "月度小结",
    "attendance.interview": "约谈",
    "attendance.monthclose": "月度考勤结账",
    "attendance.specialperiod": "特殊时期",
    "accounts.user": "账号",
    "tenure.postingclosure": "任职结束记录",
    "tenure.handoverrecord": "交接清单",
    "rotation.rotationapplication": "调整轮换申请",
    "rotation.attachment": "证明材料",
    "review.disciplinerecord": "纪律处理记录",
    "review.talk": "谈心谈话记录",
    "review.quarterlyreview": "季度分析研判",
    "review.reviewentry": "研判对象",
    "work.meeting": "工作例会",
    "work.task": "任务",
    "work.keytasklist": "重点任务清单",
    "work.keytaskprogress": "重点任务进展",
    "assessment.assessment": "驻村干部考核",
    "assessment.assessmentopinion": "考核听取的意见",
    "assessment.sjspevent": "三讲三评活动",
    "assessment.sjsptally": "三讲三评票数",
    "assessment.rectification": "三讲三评整改",
    "accounts.apitoken": "接口令牌",
    "import": "批量导入",
    "gen": "模拟数据",
}


def action_label(action: str) -> str:
    """The Chinese verb; an action unknown here (an old event) reads 其他操作, never its name."""
    return ACTION_LABELS.get(action, "其他操作")


def object_label(object_type: str) -> str:
    """The Chinese name of an audited object type (else the model's Chinese verbose name)."""
    if object_type in OBJECT_LABELS:
        return OBJECT_LABELS[object_type]
    from django.apps import apps

    try:
        name = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return "其他对象"
    return name if name and not name.isascii() else "其他对象"
