from django.urls import path

from zhucun.accounts.forms import ThrottledAuthenticationForm

from .views import (
    accounts,
    assessment_assessments,
    assessment_feedback,
    assessment_hub,
    assessment_sjsp,
    assets,
    attendance_cadre,
    attendance_checkin_json,
    attendance_import,
    attendance_interviews,
    attendance_print,
    attendance_reports,
    attendance_team,
    attendance_township,
    audit,
    cadres,
    charts,
    coverage,
    deadlines,
    home,
    imports,
    inbox,
    jurisdictions,
    params,
    postings,
    pwa,
    review_quarterly,
    review_recall,
    review_records,
    rotation,
    screening,
    search,
    selection,
    selection_list,
    selection_print,
    session,
    support_funds,
    support_hub,
    support_subsidies,
    support_training,
    tenure,
    units,
    villages,
    work_hub,
    work_keylists,
    work_meetings,
    work_reports,
    work_visits,
)

app_name = "web"

urlpatterns = [
    path(
        "login/",
        session.LoginView.as_view(
            authentication_form=ThrottledAuthenticationForm  # login throttling (accounts)
        ),
        name="login",
    ),
    path("logout/", session.LogoutView.as_view(), name="logout"),
    path("assets/zhucun.css", assets.stylesheet, name="stylesheet"),
    path("assets/zhucun.js", assets.script, name="script"),
    path("", home.home, name="home"),
    path("todo/", inbox.todo_page, name="todo"),
    path("notices/", inbox.notices_page, name="notices"),
    path("notices/<int:pk>/open/", inbox.notice_open, name="notice_open"),
    path("notices/read/", inbox.notices_read, name="notices_read"),
    path("villages/", villages.village_list, name="village_list"),
    path("villages/<int:pk>/", villages.village_detail, name="village_detail"),
    path("villages/<int:pk>/edit/", villages.village_edit, name="village_edit"),
    path("cadres/", cadres.cadre_list, name="cadre_list"),
    path("cadres/new/", cadres.cadre_new, name="cadre_new"),  # 新增干部 (issue 16, point 6)
    path("cadres/<int:pk>/", cadres.cadre_detail, name="cadre_detail"),
    path("cadres/<int:pk>/edit/", cadres.cadre_edit, name="cadre_edit"),
    path("cadres/<int:pk>/file.xlsx", cadres.cadre_file_xlsx, name="cadre_file_xlsx"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
    path("postings/", postings.posting_list, name="posting_list"),
    path("postings/<int:pk>/", postings.posting_detail, name="posting_detail"),
    path("postings/<int:pk>/end/", postings.posting_end, name="posting_end"),
    path("postings/<int:pk>/handover/", tenure.handover_edit, name="handover_edit"),
    path("tenure/term-ends/", tenure.term_ends_page, name="term_ends"),
    path("tenure/handover/<int:pk>/print/", tenure.handover_print, name="handover_print"),
    path("tenure/handover/<int:pk>/xlsx/", tenure.handover_xlsx, name="handover_xlsx"),
    path("tenure/mine/", tenure.my_history, name="my_history"),
    path("funds/", support_funds.funds_page, name="funds"),
    path("funds/xlsx/", support_funds.funds_xlsx, name="funds_xlsx"),
    path("funds/print/", support_funds.funds_print, name="funds_print"),
    path("funds/gaps/", support_funds.funds_gaps, name="funds_gaps"),
    path("jurisdictions/", jurisdictions.jurisdiction_list, name="jurisdiction_list"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("import/", imports.import_page, name="import"),
    path("import/template/<str:kind>/", imports.import_template, name="import_template"),
    path("export/roster/", imports.roster_export, name="roster_export"),
    path("nominations/", selection_list.nomination_list_view, name="nomination_list"),
    path("nominations/new/", selection.nomination_new, name="nomination_new"),
    path("nominations/<int:pk>/", selection.nomination_detail, name="nomination_detail"),
    path("coverage/", coverage.coverage_page, name="coverage"),
    path("coverage/export/", coverage.coverage_export, name="coverage_export"),
    path("deadlines/", deadlines.deadline_page, name="deadlines"),
    path("screening/", screening.screening_page, name="screening"),
    path("screening/result/", screening.screening_result, name="screening_result"),
    path("screening/template/", screening.screening_template_download, name="screening_template"),
    path("parameters/", params.parameter_page, name="parameters"),
    path("calendar/", params.calendar_page, name="calendar"),
    # attendance (MGT.1, MGT.3): the cadre's mobile pages, the team, the township, reports
    path("assets/checkin.js", attendance_cadre.checkin_script, name="checkin_script"),
    path("m/sw.js", attendance_cadre.service_worker, name="checkin_sw"),
    path("m/checkin/", attendance_cadre.checkin_page, name="checkin"),
    path("m/offline/", attendance_cadre.checkin_shell, name="checkin_shell"),
    path("m/checkin/submit/", attendance_checkin_json.checkin_submit, name="checkin_submit"),
    path(
        "m/checkin/queue/",
        attendance_checkin_json.checkin_submit_batch,
        name="checkin_submit_batch",
    ),
    path("m/diary/", attendance_cadre.diary_page, name="diary"),
    path("m/leave/", attendance_cadre.leave_page, name="my_leave"),
    path("m/month/", attendance_cadre.month_page, name="my_month"),
    path("team/today/", attendance_team.team_today_page, name="team_today"),
    path("team/approvals/", attendance_team.team_approvals, name="team_approvals"),
    path("team/summary/", attendance_team.team_summary, name="team_summary"),
    path("township/approvals/", attendance_township.approvals, name="township_approvals"),
    path("township/exceptions/", attendance_township.exceptions, name="township_exceptions"),
    path("township/month/", attendance_township.month_page, name="township_month"),
    path(
        "township/month/export/<str:kind>/",
        attendance_township.month_export,
        name="township_month_export",
    ),
    path("township/summaries/", attendance_township.summaries, name="township_summaries"),
    path("attendance/rankings/", attendance_reports.rankings, name="rankings"),
    path("attendance/interviews/", attendance_interviews.interviews_page, name="interviews"),
    path(
        "attendance/rankings/export/<str:kind>/",
        attendance_reports.rankings_export,
        name="rankings_export",
    ),
    path("attendance/special-periods/", attendance_reports.special_periods, name="special_periods"),
    # accounts (issue 9, point 6)
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_new, name="account_new"),
    path("accounts/bulk/", accounts.account_bulk, name="account_bulk"),
    path("accounts/<int:pk>/disable/", accounts.account_disable, name="account_disable"),
    path("accounts/<int:pk>/enable/", accounts.account_enable, name="account_enable"),
    path("accounts/<int:pk>/reset/", accounts.account_reset, name="account_reset"),
    path("accounts/password/", accounts.password_change_page, name="password_change"),
    path("accounts/tokens/", accounts.token_list_page, name="token_list"),
    path("accounts/tokens/<int:pk>/revoke/", accounts.token_revoke_view, name="token_revoke"),
    *rotation.urlpatterns,  # 调整轮换 (issue 11, MGT.9)
    *review_records.urlpatterns,  # 纪律处理记录、谈心谈话 (issue 12, MGT.10, GUA.3.TALK)
    *review_recall.urlpatterns,  # 召回撤换 (issue 12, MGT.4.CAUSE, MGT.4.CONSEQ)
    *assessment_assessments.urlpatterns,  # 驻村干部考核 (issue 13, MGT.5)
    *support_hub.urlpatterns,  # 培训保障 (issue 15)
    *work_hub.urlpatterns,  # 驻村工作 (issue 14)
    *work_reports.urlpatterns,  # 工作报告 (issue 14, MGT.6.*, GUA.1.BIND, MGT.3.SUMMARY)
    *review_quarterly.urlpatterns,  # 研判召回 hub, 季度分析研判 (issue 12, MGT.4.REVIEW)
    *assessment_sjsp.urlpatterns,  # 三讲三评 (issue 13, MGT.8.SJSP)
    *assessment_feedback.urlpatterns,  # 考核结果反馈 (issue 13, MGT.5.FEEDBACK, GUA.3.PRIORITY)
    *assessment_hub.urlpatterns,  # 考核评议 (issue 13)
    *work_meetings.urlpatterns,  # 工作例会、任务清单 (issue 14, MGT.2)
    *work_keylists.urlpatterns,  # 重点任务清单、职责任务统计 (issue 14, DUT.LIST, DUT.1–5)
    *work_visits.urlpatterns,  # 分片联系、到组到户走访 (issue 14, MGT.8.GROUPS, MGT.8.VISITS)
    *support_training.urlpatterns,  # 集中培训 (issue 15, MGT.7)
    *support_subsidies.urlpatterns,  # 补助发放、体检与保险 (issue 15, GUA.2)
    *charts.urlpatterns,  # 统计图表 (issue 16)
    path("search/", search.search_page, name="search"),  # 搜索 (issue 16, point 6)
    # the cadre's app (issue 16, the phone): manifest and icons
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("assets/<str:name>", pwa.icon, name="pwa_icon"),
    # documents offices print and sign (issue 16, point 3), on web/_print_base.html
    path("attendance/leave/<int:pk>/print/", attendance_print.leave_print, name="leave_print"),
    path(
        "attendance/interviews/<int:pk>/print/",
        attendance_print.interview_print,
        name="interview_print",
    ),
    path(
        "attendance/summaries/<int:pk>/print/",
        attendance_print.summary_print,
        name="summary_print",
    ),
    path("attendance/rankings/print/", attendance_print.ranking_print, name="rankings_print"),
    path("nominations/<int:pk>/print/", selection_print.nomination_print, name="nomination_print"),
    *attendance_import.urlpatterns,  # 导入其他APP的签到记录 (issue 16, MGT.1.CHECKIN)
]
