from django.urls import path

from okrcoach.core.http import ORG

from . import views

app_name = "academy"

A = f"{ORG}academy/"
C = f"{A}courses/<slug:course_slug>/"

urlpatterns = [
    path(A, views.home, name="home"),
    path(f"{A}refreshers/", views.refreshers, name="refreshers"),
    path(f"{A}assignments/", views.assignments, name="assignments"),
    path(f"{A}assignments/new/", views.assign, name="assign"),
    path(f"{A}reports/", views.reports, name="reports"),
    path(f"{A}reports.csv", views.reports_csv, name="reports_csv"),
    path(f"{A}settings/", views.academy_settings, name="settings"),
    path(f"{A}people/<uuid:person_id>/", views.training_record, name="training_record"),
    path(f"{A}certificates/<str:code>/", views.certificate_detail, name="certificate"),
    path(
        f"{A}certificates/<str:code>/revoke/", views.certificate_revoke, name="certificate_revoke"
    ),
    path(f"{A}authoring/", views.author_courses, name="author_courses"),
    path(f"{A}authoring/<uuid:course_id>/", views.author_course, name="author_course"),
    path(
        f"{A}authoring/<uuid:course_id>/<slug:module_slug>/lessons/new/",
        views.author_lesson,
        name="author_lesson",
    ),
    path(C, views.course_detail, name="course"),
    path(f"{C}start/", views.enroll, name="enroll"),
    path(f"{C}<slug:module_slug>/", views.module_detail, name="module"),
    path(f"{C}<slug:module_slug>/<slug:activity_slug>/", views.activity_detail, name="activity"),
    path("certificates/<str:code>/", views.verify_certificate, name="verify"),
]
