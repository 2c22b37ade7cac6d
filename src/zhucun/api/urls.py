from django.urls import path, re_path

from .errors import not_found_view
from .main import api

urlpatterns = [
    path("", api.urls),
    re_path(r"^.*$", not_found_view),
]
