from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    assets,
    audit,
    cadres,
    coverage,
    deadlines,
    home,
    imports,
    jurisdictions,
    params,
    postings,
    screening,
    selection,
    units,
    villages,
)

app_name = "web"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("assets/zhucun.css", assets.stylesheet, name="stylesheet"),
    path("", home.home, name="home"),
    path("villages/", villages.village_list, name="village_list"),
    path("villages/<int:pk>/", villages.village_detail, name="village_detail"),
    path("villages/<int:pk>/edit/", villages.village_edit, name="village_edit"),
    path("cadres/", cadres.cadre_list, name="cadre_list"),
    path("cadres/<int:pk>/", cadres.cadre_detail, name="cadre_detail"),
    path("cadres/<int:pk>/edit/", cadres.cadre_edit, name="cadre_edit"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
    path("postings/", postings.posting_list, name="posting_list"),
    path("postings/<int:pk>/", postings.posting_detail, name="posting_detail"),
    path("postings/<int:pk>/end/", postings.posting_end, name="posting_end"),
    path("jurisdictions/", jurisdictions.jurisdiction_list, name="jurisdiction_list"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("import/", imports.import_page, name="import"),
    path("import/template/<str:kind>/", imports.import_template, name="import_template"),
    path("export/roster/", imports.roster_export, name="roster_export"),
    path("nominations/", selection.nomination_list_view, name="nomination_list"),
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
]
