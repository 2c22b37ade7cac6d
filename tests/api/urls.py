"""Only the API, so these tests do not depend on the state of the web pages."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("zhucun.api.urls"))]
