"""Pages of the methodology browser (the REST API is in calculations.api.urls)."""

from django.urls import path

from . import views

app_name = "methodology"

urlpatterns = [
    path("", views.version_list, name="list"),
    path("<int:number>/", views.version_detail_page, name="detail"),
    path("<int:number>/diff/<int:other>/", views.version_diff_page, name="diff"),
]
