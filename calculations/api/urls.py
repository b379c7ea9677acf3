from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("energy", views.EnergyView.as_view(), name="energy"),
    path("runs", views.RunListView.as_view(), name="run-list"),
    path("runs/<int:pk>", views.RunDetailView.as_view(), name="run-detail"),
    path("runs/<int:pk>/daily.csv", views.RunDailyCsvView.as_view(), name="run-daily-csv"),
    path("runs/<int:pk>/sensitivity", views.RunSensitivityView.as_view(), name="run-sensitivity"),
    path("runs/<int:pk>/reevaluate", views.ReevaluateView.as_view(), name="run-reevaluate"),
    path("compare", views.CompareView.as_view(), name="compare"),
    path("periods", views.PeriodView.as_view(), name="periods"),
    path("inventory", views.InventoryView.as_view(), name="inventory"),
    path("inventory/bridge", views.InventoryBridgeView.as_view(), name="inventory-bridge"),
    path("inventory/restate", views.RestateView.as_view(), name="inventory-restate"),
    path("methodology/versions", views.VersionListView.as_view(), name="version-list"),
    path("methodology/versions/<int:number>", views.VersionDetailView.as_view(), name="version-detail"),
    path("methodology/versions/<int:number>/diff/<int:other>", views.VersionDiffView.as_view(), name="version-diff"),
]
