from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("zhucun.api.urls")),
    path("", include("zhucun.web.urls")),
]
