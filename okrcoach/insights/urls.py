from django.urls import path

from okrcoach.core.http import ORG

from . import views

app_name = "insights"

P = f"{ORG}insights/"

urlpatterns = [
    path(f"{P}key-results/", views.key_results, name="key_results"),
    path(f"{P}calibration/", views.calibration, name="calibration"),
    path(f"{P}impact/", views.impact, name="impact"),
    path(f"{P}impact/recompute/", views.impact_recompute, name="impact_recompute"),
    path(f"{P}impact.csv", views.impact_csv, name="impact_csv"),
    path(f"{P}impact.xlsx", views.impact_xlsx, name="impact_xlsx"),
    path(f"{P}summary/", views.summary, name="summary"),
    path(f"{P}summary.csv", views.summary_csv, name="summary_csv"),
]
