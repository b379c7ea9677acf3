"""Pages of the runs (the REST API is in calculations.api.urls)."""

from django.urls import path

from . import inventory_views, project_views, views

app_name = "runs"

urlpatterns = [
    path("", views.run_list, name="list"),
    path("new", views.new_run, name="new"),
    path("compare", views.compare, name="compare"),
    path("periods", views.periods, name="periods"),
    path("inventory", inventory_views.inventory_view, name="inventory"),
    path("inventory.csv", inventory_views.inventory_download_csv, name="inventory-csv"),
    path("inventory.xlsx", inventory_views.inventory_download_xlsx, name="inventory-xlsx"),
    path("inventory/restate", inventory_views.inventory_restate, name="inventory-restate"),
    path("projects/new", project_views.new_project, name="project-new"),
    path("methodology.md", views.methodology_document, name="methodology-document"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/reevaluate", views.reevaluate, name="reevaluate"),
    path("<int:pk>/report", views.report, name="report"),
    path("<int:pk>/download.json", views.download_json, name="download-json"),
    path("<int:pk>/download.csv", views.download_csv, name="download-csv"),
]
